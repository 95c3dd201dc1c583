"""The propose workflow's one step with side effects: deliver a freshly computed proposal for review.

It composes the other modules: the run's `CiContext`, `git` to commit and
push the proposal files, `github` to comment, open the pull request and start
the Check workflow, and the pull request's wording from `text`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import GitHubError, MentorkitError
from ..repo import layout
from . import git, github
from .context import CiContext
from .text import proposal_pull_request

CHECK_WORKFLOW = "check.yml"  # pushes made with GITHUB_TOKEN start no workflow: this one is started by hand


def proposal_branch(program: str | None) -> str:
    """The workflow's own branch for a proposal run by hand."""
    return f"mentorkit/match-{program or 'all'}"


def _commit_message(ctx: CiContext) -> str:
    return "Update the match proposal\n\nWritten by `mentorkit match`" + (f" in {ctx.run_url}" if ctx.run_url else "")


def _to_pull_request(ctx: CiContext, gh: github.GitHub, root: Path, comment_body: str, token: str | None,
                     remote: str, recheck: str | None) -> list[str]:
    """Commit to the pull request's own branch (unless it moved on meanwhile), comment, start the Check."""
    if not ctx.head_ref or ctx.pr_number is None:
        raise MentorkitError("the event has no pull request branch")
    start = git.head_commit(root)
    sha = git.commit_proposals(root, _commit_message(ctx))
    done = []
    if sha:
        if not git.push_branch(root, remote, ctx.head_ref, token, expect=start):
            return [f"The branch {ctx.head_ref} moved on (or was deleted) while the proposal was computed; "
                    "nothing was pushed: the run for the newer commit proposes instead."]
        done.append(f"Committed the proposal to {ctx.head_ref} ({sha[:7]}).")
    else:
        done.append(f"The proposal on {ctx.head_ref} is up to date: nothing to commit.")
    action, _ = github.upsert_comment(gh, ctx.pr_number, comment_body)
    done.append(f"Pull request #{ctx.pr_number}: comment {action}.")
    if sha and recheck:
        github.dispatch_workflow(gh, recheck, ctx.head_ref, {"base": ctx.base_sha or ""})
        done.append(f"Started {recheck} on {ctx.head_ref} for the new commit.")
    return done


def _by_hand(ctx: CiContext, gh: github.GitHub, root: Path, comment_body: str, token: str | None,
             remote: str, recheck: str | None) -> list[str]:
    """Commit to the workflow's branch, open (or reuse) a pull request into the branch it ran on, comment, check."""
    if not ctx.ref_name:
        raise MentorkitError("the run has no branch (GITHUB_REF_NAME is empty)")
    changed = git.changed_files(root, layout.MATCHES)
    program = ctx.program or (Path(changed[0]).stem if len(changed) == 1 else None)
    sha = git.commit_proposals(root, _commit_message(ctx))
    if not sha:
        return [f"The proposal on {ctx.ref_name} is up to date: no pull request needed."]
    branch = proposal_branch(program)
    git.push_branch(root, remote, branch, token, force=True)
    done = [f"Pushed the proposal to {branch} ({sha[:7]})."]
    title, body = proposal_pull_request(program, ctx.ref_name, ctx.run_url)
    try:
        action, number = github.open_pull_request(gh, branch, ctx.ref_name, title, body)
    except GitHubError as exc:
        if exc.status != 403:
            raise
        # The recommended setting: Actions may not create (or approve) pull requests. A person opens it, in one click.
        link = f"{ctx.server_url}/{ctx.repository}/compare/{ctx.ref_name}...{branch}?expand=1"
        return done + [f"Open the pull request for review here: {link}"]
    done.append(f"Pull request #{number} ({action}) into {ctx.ref_name}.")
    action, _ = github.upsert_comment(gh, number, comment_body)
    done.append(f"Pull request #{number}: comment {action}.")
    if recheck:
        github.dispatch_workflow(gh, recheck, branch, {"base": ctx.sha or ""})
        done.append(f"Started {recheck} on {branch}.")
    return done


def publish_proposal(ctx: CiContext, gh: github.GitHub, root: Path, comment_body: str, *, token: str | None = None,
                     remote_url: str | None = None, recheck: str | None = CHECK_WORKFLOW) -> list[str]:
    """Deliver a freshly computed proposal for review; returns what was done, one sentence per line.

    - Pull request from this repository: commit the proposal files to the pull
      request's branch (if they changed), update the one marked comment, and
      start the Check workflow on the new commit.
    - Started by hand (workflow_dispatch): commit to the workflow's branch
      `mentorkit/match-<program>` on top of the branch it ran on, open (or
      reuse) a pull request into that branch, comment, start the Check.
    - Pull request from a fork: refused; its text belongs in the job summary.
    """
    root, remote = Path(root), remote_url or ctx.remote_url
    if ctx.is_fork:
        raise MentorkitError("a pull request from a fork cannot be written to: its proposal belongs in the job summary")
    if ctx.is_pull_request:
        return _to_pull_request(ctx, gh, root, comment_body, token, remote, recheck)
    if ctx.event == "workflow_dispatch":
        return _by_hand(ctx, gh, root, comment_body, token, remote, recheck)
    raise MentorkitError(f"nothing to publish for a '{ctx.event or 'local'}' run: "
                         "this command runs in the Propose matches workflow")
