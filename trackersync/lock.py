"""The apply lock: one apply at a time in one checkout.

``trackersync apply`` holds ``.trackersync/apply.lock`` (a :mod:`filelock` lock, an
OS-level ``flock`` on POSIX) from planning until the state record is written. A second
apply in the same checkout waits up to ``timeout`` seconds, saying who holds the lock,
then stops with a clear message. The operating system releases the lock when its
holder exits in any way (a crash, ``kill -9``), so a stale lock from a killed process is
never left behind: the next apply takes it at once. The holder's process id and start
time are written next to the lock (``apply.lock.owner``) only for those messages.

What a lock in one checkout cannot do is stop an apply from *another* checkout (another
machine, another CI job) on the same account; see ``docs/architecture.md``,
"Concurrency", for what that can still do and how the stale-plan check limits it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from trackersync.errors import ConfigError

#: Where the lock lives, under the project root.
LOCK_PATH = Path(".trackersync") / "apply.lock"
#: How long a second apply waits for the first, in seconds.
DEFAULT_WAIT = 60.0


class LockedError(ConfigError):
    """Another apply in this checkout held the lock for longer than the wait allowed."""


def _owner(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "another trackersync apply"
    return text or "another trackersync apply"


@contextmanager
def apply_lock(
    root: Path, *, timeout: float = DEFAULT_WAIT, notice: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the apply lock of the checkout at ``root`` for the ``with`` block.

    Args:
        root: the project root (the lock is ``root/.trackersync/apply.lock``).
        timeout: seconds to wait for another apply to finish (0: do not wait).
        notice: called once with a "waiting for ..." line when the lock is busy.

    Raises:
        LockedError: the lock stayed busy for ``timeout`` seconds; nothing was sent.
        ConfigError: the lock file cannot be created.
    """
    path = root / LOCK_PATH
    owner_path = path.with_name(path.name + ".owner")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # the folder holds local run state, never committed
            ignore.write_text("*\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path.parent}: cannot create the lock folder: {exc.strerror}") from exc
    from filelock import FileLock, Timeout  # only apply takes the lock: plan never pays for it

    lock = FileLock(str(path), is_singleton=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if notice is not None:
            notice(f"waiting up to {timeout:g} s for {_owner(owner_path)} to finish "
                   f"(lock {path})")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise LockedError(
                f"another apply is running in this checkout ({_owner(owner_path)}; lock "
                f"{path}); nothing was sent. Run apply again when it has finished"
            ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot take the apply lock: {exc.strerror}") from exc
    try:
        try:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            owner_path.write_text(f"trackersync apply, pid {os.getpid()}, since {stamp}\n",
                                  encoding="utf-8")
        except OSError:
            pass  # the owner note is only for messages
        yield
    finally:
        lock.release()


__all__ = ["DEFAULT_WAIT", "LOCK_PATH", "LockedError", "apply_lock"]
