"""Results that count the right people: who is mentored, statuses on the value shown, "no data" that says why,
measures at their Kirkpatrick level, and the manager's view of effectiveness (Level 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.metrics import format_value, program_metrics, status_of
from mentorkit.metrics.context import build
from mentorkit.metrics.model import DEFINITIONS, NO_DATA
from mentorkit.model import Metric, Proposal, ProposedPair
from mentorkit.model.records import ManagerFeedback
from mentorkit.repo.load import load_workspace
from test_metrics_support import D, checkin, goal, make_program, outcome, person, pseudo, rating, survey, workspace

REPO = Path(__file__).resolve().parent.parent
COMPARISON = {"period_start": "2026-01-01", "period_end": "2026-12-31", "headcount": 200, "leavers": 20,
              "promotions": 10}


def _season(pairs, outcomes, *, ended=None):
    """Ten mentees (1-10) and mentors 11-20; `pairs`: mentees matched with mentor n + 10 from the start."""
    people = [person(n) for n in range(1, 11)] + [person(n, "mentor") for n in range(11, 21)]
    program = make_program(timeline={"start": "2026-01-05", "end": "2026-12-18"}, comparison=COMPARISON)
    ws = workspace(program, people, checkins=[checkin(n, n + 10, D(2026, 2, 1)) for n in pairs], outcomes=outcomes)
    ended = ended or {}
    ws.proposals["p"] = Proposal(program="p", format=program.format, pairs=[
        ProposedPair(mentee=pseudo(n), mentor=pseudo(n + 10), status="ended" if n in ended else "approved",
                     ended_on=ended.get(n), score=1.0) for n in pairs])
    return ws


def test_a_sign_up_never_matched_is_not_mentored():
    """The issue's season: the only leaver was never matched, and the page showed a negative difference."""
    ws = _season(range(1, 9), [outcome(10, "departure", D(2026, 4, 1)), outcome(1, "promotion", D(2027, 1, 20))])
    pm = program_metrics(ws, "p", attention=False)
    retention = pm.measure(Metric.RETENTION_DIFFERENCE)
    detail = dict(retention.detail)
    assert detail["participant_retention"] == 1.0 and detail["mentored"] == 8 and detail["enrolled"] == 10
    assert retention.value == pytest.approx(1.0 - 0.9)  # +10 points, not 0.9 - 0.9
    assert "(8 of 10)" in retention.note and "200 colleagues who did not take part" in retention.note
    assert pm.measure(Metric.PROMOTION_RATE_12M).n == 8


def test_a_pair_that_ended_early_is_not_mentored_but_a_leaver_in_a_pair_is():
    ws = _season(range(1, 11), [outcome(2, "departure", D(2026, 9, 1))],
                 ended={1: D(2026, 3, 1), 2: D(2026, 9, 1)})  # 1: the match did not work; 2: left the company
    ctx = build(ws, "p")
    mentored = ctx.mentored(D(2026, 1, 1), D(2026, 12, 31))
    assert pseudo(1) not in mentored and pseudo(2) in mentored and len(mentored) == 9
    detail = dict(program_metrics(ws, "p", attention=False).measure(Metric.RETENTION_DIFFERENCE).detail)
    assert detail["participant_retention"] == pytest.approx(8 / 9)  # the leaver counts against the program


def test_a_pair_matched_months_late_is_not_mentored_for_the_year():
    ws = _season(range(1, 11), [])
    late = ws.proposals["p"].pairs[0]
    ws.proposals["p"].pairs[0] = late.model_copy(update={"approved_on": D(2026, 5, 1)})
    ws.proposals["p"].pairs[1] = ws.proposals["p"].pairs[1].model_copy(update={"approved_on": D(2026, 1, 20)})
    mentored = build(ws, "p").mentored(D(2026, 1, 1), D(2026, 12, 31))
    assert pseudo(1) not in mentored  # four months late
    assert pseudo(2) in mentored  # a fortnight: matching takes a few days


@pytest.mark.parametrize(("metric", "value", "target", "status"), [
    (Metric.MEETINGS_PER_PAIR_MONTH, 0.7966, 0.80, "met"),  # shown as 0.80
    (Metric.MEETINGS_PER_PAIR_MONTH, 0.7949, 0.80, "not-met"),  # shown as 0.79
    (Metric.MATCH_RATE, 0.89996, 0.9, "met"),  # shown as 90%
    (Metric.NPS, 29.6, 30, "met"),  # shown as +30
    (Metric.TIME_TO_MATCH_DAYS, 14.04, 14, "met"),  # lower is better; shown as 14 days
])
def test_status_is_computed_on_the_value_shown(metric, value, target, status):
    assert status_of(metric, value, target) == status


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text.replace("−", "-")) or 0)


@given(st.sampled_from(sorted(DEFINITIONS, key=str)), st.floats(-120, 120, allow_nan=False),
       st.floats(-120, 120, allow_nan=False))
def test_status_agrees_with_the_figure_a_reader_compares(metric, value, target):
    """Whatever the value, the status is what a reader gets comparing the two printed figures."""
    unit = DEFINITIONS[metric].unit
    shown, wanted = _number(format_value(unit, value)), _number(format_value(unit, target))
    better = shown >= wanted if DEFINITIONS[metric].higher_is_better else shown <= wanted
    printed_target = wanted / 100 if unit in ("share", "points") else wanted
    assert status_of(metric, value, printed_target) == ("met" if better else "not-met")


