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
from trackersync.plan import Change, Plan, fingerprint_of, summarise
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
    missing = None if record is not None else missing_ids_file(root, ids_path, opts.env, config)
    plan = build_plan(definitions.trackers, listing, config, opts, record, warnings,
                      missing_ids=missing)
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


@dataclass(frozen=True)
class MissingIdsFile:
    """The environment's ``ids_file`` does not exist (what :func:`build_plan` warns about).

    Attributes:
        path: where it was looked for, as shown to the user (relative to the project root
            when inside it), e.g. ``trackers.ids.prod.json``.
        others: ids files of the other accounts that do exist, each described, e.g.
            ``trackers.ids.json for the default account``.
    """

    path: str
    others: tuple[str, ...] = ()

    def warning(self, deletes: int) -> str:
        """The plan warning when pruning without an ownership record (C08)."""
        text = (
            f"no ids_file at {self.path}: prune counts every unmanaged tracker as owned "
            f"({deletes} would be deleted); run apply without --prune first to record "
            "what this repository owns"
        )
        return text + "".join(f"; found {other}" for other in self.others)


def _shown(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def missing_ids_file(
    root: Path, ids_path: Path, env: str | None, config: Config
) -> MissingIdsFile | None:
    """Describe a missing ``ids_file`` and the other accounts' ids files that exist.

    With ``--env NAME`` the default account's file (``trackers.ids.json``) is looked for
    next to ``ids_path``; without, each configured environment's
    (``trackers.ids.NAME.json``). A file for another account never counts for this one
    (README "Safety and pruning"), but finding one usually means a wrong ``--env``.

    Args:
        root: the project root (paths are shown relative to it).
        ids_path: this environment's ids_file (``trackers.ids.json``,
            ``trackers.ids.NAME.json``, or the embedded emulator's own).
        env: ``--env NAME`` or ``None``.
        config: for the names of ``environments``.

    Returns:
        ``None`` when ``ids_path`` exists, else what :func:`build_plan` warns with.
    """
    if ids_path.exists():
        return None
    stem, suffix = ids_path.stem, ids_path.suffix or ".json"
    others: list[str] = []
    if env and stem.endswith(f".{env}"):
        default = ids_path.with_name(f"{stem[: -len(env) - 1]}{suffix}")
        if default.exists():
            others.append(f"{_shown(root, default)} for the default account")
    elif not env:
        for name in sorted(config.environments):
            sibling = ids_path.with_name(f"{stem}.{name}{suffix}")
            if sibling.exists():
                others.append(f"{_shown(root, sibling)} for environment {name!r}")
    return MissingIdsFile(_shown(root, ids_path), tuple(others))


def build_plan(
    desired: Sequence[DesiredTracker],
    listing: Sequence[RemoteTracker],
    config: Config,
    options: PlanOptions,
    record: IdsRecord | None = None,
    warnings: Sequence[str] = (),
    *,
    missing_ids: MissingIdsFile | None = None,
) -> Plan:
    """Diff both sides and assemble the :class:`Plan` (pure; no I/O).

    Safety refusals that ``--allow-*`` flags can lift are recorded as warnings
    ("apply will refuse: ..."); :func:`trackersync.safety.check_deletes` enforces them.
    When pruning while ``missing_ids`` says there is no ``ids_file``, a warning says
    that every unmanaged tracker counts as owned and how many would be deleted (prune
    semantics are unchanged: before the first apply everything unmanaged is owned).
    """
    prune = config.prune if options.prune is None else options.prune
    diff_options = DiffOptions(
        prune=prune,
        ignore=tuple(config.ignore),
        recorded=dict(record.names) if record else None,
        protected_ids=record.protected_ids if record else frozenset(),
    )
    result = diff_trackers(desired, listing, diff_options)
    if prune and missing_ids is not None:
        deletes = sum(1 for change in result.changes if change.action == "delete")
        result.warnings.append(missing_ids.warning(deletes))
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
    if config.rules_for(options.env) == "lenient":
        plan = plan.model_copy(update={
            "warnings": [*plan.warnings, *strict_warnings(plan.changes)]})
    resent = accepted_warnings(plan.changes, desired, config.rules_for(options.env))
    if resent:
        plan = plan.model_copy(update={"warnings": [*plan.warnings, *resent]})
    unsafe = delete_problems(plan, config.safety, options.allowances)
    if unsafe:
        extra = [f"apply will refuse: {reason}" for reason in unsafe]
        plan = plan.model_copy(update={"warnings": [*plan.warnings, *extra]})
    return plan


def accepted_warnings(
    changes: Sequence[Change], desired: Sequence[DesiredTracker], rules: str
) -> list[str]:
    """Warn per create/update/rename that sends a tracker accepted as imported.

    Such a tracker may hold data the rules refuse (see ``docs/adopting.md``); it is
    safe while nothing is sent for it. A change made in Symbl since the import makes
    the plan send it again, and an account that enforces the rules refuses it.

    Returns:
        One warning per such change, naming the tracker and the action.
    """
    accepted = {t.name for t in desired if t.accepted_as_imported}
    return [
        f"tracker {change.name!r} is accepted as imported and may hold phrases the rules "
        f"({rules}) refuse; this {change.action} sends them again, and an account that "
        "enforces the rules refuses it; fix its phrases and remove accepted_as_imported"
        for change in changes
        if change.action != "delete" and change.name in accepted
    ]


#: At most this many phrases are named per tracker in a strict-rules warning.
STRICT_PHRASES_NAMED = 3


def strict_warnings(changes: Sequence[Change]) -> list[str]:
    """Warn per create/update/rename whose request an account on strict rules refuses.

    Under ``rules: lenient`` the files may hold phrases Symbl's 2022 (strict) rules
    refuse (``? , ! _`` ...; symbl-api.md §6 items 9-10); an API that enforces them
    answers the whole POST/PUT with 400 at apply. The check covers the full desired
    vocabulary (what the request sends), not only the added phrases, and the strict
    50-phrase maximum. At most :data:`STRICT_PHRASES_NAMED` phrases are named.

    Args:
        changes: the plan's changes (deletes are skipped: they send no vocabulary).

    Returns:
        One warning per refused change, such as ``tracker 'X': phrase 'what is the
        price?' has '?', which Symbl's strict rules refuse; an account that enforces
        them will refuse this update``.
    """
    from trackersync.definitions.rules import PROFILES, strict_refusals

    limit = PROFILES["strict"].max_phrases or 0
    warnings: list[str] = []
    for change in changes:
        if change.action == "delete" or change.vocabulary is None:
            continue
        refused = [(p, chars) for p in change.vocabulary if (chars := strict_refusals(p))]
        parts = [f"phrase {p!r} has {' and '.join(repr(c) for c in chars)}"
                 for p, chars in refused[:STRICT_PHRASES_NAMED]]
        if len(refused) > STRICT_PHRASES_NAMED:
            parts[-1] += f" (and {len(refused) - STRICT_PHRASES_NAMED} more phrases)"
        if len(change.vocabulary) > limit:
            parts.append(f"{len(change.vocabulary)} phrases (at most {limit})")
        if parts:
            warnings.append(
                f"tracker {change.name!r}: {', '.join(parts)}, which Symbl's strict rules "
                f"refuse; an account that enforces them will refuse this {change.action}"
            )
    return warnings


__all__ = [
    "MissingIdsFile",
    "PlanOptions",
    "PlanResult",
    "TrackerRemote",
    "build_plan",
    "check_not_ignored",
    "make_plan",
    "missing_ids_file",
    "accepted_warnings",
    "strict_warnings",
]
