"""What a workflow run is about, read from the GitHub Actions environment and its event payload."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GITHUB_URL = "https://github.com"
GITHUB_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class CiContext:
    """What a workflow run is about: the event, the repository, the pull request or the input."""

    event: str
    repository: str
    server_url: str = GITHUB_URL
    api_url: str = GITHUB_API_URL
    run_id: str | None = None
    sha: str | None = None
    ref_name: str | None = None
    pr_number: int | None = None
    head_ref: str | None = None
    head_repository: str | None = None
    base_sha: str | None = None
    program: str | None = None  # the workflow_dispatch input

    @property
    def is_pull_request(self) -> bool:
        return self.pr_number is not None

    @property
    def is_fork(self) -> bool:
        """A pull request from another repository: its token is read-only and nothing may be written back."""
        return self.is_pull_request and self.head_repository != self.repository

    @property
    def run_url(self) -> str | None:
        if not (self.repository and self.run_id):
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def remote_url(self) -> str:
        return f"{self.server_url}/{self.repository}.git"

    @classmethod
    def from_event(cls, event: str, payload: Mapping[str, Any], environ: Mapping[str, str]) -> CiContext:
        if event == "workflow_run":
            return cls._from_workflow_run(payload.get("workflow_run") or {}, environ)
        pr = payload.get("pull_request") or {}
        inputs = payload.get("inputs") or {}
        head = pr.get("head") or {}
        return cls(
            event=event,
            repository=environ.get("GITHUB_REPOSITORY", ""),
            server_url=environ.get("GITHUB_SERVER_URL") or GITHUB_URL,
            api_url=environ.get("GITHUB_API_URL") or GITHUB_API_URL,
            run_id=environ.get("GITHUB_RUN_ID") or None,
            sha=environ.get("GITHUB_SHA") or None,
            ref_name=environ.get("GITHUB_REF_NAME") or None,
            pr_number=pr.get("number") if pr else None,
            head_ref=head.get("ref"),
            head_repository=(head.get("repo") or {}).get("full_name"),
            base_sha=(pr.get("base") or {}).get("sha"),
            program=(inputs.get("program") or "").strip() or None,
        )

    @classmethod
    def _from_workflow_run(cls, run: Mapping[str, Any], environ: Mapping[str, str]) -> CiContext:
        """The run that a `workflow_run` job follows up, as if this job were part of it.

        The privileged publishing workflow starts when Propose matches completes: its event names the pull request
        (GitHub lists it for a branch of this repository only) or the branch a coordinator ran it on by hand.
        """
        prs = run.get("pull_requests") or []
        pr = prs[0] if prs and run.get("event") == "pull_request" else {}
        return cls(
            event=str(run.get("event") or ""),
            repository=environ.get("GITHUB_REPOSITORY", ""),
            server_url=environ.get("GITHUB_SERVER_URL") or GITHUB_URL,
            api_url=environ.get("GITHUB_API_URL") or GITHUB_API_URL,
            run_id=str(run["id"]) if run.get("id") is not None else None,
            sha=run.get("head_sha"),
            ref_name=run.get("head_branch"),
            pr_number=pr.get("number") if pr else None,
            head_ref=run.get("head_branch") if pr else None,
            head_repository=(run.get("head_repository") or {}).get("full_name"),
            base_sha=((pr.get("base") or {}).get("sha")) if pr else None,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CiContext:
        """The context of this run; outside Actions, an empty one (event "", no repository)."""
        environ = os.environ if environ is None else environ
        payload: dict[str, Any] = {}
        path = environ.get("GITHUB_EVENT_PATH")
        if path and Path(path).is_file():
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_event(environ.get("GITHUB_EVENT_NAME", ""), payload, environ)
