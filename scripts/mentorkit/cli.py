"""The `mentorkit` command: a thin shell over the library.

Commands only parse options, call the library, and turn domain exceptions into
messages and exit codes: 0 clean, 1 problems, 2 usage errors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from . import metrics
from .ci import github as ci_github
from .ci import text as ci_text
from .ci.changes import proposal_diffs
from .ci.context import CiContext
from .ci.publish import publish_proposal
from .errors import InvalidWorkspace, MentorkitError
from .model import CADENCES, SCHEMA_VERSION, Workspace
from .repo import layout
from .repo import schemas as schema_module
from .repo.load import find_root, load_workspace, read_workspace
from .text import report as report_formats

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Repository root (default: the current folder or the nearest parent holding program/ and participants/).",
)


def _root(root: Path | None) -> Path:
    return root.resolve() if root else find_root(Path.cwd())


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class Shell(click.Group):
    """Turns library errors into a message and exit code 1 (never a traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InvalidWorkspace as exc:
            click.echo(report_formats.as_text(exc.report), err=True, nl=False)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except MentorkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a read-only folder, a full disk, a file that is a folder: the disk's words, no traceback
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"Error: the file system refused{where}: {(exc.strerror or str(exc)).lower()}. "
                       "Files are replaced whole, so each is either as before or new; fix the folder "
                       "(permissions, free space) and run the command again", err=True)
            sys.exit(1)


@click.group(cls=Shell, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorkit")
def main():
    """Run a workplace mentoring program from this repository."""


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(sorted(report_formats.FORMATS)), default=None,
              help="text (default), json, or github (annotations; the default inside GitHub Actions).")
