"""Create or update this environment's plan comment on a pull request (run by run.sh).

Usage: ``python3 comment.py`` with ``GH_TOKEN``, ``GITHUB_REPOSITORY``, ``TS_PR_NUMBER``,
``TS_BODY_FILE`` (Markdown to post: a plan, an error report or an apply notice; one
path, or several on separate lines, the first that exists being used),
``TS_ENV`` (environment name, empty for the default account) and ``TS_SHA`` in the
environment. Needs only Python's standard library and ``gh`` (no trackersync, no
checkout), so the comment job holds no Symbl secret.

Each environment has ONE comment, found again by the hidden marker on its first line
(``<!-- trackersync-plan -->``, or ``<!-- trackersync-plan: NAME -->`` for an
environment) among comments by ``github-actions[bot]`` and edited in place. A missing or
empty body file posts "trackersync plan failed for SHA: see the job log / annotations",
so an old plan never looks current. Bodies are cut to GitHub's 65,536 characters.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

LIMIT = 65536
AUTHOR = "github-actions[bot]"
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def marker(env: str, kind: str = "plan") -> str:
    """The first line that identifies this environment's comment of one ``kind``
    (``plan``: the plan under review; ``apply``: what happened on merge)."""
    return f"<!-- trackersync-{kind}: {env} -->" if env else f"<!-- trackersync-{kind} -->"


def body_of(paths: str, env: str, sha: str) -> str:
    """The comment: the body file (its own marker line replaced), or a failure notice.

    A body starting with ``<!-- trackersync-apply -->`` (an apply notice) gets its own
    comment, so it never replaces the plan that was reviewed.
    """
    text = ""
    found = [p.strip() for p in paths.splitlines() if p.strip() and os.path.isfile(p.strip())]
    if found:
        with open(found[0], encoding="utf-8") as fh:
            text = fh.read()
    if not text.strip():
        shown = f"`{sha}`" if _SHA.fullmatch(sha) else "this commit"
        text = f"### ❌ trackersync plan failed for {shown}: see the job log / annotations\n"
    first, _, rest = text.partition("\n")
    kind = "apply" if first.startswith("<!-- trackersync-apply") else "plan"
    if first.startswith("<!-- trackersync-"):
        text = rest
    heading = f"**Environment `{env}`**\n\n" if env else ""
    body = f"{marker(env, kind)}\n{heading}{text}"
    if len(body) > LIMIT:
        tail = "\n\n… (cut to fit a comment; see the workflow's artifacts)\n"
        body = body[: LIMIT - len(tail)] + tail
    return body


def gh(*args: str) -> str:
    """Run ``gh`` and return its stdout (raises on failure)."""
    return subprocess.run(["gh", *args], capture_output=True, text=True, check=True).stdout


def main() -> int:
    """Post or edit the comment."""
    repo, number = os.environ["GITHUB_REPOSITORY"], os.environ["TS_PR_NUMBER"]
    env = os.environ.get("TS_ENV", "")
    body = body_of(os.environ.get("TS_BODY_FILE", ""), env, os.environ.get("TS_SHA", ""))
    first = body.split("\n", 1)[0]
    # One JSON line per comment (pages are concatenated): [id, author, first line].
    listing = gh("api", "--paginate", f"repos/{repo}/issues/{number}/comments", "--jq",
                 '.[] | [.id, .user.login, ((.body // "") | split("\n") | .[0])] | @json')
    rows = [json.loads(line) for line in listing.splitlines() if line.strip()]
    mine = [{"id": cid} for cid, login, head in rows if login == AUTHOR and head == first]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                     encoding="utf-8") as fh:
        json.dump({"body": body}, fh)
    try:
        if mine:
            gh("api", "--method", "PATCH", f"repos/{repo}/issues/comments/{mine[0]['id']}",
               "--input", fh.name)
            print(f"Updated the plan comment {mine[0]['id']}")
        else:
            gh("api", "--method", "POST", f"repos/{repo}/issues/{number}/comments",
               "--input", fh.name)
            print("Created the plan comment")
    finally:
        os.unlink(fh.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
