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
    "trackersync.ids": ["FORMATS", "IdsRecord", "append_github_output", "async_fragment",
                        "format_ids", "ids_file_path", "protected_names", "read_ids_file",
                        "render_ids_file", "select", "slug", "write_ids_file"],
    "trackersync.record_merge": ["merge_records"],
    "trackersync.diff": ["DiffOptions", "DiffResult", "RESERVED_PREFIX", "comparable",
                         "diff_trackers", "phrase_diff"],
    "trackersync.safety": ["Allowances", "MIN_EXISTING_FOR_FRACTION", "check_account_limit",
                           "check_deletes", "check_listing", "delete_problems"],
    "trackersync.secrets": ["MASK", "display", "has_control", "looks_secret", "mask_secrets"],
    "trackersync.render": ["FORMATS", "render_plan"],
    "trackersync.render.text": ["change_lines", "render_text", "split_location", "summary_line",
                                "warning_line"],
    "trackersync.render.json": ["render_json"],
    "trackersync.render.markdown": ["DEFAULT_FULL_PLAN_HINT", "GITHUB_COMMENT_LIMIT", "MARKER",
                                    "MASK", "ZWJ", "code_block", "diff_lines", "escape_path",
                                    "escape_text", "escape_warning", "mask_secrets",
                                    "render_markdown"],
    "trackersync.pipeline": ["MissingIdsFile", "PlanOptions", "PlanResult", "TrackerRemote",
                             "build_plan", "check_not_ignored", "make_plan",
                             "missing_ids_file", "strict_warnings", "accepted_warnings"],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_api_is_pinned(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(PUBLIC[module])
    for name in imported.__all__:
        assert hasattr(imported, name), name
