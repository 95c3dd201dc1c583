"""The text the workflows write (job summary, pull-request comment, reminder issue) and its delivery.

The text functions run on fixture workspaces; GitHub is a fake transport
(`FakeGitHub`, also served over HTTP by tests/test_workflows.py) and git is a
real repository with a local bare remote, so nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import urllib.parse
from pathlib import Path

import pytest
import yaml

from conftest import make_workspace
from mentorkit.ci import text as ci
from mentorkit.errors import MentorkitError, Problem, Report
from mentorkit.repo.load import read_workspace

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

    def add_comment(self, number: int, body: str, login: str = ci.BOT_LOGIN) -> dict:
        item = {"id": self._new_id(), "body": body, "user": {"login": login, "type": "Bot"}}
        self.comments.setdefault(number, []).append(item)
        return item

    def add_issue(self, title: str, body: str, login: str = ci.BOT_LOGIN, pull: dict | None = None) -> dict:
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


def fake_client(fake: FakeGitHub) -> ci.GitHub:
    return ci.GitHub(fake.repository, fake.token, "https://api.example.test", fake.transport)


# --------------------------------------------------------------------------
# Fixture workspaces
# --------------------------------------------------------------------------


def proposal(pairs, unmatched=(), program="pilot"):
    return {"program": program, "format": "one-to-one", "solver": {"name": "test"}, "summary": {"pairs": len(pairs)},
            "pairs": [{"mentee": a, "mentor": b, "status": s, "score": 70.0, "why": {"skills": 40.0}}
                      for a, b, s in pairs],
            "unmatched": [{"mentee": m, "reason": r} for m, r in unmatched]}


def write_proposal(root: Path, data: dict) -> None:
    path = root / "participants" / "matches" / f"{data['program']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def load(root: Path):
    ws, report = read_workspace(root)
    assert report.ok, [p.where + ": " + p.message for p in report.problems]
    return ws


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@pytest.fixture
def base_and_head(tmp_path):
    base = make_workspace(tmp_path / "base")
    head = make_workspace(tmp_path / "head")
    return base, head


# --------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------


def test_no_change_is_said_in_words(base_and_head):
    base, head = base_and_head
    ch = ci.changes(load(base), load(head))
    assert ch.empty
    assert ci.changes_markdown(ch) == ("Nothing changed in the programs, agendas, participant tables or match "
                                       "proposals.")


def test_changes_name_programs_people_records_agendas_and_proposals(base_and_head):
    base, head = base_and_head
    program = head / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("session_minutes: 60", "session_minutes: 75"))
    people = head / "participants" / "participants.csv"
    rows = people.read_text().splitlines()
    rows = [r.replace(",virtual,,1,", ",virtual,,2,") for r in rows]  # b's capacity changes
    rows.append(rows[-1].replace("mk-0000000d", "mk-0000000e"))  # e joins
    people.write_text("\n".join(rows) + "\n")
    append(head / "participants" / "checkins.csv", "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5")
    (head / "agendas" / "first-meeting.md").write_text(
        (head / "agendas" / "first-meeting.md").read_text() + "\nOne more prompt.\n")
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    old, new = load(base), load(head)

    ch = ci.changes(old, new)
    assert ch.programs_edited == {"pilot": ("cadence",)}
    assert ch.joined == {"pilot": ("mk-0000000e",)} and ch.left == {}
    assert ch.updated == ("mk-0000000b",)
    assert ch.records == {"checkins": (1, 0)}
    assert ch.agendas_edited == ("first-meeting",)
    assert ch.proposals == ("pilot",)
    text = ci.changes_markdown(ch)
    assert "- **Programs:** edited `pilot` (cadence)." in text
    assert "- **Participants in `pilot`:** 1 joined (`mk-0000000e`)." in text
    assert "- **Participant rows edited:** 1 person (`mk-0000000b`)." in text
    assert "- **Records:** 1 check-in added." in text
    assert "- **Agendas:** edited `first-meeting`." in text
    assert "- **Match proposals:** `pilot` (see below)." in text


def test_long_lists_of_pseudonyms_are_cut_short():
    names = [f"mk-{i:08x}" for i in range(14)]
    text = ci.changes_markdown(ci.Changes(joined={"grow": tuple(names)}))
    assert text == ("- **Participants in `grow`:** 14 joined (" + ", ".join(f"`{n}`" for n in names[:10])
                    + " and 4 more).")


def test_changed_proposals_covers_added_removed_and_edited(base_and_head):
    base, head = base_and_head
    write_proposal(base, proposal([("mk-0000000c", "mk-0000000a", "approved")]))
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000b", "proposed")]))
    assert ci.changed_proposals(load(base), load(head)) == ["pilot"]
    assert ci.changed_proposals(load(base), load(base)) == []
    assert ci.changed_proposals(None, load(head)) == ["pilot"]


# --------------------------------------------------------------------------
# The job summary
# --------------------------------------------------------------------------


def test_summary_of_a_valid_pull_request(base_and_head):
    base, head = base_and_head
    append(head / "participants" / "checkins.csv", "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5")
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000a", "proposed"), ("mk-0000000d", "mk-0000000b",
                                                                                 "approved")]))
    ws, report = read_workspace(head)
    text = ci.summary(ws, report, {"pilot": "**1 pair added:** `mk-0000000c` with `mk-0000000a`.\n"},
                      "| Measure | Value |\n|---|---|\n| Match rate | 100% |\n", base=load(base),
                      run_url="https://github.com/acme/mentoring/actions/runs/9")
    assert text.startswith("## Mentoring program check\n\n### ✅ Validation: no problems\n")
    assert "### What changed\n\n- **Records:** 1 check-in added.\n- **Match proposals:** `pilot` (see below)." in text
    assert ("| Program | Pairs | Proposed | Approved | Ended | Mentees without a mentor |\n|---|---|---|---|---|---|\n"
            "| pilot | 2 | 1 | 1 | 0 | 0 |") in text
    assert "#### Changes to the proposal for `pilot`\n\n**1 pair added:** `mk-0000000c` with `mk-0000000a`." in text
    assert "### Headline measures\n\n| Measure | Value |\n|---|---|\n| Match rate | 100% |" in text
    assert text.endswith("[this run](https://github.com/acme/mentoring/actions/runs/9).</sub>\n")


def test_summary_of_an_invalid_pull_request_lists_problems_and_skips_measures(tmp_path):
    ws, report = read_workspace(make_workspace(tmp_path / "ws", "yaml-unknown-key"))
    text = ci.summary(ws, report, {}, None)
    assert "### ❌ Validation: 1 problem in 1 file" in text
    assert ("| program/pilot.yaml:8:1, field 'cadance' | unknown key 'cadance' [unknown-key] "
            "| did you mean 'cadence'? |") in text
    assert "There is no base to compare with" in text
    assert "Not computed: the measures are computed only from valid files." in text
    assert "No program has a match proposal yet." in text


def test_summary_table_cells_are_escaped_and_long_reports_cut(base_and_head):
    _, head = base_and_head
    ws = load(head)
    problems = [Problem("a|b.csv", "x", f"<b>bad</b> | value {i}", row=i + 2) for i in range(60)]
    text = ci.summary(ws, Report(problems))
    assert "| a\\|b.csv, row 2 | &lt;b&gt;bad&lt;/b&gt; \\| value 0 [x] |  |" in text
    assert "### ❌ Validation: 60 problems in 1 file" in text
    assert "…and 10 more: run `mentorkit validate`" in text
    assert text.count("\n| a\\|b.csv") == 50


# --------------------------------------------------------------------------
# The pull-request comment
# --------------------------------------------------------------------------


def test_comment_starts_with_the_marker_and_lists_changed_programs_in_order():
    text = ci.comment({"pilot": "**2 pairs added.**\n", "grow": "**1 pair removed.**", "same": "", "none": None},
                      titles={"grow": "Grow"}, run_url="https://github.com/acme/mentoring/actions/runs/3")
    assert text.startswith(ci.MARKER + "\n## Match proposal\n\n")
    assert ("This pull request changes the match proposal in `participants/matches/grow.yaml`, "
            "`participants/matches/pilot.yaml`. To approve pairs, set their `status: proposed` to "
            "`status: approved`") in text
    assert text.index("### Grow (`grow`)\n\n**1 pair removed.**") < text.index("### `pilot`\n\n**2 pairs added.**")
    assert "same" not in text and "none" not in text
    assert "[latest run](https://github.com/acme/mentoring/actions/runs/3)" in text
    assert text == ci.comment({"grow": "**1 pair removed.**", "pilot": "**2 pairs added.**\n"}, titles={"grow": "Grow"},
                              run_url="https://github.com/acme/mentoring/actions/runs/3")


def test_comment_when_no_proposal_changes():
    text = ci.comment({})
    assert text.startswith(ci.MARKER)
    assert "This pull request does not change any match proposal: merging it changes no pairs." in text


def test_pull_request_opened_by_hand_explains_how_to_approve():
    title, body = ci.proposal_pull_request("grow", "main", "https://x/runs/1")
    assert title == "Match proposal for grow"
    assert "`mentorkit match` for the `grow` program on `main` ([run](https://x/runs/1))" in body
    assert "**To approve pairs, set their status to `approved`" in body
    assert ci.proposal_pull_request(None, "main")[0] == "Match proposals for every program"


# --------------------------------------------------------------------------
# The reminder
# --------------------------------------------------------------------------


def test_upcoming_lists_milestones_timeline_and_goal_reviews_in_the_window(tmp_path):
    ws = load(make_workspace(tmp_path / "ws"))
    items = ci.upcoming(ws, dt.date(2026, 1, 1), horizon_days=45)
    assert [(u.date.isoformat(), u.what) for u in items] == [
        ("2026-01-05", "Program starts"),
        ("2026-01-05", "Kickoff"),
    ]
    items = ci.upcoming(ws, dt.date(2026, 3, 1), horizon_days=30)
    assert [(u.date.isoformat(), u.what) for u in items] == [
        ("2026-03-31", "Review goal `data-skills`: compare proficiency_change with its target 1")]
    assert ci.upcoming(ws, dt.date(2026, 3, 1), horizon_days=29) == []


def test_attention_follows_the_metrics_definition_on_the_reminder_date(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved"),
                                   ("mk-0000000d", "mk-0000000a", "proposed")],
                                  unmatched=[("mk-0000000d", "no mentor shares a time zone")]))
    ws = load(root)
    # c met b on 2026-02-02 (monthly: quiet after ~46 days); proposed pairs are not pairs yet
    assert [(a.mentee, a.mentor) for a in ci.attention(ws, dt.date(2026, 3, 1))] == [("mk-0000000d", None)]
    later = ci.attention(ws, dt.date(2026, 4, 1))
    assert [(a.mentee, a.mentor) for a in later] == [("mk-0000000c", "mk-0000000b"), ("mk-0000000d", None)]
    assert later[0].why.startswith("no check-in for 58 days")
    assert later[1].why == "no mentor yet: no mentor shares a time zone"
    assert ci.attention(ws, dt.date(2026, 7, 1)) == []  # the program has ended


def test_a_started_program_without_a_proposal_needs_one(tmp_path):
    ws = load(make_workspace(tmp_path / "ws"))
    [item] = ci.attention(ws, dt.date(2026, 2, 1))
    assert (item.program, item.mentee, item.mentor) == ("pilot", "", None)
    assert "has no match proposal" in item.why
    assert ci.attention(ws, dt.date(2025, 12, 1)) == []  # not started yet


def test_reminder_body_and_nothing_left(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved")]))
    ws = load(root)
    title, body = ci.reminder(ws, dt.date(2026, 4, 1))
    assert title == ci.REMINDER_TITLE
    assert body.startswith(ci.REMINDER_MARKER + "\nStatus on **2026-04-01**.")
    assert "## Coming up in the next 45 days\n\nNothing is scheduled." in body
    assert "| pilot | mk-0000000c | mk-0000000b | no check-in for 58 days; the cadence allows 46 |" in body
    _, body = ci.reminder(ws, dt.date(2026, 3, 1))
    assert "| 2026-03-31 (Tue) | pilot | Review goal `data-skills`" in body
    assert "None: every current pair meets at its program's rhythm" in body
    assert ci.reminder(ws, dt.date(2026, 8, 1)) == (ci.REMINDER_TITLE, None)


def test_reminder_names_pseudonyms_only(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved")]))
    ws = load(root)
    _, body = ci.reminder(ws, dt.date(2026, 4, 1))
    for person in ws.participants.values():  # nothing but the pseudonym identifies a person
        for value in (person.department, person.team, person.time_zone, person.gender, person.age_band):
            if value:
                assert value not in body


# --------------------------------------------------------------------------
# The run's context
# --------------------------------------------------------------------------


def pr_event(head_repo=REPO_SLUG, number=7, head_ref="add-joiners"):
    head = {"ref": head_ref, "sha": "a" * 40, "repo": {"full_name": head_repo}}
    return {"pull_request": {"number": number, "head": head, "base": {"ref": "main", "sha": "b" * 40}}}


ENV = {"GITHUB_REPOSITORY": REPO_SLUG, "GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com",
       "GITHUB_REF_NAME": "7/merge", "GITHUB_SHA": "c" * 40}


def test_context_of_a_pull_request_fork_and_manual_run(tmp_path):
    ctx = ci.CiContext.from_event("pull_request", pr_event(), ENV)
    assert (ctx.pr_number, ctx.head_ref, ctx.base_sha, ctx.is_fork) == (7, "add-joiners", "b" * 40, False)
    assert ctx.run_url == "https://github.com/acme/mentoring/actions/runs/42"
    assert ctx.remote_url == "https://github.com/acme/mentoring.git"
    assert ci.CiContext.from_event("pull_request", pr_event("someone/fork"), ENV).is_fork
    manual = ci.CiContext.from_event("workflow_dispatch", {"inputs": {"program": " grow "}}, ENV)
    assert (manual.is_pull_request, manual.is_fork, manual.program) == (False, False, "grow")
    assert ci.CiContext.from_event("workflow_dispatch", {"inputs": {"program": ""}}, ENV).program is None
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_event()))
    assert ci.CiContext.from_env({**ENV, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}) == ctx


# --------------------------------------------------------------------------
# GitHub calls (fake transport)
# --------------------------------------------------------------------------


def test_client_needs_a_repository_and_a_token():
    with pytest.raises(ci.GitHubError, match="GITHUB_TOKEN is not set"):
        ci.GitHub.from_env({"GITHUB_REPOSITORY": REPO_SLUG})
    with pytest.raises(ci.GitHubError, match="GITHUB_REPOSITORY is not set"):
        ci.GitHub.from_env({"GITHUB_TOKEN": TOKEN})


def test_errors_explain_and_never_show_the_token():
    fake = FakeGitHub()
    fake.refuse_pull_requests = True
    with pytest.raises(ci.GitHubError) as info:
        ci.open_pull_request(fake_client(fake), "mentorkit/match-grow", "main", "t", "b")
    assert "Allow GitHub Actions to create and approve pull requests" in str(info.value)
    wrong = ci.GitHub(REPO_SLUG, "wrong-token", "https://api.example.test", fake.transport)
    with pytest.raises(ci.GitHubError) as info:
        ci.upsert_comment(wrong, 7, ci.MARKER + "x")
    assert "401 Bad credentials" in str(info.value) and "permissions:" in str(info.value)
    assert "wrong-token" not in str(info.value)


def test_comment_is_created_once_then_edited_in_place():
    fake = FakeGitHub()
    gh = fake_client(fake)
    fake.add_comment(7, "Looks good to me", login="sponsor")
    fake.add_comment(7, "Another workflow's note")  # the bot, without the marker
    fake.add_comment(7, ci.MARKER + " quoted by a person", login="coordinator")
    first = ci.comment({"pilot": "**1 pair added.**"})
    action, cid = ci.upsert_comment(gh, 7, first)
    assert action == "created"
    assert ci.upsert_comment(gh, 7, first) == ("unchanged", cid)
    second = ci.comment({"pilot": "**2 pairs added.**"})
    assert ci.upsert_comment(gh, 7, second) == ("updated", cid)
    bot = [c for c in fake.comments[7] if c["user"]["login"] == ci.BOT_LOGIN]
    assert [c["body"] for c in bot] == ["Another workflow's note", second]
    assert fake.comments[7][2]["body"] == ci.MARKER + " quoted by a person"  # a person's comment is never edited
    with pytest.raises(ValueError):
        ci.upsert_comment(gh, 7, "no marker")


def test_comment_is_found_beyond_the_first_page():
    fake = FakeGitHub()
    for i in range(150):
        fake.add_comment(7, f"comment {i}", login="someone")
    marked = fake.add_comment(7, ci.MARKER + "\nold")
    assert ci.upsert_comment(fake_client(fake), 7, ci.MARKER + "\nnew") == ("updated", marked["id"])
    assert len(fake.comments[7]) == 151
    assert ("GET", "/repos/acme/mentoring/issues/7/comments") in fake.calls


def test_reminder_issue_opened_updated_unchanged_closed():
    fake = FakeGitHub()
    gh = fake_client(fake)
    fake.add_issue("Unrelated", ci.REMINDER_MARKER + " by a person", login="coordinator")
    fake.add_issue("A pull request", ci.REMINDER_MARKER, pull={"head": "x", "base": "main"})
    assert ci.upsert_issue(gh, "Reminders", None) == ("none", None)
    action, number = ci.upsert_issue(gh, "Reminders", ci.REMINDER_MARKER + "\nMarch")
    assert action == "opened"
    assert ci.upsert_issue(gh, "Reminders", ci.REMINDER_MARKER + "\nMarch") == ("unchanged", number)
    assert ci.upsert_issue(gh, "Reminders", ci.REMINDER_MARKER + "\nApril") == ("updated", number)
    assert ci.upsert_issue(gh, "Reminders", None) == ("closed", number)
    issue = fake.issues[number - 1]
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    assert issue["body"] == ci.REMINDER_MARKER + "\nApril"
    assert fake.comments[number][-1]["body"] == ci.CLOSING_NOTE
    assert ci.upsert_issue(gh, "Reminders", ci.REMINDER_MARKER + "\nMay")[0] == "opened"  # a new month, a new issue
    assert [i["state"] for i in fake.issues] == ["open", "open", "closed", "open"]


def test_pull_request_reused_when_open():
    fake = FakeGitHub()
    gh = fake_client(fake)
    action, number = ci.open_pull_request(gh, "mentorkit/match-grow", "main", "t", "b")
    assert action == "opened"
    assert ci.open_pull_request(gh, "mentorkit/match-grow", "main", "t", "b") == ("existing", number)
    ci.dispatch_workflow(gh, "check.yml", "mentorkit/match-grow", {"base": "abc"})
    assert fake.dispatches == [{"workflow": "check.yml", "ref": "mentorkit/match-grow", "inputs": {"base": "abc"}}]


# --------------------------------------------------------------------------
# git and the propose step (a real repository, a local bare remote)
# --------------------------------------------------------------------------


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def init_repo(root: Path, remote: Path, branch: str) -> None:
    git(root, "init", "--quiet", "--initial-branch", branch)
    git(root, "add", "--all")
    git(root, "-c", "user.name=Coordinator", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", "start")
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    git(root, "push", "--quiet", str(remote), f"HEAD:refs/heads/{branch}")


@pytest.fixture
def repo(tmp_path):
    root = make_workspace(tmp_path / "ws")
    remote = tmp_path / "remote.git"
    init_repo(root, remote, "add-joiners")
    return root, remote


def test_commit_takes_only_the_proposal_files(repo):
    root, _ = repo
    assert ci.commit_proposals(root, "nothing") is None
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    (root / "notes.txt").write_text("not mine")
    sha = ci.commit_proposals(root, "Update the match proposal")
    assert git(root, "show", "--name-only", "--format=%an <%ae>%n%s", sha).splitlines() == [
        f"{ci.BOT_NAME} <{ci.BOT_EMAIL}>", "Update the match proposal", "", "participants/matches/pilot.yaml"]
    assert ci.commit_proposals(root, "again") is None


def test_push_reports_a_branch_that_moved_on(repo, tmp_path):
    root, remote = repo
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    ci.commit_proposals(root, "one")
    assert ci.push_branch(root, str(remote), "add-joiners") is True
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "--quiet", "--branch", "add-joiners", str(remote), str(other)], check=True)
    (other / "new.txt").write_text("x")
    git(other, "add", "new.txt")
    git(other, "-c", "user.name=C", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", "newer")
    git(other, "push", "--quiet", "origin", "add-joiners")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "proposed")]))
    ci.commit_proposals(root, "two")
    assert ci.push_branch(root, str(remote), "add-joiners") is False
    with pytest.raises(ci.GitError):
        ci.push_branch(root, str(tmp_path / "missing.git"), "add-joiners")


def test_the_token_reaches_git_through_the_environment_only():
    env = ci._auth_env("https://github.com/acme/mentoring.git", TOKEN)
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"].startswith("AUTHORIZATION: basic ")
    assert TOKEN not in json.dumps(env)  # base64, and never in argv
    assert ci._auth_env("/local/remote.git", TOKEN) == {}


def test_publish_on_a_pull_request_commits_comments_and_rechecks(repo):
    root, remote = repo
    fake = FakeGitHub()
    ctx = ci.CiContext.from_event("pull_request", pr_event(), ENV)
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    body = ci.comment({"pilot": "**1 pair added.**"})
    done = ci.publish_proposal(ctx, fake_client(fake), root, body, remote_url=str(remote))
    assert done[0].startswith("Committed the proposal to add-joiners (")
    assert done[1:] == ["Pull request #7: comment created.", "Started check.yml on add-joiners for the new commit."]
    assert git(remote, "log", "-1", "--format=%an", "add-joiners") == ci.BOT_NAME
    assert fake.dispatches == [{"workflow": "check.yml", "ref": "add-joiners", "inputs": {"base": "b" * 40}}]
    # the next push: nothing new to commit, the same comment, no second check
    done = ci.publish_proposal(ctx, fake_client(fake), root, body, remote_url=str(remote))
    assert done == ["The proposal on add-joiners is up to date: nothing to commit.",
                    "Pull request #7: comment unchanged."]
    assert len(fake.comments[7]) == 1 and len(fake.dispatches) == 1


def test_publish_never_writes_to_a_fork(repo):
    root, remote = repo
    fake = FakeGitHub()
    ctx = ci.CiContext.from_event("pull_request", pr_event("someone/fork"), ENV)
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    with pytest.raises(MentorkitError, match="fork"):
        ci.publish_proposal(ctx, fake_client(fake), root, ci.comment({}), remote_url=str(remote))
    assert fake.calls == []
    assert git(root, "status", "--porcelain") == "?? participants/matches/"


def test_publish_by_hand_opens_a_pull_request(tmp_path):
    root = make_workspace(tmp_path / "ws")
    remote = tmp_path / "remote.git"
    init_repo(root, remote, "main")
    fake = FakeGitHub()
    ctx = ci.CiContext.from_event("workflow_dispatch", {"inputs": {"program": "pilot"}},
                                  {**ENV, "GITHUB_REF_NAME": "main"})
    assert ci.publish_proposal(ctx, fake_client(fake), root, ci.comment({}), remote_url=str(remote)) == [
        "The proposal on main is up to date: no pull request needed."]
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    done = ci.publish_proposal(ctx, fake_client(fake), root, ci.comment({"pilot": "x"}), remote_url=str(remote))
    assert done[1:] == ["Pull request #1 (opened) into main.", "Pull request #1: comment created.",
                        "Started check.yml on mentorkit/match-pilot."]
    [pull] = fake.pulls
    assert (pull["head"], pull["base"], pull["title"]) == ("mentorkit/match-pilot", "main", "Match proposal for pilot")
    assert git(remote, "log", "-1", "--format=%s", "mentorkit/match-pilot") == "Update the match proposal"
    assert git(remote, "rev-parse", "main") != git(remote, "rev-parse", "mentorkit/match-pilot")  # main untouched


def test_publish_after_the_branch_moved_on_leaves_it_to_the_newer_run(repo, tmp_path):
    root, remote = repo
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "--quiet", "--branch", "add-joiners", str(remote), str(other)], check=True)
    (other / "new.txt").write_text("x")
    git(other, "add", "new.txt")
    git(other, "-c", "user.name=C", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", "newer")
    git(other, "push", "--quiet", "origin", "add-joiners")
    fake = FakeGitHub()
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    done = ci.publish_proposal(ci.CiContext.from_event("pull_request", pr_event(), ENV), fake_client(fake), root,
                               ci.comment({}), remote_url=str(remote))
    assert "moved on" in done[0] and fake.calls == []


def test_publish_never_brings_back_a_deleted_branch(repo):
    root, remote = repo
    git(remote, "branch", "-D", "add-joiners")  # merged and deleted while the run computed
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    fake = FakeGitHub()
    done = ci.publish_proposal(ci.CiContext.from_event("pull_request", pr_event(), ENV), fake_client(fake), root,
                               ci.comment({}), remote_url=str(remote))
    assert "moved on (or was deleted)" in done[0] and fake.calls == []
    assert git(remote, "branch", "--list") == ""


def test_publish_outside_a_workflow_says_so(repo):
    root, _ = repo
    with pytest.raises(MentorkitError, match="runs in the Propose matches workflow"):
        ci.publish_proposal(ci.CiContext(event="", repository=REPO_SLUG), fake_client(FakeGitHub()), root, ci.MARKER)


def test_a_huge_proposal_still_fits_in_a_comment_and_a_summary(tmp_path):
    lines = "\n".join(f"- added: `mk-{i:08x}` with `mk-{i + 1:08x}`, score 71.5" for i in range(5000))
    diffs = {"grow": f"**5000 pairs added.**\n\n{lines}", "connect": "**1 pair removed.**"}
    text = ci.comment(diffs)
    assert len(text) < 65_536
    assert "### `grow`\n\n**5000 pairs added.**\n\n_The full list is too long for this page" in text
    assert "### `connect`\n\n**1 pair removed.**" in text
    small = ci.comment({"grow": f"**3 pairs added.**\n\n{lines[:200]}"})
    assert lines[:200] in small  # short diffs are shown whole
    ws = load(make_workspace(tmp_path / "ws"))
    huge = {f"p{i}": f"**Many.**\n\n{lines}" for i in range(6)}
    summary = ci.summary(ws, Report(), huge)
    assert len(summary.encode()) < 1024 * 1024 and summary.count("_The full list is too long") == 6
