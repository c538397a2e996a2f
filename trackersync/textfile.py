"""Reading and writing the files trackersync itself keeps (state record, saved plans).

Two jobs, shared by :mod:`trackersync.state` and :mod:`trackersync.planfile`:

* :func:`read_state_text` reads such a file as text and names every way it can be
  broken (not UTF-8, a byte-order mark, git conflict markers, empty) in one error
  about that file, never a traceback;
* :func:`atomic_write` replaces a file whole: the text goes to a temporary file with a
  unique name in the same folder, which is then renamed over the target, so a reader
  (or a second apply in the same checkout) never sees half a file, and two writers
  never collide on one temporary name.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Generator, Sequence
from pathlib import Path

from trackersync.errors import TrackersyncError

#: A line git writes into a file when a merge or rebase could not combine two versions.
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: .*)?$", re.MULTILINE)


def read_state_text(
    path: Path, *, what: str, advice: str, error: type[TrackersyncError]
) -> str:
    """Return the text of one of trackersync's own files, or raise one clear error.

    Args:
        path: the file.
        what: what to call it in messages (``"state record"``, ``"plan file"``).
        advice: what the user should do, appended to every message.
        error: the exception class to raise.

    Raises:
        FileNotFoundError: the file does not exist (callers decide what that means).
        error: the file cannot be read, is not UTF-8, starts with a BOM, holds git
            conflict markers, or is empty.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except IsADirectoryError as exc:
        # A setting that names a folder: the file itself is not damaged, so restoring it
        # is not the advice.
        raise error(f"{path}: is a folder, not a {what} file; make the setting that names "
                    f"it (trackersync.yaml) point at a file") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read the {what}: {exc.strerror or exc}; {advice}") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        raise error(f"{path}: the {what} starts with a byte-order mark (BOM), which "
                    f"trackersync never writes: an editor changed it; {advice}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: the {what} is not UTF-8 text (byte {exc.start}); "
                    f"{advice}") from exc
    marker = CONFLICT_MARKER.search(text)
    if marker is not None:
        line = text.count("\n", 0, marker.start()) + 1
        raise error(f"{path}:{line}: the {what} holds git conflict markers "
                    f"({marker.group(1)}): a merge left two versions in it; {advice}")
    if not text.strip():
        raise error(f"{path}: the {what} is empty (cut short?); {advice}")
    return text


def file_mode(path: Path) -> int:
    """The permission bits a rewrite of ``path`` gets: those it has, or a new file's.

    A temporary file is created 0600; the files trackersync writes (tracker files, the
    state record, saved plans) are ordinary files of the repository, so a new one gets
    the mode ``open()`` would give it (``0o666 & ~umask``, usually 0644) and a replaced
    one keeps its own.
    """
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0o022)  # the only portable way to read it: set, then restore
        os.umask(umask)
        return 0o666 & ~umask


def write_target(path: Path) -> tuple[Path, bool]:
    """Where a write to ``path`` goes: ``(file to replace, write into it directly)``.

    A symbolic link is followed, so the file it points at is replaced and the link
    stays a link (a state record or tracker file shared through a link keeps being
    shared). A path that names something other than a regular file (``/dev/stdout``,
    a pipe, a device) is written into as it is, never renamed over: renaming would
    replace the device or the link itself.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():  # a link to a file not there yet: create that file
            return Path(os.path.realpath(path)), False
        return path, False
    if not stat.S_ISREG(info.st_mode):
        return path, True
    if path.is_symlink():
        return Path(os.path.realpath(path)), False
    return path, False


def _create_temporary(path: Path, mode: int, created: list[str]) -> int:
    """Create a temporary file next to ``path`` with ``mode``; return its open descriptor.

    Its name (``.NAME.<random>.tmp``, unique: ``O_EXCL`` and a fresh name on a clash) is
    appended to ``created`` *before* the file exists, so a signal arriving at any moment
    (while the file is being created, or just after) never leaves a temporary file the
    caller does not know about and would not remove.

    Raises:
        OSError: the folder cannot be written.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
        created.append(tmp)
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:  # another writer's file: never remove it
            created.pop()
            continue
        os.fchmod(fd, mode)
        return fd
    raise FileExistsError(f"no free temporary file name next to {path}")


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one rename.

    The temporary file is created next to ``path`` with a unique name
    (:func:`_create_temporary`), given :func:`file_mode`, flushed to disk, then renamed
    over ``path``; on any failure it is removed and the old file is left as it was.
    A symbolic link is followed, and a path that is not a regular file (``/dev/stdout``,
    a pipe) is written into directly (:func:`write_target`).

    Raises:
        OSError: the folder or the file cannot be written.
    """
    path, direct = write_target(path)
    if direct:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    created: list[str] = []
    try:
        fd = _create_temporary(path, mode, created)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(created[-1], path)
    except BaseException:
        for tmp in created:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


#: Files written (and flushed to disk together) per batch by :func:`atomic_write_many`:
#: bounds the open files and the temporary files a killed run can leave behind.
BATCH = 64
#: Threads flushing one batch to disk: the file system commits flushes that wait at the
#: same time together, so a batch costs about one flush, not one per file.
FLUSHERS = 16


def atomic_write_many(files: Sequence[tuple[Path, str]]) -> Generator[Path, None, None]:
    """Replace each ``path`` with its ``text``, as :func:`atomic_write` does, in batches.

    Each file is written whole or not at all, exactly as :func:`atomic_write` writes it
    (a temporary file next to it with :func:`file_mode`, flushed to disk, renamed over
    it); the difference is only speed: the temporary files of a batch of
    :data:`BATCH` are flushed to disk at the same time, by :data:`FLUSHERS` threads,
    before they are renamed in order. Yields each path once its file is in place, so a
    caller can log it and knows, on failure, which files were written.

    Args:
        files: ``(path, text)`` pairs, written in this order (UTF-8, ``\\n`` line ends).

    Raises:
        OSError: a folder or a file cannot be written; the files yielded so far are in
            place, the others are untouched and no temporary file is left.
    """
    from concurrent.futures import ThreadPoolExecutor

    folders: set[Path] = set()
    with ThreadPoolExecutor(max_workers=FLUSHERS) as flushers:
        for start in range(0, len(files), BATCH):
            batch = files[start:start + BATCH]
            # (open fd, temporary file, file replaced, path as given: a link stays a link)
            pending: list[tuple[int, str, Path, Path]] = []
            try:
                for link, text in batch:
                    path = write_target(link)[0]  # a link stays a link
                    if path.parent not in folders:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        folders.add(path.parent)
                    names: list[str] = []
                    try:
                        fd = _create_temporary(path, file_mode(path), names)
                    finally:  # its name is cleaned up even when the signal came first
                        pending.extend((-1, tmp, path, link) for tmp in names)
                    pending[-1] = (fd, names[-1], path, link)
                    view = memoryview(text.encode("utf-8"))
                    while view:
                        view = view[os.write(fd, view):]
                list(flushers.map(os.fsync, [fd for fd, _, _, _ in pending]))
                for fd, _, _, _ in pending:
                    os.close(fd)
                pending = [(-1, tmp, path, link) for _, tmp, path, link in pending]
                while pending:
                    _, tmp, path, link = pending[0]
                    os.replace(tmp, path)
                    pending.pop(0)
                    yield link
            finally:
                for fd, tmp, _, _ in pending:
                    if fd >= 0:
                        with contextlib.suppress(OSError):
                            os.close(fd)
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)


__all__ = ["CONFLICT_MARKER", "atomic_write", "atomic_write_many", "file_mode",
           "read_state_text"]
