"""An in-memory fake of the narrow remote seam (``trackersync.protocol.TrackerApi``)."""

from __future__ import annotations

from collections.abc import Sequence

from trackersync.errors import ApiError
from trackersync.model import DesiredTracker, RemoteTracker, Tracker


def desired(name: str, *phrases: str, **extra: object) -> DesiredTracker:
    """A desired tracker (defaults: no renamed_from, not protected)."""
    return DesiredTracker(name=name, vocabulary=tuple(phrases), **extra)  # type: ignore[arg-type]


def remote(tid: str, name: str, *phrases: str) -> RemoteTracker:
    """A remote tracker with id ``tid``."""
    return RemoteTracker(id=tid, name=name, vocabulary=tuple(phrases))


class FakeRemote:
    """Stores trackers in a dict; records every call; can fail or merge on demand.

    Attributes:
        calls: ``(method, detail)`` in call order.
        fail_on: ``(method, name)`` pairs that raise ApiError(400) instead of writing.
        merge_on_put: append old phrases on PUT like a merging server.
    """

    def __init__(self, trackers: Sequence[RemoteTracker] = ()) -> None:
        self.store: dict[str, RemoteTracker] = {t.id: t for t in trackers}
        self.calls: list[tuple[str, str]] = []
        self.fail_on: set[tuple[str, str]] = set()
        self.merge_on_put = False
        self._next = 6000000000000000
        self.request_count = 0

    def list_trackers(self) -> list[RemoteTracker]:
        self.request_count += 1
        self.calls.append(("list", ""))
        return list(self.store.values())

    def create_trackers(self, trackers: Sequence[Tracker]) -> list[RemoteTracker]:
        self.request_count += 1
        self.calls.append(("create", ",".join(t.name for t in trackers)))
        made = []
        for tracker in trackers:
            if ("create", tracker.name) in self.fail_on:
                raise ApiError("400 bad tracker", status=400, method="POST")
            self._next += 1
            item = RemoteTracker(id=str(self._next), name=tracker.name,
                                 vocabulary=tracker.vocabulary)
            self.store[item.id] = item
            made.append(item)
        return made

    def update_tracker(self, tracker_id: str, tracker: Tracker) -> RemoteTracker:
        self.request_count += 1
        self.calls.append(("update", tracker.name))
        if ("update", tracker.name) in self.fail_on:
            raise ApiError("400 invalid characters", status=400, method="PUT")
        vocab = tracker.vocabulary
        if self.merge_on_put:
            old = self.store[tracker_id].vocabulary
            vocab = vocab + tuple(p for p in old if p not in vocab)
        item = RemoteTracker(id=tracker_id, name=tracker.name, vocabulary=vocab)
        self.store[tracker_id] = item
        return item

    def delete_tracker(self, tracker_id: str) -> None:
        self.request_count += 1
        self.calls.append(("delete", self.store[tracker_id].name))
        del self.store[tracker_id]
