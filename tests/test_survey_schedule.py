"""Survey schedules (`surveys:` in a program file): dates, calendar, reminder issue, response rate, site calendar."""

from __future__ import annotations

import datetime as dt

import pytest
import vobject

from conftest import REPO, make_workspace
from mentorkit import calendar as ical
from mentorkit.ci.reminders import upcoming
from mentorkit.metrics import program_metrics
from mentorkit.model import Metric
from mentorkit.model.schedule import survey_dates
from mentorkit.repo.load import load_workspace, read_workspace
from mentorkit.site.pages import calendar_page
from test_metrics_support import D, make_program, person, survey, workspace

MILESTONES = [{"id": "kickoff", "title": "Kickoff", "kind": "kickoff", "date": "2026-01-05"},
              {"id": "party", "title": "Celebration", "kind": "celebration", "date": "2026-06-26"}]
SURVEYS = [{"survey": "final", "at": "party", "offset_days": -4, "open_days": 10},
           {"survey": "baseline", "at": "start"},
           {"survey": "pulse", "at": "start", "offset_days": 59, "open_days": 7},
           {"survey": "pulse", "at": "kickoff", "offset_days": 100}]


def scheduled(**changes):
    return make_program(milestones=MILESTONES, surveys=SURVEYS, **changes)


def test_rounds_resolve_against_start_end_and_milestones_in_date_order():
    got = [(s.title, s.opens, s.closes, s.id) for s in survey_dates(scheduled())]
    assert got == [
        ("Baseline survey", D(2026, 1, 1), D(2026, 1, 14), "survey-baseline-1"),
        ("Pulse survey 1", D(2026, 3, 1), D(2026, 3, 7), "survey-pulse-1"),
        ("Pulse survey 2", D(2026, 4, 15), D(2026, 4, 28), "survey-pulse-2"),
        ("Final survey", D(2026, 6, 22), D(2026, 7, 1), "survey-final-1"),
    ]


def test_a_round_at_an_unknown_milestone_is_a_problem_of_the_program_file(tmp_path):
    root = make_workspace(tmp_path / "ws")
    path = root / "program" / "pilot.yaml"
    path.write_text(path.read_text() + "surveys:\n  - {survey: pulse, at: midpoint}\n")
    _, report = read_workspace(root)
    assert [p.file for p in report.problems] == ["program/pilot.yaml"]
    assert "'at: midpoint', which is not start, end or a milestone id" in report.problems[0].message


def test_the_calendar_has_one_event_per_round_on_its_opening_day():
    program = scheduled()
    cal = vobject.readOne(ical.to_ics(ical.program_calendar("p", program)).decode())
    surveys = {e.uid.value: (e.dtstart.value, e.summary.value, e.description.value) for e in cal.vevent_list
               if e.categories.value == ["survey"]}
    assert surveys["p-survey-pulse-1@mentorkit.invalid"] == (
        D(2026, 3, 1), "Test program: Pulse survey 1",
        "Pulse survey 1 of Test program: open from 2026-03-01 to 2026-03-07. The coordinator sends the link; it "
        "takes a few minutes.")
    assert len(surveys) == 4 and len(cal.vevent_list) == ical.event_count(program)


def test_the_reminder_issue_tells_when_a_survey_opens(tmp_path):
    root = make_workspace(tmp_path / "ws")
    path = root / "program" / "pilot.yaml"
    path.write_text(path.read_text() + "surveys:\n  - {survey: pulse, at: start, offset_days: 30}\n")
    ws = load_workspace(root)
    start = ws.programs["pilot"].timeline.start
    opens = start + dt.timedelta(days=30)
    items = [u for u in upcoming(ws, opens - dt.timedelta(days=5), horizon_days=10) if "survey" in u.what]
    assert [(u.date, u.what) for u in items] == [(opens, (
        f"Pulse survey 1 opens: send the form (forms/pulse.md) to everyone enrolled; it closes on "
        f"{opens + dt.timedelta(days=13)}, then import the answers with `mentorkit import-survey --survey pulse`"))]


def rate(surveys, program=None):
    program = program or scheduled()
    people = [person(n) for n in range(1, 5)]
    ws = workspace(program, people, surveys=surveys)
    return program_metrics(ws, "p").measure(Metric.SURVEY_RESPONSE_RATE)


def test_the_response_rate_counts_answers_inside_each_closed_rounds_window():
    answers = [
        survey(1, "baseline", D(2026, 1, 3), confidence=3), survey(2, "baseline", D(2026, 1, 14), confidence=3),
        survey(3, "baseline", D(2026, 1, 15), confidence=3),  # a day late: not counted
        survey(1, "pulse", D(2026, 3, 2), satisfaction=4), survey(4, "final", D(2026, 3, 3), satisfaction=4),
        survey(2, "pulse", D(2026, 4, 30), satisfaction=4),  # the latest record: rounds 1 and 2 have closed
    ]
    m = rate(answers, scheduled(targets={"survey_response_rate": 0.8}))
    assert m.value == pytest.approx(3 / 12), "4 people x 3 closed rounds; the final answer is not a pulse"
    assert "1 more round to come" in m.note
    assert m.status == "too-early", "below target with a round to come: never 'not met' before it is due"


def test_the_response_rate_says_why_it_has_no_value():
    assert rate([survey(1, "baseline", D(2026, 1, 3), confidence=3)], make_program()).note == (
        "not measured: the program has no survey calendar, so who was asked when is not known (1 answer received)")
    m = rate([survey(1, "baseline", D(2026, 1, 3), confidence=3)])
    assert m.value is None and m.note == "no data yet: the first survey round closes on 14 January 2026"


def test_the_demos_schedules_reach_the_site_calendar():
    ws = load_workspace(REPO)
    assert ws.programs["lead-circles"].surveys, "the demo schedules its surveys"
    page = calendar_page(ws)
    assert ('| <time class="mk-date" datetime="2026-05-11">Mon 11 May 2026</time> | Pulse survey 1, open until '
            "24 May 2026 | — |") in page
