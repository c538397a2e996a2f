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
ignored, so a stale one costs nothing but the rewrite). The work is split between the
main process and one forked child, so both cores do it.
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
    try:
        child = os.fork()
    except OSError:  # no second process to be had: do it all here
        _compile(sources, tests, config)
        return
    if child == 0:  # the child takes every other file, and never returns into pytest
        try:
            _compile(sources[0::2], tests[0::2], config)
        finally:
            os._exit(0)
    _compile(sources[1::2], tests[1::2], config)
    os.waitpid(child, 0)


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
    """Write pytest's rewritten-module cache for ``paths`` (skipped on another pytest)."""
    try:
        from _pytest.assertion import rewrite
    except ImportError:  # pragma: no cover - pytest moved its internals
        return
    needed = ("_rewrite_test", "_write_pyc", "get_cache_dir", "PYC_TAIL")
    if not all(hasattr(rewrite, name) for name in needed):  # pragma: no cover
        return
    state = config.stash[rewrite.assertstate_key]
    for path in paths:
        cache = rewrite.get_cache_dir(path)
        try:
            cache.mkdir(exist_ok=True)
            source_hash, code = rewrite._rewrite_test(path, config)
        except (OSError, SyntaxError):
            continue
        rewrite._write_pyc(state, code, source_hash, cache / (path.name[:-3] + rewrite.PYC_TAIL))
