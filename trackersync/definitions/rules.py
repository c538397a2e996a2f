"""Every validation rule in one place: its code, default severity, profile and source.

Each rule's source says why it exists: a section of ``docs/api-contract.md`` (what the
API refuses), a README section (the file format), or the reason itself. The checks live in
:mod:`.checks`; the file-format rules (syntax, keys, types) are reported by the
loader under the codes listed here too, so this table is the complete list.

Profiles (docs/api-contract.md, "Phrase count" and "Punctuation in phrases"; config key ``rules:``):

- ``strict`` (default): 1 to 50 phrases; a phrase holds only Unicode letters (with
  their combining marks), digits, whitespace, ``.``, ``'``, ``’`` (U+2019) and ``-``.
- ``lenient``: at least 1 phrase, no maximum; only ``( ) [ ]`` are refused.

Rules marked *adjustable* may have their severity changed (``error``, ``warning`` or
``off``) with the config key ``severity: {code: level}``; the others mirror what the
API refuses, or protect the account, and cannot be relaxed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from trackersync.model import Problem, Severity, SourceRef

MIN_RECOMMENDED_PHRASES = 5  # Symbl's docs recommend at least 5 phrases per tracker
MAX_WORDS = 10  # Symbl's best practices: short, simple phrases


@dataclass(frozen=True)
class Rule:
    """One rule: stable ``code``, default ``severity``, what it checks and its source."""

    code: str
    severity: Severity
    summary: str
    source: str
    adjustable: bool = False


_TABLE = (
    # --- the file itself (loader) ---
    Rule("encoding", "error", "file is not UTF-8 (a BOM and CRLF line ends are fine)",
         'README "Tracker files"'),
    Rule("yaml-syntax", "error", "YAML syntax error, tab indentation, several documents",
         'README "Tracker files" (YAML 1.2)'),
    Rule("limit", "error", "a file past a safety limit: size, nesting depth, aliases, "
         "values after alias expansion, template render time or output size",
         'bounded parsing: no file may hang the tool or exhaust memory (README "Limits")'),
    Rule("duplicate-key", "error", "a key appears twice in one mapping",
         'README "Tracker files"'),
    Rule("file-shape", "error", "empty file, a list or a scalar instead of a mapping, or a file "
         "that defines no tracker",
         "a file that defines nothing must not make every remote tracker look removed"),
    Rule("unknown-key", "error", "a key that is not part of the format (value never echoed)",
         'README "Tracker files"'),
    Rule("schema", "error", "a required key is missing or a value has the wrong type",
         'README "Tracker files"; docs/api-contract.md "Types and extra keys"'),
    Rule("quote-it", "error", "unquoted yes/no/on/off/null/number/date where a string is "
         "expected; never coerced",
         'README "Tracker files": YAML 1.1 tools read yes/no/on/off as booleans'),
    Rule("template", "error", "a .yaml.j2 template fails to render (names template and line)",
         'README "Tracker files"'),
    Rule("file-skipped", "warning", "a file in the trackers folder that is not a tracker "
         "file (not .yaml/.yml/.yaml.j2 in any case): named, never silently lost",
         "discovery rules (README \"Tracker files\")", adjustable=True),
    Rule("file-special", "error", "a FIFO, device, socket, or a symbolic link leaving the "
         "project folder: refused and never opened", "discovery rules (README \"Tracker "
         "files\")"),
    Rule("no-definitions", "error", "no tracker files found in the trackers directory",
         "a renamed or empty folder must not plan the deletion of every tracker"),
    # --- names ---
    Rule("name-empty", "error", "empty or whitespace-only name",
         'docs/api-contract.md "Types and extra keys"'),
    Rule("name-reserved", "error", "name in the platform's 'Symbl.' namespace (any case, "
         "leading spaces ignored)",
         "Symbl's own trackers use the Symbl. prefix; they are never defined or touched"),
    Rule("name-duplicate", "error", "the same name defined twice (compared in Unicode NFC, "
         "or looking the same)", 'docs/api-contract.md "Name uniqueness"'),
    Rule("id-duplicate", "error", "two definitions pin the same tracker id (id:)",
         "one tracker per definition: an id names exactly one tracker in the account"),
    Rule("name-case-variant", "warning", "names differing only in case (Symbl keeps two "
         "trackers)",
         'docs/api-contract.md "Name uniqueness": names are case-sensitive', adjustable=True),
    Rule("name-control", "error", "a control character (newline, tab, escape, bidi override…) "
         "in a name: it could forge log lines such as GitHub workflow commands",
         "output safety: a name is one line in logs, plans and PR comments"),
    Rule("name-invisible", "error", "an invisible character (zero-width space or joiner, "
         "soft hyphen, byte order mark, bidi control…) or an unusual space (no-break, thin, "
         "ideographic…) in a name: two names would look the same; the code point is named",
         "text identity (README \"Text identity\")"),
    Rule("name-whitespace", "warning", "leading, trailing or repeated spaces in a name (kept as "
         "written)",
         'docs/api-contract.md "Name uniqueness" (no trimming)', adjustable=True),
    Rule("name-ephemeral", "warning", "name ends in a GUID: looks like a leaked test tracker",
         "test runs that leak trackers fill the 500-tracker account limit", adjustable=True),
    Rule("name-mixed-script", "warning", "a word of the name mixes Latin, Cyrillic or Greek "
         "letters (a look-alike such as 'Рricing' with a Cyrillic 'Р'; the code point is named)",
         "text identity (README \"Text identity\")", adjustable=True),
    Rule("renamed-from", "error", "renamed_from names the tracker itself, a tracker defined "
         "elsewhere, or a name another tracker also claims",
         'docs/api-contract.md "Rename clash"'),
    # --- phrases ---
    Rule("phrase-empty", "error", "empty or whitespace-only phrase",
         'docs/api-contract.md "Phrase count" and "Types and extra keys"'),
    Rule("phrase-duplicate", "error", "the same phrase twice in one tracker (after whitespace "
         "and Unicode NFC normalisation)",
         'docs/api-contract.md "Duplicate phrases"'),
    Rule("phrase-case-variant", "warning", "phrases in one tracker differing only in case",
         'docs/api-contract.md "Duplicate phrases"', adjustable=True),
    Rule("phrase-charset", "error", "a character the profile refuses",
         'docs/api-contract.md "Punctuation in phrases"'),
    Rule("phrase-count", "error", "no phrase, or more than the profile allows (strict: 50)",
         'docs/api-contract.md "Phrase count"'),
    Rule("phrase-few", "warning", "fewer than 5 phrases (Symbl's recommendation)",
         'docs/api-contract.md "Phrase count" (5 is recommended)', adjustable=True),
    Rule("phrase-whitespace", "warning", "leading, trailing or repeated whitespace; the phrase "
         "is sent normalised",
         'docs/api-contract.md "Duplicate phrases" (stored as sent)', adjustable=True),
    Rule("phrase-odd-space", "warning", "an unusual space (no-break, thin, ideographic…) in "
         "a phrase; normalised: sent as a plain space (the code point is named)",
         "text identity (README \"Text identity\")", adjustable=True),
    Rule("phrase-invisible", "error", "an invisible character (zero-width space or joiner, "
         "soft hyphen, byte order mark, bidi control…) in a phrase: refused, since it would "
         "make a look-alike of another phrase (the code point is named)",
         "text identity (README \"Text identity\")"),
    Rule("phrase-mixed-script", "warning", "a word of the phrase mixes Latin, Cyrillic or "
         "Greek letters (a look-alike that matches nothing a speaker says; the code point is "
         "named)", "text identity (README \"Text identity\")", adjustable=True),
    Rule("phrase-long", "warning", "a phrase over 10 words",
         "Symbl's best practices: short, simple phrases", adjustable=True),
    Rule("phrase-shared", "warning", "the same phrase (ignoring case) in two trackers",
         'docs/api-contract.md "Matching" (matching ignores case)', adjustable=True),
    Rule("phrase-secret", "warning", "a phrase that looks like a token or key (masked)",
         "output safety: a pasted token must never reach a plan or a PR comment", adjustable=True),
    Rule("accepted-edited", "warning", "a tracker marked accepted_as_imported was edited "
         "since: the rules it was excused from apply again", "docs/adopting.md",
         adjustable=True),
    # --- limits ---
    Rule("body-size", "error", "one tracker's request body over 1 MB",
         'docs/api-contract.md "Body size"'),
    Rule("account-limit", "error", "more trackers than the account limit (500)",
         'docs/api-contract.md "Tracker limit"'),
    # --- behaviour tests (trackersync test) ---
    Rule("test-file", "error", "a conversation test file that cannot be read or has the "
         "wrong shape", "README Behaviour tests"),
    Rule("test-coverage", "warning", "a phrase that no test sentence exercises",
         "README Behaviour tests", adjustable=True),
    Rule("test-collision", "warning", "a test sentence that fires more than one tracker",
         "README Behaviour tests", adjustable=True),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _TABLE}


@dataclass(frozen=True)
class Profile:
    """A rules profile (docs/api-contract.md, "Phrase count" and "Punctuation in phrases").

    Attributes:
        name: ``"strict"`` or ``"lenient"``.
        max_phrases: most phrases per tracker, ``None`` for no maximum.
        refused: regex finding candidate refused characters in a phrase.
        allowed: human description for messages.
    """

    name: str
    max_phrases: int | None
    refused: re.Pattern[str]
    allowed: str

    def bad_chars(self, phrase: str) -> list[tuple[str, int]]:
        """Return each distinct refused character with its 1-based column in ``phrase``.

        Looks at each distinct character once, so a huge phrase costs one pass.
        """
        found: dict[str, int] = {}
        for char in set(phrase):
            if self.refused.fullmatch(char) and not (self.name == "strict" and _is_mark(char)):
                found[char] = phrase.index(char) + 1
        if self.name == "strict" and "_" in phrase:  # \w lets '_' through
            found.setdefault("_", phrase.index("_") + 1)
        return sorted(found.items(), key=lambda item: item[1])


def _is_mark(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char).startswith("M")


PROFILES: dict[str, Profile] = {
    "strict": Profile(
        "strict", 50, re.compile(r"[^\w\s.'\u2019-]"),
        "only letters, digits, spaces and . ' ’ - are allowed",
    ),
    "lenient": Profile(
        "lenient", None, re.compile(r"[()\[\]]"), "( ) [ ] are not allowed",
    ),
}


def strict_refusals(phrase: str) -> list[str]:
    """Return the distinct characters of ``phrase`` that the ``strict`` profile refuses.

    The same check as the ``phrase-charset`` rule under ``rules: strict`` (Symbl's 2022
    rules: letters, digits, spaces and ``. ' ’ -`` only; docs/api-contract.md,
    "Punctuation in phrases"), for callers that must know what an account enforcing
    those rules would refuse while the project uses ``rules: lenient``.

    Args:
        phrase: one phrase as it would be sent.

    Returns:
        The refused characters in order of first appearance (empty when strict accepts it).
    """
    return [char for char, _ in PROFILES["strict"].bad_chars(phrase)]


@dataclass
class Reporter:
    """Collects problems, applying the config's severity overrides (``off`` drops)."""

    overrides: Mapping[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        source: SourceRef | None = None,
        tracker: str | None = None,
    ) -> None:
        """Record one problem under rule ``code`` (KeyError for an unknown code)."""
        rule = RULES[code]
        level = self.overrides.get(code, rule.severity) if rule.adjustable else rule.severity
        if level == "off":
            return
        severity: Severity = "error" if level == "error" else "warning"
        self.problems.append(
            Problem(severity=severity, message=message, code=code, source=source, tracker=tracker)
        )


def check_overrides(overrides: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return ``(code, message)`` for each override naming an unknown or fixed rule."""
    import difflib

    messages = []
    for code in overrides:
        rule = RULES.get(code)
        if rule is None:
            close = difflib.get_close_matches(code, list(RULES), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            messages.append((code, f'unknown rule "{code}"{hint}'))
        elif not rule.adjustable:
            messages.append((code, f'rule "{code}" cannot be changed (the API enforces it)'))
    return messages
