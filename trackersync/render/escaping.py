"""Markdown-safe text: user strings escaped for Markdown and HTML, and fenced code blocks.

The Markdown plan (:mod:`trackersync.render.markdown`) and the GitHub action's scripts
(the job summary and the error report of a failed run) make every user string safe with
these, so a tracker name can neither become markup, mention a team or link an issue, nor
hide characters. Only the standard library and :mod:`trackersync.secrets` /
:mod:`trackersync.text` are imported: the action's small scripts need no plan machinery.
"""

from __future__ import annotations

import re

from trackersync.secrets import mask_secrets
from trackersync.text import INVISIBLE, ODD_SPACE

#: Hidden first line of every Markdown plan, and of the error report that replaces one:
#: the pull-request comment is found (and edited in place) by it.
MARKER = "<!-- trackersync-plan -->"

_SPECIALS = set("\\`*_[]<>#|~&$")
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZWJ = "\u200d"
#: A line start that Markdown reads as a list item, quote, heading or rule marker.
_BLOCK_START = re.compile(r"\s*(?:[-+=>:]|\d{1,9}[.)])")


def _visible(ch: str) -> str:
    """Return a hidden character (:data:`HIDDEN`) as visible ``\\xNN``/``\\uNNNN`` text."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: One character :func:`show_hidden` shows as an escape: a control character (Unicode
#: category Cc: U+0000-U+001F and U+007F-U+009F), a bidi control, an invisible character
#: or an unusual space.
HIDDEN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{''.join(sorted(_BIDI))}]"
                    f"|{INVISIBLE.pattern}|{ODD_SPACE.pattern}")


def show_hidden(text: str) -> str:
    """``text`` with each hidden character (:data:`HIDDEN`) shown as ``\\xNN``/``\\uNNNN``."""
    return HIDDEN.sub(lambda m: _visible(m.group()), text)


def escape_text(text: str, *, mask: bool = True) -> str:
    """Make a user string safe as inline Markdown text or HTML text (not in code spans).

    Masks tokens (:func:`mask_secrets`, unless ``mask=False``: file paths, which are
    named after trackers, not tokens); shows control, bidi and other invisible
    characters and unusual spaces as ``\\xNN``/``\\uNNNN``; turns
    ``& < > | * _ ` [ ] # ~ $ \\`` into numeric character references, and a leading
    ``-``, ``+``, ``>``, ``1.`` marker too (so a name cannot start a list or a quote
    where it begins a line); puts a zero-width joiner after ``@`` and ``#`` (no
    mention, no issue link).

    Args:
        text: any string (tracker name, file path, warning, environment name).
        mask: replace token-looking words by :data:`~trackersync.secrets.MASK` (default).

    Returns:
        Text that GitHub renders exactly as typed, with no markup of its own.
    """
    shown = mask_secrets(text) if mask else text
    visible = show_hidden(shown)
    start = _BLOCK_START.match(visible)
    block_starts = {start.end() - 1} if start else set()
    out: list[str] = []
    for index, ch in enumerate(visible):
        escape = ch in _SPECIALS or index in block_starts
        out.append(f"&#{ord(ch)};" if escape else ch)
        if ch in "@#":
            out.append(ZWJ)
    return "".join(out)


def escape_path(text: str) -> str:
    """:func:`escape_text` without masking, for a file path (``trackers/x.yaml:2:7``)."""
    return escape_text(text, mask=False)


def code_block(text: str, language: str = "") -> str:
    """Wrap ``text`` in a fenced code block no line of it can close.

    The fence is one backtick longer than the longest backtick run in ``text``
    (at least three), per CommonMark's rule that a closing fence must be at least as
    long as the opening one.

    Args:
        text: the block's content (newline-separated lines; not escaped further).
        language: info string, e.g. ``"diff"``.

    Returns:
        The fenced block, ending with a newline.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{fence}{language}\n{body}{fence}\n"


__all__ = ["HIDDEN", "MARKER", "ZWJ", "code_block", "escape_path", "escape_text", "show_hidden"]
