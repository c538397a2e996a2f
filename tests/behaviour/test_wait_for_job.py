"""Polling an Async job: statuses in order, a failed job, bounded waiting."""

from __future__ import annotations

from typing import Any

import pytest

from trackersync.client import asyncapi
from trackersync.errors import JobError


class _Jobs:
    """Answers ``GET /v1/job/{id}`` with the given statuses, one per poll."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.paths: list[str] = []

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        self.paths.append(path)
        return {"id": "j", "status": self.statuses.pop(0)}


def test_polls_until_completed_and_reports_each_status() -> None:
    jobs, seen, waits = _Jobs("scheduled", "in_progress", "completed"), [], []
    asyncapi.wait_for_job(jobs, "j", on_status=lambda s, t: seen.append(s),  # type: ignore[arg-type]
                          sleep=waits.append, clock=lambda: 0.0)
    assert seen == ["scheduled", "in_progress", "completed"]
    assert jobs.paths == ["/v1/job/j"] * 3 and waits == [0.05, 0.1]


def test_a_failed_job_is_an_error() -> None:
    with pytest.raises(JobError, match="ended with status 'failed'") as info:
        asyncapi.wait_for_job(_Jobs("in_progress", "failed"), "j",  # type: ignore[arg-type]
                              sleep=lambda s: None, clock=lambda: 0.0)
    assert info.value.status == "failed"


def test_waiting_is_bounded() -> None:
    now = iter([0.0, 1.0, 2.5])
    with pytest.raises(JobError, match="still 'scheduled' after 2 s"):
        asyncapi.wait_for_job(_Jobs("scheduled", "scheduled", "scheduled"), "j",  # type: ignore[arg-type]
                              timeout_s=2, sleep=lambda s: None, clock=lambda: next(now))
