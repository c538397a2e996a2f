"""Benchmark: what ``trackersync import`` spends writing 500 tracker files (x 50 phrases).

In-process, side by side, best of ``--repeat``:

1. **rendering**: the tracker-file writer (``dump_tracker_yaml``, written directly)
   against ruamel.yaml's round-trip dumper (``dump_tracker_yaml_ruamel``) on the same
   500 trackers; both write the same bytes, and the script checks it;
2. **writing**: 500 files one at a time (``atomic_write``: each flushed to disk, then
   renamed) against ``atomic_write_many`` (the same, with each batch flushed to disk at
   the same time), each into an empty folder.

Wall and CPU time are printed, since the machine may be shared. The whole import, as a
command, is part 4 of ``speed.py``. Usage: ``python benchmarks/import_write.py
[--trackers 500] [--phrases 50] [--repeat 3]``. It is a benchmark, not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from account import generate, size_parser

from trackersync.definitions.writer import dump_tracker_yaml, dump_tracker_yaml_ruamel
from trackersync.model import Tracker
from trackersync.textfile import atomic_write, atomic_write_many


def best(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best wall and CPU seconds of ``repeat`` runs of ``work``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    """Parse arguments, time rendering and writing both ways, print the figures."""
    parser = size_parser(__doc__)
    args = parser.parse_args()
    trackers = [Tracker(name=str(t["name"]), vocabulary=tuple(t["vocabulary"]))  # type: ignore[arg-type]
                for t in generate(args.trackers, args.phrases)]
    texts = [dump_tracker_yaml(t) for t in trackers]
    same = texts == [dump_tracker_yaml_ruamel(t) for t in trackers]
    print(f"== rendering {len(trackers)} trackers (same bytes: {same})")
    for label, dump in (("direct writer", dump_tracker_yaml),
                        ("ruamel.yaml round-trip dumper", dump_tracker_yaml_ruamel)):
        def render(dump: Callable[..., str] = dump) -> None:
            for tracker in trackers:
                dump(tracker)

        wall, cpu = best(args.repeat, render)
        print(f"{label:<32} {wall:.3f} s wall, {cpu:.3f} s CPU")

    print(f"== writing {len(texts)} files (each whole or not at all)")

    def one_at_a_time(folder: Path) -> None:
        for index, text in enumerate(texts):
            atomic_write(folder / f"t{index:03d}.yaml", text)

    def batched(folder: Path) -> None:
        list(atomic_write_many([(folder / f"t{i:03d}.yaml", t) for i, t in enumerate(texts)]))

    for label, write in (("atomic_write, one at a time", one_at_a_time),
                         ("atomic_write_many, batched", batched)):
        def run(write: Callable[[Path], None] = write) -> None:
            with tempfile.TemporaryDirectory() as folder:
                write(Path(folder))

        wall, cpu = best(args.repeat, run)
        print(f"{label:<32} {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
