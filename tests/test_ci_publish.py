"""The propose workflow's step with side effects (mentorkit.ci.publish): a real git remote, a fake GitHub."""

from __future__ import annotations

import pytest

from mentorkit.ci.context import CiContext
from mentorkit.ci.git import BOT_NAME
from mentorkit.ci.publish import publish_proposal
from mentorkit.ci.text import MARKER, comment
from mentorkit.errors import MentorkitError
from test_ci_changes import proposal, write_proposal
from test_ci_context import ENV, pr_event
from test_ci_git import git, make_repo, push_from_elsewhere
from test_ci_github import REPO_SLUG, FakeGitHub, fake_client


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


def test_publish_on_a_pull_request_commits_comments_and_rechecks(repo):
    root, remote = repo
    fake = FakeGitHub()
    ctx = CiContext.from_event("pull_request", pr_event(), ENV)
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    body = comment({"pilot": "**1 pair added.**"})
    done = publish_proposal(ctx, fake_client(fake), root, body, remote_url=str(remote))
    assert done[0].startswith("Committed the proposal to add-joiners (")
    assert done[1:] == ["Pull request #7: comment created.", "Started check.yml on add-joiners for the new commit."]
    assert git(remote, "log", "-1", "--format=%an", "add-joiners") == BOT_NAME
    assert fake.dispatches == [{"workflow": "check.yml", "ref": "add-joiners", "inputs": {"base": "b" * 40}}]
    # the next push: nothing new to commit, the same comment, no second check
    done = publish_proposal(ctx, fake_client(fake), root, body, remote_url=str(remote))
    assert done == ["The proposal on add-joiners is up to date: nothing to commit.",
                    "Pull request #7: comment unchanged."]
    assert len(fake.comments[7]) == 1 and len(fake.dispatches) == 1


def test_publish_never_writes_to_a_fork(repo):
    root, remote = repo
    fake = FakeGitHub()
    ctx = CiContext.from_event("pull_request", pr_event("someone/fork"), ENV)
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    with pytest.raises(MentorkitError, match="fork"):
        publish_proposal(ctx, fake_client(fake), root, comment({}), remote_url=str(remote))
    assert fake.calls == []
    assert git(root, "status", "--porcelain") == "?? participants/matches/"


def test_publish_by_hand_opens_a_pull_request(tmp_path):
    root, remote = make_repo(tmp_path, "main")
    fake = FakeGitHub()
    ctx = CiContext.from_event("workflow_dispatch", {"inputs": {"program": "pilot"}},
                               {**ENV, "GITHUB_REF_NAME": "main"})
    assert publish_proposal(ctx, fake_client(fake), root, comment({}), remote_url=str(remote)) == [
        "The proposal on main is up to date: no pull request needed."]
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    done = publish_proposal(ctx, fake_client(fake), root, comment({"pilot": "x"}), remote_url=str(remote))
    assert done[1:] == ["Pull request #1 (opened) into main.", "Pull request #1: comment created.",
                        "Started check.yml on mentorkit/match-pilot."]
    [pull] = fake.pulls
    assert (pull["head"], pull["base"], pull["title"]) == ("mentorkit/match-pilot", "main", "Match proposal for pilot")
    assert git(remote, "log", "-1", "--format=%s", "mentorkit/match-pilot") == "Update the match proposal"
    assert git(remote, "rev-parse", "main") != git(remote, "rev-parse", "mentorkit/match-pilot")  # main untouched


def test_publish_after_the_branch_moved_on_leaves_it_to_the_newer_run(repo, tmp_path):
    root, remote = repo
    push_from_elsewhere(remote, tmp_path)
    fake = FakeGitHub()
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    done = publish_proposal(CiContext.from_event("pull_request", pr_event(), ENV), fake_client(fake), root,
                            comment({}), remote_url=str(remote))
    assert "moved on" in done[0] and fake.calls == []


def test_publish_never_brings_back_a_deleted_branch(repo):
    root, remote = repo
    git(remote, "branch", "-D", "add-joiners")  # merged and deleted while the run computed
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    fake = FakeGitHub()
    done = publish_proposal(CiContext.from_event("pull_request", pr_event(), ENV), fake_client(fake), root,
                            comment({}), remote_url=str(remote))
    assert "moved on (or was deleted)" in done[0] and fake.calls == []
    assert git(remote, "branch", "--list") == ""


def test_publish_outside_a_workflow_says_so(repo):
    root, _ = repo
    with pytest.raises(MentorkitError, match="runs in the Propose matches workflow"):
        publish_proposal(CiContext(event="", repository=REPO_SLUG), fake_client(FakeGitHub()), root, MARKER)
