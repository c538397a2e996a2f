"""The Python factory and the ``emulator`` fixture: start, serve over HTTP, stop cleanly."""

from __future__ import annotations

import subprocess
import sys

import requests

import symbl_emulator as emulator_pkg
from symbl_emulator import DEFAULT_APP_ID, EmulatorServer, start_emulator


def test_public_api_is_pinned() -> None:
    assert sorted(emulator_pkg.__all__) == [
        "DEFAULT_APP_ID",
        "DEFAULT_APP_SECRET",
        "EmulatorServer",
        "EmulatorSettings",
        "HttpLimits",
        "SettingsError",
        "start_emulator",
    ]


def test_a_fresh_import_offers_public_names_and_submodules_as_before() -> None:
    # the package imports its parts on first use; a fresh interpreter shows what a user
    # sees: every public name in dir(), the submodules as attributes, unknown names refused
    script = (
        "import symbl_emulator as s\n"
        "names = dir(s)\n"
        "assert set(s.__all__) <= set(names), names\n"
        "assert s.server.start_emulator is s.start_emulator\n"
        "assert s.settings.DEFAULT_APP_ID == s.DEFAULT_APP_ID\n"
        "assert callable(s.matching.detect)\n"
        "try:\n"
        "    s.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "module 'symbl_emulator' has no attribute 'no_such_name'"


def test_fixture_serves_token_generate(emulator: EmulatorServer) -> None:
    assert emulator.url.startswith("http://127.0.0.1:") and not emulator.url.endswith("/")
    body = {"type": "application", "appId": emulator.app_id, "appSecret": emulator.app_secret}
    answer = requests.post(f"{emulator.url}/oauth2/token:generate", json=body, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["expiresIn"] == 86400


def test_stop_closes_the_port_and_repr_hides_the_secret() -> None:
    server = start_emulator(app_secret="s3cr3t-value")
    url = server.url
    assert "s3cr3t-value" not in repr(server) and "s3cr3t-value" not in repr(server.settings)
    assert server.app_id == DEFAULT_APP_ID
    with requests.Session() as session:  # a kept-alive connection must not block stop()
        session.get(f"{url}/v1/manage/trackers", timeout=5)
        server.stop()
        server.stop()  # idempotent
    try:
        requests.get(f"{url}/v1/manage/trackers", timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("server still answering after stop()")


def test_emulator_imports_only_its_libraries_and_itself() -> None:
    """The emulator is an independent model of the API: nothing from trackersync."""
    import ast
    import sys
    from pathlib import Path

    package = Path(emulator_pkg.__file__).parent
    libraries = {"werkzeug", "waitress", "jwt", "click", "ruamel", "pytest", "simplemma",
                 "stop_words"}
    allowed = set(sys.stdlib_module_names) | libraries
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                ok = name.startswith("symbl_emulator") or name.split(".")[0] in allowed
                assert ok, f"{source.name} imports {name}"


def test_every_public_name_is_imported_from_the_module_it_lives_in() -> None:
    # the package imports its names on first use, from the table of where each lives:
    # the table and __all__ must name the same things, each defined in its module
    import importlib

    assert sorted(emulator_pkg._EXPORTS) == sorted(emulator_pkg.__all__)
    for name, home in emulator_pkg._EXPORTS.items():
        value = getattr(emulator_pkg, name)
        assert value is getattr(importlib.import_module(home), name), name
        assert getattr(value, "__module__", home) == home, f"{name} is defined elsewhere"


def test_the_package_and_its_plugin_import_no_server_when_loaded() -> None:
    # pytest loads the plugin in every session of a project that has it installed: the
    # server and its libraries are imported by the fixtures and names that need them
    import ast
    from pathlib import Path

    package = Path(emulator_pkg.__file__).parent
    for source in ("__init__.py", "pytest_plugin.py"):
        tree = ast.parse((package / source).read_text(encoding="utf-8"))
        loaded = []
        for node in tree.body:  # module level, outside `if TYPE_CHECKING:`
            if isinstance(node, ast.Import):
                loaded += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                loaded.append(node.module)
        heavy = [name for name in loaded if name.startswith(
            ("symbl_emulator", "waitress", "werkzeug", "simplemma", "stop_words"))]
        assert heavy == [], f"{source} imports {heavy} when loaded"


def test_every_module_of_the_package_is_offered_as_an_attribute() -> None:
    # symbl_emulator.<module> after a bare "import symbl_emulator" comes from this table
    import pkgutil

    modules = {info.name for info in pkgutil.iter_modules(emulator_pkg.__path__)}
    assert sorted(emulator_pkg._SUBMODULES) == sorted(modules - {"__main__"})
