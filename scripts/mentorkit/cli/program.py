"""The commands on the repository's files: validate, schema, forms, upgrade, match, approve, diff, metrics, skills."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..text import report as report_formats
from ..text.counts import counted
from .shell import default_format, main, resolve_root, root_option

if TYPE_CHECKING:  # the library is imported where a command runs: `--help` loads no model
    from ..model import Proposal, Workspace


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(sorted(report_formats.FORMATS)), default=None,
              help="text (default), json, or github (annotations; the default inside GitHub Actions).")
def validate(root: Path | None, fmt: str | None) -> None:
    """Check every file of the repository.

    Lists every problem in the program, agenda, participant and e-mail template files, with file, line or row and field.
    """
    from ..repo.load import read_workspace

    _, rep = read_workspace(resolve_root(root))
    click.echo(report_formats.FORMATS[fmt or default_format()](rep), nl=False)
    sys.exit(0 if rep.ok else 1)


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Fail if the committed schemas differ from the models.")
def schema(root: Path | None, check: bool) -> None:
    """Write the JSON Schemas for editors.

    The schemas (schemas/*.schema.json) let an editor check program files as you type.
    """
    from ..repo import schemas as schema_module

    root = resolve_root(root)
    if check:
        stale = schema_module.stale(root)
        for path in stale:
            click.echo(f"{path} is out of date: run `mentorkit schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in schema_module.write_all(root):
        click.echo(f"wrote {path}")


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Fail if forms/ differs from the kit's questions and the vocabulary.")
def forms(root: Path | None, check: bool) -> None:
    """Write the questions of the program's forms.

    One Markdown file per form (sign-up, check-in, surveys, goals, manager feedback) to recreate in Google or
    Microsoft Forms; the imports recognise their titles without any mapping.
    """
    from ..repo import forms as form_files

    root = resolve_root(root)
    vocabulary = _load(root).vocabulary
    if check:
        stale = form_files.stale(root, vocabulary)
        for path in stale:
            click.echo(f"{path} is out of date: run `mentorkit forms`", err=True)
        sys.exit(1 if stale else 0)
    for path in form_files.write_all(root, vocabulary):
        click.echo(f"wrote {path}")


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file needs upgrading.")
@click.option("--take", "take", multiple=True, metavar="FILE",
              help="Replace this kit file even though it was edited here (repeatable).")
@click.option("--kit-spec", metavar="SPEC",
              help="The pin to write, e.g. mentorkit==1.2.3 (default: how this kit was installed).")
def upgrade(root: Path | None, check: bool, take: tuple[str, ...], kit_spec: str | None) -> None:
    """Bring the repository to the installed kit.

    Program files (your comments kept), schemas/, forms/, the kit's own files and the pin; a kit file you
    edited is kept and its difference shown. All files are written, or none.
    """
    from ..model import SCHEMA_VERSION
    from ..repo.upgrade import apply_upgrade, plan_upgrade

    root = resolve_root(root)
    plan = plan_upgrade(root, take=take, kit_spec=kit_spec)
    for item in plan.files:
        click.echo(f"{item.rel}: schema {item.before} -> {item.after}")
        for change in item.changes:
            click.echo(f"  {change}")
    for rel, change in plan.tables:
        click.echo(f"{rel}: {change}")
    for rel in plan.generated:
        click.echo(f"{rel}: rewritten for this kit")
    for kit_file in plan.kit_files:
        if kit_file.state != "edited":
            click.echo(f"{kit_file.rel}: {kit_file.state} (the kit's version)")
    if plan.pin:
        click.echo(f"requirements.txt: the pin becomes {plan.pin}")
    for kit_file in plan.kept:
        click.echo(f"{kit_file.rel}: kept, because it was changed here; the kit's version differs:\n{kit_file.diff}", nl=False)
        click.echo(f"  (to take the kit's version: mentorkit upgrade --take {kit_file.rel})")
    for note in plan.notes:
        click.echo(f"note: {note}", err=True)
    if not plan.needed:
        click.echo(f"the repository is at this kit (program-file schema {SCHEMA_VERSION}): nothing to do")
    elif check:
        click.echo("run `mentorkit upgrade` to make these changes", err=True)
        sys.exit(1)
    else:
        apply_upgrade(root, plan)
        click.echo(f"upgraded {counted(len(plan.texts), 'file')}; review the changes and "
                   "commit them")
    if not plan.remaining.ok:
        click.echo(f"the repository has {len(plan.remaining.problems)} other problem(s): run `mentorkit validate`",
                   err=True)


def _load(root: Path | None) -> Workspace:
    from ..repo.load import load_workspace

    return load_workspace(resolve_root(root))


@main.command()
@root_option
@click.argument("program", required=False)
@click.option("--all", "all_programs", is_flag=True, help="Every program (the default when no PROGRAM is given).")
def match(root: Path | None, program: str, all_programs: bool) -> None:
    """Propose matches for a program, or all.

    Writes participants/matches/<program>.yaml, the proposal reviewed in a pull request.
    """
    if program and all_programs:
        raise click.UsageError("give a PROGRAM or --all, not both")
    root = resolve_root(root)
    ws = _load(root)
    # imported once the workspace is valid: a repository with problems is told so without loading the solvers
    from ..matching import match as run_matcher
    from ..repo.proposal_files import save_proposal

    gc.freeze()  # the workspace lives to the end: the collector need not re-scan it while millions of pairs come and go
    try:
        for pid in [program] if program else sorted(ws.programs):
            ws.program(pid)
            previous = ws.proposals.get(pid)
            result = run_matcher(ws, pid, previous)
            rel, changed = save_proposal(root, result.proposal)
            verdict = _changes(previous, result.proposal) if changed else "unchanged"
            click.echo(f"{rel}: {verdict} (solver: {result.stats['solver']})")
    finally:
        gc.unfreeze()


def _changes(previous: Proposal | None, proposal: Proposal) -> str:
    from ..proposals.diff import diff_proposals  # here: a re-run that changes nothing (the usual one) needs no diff

    return diff_proposals(previous, proposal).headline()


@main.command()
@root_option
@click.argument("program")
@click.option("--pair", "pairs", multiple=True, metavar="MENTEE:MENTOR",
              help="Approve only this pair (repeatable); without it, every proposed pair.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day the pairs start, recorded as approved_on (default: today).")
def approve(root: Path | None, program: str, pairs: tuple[str, ...], day: dt.datetime | None) -> None:
    """Approve proposed pairs.

    Sets them approved in participants/matches/<program>.yaml; then commit and merge.
    """
    from ..proposals.approval import approve_in
    from ..repo.proposal_files import save_proposal

    if any(pair.count(":") != 1 for pair in pairs):
        raise click.UsageError("give each pair as MENTEE:MENTOR, e.g. mk-1a2b3c4d:mk-5e6f7a8b")
    wanted = [(mentee, mentor) for mentee, mentor in (pair.split(":") for pair in pairs)] or None
    root = resolve_root(root)
    proposal, changed = approve_in(_load(root), program, wanted, day.date() if day else dt.date.today())
    rel, _ = save_proposal(root, proposal)
    click.echo(f"{rel}: {counted(changed, 'pair')} approved")


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def diff(old: Path, new: Path, fmt: str) -> None:
    """Show what changed between two proposals.

    OLD may be missing: then every pair is new.
    """
    from ..proposals.diff import diff_proposals
    from ..repo.proposal_files import read_proposal

    before = read_proposal(old) if old.exists() else None
    result = diff_proposals(before, read_proposal(new))
    click.echo(result.to_markdown() if fmt == "markdown" else result.to_text(), nl=False)


@main.command("metrics")
@root_option
@click.argument("program", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--attention/--no-attention", default=True,
              help="List pairs needing attention (pseudonyms: for the coordinator only, never publish).")
@click.option("--breakdowns", is_flag=True, help="Add breakdowns by department, level, format and demographics.")
@click.option("--check", is_flag=True, help="Exit 1 if any pair needs attention.")
def metrics_command(root: Path | None, program: str, fmt: str, attention: bool, breakdowns: bool, check: bool) -> None:
    """Report a program's measures.

    Level 1-4 measures, ROI and targets for one program, or all.
    """
    from .. import metrics

    ws = _load(root)
    if program:
        ws.program(program)  # a clear error for an unknown program
    gc.freeze()  # the workspace lives to the end: the collector need not re-scan it while the measures come and go
    try:
        text = metrics.report(ws, program, fmt, attention=attention, breakdowns=breakdowns)
        attention_needed = check and metrics.needs_attention(ws, program)
    finally:
        gc.unfreeze()
    click.echo(text, nl=False)
    sys.exit(1 if attention_needed else 0)


@main.command("skills")
@root_option
@click.argument("program", required=False)
@click.option("--pseudonyms", is_flag=True,
              help="Exact numbers, and the mentees no mentor can serve and the mentors no one seeks by pseudonym "
                   "(for the coordinator only, never publish).")
def skills_command(root: Path | None, program: str, pseudonyms: bool) -> None:
    """Report skills supply and demand from the sign-ups.

    Markdown: per skill who seeks and offers it, with places; skills no mentor offers; advice on recruiting mentors.
    """
    from ..metrics.skills_text import skills_report

    ws = _load(root)
    if program:
        ws.program(program)  # a clear error for an unknown program
    click.echo(skills_report(ws, program, pseudonyms=pseudonyms), nl=False)
