"""Shared pytest fixtures: the Symbl emulator over real HTTP, and the ``--live`` switch.

- ``emulator``: a fresh :class:`~symbl_emulator.EmulatorServer` per test
  (in-memory SQLite, strict rules, port 0), stopped afterwards.
- ``api_target``: ``(base_url, token)`` for contract tests: the emulator by default, or
  the real account named by ``SYMBL_API_URL`` + ``SYMBL_ACCESS_TOKEN`` (or
  ``SYMBL_APP_ID``/``SYMBL_APP_SECRET``) when pytest runs with ``--live``.
- ``api``: an :class:`Api` (plain ``requests`` bound to ``api_target``) for contract tests;
  with ``--live`` it prefixes tracker names and deletes what it created afterwards.
- Tests marked ``live`` run only with ``--live``; tests marked ``emulator_only`` are
  skipped with ``--live`` (they need the control endpoints).
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import requests

from tests.bytecode import write_bytecode
from tests.leakscan import LeakScan
from tests.tmpclean import finish_early_cleanup, start_early_cleanup

if TYPE_CHECKING:
    from symbl_emulator import EmulatorServer

#: pytester: runs a foreign project's test session in-process (the pytest plugin tests).
pytest_plugins = ["pytester"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        default=False,
        help="run the contract suite against the real Symbl account in SYMBL_* env vars",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register markers; in the main process (not in xdist workers), write the bytecode.

    See :mod:`tests.bytecode`: without it, with bytecode writing off (as on this
    project's CI), every worker and every child process compiles the same modules again.
    """
    config.addinivalue_line("markers", "emulator_only: needs the emulator's control endpoints")
    _rewrite_asserts_in_tests_only(config)
    if not hasattr(config, "workerinput"):
        write_bytecode(config)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Main process: remove old sessions' ``tmp_path`` folders now (:mod:`tests.tmpclean`)."""
    if not hasattr(session.config, "workerinput"):
        start_early_cleanup(session.config)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Main process: that removal is over before pytest's own cleanup looks."""
    finish_early_cleanup(session.config)


#: Packages whose ``assert`` statements pytest may still rewrite: pytester's helpers, so
#: that its result checks explain a failure.
_REWRITE_KEPT = ("_pytest.",)


def _rewrite_asserts_in_tests_only(config: pytest.Config) -> None:
    """Keep pytest's assertion rewriting to the test files (and pytester's helpers).

    pytest also rewrites every module of every installed distribution that ships a
    pytest plugin: all of hypothesis, anyio, xdist, and this project's own packages
    (they ship the emulator's plugin). Each is parsed and recompiled at import, in every
    worker and on every run (rewritten bytecode is not cached when bytecode writing is
    off, as on this project's CI): about 190 modules and 2.7 s of CPU per worker. Those
    modules' own ``assert`` statements gain nothing from it, and the product's code is
    then tested as it runs for users: unrewritten.
    """
    hook = config.pluginmanager.rewrite_hook
    marked = getattr(hook, "_must_rewrite", None)
    if isinstance(marked, set):
        marked.intersection_update({name for name in marked if name.startswith(_REWRITE_KEPT)})
        getattr(hook, "_marked_for_rewrite_cache", {}).clear()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown with -p no:xdist
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: one worker per core, plus one.

    Many tests spend part of their time waiting rather than computing: on child
    processes (the workflow runs), on the emulator's configured latency, on a client's
    timeout. With one worker per core those waits leave a core idle; a spare worker
    fills them (about 10 % less wall time on two cores). ``PYTEST_XDIST_AUTO_NUM_WORKERS``
    still decides when set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what collection built (modules, items, fixtures) out of the cyclic GC's sight.

    Those objects live until the session ends, yet every full collection would walk them
    again: about a quarter of the suite's garbage-collection time. ``gc.freeze`` keeps
    them out of it; objects the tests create are collected as usual.
    """
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip by ``--live``; start the tests marked ``slow`` first, on every worker.

    See :func:`slow_first_on_every_worker`.
    """
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    items[:] = slow_first_on_every_worker(items, workers)
    live = config.getoption("--live")
    for item in items:
        if "live" in item.keywords and not live:
            item.add_marker(pytest.mark.skip(reason="needs --live and a real Symbl account"))
        if "emulator_only" in item.keywords and live:
            item.add_marker(pytest.mark.skip(reason="emulator-only (uses /_emulator/*)"))


def slow_first_on_every_worker(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """The collection reordered so that each xdist worker starts with its share of slow tests.

    xdist's ``worksteal`` scheduler first hands each of the ``workers`` workers one
    contiguous block of the collection (``n // workers`` items, then ``rest // (workers -
    1)`` and so on), and later moves tests from the end of the longest queue to a worker
    that ran dry. So the slow tests (whole workflow runs, installs) are dealt out in turn,
    in file order, to the front of the blocks, and the short tests fill the blocks up: each
    worker starts on slow tests at once, and what is left to move at the end is short.
    All slow tests at the front of the collection would all land in the first block and
    run one after another there while the other workers idle at the end. Every worker
    computes the same order from the same collection, as xdist requires.
    """
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    fast = [item for item in items if item.get_closest_marker("slow") is None]
    if workers <= 1:
        return slow + fast
    sizes, left = [], len(items)
    for block in range(workers):
        sizes.append(left // (workers - block))
        left -= sizes[-1]
    ordered: list[pytest.Item] = []
    for block, size in enumerate(sizes):
        share = slow[block::workers]
        fill = max(0, size - len(share))
        ordered += share + fast[:fill]
        del fast[:fill]
    return ordered + fast


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A fresh emulator (in-memory db, default settings) listening on 127.0.0.1:<free port>."""
    from symbl_emulator import start_emulator

    with start_emulator() as server:
        yield server


@dataclass(frozen=True)
class ApiTarget:
    """Where contract tests send requests.

    Attributes:
        url: base URL without trailing slash, e.g. ``http://127.0.0.1:PORT``.
        token: a valid access token.
        emulator: the emulator behind ``url``, or ``None`` against a live account.
    """

    url: str
    token: str
    emulator: EmulatorServer | None

    @property
    def headers(self) -> dict[str, str]:
        """``Authorization: Bearer`` headers."""
        return {"Authorization": f"Bearer {self.token}"}


def _live_target() -> ApiTarget:
    url = os.environ.get("SYMBL_API_URL", "https://api.symbl.ai").rstrip("/")
    token = os.environ.get("SYMBL_ACCESS_TOKEN")
    if not token:
        app_id, secret = os.environ.get("SYMBL_APP_ID"), os.environ.get("SYMBL_APP_SECRET")
        if not (app_id and secret):
            pytest.skip("--live needs SYMBL_ACCESS_TOKEN or SYMBL_APP_ID + SYMBL_APP_SECRET")
        answer = requests.post(
            f"{url}/oauth2/token:generate",
            json={"type": "application", "appId": app_id, "appSecret": secret},
            timeout=30,
        )
        answer.raise_for_status()
        token = answer.json()["accessToken"]
    return ApiTarget(url=url, token=str(token), emulator=None)


@pytest.fixture
def api_target(request: pytest.FixtureRequest) -> Iterator[ApiTarget]:
    """The emulator (default) or a live account (``--live``) with a valid token."""
    if request.config.getoption("--live"):
        yield _live_target()
        return
    from symbl_emulator import start_emulator

    with start_emulator() as server:
        yield ApiTarget(url=server.url, token=server.token(), emulator=server)


@dataclass
class Api:
    """Plain-``requests`` access to ``target`` with its token (the contract suite's client).

    Attributes:
        target: where requests go.
        prefix: put before tracker names by :meth:`name` (only with ``--live``).
    """

    target: ApiTarget
    prefix: str = ""
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def emulator(self) -> EmulatorServer | None:
        """The emulator behind the target, ``None`` when live."""
        return self.target.emulator

    def name(self, name: str) -> str:
        """A tracker name unique to this test run (unchanged on the emulator)."""
        return f"{self.prefix}{name}"

    def call(
        self, method: str, path: str, *, auth: bool = True, **kwargs: Any
    ) -> requests.Response:
        """Send ``method path`` (``path`` starts with ``/``), with Bearer auth unless told not."""
        headers = dict(self.target.headers if auth else {})
        headers.update(kwargs.pop("headers", {}))
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.target.url + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    def cleanup(self) -> None:
        """Delete every tracker whose name starts with :attr:`prefix` (live runs)."""
        listing = self.get("/v1/manage/trackers").json().get("trackers", [])
        for tracker in listing:
            if tracker["name"].startswith(self.prefix):
                self.delete(f"/v1/manage/tracker/{tracker['id']}")


@pytest.fixture
def api(api_target: ApiTarget) -> Iterator[Api]:
    """An :class:`Api` for the contract suite; cleans up its trackers on a live account."""
    live = api_target.emulator is None
    client = Api(api_target, prefix=f"tsync-contract-{uuid.uuid4().hex[:8]}-" if live else "")
    try:
        yield client
        if live:
            client.cleanup()
    finally:
        client.session.close()


@pytest.fixture(autouse=True)
def secret_scan(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[LeakScan]:
    """Every test, every command: no app secret or issued token in what it printed.

    Records each access token the client obtains (and the app secret it used), captures
    stdout/stderr, every log record at DEBUG, the output of every in-process CLI run
    (``CliRunner.invoke``) and the texts a test registers with ``check``, and fails the
    test if any of those values appears. The one allowed sighting is the
    ``::add-mask::`` line GitHub Actions needs (on stderr). Tests that need it take
    the :class:`LeakScan` as ``secret_scan`` (the client tests call it ``leaks``).
    Why: secrets (app secret, access token) must never appear in output, logs, plan
    files or PR comments, so every test's output is scanned.
    """
    from click.testing import CliRunner

    from trackersync.client import auth

    scan = LeakScan()
    announce = auth.TokenManager._announce

    def recording(self: auth.TokenManager, token: str) -> None:
        scan.secrets.add(token)
        if self._creds.renewable:
            scan.secrets.add(self._creds.token_request_body()["appSecret"])
        announce(self, token)

    invoke = CliRunner.invoke

    def recording_invoke(self: CliRunner, *args: Any, **kwargs: Any) -> Any:
        result = invoke(self, *args, **kwargs)
        scan.texts.append(result.output)
        return result

    monkeypatch.setattr(auth.TokenManager, "_announce", recording)
    monkeypatch.setattr(CliRunner, "invoke", recording_invoke)
    caplog.set_level("DEBUG")  # -vv: urllib3 and everything else included
    yield scan
    out, err = capsys.readouterr()
    leaked = scan.scan("\n".join([out, err, caplog.text, *scan.texts]))
    assert not leaked, f"{len(leaked)} secret value(s) appeared in the test's output"
