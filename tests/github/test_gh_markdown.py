"""The Markdown plan: layout, escaping of every user string, masking, truncation."""

from __future__ import annotations

import html
import re

import pytest

from trackersync.model import Problem
from trackersync.plan import Change, Fingerprint, Plan, summarise
from trackersync.render import render_plan
from trackersync.render.markdown import (
    DEFAULT_FULL_PLAN_HINT,
    GITHUB_COMMENT_LIMIT,
    MARKER,
    MASK,
    ZWJ,
    code_block,
    escape_text,
    mask_secrets,
    render_markdown,
)

FAKE_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.ZmFrZS1zaWduYXR1cmU"  # token-shaped, not real


def make_plan(changes: list[Change], **kw: object) -> Plan:
    fp = Fingerprint(desired="d" * 64, remote="r" * 64)
    return Plan(fingerprint=fp, changes=changes, summary=summarise(changes), **kw)  # type: ignore[arg-type]


def create(name: str, phrases: list[str]) -> Change:
    return Change(action="create", name=name, vocabulary=phrases, added=sorted(phrases),
                  source=f"trackers/{len(name)}.yaml:1:1")


def delete(name: str, phrases: list[str], tracker_id: str = "5000000000000009") -> Change:
    return Change(action="delete", name=name, tracker_id=tracker_id, removed=sorted(phrases))


