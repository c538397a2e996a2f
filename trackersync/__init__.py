"""trackersync: Symbl.ai Trackers as code.

Tracker YAML lives in git, is validated, planned against the Symbl Management API
with one list GET, applied (bulk create under the 1 MB body limit, PUT for updates
and renames, delete only when pruning), and the tracker IDs are emitted in the
``{"trackers":[{"id": ...}]}`` form the Async API takes.
"""

__version__ = "0.1.0"

#: Public names, imported on first use so that starting the program imports nothing
#: heavy before its signal handlers are installed (see :mod:`trackersync.entry`).
_LAZY = {"TrackersyncError": "trackersync.errors", "DesiredTracker": "trackersync.model",
         "Problem": "trackersync.model", "RemoteTracker": "trackersync.model",
         "SourceRef": "trackersync.model", "Tracker": "trackersync.model"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'trackersync' has no attribute {name!r}")


__all__ = [
    "DesiredTracker",
    "Problem",
    "RemoteTracker",
    "SourceRef",
    "Tracker",
    "TrackersyncError",
    "__version__",
]
