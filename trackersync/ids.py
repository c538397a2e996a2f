"""Tracker IDs in the forms other tools take: the output of ``trackersync ids``.

(The IDs this repository owns are kept in the state record, :mod:`trackersync.state`,
whose ``trackers`` key is the same Async API fragment.)

Output formats of ``trackersync ids`` (:func:`format_ids`):
``async`` ``{"trackers":[{"id":"…"}]}``, ``map`` ``{"<name>":"<id>"}``,
``github`` ``tracker-ids=<async json>`` appended to ``$GITHUB_OUTPUT``,
``env`` ``TRACKER_ID_<SLUG>=<id>`` lines. ``apply --tracker-ids-out FILE`` writes the
``async`` form to FILE (:func:`write_fragment`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from trackersync.errors import ConfigError
from trackersync.textfold import fold_to_ascii

FORMATS = ("async", "map", "github", "env")


def slug(name: str) -> str:
    """Return ``name`` as an env-variable suffix: ``Promotion Mention`` -> ``PROMOTION_MENTION``.

    Letters of every script are transliterated (:func:`~trackersync.textfold.fold_to_ascii`:
    ``Así`` -> ``ASI``, ``Ελληνικά 2`` -> ``ELLINIKA_2``); a name with no letter or digit
    at all (``😀``) becomes ``X`` plus the hex of its UTF-8 bytes, so it never collapses
    into a shared placeholder.
    """
    text = re.sub(r"[^A-Za-z0-9]+", "_", fold_to_ascii(name)).strip("_").upper()
    return text or "X" + name.encode("utf-8").hex().upper()


def env_variables(names: Mapping[str, str]) -> dict[str, str]:
    """``TRACKER_ID_<SLUG>`` -> id for ``ids --format env``, never losing an ID.

    Names whose slugs collide (``Deal-Won`` and ``Deal Won`` both give ``DEAL_WON``)
    each get their tracker ID appended (``TRACKER_ID_DEAL_WON_5000000000000101``): the
    choice depends only on the names and IDs, so it is the same on every run, and no
    name keeps the bare variable that could silently point at the other tracker.
    :func:`env_collisions` names them for a warning.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(names):
        groups.setdefault(slug(name), []).append(name)
    result: dict[str, str] = {}
    for key, members in sorted(groups.items()):
        for name in members:
            suffix = f"_{names[name]}" if len(members) > 1 else ""
            result[f"TRACKER_ID_{key}{suffix}"] = names[name]
    return result


def env_collisions(names: Mapping[str, str]) -> list[str]:
    """One message per group of names whose ``--format env`` variables would collide."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names):
        groups.setdefault(slug(name), []).append(name)
    return [
        f"tracker names {', '.join(repr(n) for n in members)} all map to TRACKER_ID_{key}; "
        "each gets its tracker ID appended: "
        + ", ".join(f"TRACKER_ID_{key}_{names[n]}" for n in members)
        for key, members in sorted(groups.items()) if len(members) > 1
    ]


def async_fragment(names: Mapping[str, str]) -> str:
    """Return exactly ``{"trackers":[{"id":"…"},…]}`` (sorted by name, compact)."""
    items = [{"id": names[n]} for n in sorted(names)]
    return json.dumps({"trackers": items}, separators=(",", ":"))


def format_ids(names: Mapping[str, str], fmt: str) -> str:
    """Render ``name -> id`` in one of :data:`FORMATS` (``github`` renders its output line).

    Raises:
        ConfigError: unknown format. (Colliding ``env`` names: see :func:`env_variables`.)
    """
    ordered = dict(sorted(names.items()))
    if fmt == "async":
        return async_fragment(ordered)
    if fmt == "map":
        return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)
    if fmt == "github":
        return f"tracker-ids={async_fragment(ordered)}"
    if fmt == "env":
        return "\n".join(f"{k}={v}" for k, v in env_variables(ordered).items())
    raise ConfigError(f"unknown ids format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_fragment(path: Path, names: Mapping[str, str]) -> None:
    """Write :func:`async_fragment` of ``names`` and a newline to ``path``, atomically
    (``apply --tracker-ids-out``: the same text ``trackersync ids`` prints).

    Raises:
        ConfigError: the file cannot be written (the message names it).
    """
    from trackersync.textfile import atomic_write

    try:
        atomic_write(path, async_fragment(names) + "\n")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the tracker IDs: {exc.strerror or exc}") from exc


def append_github_output(line: str, environ: Mapping[str, str] | None = None) -> Path:
    """Append ``line`` to the file named by ``$GITHUB_OUTPUT``; return that path.

    Raises:
        ConfigError: ``GITHUB_OUTPUT`` is unset or unwritable.
    """
    target = (environ if environ is not None else os.environ).get("GITHUB_OUTPUT")
    if not target:
        raise ConfigError("GITHUB_OUTPUT is not set; --format github runs inside GitHub Actions")
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError as exc:
        raise ConfigError(f"cannot append to GITHUB_OUTPUT: {exc.strerror}") from exc
    return Path(target)


__all__ = [
    "FORMATS",
    "append_github_output",
    "async_fragment",
    "env_collisions",
    "env_variables",
    "format_ids",
    "slug",
]
