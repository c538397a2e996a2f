"""Old ``tmp_path`` folders removed while the suite runs, not after it.

pytest keeps the base temporary folders of the last three sessions
(``$TMPDIR/pytest-of-USER/pytest-N``) and removes older ones when a session ends, in the
main process, after the last test. For this suite that is about 12,000 files and folders
(git repositories of the workflow tests, generated tracker trees): ~1.1 s, nearly all of
it waiting on the file system, added to every run's wall time while both cores idle.

:func:`start_early_cleanup` runs the same cleanup, with the same arguments, in a
background thread of the main process as soon as the session starts; the main process
has little to do while xdist workers run the tests. :func:`finish_early_cleanup` waits for
it before pytest's own cleanup runs, which then finds nothing left to remove.

The folders removed are exactly those pytest removes: older than the newest
``tmp_path_retention_count`` (3 by default) and not locked by a session still running
(its lock is younger than pytest's lock timeout). This uses pytest's own cleanup
function, which is not public API: when it is missing (another pytest), nothing happens
here and pytest removes the folders at the end as before. Never with ``--basetemp``
(pytest then removes that folder itself, at start), nor when nothing is to be kept
(``tmp_path_retention_policy = "none"`` or a count of 0: the running session's own
folder, unlocked then, would count as old).
"""

from __future__ import annotations

import threading

import pytest

_THREAD = pytest.StashKey[threading.Thread]()


def start_early_cleanup(config: pytest.Config) -> None:
    """Start removing the old base temporary folders in a daemon thread (main process)."""
    try:
        from _pytest.pathlib import cleanup_numbered_dir
        from _pytest.tmpdir import LOCK_TIMEOUT

        factory = config._tmp_path_factory  # type: ignore[attr-defined]
        if factory._given_basetemp is not None:
            return
        keep = 0 if factory._retention_policy == "none" else factory._retention_count
        if keep == 0:  # the running session's own folder is removable then, at its end
            return
        basetemp = factory.getbasetemp()  # the session's own folder, created now
        lock_dead_before = basetemp.stat().st_mtime - LOCK_TIMEOUT
    except (ImportError, AttributeError, OSError):
        return
    thread = threading.Thread(
        target=cleanup_numbered_dir, name="old tmp_path folders", daemon=True,
        kwargs={"root": basetemp.parent, "prefix": "pytest-", "keep": keep,
                "consider_lock_dead_if_created_before": lock_dead_before},
    )
    thread.start()
    config.stash[_THREAD] = thread


def finish_early_cleanup(config: pytest.Config) -> None:
    """Wait for the thread :func:`start_early_cleanup` started, if any."""
    thread = config.stash.get(_THREAD, None)
    if thread is not None:
        thread.join()
