"""A fake ``gh`` for ghsim: ``gh api`` over issue comments kept in a JSON file.

Supports exactly what the workflows and the action use:
``gh api [--paginate] [--method GET|POST|PATCH] PATH [--jq EXPR] [--input FILE]`` for
``repos/O/R/issues/N/comments`` (GET, POST), ``repos/O/R/issues/comments/ID`` (PATCH),
``repos/O/R/commits/SHA/pulls`` (GET) and ``repos/O/R/actions/workflows/W/runs?...``
(GET; filtered by ``head_sha``, ``event`` and ``status=success``); and
``gh run download RUN -R O/R -n NAME -D DIR`` (copies ``$FAKE_GH_ARTIFACTS/RUN/NAME/``).
``--jq`` runs the real ``jq -r`` (like gh, strings print raw). State file:
``$FAKE_GH_STATE`` = ``{"comments": [{"id", "issue", "user": {"login"}, "body"}],
"pulls": {"<merge sha>": [{"number", "head": {"sha"}, "merge_commit_sha"}]},
"runs": [{"id", "run_number", "workflow", "head_sha", "event", "conclusion"}],
"calls": [[method, path], ...]}``. Exits 4 without ``GH_TOKEN``, as gh does.
(Installed as the ``gh`` program by ghsim with a ``#!python`` line.)
"""

import argparse
import json
import os
import re
import sys
from urllib.parse import parse_qs, urlsplit


def run_download(argv):
    parser = argparse.ArgumentParser(prog="gh run download")
    parser.add_argument("run")
    parser.add_argument("-R", "--repo")
    parser.add_argument("-n", "--name", required=True)
    parser.add_argument("-D", "--dir", required=True)
    args = parser.parse_args(argv)
    import shutil  # imported where used: most calls are `gh api`, started many times

    source = os.path.join(os.environ["FAKE_GH_ARTIFACTS"], args.run, args.name)
    if not os.path.isdir(source):
        print("no artifact matches any of the names or patterns provided", file=sys.stderr)
        return 1
    shutil.copytree(source, args.dir, dirs_exist_ok=True)
    return 0


def main() -> int:
    if not os.environ.get("GH_TOKEN"):
        print("gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN "
              "environment variable.", file=sys.stderr)
        return 4
    if sys.argv[1:3] == ["run", "download"]:
        return run_download(sys.argv[3:])
    parser = argparse.ArgumentParser(prog="gh")
    parser.add_argument("sub", choices=["api"])
    parser.add_argument("path")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--paginate", action="store_true")
    parser.add_argument("--jq")
    parser.add_argument("--input")
    args = parser.parse_args()
    state_path = os.environ["FAKE_GH_STATE"]
    state: dict = {"comments": [], "calls": []}
    if os.path.exists(state_path):
        with open(state_path, encoding="utf-8") as fh:
            state = json.load(fh)
    state["calls"].append([args.method, args.path])
    answer = handle(state, args)
    with open(state_path, "w", encoding="utf-8") as fh:
        json.dump(state, fh)
    if answer is None:
        print("gh: Not Found (HTTP 404)", file=sys.stderr)
        return 1
    text = json.dumps(answer)
    if args.jq:
        import subprocess

        text = subprocess.run(["jq", "-r", args.jq], input=text, capture_output=True,
                              text=True, check=True).stdout
        sys.stdout.write(text)
    else:
        print(text)
    return 0


def handle(state, args):
    body = None
    if args.input:
        with open(args.input, encoding="utf-8") as fh:
            body = json.load(fh)["body"]
    url = urlsplit(args.path)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    pulls = re.fullmatch(r"repos/[^/]+/[^/]+/commits/([0-9a-f]+)/pulls", url.path)
    runs = re.fullmatch(r"repos/[^/]+/[^/]+/actions/workflows/([^/]+)/runs", url.path)
    if pulls and args.method == "GET":
        return state.get("pulls", {}).get(pulls[1], [])
    if runs and args.method == "GET":
        found = [r for r in state.get("runs", []) if r["workflow"] == runs[1]
                 and r["head_sha"] == query.get("head_sha", r["head_sha"])
                 and r["event"] == query.get("event", r["event"])
                 and (query.get("status") != "success" or r["conclusion"] == "success")]
        return {"total_count": len(found), "workflow_runs": found}
    listing = re.fullmatch(r"repos/[^/]+/[^/]+/issues/(\d+)/comments", args.path)
    one = re.fullmatch(r"repos/[^/]+/[^/]+/issues/comments/(\d+)", args.path)
    if listing and args.method == "GET":
        return [c for c in state["comments"] if c["issue"] == int(listing[1])]
    if listing and args.method == "POST":
        comment = {"id": 1000 + len(state["comments"]), "issue": int(listing[1]),
                   "user": {"login": "github-actions[bot]"}, "body": body}
        state["comments"].append(comment)
        return comment
    if one and args.method == "PATCH":
        for comment in state["comments"]:
            if comment["id"] == int(one[1]):
                comment["body"] = body
                return comment
    return None


if __name__ == "__main__":
    sys.exit(main())
