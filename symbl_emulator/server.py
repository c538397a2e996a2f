"""The running emulator (:class:`EmulatorServer`) and :func:`start_emulator`, the factory.

``start_emulator()`` binds (``port=0`` picks a free port), serves in a daemon thread
and returns once listening; :meth:`EmulatorServer.stop` shuts it down at once, closes
open keep-alive connections and the database. Usable as a context manager. The HTTP
layer (Waitress, JSON errors, request deadlines) lives in :mod:`.httpserver`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from symbl_emulator import control
from symbl_emulator.app import EmulatorApp
from symbl_emulator.httpserver import HttpLimits, HttpServer
from symbl_emulator.settings import DEFAULT_APP_ID, DEFAULT_APP_SECRET, EmulatorSettings
from symbl_emulator.state import EmulatorState
from symbl_emulator.store import Store

log = logging.getLogger(__name__)
STOP_GRACE_S = 2.0


class EmulatorServer:
    """A running emulator.

    Attributes:
        url: ``"http://HOST:PORT"`` with no trailing slash.
        host, port: where it listens.
        settings: the live :class:`EmulatorSettings` (changes apply at once).
        db_path: the SQLite file, or ``None`` for in-memory.
    """

    def __init__(self, settings: EmulatorSettings, *, host: str = "127.0.0.1", port: int = 0,
                 db_path: str | Path | None = None, limits: HttpLimits | None = None) -> None:
        self.settings = settings
        self.db_path = None if db_path is None else Path(db_path)
        if self.db_path is not None:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.state = EmulatorState(settings=settings, store=Store(self.db_path))
        try:
            self._http = HttpServer(EmulatorApp(self.state), host=host, port=port,
                                    limits=limits or HttpLimits())
        except OSError:
            self.state.store.close()
            raise
        self.host = host
        self.port = self._http.port
        self.url = f"http://{_url_host(host)}:{self.port}"
        self._stopped = False

    def __repr__(self) -> str:
        rules = self.settings.rules
        return f"EmulatorServer(url={self.url!r}, db_path={self.db_path!s}, rules={rules!r})"

    @property
    def app_id(self) -> str:
        """The application id ``POST /oauth2/token:generate`` accepts."""
        return self.settings.app_id

    @property
    def app_secret(self) -> str:
        """The application secret (print it only where the user asked for it)."""
        return self.settings.app_secret

    def start(self) -> EmulatorServer:
        """Start serving in a daemon thread (the socket already listens)."""
        self._http.start()
        log.info("Symbl emulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the database. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self.state.stopping.set()  # cut latency and fault delays short
        self._http.stop(STOP_GRACE_S)
        self.state.store.close()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- in-process conveniences (same code as the /_emulator/* endpoints) ----------------
    def token(self) -> str:
        """A valid access token for :attr:`app_id` (same as a token:generate call)."""
        return self.state.tokens.issue_for_tests()

    def reset(self) -> None:
        """As ``POST /_emulator/reset``."""
        control.reset(self.state)

    def seed(self, trackers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """As ``POST /_emulator/seed``: store trackers as given; returns them with ids."""
        return control.seed(self.state, trackers)

    def trackers(self) -> list[dict[str, Any]]:
        """Every stored tracker ``{id, name, vocabulary}`` in creation order."""
        return self.state.store.list_trackers()

    def requests(self) -> list[dict[str, Any]]:
        """As ``GET /_emulator/requests``: the request log, oldest first."""
        return self.state.log.entries()

    def add_faults(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """As ``POST /_emulator/faults``; returns the remaining rules."""
        return control.add_faults(self.state, rules)

    def configure(self, **changes: Any) -> None:
        """As ``POST /_emulator/config`` (e.g. ``rules="lenient"``, ``latency_ms=200``)."""
        self.settings.update(changes)


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def start_emulator(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    db_path: str | Path | None = None,
    rules: str = "strict",
    latency_ms: int = 0,
    put_mode: str = "replace",
    app_id: str | None = None,
    app_secret: str | None = None,
    token_ttl: int = 86400,
    tracker_limit: int = 500,
    job_delay_ms: int = 0,
    max_concurrent_jobs: int | None = None,
    matching: str = "contextual",
    limits: HttpLimits | None = None,
) -> EmulatorServer:
    """Start a Symbl emulator in a background thread and return once it listens.

    Args:
        host: interface to bind (loopback by default).
        port: TCP port; 0 picks a free one (read it from ``.url``/``.port``).
        db_path: SQLite file to persist state across restarts; ``None`` = in-memory.
        rules, latency_ms, put_mode, token_ttl, tracker_limit, job_delay_ms,
            max_concurrent_jobs, matching: see :class:`EmulatorSettings`.
        app_id, app_secret: credentials for token:generate (defaults
            :data:`DEFAULT_APP_ID` / :data:`DEFAULT_APP_SECRET`).
        limits: bounds of the HTTP layer (threads, connections, request deadline);
            :class:`HttpLimits` defaults when ``None``.

    Returns:
        The running :class:`EmulatorServer`.

    Raises:
        SettingsError: an option is out of range.
        OSError: the address cannot be bound.
    """
    settings = EmulatorSettings(
        rules=rules, latency_ms=latency_ms, put_mode=put_mode, token_ttl=token_ttl,
        tracker_limit=tracker_limit, job_delay_ms=job_delay_ms,
        max_concurrent_jobs=max_concurrent_jobs, matching=matching,
        app_id=app_id or DEFAULT_APP_ID, app_secret=app_secret or DEFAULT_APP_SECRET,
    )
    return EmulatorServer(settings, host=host, port=port, db_path=db_path, limits=limits).start()
