"""What ``trackersync import`` tells the user: one line per file, warnings, a summary."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from trackersync.importer.importer import SKIP_REASONS, ImportEntry, ImportResult
from trackersync.secrets import display


def display_path(path: Path, base: Path) -> str:
    """Return ``path`` relative to ``base`` when it lies below it, else as given."""
    try:
        return Path(os.path.relpath(path, base)).as_posix() if path.is_absolute() else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def report_lines(result: ImportResult, base: Path) -> list[str]:
    """One line per written or skipped tracker, in ``(name, id)`` order (stdout).

    Args:
        result: the import's decisions.
        base: the folder paths are shown relative to (the current directory).

    Returns:
        Lines such as ``wrote trackers/approval.yaml  (Approval, id 4476908732794496)``.
    """
    lines = []
    for entry in result.entries:
        where = display_path(entry.path, base)
        who = f"'{display(entry.tracker.name)}', id {entry.tracker.id}"
        if entry.writes:
            verb = "wrote" if entry.action == "write" else "overwrote"
            lines.append(f"{verb} {where}  ({who})")
        else:
            lines.append(f"skipped {who}: {_relative(entry.detail, base)}")
    for tracker, why in result.ignored:
        lines.append(f"ignored '{display(tracker.name)}', id {tracker.id}: {why}")
    for path in result.schemas_written:
        lines.append(f"wrote {display_path(path, base)}  (editor schema)")
    if result.config_written is not None:
        lines.append(f"wrote {display_path(result.config_written, base)}  "
                     f"(rules: {result.rules}, chosen from the account's data)")
    return lines


def warning_lines(result: ImportResult, base: Path) -> list[str]:
    """Every warning, each naming the file the tracker went to (stderr).

    Format: ``trackers/approval.yaml: warning: <the loader's message> [code] (imported as
    stored)``, the ``file: severity: message`` shape ``validate`` uses.
    """
    lines = [
        f"warning: --name {glob!r} matched no remote tracker" for glob in result.unmatched_globs
    ]
    lines.extend(f"warning: {_relative(note, base)}" for note in result.notes)
    for entry in result.written:
        where = display_path(entry.path, base)
        if entry.same_name_ids:
            prefix = f"{where}: warning: tracker {entry.tracker.name!r}"
            lines.append(_same_name_warning(prefix, entry))
        kept = "accepted as imported" if entry.fingerprint else "imported as stored"
        lines.extend(f"{where}: warning: {problem} ({kept})" for problem in entry.problems)
    if result.rules == "strict" and any(
        LENIENT_HINT_CODES & set(_codes(e.problems)) for e in result.written
    ):
        lines.append(
            "hint: these trackers are accepted as imported under `rules: strict`; if your "
            "account runs Symbl's later, looser rules, `rules: lenient` in trackersync.yaml "
            "also lets new trackers use ',' '?' '!' and more than 50 phrases"
        )
    return lines


#: Problems that ``rules: lenient`` may accept (punctuation, phrase count).
LENIENT_HINT_CODES = frozenset({"phrase-charset", "phrase-count"})


def _codes(problems: tuple[str, ...]) -> list[str]:
    """The ``[code]`` suffixes of recorded problem messages."""
    return [p.rsplit("[", 1)[-1].rstrip("]") for p in problems if p.endswith("]")]


def _same_name_warning(prefix: str, entry: ImportEntry) -> str:
    others = ", ".join(entry.same_name_ids)
    return (
        f"{prefix} (id {entry.tracker.id}): {len(entry.same_name_ids) + 1} remote trackers "
        f"share this name (other ids {others}); imported into separate files, not merged. "
        "Plan stops (names must be unique) until you delete or rename the extras in "
        "Symbl and remove or rename their files"
    )


def summary_line(result: ImportResult, base: Path) -> str:
    """The closing line, e.g. ``Imported 28 trackers into trackers/ (2 skipped: already
    defined). 5 files have warnings.``
    """
    count = len(result.written)
    noun = "tracker" if count == 1 else "trackers"
    text = f"Imported {count} {noun} into {display_path(result.directory, base).rstrip('/')}/"
    reasons = Counter(e.action for e in result.skipped)
    parts = [f"{n} skipped: {SKIP_REASONS[a]}" for a, n in sorted(reasons.items())]
    if result.ignored:
        parts.append(f"{len(result.ignored)} ignored")
    if parts:
        text += f" ({'; '.join(parts)})"
    text += "."
    warned = len(result.files_with_warnings)
    if warned:
        text += f" {warned} file{'s have' if warned != 1 else ' has'} warnings."
    accepted = sum(1 for e in result.written if e.fingerprint)
    if accepted:
        text += (f" {accepted} tracker{'s' if accepted != 1 else ''} accepted as imported "
                 "(kept as stored until edited).")
    return text


def _relative(detail: str, base: Path) -> str:
    """Shorten absolute paths inside a skip detail to paths relative to ``base``."""
    prefix = str(base.resolve()) + os.sep
    return detail.replace(prefix, "")
