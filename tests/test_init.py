"""`mentorkit init`: a new program file that validates on its first run."""

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from conftest import REPO
from mentorkit.coordinator.scaffold import QUESTIONS, SESSION_PLAN, ProgramAnswers, check_answers, init_program, suggestions
from mentorkit.errors import MentorkitError
from mentorkit.model.schedule import survey_dates
from mentorkit.repo.load import read_workspace


def answers(**changes):
    values = dict(program_id="autumn-2026", title="Autumn mentoring", start=dt.date(2026, 9, 7),
                  end=dt.date(2027, 2, 26))
    values.update(changes)
    return ProgramAnswers(**values)


def test_new_program_validates_in_the_base_workspace(base_workspace):
    result = init_program(base_workspace, answers(contact="Post in the #mentoring channel"))
    assert result.written and result.path == base_workspace / "program" / "autumn-2026.yaml"
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    program = ws.programs["autumn-2026"]
    assert program.title == "Autumn mentoring"
    assert [m.id for m in program.milestones] == ["kickoff", "goal-setting", "mid-program-check-in", "celebration"]
    assert [m.kind.value for m in program.milestones] == ["kickoff", "goal-setting", "check-in", "celebration"]
    assert program.milestones[1].date == dt.date(2026, 9, 21), "the goal-setting workshop two weeks in"
    assert program.contacts[0].how == "Post in the #mentoring channel"
    assert all(m.date.weekday() < 5 for m in program.milestones)
    # the rotation's agendas that exist in this workspace (a fresh repository has them all: tests/test_starter.py)
    assert program.session_plan == [a for a in SESSION_PLAN if a in ws.agendas] and program.session_plan
    # a survey schedule: baseline at the start, pulses in between, the final survey at the end
    rounds = survey_dates(program)
    assert rounds[0].survey == "baseline" and rounds[0].opens == program.timeline.start
    assert rounds[-1].survey == "final" and rounds[-1].opens <= program.timeline.end <= rounds[-1].closes
    assert any(r.survey == "pulse" and r.opens == program.milestones[2].date for r in rounds), "a mid-point pulse"


def test_the_starter_program_is_a_year_with_quarterly_pulses(base_workspace):
    suggested = suggestions(dt.date(2026, 12, 7))
    start, end = suggested["start"], suggested["end"]
    assert start == dt.date(2027, 1, 4) and start.weekday() == 0
    assert dt.date(2027, 12, 1) <= end < dt.date(2027, 12, 20), "about a year, ending before the year-end holidays"
    assert end.weekday() < 5
    init_program(base_workspace, answers(program_id="year", start=start, end=end))
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    program = ws.programs["year"]
    pulses = [r.opens for r in survey_dates(program) if r.survey == "pulse"]
    assert len(pulses) == 3 and all(70 <= (b - a).days <= 110 for a, b in zip([start, *pulses], pulses, strict=False))
    # an 18-month program: pulses past a year are counted back from the end (offsets stop at 365 days)
    long_end = dt.date(2028, 6, 30)
    init_program(base_workspace, answers(program_id="long", start=start, end=long_end))
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    assert len([r for r in survey_dates(ws.programs["long"]) if r.survey == "pulse"]) == 5


@pytest.mark.slow
def test_new_program_validates_in_the_demo_repository(tmp_path):
    for folder in ("program", "agendas", "participants"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    _, before = read_workspace(tmp_path)
    for fmt in ("one-to-one", "group", "peer", "reverse", "mosaic", "flash"):
        for cadence in ("weekly", "fortnightly", "monthly", "quarterly", "once"):
            init_program(tmp_path, answers(program_id=f"p-{fmt}-{cadence}", format=fmt, cadence=cadence,
                                           session_minutes=45, start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 29)))
    ws, report = read_workspace(tmp_path)
    assert [p for p in report.problems if p.file.startswith("program/p-")] == []
    kickoff = "kickoff" if (REPO / "agendas" / "kickoff.md").exists() else None
    assert ws.programs["p-peer-weekly"].milestones[0].agenda == kickoff
    assert len(report.problems) == len(before.problems)