def outside_code(md: str) -> str:
    """The Markdown with fenced code blocks removed (fences of any length)."""
    out, fence = [], None
    for line in md.splitlines():
        m = re.match(r"^(`{3,})", line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and line.startswith(fence) and line.strip("`") == "":
            fence = None
        elif fence is None:
            out.append(line)
    assert fence is None, "a code block was left open"
    return "\n".join(out)


def code_lines(md: str) -> list[str]:
    """Lines inside fenced code blocks, parsed the way CommonMark closes fences."""
    lines, fence = [], None
    for line in md.splitlines():
        m = re.match(r"^(`{3,})", line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and re.fullmatch("`{" + str(len(fence)) + r",}\s*", line):
            fence = None
        elif fence is not None:
            lines.append(line)
    return lines


def test_layout_counts_banner_sections_unmanaged() -> None:
    changes = [
        create("Promotion Mention", ["we have a sale", "special offer"]),
        Change(action="update", name="Pricing", tracker_id="5000000000000001",
               vocabulary=["how much"], added=["how much"], removed=["what price"],
               source="trackers/pricing.yaml:1:1"),
        Change(action="rename", name="New", old_name="Old", tracker_id="5000000000000002",
               vocabulary=["x"], source="trackers/new.yaml:1:1"),
        delete("Gone", ["bye"]),
    ]
    md = render_markdown(make_plan(changes, unmanaged=["Legacy One", "Legacy Two"]))
    assert md.startswith(MARKER + "\n")
    assert "> [!WARNING]" in md and "**deletes 1 tracker**: Gone." in md
    assert "| ➕ create | 1 | 2 | 0 |" in md
    assert "| ✏️ update | 1 | 1 | 1 |" in md
    assert "| 🗑️ delete | 1 | 0 | 1 |" in md
    assert "| **Total** | **4** | **3** | **2** |" in md
    assert md.count("<details>") == 4 and md.count("</details>") == 4
    assert "<code>Old</code> → <code>New</code>" in md
    assert code_lines(md) == [
        "+ special offer", "+ we have a sale",
        "- what price", "+ how much",
        "  (phrases unchanged)",
        "- bye",
    ]
    assert "### Unmanaged trackers (2)" in md and "- Legacy One\n- Legacy Two" in md
    assert len(md) <= GITHUB_COMMENT_LIMIT


def test_no_changes_has_no_banner_and_no_sections() -> None:
    md = render_markdown(make_plan([]))
    assert "**No changes.**" in md
    assert "[!WARNING]" not in md and "<details>" not in md and "[!NOTE]" not in md


def test_no_banner_without_deletes() -> None:
    md = render_markdown(make_plan([create("A", ["a"])]))
    assert "[!WARNING]" not in md


def test_render_plan_markdown_format_uses_this_renderer() -> None:
    plan = make_plan([create("A", ["a"])])
    assert render_plan(plan, "markdown") == render_markdown(plan).rstrip("\n")


HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "@team please look",
    "`code` and ``` fence",
    "a | b | c",
    "<!-- hide the rest",
    "**bold** _it_ [link](http://evil) # head ~~s~~ $x$ \\",
    "- list item",
    "1. ordered",
    "> quote",
    "#123 issue link",
    "line\nbreak\u202eRTL",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_escape_text_leaves_no_markup(name: str) -> None:
    out = escape_text(name)
    raw = re.sub(r"&#\d+;", "", out)  # what is left once character references are taken out
    assert not set("<>|*_`[]~$\\&#\n\u202e") & set(raw)
    assert re.match(r"\s*([-+>]|\d+[.)])", out) is None, "could start a block"
    shown = html.unescape(out)  # what a reader sees
    assert re.search(r"@[A-Za-z0-9]", shown) is None, "a mention would ping"
    assert re.search(r"#[0-9]", shown) is None, "an issue reference would link"
    expected = name.replace("\n", "\\x0a").replace("\u202e", "\\u202e")
    assert shown.replace(ZWJ, "") == expected


def test_hostile_names_and_phrases_cannot_inject() -> None:
    phrases = ["<img src=x onerror=alert(1)>", "ping @team now", "tick ` tock",
               "```", "a | b", "<!-- x", "````` five", "new\n```\nline"]
    changes = [create(n, phrases) for n in HOSTILE_NAMES]
    changes.append(delete("@org/admins <b>x</b>", ["y"]))
    plan = make_plan(changes, unmanaged=["@team <img src=x>", "`x`|y"],
                     warnings=[Problem(severity="warning", message="<!-- warning @team")],
                     env="prod @team")
    md = render_markdown(plan)
    prose = outside_code(md)
    # Outside code, the only tags are ours, and no user text opens a comment or mentions.
    tags = set(re.findall(r"</?([a-zA-Z]+)", prose))
    assert tags <= {"details", "summary", "code", "sub"}
    assert prose.count("<!--") == 1 and prose.startswith(MARKER)
    assert re.search(r"@[A-Za-z0-9]", prose) is None
    assert all("|" not in line for line in prose.splitlines() if not line.startswith("|"))
    # Inside code, every phrase line is a +/- line: nothing closed a fence early.
    lines = code_lines(md)
    assert all(line.startswith(("+ ", "- ")) for line in lines), lines
    assert "+ ````` five" in lines and "+ new\\x0a```\\x0aline" in lines
    assert md.count("<details>") == md.count("</details>") == len(changes)


def test_code_block_fence_is_longer_than_any_backtick_run() -> None:
    block = code_block("a ```` b\n`````", "diff")
    assert block.startswith("``````diff\n") and block.endswith("\n``````\n")
    assert code_block("plain").startswith("```\n")


def test_token_like_phrases_and_names_are_masked() -> None:
    secret = "k3yA9" * 8  # 40 chars of mixed letters and digits
    md = render_markdown(make_plan([create(FAKE_JWT, [FAKE_JWT, f"key {secret}", "normal words"])]))
    assert FAKE_JWT not in md and secret not in md
    assert f"+ {MASK}" in md and "+ normal words" in md
    assert mask_secrets("a perfectly ordinary phrase with longwordswithoutdigitsatallhere") == (
        "a perfectly ordinary phrase with longwordswithoutdigitsatallhere")


def test_400_trackers_truncated_under_limit_with_note() -> None:
    phrases = [f"phrase number {i} about pricing and offers for customers" for i in range(40)]
    changes = [create(f"Tracker {i:03d}", phrases) for i in range(400)]
    plan = make_plan(changes, unmanaged=[f"Unmanaged {i}" for i in range(300)])
    full = render_markdown(plan, max_chars=10**9)
    assert len(full) > GITHUB_COMMENT_LIMIT and full.count("<details>") == 400
    md = render_markdown(plan)
    assert len(md) <= GITHUB_COMMENT_LIMIT
    shown = md.count("<details>")
    assert 0 < shown < 400 and md.count("</details>") == shown
    note = f"> {shown} of 400 trackers shown; {DEFAULT_FULL_PLAN_HINT}."
    assert note in md and "workflow artifact `trackersync-plan`" in md
    # The shown sections are the first ones, whole; the table still counts all 400.
    assert "Tracker 000" in md and f"Tracker {shown - 1:03d}" in md
    assert f"Tracker {shown:03d}" not in md
    assert "| ➕ create | 400 |" in md
    # Nearly full: one more section would not have fitted.
    section = full.split("<details>")[1]
    assert len(md) + len(section) > GITHUB_COMMENT_LIMIT - 200
    assert "- … and 200 more" in md  # unmanaged list capped


def test_truncation_respects_small_limits_and_custom_hint() -> None:
    changes = [create(f"T{i}", ["a phrase"]) for i in range(50)]
    md = render_markdown(make_plan(changes), max_chars=3000, full_plan_hint="see plan.json")
    assert len(md) <= 3000 and "trackers shown; see plan.json." in md
    tiny = render_markdown(make_plan(changes), max_chars=300)
    assert len(tiny) <= 300


def test_one_huge_tracker_caps_its_phrase_lines() -> None:
    md = render_markdown(make_plan([create("Big", [f"phrase {i}" for i in range(5000)])]))
    assert "… 4800 more phrase changes not shown" in md
    assert len(md) <= GITHUB_COMMENT_LIMIT


def test_hidden_characters_are_exactly_controls_bidi_invisibles_and_odd_spaces() -> None:
    # one regex stands for the per-character rule: held equal to it over every code point
    import unicodedata

    from trackersync.render.escaping import HIDDEN, show_hidden
    from trackersync.text import INVISIBLE, ODD_SPACE

    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    everything = "".join(map(chr, range(0x110000)))
    # Unicode's stability policy fixes the control characters (Cc), all below U+0100
    controls = {ch for ch in everything[:0x100] if unicodedata.category(ch) == "Cc"}
    expected = (controls | bidi | set(INVISIBLE.findall(everything))
                | set(ODD_SPACE.findall(everything)))
    assert set(HIDDEN.findall(everything)) == expected
    assert show_hidden("a\x00b\u202ec\u200bd\u3000e\u0085") == (
        "a\\x00b\\u202ec\\u200bd\\u3000e\\x85")
