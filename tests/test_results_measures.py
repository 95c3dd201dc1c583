"""The measures added for issue #29: 360 feedback (Level 2), internal mobility, team performance and cost per
promoted participant (Level 4), on the demo and on a skewed population built by hand, each with its no-data and
suppression. Every expected value is worked out from the records next to it, not read back from the code."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from mentorkit.metrics import program_metrics, to_text
from mentorkit.metrics.measures import MIN_360_RATERS
from mentorkit.model import Metric, Proposal, ProposedPair
from mentorkit.model.records import Feedback360, ManagerFeedback
from mentorkit.repo.load import load_workspace
from mentorkit.site.results import render_results_page
from test_metrics_support import D, checkin, make_program, outcome, person, pseudo, workspace

REPO = Path(__file__).resolve().parent.parent
COSTS = {"staff_time": 9000, "platform": 1000, "materials": 0, "events": 0, "participant_hour_value": 0}


def _csv(name: str) -> list[dict[str, str]]:
    with open(REPO / "participants" / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


def test_the_demo_360_change_is_the_mean_over_people_with_three_raters_each_round(demo):
    members = {p.pseudonym for p in demo.members("grow")}
    raters: dict[tuple[str, str], list[float]] = {}
    for r in _csv("feedback_360.csv"):
        if r["program"] == "grow" and r["pseudonym"] in members:
            scores = [int(r[k]) for k in ("communicates", "listens", "collaborates", "develops_others")]
            raters.setdefault((r["pseudonym"], r["survey"]), []).append(sum(scores) / 4)
    changes = [sum(raters[(p, "final")]) / len(raters[(p, "final")]) - sum(raters[(p, "baseline")]) / len(raters[(p, "baseline")])
               for p in sorted({p for p, _ in raters})
               if len(raters.get((p, "baseline"), [])) >= 3 and len(raters.get((p, "final"), [])) >= 3]
    left_out = {p for p, _ in raters} - {p for p in {p for p, _ in raters}
                                         if len(raters.get((p, "baseline"), [])) >= 3
                                         and len(raters.get((p, "final"), [])) >= 3}
    assert changes and left_out  # the demo has people with too few raters: the rule is exercised
    m = program_metrics(demo, "grow").measure(Metric.FEEDBACK_360_CHANGE)
    assert m.n == len(changes) >= 5 and m.value == pytest.approx(sum(changes) / len(changes))
    assert m.level == "learning" and m.status == "no-target"


def test_the_demo_team_performance_is_each_participants_latest_manager_answer(demo):
    members = {p.pseudonym for p in demo.members("grow")}
    latest: dict[str, tuple[str, int]] = {}
    for r in _csv("manager_feedback.csv"):
        mine = r["program"] == "grow" and r["pseudonym"] in members and r["team_performance"]
        if mine and (r["pseudonym"] not in latest or r["date"] >= latest[r["pseudonym"]][0]):
            latest[r["pseudonym"]] = (r["date"], int(r["team_performance"]))
    m = program_metrics(demo, "grow").measure(Metric.TEAM_PERFORMANCE)
    assert m.n == len(latest) >= 5 and m.value == pytest.approx(sum(v for _, v in latest.values()) / len(latest))
    assert m.level == "results"


def test_the_demo_mobility_and_cost_per_promotion_use_the_promotion_rates_mentored(demo):
    pm = program_metrics(demo, "grow")
    mobility, promoted18 = pm.measure(Metric.INTERNAL_MOBILITY_12M), pm.measure(Metric.PROMOTION_RATE_18M)
    assert mobility.n == pm.measure(Metric.PROMOTION_RATE_12M).n  # the same mentored mentees
    start, end = demo.programs["grow"].timeline.start, dt.date(2027, 1, 12)
    moved = {o.pseudonym for o in demo.outcomes if o.outcome == "role-change" and start <= o.date < end}
    assert 0 < mobility.value * mobility.n == pytest.approx(round(mobility.value * mobility.n))
    assert round(mobility.value * mobility.n) <= len(moved)
    assert demo.programs["grow"].comparison.role_changes is None  # the demo's HR figures do not give them
    assert "comparison_role_change_rate" not in dict(mobility.detail)  # nothing guessed to compare with
    cost = pm.measure(Metric.COST_PER_PROMOTION)
    k = demo.programs["grow"].roi.costs
    hours = sum(ch.minutes for ch in demo.checkins if ch.program == "grow") / 60
    total = k.staff_time + k.platform + k.materials + k.events + hours * 2 * k.participant_hour_value
    promoted = round(promoted18.value * promoted18.n)
    assert promoted >= pm.min_group_size and cost.n == promoted
    assert cost.value == pytest.approx(total / promoted) and cost.interim and cost.status == "no-target"
    assert f"EUR {cost.value:,.0f}" in to_text(pm)  # the coordinator's report names the currency too


def test_the_demo_results_page_shows_each_new_measure(demo):
    page = render_results_page(demo, "grow")
    for label in ("Change in 360 feedback from colleagues (1 to 5)", "Moved to a new role within 12 months",
                  "Team performance, as managers see it (1 to 5)"):
        row = next(line for line in page.splitlines() if line.startswith(f"| {label}"))
        assert "no data" not in row and "hidden" not in row
    cost = program_metrics(demo, "grow").measure(Metric.COST_PER_PROMOTION)
    assert f"**Cost per promoted participant**: **EUR {cost.value:,.0f}** (interim:" in page
    assert page.index("### Return on investment") < page.index("**Cost per promoted participant**")


# A skewed population, as a held-out organisation might have: 30 mentees, nearly all in one department; few
# promotions (four, under k = 5); role changes piled on the mentees of one mentor; most people rated by two
# colleagues only; managers answering for a handful.
K = 5
MENTEES = range(1, 31)


def _skewed(*, promoted=(1, 2, 3, 4), raters=None, team=None, roi=True, comparison_role_changes=12):
    people = [person(n, department="eng" if n > 3 else "sales") for n in MENTEES]
    people += [person(n, "mentor") for n in range(101, 131)]
    program = make_program(
        timeline={"start": "2026-01-05", "end": "2026-12-18"}, reports={"min_group_size": K},
        comparison={"period_start": "2026-01-01", "period_end": "2026-12-31", "headcount": 400, "leavers": 40,
                    "promotions": 20, "role_changes": comparison_role_changes},
        **({"roi": {"replacement_cost": 1000, "costs": COSTS}} if roi else {}))
    moved = [outcome(n, "role-change", D(2026, 6, 1)) for n in range(1, 10)]  # nine of 30
    outcomes = [*(outcome(n, "promotion", D(2026, 9, 1)) for n in promoted), *moved,
                outcome(30, "departure", D(2027, 3, 1))]  # records reach March 2027: the 12-month window closed
    ws = workspace(program, people, checkins=[checkin(n, n + 100, D(2026, 2, 1)) for n in MENTEES],
                   outcomes=outcomes)
    ws.proposals["p"] = Proposal(program="p", format=program.format, pairs=[
        ProposedPair(mentee=pseudo(n), mentor=pseudo(n + 100), status="approved", score=1.0) for n in MENTEES])
    raters = raters if raters is not None else {n: 2 for n in MENTEES}
    ws.feedback_360 = [Feedback360("p", pseudo(n), survey, f"r-{n:04d}{i}{survey[0]}00000"[:12], D(2026, 2, 1)
                                   if survey == "baseline" else D(2026, 11, 1), "peer", *([2] * 4 if survey == "baseline"
                                                                                          else [3 + (n % 2)] * 4))
                       for n, count in raters.items() for survey in ("baseline", "final") for i in range(count)]
    ws.manager_feedback = [ManagerFeedback("p", pseudo(n), D(2026, 11, 1), 4, None, score)
                           for n, score in (team or {}).items()]
    return ws


def test_skewed_360_counts_only_people_with_enough_raters_and_is_hidden_below_k():
    four = {n: (MIN_360_RATERS if n <= 4 else 2) for n in MENTEES}
    m = program_metrics(_skewed(raters=four), "p").measure(Metric.FEEDBACK_360_CHANGE)
    assert m.n == 4 and m.value is None and m.status == "suppressed"
    six = {n: (4 if n <= 6 else 2) for n in MENTEES}  # 1..6: three odd (2 -> 4), three even (2 -> 3)
    m = program_metrics(_skewed(raters=six), "p").measure(Metric.FEEDBACK_360_CHANGE)
    assert m.n == 6 and m.value == pytest.approx((3 * 2 + 3 * 1) / 6)
    m = program_metrics(_skewed(), "p").measure(Metric.FEEDBACK_360_CHANGE)
    assert m.value is None and m.status == "no-data" and f"at least {MIN_360_RATERS} colleagues" in m.note
    m = program_metrics(_skewed(raters={}), "p").measure(Metric.FEEDBACK_360_CHANGE)
    assert m.note == "no data yet: no colleague has answered the 360 feedback form"


def test_skewed_internal_mobility_against_the_comparison_group():
    m = program_metrics(_skewed(), "p").measure(Metric.INTERNAL_MOBILITY_12M)
    assert m.n == 30 and m.value == pytest.approx(9 / 30) and not m.interim
    assert dict(m.detail)["comparison_role_change_rate"] == pytest.approx(12 / 400)
    m = program_metrics(_skewed(comparison_role_changes=None), "p").measure(Metric.INTERNAL_MOBILITY_12M)
    assert "comparison_role_change_rate" not in dict(m.detail) and m.value == pytest.approx(9 / 30)
    ws = _skewed()
    ws.outcomes = []
    m = program_metrics(ws, "p").measure(Metric.INTERNAL_MOBILITY_12M)
    assert m.value is None and m.note.startswith("no data yet")


def test_skewed_cost_per_promotion_hides_a_small_count_and_says_why_without_data():
    four = program_metrics(_skewed(), "p")
    cost = four.measure(Metric.COST_PER_PROMOTION)
    assert cost.value is None and cost.status == "suppressed" and cost.detail == ()  # 10,000 / 4 would tell 4
    assert four.measure(Metric.PROMOTION_RATE_18M).value == pytest.approx(4 / 30)
    page = render_results_page(_skewed(), "p")
    assert "2,500" not in page and "Cost per promoted participant**: hidden" in page
    six = program_metrics(_skewed(promoted=range(1, 7)), "p").measure(Metric.COST_PER_PROMOTION)
    assert six.value == pytest.approx(10_000 / 6) and six.n == 6 and six.interim  # the 18-month window is open
    none = program_metrics(_skewed(promoted=()), "p").measure(Metric.COST_PER_PROMOTION)
    assert none.value is None and none.status == "no-data" and "no mentored participant has been promoted" in none.note
    no_roi = program_metrics(_skewed(roi=False, promoted=range(1, 7)), "p").measure(Metric.COST_PER_PROMOTION)
    assert no_roi.value is None and no_roi.note.startswith("not measured")


def test_cost_per_promotion_is_hidden_with_the_promotion_rate_it_divides_by():
    ws = _skewed(promoted=range(1, 7))
    ws.programs["p"] = ws.programs["p"].model_copy(update={"reports": ws.programs["p"].reports.model_copy(
        update={"min_group_size": 31})})  # every mentee group is now too small: the rates are hidden
    pm = program_metrics(ws, "p")
    assert pm.measure(Metric.PROMOTION_RATE_18M).status == "suppressed"
    assert pm.measure(Metric.COST_PER_PROMOTION).status == "suppressed"


def test_skewed_team_performance_needs_k_answers():
    few = program_metrics(_skewed(team={1: 5, 2: 5, 3: 1, 4: 4}), "p").measure(Metric.TEAM_PERFORMANCE)
    assert few.value is None and few.status == "suppressed" and few.n == 4
    five = program_metrics(_skewed(team={1: 5, 2: 5, 3: 1, 4: 4, 5: None, 6: 2}), "p").measure(Metric.TEAM_PERFORMANCE)
    assert five.n == 5 and five.value == pytest.approx((5 + 5 + 1 + 4 + 2) / 5)
    assert dict(five.detail)["better"] == pytest.approx(3 / 5)
    asked = program_metrics(_skewed(team={n: None for n in range(1, 8)}), "p").measure(Metric.TEAM_PERFORMANCE)
    assert asked.value is None and "none answered the question about their team's results" in asked.note
