"""The core: the whole flow of ``plan``, ``apply`` and ``ids``, in order, in one place.

Each CLI command parses its arguments and makes one call here; what it shows, and the
confirmation prompt, come back through :class:`Hooks` the caller supplies. Tests drive
these functions without click.

``apply`` (:func:`apply`), step by step:

1. take the checkout's apply lock (:mod:`trackersync.lock`);
2. plan (:func:`trackersync.pipeline.make_plan`: load and validate the files, read the
   state record, list the account, diff, classify each change as pending, drift or
   conflict); with a saved plan, refuse it unless nothing moved since (stale plan);
3. show the plan (``hooks.show_plan``);
4. safety: mass deletes and protected trackers (:mod:`trackersync.safety`), conflicts
   (refused without ``--overwrite-conflicts``) and, when ``safety.drift: refuse``, drift;
5. confirm (``hooks.confirm``; a saved plan was reviewed already);
6. re-read the account right before the first write; if it changed since step 2,
   stop as a stale plan (another apply, or someone in Symbl's UI, got there first);
7. apply and verify (:func:`trackersync.apply.apply_plan`);
8. record: write the state record from the account as read back, also after a failed
   or interrupted apply (what exists is recorded; a failed write still reports what
   was done);
9. emit the IDs: the outcome carries name -> id of every owned tracker (what the state
   record holds); with ``--tracker-ids-out FILE``, FILE gets the IDs of the trackers the
   files define, from the account as last read (what ``trackersync ids`` prints live).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from trackersync.apply import ApplyReport, apply_plan
from trackersync.config import Config
from trackersync.errors import ApplyError, ConfigError, DefinitionError, PlanError
from trackersync.lock import DEFAULT_WAIT, apply_lock
from trackersync.model import Problem, RemoteTracker, single_by_name
from trackersync.pipeline import PlanOptions, PlanResult, make_plan
from trackersync.plan import Plan, check_fresh, fingerprint_of
from trackersync.safety import Allowances, check_deletes
from trackersync.state import (
    owned_ids,
    protected_names,
    record_after_apply,
    state_path,
    write_state,
)
from trackersync.target import Target, open_target


class Workspace(Protocol):
    """Where a command runs: the project and the global options (the CLI's AppContext)."""

    @property
    def config_path(self) -> Path | None:
        """``--config FILE``, or ``None``."""
        ...

    @property
    def use_emulator(self) -> bool:
        """``--emulator``: run against the embedded emulator."""
        ...

    @property
    def project_root(self) -> Path:
        """The folder holding ``trackersync.yaml``, ``trackers/`` and the state record."""
        ...


def _nothing(_line: str) -> None:
    return None


def _refuse(_plan: Plan) -> bool:
    return False


def _ignore_plan(_result: PlanResult) -> None:
    return None


def _ignore_problems(_problems: Sequence[Problem]) -> None:
    return None


@dataclass
class Hooks:
    """What the caller shows and asks; the core never prints.

    Attributes:
        show_plan: called once with the plan, before any safety refusal or write.
        confirm: asked before an apply without a saved plan; ``False`` cancels it.
        problems: the tracker files' problems when they have errors (then the call
            raises :class:`~trackersync.errors.DefinitionError`).
        notice: one line for the user's attention (stderr): waiting for the lock,
            where the state record was written, a write that failed.
        progress: called after each apply step with its line and the count of changes
            done and planned, or ``None`` for none.
        failure: the report of an apply that stopped, before its error is raised.
    """

    show_plan: Callable[[PlanResult], None] = _ignore_plan
    confirm: Callable[[Plan], bool] = _refuse
    problems: Callable[[Sequence[Problem]], None] = _ignore_problems
    notice: Callable[[str], None] = _nothing
    progress: Callable[[str, int, int], None] | None = None
    failure: Callable[[ApplyReport], None] | None = None


@dataclass(frozen=True)
class Request:
    """What the user asked for, beyond the workspace.

    Attributes:
        env: ``--env NAME`` or ``None`` (the default account).
        prune: ``--prune/--no-prune``; ``None`` uses the config's ``prune``.
        allowances: ``--allow-deletes N``, ``--allow-protected``, ``--allow-empty-remote``.
        overwrite_conflicts: ``--overwrite-conflicts``: apply the files over trackers
            also changed in the account (and over drift when the config refuses it).
        lock_wait: seconds a second apply in this checkout waits for the first.
        drift_only: ``plan --drift-only``: show and count only drift and conflicts
            (what changed in the account outside trackersync), not pending changes.
        tracker_ids_out: ``apply --tracker-ids-out FILE``: after a verified apply, write
            there the IDs of the trackers the files define (what ``trackersync ids``
            prints); removed first, so a failed apply never leaves an older list there.
    """

    env: str | None = None
    prune: bool | None = None
    allowances: Allowances = field(default_factory=Allowances)
    overwrite_conflicts: bool = False
    lock_wait: float = DEFAULT_WAIT
    drift_only: bool = False
    tracker_ids_out: Path | None = None


@dataclass
class Session:
    """An opened account with its plan: what :func:`planned` yields."""

    config: Config
    result: PlanResult
    target: Target


def load_config(ws: Workspace) -> Config:
    """Load ``trackersync.yaml`` for the workspace (defaults when there is none)."""
    from trackersync.definitions import load_config as load

    return load(ws.config_path, ws.project_root)


def _account_url(target: Target) -> str:
    return "emulator" if target.emulator is not None else target.api_url


def _state_path(ws: Workspace, config: Config, target: Target, env: str | None) -> Path:
    """The state record of this account (the embedded emulator keeps its own)."""
    if target.emulator is not None:
        return state_path(ws.project_root / ".trackersync", "emulator.ids.json", env)
    return state_path(ws.project_root, config.state_file, env)


@contextmanager
def planned(
    ws: Workspace, request: Request, hooks: Hooks, saved: Plan | None = None
) -> Iterator[Session]:
    """Open the account and make the plan; the account stays open for the block.

    A ``saved`` plan made for another API URL or environment is refused before any
    HTTP call. Problems in the tracker files go to ``hooks.problems`` before the
    :class:`~trackersync.errors.DefinitionError` is raised.
    """
    config = load_config(ws)
    with open_target(ws, config, request.env) as target:
        url = _account_url(target)
        if saved is not None and (saved.api_url, saved.env) != (url, request.env):
            raise PlanError(
                f"plan was made for {saved.api_url or '?'} (env {saved.env or 'default'}), "
                f"not {url} (env {request.env or 'default'}); nothing was sent")
        options = PlanOptions(env=request.env, api_url=url, prune=request.prune,
                              allowances=request.allowances,
                              state_path=_state_path(ws, config, target, request.env))
        try:
            result = make_plan(ws.project_root, config, target.client, options)
        except DefinitionError as exc:
            hooks.problems(exc.problems)
            raise
        yield Session(config, result, target)


def plan(ws: Workspace, request: Request, hooks: Hooks, *, out: Path | None = None) -> Plan:
    """``trackersync plan``: make the plan, save it to ``out``, show it, check safety.

    Returns:
        The plan (``has_changes`` drives ``--detailed-exitcode``).

    Raises:
        UnsafePlanError: apply would refuse the plan (raised after it was shown, so an
            unsafe plan is never mistaken for "changes pending"). Any error of
            :func:`planned`. ConfigError: ``out`` cannot be written.
    """
    from trackersync.planfile import save_plan

    with planned(ws, request, hooks) as session:
        pass
    result = session.result
    if request.drift_only:
        result.plan = only_drift(result.plan)
    if out is not None:
        save_plan(result.plan, out)
    hooks.show_plan(result)
    check_deletes(result.plan, session.config.safety, request.allowances)
    return result.plan


def only_drift(plan: Plan) -> Plan:
    """The plan restricted to drift and conflicts: what changed in the account.

    For the nightly drift check: a pull request's pending changes are not drift. The
    result is for showing only (its changes no longer match what apply would do).
    """
    from trackersync.plan import summarise

    kept = [c for c in plan.changes if c.cause != "pending"]
    return plan.model_copy(update={"changes": kept, "summary": summarise(kept),
                                   "drift_only": True})


@dataclass
class ApplyOutcome:
    """What an apply did.

    Attributes:
        plan: the plan that was applied.
        report: the apply report, or ``None`` when there was nothing to change.
        state_path: where the state record was written.
        requests: HTTP requests the client made in the whole run.
        ids: name -> id of every tracker this repository owns now (what the state
            record holds; its Async API fragment is ``ids.async_fragment(ids)``). It
            includes trackers whose files were removed but which were not pruned.
    """

    plan: Plan
    report: ApplyReport | None
    state_path: Path
    requests: int
    ids: dict[str, str] = field(default_factory=dict)


def check_causes(plan: Plan, config: Config, request: Request,
                 saved: Plan | None = None) -> None:
    """Refuse conflicts (and drift, with ``safety.drift: refuse``) without the flag.

    Drift is refused when the config says so now or, for a ``saved`` plan, said so
    when that plan was made.

    Raises:
        PlanError: naming each tracker, what changed in the account, and the flag.
    """
    if request.overwrite_conflicts:
        return
    # A saved plan that said "apply refuses drift" is held to it even if the config
    # changed since: apply does what the reviewed plan showed, or nothing.
    refuse_drift = "refuse" in (config.safety.drift, plan.drift_policy,
                                saved.drift_policy if saved else None)
    refused = [c for c in plan.changes if c.cause == "conflict"
               or (c.cause == "drift" and refuse_drift)]
    if not refused:
        return
    lines = [f"tracker {c.name!r}: {c.cause} (changed in the account since the last apply"
             + (" and in the files)" if c.cause == "conflict" else ")") for c in refused]
    raise PlanError(
        "refusing to overwrite changes made in the account:\n  " + "\n  ".join(lines)
        + "\nput the account's change into the files, or pass --overwrite-conflicts to "
        "apply the files over it")


def _check_unchanged(result: PlanResult, target: Target) -> None:
    """Re-read the account right before the first write; refuse if it moved since the plan.

    Raises:
        StalePlanError: naming what moved; nothing was written.
    """
    listing = target.client.list_trackers()
    fresh = result.plan.model_copy(
        update={"fingerprint": fingerprint_of(result.desired, listing)})
    check_fresh(result.plan, fresh, {t.id: t.name for t in listing})


def _record(
    ws: Workspace, session: Session, listing: Sequence[RemoteTracker], hooks: Hooks,
    on_error: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Write the state record from ``listing``; on a write error, report first, then raise.

    Owned are the trackers the files define, those planned for deletion, and those the
    old record owned, unless that record was doubtful (edited by hand): then nothing of
    it is carried over, so a hand edit can never make a tracker owned.
    """
    result = session.result
    trusted = result.record is not None and result.record.doubtful is None
    owned = dict(result.record.names) if result.record and trusted else {}
    owned.update({c.name: str(c.tracker_id) for c in result.plan.changes
                  if c.action == "delete"})
    record = record_after_apply(
        listing, owned_ids(listing, [t.name for t in result.desired], owned),
        protected_names(result.desired, result.record),
        PlanOptions(env=result.plan.env, api_url=result.plan.api_url).account)
    try:
        write_state(result.state_path, record)
    except ConfigError:
        if on_error is not None:
            on_error()
        raise
    hooks.notice(f"State record written to {result.state_path}.")
    return record.names


def apply(
    ws: Workspace, request: Request, hooks: Hooks, *, plan_file: Path | None = None
) -> ApplyOutcome:
    """``trackersync apply``: the whole flow in the module docstring, in that order.

    Args:
        ws: the workspace.
        request: the user's options; with ``plan_file``, its ``prune`` must match the
            saved plan's and ``env`` defaults to the saved plan's.
        hooks: what to show and how to confirm.
        plan_file: a plan saved by ``plan --out``, applied only if nothing moved since.

    Returns:
        The :class:`ApplyOutcome` (verified).

    Raises:
        LockedError: another apply in this checkout held the lock too long.
        StalePlanError: the saved plan, or the account right before the first write,
            no longer matches. UnsafePlanError / PlanError: safety or conflict refusal.
        ConfigError: the user did not confirm, or the state record or the
            ``tracker_ids_out`` file cannot be written.
        ApplyError: the apply stopped or did not converge (``hooks.failure`` has seen
            the report; the state record records what exists).
        PlanError: after the apply, with ``tracker_ids_out``: a tracker the files define
            has no single ID in the account (its name is shared); nothing is written there.
    """
    from trackersync.planfile import load_plan

    if request.tracker_ids_out is not None:
        _refuse_project_file(ws, request.tracker_ids_out, plan_file)
        _remove_stale(request.tracker_ids_out)
    saved = load_plan(plan_file) if plan_file is not None else None
    if saved is not None and saved.drift_only:
        # It showed only drift and conflicts; apply would apply the whole plan.
        raise PlanError(f"{plan_file} was made with plan --drift-only and shows only "
                        "what changed in the account, not the pending changes apply "
                        "would send too; run plan --out without --drift-only; nothing "
                        "was sent")
    if saved is not None:
        if request.prune is not None and request.prune != saved.prune:
            raise ConfigError(f"{plan_file} was planned with prune={saved.prune}; "
                              "run plan again with the prune setting you want")
        request = replace(request, env=request.env if request.env is not None else saved.env,
                          prune=saved.prune)
    with apply_lock(ws.project_root, timeout=request.lock_wait, notice=hooks.notice), \
            planned(ws, request, hooks, saved) as session:
        result, client = session.result, session.target.client
        if saved is not None:
            check_fresh(saved, result.plan, {t.id: t.name for t in result.listing})
        hooks.show_plan(result)
        if not result.plan.has_changes:
            ids = _record(ws, session, result.listing, hooks)
            _write_tracker_ids(request, result, result.listing, hooks)
            return ApplyOutcome(result.plan, None, result.state_path, client.request_count,
                                ids)
        check_deletes(result.plan, session.config.safety, request.allowances)
        check_causes(result.plan, session.config, request, saved)
        if saved is None and not hooks.confirm(result.plan):
            raise ConfigError("apply cancelled; nothing was changed")
        _check_unchanged(result, session.target)
        try:
            report = apply_plan(result.plan, client, progress=hooks.progress,
                                before=result.listing)
        except ApplyError as exc:
            stopped = exc.report if isinstance(exc.report, ApplyReport) else None
            if stopped is not None and hooks.failure is not None:
                hooks.failure(stopped)
            if stopped is not None and stopped.listing is not None:
                _record(ws, session, stopped.listing, hooks)
            raise
        assert report.listing is not None  # set by every apply_plan that returns
        ids = _record(ws, session, report.listing, hooks,
                      on_error=lambda: hooks.notice(report.summary()))
        try:
            _write_tracker_ids(request, result, report.listing, hooks)
        except (PlanError, ConfigError):
            hooks.notice(report.summary())  # what was done, before why the IDs were not
            raise
        return ApplyOutcome(result.plan, report, result.state_path, client.request_count, ids)


def _refuse_project_file(ws: Workspace, path: Path, plan_file: Path | None) -> None:
    """Refuse a ``--tracker-ids-out`` path that is one of the project's own files.

    The config, a state record (any environment's, or the embedded emulator's), a file in
    the tracker or test folders: overwritten with the IDs, it would break every later
    run (and the state record is also what ``ids_file`` names, an easy mix-up). Nor may
    it be ``plan_file``, the saved plan being applied.

    Raises:
        ConfigError: ``path`` is such a file (the message names it); nothing was sent.
    """
    from trackersync.definitions.config_loader import CONFIG_NAMES

    config = load_config(ws)
    root = ws.project_root.resolve()
    target = path.resolve()
    if plan_file is not None and target == plan_file.resolve():
        raise ConfigError(f"{path}: is the saved plan being applied; --tracker-ids-out "
                          "needs a file of its own; nothing was sent")
    records = {state_path(root, config.state_file, env).resolve()
               for env in (None, *config.environments)}
    configs = {(ws.config_path or root / name).resolve() for name in CONFIG_NAMES}
    folders = [(root / folder).resolve() for folder in
               (config.trackers_dir, config.tests_dir, ".trackersync")]
    if target in records or target in configs or any(
            target.is_relative_to(folder) for folder in folders):
        raise ConfigError(f"{path}: is one of the project's own files (the config, a state "
                          "record, or in the tracker, test or .trackersync folder); "
                          "--tracker-ids-out needs a file of its own, e.g. "
                          "tracker-ids.json; nothing was sent")


def _remove_stale(path: Path) -> None:
    """Remove an earlier ``--tracker-ids-out`` file before anything else happens.

    Only a regular file is removed (through a link: the file it points at, so the link
    stays a link); what is written into rather than replaced (``/dev/stdout``, a pipe, a
    device: :func:`trackersync.textfile.write_target`) is left as it is.

    Raises:
        ConfigError: ``path`` is a folder, or it exists and cannot be removed (the
            message names it).
    """
    from trackersync.textfile import write_target

    if path.is_dir():
        raise ConfigError(f"{path}: is a folder; --tracker-ids-out needs a file path; "
                          "nothing was sent")
    replaced, written_into = write_target(path)
    if written_into:
        return
    try:
        replaced.unlink(missing_ok=True)
    except NotADirectoryError:
        raise ConfigError(f"{path}: a folder on its path is a file; nothing was sent") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot remove the earlier tracker IDs: "
                          f"{exc.strerror or exc}; nothing was sent") from exc


def _write_tracker_ids(request: Request, result: PlanResult,
                       listing: Sequence[RemoteTracker], hooks: Hooks) -> None:
    """With ``request.tracker_ids_out``: write the IDs of the trackers the files define.

    Taken from ``listing`` (the account as read back after the writes, or as planned when
    nothing changed): the same IDs ``trackersync ids`` prints then, with no request.
    Unlike the state record, they leave out owned trackers whose files were removed but
    which were not pruned.

    Raises:
        PlanError: a defined tracker has no single ID there (its name is shared);
            ``hooks.notice`` names each one first. ConfigError: the file cannot be written.
    """
    if request.tracker_ids_out is None:
        return
    from trackersync.ids import write_fragment

    names = _single_ids(listing, [t.name for t in result.desired], hooks,
                        "the tracker IDs were not written")
    write_fragment(request.tracker_ids_out, names)


@dataclass(frozen=True)
class MergeResult:
    """What :func:`merge_state` wrote.

    Attributes:
        path: this environment's state record.
        owned: how many trackers it records now.
        added: how many of them only the other copies recorded.
        merged: the other copies that were read, in the order given.
        skipped: the other copies that do not exist (skipped).
    """

    path: Path
    owned: int
    added: int
    merged: tuple[Path, ...] = ()
    skipped: tuple[Path, ...] = ()


def merge_state(ws: Workspace, env: str | None, others: Sequence[Path]) -> MergeResult:
    """``trackersync merge-ids``: merge other copies of the state record into this one.

    A tracker stays owned when this record or any of ``others`` records its ID and the
    ID still exists in the account (one list GET); it is recorded under its current name
    (:func:`trackersync.record_merge.merge_records`). Missing files are skipped.

    Raises:
        ConfigError: there is nothing to merge (no record here, none of ``others``
            exists), checked before any request. StateRecordError: a copy cannot be
            trusted, or one was edited by hand (a hand-edited copy could claim a
            tracker made by hand); nothing is written. ApiError: the list GET failed.
    """
    from trackersync.pipeline import PlanOptions
    from trackersync.record_merge import merge_records
    from trackersync.state import StateRecordError, read_state

    config = load_config(ws)
    path = (state_path(ws.project_root / ".trackersync", "emulator.ids.json", env)
            if ws.use_emulator else state_path(ws.project_root, config.state_file, env))
    if not path.exists() and not any(other.exists() for other in others):
        # An empty record would end the "no state record yet" state (in which prune
        # deletes nothing and plan says so) without recording anything; apply makes it.
        given = (f" and none of {', '.join(map(str, others))} exists" if others
                 else " and no copy given")
        raise ConfigError(f"nothing to merge: no state record at {path}{given}; nothing "
                          "was written (apply writes the first state record)")
    with open_target(ws, config, env) as target:
        account = PlanOptions(env=env, api_url=_account_url(target)).account
        ours = read_state(path, account)
        theirs = [read_state(other, account) for other in others]
        if ours is None and all(record is None for record in theirs):
            # An empty record would silently end the "no state record yet" state (in
            # which plan warns that prune counts every unmanaged tracker as owned)
            # without recording anything: the first record is made by apply.
            given = (f" and none of {', '.join(map(str, others))} exists" if others
                     else " and no copy given")
            raise ConfigError(f"nothing to merge: no state record at {path}{given}; "
                              "nothing was written (apply writes the first one)")
        doubtful = [r.doubtful for r in (ours, *theirs) if r is not None and r.doubtful]
        if doubtful:
            # A hand-edited copy may claim a tracker made by hand; the merged record
            # gets a fresh digest, so prune would then trust that claim and delete it.
            raise StateRecordError(
                f"refusing to merge: {doubtful[0]}, and the merged record would make "
                "what it claims owned (prune would then delete it); nothing was written. "
                "Restore that file from git (git log -- FILE, then git checkout COMMIT -- "
                "FILE) or from the CI artifact of the last apply; this checkout's own "
                "record is also rewritten from the account by an apply without --prune")
        listing = target.client.list_trackers()
    merged = merge_records([ours, *theirs], listing, account)
    write_state(path, merged)
    before = set(ours.names.values()) if ours else set()
    added = sum(1 for tid in merged.names.values() if tid not in before)
    read = tuple(o for o, r in zip(others, theirs, strict=True) if r is not None)
    skipped = tuple(o for o, r in zip(others, theirs, strict=True) if r is None)
    return MergeResult(path, len(merged.names), added, read, skipped)


@dataclass(frozen=True)
class IdsResult:
    """The IDs of the trackers the files define, read live.

    Attributes:
        ids: name -> id, sorted by name (only the names asked for).
    """

    ids: dict[str, str]


def tracker_ids(
    ws: Workspace, env: str | None, names: Sequence[str], hooks: Hooks
) -> IdsResult:
    """``trackersync ids``: the live IDs of the trackers the files define (one list GET).

    Args:
        ws: the workspace.
        env: ``--env NAME`` or ``None``.
        names: only these trackers (all defined ones when empty).
        hooks: ``problems`` for file errors, ``notice`` for each tracker with no ID.

    Raises:
        ConfigError: a name no file defines. PlanError: a defined tracker has no single
            ID in the account (not applied yet, or its name is shared): a partial list
            would silently drop trackers from Async API requests.
    """
    from trackersync.definitions import load_definitions

    config = load_config(ws)
    definitions = load_definitions(ws.project_root, config, env)
    try:
        definitions.raise_for_errors()
    except DefinitionError as exc:
        hooks.problems(exc.problems)
        raise
    from trackersync.text import nfc

    names = [nfc(n) for n in names]  # compared in Unicode NFC, like every name
    defined = [t.name for t in definitions.trackers]
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise ConfigError("no tracker file defines " + ", ".join(map(repr, unknown)))
    with open_target(ws, config, env) as target:
        listing = target.client.list_trackers()
    return IdsResult(_single_ids(listing, list(names) or defined, hooks, "run apply first"))


def _single_ids(listing: Sequence[RemoteTracker], wanted: Sequence[str], hooks: Hooks,
                advice: str) -> dict[str, str]:
    """Map each of ``wanted`` to its single ID in ``listing`` (sorted by name).

    Raises:
        PlanError: a name has no single ID there (missing, or shared); each is named
            through ``hooks.notice`` first, and ``advice`` (what to do, or what was not
            done) ends the message.
    """
    from trackersync.secrets import display

    single = single_by_name(listing)
    present = {t.name for t in listing}
    missing = [n for n in wanted if n not in single]
    for name in missing:
        state = ("is ambiguous (several share its name)" if name in present
                 else "is not in the account yet")
        hooks.notice(f"error: tracker '{display(name)}' {state}")
    if missing:
        raise PlanError(f"{len(missing)} tracker(s) the files define have no single ID in "
                        f"the account; {advice}")
    return {n: single[n].id for n in sorted(wanted)}


__all__ = [
    "ApplyOutcome",
    "Hooks",
    "IdsResult",
    "MergeResult",
    "Request",
    "Session",
    "Workspace",
    "apply",
    "check_causes",
    "load_config",
    "merge_state",
    "only_drift",
    "plan",
    "planned",
    "tracker_ids",
]
