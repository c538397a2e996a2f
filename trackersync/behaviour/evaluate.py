"""Judge trackers-detected against the expectations; find collisions and uncovered phrases.

Pure functions over data: no I/O. A detection names sentences (``messageRefs.text``),
not the submitted messages; Symbl splits a message into sentences, so each sentence is
mapped back to the message(s) whose text holds it (an exactly equal message first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trackersync.behaviour.cases import TestFile, TestMessage
from trackersync.client.asyncapi import Detection
from trackersync.definitions.rules import Reporter
from trackersync.model import DesiredTracker

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Hit:
    """One phrase of one tracker that matched a sentence of a message.

    Attributes:
        tracker: the tracker's name.
        phrase: the vocabulary phrase (``value``).
        offset: character index in ``sentence``; ``-1`` for a contextual match.
        sentence: the sentence (``messageRefs.text``).
    """

    tracker: str
    phrase: str
    offset: int
    sentence: str

    def describe(self) -> str:
        """``'Budget' (phrase 'our budget', exact)``."""
        how = "exact" if self.offset >= 0 else "contextual"
        return f"'{self.tracker}' (phrase '{self.phrase}', {how})"


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one test message.

    Attributes:
        file: the test file's label.
        message: the message and its expectation.
        hits: every tracker phrase that matched it.
        passed: ``None`` for a context-only message (no expectation).
        failure: why it failed, else ``None``.
    """

    file: str
    message: TestMessage
    hits: tuple[Hit, ...]
    passed: bool | None
    failure: str | None = None

    @property
    def fired(self) -> list[str]:
        """Names of the trackers that fired, in first-hit order."""
        return list(dict.fromkeys(h.tracker for h in self.hits))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def assign(messages: Sequence[TestMessage], detections: Iterable[Detection]) -> list[list[Hit]]:
    """The hits of each message (same order as ``messages``)."""
    texts = [_norm(m.text) for m in messages]
    hits: list[list[Hit]] = [[] for _ in messages]
    for detection in detections:
        for match in detection.matches:
            for ref in match.refs:
                sentence = _norm(ref.text)
                owners = [i for i, t in enumerate(texts) if t == sentence] or \
                         [i for i, t in enumerate(texts) if sentence and sentence in t]
                for i in owners:
                    hits[i].append(Hit(detection.name, match.value, ref.offset, ref.text))
    return hits


def judge(test_file: TestFile, detections: Iterable[Detection]) -> list[CaseResult]:
    """Compare each message's hits with its expectation."""
    results = []
    for message, hits in zip(test_file.messages, assign(test_file.messages, detections),
                             strict=True):
        fired = list(dict.fromkeys(h.tracker for h in hits))
        failure = _failure(message, fired, hits)
        passed = None if not message.checked else failure is None
        results.append(CaseResult(test_file.label, message, tuple(hits), passed, failure))
    return results


def _failure(message: TestMessage, fired: list[str], hits: list[Hit]) -> str | None:
    others = ", ".join(f"'{n}'" for n in fired) or "none"
    if message.tracker is not None:
        own = [h for h in hits if h.tracker == message.tracker]
        if message.fires and not own:
            return f"'{message.tracker}' did not fire on this sentence (trackers fired: {others})"
        if not message.fires and own:
            return f"'{message.tracker}' fired on this sentence: " + \
                "; ".join(h.describe() for h in own)
        return None
    if message.expect is None or set(fired) == message.expect:
        return None
    missing = sorted(message.expect - set(fired))
    extra = [h for h in hits if h.tracker not in message.expect]
    parts = []
    if missing:
        parts.append("expected but did not fire: " + ", ".join(f"'{n}'" for n in missing))
    if extra:
        parts.append("fired but not expected: " + "; ".join(h.describe() for h in extra))
    return "; ".join(parts)


def collisions(results: Iterable[CaseResult], rep: Reporter) -> None:
    """Report each sentence that fires more than one tracker (rule ``test-collision``).

    A conversation message that expects all the trackers it fires is not a collision.
    """
    for result in results:
        fired = result.fired
        if len(fired) < 2:
            continue
        if result.message.expect is not None and set(fired) <= result.message.expect:
            continue
        first: dict[str, Hit] = {}
        for hit in result.hits:
            first.setdefault(hit.tracker, hit)
        own = result.message.tracker
        fired = sorted(fired, key=lambda name: name != own)  # the tracker under test first
        names = " and ".join(first[n].describe() for n in fired)
        rep.add("test-collision", f"sentence fires {len(fired)} trackers: {names}",
                result.message.source, fired[0])


def coverage(trackers: Iterable[DesiredTracker], results: Iterable[CaseResult],
             rep: Reporter) -> None:
    """Report phrases that no test sentence exercises (rule ``test-coverage``).

    A phrase is exercised when it matched (exactly or contextually) any test message.
    """
    exercised: set[tuple[str, str]] = set()
    for result in results:
        exercised.update((h.tracker, h.phrase) for h in result.hits)
    for tracker in trackers:
        idle = [p for p in tracker.vocabulary if (tracker.name, p) not in exercised]
        if not idle:
            continue
        shown = ", ".join(f"'{p}'" for p in idle[:5]) + (" …" if len(idle) > 5 else "")
        if len(idle) == len(tracker.vocabulary) and not tracker.tests:
            message = (f"tracker '{tracker.name}' has no behaviour test (none of its "
                       f"{len(idle)} phrases is exercised); add a 'tests:' block")
        else:
            message = (f"tracker '{tracker.name}': {len(idle)} of {len(tracker.vocabulary)} "
                       f"phrases exercised by no test sentence: {shown}")
        rep.add("test-coverage", message, tracker.source, tracker.name)
