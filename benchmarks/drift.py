"""Benchmark: telling pending, drift and conflict apart (500 trackers x 50 phrases).

Builds a state record of 500 applied trackers, then times
:func:`trackersync.pipeline.build_plan` in-process (best of ``--repeat`` runs) for an
account that matches the record (no changes), one where every tracker drifted (the
deepdiff report is built for each), and one where every tracker is in conflict.

Usage: ``python benchmarks/drift.py [--trackers 500] [--phrases 50] [--repeat 3]``.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import time

from account import size_parser

from trackersync.config import Config
from trackersync.model import DesiredTracker, RemoteTracker
from trackersync.pipeline import PlanOptions, build_plan
from trackersync.state import record_after_apply


def main() -> None:
    """Parse arguments, build the three accounts, time the plans, print the figures."""
    parser = size_parser(__doc__)
    args = parser.parse_args()
    applied = [RemoteTracker(id=str(5_000_000_000_000_000 + i), name=f"Topic {i:04d}",
                             vocabulary=tuple(f"phrase {i} {j}" for j in range(args.phrases)))
               for i in range(args.trackers)]
    record = record_after_apply(applied, {t.name: t.id for t in applied}, (), None)
    files = [DesiredTracker(name=t.name, vocabulary=t.vocabulary) for t in applied]
    drifted = [t.model_copy(update={"vocabulary": (*t.vocabulary[1:], "edited in the ui")})
               for t in applied]
    edited = [t.model_copy(update={"vocabulary": (*t.vocabulary[1:], "edited in a file")})
              for t in files]
    cases = {"no changes": (files, applied), "all drift": (files, drifted),
             "all conflict": (edited, drifted)}
    for label, (desired, listing) in cases.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            plan = build_plan(desired, listing, Config(), PlanOptions(), record)
            best = min(best, time.perf_counter() - start)
        s = plan.summary
        print(f"{label:<13} {args.trackers}x{args.phrases}: best {best:.3f} s "
              f"(pending {s.pending}, drift {s.drift}, conflict {s.conflict})")


if __name__ == "__main__":
    main()
