"""The handful of GitHub REST calls the workflows make, over an injectable transport.

`GitHub` sends JSON with the run's GITHUB_TOKEN through a `Transport`: urllib
by default, a fake in the tests, so the test suite never touches the network.
On top of it, each call the workflows need, written to be run again safely:
`upsert_comment` and `upsert_issue` find the one marked comment or issue the
bot wrote and edit it in place; `open_pull_request` reuses an open one.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import GitHubError
from .context import GITHUB_API_URL
from .text import CLOSING_NOTE, MARKER, REMINDER_MARKER

BOT_LOGIN = "github-actions[bot]"  # the author of what the workflows write with GITHUB_TOKEN
PAGE_SIZE = 100  # GitHub's largest page

# (method, url, headers, body) -> (status, headers, body); an HTTP error is a status, not an exception
Transport = Callable[[str, str, Mapping[str, str], bytes | None], tuple[int, Mapping[str, str], bytes]]


def urllib_transport(method: str, url: str, headers: Mapping[str, str],
                     data: bytes | None) -> tuple[int, Mapping[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers or {}), exc.read()


def _refusal(method: str, path: str, status: int, raw: bytes) -> GitHubError:
    """The error for a refused call: GitHub's message, and what to check for the usual causes."""
    try:
        message = json.loads(raw or b"{}").get("message", "")
    except ValueError:
        message = ""
    hint = ""
    if status in (401, 403):
        hint = " Check the `permissions:` of this job in its workflow file."
    return GitHubError(f"GitHub refused {method} {path} ({status} {message}).{hint}", status=status)


class GitHub:
    """A REST client for one repository, with the run's GITHUB_TOKEN (kept out of every message)."""

    def __init__(self, repository: str, token: str, api_url: str = GITHUB_API_URL,
                 transport: Transport = urllib_transport):
        if not repository or "/" not in repository:
            raise GitHubError("GITHUB_REPOSITORY is not set: this command runs inside a GitHub Actions workflow")
        if not token:
            raise GitHubError("GITHUB_TOKEN is not set: pass it to the step "
                              "with `env: GITHUB_TOKEN: ${{ github.token }}`")
        self.repository = repository
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.transport = transport

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, transport: Transport = urllib_transport) -> GitHub:
        environ = os.environ if environ is None else environ
        return cls(environ.get("GITHUB_REPOSITORY", ""), environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN", ""),
                   environ.get("GITHUB_API_URL") or GITHUB_API_URL, transport)

    def call(self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None) -> Any:
        """Send one request; the decoded JSON answer (None when empty), or GitHubError when refused."""
        url = self.api_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self._token}",
                   "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "mentorkit"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        status, _, raw = self.transport(method, url, headers, data)
        if status >= 400:
            raise _refusal(method, path, status, raw)
        return json.loads(raw) if raw else None

    def pages(self, path: str, query: Mapping[str, Any] | None = None, limit: int = 50) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, page after page (at most `limit` pages)."""
        for page in range(1, limit + 1):
            items = self.call("GET", path, query={**(query or {}), "per_page": PAGE_SIZE, "page": page}) or []
            yield from items
            if len(items) < PAGE_SIZE:
                return


def _by(item: Mapping[str, Any], author: str, marker: str) -> bool:
    """Whether a comment or issue is the one `author` wrote with `marker` (never a person's, even if quoted)."""
    return (item.get("user") or {}).get("login") == author and (item.get("body") or "").startswith(marker)


def upsert_comment(gh: GitHub, number: int, body: str, *, marker: str = MARKER,
                   author: str = BOT_LOGIN) -> tuple[str, int]:
    """Create the one marked comment on a pull request, or edit it in place.

    Returns ("created" | "updated" | "unchanged", comment id). Only the bot's own
    comment that starts with the marker is edited, never a person's.
    """
    if not body.startswith(marker):
        raise ValueError("the comment body must start with its marker")
    for item in gh.pages(f"/repos/{gh.repository}/issues/{number}/comments"):
        if _by(item, author, marker):
            if item.get("body") == body:
                return "unchanged", item["id"]
            gh.call("PATCH", f"/repos/{gh.repository}/issues/comments/{item['id']}", {"body": body})
            return "updated", item["id"]
    created = gh.call("POST", f"/repos/{gh.repository}/issues/{number}/comments", {"body": body})
    return "created", created["id"]


def upsert_issue(gh: GitHub, title: str, body: str | None, *, marker: str = REMINDER_MARKER,
                 author: str = BOT_LOGIN, closing_note: str = CLOSING_NOTE) -> tuple[str, int | None]:
    """Open, update or close the one marked issue: ("opened" | "updated" | "unchanged" | "closed" | "none", number)."""
    if body is not None and not body.startswith(marker):
        raise ValueError("the issue body must start with its marker")
    issues = gh.pages(f"/repos/{gh.repository}/issues", {"state": "open"})
    existing = next((i for i in issues if "pull_request" not in i and _by(i, author, marker)), None)
    if body is None:
        if existing is None:
            return "none", None
        number = existing["number"]
        gh.call("POST", f"/repos/{gh.repository}/issues/{number}/comments", {"body": closing_note})
        gh.call("PATCH", f"/repos/{gh.repository}/issues/{number}", {"state": "closed", "state_reason": "completed"})
        return "closed", number
    if existing is None:
        created = gh.call("POST", f"/repos/{gh.repository}/issues", {"title": title, "body": body})
        return "opened", created["number"]
    if existing.get("title") == title and existing.get("body") == body:
        return "unchanged", existing["number"]
    gh.call("PATCH", f"/repos/{gh.repository}/issues/{existing['number']}", {"title": title, "body": body})
    return "updated", existing["number"]


def open_pull_request(gh: GitHub, head: str, base: str, title: str, body: str) -> tuple[str, int]:
    """The open pull request from `head` into `base`, created if there is none: ("existing" | "opened", number)."""
    owner = gh.repository.split("/")[0]
    found = gh.call("GET", f"/repos/{gh.repository}/pulls", query={"state": "open", "head": f"{owner}:{head}",
                                                                    "base": base}) or []
    if found:
        return "existing", found[0]["number"]
    created = gh.call("POST", f"/repos/{gh.repository}/pulls", {"title": title, "head": head, "base": base,
                                                                 "body": body})
    return "opened", created["number"]


def dispatch_workflow(gh: GitHub, workflow: str, ref: str, inputs: Mapping[str, str] | None = None) -> None:
    """Start a workflow on a branch (pushes made with GITHUB_TOKEN start no workflow by themselves)."""
    gh.call("POST", f"/repos/{gh.repository}/actions/workflows/{workflow}/dispatches",
            {"ref": ref, "inputs": dict(inputs or {})})