def test_text_is_quoted_safely(base_workspace):
    tricky = 'Grow: "the" #1 program \u2014 50% [beta] {x} & more: yes'
    init_program(base_workspace, answers(title=tricky[:120], purpose="No: it's fine # really", audience="- all"))
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    assert ws.programs["autumn-2026"].title == tricky
    assert ws.programs["autumn-2026"].audience == "- all"


def test_an_existing_program_is_not_overwritten(base_workspace):
    with pytest.raises(MentorkitError, match="already exists"):
        init_program(base_workspace, answers(program_id="pilot"))
    before = (base_workspace / "program" / "pilot.yaml").read_text()
    init_program(base_workspace, answers(program_id="pilot"), force=True)
    assert (base_workspace / "program" / "pilot.yaml").read_text() != before


def test_dry_run(base_workspace):
    result = init_program(base_workspace, answers(), dry_run=True)
    assert not result.written and "title: \"Autumn mentoring\"" in result.text
    assert not result.path.exists()


@pytest.mark.parametrize("change, message", [
    ({"program_id": "Autumn 2026"}, "program id"),
    ({"end": dt.date(2026, 9, 1)}, "must come after"),
    ({"format": "speed-dating"}, "format must be one of"),
    ({"cadence": "daily"}, "cadence must be one of"),
    ({"session_minutes": 5}, "10 to 480"),
    ({"contact": "jane.doe@example.org"}, "must not be an e-mail address"),
    ({"enrolment_closes": dt.date(2026, 9, 30)}, "enrolment must close"),
])
def test_bad_answers_are_explained(base_workspace, change, message):
    assert any(message in e for e in check_answers(answers(**change)))
    with pytest.raises(MentorkitError, match=message):
        init_program(base_workspace, answers(**change))
    assert not (base_workspace / "program" / "autumn-2026.yaml").exists()


def test_suggestions_start_on_a_monday_four_weeks_ahead():
    s = suggestions(dt.date(2026, 3, 3), "spring-pilot")
    assert s["start"] == dt.date(2026, 3, 31) + dt.timedelta(days=6)  # Monday 6 April
    assert s["start"].weekday() == 0 and s["end"].weekday() < 5 and s["end"] > s["start"]
    assert s["title"] == "Spring pilot mentoring program"
    assert [q.name for q in QUESTIONS][:3] == ["program_id", "title", "format"]


def _cli():
    from mentorkit.cli import main

    return main


def test_cli_init_with_flags_and_prompts(base_workspace):
    runner = CliRunner()
    result = runner.invoke(_cli(), ["init", "autumn-2026", "--title", "Autumn", "--start", "2026-09-07",
                                    "--end", "2027-02-26", "--no-input", "--root", str(base_workspace)])
    assert result.exit_code == 0, result.output
    validate = runner.invoke(_cli(), ["validate", "--root", str(base_workspace)], env={"GITHUB_ACTIONS": ""})
    assert validate.exit_code == 0, validate.output
    prompted = runner.invoke(_cli(), ["init", "--root", str(base_workspace)],
                             input="winter-2027\nWinter\npeer\n2027-01-11\n2027-06-25\nfortnightly\n45\n\n\n\n")
    assert prompted.exit_code == 0, prompted.output
    assert (base_workspace / "program" / "winter-2027.yaml").is_file()
    again = runner.invoke(_cli(), ["init", "winter-2027", "--no-input", "--root", str(base_workspace)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_enter_at_every_prompt_accepts_every_suggestion(base_workspace):
    """Pressing Enter takes the suggested title, format, dates, cadence and length (no traceback)."""
    runner = CliRunner()
    result = runner.invoke(_cli(), ["init", "--root", str(base_workspace)], input="spring\n" + "\n" * 12)
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    program = ws.programs["spring"]
    today = dt.date.today()
    assert program.timeline.start > today and program.timeline.start.weekday() == 0  # the suggested Monday
    assert program.title == "Spring mentoring program"
