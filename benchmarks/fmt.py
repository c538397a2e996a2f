"""Benchmark: ``trackersync fmt`` on the largest account's files (500 files x 50 phrases).

Writes the 500 tracker files of ``account.py`` (phrases double-quoted, no modeline, so
every file needs rewriting), then times, in-process: the first ``fmt`` (rewrites all),
and ``fmt --check`` on the result (changes nothing; what pre-commit and CI run). Wall
and CPU time are printed, since the machine may be shared.

Usage: ``python benchmarks/fmt.py [--files 500] [--phrases 50]``.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from account import generate, size_parser, write_project

from trackersync.definitions.formatter import format_files
from trackersync.definitions.loader import tracker_files


def timed(root: Path, check: bool) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = format_files(tracker_files(root / "trackers"), root, check=check)
    return time.perf_counter() - wall, time.process_time() - cpu, len(report.changed)


def main() -> None:
    """Parse arguments, write the project, time fmt and fmt --check, print the figures."""
    parser = size_parser(__doc__, "--files", repeat=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, generate(args.files, args.phrases))
        for label, check in (("fmt (rewrites every file)", False),
                             ("fmt --check (already canonical)", True)):
            wall, cpu, changed = timed(root, check)
            print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {changed} files changed "
                  f"({args.files} files x {args.phrases} phrases)")


if __name__ == "__main__":
    main()
