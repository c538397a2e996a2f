"""Bytecode for the suite, written once in the main process before xdist starts workers.

With ``PYTHONDONTWRITEBYTECODE`` set (as on this project's CI) and a fresh clone, nothing
the suite runs writes bytecode, so every process compiles what it imports again:

- each child process (CLI runs, the GitHub action's scripts, the fake ``gh``) compiles
  the product's modules: ~30 ms per run;
- each xdist worker parses, rewrites (pytest's assertion rewriting) and compiles every
  test module: ~1.3 s of the ~2.3 s a worker spends collecting.

:func:`write_bytecode` does that work once: plain bytecode for what child processes
import, and pytest's own cache of rewritten test modules (the files pytest reads before
it would rewrite a module itself; a cached file whose source hash does not match is
ignored, so a stale one costs nothing but the rewrite). Test modules are pre-rewritten
only when xdist will start workers (a single process rewrites what it collects itself),
and only those whose cached copy is missing or stale, so a rerun pays ~20 ms, not ~0.7 s.
The work is split between the main process and one forked child, so both cores do it.

Runs in the main pytest process only (``tests/conftest.py``); xdist workers read the
results. Nothing here changes a test's outcome: a test file that does not compile is
skipped here and reported by pytest as usual (``tests/test_bytecode.py`` checks it).
"""

from __future__ import annotations

import compileall
import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

#: Folders of plain modules: what the tests' child processes import (CLI runs, the
#: action's scripts, the fake gh), and the tests' helper modules, which pytest does not
#: rewrite.
PLAIN_SOURCES = ("trackersync", "symbl_emulator", ".github/actions/trackersync", "tests")


def write_bytecode(config: pytest.Config) -> None:
    """Compile what child processes import and pre-rewrite the test modules.

    Args:
        config: the main process's pytest config (its rootdir, ``testpaths`` and
            ``python_files`` say which modules pytest will rewrite).

    Raises nothing: a file that cannot be compiled or written is left for the process
    that imports it, which reports it as it would have anyway.
    """
    root = config.rootpath
    tests = sorted(_rewritten_modules(root, config))
    rewritten = set(tests)
    sources: list[Path] = []
    for name in PLAIN_SOURCES:
        if (root / name).is_dir():
            sources.extend(p for p in sorted((root / name).rglob("*.py")) if p not in rewritten)
    if not _workers_will_start(config):
        tests = []  # pytest rewrites what it collects itself, in this one process
    try:
        child = os.fork()
    except (AttributeError, OSError):  # no os.fork (Windows), or no second process
        _compile(sources, tests, config)
        return
    if child == 0:  # the child takes every other file, and never returns into pytest
        try:
            _compile(sources[0::2], tests[0::2], config)
        finally:
            os._exit(0)
    _compile(sources[1::2], tests[1::2], config)
    os.waitpid(child, 0)


def _workers_will_start(config: pytest.Config) -> bool:
    """Whether xdist will start worker processes (``-n N`` with N > 0, xdist loaded).

    xdist turns ``-n auto`` into a number before ``pytest_configure``; without xdist
    (``-p no:xdist``) the option does not exist.
    """
    workers = getattr(config.option, "numprocesses", None)
    return isinstance(workers, int) and workers > 0 and config.getoption("dist", "no") != "no"


def _compile(sources: list[Path], tests: list[Path], config: pytest.Config) -> None:
    """Write plain bytecode for ``sources`` and rewritten bytecode for ``tests``."""
    for path in sources:
        compileall.compile_file(str(path), quiet=2)
    if config.getoption("assertmode") == "rewrite":
        _prerewrite(tests, config)


def _rewritten_modules(root: Path, config: pytest.Config) -> Iterable[Path]:
    """The files pytest rewrites on import: test modules by ``python_files``, conftests."""
    patterns = [str(pattern) for pattern in config.getini("python_files")] + ["conftest.py"]
    for folder in config.getini("testpaths") or ["."]:
        for path in (root / str(folder)).rglob("*.py"):
            if any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
                yield path


def _prerewrite(paths: Iterable[Path], config: pytest.Config) -> None:
    """Write pytest's rewritten-module cache for ``paths`` where it is missing or stale.

    Uses pytest's private helpers (the ones its import hook uses, so the files are
    exactly what a worker would write); on a pytest without them it does nothing.
    """
    try:
        from _pytest.assertion import rewrite
    except ImportError:  # pragma: no cover - pytest moved its internals
        return
    needed = ("_read_pyc", "_rewrite_test", "_write_pyc", "assertstate_key", "get_cache_dir",
              "PYC_TAIL")
    if not all(hasattr(rewrite, name) for name in needed):  # pragma: no cover
        return
    state = config.stash.get(rewrite.assertstate_key, None)
    if state is None:  # pragma: no cover - rewriting was not set up after all
        return
    for path in paths:
        cache = rewrite.get_cache_dir(path)
        pyc = cache / (path.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(path, pyc) is not None:
            continue  # still valid: what the worker would read anyway
        try:
            cache.mkdir(exist_ok=True)
            # The source's digest (its stat on older pytests) and the rewritten code.
            source_key, code = rewrite._rewrite_test(path, config)
        except (OSError, SyntaxError, ValueError):
            # Unwritable folder, unreadable file or a file that does not compile: left for
            # the worker, which reports it exactly as pytest always does.
            continue
        rewrite._write_pyc(state, code, source_key, pyc)
