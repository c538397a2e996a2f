"""Tracker definitions as code: load, render, validate and write tracker files.

Public interface::

    cfg = load_config(path, root)                      # ConfigError naming file:line:col
    ds = load_definitions(root, cfg, env=None, paths=None)
    ds = load_for_every_environment(root, cfg, paths=None)  # validate: every environment
    outputs = render_templates(root, cfg, env=None, paths=None)   # ``trackersync render``
    ds.trackers, ds.problems, ds.has_errors, ds.files, ds.raise_for_errors()
    text = dump_tracker_yaml(tracker, comments=())     # for ``trackersync import``

Modules: :mod:`.yamlnodes` (decode + C-parser composition + YAML 1.2 scalars),
:mod:`.templates` (jinja2 sandbox) and :mod:`.template_lines` (template positions),
:mod:`.schema` (pydantic file models, JSON Schema), :mod:`.shape` (the quick check of
a tracker's common, valid shape, before those models), :mod:`.rules` (the rule table
and profiles), :mod:`.checks` (the value rules), :mod:`.accepted` (trackers accepted
as imported), :mod:`.files` (one file to trackers), :mod:`.labels` (a file's name
in problems), :mod:`.loader`,
:mod:`.config_loader` and :mod:`.config_schema` (``trackersync.yaml`` and its pydantic
models), :mod:`.writer` (tracker files written), :mod:`.formatter` (``trackersync
fmt``), :mod:`.modeline` (the editor schema's place and each file's modeline).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trackersync.definitions.config_loader import load_config
    from trackersync.definitions.loader import (
        DefinitionSet,
        load_definitions,
        load_for_every_environment,
        render_templates,
    )
    from trackersync.definitions.rules import PROFILES, RULES, Rule
    from trackersync.definitions.writer import dump_tracker_yaml

#: Where each public name lives. Each module is imported on first use of one of its names
#: (PEP 562), so ``from trackersync.definitions.config_loader import load_config`` (the
#: GitHub action's scripts) does not also load the tracker-file loader and the writer.
_HOMES = {
    "load_config": "config_loader",
    "DefinitionSet": "loader", "load_definitions": "loader",
    "load_for_every_environment": "loader", "render_templates": "loader",
    "PROFILES": "rules", "RULES": "rules", "Rule": "rules",
    "dump_tracker_yaml": "writer",
}


def __getattr__(name: str) -> Any:
    """The public ``name``, imported from its module the first time it is asked for.

    Raises:
        AttributeError: ``name`` is not part of this package's interface.
    """
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PROFILES",
    "RULES",
    "DefinitionSet",
    "Rule",
    "dump_tracker_yaml",
    "load_config",
    "load_definitions",
    "load_for_every_environment",
    "render_templates",
]
