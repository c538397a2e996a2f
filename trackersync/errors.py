"""The one exception tree of trackersync.

Every error the package raises on purpose derives from :class:`TrackersyncError`;
third-party exceptions (requests, ruamel.yaml, jinja2, deepdiff, pydantic) are
translated at the edge of the one module that uses that library, with
``raise OurError(...) from exc``. The CLI maps the tree to exit codes (any
``TrackersyncError`` is exit 1; see README "Exit codes").

::

    TrackersyncError
    ├── ConfigError              trackersync.yaml / environment / flags are wrong
    ├── DefinitionError          tracker files have errors (carries every Problem)
    ├── ApiError                 the Symbl API answered with an error (status, method, path)
    │   ├── AuthError            401/403, or credentials missing or refused
    │   ├── RateLimitedError     429 after the retry budget was spent
    │   ├── ConflictError        409 (name already taken)
    │   ├── NotFoundError        404 (unknown tracker id)
    │   ├── PayloadTooLargeError 413 (body over 1 MB) that splitting could not avoid
    │   ├── ResponseShapeError   a 2xx whose body is not the documented shape
    │   └── TransportError       timeout, refused or dropped connection (no status)
    ├── PlanError                the plan cannot be made or must not be applied
    │   ├── UnsafePlanError      deletes over the safety thresholds, protected trackers
    │   ├── AccountLimitError    the account would exceed its tracker limit (500)
    │   └── StalePlanError       a saved plan no longer matches the files or the account
    ├── ApplyError               apply stopped part-way (carries what was and was not done)
    └── JobError                 an Async API job failed or did not finish in time

Messages never contain an app secret, an access token or an Authorization value.
"""

from __future__ import annotations

from typing import Any


class TrackersyncError(Exception):
    """Base class of every error trackersync raises on purpose."""


class ConfigError(TrackersyncError):
    """The configuration (``trackersync.yaml``, env vars, flags) is invalid or incomplete."""


class DefinitionError(TrackersyncError):
    """Tracker definition files have one or more errors.

    Attributes:
        problems: every problem found (errors and warnings), in file/line order;
            a list of :class:`trackersync.model.Problem`.
    """

    def __init__(self, problems: list[Any], message: str | None = None) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if getattr(p, "severity", "error") == "error"]
        super().__init__(message or f"{len(errors)} error(s) in tracker definitions")


class ApiError(TrackersyncError):
    """The Symbl API answered a request with an error.

    Attributes:
        status: HTTP status code, or ``None`` when no response arrived.
        method: HTTP method of the failed request (``"GET"``, ``"POST"``, ...).
        path: URL path of the failed request (never the query string's secrets).
        api_message: the ``message`` field of the API's JSON error body, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        api_message: str | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.api_message = api_message
        super().__init__(message)


class AuthError(ApiError):
    """Credentials are missing, refused (401/403), or a renewed token was refused again."""


class RateLimitedError(ApiError):
    """429 Too Many Requests persisted after the bounded retries (docs/api-contract.md)."""


class ConflictError(ApiError):
    """409: a tracker with that exact name already exists (exact, case-sensitive names)."""


class NotFoundError(ApiError):
    """404: no tracker with that id (docs/api-contract.md, "Unknown ids")."""


class PayloadTooLargeError(ApiError):
    """413: the request body exceeds 1 MB and cannot be split further (docs/api-contract.md)."""


class ResponseShapeError(ApiError):
    """A 2xx answer whose body is not the documented JSON shape (never read as "empty")."""


class TransportError(ApiError):
    """No HTTP answer: timeout, refused or dropped connection, after bounded retries."""


class PlanError(TrackersyncError):
    """The plan cannot be built, or must not be applied as it stands."""


class UnsafePlanError(PlanError):
    """The plan deletes more than the safety thresholds allow, or touches protected trackers."""


class AccountLimitError(PlanError):
    """Applying the plan would take the account over its tracker limit (500 by default)."""


class StalePlanError(PlanError):
    """A saved plan's fingerprint no longer matches the tracker files or the remote account."""


class ApplyError(TrackersyncError):
    """Apply stopped part-way.

    Attributes:
        report: the apply report (what was done, what failed, what was not attempted);
            its type is defined by the applier.
    """

    def __init__(self, message: str, report: Any = None) -> None:
        self.report = report
        super().__init__(message)


class JobError(TrackersyncError):
    """An Async API job ended ``failed``, or was still running when the wait ran out.

    Attributes:
        job_id: the job's id (a UUID).
        status: the last status seen (``failed``, ``scheduled`` or ``in_progress``).
    """

    def __init__(self, message: str, *, job_id: str, status: str) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status
