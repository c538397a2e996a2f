"""Views of a :class:`~trackersync.behaviour.detect.DetectResult`: a table or JSON."""

from __future__ import annotations

import json

import click

from trackersync.behaviour.detect import DetectResult
from trackersync.client.asyncapi import MessageRef
from trackersync.secrets import display

FORMATS = ("text", "json")


def highlight(ref: MessageRef, phrase: str, *, color: bool) -> str:
    """The sentence with the exact match marked (``[…]``, or bold with colour).

    Every part goes through :func:`~trackersync.secrets.display`: a sentence from the API
    can neither forge a log line nor drive the terminal.
    """
    if ref.offset < 0 or ref.offset + len(phrase) > len(ref.text):
        return display(ref.text)
    start, end = ref.offset, ref.offset + len(phrase)
    found = display(ref.text[start:end])
    marked = click.style(found, bold=True, underline=True) if color else f"[{found}]"
    return display(ref.text[:start]) + marked + display(ref.text[end:])


def render_table(result: DetectResult, *, color: bool = False) -> str:
    """One row per (tracker, phrase, sentence): ``tracker | phrase | match | sentence``."""
    rows = [(display(d.name), display(m.value), "exact" if r.exact else "contextual",
             highlight(r, m.value, color=color))
            for d in result.detections for m in d.matches for r in m.refs]
    header = (f"Conversation {result.submission.conversation_id} "
              f"(job {result.submission.job_id}): ")
    if not rows:
        return header + "no tracker detected."
    heads = ("TRACKER", "PHRASE", "MATCH", "SENTENCE")
    widths = [max(len(str(row[i])) for row in [heads, *rows]) for i in range(3)]
    lines = [header + f"{len(result.detections)} tracker(s) detected.", ""]
    for row in [heads, *rows]:
        lines.append("  ".join(str(row[i]).ljust(widths[i]) for i in range(3)) + "  " + row[3])
    return "\n".join(lines)


def render_json(result: DetectResult) -> str:
    """``{"conversationId", "jobId", "trackers": [...]}`` (the trackers-detected shape)."""
    trackers = [{"id": d.id, "name": d.name, "matches": [
        {"type": "vocabulary", "value": m.value,
         "messageRefs": [{"id": r.id, "text": r.text, "offset": r.offset} for r in m.refs]}
        for m in d.matches]} for d in result.detections]
    return json.dumps({"conversationId": result.submission.conversation_id,
                       "jobId": result.submission.job_id, "trackers": trackers},
                      indent=2, ensure_ascii=False)
