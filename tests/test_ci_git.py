"""Committing and pushing the proposal files (mentorkit.ci.git): a real repository, a local bare remote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import make_workspace
from mentorkit.ci import git as ci_git
from mentorkit.errors import GitError
from test_ci_changes import proposal, write_proposal
from test_ci_github import TOKEN

# --------------------------------------------------------------------------
# A repository with a remote
# --------------------------------------------------------------------------


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def init_repo(root: Path, remote: Path, branch: str) -> None:
    git(root, "init", "--quiet", "--initial-branch", branch)
    git(root, "add", "--all")
    git(root, "-c", "user.name=Coordinator", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", "start")
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    git(root, "push", "--quiet", str(remote), f"HEAD:refs/heads/{branch}")


def make_repo(tmp_path: Path, branch: str = "add-joiners") -> tuple[Path, Path]:
    """A fixture workspace committed on `branch`, and the bare remote it was pushed to."""
    root = make_workspace(tmp_path / "ws")
    remote = tmp_path / "remote.git"
    init_repo(root, remote, branch)
    return root, remote


def push_from_elsewhere(remote: Path, tmp_path: Path, branch: str = "add-joiners") -> None:
    """Someone else pushes a newer commit to `branch` meanwhile."""
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "--quiet", "--branch", branch, str(remote), str(other)], check=True)
    (other / "new.txt").write_text("x")
    git(other, "add", "new.txt")
    git(other, "-c", "user.name=C", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", "newer")
    git(other, "push", "--quiet", "origin", branch)


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


# --------------------------------------------------------------------------
# git
# --------------------------------------------------------------------------


def test_commit_takes_only_the_proposal_files(repo):
    root, _ = repo
    assert ci_git.commit_proposals(root, "nothing") is None
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    (root / "notes.txt").write_text("not mine")
    sha = ci_git.commit_proposals(root, "Update the match proposal")
    assert git(root, "show", "--name-only", "--format=%an <%ae>%n%s", sha).splitlines() == [
        f"{ci_git.BOT_NAME} <{ci_git.BOT_EMAIL}>", "Update the match proposal", "", "participants/matches/pilot.yaml"]
    assert ci_git.commit_proposals(root, "again") is None


def test_push_reports_a_branch_that_moved_on(repo, tmp_path):
    root, remote = repo
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    ci_git.commit_proposals(root, "one")
    assert ci_git.push_branch(root, str(remote), "add-joiners") is True
    push_from_elsewhere(remote, tmp_path)
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "proposed")]))
    ci_git.commit_proposals(root, "two")
    assert ci_git.push_branch(root, str(remote), "add-joiners") is False
    with pytest.raises(GitError):
        ci_git.push_branch(root, str(tmp_path / "missing.git"), "add-joiners")


def test_the_token_reaches_git_through_the_environment_only():
    env = ci_git._auth_env("https://github.com/acme/mentoring.git", TOKEN)
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"].startswith("AUTHORIZATION: basic ")
    assert TOKEN not in json.dumps(env)  # base64, and never in argv
    assert ci_git._auth_env("/local/remote.git", TOKEN) == {}
