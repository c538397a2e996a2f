"""Tracker IDs in the forms other tools take: the output of ``trackersync ids``.

(The IDs this repository owns are kept in the state record, :mod:`trackersync.state`,
whose ``trackers`` key is the same Async API fragment.)

Output formats of ``trackersync ids`` (:func:`format_ids`):
``async`` ``{"trackers":[{"id":"…"}]}``, ``map`` ``{"<name>":"<id>"}``,
``github`` ``tracker-ids=<async json>`` appended to ``$GITHUB_OUTPUT``,
``env`` ``TRACKER_ID_<SLUG>=<id>`` lines.
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


def async_fragment(names: Mapping[str, str]) -> str:
    """Return exactly ``{"trackers":[{"id":"…"},…]}`` (sorted by name, compact)."""
    items = [{"id": names[n]} for n in sorted(names)]
    return json.dumps({"trackers": items}, separators=(",", ":"))


def format_ids(names: Mapping[str, str], fmt: str) -> str:
    """Render ``name -> id`` in one of :data:`FORMATS` (``github`` renders its output line).

    Raises:
        ConfigError: unknown format, or two names whose env slugs collide (``env``).
    """
    ordered = dict(sorted(names.items()))
    if fmt == "async":
        return async_fragment(ordered)
    if fmt == "map":
        return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)
    if fmt == "github":
        return f"tracker-ids={async_fragment(ordered)}"
    if fmt == "env":
        lines: dict[str, str] = {}
        for name, tid in ordered.items():
            key = f"TRACKER_ID_{slug(name)}"
            if key in lines:
                raise ConfigError(f"tracker names collide as environment variable {key}")
            lines[key] = tid
        return "\n".join(f"{k}={v}" for k, v in lines.items())
    raise ConfigError(f"unknown ids format {fmt!r}; use one of {', '.join(FORMATS)}")


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
    "format_ids",
    "slug",
]
