"""Fuzz the emulator with schemathesis: every operation of ``/openapi.json``, every check.

Starts an emulator in this process (lenient rules, which the description's schemas state
exactly; loopback, a free port), then runs ``st run`` against it with the fixed seed and
bounded examples of ``schemathesis.toml`` and the hooks of ``fuzz_hooks.py``, in a
temporary working directory so nothing is left in the repository. Exits with
schemathesis's exit code (0: no 5xx, every response conforms) and prints the time taken.

    .venv/bin/python tests/emulator/fuzz/run_fuzz.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from symbl_emulator import start_emulator

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run the fuzzer once; returns schemathesis's exit code."""
    started = time.monotonic()
    with start_emulator(rules="lenient") as emulator, tempfile.TemporaryDirectory() as work:
        env = {
            **os.environ,
            "EMULATOR_URL": emulator.url,
            "EMULATOR_APP_ID": emulator.app_id,
            "EMULATOR_APP_SECRET": emulator.app_secret,
            "SCHEMATHESIS_HOOKS": "fuzz_hooks",
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
            "NO_COLOR": "1",
        }
        command = [
            sys.executable, "-m", "schemathesis.cli",
            "--config-file", str(HERE / "schemathesis.toml"),
            "run", f"{emulator.url}/openapi.json", "--checks", "all",
        ]
        code = subprocess.run(command, env=env, cwd=work, check=False).returncode
    print(f"fuzz: schemathesis exit code {code} in {time.monotonic() - started:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
