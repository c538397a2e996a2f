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
import tempfile
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

    ``mkstemp`` creates its file 0600; the files trackersync writes (tracker files, the
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


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one rename.

    The temporary file is created next to ``path`` with a unique name
    (:func:`tempfile.mkstemp`), given :func:`file_mode`, flushed to disk, then renamed
    over ``path``; on any failure it is removed and the old file is left as it was.

    Raises:
        OSError: the folder or the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
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
            pending: list[tuple[int, str, Path]] = []  # (open fd, temporary file, target)
            try:
                for path, text in batch:
                    if path.parent not in folders:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        folders.add(path.parent)
                    mode = file_mode(path)
                    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                               dir=path.parent)
                    pending.append((fd, tmp, path))
                    os.fchmod(fd, mode)
                    view = memoryview(text.encode("utf-8"))
                    while view:
                        view = view[os.write(fd, view):]
                list(flushers.map(os.fsync, [fd for fd, _, _ in pending]))
                for fd, _, _ in pending:
                    os.close(fd)
                pending = [(-1, tmp, path) for _, tmp, path in pending]
                while pending:
                    _, tmp, path = pending[0]
                    os.replace(tmp, path)
                    pending.pop(0)
                    yield path
            finally:
                for fd, tmp, _ in pending:
                    if fd >= 0:
                        with contextlib.suppress(OSError):
                            os.close(fd)
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)


__all__ = ["CONFLICT_MARKER", "atomic_write", "atomic_write_many", "file_mode",
           "read_state_text"]
