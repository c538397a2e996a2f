"""Reading tracker lists defensively: shape checks and continuation hints.

Sources: docs/api-contract.md, "Shape of the tracker list" (``{"trackers": [...]}``;
the doc sample's single ``{"tracker": {...}}`` is tolerated) and "Pagination and order"
(none documented). An empty account read by mistake would plan every tracker as new, so a list
answer that is not JSON, lacks the ``trackers`` key or holds wrong types is a
:class:`~trackersync.errors.ResponseShapeError`, never "empty". Symbl documents no
pagination, but if an answer carries a continuation hint it is followed (bounded), and a
listing that cannot be completed is an error.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from trackersync.client.transport import Reply
from trackersync.errors import ResponseShapeError
from trackersync.model import RemoteTracker
from trackersync.text import nfc

TOKEN_KEYS = ("nextToken", "next_token", "nextPageToken", "cursor", "nextCursor",
              "continuationToken", "next")
TOTAL_KEYS = ("total", "totalCount", "total_count")
TOTAL_HEADERS = ("X-Total-Count", "X-Total")
MAX_PAGES = 100
_ENTITY = ("id", "name", "vocabulary")


@dataclass(frozen=True)
class Page:
    """One list answer: its trackers and where the next page is (if anywhere)."""

    trackers: list[RemoteTracker]
    next_path: str | None = None  # a same-origin path to GET next
    next_params: Mapping[str, str] | None = None
    total: int | None = None


def shape_error(reply: Reply, what: str) -> ResponseShapeError:
    """A ResponseShapeError naming the request, status and ``what`` is wrong."""
    return ResponseShapeError(
        f"{reply.method} {reply.path} answered {reply.status} but {what}",
        status=reply.status, method=reply.method, path=reply.path,
    )


def parse_tracker(reply: Reply, raw: Any) -> RemoteTracker:
    """Validate one ``{id, name, vocabulary}`` object (docs/api-contract.md).

    The name and phrases are brought to Unicode NFC (:mod:`trackersync.text`), so a
    tracker stored as ``Cafe`` + U+0301 is the file's ``Café``; ``stored_other_form``
    says it was stored otherwise. Other fields the server sends are kept in ``extra``.
    """
    if not isinstance(raw, dict):
        raise shape_error(reply, f"a tracker is a JSON {type(raw).__name__}, not an object")
    tid, stored_name, phrases = raw.get("id"), raw.get("name"), raw.get("vocabulary")
    wrong = [key for key, ok in (
        ("id", isinstance(tid, str)),
        ("name", isinstance(stored_name, str)),
        # a tuple: a file's own phrases, put in by the sharing hook of parse_page
        ("vocabulary", type(phrases) is tuple or isinstance(phrases, list)
         and all(map(isinstance, phrases, itertools.repeat(str)))),
    ) if not ok]
    if wrong:
        raise shape_error(reply, f"a tracker has wrong or missing {', '.join(wrong)}")
    assert isinstance(tid, str) and isinstance(stored_name, str)
    assert isinstance(phrases, (list, tuple))
    name = nfc(stored_name)
    # a file's phrases are in NFC already; the account's are brought to it
    vocabulary = phrases if type(phrases) is tuple else tuple([nfc(p) for p in phrases])
    other_form = name != stored_name or vocabulary != tuple(phrases)
    extra = {k: v for k, v in raw.items() if k not in _ENTITY} if len(raw) > 3 else {}
    return RemoteTracker(id=tid, name=name, vocabulary=vocabulary,
                         stored_other_form=other_form, extra=extra)


def parse_trackers(reply: Reply, body: Any) -> list[RemoteTracker]:
    """Trackers of a ``{"trackers": [...]}`` (or ``{"tracker": {...}}``) body."""
    if not isinstance(body, dict):
        raise shape_error(reply, f"the body is a JSON {type(body).__name__}, not an object")
    if "trackers" in body:
        items = body["trackers"]
    elif "tracker" in body:  # the doc's own (wrong) sample: "Shape of the tracker list"
        items = body["tracker"] if isinstance(body["tracker"], list) else [body["tracker"]]
    else:
        keys = ", ".join(sorted(map(str, body))) or "none"
        raise shape_error(reply, f"has no 'trackers' key (keys: {keys})")
    if not isinstance(items, list):
        raise shape_error(reply, f"'trackers' is a JSON {type(items).__name__}, not an array")
    return [parse_tracker(reply, item) for item in items]


def parse_page(reply: Reply, base_url: str,
               known: Mapping[str, tuple[str, ...]] | None = None) -> Page:
    """Parse one list answer, including any continuation hint (body keys, Link, headers).

    ``known`` (name -> phrases in NFC, e.g. the tracker files'): a tracker the answer
    holds with the same name and the same phrases in the same order gets that very
    tuple while the JSON is decoded, so each phrase is held once, not twice (an
    account's phrases are most of a plan's memory). Values are unchanged.
    """
    body = reply.json(object_hook=_sharing(known) if known else None)
    trackers = parse_trackers(reply, body)
    total = _total(reply, body)
    if reply.next_link:
        return Page(trackers, *_same_origin(reply, reply.next_link, base_url), total=total)
    for key in TOKEN_KEYS:
        value = body.get(key)
        if value in (None, "", False):
            continue
        if isinstance(value, str) and (value.startswith("/") or "://" in value):
            return Page(trackers, *_same_origin(reply, value, base_url), total=total)
        return Page(trackers, reply.path, {key: str(value)}, total)
    offset = body.get("offset")
    if isinstance(offset, int) and total is not None and offset + len(trackers) < total:
        return Page(trackers, reply.path, {"offset": str(offset + len(trackers))}, total)
    return Page(trackers, total=total)


def _sharing(known: Mapping[str, tuple[str, ...]]) -> Callable[[dict[str, Any]], Any]:
    """A JSON object hook putting ``known``'s phrase strings in place of equal ones."""
    def share(obj: dict[str, Any]) -> dict[str, Any]:
        phrases, name = obj.get("vocabulary"), obj.get("name")
        if type(phrases) is list and type(name) is str:
            mine = known.get(name)
            if (mine is not None and len(mine) == len(phrases)
                    and all(map(operator.eq, phrases, mine))):
                obj["vocabulary"] = mine  # the same strings; the decoded ones are freed
        return obj

    return share


def _total(reply: Reply, body: dict[str, Any]) -> int | None:
    for key in TOTAL_KEYS:
        if isinstance(body.get(key), int) and not isinstance(body[key], bool):
            return int(body[key])
    for header in TOTAL_HEADERS:
        value = reply.headers.get(header, "").strip()
        if value.isdigit():
            return int(value)
    return None


def _same_origin(reply: Reply, link: str, base_url: str) -> tuple[str, dict[str, str]]:
    parts, base = urlsplit(link), urlsplit(base_url)
    if parts.netloc and (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise shape_error(reply, "its next-page link points to another host; not followed")
    return parts.path or reply.path, dict(parse_qsl(parts.query))


def collect(fetch: Callable[[str, Mapping[str, str] | None], Page], path: str,
            params: Mapping[str, str] | None = None) -> list[RemoteTracker]:
    """Follow continuation hints from the first page; de-duplicate by id.

    Raises:
        ResponseShapeError: "pagination did not advance" (a token or page seen twice),
            "listing incomplete" (a total larger than what could be read), or more than
            ``MAX_PAGES`` pages.
    """
    seen: dict[str, RemoteTracker] = {}
    visited: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    page_path, page_params = path, dict(params or {})
    for _ in range(MAX_PAGES):
        visited.add((page_path, tuple(sorted(page_params.items()))))
        page = fetch(page_path, page_params)
        fresh = [t for t in page.trackers if t.id not in seen]
        seen.update((t.id, t) for t in fresh)
        if page.next_path is None:
            if page.total is not None and page.total > len(seen):
                raise ResponseShapeError(
                    f"listing incomplete: GET {path} returned {len(seen)} trackers but says "
                    f"there are {page.total}, with no way to read the rest; refusing to use it",
                    method="GET", path=path,
                )
            return list(seen.values())
        page_path, page_params = page.next_path, {**(params or {}), **(page.next_params or {})}
        key = (page_path, tuple(sorted(page_params.items())))
        if key in visited or (page.trackers and not fresh):
            raise ResponseShapeError(
                f"pagination did not advance: GET {path} returned the same page or "
                "continuation token twice; refusing to use a partial listing",
                method="GET", path=path,
            )
    raise ResponseShapeError(
        f"listing incomplete: GET {path} still had more after {MAX_PAGES} pages",
        method="GET", path=path,
    )
