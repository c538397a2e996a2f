"""``trackersync import``: adopt an existing Symbl account into tracker files.

- :mod:`.slug`: file names (slugs, collisions, no path traversal);
- :mod:`.importer`: the decisions (:func:`plan_import`) and the writing (:func:`write_import`);
- :mod:`.report`: what the command prints.
"""

from __future__ import annotations

from trackersync.importer.importer import (
    ImportEntry,
    ImportResult,
    plan_import,
    write_import,
)
from trackersync.importer.slug import assign_file_names, safe_target, slugify

__all__ = [
    "ImportEntry",
    "ImportResult",
    "assign_file_names",
    "plan_import",
    "safe_target",
    "slugify",
    "write_import",
]
