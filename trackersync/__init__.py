"""trackersync: Symbl.ai Trackers as code.

Tracker YAML lives in git, is validated, planned against the Symbl Management API
with one list GET, applied (bulk create under the 1 MB body limit, PUT for updates
and renames, delete only when pruning), and the tracker IDs are emitted in the
``{"trackers":[{"id": ...}]}`` form the Async API takes.
"""

from trackersync.errors import TrackersyncError
from trackersync.model import DesiredTracker, Problem, RemoteTracker, SourceRef, Tracker

__version__ = "0.1.0"

__all__ = [
    "DesiredTracker",
    "Problem",
    "RemoteTracker",
    "SourceRef",
    "Tracker",
    "TrackersyncError",
    "__version__",
]
