"""Benchmark: how fast, and in how much memory, each parsing/rendering limit fires.

Writes one hostile tracker file per case (30,000 nested ``[``, a "billion laughs" alias
bomb, a 9 MB file, ``{{ 9**(9**9) }}``, a 10^10-step template loop, a template that
doubles a string 40 times, ...) into a temporary project, runs ``python -m trackersync
validate`` on it in a fresh process and prints the wall time, the peak RSS (the process
and its template child) and the first line of output. The limits are documented in the
README ("Limits"); the target is an error at the file within 2 s and under 200 MB.

Usage: ``python benchmarks/limits.py``. It is a benchmark, not a test: nothing here
asserts; tests/hostile/test_limits.py checks that every limit fires.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALIASES = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True))

CASES = {
    "nesting 30,000 [": ("deep.yaml", "name: X\nvocabulary: " + "[" * 30_000 + "]" * 30_000),
    "nesting 30,000 '- '": ("deep.yaml", "name: X\nvocabulary:\n" + "- " * 30_000 + "x\n"),
    "billion laughs": ("laughs.yaml", ALIASES + "name: X\nvocabulary: *i\n"),
    "1,500 aliases": ("many.yaml", "a: &a x\nname: X\nvocabulary: [" + ", ".join(["*a"] * 1500)
                      + "]\n"),
    "9 MB file": ("big.yaml", "name: X\nvocabulary:\n" + "  - word\n" * 1_200_000),
    "{{ 9**(9**9) }}": ("p.yaml.j2", "name: X\nvocabulary:\n  - {{ 9**(9**9) }}\n"),
    "range(10^5) x range(10^5)": ("r.yaml.j2", "{% for i in range(100000) %}{% for j in "
                                  "range(100000) %}{% endfor %}{% endfor %}name: X\n"),
    "lipsum(10**6)": ("l.yaml.j2", "name: X\nvocabulary:\n  - {{ lipsum(10**6) }}\n"),
    "10 MB of output": ("o.yaml.j2", "{% for i in range(100000) %}{{ 'x' * 100 }}\n"
                        "{% endfor %}"),
    "string doubled 40 times": ("m.yaml.j2", "{% set s = namespace(x='a') %}{% for i in "
                                "range(40) %}{% set s.x = s.x ~ s.x %}{% endfor %}x: y\n"),
    "'x' * 10**10": ("s.yaml.j2", "name: X\nvocabulary:\n  - {{ 'x' * 10**10 }}\n"),
}


def run(name: str, content: str) -> tuple[float, int, str]:
    """Validate a project holding one file; return (seconds, peak RSS in MB, first line)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "trackers").mkdir()
        (root / "trackers" / name).write_text(content)
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "trackersync", "validate"], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        with proc.stdout:
            output = proc.stdout.read()
        _, _, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss // 1024, (output.splitlines() or [""])[0]


def main() -> None:
    """Run every case and print one line of figures each."""
    baseline, rss, _ = run("ok.yaml", "name: X\nvocabulary: [a b, c d, e f, g h, i j]\n")
    print(f"{'a valid file (start-up floor)':32} {baseline:5.2f} s {rss:4d} MB")
    for label, (name, content) in CASES.items():
        seconds, rss, first = run(name, content)
        print(f"{label:32} {seconds:5.2f} s {rss:4d} MB  {first[:90]}")


if __name__ == "__main__":
    main()
