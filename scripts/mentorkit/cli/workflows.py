"""`mentorkit ci`: the steps the GitHub workflows run (.github/workflows/, docs/workflows.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import MentorkitError
from ..text import report as report_formats
from .shell import default_format, main, resolve_root, root_option

if TYPE_CHECKING:  # the library is imported where a command runs: `--help` loads no model
    from ..model import Workspace

base_option = click.option(
    "--base", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="A checkout of the pull request's base to compare with; ignored when the folder does not exist.",
)


def _code_changes(base: Path | None, root: Path) -> list[str]:
    """The files of the pull request that run code or decide what is installed (none without a base)."""
    from ..repo.compare import changed_files

    if base is None or not base.is_dir():
        return []
    return changed_files(base, root)


def _base_workspace(base: Path | None) -> Workspace | None:
    """The pull request's base as a workspace (problems and all), or None when there is none to compare with."""
    from ..repo import layout
    from ..repo.load import read_workspace

    if base is None or not (base / layout.PROGRAMS).is_dir():
        return None
    return read_workspace(base.resolve())[0]


@main.group()
def ci() -> None:
    """Run the GitHub workflows' steps.

    What the workflows in .github/workflows/ run; see docs/workflows.md.
    """


@ci.command("summary")
@root_option
@base_option
def ci_summary(root: Path | None, base: Path | None) -> None:
    """Print the pull-request check's job summary (Markdown). Exit 0 even when the files have problems."""
    from .. import metrics
    from ..ci import text as ci_text
    from ..ci.changes import proposal_diffs
    from ..ci.context import CiContext
    from ..repo.load import read_workspace

    root = resolve_root(root)
    ws, rep = read_workspace(root)
    old = _base_workspace(base)
    measures = metrics.report(ws, fmt="markdown") if rep.ok and ws.programs else None
    click.echo(ci_text.summary(ws, rep, proposal_diffs(old, ws), measures, base=old,
                               run_url=CiContext.from_env().run_url, code_changes=_code_changes(base, root)),
               nl=False)


@ci.command("comment")
@root_option
@base_option
def ci_comment(root: Path | None, base: Path | None) -> None:
    """Print the match-proposal comment.

    Markdown, starting with the hidden marker that finds it again.
    """
    from ..ci import text as ci_text
    from ..ci.changes import proposal_diffs
    from ..ci.context import CiContext
    from ..repo.load import load_workspace

    root = resolve_root(root)
    ws = load_workspace(root)
    click.echo(ci_text.comment(proposal_diffs(_base_workspace(base), ws),
                               titles={pid: p.title for pid, p in ws.programs.items()},
                               run_url=CiContext.from_env().run_url, code_changes=_code_changes(base, root), ws=ws),
               nl=False)


@ci.command("receive-proposal")
@root_option
@click.option("--artifact", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The fresh folder the proposal artifact was unpacked into (outside the branch's checkout).")
def ci_receive_proposal(root: Path | None, artifact: Path) -> None:
    """Check a proposal artifact, then copy it into the branch.

    Exit 1, writing nothing, unless the artifact holds only valid proposals of the branch's programs.
    """
    from ..repo.proposal_files import receive_proposals

    wrong = receive_proposals(artifact, resolve_root(root))
    if wrong:
        raise MentorkitError("the proposal artifact is refused: " + "; ".join(wrong))
    click.echo("The proposal artifact holds only valid proposal files; they are in the branch now.")


@ci.command("publish-proposal")
@root_option
@base_option
def ci_publish_proposal(root: Path | None, base: Path | None) -> None:
    """Publish the proposal.

    Commits it, then writes the comment from the checked files and comments on (or opens) the pull request.
    Propose matches workflow only.
    """
    from ..ci import github as ci_github
    from ..ci import text as ci_text
    from ..ci.changes import proposal_diffs
    from ..ci.context import CiContext
    from ..ci.publish import publish_proposal
    from ..repo.load import load_workspace

    root = resolve_root(root)
    ws = load_workspace(root)
    body = ci_text.comment(proposal_diffs(_base_workspace(base), ws),
                           titles={pid: p.title for pid, p in ws.programs.items()},
                           run_url=CiContext.from_env().run_url, code_changes=_code_changes(base, root), ws=ws)
    for line in publish_proposal(CiContext.from_env(), ci_github.GitHub.from_env(), root, body,
                                 token=os.environ.get("GITHUB_TOKEN")):
        click.echo(line)


@ci.command("history")
@root_option
@click.option("--base-commit", default="", help="The pull request's base commit; empty: nothing to look at.")
@click.option("--format", "fmt", type=click.Choice(sorted(report_formats.FORMATS)), default=None,
              help="text (default), json, or github (annotations; the default inside GitHub Actions).")
def ci_history(root: Path | None, base_commit: str, fmt: str | None) -> None:
    """Look at every file the pull request's commits added.

    Exit 1 if any of them, even one a later commit removed, holds what validate refuses: a roster, a key, an
    address.
    """
    from ..ci.history import scan_history
    from ..repo.exposure import contact_addresses
    from ..repo.load import read_workspace

    if not base_commit.strip():
        click.echo("There is no pull request base: no history to look at.")
        return
    root = resolve_root(root)
    ws, _ = read_workspace(root)
    allowed = contact_addresses(ws.programs.values())
    rep = scan_history(root, base_commit.strip(), allowed)
    click.echo(report_formats.FORMATS[fmt or default_format()](rep), nl=False)
    if not rep.ok:
        raise SystemExit(1)


@ci.command("reminder")
@root_option
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to report on (default: today, UTC).")
@click.option("--publish", is_flag=True, help="Open, update or close the reminder issue (needs GITHUB_TOKEN).")
def ci_reminder(root: Path | None, as_of: dt.datetime | None, publish: bool) -> None:
    """Print the coordinator's reminder.

    Markdown; with --publish, open, update or close the reminder issue.
    """
    from ..ci import github as ci_github
    from ..ci import text as ci_text
    from ..repo.load import load_workspace

    ws = load_workspace(resolve_root(root))
    day = as_of.date() if as_of else dt.datetime.now(dt.UTC).date()
    title, body = ci_text.reminder(ws, day)
    click.echo(f"## {title}\n\n{body or 'Nothing needs attention: no reminder issue stays open.'}".rstrip("\n") + "\n",
               nl=False)
    if publish:
        action, number = ci_github.upsert_issue(ci_github.GitHub.from_env(), title, body)
        click.echo(f"\nReminder issue: {action}" + (f" (#{number})" if number else "") + ".")
