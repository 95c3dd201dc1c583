"""The GitHub REST calls (mentorkit.ci.github), against a fake API.

`FakeGitHub` is also served over HTTP by tests/test_workflows.py, so nothing
here touches the network.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from mentorkit.ci import github
from mentorkit.ci.text import CLOSING_NOTE, MARKER, REMINDER_MARKER, comment
from mentorkit.errors import GitHubError

REPO_SLUG = "acme/mentoring"


TOKEN = "ghs_test-token-123"


# --------------------------------------------------------------------------
# A fake GitHub REST API: the handful of endpoints the workflows use
# --------------------------------------------------------------------------


class FakeGitHub:
    """In-memory issues, comments, pull requests and workflow dispatches, paginated like GitHub."""

    def __init__(self, repository: str = REPO_SLUG, token: str = TOKEN):
        self.repository, self.token = repository, token
        self.comments: dict[int, list[dict]] = {}  # issue or PR number -> comments
        self.issues: list[dict] = []  # issues and pull requests share numbers, as on GitHub
        self.dispatches: list[dict] = []
        self.calls: list[tuple[str, str]] = []
        self.refuse_pull_requests = False
        self._id = 1000

    def _new_id(self) -> int:
        self._id += 1
        return self._id

    def add_comment(self, number: int, body: str, login: str = github.BOT_LOGIN) -> dict:
        item = {"id": self._new_id(), "body": body, "user": {"login": login, "type": "Bot"}}
        self.comments.setdefault(number, []).append(item)
        return item

    def add_issue(self, title: str, body: str, login: str = github.BOT_LOGIN, pull: dict | None = None) -> dict:
        number = len(self.issues) + 1
        item = {"number": number, "title": title, "body": body, "state": "open", "user": {"login": login}}
        if pull is not None:
            item["pull_request"] = {"url": "..."}
            item.update(pull)
        self.issues.append(item)
        return item

    @property
    def pulls(self) -> list[dict]:
        return [i for i in self.issues if "pull_request" in i]

    def transport(self, method, url, headers, data):
        parts = urllib.parse.urlsplit(url)
        query = dict(urllib.parse.parse_qsl(parts.query))
        path = parts.path
        self.calls.append((method, path))
        if headers.get("Authorization") != f"Bearer {self.token}":
            return self._json(401, {"message": "Bad credentials"})
        body = json.loads(data) if data else None
        prefix = f"/repos/{self.repository}"
        if not path.startswith(prefix):
            return self._json(404, {"message": "Not Found"})
        route = path[len(prefix):].strip("/").split("/")
        if route[0] == "issues" and len(route) == 3 and route[2] == "comments":
            number = int(route[1])
            if method == "GET":
                return self._page(self.comments.get(number, []), query)
            if method == "POST":
                return self._json(201, self.add_comment(number, body["body"]))
        if route[:2] == ["issues", "comments"] and method == "PATCH":
            for items in self.comments.values():
                for item in items:
                    if item["id"] == int(route[2]):
                        item["body"] = body["body"]
                        return self._json(200, item)
            return self._json(404, {"message": "Not Found"})
        if route == ["issues"]:
            if method == "GET":
                state = query.get("state", "open")
                return self._page([i for i in self.issues if state == "all" or i["state"] == state], query)
            if method == "POST":
                return self._json(201, self.add_issue(body["title"], body["body"]))
        if route[0] == "issues" and len(route) == 2 and method == "PATCH":
            item = self.issues[int(route[1]) - 1]
            item.update(body)
            return self._json(200, item)
        if route == ["pulls"]:
            if method == "GET":
                owner = self.repository.split("/")[0]
                found = [p for p in self.pulls if p["state"] == query.get("state", "open")
                         and f"{owner}:{p['head']}" == query.get("head") and p["base"] == query.get("base")]
                return self._json(200, found)
            if method == "POST":
                if self.refuse_pull_requests:
                    message = "GitHub Actions is not permitted to create or approve pull requests."
                    return self._json(403, {"message": message})
                pull = self.add_issue(body["title"], body["body"], pull={"head": body["head"], "base": body["base"]})
                return self._json(201, pull)
        if route[:2] == ["actions", "workflows"] and route[3:] == ["dispatches"] and method == "POST":
            self.dispatches.append({"workflow": route[2], **body})
            return 204, {}, b""
        return self._json(404, {"message": f"no fake for {method} {path}"})

    @staticmethod
    def _json(status, value):
        return status, {"Content-Type": "application/json"}, json.dumps(value).encode()

    def _page(self, items, query):
        per_page, page = int(query.get("per_page", 30)), int(query.get("page", 1))
        return self._json(200, items[(page - 1) * per_page: page * per_page])


def fake_client(fake: FakeGitHub) -> github.GitHub:
    return github.GitHub(fake.repository, fake.token, "https://api.example.test", fake.transport)


# --------------------------------------------------------------------------
# GitHub calls
# --------------------------------------------------------------------------


def test_client_needs_a_repository_and_a_token():
    with pytest.raises(GitHubError, match="GITHUB_TOKEN is not set"):
        github.GitHub.from_env({"GITHUB_REPOSITORY": REPO_SLUG})
    with pytest.raises(GitHubError, match="GITHUB_REPOSITORY is not set"):
        github.GitHub.from_env({"GITHUB_TOKEN": TOKEN})


def test_errors_explain_and_never_show_the_token():
    fake = FakeGitHub()
    fake.refuse_pull_requests = True
    with pytest.raises(GitHubError) as info:
        github.open_pull_request(fake_client(fake), "mentorkit/match-grow", "main", "t", "b")
    assert "403 GitHub Actions is not permitted" in str(info.value) and info.value.status == 403
    wrong = github.GitHub(REPO_SLUG, "wrong-token", "https://api.example.test", fake.transport)
    with pytest.raises(GitHubError) as info:
        github.upsert_comment(wrong, 7, MARKER + "x")
    assert "401 Bad credentials" in str(info.value) and "permissions:" in str(info.value)
    assert "wrong-token" not in str(info.value)


def test_comment_is_created_once_then_edited_in_place():
    fake = FakeGitHub()
    gh = fake_client(fake)
    fake.add_comment(7, "Looks good to me", login="sponsor")
    fake.add_comment(7, "Another workflow's note")  # the bot, without the marker
    fake.add_comment(7, MARKER + " quoted by a person", login="coordinator")
    first = comment({"pilot": "**1 pair added.**"})
    action, cid = github.upsert_comment(gh, 7, first)
    assert action == "created"
    assert github.upsert_comment(gh, 7, first) == ("unchanged", cid)
    second = comment({"pilot": "**2 pairs added.**"})
    assert github.upsert_comment(gh, 7, second) == ("updated", cid)
    bot = [c for c in fake.comments[7] if c["user"]["login"] == github.BOT_LOGIN]
    assert [c["body"] for c in bot] == ["Another workflow's note", second]
    assert fake.comments[7][2]["body"] == MARKER + " quoted by a person"  # a person's comment is never edited
    with pytest.raises(ValueError):
        github.upsert_comment(gh, 7, "no marker")


def test_comment_is_found_beyond_the_first_page():
    fake = FakeGitHub()
    for i in range(150):
        fake.add_comment(7, f"comment {i}", login="someone")
    marked = fake.add_comment(7, MARKER + "\nold")
    assert github.upsert_comment(fake_client(fake), 7, MARKER + "\nnew") == ("updated", marked["id"])
    assert len(fake.comments[7]) == 151
    assert ("GET", "/repos/acme/mentoring/issues/7/comments") in fake.calls


def test_reminder_issue_opened_updated_unchanged_closed():
    fake = FakeGitHub()
    gh = fake_client(fake)
    fake.add_issue("Unrelated", REMINDER_MARKER + " by a person", login="coordinator")
    fake.add_issue("A pull request", REMINDER_MARKER, pull={"head": "x", "base": "main"})
    assert github.upsert_issue(gh, "Reminders", None) == ("none", None)
    action, number = github.upsert_issue(gh, "Reminders", REMINDER_MARKER + "\nMarch")
    assert action == "opened"
    assert github.upsert_issue(gh, "Reminders", REMINDER_MARKER + "\nMarch") == ("unchanged", number)
    assert github.upsert_issue(gh, "Reminders", REMINDER_MARKER + "\nApril") == ("updated", number)
    assert github.upsert_issue(gh, "Reminders", None) == ("closed", number)
    issue = fake.issues[number - 1]
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    assert issue["body"] == REMINDER_MARKER + "\nApril"
    assert fake.comments[number][-1]["body"] == CLOSING_NOTE
    assert github.upsert_issue(gh, "Reminders", REMINDER_MARKER + "\nMay")[0] == "opened"  # a new month, a new issue
    assert [i["state"] for i in fake.issues] == ["open", "open", "closed", "open"]


def test_pull_request_reused_when_open():
    fake = FakeGitHub()
    gh = fake_client(fake)
    action, number = github.open_pull_request(gh, "mentorkit/match-grow", "main", "t", "b")
    assert action == "opened"
    assert github.open_pull_request(gh, "mentorkit/match-grow", "main", "t", "b") == ("existing", number)
    github.dispatch_workflow(gh, "check.yml", "mentorkit/match-grow", {"base": "abc"})
    assert fake.dispatches == [{"workflow": "check.yml", "ref": "mentorkit/match-grow", "inputs": {"base": "abc"}}]
