"""Tracker IDs: the ``ids_file`` written after each apply, and the ``ids`` output formats.

``ids_file`` (default ``trackers.ids.json``; with ``--env NAME`` it is
``trackers.ids.NAME.json`` so two accounts never overwrite each other's IDs)::

    {"trackers": [{"id": "…"}, …], "names": {"<name>": "<id>", …}, "protected": ["<name>"]}

sorted by name and stable from run to run. ``trackers`` is the fragment an Async API
submission (``POST /v1/process/text``) takes as its ``trackers`` field; ``names`` is
what prune uses as the ownership record (a tracker made by hand in Symbl, never
recorded here, is never deleted just because no file defines it); ``protected``
remembers ``protect: true`` after a definition is removed.

Output formats of ``trackersync ids`` (:func:`format_ids`):
``async`` ``{"trackers":[{"id":"…"}]}``, ``map`` ``{"<name>":"<id>"}``,
``github`` ``tracker-ids=<async json>`` appended to ``$GITHUB_OUTPUT``,
``env`` ``TRACKER_ID_<SLUG>=<id>`` lines.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trackersync.errors import ConfigError
from trackersync.model import DesiredTracker
from trackersync.textfold import fold_to_ascii

FORMATS = ("async", "map", "github", "env")


@dataclass(frozen=True)
class IdsRecord:
    """The content of ``ids_file``.

    Attributes:
        names: tracker name -> id of every managed tracker that existed after the last apply.
        protected: names recorded with ``protect: true``.
    """

    names: dict[str, str] = field(default_factory=dict)
    protected: frozenset[str] = frozenset()

    @property
    def protected_ids(self) -> frozenset[str]:
        """Ids of the protected names."""
        return frozenset(self.names[n] for n in self.protected if n in self.names)


def protected_names(desired: Iterable[DesiredTracker], record: IdsRecord | None) -> frozenset[str]:
    """Names to record as protected after an apply.

    A tracker defined in the files is protected exactly when its file says
    ``protect: true``; a tracker no file defines any more (removed, not yet pruned) keeps
    the protection ``ids_file`` recorded, so a plain apply after deleting its file never
    drops the protection a later prune relies on (README "Safety and pruning").
    """
    desired = list(desired)
    defined = {t.name for t in desired}
    kept = {name for name in (record.protected if record else ()) if name not in defined}
    return frozenset({t.name for t in desired if t.protect} | kept)


def ids_file_path(root: Path, ids_file: str, env: str | None) -> Path:
    """Return where ``ids_file`` lives for an environment (``None`` = default account).

    Raises:
        ConfigError: ``env`` is not a safe file-name part (trackersync.yaml is checked
            for this when loaded; this guards every other caller).
    """
    from trackersync.definitions.config_loader import environment_name_problem

    if env and environment_name_problem(env):
        raise ConfigError(str(environment_name_problem(env)))
    path = Path(ids_file)
    if not path.is_absolute():
        path = root / path
    if env:
        path = path.with_name(f"{path.stem}.{env}{path.suffix or '.json'}")
    return path


def read_ids_file(path: Path) -> IdsRecord | None:
    """Read ``ids_file``; ``None`` when it does not exist.

    Raises:
        ConfigError: the file exists but is not the documented shape.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ids_file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a trackersync ids_file (not UTF-8 text); restore it "
                          "from git or the CI artifact of the last apply") from exc
    try:
        data = json.loads(text)
        names = data["names"]
        protected = data.get("protected", [])
        ok = isinstance(names, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in names.items()
        )
        if not ok or not isinstance(protected, list):
            raise TypeError("names must map strings to strings")
    except RecursionError as exc:
        raise ConfigError(f"{path}: not a trackersync ids_file (nested too deeply); restore "
                          "it from git or the CI artifact of the last apply") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{path}: not a trackersync ids_file ({exc}); fix or delete it (apply rewrites it)"
        ) from exc
    from trackersync.text import nfc  # names compare in NFC everywhere, hand edits too

    return IdsRecord(names={nfc(k): v for k, v in names.items()},
                     protected=frozenset(nfc(str(p)) for p in protected))


def render_ids_file(record: IdsRecord) -> str:
    """Return the stable JSON text of ``ids_file`` (sorted by name, 2-space indent)."""
    names = dict(sorted(record.names.items()))
    data = {
        "trackers": [{"id": tid} for tid in names.values()],
        "names": names,
        "protected": sorted(n for n in record.protected if n in names),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_ids_file(path: Path, record: IdsRecord) -> None:
    """Write ``ids_file`` atomically (temp file + rename).

    Raises:
        ConfigError: the file cannot be written.
    """
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(render_ids_file(record), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ids_file: {exc.strerror}") from exc


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


def select(names: Mapping[str, str], wanted: Sequence[str]) -> dict[str, str]:
    """Keep only ``wanted`` names (all when empty).

    Raises:
        ConfigError: a wanted name is not a managed tracker in the account.
    """
    if not wanted:
        return dict(names)
    missing = [n for n in wanted if n not in names]
    if missing:
        raise ConfigError(
            "not managed trackers in the account: " + ", ".join(repr(n) for n in missing)
        )
    return {n: names[n] for n in wanted}


__all__ = [
    "FORMATS",
    "IdsRecord",
    "append_github_output",
    "async_fragment",
    "env_collisions",
    "env_variables",
    "format_ids",
    "ids_file_path",
    "protected_names",
    "read_ids_file",
    "render_ids_file",
    "select",
    "slug",
    "write_ids_file",
]
