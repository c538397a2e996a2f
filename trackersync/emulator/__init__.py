"""A local, faithful emulator of the Symbl Trackers Management API and Async tracker parts.

Built from ``shared/symbl-api.md`` §1-3 (behaviour) and §6 (the 28 decisions); it is an
independent model of the API and imports nothing from trackersync's client, models,
definitions or config. Stdlib + Werkzeug only.

Modules: :mod:`.server` (HTTP server, factory), :mod:`.app` (routing, faults, log),
:mod:`.manage` (Management API), :mod:`.asyncapi` (Async subset), :mod:`.auth` (tokens),
:mod:`.rules` (strict/lenient validation), :mod:`.store` (SQLite), :mod:`.faults`,
:mod:`.control` (``/_emulator/*``), :mod:`.settings`.

Example::

    with start_emulator() as srv:
        requests.post(srv.url + "/oauth2/token:generate",
                      json={"type": "application", "appId": srv.app_id,
                            "appSecret": srv.app_secret})
"""

from trackersync.emulator.server import EmulatorServer, start_emulator
from trackersync.emulator.settings import (
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
