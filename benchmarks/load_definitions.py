"""Benchmark: load and validate the largest account's tracker files (500 files x 50 phrases).

Writes 500 tracker files of 50 phrases each (the account of ``account.py``) into a
temporary project, then times :func:`trackersync.definitions.load_definitions`
in-process (best of ``--repeat`` runs, wall and CPU time, since the machine may be
shared; the first run, which also imports the C parser, is printed separately).
Budget: plan has 0.6 s in all; this part aims at 0.3 s.

Usage: ``python benchmarks/load_definitions.py [--files 500] [--phrases 50] [--repeat 5]``.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from account import generate, size_parser, write_project

from trackersync.config import Config
from trackersync.definitions import load_definitions


def main() -> None:
    """Parse arguments, write the project, time the loads, print the figures."""
    parser = size_parser(__doc__, "--files", repeat=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, generate(args.files, args.phrases))
        config = Config()
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = load_definitions(root, config)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"load_definitions {args.files} files x {args.phrases} phrases: "
              f"first {times[0]:.3f} s, best {min(times):.3f} s wall, "
              f"best {min(cpu):.3f} s CPU "
              f"({len(result.trackers)} trackers, {len(result.errors)} errors, "
              f"{len(result.warnings)} warnings)")


if __name__ == "__main__":
    main()
