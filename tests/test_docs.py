"""docs/architecture.md matches the code: every module it names exists, every module is named."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "trackersync"


def _named() -> set[str]:
    """Module paths the document names in backticks, relative to trackersync/."""
    names: set[str] = set()
    for token in re.findall(r"`([a-z_/]+(?:\.py|/))`", ARCHITECTURE):
        names.add(token)
    return names


def test_every_named_module_exists() -> None:
    def exists(name: str) -> bool:
        if (PACKAGE / name).exists() or (ROOT / name).exists():
            return True
        return any(PACKAGE.rglob(name.rstrip("/")))  # a module named inside its package

    missing = [name for name in sorted(_named()) if not exists(name)]
    assert missing == []


def test_every_module_of_the_package_is_named() -> None:
    named = _named()
    top = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    packages = [f"{p.name}/" for p in PACKAGE.iterdir()
                if p.is_dir() and (p / "__init__.py").exists()]
    unnamed = [name for name in sorted(top + packages) if name not in named]
    assert unnamed == []
    for sub in ("cli", "client", "definitions", "render", "importer"):
        for module in (PACKAGE / sub).glob("*.py"):
            if module.name in ("__init__.py",):
                continue
            mentioned = (f"{sub}/{module.name}" in ARCHITECTURE or f"`{module.name}`" in
                         ARCHITECTURE or f"{sub}/*_cmd.py" in ARCHITECTURE
                         and module.name.endswith("_cmd.py"))
            assert mentioned, f"{sub}/{module.name} is not described"


def test_every_pointer_into_the_api_contract_names_one_of_its_sections() -> None:
    contract = (ROOT / "docs" / "api-contract.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", contract, re.MULTILINE))
    pointer = re.compile(r'docs/api-contract\.md,?\s+((?:"[^"]+"(?:\s+and\s+)?)+)')
    named: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")) + [ROOT / "README.md", ROOT / "docs" /
                                                 "architecture.md"]:
        for match in pointer.finditer(path.read_text(encoding="utf-8")):
            named.update(" ".join(t.split()) for t in re.findall(r'"([^"]+)"', match[1]))
    assert named, "no pointer found: the pattern no longer matches the code"
    assert sorted(named - headings) == []


#: A pointer at a document a reader of this repository does not have: a fault-case code
#: (a C and two digits, also as a test name's prefix), an issue number, a design or style
#: note, or the outside API notes. The reason itself belongs in the text instead.
OUTSIDE = re.compile(r"\bcase C\d|\bC\d\d\b|\btest_c\d|symbl-api|STYLE \d|DESIGN\.md"
                     r"|\bissue #?\d|turn2|/work/", re.IGNORECASE)
#: The same pattern, told that every match starts with one of these characters: the
#: regex engine then skips ahead to them, about five times faster over the whole tree.
_OUTSIDE_FAST = re.compile(r"(?=[cstdi/])(?:" + OUTSIDE.pattern + ")", re.IGNORECASE)
_SCANNED = ("trackersync", "symbl_emulator", "tests", "benchmarks", "docs", "examples",
            "schema", "trackers", "tracker-tests", ".ci", ".github")


def test_no_file_points_at_a_document_outside_the_repository() -> None:
    files = [ROOT / name for name in ("README.md", "CHANGELOG.md", "pyproject.toml")]
    for folder in _SCANNED:
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".db")
                  and p != Path(__file__)]  # this file spells the pattern out
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        if not _OUTSIDE_FAST.search(text):  # no match spans lines: most files have none
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line) and "INTERNAL = re.compile" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == []
