"""The coordinator's commands on a computer with the private folder: intake, imports, introductions, review,
messages, and new programs and repositories (docs/coordinator-tools.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Protocol

import click

from .shell import main, resolve_root, root_option


class _Report(Protocol):
    """What every coordinator command returns: a text and a JSON form, and whether it went well."""

    @property
    def ok(self) -> bool: ...

    def as_text(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...

# model.CADENCES, written out: importing the model (pydantic) here would slow every command's start, --help
# included (tests/test_cli_startup.py checks that the two agree)
CADENCES = ("weekly", "fortnightly", "monthly", "quarterly", "once")

_private_option = click.option("--private", "private", required=True, type=click.Path(file_okay=False, path_type=Path),
                               help="Private folder outside the repository: key, roster, record of introductions.")
_dry_run_option = click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                              help="text (default) or json.")
_program_option = click.option("--program", "program", required=True, help="Program id (file name in program/).")
_encoding_option = click.option("--encoding", default=None, metavar="NAME",
                                help="The export's text encoding, e.g. utf-8, utf-16, cp1252, cp1250, latin-1 "
                                     "(default: detected).")


def _import_command(name: str, *options: Callable[[Any], Any]) -> Callable[[Callable[..., None]], click.Command]:
    """A command that reads a form export into the tables: EXPORT, --program, --private, its own `options`, then
    --encoding, --dry-run, --format and --root (every import takes the same ones, in the same order)."""
    stack = (main.command(name), click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
             _program_option, _private_option, *options, _encoding_option, _dry_run_option, _format_option, root_option)

    def decorate(f: Any) -> Any:  # each click decorator wraps the last; the outermost gives the command
        for option in reversed(stack):
            f = option(f)
        return f
    return decorate


def _echo_report(rep: _Report, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(rep.as_text(), nl=False)
    sys.exit(0 if rep.ok else 1)


@_import_command("intake", click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
                                        help="Sign-up date for rows without a timestamp (default: today)."),
                 click.option("--new-population", is_flag=True,
                              help="Make a new key although the repository holds pseudonyms: none of these "
                                   "people is in it yet."))
def intake(export: Path, program: str, private: Path, day: dt.datetime | None, encoding: str | None,
           new_population: bool, dry_run: bool, fmt: str, root: Path | None) -> None:
    """Add participants from a sign-up export.

    Adds or updates participants from a sign-up form export (CSV), pseudonymized.
    """
    from ..coordinator.intake import intake as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, today=day.date() if day else None,
                     encoding=encoding, new_population=new_population), fmt)


@_import_command("import-checkins")
def import_checkins(export: Path, program: str, private: Path, encoding: str | None, dry_run: bool, fmt: str,
                    root: Path | None) -> None:
    """Import a check-in form export.

    Adds its answers to participants/checkins.csv, pseudonymized.
    """
    from ..coordinator.checkins import import_checkins as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, encoding=encoding), fmt)


@_import_command("import-survey", click.option(
    "--survey", type=click.Choice(["baseline", "pulse", "final"]), default=None,
    help="Which survey every row answers (else a column of the export says)."))
def import_survey(export: Path, program: str, private: Path, survey: str | None, encoding: str | None, dry_run: bool,
                  fmt: str, root: Path | None) -> None:
    """Import a survey export.

    Adds its answers to survey_responses.csv and skill_ratings.csv, pseudonymized.
    """
    from ..coordinator.surveys import import_survey as run

    _echo_report(run(resolve_root(root), export, program, private, survey=survey, dry_run=dry_run,
                     encoding=encoding), fmt)


@_import_command("import-goals")
def import_goals(export: Path, program: str, private: Path, encoding: str | None, dry_run: bool, fmt: str,
                 root: Path | None) -> None:
    """Import a goals form export.

    Adds the goals set, reviewed and achieved to participants/goals.csv, pseudonymized.
    """
    from ..coordinator.goals import import_goals as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, encoding=encoding), fmt)


@_import_command("import-manager-feedback")
def import_manager_feedback(export: Path, program: str, private: Path, encoding: str | None, dry_run: bool, fmt: str,
                            root: Path | None) -> None:
    """Import a manager feedback form export.

    Adds what managers see of their participants' behaviour to participants/manager_feedback.csv, pseudonymized.
    """
    from ..coordinator.manager_feedback import import_manager_feedback as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, encoding=encoding), fmt)


@_import_command("import-360", click.option("--survey", type=click.Choice(["baseline", "final"]), required=True,
                                            help="Which round the export is: at the start or at the end."))
def import_360(export: Path, program: str, private: Path, survey: str, encoding: str | None, dry_run: bool,
               fmt: str, root: Path | None) -> None:
    """Import a 360 feedback form export.

    Adds colleagues' ratings of each participant to participants/feedback_360.csv, pseudonymized; raters are
    never recorded.
    """
    from ..coordinator.feedback_360 import import_360 as run

    _echo_report(run(resolve_root(root), export, program, private, survey, dry_run=dry_run, encoding=encoding), fmt)


@_import_command("import-outcomes")
def import_outcomes(export: Path, program: str, private: Path, encoding: str | None, dry_run: bool, fmt: str,
                    root: Path | None) -> None:
    """Import an HR system's employee list.

    Adds participants' promotions, role changes and departures to participants/outcomes.csv, pseudonymized,
    and reports the comparison group (everyone else) for the program.
    """
    from ..coordinator.outcomes import import_outcomes as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, encoding=encoding), fmt)


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
def intros(program: str, private: Path, out: Path, day: dt.datetime | None, meeting_date: dt.datetime | None,
           meeting_time: str, sender: str | None, again: bool, dry_run: bool, fmt: str, root: Path | None) -> None:
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
def review(program: str, private: Path, out: Path, base: Path | None, dry_run: bool, fmt: str,
           root: Path | None) -> None:
    """Write a printable review packet with names."""
    from ..coordinator.review import write_review

    _echo_report(write_review(resolve_root(root), program, private, out, base=base, dry_run=dry_run), fmt)


@main.command()
@click.argument("program")
@click.argument("kind", type=click.Choice(["suggestions", "nudge", "not-matched", "closure", "partner-left"]))
@_private_option
@_out_option["the .eml files"]
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="Today, for the batch: nudges count up to it, closure waits for the end (default: today).")
@click.option("--sender", help="From address, e.g. 'Mentoring team <mentoring@example.org>'.")
@click.option("--force", is_flag=True, help="Write closure messages before the program's end.")
@_dry_run_option
@_format_option
@root_option
def messages(program: str, kind: str, private: Path, out: Path, day: dt.datetime | None, sender: str | None,
             force: bool, dry_run: bool, fmt: str, root: Path | None) -> None:
    """Write a batch of program e-mails."""
    from ..coordinator.messages import write_messages

    _echo_report(write_messages(resolve_root(root), program, kind, private, out, today=day.date() if day else None,
                                sender=sender, dry_run=dry_run, force=force), fmt)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_private_option
@click.option("--host", envvar="MENTORKIT_SMTP_HOST", required=True,
              help="The organisation's mail server (or MENTORKIT_SMTP_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: 587 (starttls), 465 (ssl).")
@click.option("--security", type=click.Choice(["starttls", "ssl", "none"]), default="starttls", show_default=True,
              help="none: only to a server on this computer.")
@click.option("--user", default=None, help="Mail server user (or MENTORKIT_SMTP_USER); the password comes from "
                                            "MENTORKIT_SMTP_PASSWORD or the system keyring.")
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The organisation's own certificate authority (PEM), if its mail server uses one.")
@click.option("--sender", default=None, help="From address for messages written without one.")
@click.option("--per-minute", type=click.FloatRange(min=0.1), default=30, show_default=True,
              help="At most this many messages a minute.")
@_dry_run_option
@_format_option
@root_option
def send(folder: Path, private: Path, host: str, port: int | None, security: Literal["starttls", "ssl", "none"],
         user: str | None, ca_file: Path | None, sender: str | None, per_minute: float, dry_run: bool, fmt: str,
         root: Path | None) -> None:
    """Send a written batch of e-mails over SMTP, each once."""
    from ..coordinator.send import Server, send_batch

    _echo_report(send_batch(folder, private, resolve_root(root), Server(host, port, security, user, ca_file),
                            sender=sender,
                            per_minute=per_minute, dry_run=dry_run), fmt)


@main.command()
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The week's first day (default: today).")
@click.option("--private", "private", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Private folder: shows which approved pairs are still to be introduced.")
@_format_option
@root_option
def due(day: dt.datetime | None, private: Path, fmt: str, root: Path | None) -> None:
    """List what the program calendar says is due this week."""
    from ..coordinator.due import due as run

    _echo_report(run(resolve_root(root), day.date() if day else dt.date.today(), private), fmt)


@main.command()
@click.argument("email")
@_program_option
@_private_option
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), required=True, help="The day they left.")
@click.option("--left-organisation", is_flag=True, help="They left the organisation (default: only the program).")
@_dry_run_option
@_format_option
@root_option
def leave(email: str, program: str, private: Path, day: dt.datetime, left_organisation: bool, dry_run: bool,
          fmt: str, root: Path | None) -> None:
    """Record that a participant left; end their pairs.

    They left the program, or with --left-organisation the organisation; their pairs end on --date.
    """
    from ..coordinator.lifecycle import leave as run

    _echo_report(run(resolve_root(root), email, program, private, on=day.date(), left_organisation=left_organisation,
                     dry_run=dry_run), fmt)


@main.command()
@click.argument("email")
@_private_option
@_dry_run_option
@_format_option
@root_option
def erase(email: str, private: Path, dry_run: bool, fmt: str, root: Path | None) -> None:
    """Erase a person on request (GDPR art. 17): roster entry out, pseudonym unlinked."""
    from ..coordinator.erase import erase as run

    _echo_report(run(resolve_root(root), email, private, dry_run=dry_run), fmt)


@_import_command("import-choices")
def import_choices(export: Path, program: str, private: Path, encoding: str | None, dry_run: bool, fmt: str,
                   root: Path | None) -> None:
    """Import mentees' choices of mentor."""
    from ..coordinator.choices import import_choices as run

    _echo_report(run(resolve_root(root), export, program, private, dry_run=dry_run, encoding=encoding), fmt)


