"""Files written whole or not at all: ``atomic_write`` and the batched ``atomic_write_many``."""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

import pytest

from trackersync.textfile import BATCH, atomic_write, atomic_write_many

TEXTS = ["name: A\nvocabulary:\n  - é 🎉\n", "carriage\rreturn\r\nkept\n", "", "x" * 100_000]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_many_writes_the_bytes_and_modes_one_at_a_time_writes(tmp_path: Path) -> None:
    one, many = tmp_path / "one", tmp_path / "many"
    one.mkdir()
    many.mkdir()
    for folder in (one, many):
        (folder / "f1.yaml").write_text("old\n")
        (folder / "f1.yaml").chmod(0o640)  # a replaced file keeps its mode
    for index, text in enumerate(TEXTS):
        atomic_write(one / f"f{index}.yaml", text)
    done = list(atomic_write_many([(many / f"f{i}.yaml", t) for i, t in enumerate(TEXTS)]))
    assert done == [many / f"f{i}.yaml" for i in range(len(TEXTS))]
    for index in range(len(TEXTS)):
        name = f"f{index}.yaml"
        assert (many / name).read_bytes() == (one / name).read_bytes()
        assert (many / name).stat().st_mode == (one / name).stat().st_mode
    assert (many / "f1.yaml").stat().st_mode & 0o777 == 0o640
    assert leftovers(many) == []


def test_a_failure_keeps_the_files_written_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    count = BATCH + 10
    blocked = BATCH + 3  # in the second batch: the first batch is in place already
    (tmp_path / f"f{blocked}.yaml").mkdir()  # a folder cannot be replaced by a file
    (tmp_path / f"f{count - 1}.yaml").write_text("untouched\n")
    done: list[Path] = []
    with pytest.raises(OSError):
        for path in atomic_write_many([(tmp_path / f"f{i}.yaml", f"{i}\n") for i in range(count)]):
            done.append(path)
    assert done == [tmp_path / f"f{i}.yaml" for i in range(blocked)]
    assert all((tmp_path / f"f{i}.yaml").read_text() == f"{i}\n" for i in range(blocked))
    assert (tmp_path / f"f{blocked}.yaml").is_dir()
    assert not any((tmp_path / f"f{i}.yaml").exists() for i in range(blocked + 1, count - 1))
    assert (tmp_path / f"f{count - 1}.yaml").read_text() == "untouched\n"
    assert leftovers(tmp_path) == []


def test_an_interrupt_between_files_leaves_whole_files_only(tmp_path: Path) -> None:
    """Ctrl-C (or SIGTERM, raised the same way) while the caller handles a written file."""
    files = [(tmp_path / f"f{i}.yaml", f"{i}\n" * 1000) for i in range(10)]
    with pytest.raises(KeyboardInterrupt), closing(atomic_write_many(files)) as written:
        for index, _ in enumerate(written):
            if index == 3:
                raise KeyboardInterrupt
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"f{i}.yaml" for i in range(4)]  # no temporary file left either
    assert all((tmp_path / f"f{i}.yaml").read_text() == f"{i}\n" * 1000 for i in range(4))


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        list(atomic_write_many([(tmp_path / "new.yaml", "x\n")]))
    finally:
        os.umask(umask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o640


def test_an_interrupt_while_flushing_leaves_no_file_of_that_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signal (raised as KeyboardInterrupt) while a batch is flushed to disk."""
    flushed = []

    def fsync(fd: int) -> None:
        flushed.append(fd)
        if len(flushed) == BATCH + 5:  # in the second batch
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    files = [(tmp_path / f"f{i:03d}.yaml", f"{i}\n") for i in range(2 * BATCH)]
    with pytest.raises(KeyboardInterrupt):
        list(atomic_write_many(files))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{i:03d}.yaml" for i in range(BATCH)]
