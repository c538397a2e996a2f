"""Print the path of the ids_file that ``trackersync apply`` writes (run by record.sh when
run.sh did not find it in the same step; run.sh asks ``project.py step``, which prints the
same).

Usage: ``python3 ids_path.py [ENV]`` from the folder trackersync runs in.

Asks trackersync itself, so the answer follows ``ids_file:`` in trackersync.yaml and the
per-environment name (``trackers.ids.ENV.json``): the project root is found like the CLI
finds it, the config is loaded, and ``trackersync.config.state_path`` makes the path.
Prints an absolute path. Exits 1 (with trackersync's message on stderr) when the
config cannot be loaded; apply reports the same error itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trackersync.config import state_path
from trackersync.definitions.config_loader import find_project_root, load_config
from trackersync.errors import TrackersyncError


def main(argv: list[str]) -> int:
    """Print the ids_file path for the environment ``argv[1]`` (default account if empty)."""
    env = argv[1] if len(argv) > 1 and argv[1] else None
    root = find_project_root(Path.cwd())
    try:
        config = load_config(None, root)
    except TrackersyncError as exc:
        print(f"ids_path: {exc}", file=sys.stderr)
        return 1
    print(state_path(root.resolve(), config.state_file, env))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
