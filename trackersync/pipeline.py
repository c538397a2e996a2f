"""Making a plan: load -> validate -> read the state record -> list -> diff -> classify.

:func:`make_plan` is the planning half of the flow in :mod:`trackersync.sync` (plan,
apply and the importer all use it). The account is reached only through the
:class:`~trackersync.protocol.TrackerApi` protocol, which ``SymblClient`` implements
and tests fake in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trackersync.config import Config
from trackersync.diff import DiffOptions, diff_trackers, ignored
from trackersync.drift import classify
from trackersync.errors import PlanError
from trackersync.model import DesiredTracker, Problem, RemoteTracker
from trackersync.plan import Change, Plan, fingerprint_of, summarise
from trackersync.protocol import TrackerApi
from trackersync.safety import Allowances, check_account_limit, check_listing, delete_problems
from trackersync.state import RESTORE_ADVICE, Account, StateRecord, read_state, state_path


@dataclass(frozen=True)
class PlanOptions:
    """Per-run options of the pipeline.

    Attributes:
        env: ``--env NAME`` (selects template vars and the state record), or ``None``.
        api_url: the API base URL the remote talks to (recorded in the plan; no secrets).
        prune: ``--prune``; ``None`` uses ``config.prune``.
        allowances: ``--allow-deletes`` / ``--allow-protected`` / ``--allow-empty-remote``.
        paths: limit loading to these files/folders (``None`` = ``trackers_dir``).
        state_path: where the state record lives, overriding ``config.state_file`` (the
            embedded emulator keeps its own, so emulator IDs never replace a real
            account's).
    """

    env: str | None = None
    api_url: str = ""
    prune: bool | None = None
    allowances: Allowances = field(default_factory=Allowances)
    paths: Sequence[Path] | None = None
    state_path: Path | None = None

    @property
    def account(self) -> Account:
        """The account planned against (API URL and environment; no credentials)."""
        return Account(api_url=self.api_url, env=self.env)


@dataclass
class PlanResult:
    """The plan and what it was made from (for apply, ids and the importer).

    Attributes:
        plan: the inert :class:`~trackersync.plan.Plan`.
        desired: the validated desired trackers.
        listing: the account's trackers the plan was computed from.
        state_path: where the state record lives for this environment.
        record: the state record, or ``None`` when there is none yet.
        problems: warnings from loading the definitions (errors raise instead).
    """

    plan: Plan
    desired: list[DesiredTracker]
    listing: list[RemoteTracker]
    state_path: Path
    record: StateRecord | None
    problems: list[Problem] = field(default_factory=list)


def make_plan(
    root: Path, config: Config, api: TrackerApi, options: PlanOptions | None = None
) -> PlanResult:
    """Run the pipeline and return the plan; makes exactly one HTTP call (the list GET).

    1. Load and validate the tracker files (raises before any HTTP call).
    2. Refuse when no definition was found (a renamed folder is not "delete all"),
       when a defined tracker matches an ``ignore`` entry (:func:`check_not_ignored`),
       or, with prune on, when a file in the trackers folder was skipped (its trackers
       would look removed).
    3. Read the state record (ownership for prune, protected names, the snapshots that
       tell pending, drift and conflict apart); one that cannot be trusted raises.
    4. Read the account: one ``GET /v1/manage/trackers``.
    5. Refuse an empty listing when the state record records owned trackers (a wrong
       account or a failed read must not become "create everything").
    6. Diff, classify and assemble the :class:`Plan` (:func:`build_plan`).
    7. Refuse a plan that would exceed the account limit.

    Raises:
        DefinitionError: the files have errors. StateRecordError: step 3. PlanError:
        steps 2, 5, 6 and AccountLimitError (7). ApiError: the list GET failed.
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
    prune = config.prune if opts.prune is None else opts.prune
    if prune and definitions.skipped:
        raise PlanError(
            "refusing to plan with prune on: these files in the trackers folder were not "
            "read, so trackers they may define would be planned for deletion:\n  "
            + "\n  ".join(definitions.skipped)
            + "\nrename each to .yaml (or .yml, .yaml.j2) if it defines trackers, or move it "
            "out of the trackers folder (documentation files such as .md are fine)"
        )
    path = opts.state_path or state_path(root, config.state_file, opts.env)
    record = read_state(path, opts.account)
    # optional (see TrackerApi): the client then holds the files' equal phrases once
    share = getattr(api, "share_phrases", None)
    if share is not None:
        share(definitions.trackers)
    listing = api.list_trackers()
    check_listing(listing, len(record.names) if record else 0, opts.allowances)
    missing = None if record is not None else missing_state_record(root, path, opts.env, config)
    warnings = [p for p in definitions.problems if p.severity == "warning"]
    plan = build_plan(definitions.trackers, listing, config, opts, record, warnings,
                      missing_record=missing)
    check_account_limit(plan, config.account_limit)
    return PlanResult(plan, list(definitions.trackers), listing, path, record,
                      list(definitions.problems))


def check_not_ignored(desired: Sequence[DesiredTracker], globs: Sequence[str]) -> None:
    """Refuse trackers the files define whose names match a config ``ignore`` glob.

    ``ignore`` promises "never touched" (README "Safety and pruning"); defining such a
    tracker asks for the opposite, so neither side silently wins.

    Args:
        desired: the validated desired trackers.
        globs: ``config.ignore`` (exact names or fnmatch globs, case-sensitive).

    Raises:
        PlanError: naming each such tracker, its file and the glob; raised before any
            HTTP call.
    """
    clashes = []
    for tracker in sorted(desired, key=lambda t: t.name):
        glob = next((g for g in globs if ignored(tracker.name, [g])), None)
        if glob is not None:
            where = tracker.source.file if tracker.source else "the tracker files"
            clashes.append(f"tracker {tracker.name!r} is defined in {where} but matches "
                           f"ignore glob {glob!r}; remove one")
    if clashes:
        raise PlanError("cannot plan:\n  " + "\n  ".join(clashes))


@dataclass(frozen=True)
class MissingStateRecord:
    """The environment's state record does not exist (what :func:`build_plan` warns about).

    Attributes:
        path: where it was looked for, as shown to the user (relative to the project root
            when inside it), e.g. ``trackers.ids.prod.json``.
        others: state records of the other accounts that do exist, each described, e.g.
            ``trackers.ids.json for the default account``.
    """

    path: str
    others: tuple[str, ...] = ()

    def warning(self) -> Problem:
        """The plan warning when pruning without a state record: nothing is owned yet."""
        text = (
            f"no state record at {self.path}: prune deletes nothing until an apply records "
            "what this repository owns (a tracker made by hand is never taken as owned)"
        )
        text += "".join(f"; found {other}" for other in self.others)
        return Problem(severity="warning", code="no-state-record", message=text)


def _shown(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def missing_state_record(
    root: Path, path: Path, env: str | None, config: Config
) -> MissingStateRecord | None:
    """Describe a missing state record and the other accounts' records that exist.

    With ``--env NAME`` the default account's file (``trackers.ids.json``) is looked for
    next to ``path``; without, each configured environment's (``trackers.ids.NAME.json``).
    A record of another account never counts for this one, but finding one usually
    means a wrong ``--env``.

    Args:
        root: the project root (paths are shown relative to it).
        path: this environment's state record.
        env: ``--env NAME`` or ``None``.
        config: for the names of ``environments``.

    Returns:
        ``None`` when ``path`` exists, else what :func:`build_plan` warns with.
    """
    if path.exists():
        return None
    stem, suffix = path.stem, path.suffix or ".json"
    others: list[str] = []
    if env and stem.endswith(f".{env}"):
        default = path.with_name(f"{stem[: -len(env) - 1]}{suffix}")
        if default.exists():
            others.append(f"{_shown(root, default)} for the default account")
    elif not env:
        for name in sorted(config.environments):
            sibling = path.with_name(f"{stem}.{name}{suffix}")
            if sibling.exists():
                others.append(f"{_shown(root, sibling)} for environment {name!r}")
    return MissingStateRecord(_shown(root, path), tuple(others))


def _warning(message: str, code: str, tracker: str | None = None) -> Problem:
    return Problem(severity="warning", code=code, message=message, tracker=tracker)


def build_plan(
    desired: Sequence[DesiredTracker],
    listing: Sequence[RemoteTracker],
    config: Config,
    options: PlanOptions,
    record: StateRecord | None = None,
    warnings: Sequence[Problem] = (),
    *,
    missing_record: MissingStateRecord | None = None,
) -> Plan:
    """Diff both sides, give each change its cause, and assemble the :class:`Plan` (no I/O).

    Prune deletes only trackers the state record owns: with no record it deletes
    nothing (a warning says so), and with a doubtful record (edited by hand) it
    refuses, so a lost or damaged record never widens what is deleted. Safety refusals
    that ``--allow-*`` flags can lift are recorded as warnings ("apply will refuse:
    ..."); :func:`trackersync.safety.check_deletes` enforces them.

    Args:
        desired: the validated desired trackers.
        listing: the account's trackers.
        config: the project configuration.
        options: the run's options.
        record: the state record, if there is one.
        warnings: warnings to carry into the plan (the definitions' own).
        missing_record: set when the state record does not exist (for the warning).

    Raises:
        PlanError: pruning with a doubtful state record; the differ's errors.
    """
    prune = config.prune if options.prune is None else options.prune
    if prune and record is not None and record.doubtful:
        raise PlanError(
            f"refusing to prune: {record.doubtful}, and prune decides from it what to "
            "delete. Run apply without --prune to rewrite it from the account, or "
            f"{RESTORE_ADVICE}")
    diff_options = DiffOptions(
        prune=prune,
        ignore=tuple(config.ignore),
        recorded=dict(record.names) if record else {},
        protected_ids=record.protected_ids if record else frozenset(),
    )
    result = diff_trackers(desired, listing, diff_options)
    plan_warnings = [*warnings, *result.warnings]
    if prune and missing_record is not None:
        plan_warnings.append(missing_record.warning())
    if record is not None and record.doubtful:
        plan_warnings.append(_warning(
            f"{record.doubtful}: prune refuses to run on it until an apply without "
            f"--prune rewrites it from the account, or {RESTORE_ADVICE}", "doubtful-record"))
    changes = classify(result.changes, desired, listing, record)
    rules = config.rules_for(options.env)
    if rules == "lenient":
        plan_warnings += strict_warnings(changes)
    plan_warnings += accepted_warnings(changes, desired, rules)
    plan = Plan(
        fingerprint=fingerprint_of(desired, listing),
        changes=changes,
        unmanaged=result.unmanaged,
        warnings=plan_warnings,
        summary=summarise(changes),
        env=options.env,
        api_url=options.api_url,
        prune=prune,
        remote_count=len(listing),
        drift_policy=config.safety.drift,
    )
    unsafe = delete_problems(plan, config.safety, options.allowances)
    if unsafe:
        extra = [_warning(f"apply will refuse: {reason}", "unsafe") for reason in unsafe]
        plan = plan.model_copy(update={"warnings": [*plan.warnings, *extra]})
    return plan


def accepted_warnings(
    changes: Sequence[Change], desired: Sequence[DesiredTracker], rules: str
) -> list[Problem]:
    """Warn per create/update/rename that sends a tracker accepted as imported.

    Such a tracker may hold data the rules refuse (see ``docs/adopting.md``); it is
    safe while nothing is sent for it. A change made in Symbl since the import makes
    the plan send it again, and an account that enforces the rules refuses it.

    Returns:
        One warning per such change, naming the tracker and the action.
    """
    accepted = {t.name: t for t in desired if t.accepted_as_imported}
    return [
        Problem(severity="warning", code="accepted-resent", tracker=change.name,
                source=accepted[change.name].source, message=(
                    f"tracker {change.name!r} is accepted as imported and may hold phrases "
                    f"the rules ({rules}) refuse; this {change.action} sends them again, "
                    "and an account that enforces the rules refuses it; fix its phrases "
                    "and remove accepted_as_imported"))
        for change in changes
        if change.action != "delete" and change.name in accepted
    ]


#: At most this many phrases are named per tracker in a strict-rules warning.
STRICT_PHRASES_NAMED = 3


def strict_warnings(changes: Sequence[Change]) -> list[Problem]:
    """Warn per create/update/rename whose request an account on strict rules refuses.

    Under ``rules: lenient`` the files may hold phrases Symbl's 2022 (strict) rules
    refuse (``? , ! _`` ...; docs/api-contract.md, "Punctuation in phrases"); an API that enforces
    them answers the whole POST/PUT with 400 at apply. The check covers the full desired
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
    warnings: list[Problem] = []
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
            warnings.append(_warning(
                f"tracker {change.name!r}: {', '.join(parts)}, which Symbl's strict rules "
                f"refuse; an account that enforces them will refuse this {change.action}",
                "strict-rules", change.name))
    return warnings


__all__ = [
    "MissingStateRecord",
    "PlanOptions",
    "PlanResult",
    "build_plan",
    "check_not_ignored",
    "make_plan",
    "missing_state_record",
    "accepted_warnings",
    "strict_warnings",
]
