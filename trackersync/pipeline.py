"""The one pipeline: load -> validate -> read remote -> diff -> plan (STYLE 1).

``trackersync plan``, ``trackersync apply`` (fresh or with a saved plan) and the
importer all call :func:`make_plan`. The remote side is reached only through the
narrow :class:`TrackerRemote` protocol (STYLE 4), which ``SymblClient`` satisfies and
tests fake in memory.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from trackersync.config import Config
from trackersync.diff import DiffOptions, diff_trackers
from trackersync.errors import PlanError
from trackersync.ids import IdsRecord, ids_file_path, read_ids_file
from trackersync.model import DesiredTracker, Problem, RemoteTracker, Tracker
from trackersync.plan import Plan, fingerprint_of, summarise
from trackersync.safety import Allowances, check_account_limit, check_listing, delete_problems


class TrackerRemote(Protocol):
    """The remote account, as narrow as the pipeline and applier need (STYLE 4).

    Contract (``trackersync.client.SymblClient`` implements it):

    * ``list_trackers()`` - one ``GET /v1/manage/trackers`` (symbl-api.md §2.5); every
      tracker of the account. A failed or odd answer raises
      :class:`~trackersync.errors.ApiError`; it never returns ``[]`` for a failure (C07).
      Idempotent.
    * ``create_trackers(trackers)`` - bulk ``POST /v1/manage/trackers`` in chunks under
      1 MB (symbl-api.md §2.4, §6 items 8, 14); returns the created trackers in input
      order. Not idempotent: after an ambiguous failure the client re-lists and adopts
      by exact name (C10). Raises ApiError.
    * ``update_tracker(id, tracker)`` - ``PUT /v1/manage/tracker/{id}`` (full replace,
      symbl-api.md §6 item 5); idempotent. Raises ApiError (404, 409, ...).
    * ``delete_tracker(id)`` - ``DELETE /v1/manage/tracker/{id}``; raises NotFoundError
      on an unknown id (symbl-api.md §6 item 17).
    """

    def list_trackers(self) -> list[RemoteTracker]: ...  # noqa: D102

    def create_trackers(self, trackers: Sequence[Tracker]) -> list[RemoteTracker]: ...  # noqa: D102

    def update_tracker(self, tracker_id: str, tracker: Tracker) -> RemoteTracker: ...  # noqa: D102

    def delete_tracker(self, tracker_id: str) -> None: ...  # noqa: D102


@dataclass(frozen=True)
class PlanOptions:
    """Per-run options of the pipeline.

    Attributes:
        env: ``--env NAME`` (selects template vars and the ids_file), or ``None``.
        api_url: the API base URL the remote talks to (recorded in the plan; no secrets).
        prune: ``--prune``; ``None`` uses ``config.prune``.
        allowances: ``--allow-deletes`` / ``--allow-protected`` / ``--allow-empty-remote``.
        paths: limit loading to these files/folders (``None`` = ``trackers_dir``).
        ids_path: where ``ids_file`` lives, overriding ``config.ids_file`` (the embedded
            emulator keeps its own, so emulator IDs never replace a real account's).
    """

    env: str | None = None
    api_url: str = ""
    prune: bool | None = None
    allowances: Allowances = field(default_factory=Allowances)
    paths: Sequence[Path] | None = None
    ids_path: Path | None = None


@dataclass
class PlanResult:
    """The plan and what it was made from (for apply, ids and the importer).

    Attributes:
        plan: the inert :class:`~trackersync.plan.Plan`.
        desired: the validated desired trackers.
        remote: the listing the plan was computed from.
        ids_path: where ``ids_file`` lives for this environment.
        record: ``ids_file`` content, or ``None`` when there is none yet.
        problems: warnings from loading the definitions (errors raise instead).
    """

    plan: Plan
    desired: list[DesiredTracker]
    remote: list[RemoteTracker]
    ids_path: Path
    record: IdsRecord | None
    problems: list[Problem] = field(default_factory=list)


def make_plan(
    root: Path, config: Config, remote: TrackerRemote, options: PlanOptions | None = None
) -> PlanResult:
    """Run the pipeline and return the plan; makes exactly one HTTP call (the list GET).

    1. Load and validate the tracker files (raises before any HTTP call).
    2. Refuse when no definition was found (C09 A: a renamed folder is not "delete all"),
       or when a defined tracker matches an ``ignore`` glob (:func:`check_not_ignored`).
    3. Read ``ids_file`` (ownership for prune, protected names, C07 D guard).
    4. Read the account: one ``GET /v1/manage/trackers``.
    5. Refuse an empty listing when ``ids_file`` records managed trackers (C07 D).
    6. Diff and assemble the :class:`Plan` (:func:`build_plan`).
    7. Refuse a plan that would exceed the account limit (C25).

    Raises:
        DefinitionError: the files have errors. PlanError: steps 2, 5, 6 and
        AccountLimitError (7). ApiError: the list GET failed.
    """
    from trackersync.definitions import load_definitions

    opts = options or PlanOptions()
    definitions = load_definitions(root, config, opts.env, opts.paths)
    definitions.raise_for_errors()
    if not definitions.trackers:
        raise PlanError(
            f"no tracker definitions found under {config.trackers_dir}/; refusing to plan "
            "(every remote tracker would look removed)"
        )
    check_not_ignored(definitions.trackers, config.ignore)
    ids_path = opts.ids_path or ids_file_path(root, config.ids_file, opts.env)
    record = read_ids_file(ids_path)
    listing = remote.list_trackers()
    check_listing(listing, len(record.names) if record else 0, opts.allowances)
    warnings = [f"{p.source}: {p.message}" if p.source else p.message
                for p in definitions.problems if p.severity == "warning"]
    plan = build_plan(definitions.trackers, listing, config, opts, record, warnings)
    check_account_limit(plan, config.account_limit)
    return PlanResult(plan, list(definitions.trackers), listing, ids_path, record,
                      list(definitions.problems))


def check_not_ignored(desired: Sequence[DesiredTracker], globs: Sequence[str]) -> None:
    """Refuse trackers the files define whose names match a config ``ignore`` glob.

    ``ignore`` promises "never touched" (README "Safety and pruning"); defining such a
    tracker asks for the opposite, so neither side silently wins.

    Args:
        desired: the validated desired trackers.
        globs: ``config.ignore`` (fnmatch, case-sensitive).

    Raises:
        PlanError: naming each such tracker, its file and the glob; raised before any
            HTTP call.
    """
    clashes = []
    for tracker in sorted(desired, key=lambda t: t.name):
        glob = next((g for g in globs if fnmatch.fnmatchcase(tracker.name, g)), None)
        if glob is not None:
            where = tracker.source.file if tracker.source else "the tracker files"
            clashes.append(f"tracker {tracker.name!r} is defined in {where} but matches "
                           f"ignore glob {glob!r}; remove one")
    if clashes:
        raise PlanError("cannot plan:\n  " + "\n  ".join(clashes))


def build_plan(
    desired: Sequence[DesiredTracker],
    listing: Sequence[RemoteTracker],
    config: Config,
    options: PlanOptions,
    record: IdsRecord | None = None,
    warnings: Sequence[str] = (),
) -> Plan:
    """Diff both sides and assemble the :class:`Plan` (pure; no I/O).

    Safety refusals that ``--allow-*`` flags can lift are recorded as warnings
    ("apply will refuse: ..."); :func:`trackersync.safety.check_deletes` enforces them.
    """
    prune = config.prune if options.prune is None else options.prune
    diff_options = DiffOptions(
        prune=prune,
        ignore=tuple(config.ignore),
        recorded=dict(record.names) if record else None,
        protected_ids=record.protected_ids if record else frozenset(),
    )
    result = diff_trackers(desired, listing, diff_options)
    plan = Plan(
        fingerprint=fingerprint_of(desired, listing),
        changes=result.changes,
        unmanaged=result.unmanaged,
        warnings=[*warnings, *result.warnings],
        summary=summarise(result.changes),
        env=options.env,
        api_url=options.api_url,
        prune=prune,
        remote_count=len(listing),
        managed_recorded=len(record.names) if record else 0,
    )
    unsafe = delete_problems(plan, config.safety, options.allowances)
    if unsafe:
        extra = [f"apply will refuse: {reason}" for reason in unsafe]
        plan = plan.model_copy(update={"warnings": [*plan.warnings, *extra]})
    return plan


__all__ = [
    "PlanOptions",
    "PlanResult",
    "TrackerRemote",
    "build_plan",
    "check_not_ignored",
    "make_plan",
]