def _prompt(text: str, **kwargs: Any) -> Any:
    """click.prompt, but a closed input (no keyboard: a pipe, a scheduled job) is explained, not `Aborted!`."""
    try:
        return click.prompt(text, **kwargs)
    except click.Abort as exc:
        if isinstance(exc.__context__, EOFError):
            raise click.UsageError(f"no answer to '{text}' could be read: the input is closed. Run the command "
                                   "again with --no-input to take the suggested answers (--help lists the answers "
                                   "it takes as options, such as --org)") from None
        raise


def _ask_program(given: dict[str, Any], no_input: bool, first_suggestions: dict[str, Any] | None = None,
                 pilot: bool = False) -> dict[str, Any]:
    """The `init` questions not answered by an option: prompted (Enter takes the suggestion), or all suggested.

    The last day is checked against the first as soon as it is given, so no answer is lost to a late error."""
    from ..coordinator.scaffold import QUESTIONS, suggestions

    for q in QUESTIONS:
        if given[q.name] is not None:
            continue
        suggested = {**suggestions(dt.date.today(), given["program_id"], given["start"], pilot=pilot),
                     **(first_suggestions or {})}.get(q.name)
        if no_input:
            if q.required and suggested is None:
                raise click.UsageError(f"--no-input needs {q.name.replace('_', '-')}")
            given[q.name] = suggested
            continue
        kind = (click.Choice(q.choices) if q.choices else click.DateTime(["%Y-%m-%d"]) if q.name in ("start", "end")
                else click.IntRange(10, 480) if q.name == "session_minutes" else str)
        default = suggested.isoformat() if isinstance(suggested, dt.date) else suggested  # click parses text
        while True:
            value = _prompt(q.prompt, default=default if default is not None else ("" if not q.required else None),
                            type=kind, show_default=default is not None, show_choices=bool(q.choices))
            value = value.date() if isinstance(value, dt.datetime) else (value or None)
            if q.name == "end" and given["start"] and value and value <= given["start"]:
                click.echo(f"Error: the last day must come after the first day ({given['start']})", err=True)
                continue
            break
        given[q.name] = value
    return given


_pilot_option = click.option(
    "--pilot", is_flag=True,
    help="A pilot: a small first cohort with its own three-month timeline, a participant cap and a review before "
         "the full launch.")
_max_participants_option = click.option(
    "--max-participants", type=click.IntRange(2, 500),
    help="With --pilot: the most people the pilot takes (default 30).")


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
@_pilot_option
@_max_participants_option
@click.option("--no-input", is_flag=True, help="Ask nothing: use the suggested value for every answer not given.")
@click.option("--force", is_flag=True, help="Replace an existing program file.")
@_dry_run_option
@root_option
def init(program_id: str | None, title: str | None, fmt: str | None, start: dt.datetime | None, end: dt.datetime | None,
         cadence: str | None, session_minutes: int | None, purpose: str | None, audience: str | None,
         contact: str | None, enrolment_opens: dt.datetime | None, enrolment_closes: dt.datetime | None,
         eligible_population: int | None, pilot: bool, max_participants: int | None, no_input: bool, force: bool,
         dry_run: bool, root: Path | None) -> None:
    """Create a new program file.

    Asks a few questions, or takes them as options.
    """
    from ..coordinator.scaffold import ProgramAnswers, init_program

    given = _ask_program({"program_id": program_id, "title": title, "format": fmt, "start": start and start.date(),
                          "end": end and end.date(), "cadence": cadence, "session_minutes": session_minutes,
                          "purpose": purpose, "audience": audience, "contact": contact}, no_input, pilot=pilot)
    result = init_program(resolve_root(root), ProgramAnswers(
        **given, enrolment_opens=enrolment_opens and enrolment_opens.date(),
        enrolment_closes=enrolment_closes and enrolment_closes.date(), eligible_population=eligible_population,
        pilot=pilot, max_participants=max_participants), force=force, dry_run=dry_run)
    if dry_run:
        click.echo(result.text, nl=False)
    else:
        click.echo(f"wrote {result.path.relative_to(resolve_root(root))}; run `mentorkit validate` after editing it")
    for note in result.notes:
        click.echo(f"note: {note}")


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--org", help="The organisation's name, shown on the site and in the README.")
@click.option("--kit-spec", metavar="SPEC",
              help="What the workflows install, e.g. mentorkit==1.2.3 (default: how this kit was installed).")
@_pilot_option
@_max_participants_option
@click.option("--no-input", is_flag=True, help="Ask nothing: use the suggested value for every answer not given.")
def new_repository(folder: Path, org: str | None, kit_spec: str | None, pilot: bool, max_participants: int | None,
                   no_input: bool) -> None:
    """Create an organisation's own program repository.

    One starter program (the `init` questions), the data package, every agenda, handbooks, the site and
    GitHub workflows that install the kit from the one pin in requirements.txt. No demo data, no kit code.
    """
    from ..coordinator.new_repo import check_org, check_target, create_repository, default_answers, suggested_org
    from ..coordinator.scaffold import ProgramAnswers
    from ..errors import MentorkitError
    from ..repo.kit import spec_to_write

    check_target(folder)  # before any question: an answer is never lost to a folder that cannot be used
    spec = spec_to_write(kit_spec)

    def org_name(text: str) -> str:
        try:
            return check_org(text)
        except MentorkitError as exc:
            raise click.BadParameter(str(exc)) from None

    suggested = suggested_org(folder)
    if org is None and no_input:
        if suggested is None:
            raise click.UsageError("--no-input needs --org: the folder's name does not say the organisation's")
        org = suggested
    elif org is None:
        org = _prompt("Organisation name (shown on the site, e.g. Acme)", default=suggested, value_proc=org_name)
    first = default_answers(dt.date.today(), pilot=pilot)
    given = _ask_program(dict.fromkeys(("program_id", "title", "format", "start", "end", "cadence", "session_minutes",
                                        "purpose", "audience", "contact")), no_input,
                         {"program_id": first.program_id, "title": first.title}, pilot=pilot)
    made = create_repository(folder, org, ProgramAnswers(**given, pilot=pilot, max_participants=max_participants),
                             spec)
    click.echo(f"created {made.path} ({len(made.files)} files) with the program {made.program_id}; "
               f"the workflows install {spec}")
    click.echo(f"next: cd {folder}, then `mentorkit validate` and `mentorkit site serve`; "
               "the README says how to put it on GitHub")


@main.command("import-needs-survey")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--program", required=True, help="The program the survey informs (create it with `mentorkit init`).")
@_encoding_option
@_dry_run_option
@_format_option
@root_option
def import_needs_survey(export: Path, program: str, encoding: str | None, dry_run: bool, fmt: str,
                        root: Path | None) -> None:
    """Count the anonymous staff needs survey.

    Into participants/needs_survey.csv: only the number of people giving each answer is kept.
    `mentorkit skills` shows the demand beside the sign-ups'.
    """
    from ..coordinator.needs_survey import import_needs_survey as run

    _echo_report(run(resolve_root(root), export, program, dry_run=dry_run, encoding=encoding), fmt)
