"""The editor schema of tracker files: where it lives in a project, and each file's modeline.

Editors that use the YAML language server (VS Code's YAML extension, Neovim, Helix,
JetBrains) read the schema named on a file's first line::

    # yaml-language-server: $schema=../schema/tracker.schema.json

The path is relative to the file itself, so it is computed per file: a tracker file
in ``trackers/sales/`` gets ``../../schema/tracker.schema.json``. The schema lives at
:data:`SCHEMA_FILE` under the project root (the folder of ``trackersync.yaml``), a
committed file; ``trackersync import`` writes it when it is missing and
``trackersync schema --write`` refreshes it. See ``docs/editor.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: The tracker-file schema, relative to the project root.
SCHEMA_FILE = Path("schema") / "tracker.schema.json"
#: The ``trackersync.yaml`` schema, relative to the project root.
CONFIG_SCHEMA_FILE = Path("schema") / "config.schema.json"

_PREFIX = "# yaml-language-server: $schema="
_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=\S*[ \t]*\r?\n?")


def modeline_for(file: Path, root: Path, schema: Path = SCHEMA_FILE) -> str:
    """Return the modeline line (with its newline) for ``file`` in the project at ``root``.

    Args:
        file: the tracker file (absolute, or relative to the current directory).
        root: the project root.
        schema: the schema file, relative to ``root``.

    Returns:
        E.g. ``"# yaml-language-server: $schema=../schema/tracker.schema.json\\n"``.
    """
    target = Path(os.path.abspath(root)) / schema
    relative = os.path.relpath(target, Path(os.path.abspath(file)).parent)
    return f"{_PREFIX}{Path(relative).as_posix()}\n"


def strip_modeline(text: str) -> str:
    """Return ``text`` without a YAML language server modeline on its first line."""
    match = _MODELINE.match(text)
    return text[match.end():] if match else text


def with_modeline(text: str, file: Path, root: Path) -> str:
    """Return ``text`` starting with the right modeline for ``file`` (any old one replaced)."""
    return modeline_for(file, root) + strip_modeline(text)


#: The schemas as shipped inside the package: the text ``trackersync schema --write``
#: produces, copied there (a test holds them equal), so ``import`` can write a project's
#: missing schema without importing pydantic and building the models.
SHIPPED_DIR = Path(__file__).resolve().parent / "schemas"


def write_schemas(root: Path, *, only_missing: bool) -> list[Path]:
    """Write the tracker-file and config schemas under ``root/schema/``.

    Args:
        root: the project root.
        only_missing: write a schema only where no file exists yet (import: the text
            shipped in the package, :data:`SHIPPED_DIR`), else replace both with the
            ones generated from the models (``trackersync schema --write``).

    Returns:
        The files written (absolute paths).

    Raises:
        OSError: the folder or a file cannot be written (callers translate it).
    """
    written = []
    for relative, kind in ((SCHEMA_FILE, "tracker"), (CONFIG_SCHEMA_FILE, "config")):
        path = Path(os.path.abspath(root)) / relative
        if only_missing and path.exists():
            continue
        shipped = shipped_schema_text(relative.name) if only_missing else None
        text = shipped if shipped is not None else generated_schema_text(kind)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def shipped_schema_text(name: str) -> str | None:
    """The text of schema file ``name`` shipped in the package, or ``None`` if absent."""
    try:
        return (SHIPPED_DIR / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def generated_schema_text(kind: str) -> str:
    """The schema ``kind`` (``"tracker"`` or ``"config"``) as JSON text, built from the
    pydantic models (imports pydantic: about 0.1 s).
    """
    from trackersync.definitions.schema import (
        config_file_schema,
        dumps_schema,
        tracker_file_schema,
    )

    build = tracker_file_schema if kind == "tracker" else config_file_schema
    return dumps_schema(build())


__all__ = [
    "CONFIG_SCHEMA_FILE",
    "SCHEMA_FILE",
    "SHIPPED_DIR",
    "generated_schema_text",
    "modeline_for",
    "shipped_schema_text",
    "strip_modeline",
    "with_modeline",
    "write_schemas",
]
