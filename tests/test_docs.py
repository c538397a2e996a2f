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
