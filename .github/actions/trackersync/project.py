"""Answer questions about the project's trackersync.yaml for run.sh.

Usage, from the folder trackersync runs in:

* ``python3 project.py prefix [ENV]``: the credentials prefix of ENV (``SYMBL_`` for the
  default account), where run.sh exports the app-id / app-secret / access-token inputs.
* ``python3 project.py step [ENV]``: that prefix, then on a second line the absolute path
  of ENV's ids_file (what ``ids_path.py`` prints): run.sh asks both with one Python start.
* ``python3 project.py environments``: one JSON line for a job matrix, one entry per
  environment, ``{"name", "label", "credentials_prefix", "ids_file"}``; without
  environments, one entry with an empty name and the label ``default``. ``ids_file`` is
  relative to the project root.

The config is read by trackersync itself (project root found like the CLI finds it).
Exits 1 with trackersync's message on stderr when the config cannot be loaded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trackersync.config import state_path
from trackersync.definitions.config_loader import find_project_root, load_config
from trackersync.errors import TrackersyncError


def main(argv: list[str]) -> int:
    """Print the answer to ``argv[1]`` (``prefix``, ``step`` or ``environments``)."""
    root = find_project_root(Path.cwd()).resolve()
    try:
        config = load_config(None, root)
    except TrackersyncError as exc:
        print(f"project: {exc}", file=sys.stderr)
        return 1
    if argv[1] in ("prefix", "step"):
        env = argv[2] if len(argv) > 2 and argv[2] else None
        if env is not None and env not in config.environments:
            print(f"project: no environment {env!r} in trackersync.yaml", file=sys.stderr)
            return 1
        print(config.environments[env].credentials_prefix if env else "SYMBL_")
        if argv[1] == "step":
            print(state_path(root, config.state_file, env))
        return 0
    entries = []
    for name in sorted(config.environments) or [""]:
        prefix = config.environments[name].credentials_prefix if name else "SYMBL_"
        path = state_path(root, config.state_file, name or None)
        try:
            shown = str(path.relative_to(root))
        except ValueError:
            shown = str(path)
        entries.append({"name": name, "label": name or "default",
                        "credentials_prefix": prefix, "ids_file": shown})
    print(json.dumps(entries, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