def test_confidence_is_learning_and_manager_views_are_behaviour():
    assert DEFINITIONS[Metric.CONFIDENCE_CHANGE].level == "learning"  # Kirkpatrick Level 2: an attitude
    assert DEFINITIONS[Metric.MANAGER_OBSERVED_BEHAVIOUR].level == "behaviour"
    assert DEFINITIONS[Metric.MANAGER_OBSERVED_EFFECTIVENESS].level == "behaviour"


def test_a_goal_with_a_baseline_but_no_final_ratings_says_so():
    people = [person(n) for n in range(1, 4)] + [person(9, "mentor")]
    ws = workspace(make_program(goals=[goal("proficiency_change", 0.5)]), people,
                   checkins=[checkin(1, 9, D(2026, 2, 1))],
                   ratings=[rating(n, "baseline", "sql", 2) for n in range(1, 4)],
                   surveys=[survey(n, "baseline", D(2026, 1, 5), confidence=3) for n in range(1, 4)],
                   outcomes=[outcome(1, "role-change", D(2026, 3, 1))])
    pm = program_metrics(ws, "p", attention=False)
    m = pm.measure(Metric.PROFICIENCY_CHANGE)
    assert m.status == NO_DATA and m.goal == "g1"
    assert m.note == ("no data yet: 3 people rated their skills at the start; no one has rated them again in the "
                      "final skills survey yet")
    assert pm.measure(Metric.CONFIDENCE_CHANGE).note == (
        "no data yet: 3 people answered at the start; no one has answered again in a survey round that has closed")


def test_survey_answers_without_a_survey_calendar_are_not_called_no_surveys():
    people = [person(n) for n in range(1, 4)] + [person(9, "mentor")]
    ws = workspace(make_program(), people, surveys=[survey(n, "pulse", D(2026, 3, 1), satisfaction=4)
                                                     for n in range(1, 4)],
                   outcomes=[outcome(1, "role-change", D(2026, 4, 1))])
    pm = program_metrics(ws, "p", attention=False)
    assert pm.measure(Metric.SATISFACTION).value == 4
    note = pm.measure(Metric.SURVEY_RESPONSE_RATE).note
    assert "no survey calendar" in note and "3 answers received" in note and "no surveys" not in note


WORDS_A_READER_CANNOT_USE = re.compile(r"`|_|mentorkit |\bimport-|\.yaml|\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("case", ["empty", "demo"])
def test_every_no_data_says_why_in_the_readers_words(case):
    """No bare "no data": a note for each, without command names, field ids or ISO dates."""
    if case == "demo":
        ws = load_workspace(REPO)
        pms = [program_metrics(ws, pid, attention=False) for pid in sorted(ws.programs)]
    else:
        program = make_program(roi={"replacement_cost": 1, "productivity_value": 1, "costs": {
            "staff_time": 1, "platform": 0, "materials": 0, "events": 0, "participant_hour_value": 1}},
            comparison=COMPARISON, eligible_population=100)
        pms = [program_metrics(workspace(program, [person(1), person(2, "mentor")]), "p", attention=False)]
    seen = 0
    for pm in pms:
        for m in pm.measures:
            if m.status == NO_DATA or m.interim:
                assert m.note, (pm.program, m.id)
                assert not WORDS_A_READER_CANNOT_USE.search(m.note), (pm.program, m.id, m.note)
                seen += 1
    assert seen >= 10


def _feedback(n, applies, effectiveness=None, day=None):
    return ManagerFeedback("p", pseudo(n), day or D(2026, 6, 1), applies, effectiveness)


def test_manager_effectiveness_is_a_level_3_measure_with_suppression():
    people = [person(n) for n in range(1, 8)] + [person(9, "mentor")]
    ws = workspace(make_program(reports={"min_group_size": 5}), people, checkins=[checkin(1, 9, D(2026, 2, 1))])
    # the latest answer counts (person 1 went from 3 to 5); person 7's manager skipped the optional question
    ws.manager_feedback = [_feedback(1, 4, 3, D(2026, 3, 1)), _feedback(1, 4, 5), _feedback(2, 3, 4),
                           _feedback(3, 5, 4), _feedback(4, 2, 2), _feedback(5, 4, 3), _feedback(7, 5)]
    m = program_metrics(ws, "p", attention=False).measure(Metric.MANAGER_OBSERVED_EFFECTIVENESS)
    assert m.level == "behaviour" and m.n == 5
    assert m.value == pytest.approx((5 + 4 + 4 + 2 + 3) / 5)
    assert dict(m.detail)["more_effective"] == pytest.approx(3 / 5)
    ws.manager_feedback = ws.manager_feedback[:3]  # two people: fewer than five
    m = program_metrics(ws, "p", attention=False).measure(Metric.MANAGER_OBSERVED_EFFECTIVENESS)
    assert m.value is None and m.status == "suppressed"
    ws.manager_feedback = [_feedback(n, 4) for n in range(1, 7)]
    m = program_metrics(ws, "p", attention=False).measure(Metric.MANAGER_OBSERVED_EFFECTIVENESS)
    assert m.status == NO_DATA
    assert m.note == "no data yet: managers gave feedback but none answered the question about effectiveness"


def test_a_mentee_re_matched_after_an_ended_pair_is_mentored():
    ws = _season(range(1, 11), [], ended={1: D(2026, 4, 1)})
    ws.proposals["p"].pairs.append(ProposedPair(mentee=pseudo(1), mentor=pseudo(12), status="approved",
                                                approved_on=D(2026, 4, 10), score=1.0))
    assert pseudo(1) in build(ws, "p").mentored(D(2026, 1, 1), D(2026, 12, 31))
    ws.proposals["p"].pairs.pop()  # without the new pair: ended early, not mentored
    assert pseudo(1) not in build(ws, "p").mentored(D(2026, 1, 1), D(2026, 12, 31))
