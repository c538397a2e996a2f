"""Behaviour tests as data: which sentences must (or must not) fire which trackers.

Two sources, one shape (:class:`TestFile`, one Async job each):

1. A tracker file's ``tests:`` block (already read by the definitions loader)::

       name: Promotion Mention
       vocabulary: [...]
       tests:
         source: https://…               # optional: where the sentences come from
         must_fire:
           - We're running a sale right now
         must_not_fire:
           - Honestly it is not the right time

2. A conversation file in ``tests_dir`` (``tracker-tests/`` by default), ``*.yaml``::

       source: https://…                 # optional
       messages:
         - text: We're running a sale right now.
           expect: [Promotion Mention]   # exactly these trackers fire on this message
         - text: Honestly it is not the right time.
           expect: []                    # no tracker fires
         - text: Some context.           # no expect: not checked

Problems in conversation files (bad shape, unknown tracker names) are reported with
their file, line and column under the rule ``test-file``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackersync.config import Config
from trackersync.definitions.checks import shown
from trackersync.definitions.labels import label_for
from trackersync.definitions.rules import Reporter
from trackersync.definitions.yamlnodes import YamlProblem, compose, read_text
from trackersync.model import DesiredTracker, SourceRef

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class TestMessage:
    """One message of a test job and what is expected of it.

    Attributes:
        text: the message content submitted to the Async API.
        source: where it is written.
        tracker: for a tracker file's sentence, the tracker under test; else ``None``.
        fires: for a tracker file's sentence, whether ``tracker`` must fire.
        expect: for a conversation message, exactly the trackers that must fire
            (``None``: not checked, context only).
    """

    __test__ = False  # not a pytest class

    text: str
    source: SourceRef
    tracker: str | None = None
    fires: bool = True
    expect: frozenset[str] | None = None

    @property
    def checked(self) -> bool:
        """Whether this message has an expectation."""
        return self.tracker is not None or self.expect is not None

    @property
    def kind(self) -> str:
        """``must_fire``, ``must_not_fire``, ``expect`` or ``context``."""
        if self.tracker is not None:
            return "must_fire" if self.fires else "must_not_fire"
        return "expect" if self.expect is not None else "context"


@dataclass
class TestFile:
    """The messages of one file, submitted as one Async job.

    Attributes:
        label: the file as shown in reports (relative to the project root).
        path: the file on disk.
        messages: in file order.
        trackers: names of the trackers whose tests the file holds (tracker files).
        source: the public source the sentences were taken from, if given.
    """

    __test__ = False

    label: str
    path: Path
    messages: list[TestMessage] = field(default_factory=list)
    trackers: list[str] = field(default_factory=list)
    source: str | None = None


def from_trackers(trackers: Sequence[DesiredTracker], files: Sequence[Path],
                  root: Path) -> list[TestFile]:
    """Group the ``tests:`` sentences of tracker definitions by file, in file order."""
    by_label = {label_for(path, root): path for path in files}
    result: dict[str, TestFile] = {}
    for tracker in trackers:
        for case in tracker.tests:
            label = case.source.file
            test_file = result.setdefault(
                label, TestFile(label=label, path=by_label.get(label, root / label)))
            if tracker.name not in test_file.trackers:
                test_file.trackers.append(tracker.name)
            test_file.source = test_file.source or tracker.tests_source
            test_file.messages.append(TestMessage(
                text=case.text, source=case.source, tracker=tracker.name, fires=case.fires))
    return list(result.values())


def discover_conversations(root: Path, config: Config) -> list[Path]:
    """The conversation files under ``config.tests_dir`` (``*.yaml``/``*.yml``, sorted)."""
    folder = root / config.tests_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def load_conversation(path: Path, root: Path, defined: set[str], rep: Reporter) -> TestFile | None:
    """Read one conversation file; report problems to ``rep`` (``None`` if unusable)."""
    label = label_for(path, root)
    try:
        doc = compose(read_text(path))
    except YamlProblem as exc:
        rep.add("test-file", exc.message, SourceRef(file=label, line=exc.line, column=exc.column))
        return None

    def at(*where: Any) -> SourceRef:
        line, column = doc.position(tuple(where))
        return SourceRef(file=label, line=line, column=column)

    data = doc.data
    shape = "a conversation test file is a mapping with 'messages:' (a list of {text, expect})"
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        rep.add("test-file", shape, at())
        return None
    for key in data:
        if key not in ("source", "name", "messages"):
            rep.add("test-file", f"unknown key {shown(str(key))} (allowed: source, name, messages)",
                    at(key))
    test_file = TestFile(label=label, path=path, source=_text(data.get("source")))
    reported = len(rep.problems)
    for index, item in enumerate(data["messages"]):
        message = _message(item, index, at, defined, rep)
        if message is not None:
            test_file.messages.append(message)
    if len(rep.problems) == reported and all(m.expect is None for m in test_file.messages):
        # Only context: a run would pass while checking nothing.
        rep.add("test-file", "no message has 'expect', so this file tests nothing; add "
                "'expect: [Tracker]' (or 'expect: []') to the messages to check", at())
    return test_file


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _message(item: Any, index: int, at: Any, defined: set[str],
             rep: Reporter) -> TestMessage | None:
    where = at("messages", index)
    if isinstance(item, str):
        item = {"text": item}
    text = item.get("text") if isinstance(item, dict) else None
    if not isinstance(text, str) or not text.strip():
        rep.add("test-file", f"message {index + 1} needs a non-empty 'text'", where)
        return None
    extra = sorted(set(item) - {"text", "expect"})
    if extra:
        rep.add("test-file", f"message {index + 1}: unknown key {shown(str(extra[0]))} "
                "(allowed: text, expect)", at("messages", index, extra[0]))
    expect = item.get("expect")
    if expect is None:
        return TestMessage(text=text, source=at("messages", index, "text"))
    if not isinstance(expect, list) or not all(isinstance(n, str) for n in expect):
        rep.add("test-file", f"message {index + 1}: 'expect' must be a list of tracker names "
                "([] when none may fire)", at("messages", index, "expect"))
        return None
    for position, name in enumerate(expect):
        if name in expect[:position]:
            rep.add("test-file", f"message {index + 1} expects '{name}' twice; list each "
                    "tracker once", at("messages", index, "expect", position))
            return None
    unknown = [n for n in expect if n not in defined]
    for name in unknown:
        position = at("messages", index, "expect", expect.index(name))
        rep.add("test-file", f"message {index + 1} expects '{name}', which no tracker file "
                "defines", position)
    if unknown:
        return None
    return TestMessage(text=text, source=at("messages", index, "text"),
                       expect=frozenset(expect))
