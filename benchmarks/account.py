"""The benchmark account: the largest Symbl allows (500 trackers x 50 phrases), deterministic.

Shared by the benchmarks of this folder (run them from any folder:
``python benchmarks/<name>.py``; Python puts this folder on ``sys.path``), with the
command-line options they all take.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

BODY_LIMIT = 1_048_576  # bytes: the API's request body limit
WORDS = (
    "account", "billing", "renewal", "contract", "discount", "pricing", "support", "ticket",
    "upgrade", "seats", "storage", "quota", "invoice", "refund", "shipment", "order",
    "delivery", "schedule", "meeting", "demo", "trial", "budget", "approval", "manager",
    "team", "project", "deadline", "feature", "request", "integration", "export", "import",
    "report", "dashboard", "login", "password", "security", "compliance", "policy", "coverage",
    "claim",
)


def size_parser(doc: str, count: str = "--trackers", repeat: int | None = 3,
                ) -> argparse.ArgumentParser:
    """An argument parser described by ``doc``'s first line, with the account's size.

    Options: ``count`` (``--trackers`` or ``--files``, default 500), ``--phrases``
    (default 50) and, unless ``repeat`` is None, ``--repeat`` (best of N; default
    ``repeat``). Callers add their own options before parsing.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(count, type=int, default=500)
    parser.add_argument("--phrases", type=int, default=50)
    if repeat is not None:
        parser.add_argument("--repeat", type=int, default=repeat)
    return parser


def generate(n_trackers: int, n_phrases: int, seed: int = 2022) -> list[dict[str, object]]:
    """Return ``n_trackers`` trackers of ``n_phrases`` distinct phrases, deterministic."""
    rng = random.Random(seed)
    trackers = []
    for i in range(n_trackers):
        phrases: list[str] = []
        seen: set[str] = set()
        while len(phrases) < n_phrases:
            phrase = f"topic {i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
            if phrase not in seen:
                seen.add(phrase)
                phrases.append(phrase)
        trackers.append({"name": f"Benchmark Topic {i:03d}", "vocabulary": phrases})
    return trackers


def bulk_post_floor(trackers: list[dict[str, object]]) -> int:
    """Fewest contiguous bulk POST bodies (JSON arrays) that each stay within 1 MB."""
    chunks, size = 0, 0
    for tracker in trackers:
        item = len(json.dumps(tracker, separators=(",", ":"), ensure_ascii=False).encode())
        if chunks and size + 1 + item + 1 <= BODY_LIMIT:
            size += 1 + item
        else:
            chunks, size = chunks + 1, 1 + item
    return chunks


def write_project(root: Path, trackers: list[dict[str, object]]) -> None:
    """Write one YAML file per tracker under ``root/trackers`` (phrases double-quoted)."""
    tracker_dir = root / "trackers"
    tracker_dir.mkdir(parents=True)
    for index, tracker in enumerate(trackers):
        lines = [f"name: {json.dumps(tracker['name'])}", "vocabulary:"]
        lines += [f"  - {json.dumps(p)}" for p in tracker["vocabulary"]]  # type: ignore[attr-defined]
        (tracker_dir / f"topic-{index:03d}.yaml").write_text("\n".join(lines) + "\n")
