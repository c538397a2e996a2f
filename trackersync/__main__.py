"""``python -m trackersync`` runs the same program as the ``trackersync`` command."""

from trackersync.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