def validate(root, fmt):
    """Check every file of the repository.

    Lists every problem in the program, agenda and participant files, each with its file, line or row and field.
    """
    _, rep = read_workspace(_root(root))
    click.echo(report_formats.FORMATS[fmt or _default_format()](rep), nl=False)
    sys.exit(0 if rep.ok else 1)


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Fail if the committed schemas differ from the models.")
def schema(root, check):
    """Write the JSON Schemas for editors.

    The schemas (schemas/*.schema.json) let an editor check program files as you type.
    """
    root = _root(root)
    if check:
        stale = schema_module.stale(root)
        for path in stale:
            click.echo(f"{path} is out of date: run `mentorkit schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in schema_module.write_all(root):
        click.echo(f"wrote {path}")


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a program file needs upgrading.")
def upgrade(root, check):
    """Bring every program file to this kit's schema.

    Rewrites only what changed, keeping your comments; all files are written, or none.
    """
    from .repo.upgrade import apply_upgrade, plan_upgrade

    root = _root(root)
    plan = plan_upgrade(root)
    for item in plan.files:
        click.echo(f"{item.rel}: schema {item.before} -> {item.after}")
        for change in item.changes:
            click.echo(f"  {change}")
    if not plan.needed:
        click.echo(f"every program file is at schema {SCHEMA_VERSION}: nothing to do")
    elif check:
        click.echo("run `mentorkit upgrade` to make these changes", err=True)
        sys.exit(1)
    else:
        apply_upgrade(root, plan)
        click.echo(f"upgraded {len(plan.files)} program file{'s' if len(plan.files) != 1 else ''}; "
                   "review the changes and commit them")
    if not plan.remaining.ok:
        click.echo(f"the repository has {len(plan.remaining.problems)} other problem(s): run `mentorkit validate`",
                   err=True)


def _load(root):
    return load_workspace(_root(root))


@main.command()
@root_option
@click.argument("program", required=False)
@click.option("--all", "all_programs", is_flag=True, help="Every program (the default when no PROGRAM is given).")
def match(root, program, all_programs):
    """Propose matches for a program, or all.

    Writes participants/matches/<program>.yaml, the proposal reviewed in a pull request.
    """
    from .matching import match as run_matcher
    from .proposals.diff import diff_proposals
    from .repo.proposal_files import save_proposal

    if program and all_programs:
        raise click.UsageError("give a PROGRAM or --all, not both")
    root = _root(root)
    ws = load_workspace(root)
    for pid in [program] if program else sorted(ws.programs):
        ws.program(pid)
        previous = ws.proposals.get(pid)
        result = run_matcher(ws, pid, previous)
        rel, changed = save_proposal(root, result.proposal)
        verdict = diff_proposals(previous, result.proposal).headline() if changed else "unchanged"
        click.echo(f"{rel}: {verdict} (solver: {result.stats['solver']})")


@main.command()
@root_option
@click.argument("program")
@click.option("--pair", "pairs", multiple=True, metavar="MENTEE:MENTOR",
              help="Approve only this pair (repeatable); without it, every proposed pair.")
def approve(root, program, pairs):
    """Approve proposed pairs.

    Sets them approved in participants/matches/<program>.yaml; then commit and merge.
    """
    from .proposals.approval import approve_in
    from .repo.proposal_files import save_proposal

    if any(pair.count(":") != 1 for pair in pairs):
        raise click.UsageError("give each pair as MENTEE:MENTOR, e.g. mk-1a2b3c4d:mk-5e6f7a8b")
    wanted = [(mentee, mentor) for mentee, mentor in (pair.split(":") for pair in pairs)] or None
    root = _root(root)
    proposal, changed = approve_in(load_workspace(root), program, wanted)
    rel, _ = save_proposal(root, proposal)
    click.echo(f"{rel}: {changed} pair{'s' if changed != 1 else ''} approved")


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def diff(old, new, fmt):
    """Show what changed between two proposals.

    OLD may be missing: then every pair is new.
    """
    from .proposals.diff import diff_proposals
    from .repo.proposal_files import read_proposal

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
def metrics_command(root, program, fmt, attention, breakdowns, check):
    """Report a program's measures.

    Level 1-4 measures, ROI and targets for one program, or all.
    """
    ws = _load(root)
    if program:
        ws.program(program)  # a clear error for an unknown program
    click.echo(metrics.report(ws, program, fmt, attention=attention, breakdowns=breakdowns), nl=False)
    sys.exit(1 if check and metrics.needs_attention(ws, program) else 0)


# --- `mentorkit ci`: what the GitHub workflows run (.github/workflows/, docs/workflows.md) ---

base_option = click.option(
    "--base", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="A checkout of the pull request's base to compare with; ignored when the folder does not exist.",
)


def _base_workspace(base: Path | None) -> Workspace | None:
    """The pull request's base as a workspace (problems and all), or None when there is none to compare with."""
    if base is None or not (base / layout.PROGRAMS).is_dir():
        return None
    return read_workspace(base.resolve())[0]


@main.group()
def ci():
    """Run the GitHub workflows' steps.

    What the workflows in .github/workflows/ run; see docs/workflows.md.
    """


@ci.command("summary")
@root_option
@base_option
def ci_summary(root, base):
    """Print the pull-request check's job summary (Markdown). Exit 0 even when the files have problems."""
    ws, rep = read_workspace(_root(root))
    old = _base_workspace(base)
    measures = metrics.report(ws, fmt="markdown") if rep.ok and ws.programs else None
    click.echo(ci_text.summary(ws, rep, proposal_diffs(old, ws), measures, base=old,
                               run_url=CiContext.from_env().run_url), nl=False)


@ci.command("comment")
@root_option
@base_option
def ci_comment(root, base):
    """Print the match-proposal comment.

    Markdown, starting with the hidden marker that finds it again.
    """
    ws = load_workspace(_root(root))
    click.echo(ci_text.comment(proposal_diffs(_base_workspace(base), ws),
                               titles={pid: p.title for pid, p in ws.programs.items()},
                               run_url=CiContext.from_env().run_url), nl=False)


@ci.command("check-proposal")
@root_option
@click.option("--body-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="The comment, as printed by `mentorkit ci comment`.")
def ci_check_proposal(root, body_file):
    """Check a proposal artifact before publishing it.

    Exit 1 unless participants/matches/ holds only valid proposals of the branch's programs and the comment is one.
    """
    from .repo.proposal_files import check_artifact

    wrong = check_artifact(_root(root), body_file.read_text(encoding="utf-8"), ci_text.MARKER)
    if wrong:
        raise MentorkitError("the proposal artifact is refused: " + "; ".join(wrong))
    click.echo("The proposal artifact holds only valid proposal files and a proposal comment.")


@ci.command("publish-proposal")
@root_option
@click.option("--body-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="The comment, as printed by `mentorkit ci comment`.")
def ci_publish_proposal(root, body_file):
    """Publish the proposal.

    Commits it, then comments on (or opens) the pull request. Propose matches workflow only.
    """
    for line in publish_proposal(CiContext.from_env(), ci_github.GitHub.from_env(), _root(root),
                                 body_file.read_text(encoding="utf-8"), token=os.environ.get("GITHUB_TOKEN")):
        click.echo(line)


@ci.command("reminder")
@root_option
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to report on (default: today, UTC).")
@click.option("--publish", is_flag=True, help="Open, update or close the reminder issue (needs GITHUB_TOKEN).")
def ci_reminder(root, as_of, publish):
    """Print the coordinator's reminder.

    Markdown; with --publish, open, update or close the reminder issue.
    """
    ws = load_workspace(_root(root))
    day = as_of.date() if as_of else dt.datetime.now(dt.UTC).date()
    title, body = ci_text.reminder(ws, day)
    click.echo(f"## {title}\n\n{body or 'Nothing needs attention: no reminder issue stays open.'}".rstrip("\n") + "\n",
               nl=False)
    if publish:
        action, number = ci_github.upsert_issue(ci_github.GitHub.from_env(), title, body)
        click.echo(f"\nReminder issue: {action}" + (f" (#{number})" if number else "") + ".")


# --- coordinator tools: intake, imports, introductions, new programs (docs/coordinator-tools.md) ---

_private_option = click.option("--private", "private", required=True, type=click.Path(file_okay=False, path_type=Path),
                               help="Private folder outside the repository: key, roster, record of introductions.")
_dry_run_option = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                              help="text (default) or json.")
_program_option = click.option("--program", "program", required=True, help="Program id (file name in program/).")


def _echo_report(rep, fmt):
    if fmt == "json":
        click.echo(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(rep.as_text(), nl=False)
    sys.exit(0 if rep.ok else 1)


@main.command()
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_program_option
@_private_option
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Sign-up date for rows without a timestamp (default: today).")
@_dry_run_option
@_format_option
@root_option
def intake(export, program, private, day, dry_run, fmt, root):
    """Add participants from a sign-up export.

    Adds or updates participants from a sign-up form export (CSV), pseudonymized.
    """
    from .coordinator.intake import intake as run

    _echo_report(run(_root(root), export, program, private, dry_run=dry_run, today=day.date() if day else None), fmt)


@main.command("import-checkins")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_program_option
@_private_option
@_dry_run_option
@_format_option
@root_option
def import_checkins(export, program, private, dry_run, fmt, root):
    """Import a check-in form export.

    Adds its answers to participants/checkins.csv, pseudonymized.
    """
    from .coordinator.checkins import import_checkins as run

    _echo_report(run(_root(root), export, program, private, dry_run=dry_run), fmt)


@main.command("import-survey")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_program_option
@_private_option
@click.option("--survey", type=click.Choice(["baseline", "pulse", "final"]), default=None,
              help="Which survey every row answers (else a column of the export says).")
@_dry_run_option
@_format_option
@root_option
def import_survey(export, program, private, survey, dry_run, fmt, root):
    """Import a survey export.

    Adds its answers to survey_responses.csv and skill_ratings.csv, pseudonymized.
    """
    from .coordinator.surveys import import_survey as run

    _echo_report(run(_root(root), export, program, private, survey=survey, dry_run=dry_run), fmt)


@main.command("import-goals")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_program_option
@_private_option
@_dry_run_option
@_format_option
@root_option
def import_goals(export, program, private, dry_run, fmt, root):
    """Import a goals form export.

    Adds the goals set, reviewed and achieved to participants/goals.csv, pseudonymized.
    """
    from .coordinator.goals import import_goals as run

    _echo_report(run(_root(root), export, program, private, dry_run=dry_run), fmt)


@main.command("import-outcomes")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_program_option
@_private_option
@_dry_run_option
@_format_option
@root_option
def import_outcomes(export, program, private, dry_run, fmt, root):
    """Import an HR system's employee list.

    Adds participants' promotions, role changes and departures to participants/outcomes.csv, pseudonymized,
    and reports the comparison group (everyone else) for the program.
    """
    from .coordinator.outcomes import import_outcomes as run

    _echo_report(run(_root(root), export, program, private, dry_run=dry_run), fmt)


@main.command()
@click.argument("program")
@_private_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder outside the repository for the .eml and .ics files.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date of the e-mails (default: today); the first meeting is proposed a week later.")
@click.option("--meeting-date", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Propose this date instead.")
@click.option("--meeting-time", default="10:00", show_default=True, help="In the mentee's time zone.")
@click.option("--sender", default=None, help="From address, e.g. 'Mentoring team <mentoring@example.org>'.")
@click.option("--again", is_flag=True, help="Also rewrite introductions of pairs already introduced.")
@_dry_run_option
@_format_option
@root_option
def intros(program, private, out, day, meeting_date, meeting_time, sender, again, dry_run, fmt, root):
    """Write introduction e-mails.

    An e-mail (.eml) and an invitation (.ics) for every newly approved pair.
    """
    from .coordinator.intros import write_intros

    _echo_report(write_intros(_root(root), program, private, out, today=day.date() if day else None,
                              meeting_date=meeting_date.date() if meeting_date else None, meeting_time=meeting_time,
                              sender=sender, again=again, dry_run=dry_run), fmt)


def _ask_program(given: dict, no_input: bool, first_suggestions: dict | None = None) -> dict:
    """The `init` questions not answered by an option: prompted (Enter takes the suggestion), or all suggested."""
    from .coordinator.scaffold import QUESTIONS, suggestions

    for q in QUESTIONS:
        if given[q.name] is not None:
            continue
        suggested = {**suggestions(dt.date.today(), given["program_id"]), **(first_suggestions or {})}.get(q.name)
        if no_input:
            if q.required and suggested is None:
                raise click.UsageError(f"--no-input needs {q.name.replace('_', '-')}")
            given[q.name] = suggested
            continue
        kind = (click.Choice(q.choices) if q.choices else click.DateTime(["%Y-%m-%d"]) if q.name in ("start", "end")
                else click.IntRange(10, 480) if q.name == "session_minutes" else str)
        default = suggested.isoformat() if isinstance(suggested, dt.date) else suggested  # click parses text
        value = click.prompt(q.prompt, default=default if default is not None else ("" if not q.required else None),
                             type=kind, show_default=default is not None, show_choices=bool(q.choices))
        given[q.name] = value.date() if isinstance(value, dt.datetime) else (value or None)
    return given


@main.command()
@click.argument("program_id", required=False)
@click.option("--title")
@click.option("--format", "fmt", type=click.Choice(["one-to-one", "group", "peer", "reverse", "mosaic", "flash"]))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--cadence", type=click.Choice(CADENCES))
@click.option("--session-minutes", type=click.IntRange(10, 480))
@click.option("--purpose")
@click.option("--audience")
@click.option("--contact", help="How to reach the coordinator: a channel or team page, never a personal address.")
@click.option("--enrolment-opens", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--enrolment-closes", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--eligible-population", type=click.IntRange(1))
@click.option("--no-input", is_flag=True, help="Ask nothing: use the suggested value for every answer not given.")
@click.option("--force", is_flag=True, help="Replace an existing program file.")
@_dry_run_option
@root_option
def init(program_id, title, fmt, start, end, cadence, session_minutes, purpose, audience, contact, enrolment_opens,
         enrolment_closes, eligible_population, no_input, force, dry_run, root):
    """Create a new program file.

    Asks a few questions, or takes them as options.
    """
    from .coordinator.scaffold import ProgramAnswers, init_program

    given = _ask_program({"program_id": program_id, "title": title, "format": fmt, "start": start and start.date(),
                          "end": end and end.date(), "cadence": cadence, "session_minutes": session_minutes,
                          "purpose": purpose, "audience": audience, "contact": contact}, no_input)
    result = init_program(_root(root), ProgramAnswers(
        **given, enrolment_opens=enrolment_opens and enrolment_opens.date(),
        enrolment_closes=enrolment_closes and enrolment_closes.date(), eligible_population=eligible_population),
        force=force, dry_run=dry_run)
    if dry_run:
        click.echo(result.text, nl=False)
    else:
        click.echo(f"wrote {result.path.relative_to(_root(root))}; run `mentorkit validate` after editing it")
    for note in result.notes:
        click.echo(f"note: {note}")


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--org", help="The organisation's name, shown on the site and in the README.")
@click.option("--no-input", is_flag=True, help="Ask nothing: use the suggested value for every answer not given.")
def new_repository(folder, org, no_input):
    """Create an organisation's own program repository.

    One starter program (the `init` questions), the data package, every agenda, handbooks, the site and
    GitHub workflows that install the kit from the one pin in requirements.txt. No demo data, no kit code.
    """
    from .coordinator.new_repo import create_repository, default_answers
    from .coordinator.scaffold import ProgramAnswers

    suggested_org = " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split()).capitalize() or "Our org"
    if org is None:
        org = suggested_org if no_input else click.prompt("Organisation name", default=suggested_org)
    first = default_answers(dt.date.today())
    given = _ask_program(dict.fromkeys(("program_id", "title", "format", "start", "end", "cadence", "session_minutes",
                                        "purpose", "audience", "contact")), no_input,
                         {"program_id": first.program_id, "title": first.title})
    made = create_repository(folder, org, ProgramAnswers(**given))
    click.echo(f"created {made.path} ({len(made.files)} files) with the program {made.program_id}")
    click.echo(f"next: cd {folder}, then `mentorkit validate` and `mkdocs serve`; the README says how to put it on GitHub")
