"""No Python traceback reaches a user: every command, driven with a set of broken inputs.

Each broken input is a small project (a broken config, broken tracker files, a broken
ids file or saved plan, odd arguments); every command runs on it in-process against the
emulator. Whatever happens, the command must end with an exit code and a message, never
with an exception escaping the CLI or a "Traceback" in its output.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from .conftest import Project

GOOD = "name: Budget\nvocabulary: [our budget, spending cap, cash flow, funding, costs]\n"

CONFIG_BOMB = "vars:\n  a: &a [x,x,x,x,x,x]\n" + "".join(
    f"  {c}: &{c} [{', '.join(['*' + b] * 9)}]\n"
    for b, c in zip("abcdefg", "bcdefgh", strict=True))

#: name -> function that breaks a fresh project (the current directory)
BROKEN: dict[str, Callable[[Project], None]] = {
    "config-not-utf8": lambda p: p.root.joinpath("trackersync.yaml").write_bytes(b"\xff\xfe\x00"),
    "config-syntax": lambda p: p.write("trackersync.yaml", "prune: [\n"),
    "config-deep": lambda p: p.write("trackersync.yaml", "vars: " + "[" * 5000 + "\n"),
    "config-alias-bomb": lambda p: p.write("trackersync.yaml", CONFIG_BOMB),
    "config-wrong-types": lambda p: p.write("trackersync.yaml",
                                            "environments: 5\nignore: {a: 1}\nids_file: [x]\n"),
    "config-bad-env-name": lambda p: p.write("trackersync.yaml",
                                             "environments:\n  ../up: {}\n  'a b': {}\n"),
    "trackers-binary": lambda p: p.root.joinpath("trackers", "x.yaml").write_bytes(
        bytes(range(256)) * 4),
    "trackers-shapes": lambda p: (p.write("trackers/a.yaml", "- - -\n"),
                                  p.write("trackers/b.yaml", "name: {a: [b]}\nvocabulary: 5\n"),
                                  p.write("trackers/c.yaml", "trackers: [1, null, {}]\n"),
                                  p.write("trackers/d.yaml", "")),
    "trackers-template-broken": lambda p: (p.write("trackers/a.yaml.j2", "{% for %}\n"),
                                           p.write("trackers/b.yaml.J2", "{{ x.y.z() }}\n"),
                                           p.write("trackers/c.yaml.j2",
                                                   "{{ ''.__class__.__mro__ }}\n")),
    "trackers-dir-is-a-file": lambda p: p.write("trackersync.yaml",
                                                "trackers_dir: trackers/a.yaml\n"),
    "ids-file-conflicted": lambda p: p.write("trackers.ids.json",
                                             "<<<<<<< HEAD\n{}\n=======\n[]\n>>>>>>> x\n"),
    "ids-file-binary": lambda p: p.root.joinpath("trackers.ids.json").write_bytes(b"\x00\xff"),
    "ids-file-deep": lambda p: p.write("trackers.ids.json", "[" * 100_000),
    "ids-file-is-a-folder": lambda p: p.root.joinpath("trackers.ids.json").mkdir(),
    "plan-file-deep": lambda p: p.write("broken-plan.json", "[" * 100_000),
    "trackers-dir-links-outside": lambda p: (p.root.joinpath("elsewhere").symlink_to("/"),
                                             p.write("trackersync.yaml",
                                                     "trackers_dir: elsewhere\n")),
}
if hasattr(os, "mkfifo"):
    BROKEN["trackers-fifo"] = lambda p: os.mkfifo(p.root / "trackers" / "f.yaml")

COMMANDS = [
    ["validate"], ["validate", "--format", "json"], ["validate", "--format", "github"],
    ["validate", "--env", "../x"], ["plan"], ["plan", "--format", "markdown"],
    ["plan", "--format", "json", "--out", "plan.json"], ["plan", "--env", "nope/../x"],
    ["apply", "--auto-approve"], ["apply", "broken-plan.json"], ["apply", "missing.json"],
    ["ids"], ["ids", "--format", "env"], ["ids", "--name", "\u200b"], ["render"],
    ["render", "--env", "x"], ["render", "trackers/nothing.yaml.j2"],
    ["import", "--dir", "imported"], ["schema"], ["schema", "--for", "config"],
    ["emulator", "--port", "99999"], ["--config", "missing.yaml", "plan"], ["nosuchcommand"],
]


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_every_command_ends_with_a_message_never_a_traceback(project, broken: str) -> None:
    p: Project = project()
    p.write("trackers/a.yaml", GOOD)
    p.write("broken-plan.json", '{"format_version": 1, "changes": [{"action": "delete"}]}')
    BROKEN[broken](p)
    for args in COMMANDS:
        result = p.run(*args)  # raises if an exception escaped the CLI
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
        if result.exit_code == 1:
            assert result.stderr.strip() or result.stdout.strip(), args  # says why
