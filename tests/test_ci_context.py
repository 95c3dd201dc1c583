"""What a workflow run is about, from the Actions environment and event payload (mentorkit.ci.context)."""

from __future__ import annotations

import json

from mentorkit.ci.context import CiContext
from test_ci_github import REPO_SLUG


def pr_event(head_repo=REPO_SLUG, number=7, head_ref="add-joiners"):
    head = {"ref": head_ref, "sha": "a" * 40, "repo": {"full_name": head_repo}}
    return {"pull_request": {"number": number, "head": head, "base": {"ref": "main", "sha": "b" * 40}}}


ENV = {"GITHUB_REPOSITORY": REPO_SLUG, "GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com",
       "GITHUB_REF_NAME": "7/merge", "GITHUB_SHA": "c" * 40}


def test_context_of_a_pull_request_fork_and_manual_run(tmp_path):
    ctx = CiContext.from_event("pull_request", pr_event(), ENV)
    assert (ctx.pr_number, ctx.head_ref, ctx.base_sha, ctx.is_fork) == (7, "add-joiners", "b" * 40, False)
    assert ctx.run_url == "https://github.com/acme/mentoring/actions/runs/42"
    assert ctx.remote_url == "https://github.com/acme/mentoring.git"
    assert CiContext.from_event("pull_request", pr_event("someone/fork"), ENV).is_fork
    manual = CiContext.from_event("workflow_dispatch", {"inputs": {"program": " grow "}}, ENV)
    assert (manual.is_pull_request, manual.is_fork, manual.program) == (False, False, "grow")
    assert CiContext.from_event("workflow_dispatch", {"inputs": {"program": ""}}, ENV).program is None
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_event()))
    assert CiContext.from_env({**ENV, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}) == ctx
