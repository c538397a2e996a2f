"""``python -m trackersync`` runs the same program as the ``trackersync`` command."""

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    try:
        from trackersync.entry import run
    except KeyboardInterrupt:  # Ctrl-C while this very first import runs
        import sys

        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    run()
