"""A local, faithful emulator of Symbl.ai's API for trackers: tokens, the Trackers
Management API and the Async text subset, served over HTTP.

The endpoints are described in ``symbl_emulator/openapi.yaml`` (served as
``GET /openapi.json``); where Symbl's docs were ambiguous, ``docs/api-contract.md``
states the emulator's decision, one section per decision. It is an independent model of
the API and imports nothing from trackersync.

Modules: :mod:`.server` (the running emulator, :func:`start_emulator`), :mod:`.httpserver`
(Waitress underneath: keep-alive, JSON server errors, request deadlines), :mod:`.app`
(routing, faults, request log), :mod:`.manage` (Management API and tokens), :mod:`.asyncapi`
(Async subset), :mod:`.auth` (JWT access tokens), :mod:`.rules` (strict/lenient
validation), :mod:`.store` (SQLite), :mod:`.faults`, :mod:`.control` (``/_emulator/*``),
:mod:`.settings`, :mod:`.openapi`, :mod:`.cli` (``python -m symbl_emulator``),
:mod:`.pytest_plugin` (fixtures for other projects' tests), :mod:`.media` (Async audio
and video submissions, transcripts), :mod:`.matching` (exact and contextual matching,
with ``simplemma`` lemmas and ``stop-words`` lists, both shipping their data).

Where each decision of ``docs/api-contract.md`` lives:

==================================  ===========================================================
Authentication, Tokens are JWTs     :class:`.auth.TokenService`
Token refresh and revoke            :meth:`.auth.TokenService.refresh`, ``.revoke``
Status code for creates             :func:`.manage.create_one`, :func:`.manage.create_many`
Shape of the tracker list, Name     :func:`.manage.list_trackers`
query
Pagination and order                :meth:`.store.Store.list_trackers`
PUT replaces, Rename clash          :func:`.manage.update_tracker`, :func:`.manage._put_body`
Name uniqueness, Bulk create is     :func:`.manage._create`, :meth:`.store.Store.insert_trackers`
all-or-nothing, Tracker limit
Phrase count, Punctuation in        :func:`.rules.check_tracker`, :func:`.rules.bad_characters`
phrases, Duplicate phrases, Types
and extra keys
Body size, Content-Type             :func:`.state.check_size`, :func:`.state.read_json`
Concurrency of writes               :meth:`.state.EmulatorState.in_flight`
Error bodies                        :class:`.responses.ApiError`, :mod:`.httpserver`
Unknown ids                         :func:`.manage._not_found`
ID formats                          :func:`.store.new_numeric_id`
Effective trackers, Sentences,      :mod:`.asyncapi`
Job lifecycle, Results before
completion, Append, Concurrent jobs
Matching                            :func:`.matching.detect`
Audio and video submissions         :mod:`.media`
Singular and plural paths           :data:`.app.URL_MAP`, :func:`.manage.create_many`
Paths not emulated                  :data:`.app.NOT_EMULATED`
HTTP layer                          :mod:`.httpserver`
==================================  ===========================================================

Example::

    with start_emulator() as srv:
        requests.post(srv.url + "/oauth2/token:generate",
                      json={"type": "application", "appId": srv.app_id,
                            "appSecret": srv.app_secret})
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symbl_emulator.httpserver import HttpLimits
    from symbl_emulator.server import EmulatorServer, start_emulator
    from symbl_emulator.settings import (
        DEFAULT_APP_ID,
        DEFAULT_APP_SECRET,
        EmulatorSettings,
        SettingsError,
    )

#: Where each public name lives. They are imported on first use, so that importing the
#: package (pytest does, to load the plugin in every session of a project that has it
#: installed) costs nothing until an emulator is wanted.
_EXPORTS = {
    "DEFAULT_APP_ID": "symbl_emulator.settings",
    "DEFAULT_APP_SECRET": "symbl_emulator.settings",
    "EmulatorServer": "symbl_emulator.server",
    "EmulatorSettings": "symbl_emulator.settings",
    "HttpLimits": "symbl_emulator.httpserver",
    "SettingsError": "symbl_emulator.settings",
    "start_emulator": "symbl_emulator.server",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (module ``__getattr__``).

    Raises:
        AttributeError: ``name`` is not one of the package's public names.
    """
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "EmulatorServer",
    "EmulatorSettings",
    "HttpLimits",
    "SettingsError",
    "start_emulator",
]
