"""A fake ``gh`` for ghsim: ``gh api`` over issue comments kept in a JSON file.

Supports exactly what the plan workflow uses:
``gh api [--paginate] [--method GET|POST|PATCH] PATH [--jq EXPR] [--input FILE]`` for
``repos/O/R/issues/N/comments`` (GET, POST) and ``repos/O/R/issues/comments/ID``
(PATCH). ``--jq`` runs the real ``jq -r`` (like gh, strings print raw). State file:
``$FAKE_GH_STATE`` = ``{"comments": [{"id", "issue", "user": {"login"}, "body"}],
"calls": [[method, path], ...]}``. Exits 4 without ``GH_TOKEN``, as gh does.
(Installed as the ``gh`` program by ghsim with a ``#!python`` line.)
"""

import argparse
import json
import os
import re
import subprocess
import sys


def main() -> int:
    if not os.environ.get("GH_TOKEN"):
        print("gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN "
              "environment variable.", file=sys.stderr)
        return 4
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
