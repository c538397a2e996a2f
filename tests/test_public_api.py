"""The public API of the modules not pinned elsewhere: a change here is a decision.

(plan, apply, pipeline CLI, client, definitions, emulator and importer pin theirs in their
own test folders.)
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "trackersync": ["DesiredTracker", "Problem", "RemoteTracker", "SourceRef", "Tracker",
                    "TrackersyncError", "__version__"],
    "trackersync.ids": ["FORMATS", "append_github_output", "async_fragment", "env_collisions",
                        "env_variables", "format_ids", "slug"],
    "trackersync.state": ["RESTORE_ADVICE", "STATE_FORMAT_VERSION", "Account", "Snapshot",
                          "StateRecord", "StateRecordError", "owned_ids", "protected_names",
                          "read_state", "record_after_apply", "render_state", "state_path",
                          "write_state"],
    "trackersync.sync": ["ApplyOutcome", "Hooks", "IdsResult", "MergeResult", "Request",
                         "Session", "Workspace", "apply", "check_causes", "load_config",
                         "merge_state", "only_drift", "plan", "planned", "tracker_ids"],
    "trackersync.drift": ["classify", "drift_report"],
    "trackersync.record_merge": ["merge_records"],
    "trackersync.lock": ["DEFAULT_WAIT", "LOCK_PATH", "LockedError", "apply_lock"],
    "trackersync.textfile": ["CONFLICT_MARKER", "atomic_write", "atomic_write_many", "file_mode",
                             "read_state_text"],
    "trackersync.planfile": ["load_plan", "save_plan"],
    "trackersync.exactdata": ["build_exact"],
    "trackersync.diff": ["DiffOptions", "DiffResult", "comparable",
                         "diff_trackers", "ignored", "phrase_diff", "unused_ignore_warning"],
    "trackersync.safety": ["Allowances", "MIN_EXISTING_FOR_FRACTION", "check_account_limit",
                           "check_deletes", "check_listing", "delete_problems"],
    "trackersync.secrets": ["MASK", "display", "has_control", "looks_secret", "mask_secrets"],
    "trackersync.render": ["FORMATS", "render_plan"],
    "trackersync.render.text": ["CAUSE_NOTES", "REFUSED_DRIFT_NOTE", "cause_note",
                                "change_lines", "drift_lines", "render_text",
                                "summary_line", "warning_line"],
    "trackersync.render.json": ["render_json"],
    "trackersync.render.escaping": ["HIDDEN", "MARKER", "ZWJ", "code_block", "escape_path",
                                    "escape_text", "show_hidden"],
    "trackersync.render.markdown": ["DEFAULT_FULL_PLAN_HINT", "GITHUB_COMMENT_LIMIT", "MARKER",
                                    "MASK", "ZWJ", "code_block", "diff_lines", "escape_path",
                                    "escape_text", "escape_warning", "mask_secrets",
                                    "render_markdown"],
    "trackersync.protocol": ["TrackerApi"],
    "trackersync.pipeline": ["MissingStateRecord", "PlanOptions", "PlanResult",
                             "build_plan", "check_not_ignored", "make_plan",
                             "missing_state_record", "strict_warnings", "accepted_warnings"],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_api_is_pinned(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(PUBLIC[module])
    for name in imported.__all__:
        assert hasattr(imported, name), name
