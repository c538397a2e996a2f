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
:mod:`.settings`, :mod:`.openapi`, :mod:`.cli` (``python -m symbl_emulator``; started by
:mod:`.entry`, which stops cleanly on a signal during start-up),
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

#: The package's modules, each an attribute of the package once first used.
_SUBMODULES = frozenset({
    "app", "asyncapi", "auth", "cli", "control", "entry", "faults", "httpserver", "manage",
    "matching", "media", "openapi", "pytest_plugin", "responses", "rules", "server",
    "settings", "state", "store",
})


def __getattr__(name: str) -> Any:
    """Import a public name, or a submodule (``symbl_emulator.server``), on first use.

    Raises:
        AttributeError: ``name`` is neither a public name nor a submodule.
    """
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif name in _SUBMODULES:  # as ``import symbl_emulator`` offered them before
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names and submodules, imported or not (for ``help`` and completion)."""
    return sorted({*globals(), *_EXPORTS, *_SUBMODULES})


__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "EmulatorServer",
    "EmulatorSettings",
    "HttpLimits",
    "SettingsError",
    "start_emulator",
]
