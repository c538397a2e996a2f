"""The one seam between the flow and a Symbl account: the :class:`TrackerApi` protocol.

:class:`trackersync.client.SymblClient` implements it over HTTP; tests implement it in
memory. The planner, the applier and the core flow (:mod:`trackersync.sync`) talk to an
account only through these four calls, so nothing above this seam knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from trackersync.model import RemoteTracker, Tracker


class TrackerApi(Protocol):
    """A Symbl account's trackers, as narrow as the planner and the applier need.

    Contract (see ``docs/api-contract.md`` for the decisions behind each call):

    * ``list_trackers()``: one ``GET /v1/manage/trackers``; every tracker of the
      account. A failed or odd answer raises :class:`~trackersync.errors.ApiError`; it
      never returns ``[]`` for a failure, because an empty account read by mistake
      would plan every tracker as new. Idempotent.
    * ``create_trackers(trackers)``: bulk ``POST /v1/manage/trackers`` in chunks under
      the API's 1 MB body limit; returns the created trackers in input order. Not
      idempotent: after an ambiguous failure (a timeout) the client re-lists and adopts
      trackers by exact name instead of creating duplicates. Raises ApiError.
    * ``update_tracker(id, tracker)``: ``PUT /v1/manage/tracker/{id}``, replacing name
      and vocabulary; idempotent. Raises ApiError (404, 409, ...).
    * ``delete_tracker(id)``: ``DELETE /v1/manage/tracker/{id}``; raises
      :class:`~trackersync.errors.NotFoundError` for an unknown id.

    Optional, not part of the protocol: ``share_phrases(trackers)``. When an account
    has it (:meth:`trackersync.client.SymblClient.share_phrases`), the planner calls it
    with the tracker files' trackers before listing, so an equal remote tracker holds
    the same phrase strings instead of a copy (memory only; values are the same).
    """

    def list_trackers(self) -> list[RemoteTracker]:
        """Return every tracker of the account (one list GET)."""
        ...

    def create_trackers(self, trackers: Sequence[Tracker]) -> list[RemoteTracker]:
        """Create ``trackers``; return them with their new ids, in input order."""
        ...

    def update_tracker(self, tracker_id: str, tracker: Tracker) -> RemoteTracker:
        """Replace the tracker ``tracker_id`` with ``tracker``'s name and vocabulary."""
        ...

    def delete_tracker(self, tracker_id: str) -> None:
        """Delete the tracker ``tracker_id``."""
        ...


__all__ = ["TrackerApi"]
