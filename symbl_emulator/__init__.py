"""A local, faithful emulator of the Symbl Trackers Management API and Async tracker parts.

Built from ``shared/symbl-api.md`` §1-3 (behaviour) and §6 (the 28 decisions); it is an
independent model of the API and imports nothing from trackersync's client, models,
definitions or config. Stdlib, Werkzeug, and for matching ``simplemma`` (lemmas) and
``stop-words`` (stop-word lists), both shipping their data.

Modules: :mod:`.server` (HTTP server, factory), :mod:`.app` (routing, faults, log),
:mod:`.manage` (Management API), :mod:`.asyncapi` (Async text subset), :mod:`.media`
(Async audio/video), :mod:`.matching` (tracker matching), :mod:`.auth` (tokens),
:mod:`.rules` (strict/lenient validation), :mod:`.store` (SQLite), :mod:`.faults`,
:mod:`.control` (``/_emulator/*``), :mod:`.settings`.

Where each symbl-api.md §6 decision lives:

==  ====================================================================================
1   201 on creates, 200 otherwise: :func:`.manage.create_one`, :func:`.manage.create_many`
2   list shape ``{"trackers": [...]}``: :func:`.manage.list_trackers`
3   ``?name=`` exact, case-sensitive, ``[]`` if none, empty = absent: same
4   creation order, no pagination, unknown params ignored: :meth:`.store.Store.list_trackers`
5   PUT replace (``put_mode=merge`` option), name+vocabulary required, body id must match:
    :func:`.manage.update_tracker`, :func:`.manage._put_body`
6   PUT rename clash 409, own name fine: :func:`.manage.update_tracker`
7   exact, case-sensitive names, 409: :func:`.manage._create`, :meth:`.store.Store.names_taken`
8   bulk all-or-nothing (400, 409 incl. in-batch, limit), non-array 400: :func:`.manage._create`,
    :meth:`.store.Store.insert_trackers` (one transaction)
9   phrase count strict 1-50 / lenient >= 1: :func:`.rules.check_vocabulary`
10  punctuation strict/lenient: :func:`.rules.bad_characters`
11  exact duplicate phrases 400, stored as sent: :func:`.rules.check_vocabulary`
12  types 400, extra keys ignored: :func:`.rules.check_tracker`
13  tracker limit (400, configurable): :func:`.manage._create`
14  413 above 1 MB (Content-Length first): :func:`.state.check_size`, :func:`.state.read_json`
15  per-account in-flight slot, 429, latency: :meth:`.state.EmulatorState.in_flight`
16  ``{"message"}`` bodies; Async 429 body: :class:`.responses.ApiError`
17  unknown/malformed ids 404: :func:`.manage._not_found`
18  token:generate, Bearer / x-api-key, 401 body: :class:`.auth.TokenService`
19  JSON required only on bodies: :func:`.state.read_json`
20  16-digit ids in [4e15, 7e15), UUID4 job ids: :func:`.store.new_numeric_id`
21  effective Async trackers, unknown id 400: :func:`.asyncapi.resolve_trackers`
22  sentence split, ``messages: []`` accepted: :func:`.asyncapi.split_sentences`,
    :func:`.asyncapi.text_body`
23  exact (word boundaries) + contextual (lemmas, offset -1) matching, ``matching``
    setting: :func:`.matching.detect`
24  job lifecycle over ``job_delay_ms``, webhooks off: :func:`.asyncapi.job_status`
25  ``[]`` before completion, 404 body, deprecated ``/trackers``:
    :func:`.asyncapi.trackers_detected`
26  append: :func:`.asyncapi.append_text`
27  ``GET /v1/manage/tracker?name=`` alias, object body on ``/trackers``: :data:`.app.URL_MAP`,
    :func:`.manage.create_many`
28  concurrent-jobs limit (off by default): :func:`.asyncapi._check_job_limit`
29  audio/video URL and file submissions, transcripts registered by control endpoint:
    :mod:`.media`
==  ====================================================================================

Example::

    with start_emulator() as srv:
        requests.post(srv.url + "/oauth2/token:generate",
                      json={"type": "application", "appId": srv.app_id,
                            "appSecret": srv.app_secret})
"""

from symbl_emulator.server import EmulatorServer, start_emulator
from symbl_emulator.settings import (
    DEFAULT_APP_ID,
    DEFAULT_APP_SECRET,
    EmulatorSettings,
    SettingsError,
)

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "EmulatorServer",
    "EmulatorSettings",
    "SettingsError",
    "start_emulator",
]
