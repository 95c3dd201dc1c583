"""The coordinator's commands on a computer with the private folder: intake, imports, introductions, review,
messages, and new programs and repositories (docs/coordinator-tools.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..model import CADENCES
from .shell import main, resolve_root, root_option

_private_option = click.option("--private", "private", required=True, type=click.Path(file_okay=False, path_type=Path),
                               help="Private folder outside the repository: key, roster, record of introductions.")
_dry_run_option = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                              help="text (default) or json.")
_program_option = click.option("--program", "program", required=True, help="Program id (file name in program/).")


def _import_command(name, *options):
    """A command that reads a form export into the tables: EXPORT, --program, --private, its own `options`, then
    --dry-run, --format and --root (every import takes the same ones, in the same order)."""
    stack = (main.command(name), click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
             _program_option, _private_option, *options, _dry_run_option, _format_option, root_option)

    def decorate(f):
        for option in reversed(stack):
            f = option(f)
        return f
    return decorate


def _echo_report(rep, fmt):
    if fmt == "json":
        click.echo(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(rep.as_text(), nl=False)
    sys.exit(0 if rep.ok else 1)


@_import_command("intake", click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
                                        help="Sign-up date for rows without a timestamp (default: today)."))
def intake(export, program, private, day, dry_run, fmt, root):
    """Add participants from a sign-up export.

    Adds or updates participants from a sign-up form export (CSV), pseudonymized.
    """
    from ..coordinator.intake import intake as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, today=day.date() if day else None), fmt)


@_import_command("import-checkins")
def import_checkins(export, program, private, dry_run, fmt, root):
    """Import a check-in form export.

    Adds its answers to participants/checkins.csv, pseudonymized.
    """
    from ..coordinator.checkins import import_checkins as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run), fmt)


@_import_command("import-survey", click.option(
    "--survey", type=click.Choice(["baseline", "pulse", "final"]), default=None,
    help="Which survey every row answers (else a column of the export says)."))
def import_survey(export, program, private, survey, dry_run, fmt, root):
    """Import a survey export.

    Adds its answers to survey_responses.csv and skill_ratings.csv, pseudonymized.
    """
    from ..coordinator.surveys import import_survey as run

    _echo_report(run(resolve_root(root), export, program, private, survey=survey, dry_run=dry_run), fmt)


@_import_command("import-goals")
def import_goals(export, program, private, dry_run, fmt, root):
    """Import a goals form export.

    Adds the goals set, reviewed and achieved to participants/goals.csv, pseudonymized.
    """
    from ..coordinator.goals import import_goals as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run), fmt)


@_import_command("import-manager-feedback")
def import_manager_feedback(export, program, private, dry_run, fmt, root):
    """Import a manager feedback form export.

    Adds what managers see of their participants' behaviour to participants/manager_feedback.csv, pseudonymized.
    """
    from ..coordinator.manager_feedback import import_manager_feedback as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run), fmt)


@_import_command("import-outcomes")
def import_outcomes(export, program, private, dry_run, fmt, root):
    """Import an HR system's employee list.

    Adds participants' promotions, role changes and departures to participants/outcomes.csv, pseudonymized,
    and reports the comparison group (everyone else) for the program.
    """
    from ..coordinator.outcomes import import_outcomes as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run), fmt)


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
    from ..coordinator.intros import write_intros

    _echo_report(write_intros(resolve_root(root), program, private, out, today=day.date() if day else None,
                              meeting_date=meeting_date.date() if meeting_date else None, meeting_time=meeting_time,
                              sender=sender, again=again, dry_run=dry_run), fmt)


_out_option = {what: click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                                  help=f"Folder outside the repository for {what}.")
               for what in ("review-<program>.html", "the .eml files")}


@main.command()
@click.argument("program")
@_private_option
@_out_option["review-<program>.html"]
@click.option("--base", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An earlier proposal file to compare with (default: the pairs approved so far).")
@_dry_run_option
@_format_option
@root_option
def review(program, private, out, base, dry_run, fmt, root):
    """Write a printable review packet with names."""
    from ..coordinator.review import write_review

    _echo_report(write_review(resolve_root(root), program, private, out, base=base, dry_run=dry_run), fmt)


@main.command()
@click.argument("program")
@click.argument("kind", type=click.Choice(["suggestions", "nudge", "not-matched", "closure"]))
@_private_option
@_out_option["the .eml files"]
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Date of the e-mails (default: today).")
@click.option("--sender", help="From address, e.g. 'Mentoring team <mentoring@example.org>'.")
@_dry_run_option
@_format_option
@root_option
def messages(program, kind, private, out, day, sender, dry_run, fmt, root):
    """Write a batch of program e-mails."""
    from ..coordinator.messages import write_messages

    _echo_report(write_messages(resolve_root(root), program, kind, private, out, today=day.date() if day else None,
                                sender=sender, dry_run=dry_run), fmt)


@_import_command("import-choices")
def import_choices(export, program, private, dry_run, fmt, root):
    """Import mentees' choices of mentor."""
    from ..coordinator.choices import import_choices as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run), fmt)


def _ask_program(given: dict, no_input: bool, first_suggestions: dict | None = None) -> dict:
    """The `init` questions not answered by an option: prompted (Enter takes the suggestion), or all suggested."""
    from ..coordinator.scaffold import QUESTIONS, suggestions

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
@click.option("--format", "fmt", type=click.Choice(["one-to-one", "group", "peer", "reverse", "mosaic", "flash",
                                                   "team"]))
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
    from ..coordinator.scaffold import ProgramAnswers, init_program

    given = _ask_program({"program_id": program_id, "title": title, "format": fmt, "start": start and start.date(),
                          "end": end and end.date(), "cadence": cadence, "session_minutes": session_minutes,
                          "purpose": purpose, "audience": audience, "contact": contact}, no_input)
    result = init_program(resolve_root(root), ProgramAnswers(
        **given, enrolment_opens=enrolment_opens and enrolment_opens.date(),
        enrolment_closes=enrolment_closes and enrolment_closes.date(), eligible_population=eligible_population),
        force=force, dry_run=dry_run)
    if dry_run:
        click.echo(result.text, nl=False)
    else:
        click.echo(f"wrote {result.path.relative_to(resolve_root(root))}; run `mentorkit validate` after editing it")
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
    from ..coordinator.new_repo import create_repository, default_answers
    from ..coordinator.scaffold import ProgramAnswers

    suggested_org = " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split()).capitalize() or "Our org"
    if org is None:
        org = suggested_org if no_input else click.prompt("Organisation name", default=suggested_org)
    first = default_answers(dt.date.today())
    given = _ask_program(dict.fromkeys(("program_id", "title", "format", "start", "end", "cadence", "session_minutes",
                                        "purpose", "audience", "contact")), no_input,
                         {"program_id": first.program_id, "title": first.title})
    made = create_repository(folder, org, ProgramAnswers(**given))
    click.echo(f"created {made.path} ({len(made.files)} files) with the program {made.program_id}")
    click.echo(f"next: cd {folder}, then `mentorkit validate` and `mentorkit site serve`; "
               "the README says how to put it on GitHub")
