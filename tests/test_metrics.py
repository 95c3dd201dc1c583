"""Each measure on a small hand-made program; expected values are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from mentorkit.metrics import DAYS_PER_MONTH, program_metrics
from test_metrics_support import D, checkin, goal, goal_record, make_program, outcome, person, pseudo, rating, survey, workspace


def values(pm):
    return {m.id: m for m in pm.measures}


# --- process ----------------------------------------------------------------------------------------------------


@pytest.fixture
def process_ws():
    # 4 mentees (1-4), 3 mentors (11-13); 20 people were eligible.
    program = make_program(
        eligible_population=20,
        goals=[goal("active_pair_share", 0.6)],
        targets={"match_rate": 80, "time_to_match_days": 42, "meetings_per_pair_month": 0.8,
                 "active_pair_share": 0.1},  # the goal's 0.6 wins over this
    )
    people = [person(1, joined=D(2025, 12, 1)), person(2, joined=D(2025, 12, 15)), person(3, joined=D(2025, 12, 1)),
              person(4, joined=D(2025, 12, 1)), person(11, "mentor"), person(12, "mentor"), person(13, "mentor")]
    pairs = [(1, 11, "approved"), (2, 12, "approved"), (3, 13, "ended"), (4, 11, "proposed")]
    checkins = [
        checkin(1, 11, D(2026, 1, 10)), checkin(1, 11, D(2026, 2, 10)), checkin(1, 11, D(2026, 4, 1)),
        checkin(2, 12, D(2026, 1, 20)),
        checkin(3, 13, D(2026, 1, 15)), checkin(3, 13, D(2026, 2, 14)),
    ]
    return workspace(program, people, pairs=pairs, checkins=checkins)


def test_as_of_is_the_latest_record(process_ws):
    # the latest check-in, 1 April 2026; nothing comes from the clock
    assert program_metrics(process_ws, "p").as_of == D(2026, 4, 1)


def test_participation_and_match_rate(process_ws):
    v = values(program_metrics(process_ws, "p"))
    # 7 members (4 mentees + 3 mentors) / 20 eligible = 0.35
    assert v["participation_rate"].value == pytest.approx(0.35)
    assert v["participation_rate"].status == "no-target"
    # mentees 1, 2, 3 have an approved or ended pair; 4 only a proposed one: 3 / 4 = 0.75
    assert v["match_rate"].value == pytest.approx(0.75)
    assert v["match_rate"].n == 4
    # target written as 80 (percent) means 0.8; 0.75 < 0.8
    assert v["match_rate"].target == pytest.approx(0.8)
    assert v["match_rate"].status == "not-met"


def test_time_to_match_is_the_median(process_ws):
    v = values(program_metrics(process_ws, "p"))
    # 1: 2025-12-01 -> 2026-01-10 = 40 days; 2: 2025-12-15 -> 2026-01-20 = 36; 3: 2025-12-01 -> 2026-01-15 = 45
    # median(36, 40, 45) = 40; lower is better and 40 <= 42: met
    assert v["time_to_match_days"].value == 40
    assert v["time_to_match_days"].n == 3
    assert v["time_to_match_days"].status == "met"


def test_meetings_per_pair_per_month(process_ws):
    v = values(program_metrics(process_ws, "p"))
    # pair 1-11 (approved): 2026-01-01 -> 2026-04-01 = 31 + 28 + 31 = 90 days, 3 meetings
    # pair 2-12 (approved): 90 days, 1 meeting
    # pair 3-13 (ended): 2026-01-01 -> its last check-in 2026-02-14 = 44 days, 2 meetings
    # 6 meetings / ((90 + 90 + 44) / 30.4375 months) = 6 * 30.4375 / 224 = 0.81529...
    assert DAYS_PER_MONTH == 30.4375
    m = v["meetings_per_pair_month"]
    assert m.value == pytest.approx(6 * 30.4375 / 224)
    assert round(m.value, 4) == 0.8153
    assert m.n == 3
    assert m.status == "met"  # target 0.8
    # the monthly cadence asks for one meeting a month
    assert dict(m.detail)["cadence_per_month"] == 1.0


def test_active_pairs_and_completion(process_ws):
    v = values(program_metrics(process_ws, "p"))
    # current pairs: 1-11 (last check-in on the as-of date: active) and 2-12 (last 2026-01-20: 71 days ago,
    # more than 1.5 x 30.4375 = 45.7 days: not active) -> 1 / 2
    assert v["active_pair_share"].value == pytest.approx(0.5)
    assert v["active_pair_share"].goal == "g1"
    assert v["active_pair_share"].target == pytest.approx(0.6)  # the goal's target, not program.targets
    assert v["active_pair_share"].status == "not-met"
    # all pairs ever approved: 3; still meeting and not ended: 1-11 -> 1 / 3, interim (the program runs to June)
    assert v["completion_rate"].value == pytest.approx(1 / 3)
    assert v["completion_rate"].note.startswith("interim")


def test_pairs_come_from_checkins_without_a_proposal(process_ws):
    process_ws.proposals.clear()
    pm = program_metrics(process_ws, "p")
    assert pm.pairs_source == "checkins"
    v = values(pm)
    # pairs seen in check-ins: 1-11, 2-12, 3-13, all current; mentees matched 3 of 4 again
    assert v["match_rate"].value == pytest.approx(0.75)
    # 3-13 now runs to the as-of date too: 6 meetings / (3 x 90 days / 30.4375) = 6 * 30.4375 / 270
    assert v["meetings_per_pair_month"].value == pytest.approx(6 * 30.4375 / 270)


def test_no_records_means_no_data():
    ws = workspace(make_program(), [person(1), person(2), person(3, "mentor")])
    pm = program_metrics(ws, "p")
    assert pm.as_of is None
    v = values(pm)
    assert v["meetings_per_pair_month"].status == "no-data"
    assert v["match_rate"].value == 0  # nobody matched is a measurement, not missing data
    assert pm.attention == ()


# --- Level 1: reaction ------------------------------------------------------------------------------------------


@pytest.fixture
def reaction_ws():
    program = make_program(targets={"nps": 30}, reports={"min_group_size": 5})
    people = [person(n) for n in range(1, 11)]
    finals = [9, 9, 8, 7, 6, 3, 10, 5, 9]  # persons 2-10
    sats = [5, 4, 4, 3, 5, 4, 4, 5, 3]
    surveys = [survey(1, "pulse", D(2026, 2, 1), nps=2, satisfaction=2),
               survey(1, "final", D(2026, 6, 1), nps=10, satisfaction=4)]
    surveys += [survey(n, "final", D(2026, 6, 1), nps=s, satisfaction=t)
                for n, s, t in zip(range(2, 11), finals, sats, strict=True)]
    surveys.append(survey(2, "final", D(2026, 6, 1), nps=0, program="other"))  # another program: ignored
    # a later record: the final round (no survey calendar) is complete once the records run 21 days past it
    return workspace(program, people, surveys=surveys, outcomes=[outcome(1, "role-change", D(2026, 6, 30))])


def test_nps(reaction_ws):
    m = values(program_metrics(reaction_ws, "p"))["nps"]
    # latest answers: 10 (person 1's final, not the earlier 2), 9, 9, 8, 7, 6, 3, 10, 5, 9
    # promoters (9-10): 10, 9, 9, 10, 9 = 5 -> 50%; detractors (0-6): 6, 3, 5 = 3 -> 30%; NPS = 50 - 30 = +20
    assert m.value == pytest.approx(20)
    assert m.n == 10
    assert dict(m.detail) == pytest.approx({"promoters": 0.5, "passives": 0.2, "detractors": 0.3})
    assert m.status == "not-met"  # target 30


def test_satisfaction(reaction_ws):
    m = values(program_metrics(reaction_ws, "p"))["satisfaction"]
    # latest: 4 (person 1's final), 5, 4, 4, 3, 5, 4, 4, 5, 3 -> 41 / 10 = 4.1; goal target 4.0: met
    assert m.value == pytest.approx(4.1)
    assert m.status == "met"
    assert m.goal == "g1"


def test_nps_on_fewer_than_min_group_size_is_hidden():
    program = make_program(reports={"min_group_size": 5})
    people = [person(n) for n in range(1, 5)]
    ws = workspace(program, people, surveys=[survey(n, "final", D(2026, 6, 1), nps=10) for n in range(1, 5)],
                   outcomes=[outcome(1, "role-change", D(2026, 6, 30))])
    m = values(program_metrics(ws, "p"))["nps"]
    assert (m.value, m.status, m.detail) == (None, "suppressed", ())
    assert program_metrics(ws, "p").nps_mix == ()


# --- Level 2 and 3: learning, behaviour --------------------------------------------------------------------------


@pytest.fixture
def learning_ws():
    program = make_program(goals=[goal("proficiency_change", 1.0)])
    people = [person(1), person(2), person(3), person(4)]
    ratings = [
        rating(1, "baseline", "sql", 2), rating(1, "final", "sql", 4),        # +2
        rating(1, "baseline", "python", 3), rating(1, "final", "python", 3),  # 0
        rating(2, "baseline", "sql", 1), rating(2, "final", "sql", 3),        # +2
        rating(2, "baseline", "python", 2),                                   # no final: left out
        rating(3, "baseline", "python", 1), rating(3, "final", "python", 2),  # +1
    ]
    surveys = [
        survey(1, "baseline", D(2026, 1, 5), confidence=2), survey(1, "pulse", D(2026, 3, 1), confidence=3),
        survey(1, "final", D(2026, 6, 20), confidence=4),                     # 4 - 2 = +2
        survey(2, "baseline", D(2026, 1, 5), confidence=3), survey(2, "final", D(2026, 6, 20), confidence=3),  # 0
        survey(3, "baseline", D(2026, 1, 5), confidence=4),                   # no later answer: left out
        survey(4, "pulse", D(2026, 3, 1), confidence=5),                      # no baseline: left out
    ]
    goals = [
        goal_record("g-1", 1, "achieved", D(2026, 5, 1)), goal_record("g-2", 1, "partly-achieved", D(2026, 5, 1)),
        goal_record("g-3", 2, "not-achieved", D(2026, 5, 1)), goal_record("g-4", 2, "dropped", D(2026, 5, 1)),
        goal_record("g-5", 3, "achieved", D(2026, 5, 1)), goal_record("g-6", 3, "open", D(2026, 6, 30)),
    ]
    return workspace(program, people, ratings=ratings, surveys=surveys, goals=goals,
                     outcomes=[outcome(1, "role-change", D(2026, 7, 30))])  # the final round has closed


def test_proficiency_change(learning_ws):
    pm = program_metrics(learning_ws, "p")
    m = values(pm)["proficiency_change"]
    # (person, skill) rated twice: +2, 0, +2, +1 -> 5 / 4 = 1.25, by 3 people; goal target 1.0: met
    assert m.value == pytest.approx(1.25)
    assert m.n == 3
    assert m.status == "met"
    by_skill = {s.skill: s for s in pm.skills}
    # python: person 1 (3 -> 3) and 3 (1 -> 2): before 2.0, after 2.5, change +0.5
    assert (by_skill["python"].n.value, by_skill["python"].before.value, by_skill["python"].after.value) == (2, 2.0, 2.5)
    assert by_skill["python"].change.value == pytest.approx(0.5)
    # sql: person 1 (2 -> 4) and 2 (1 -> 3): before 1.5, after 3.5, change +2.0
    assert by_skill["sql"].change.value == pytest.approx(2.0)
    assert by_skill["sql"].before.value == pytest.approx(1.5)


def test_confidence_change(learning_ws):
    m = values(program_metrics(learning_ws, "p"))["confidence_change"]
    # person 1: 4 (latest later answer) - 2 = +2; person 2: 3 - 3 = 0 -> mean +1.0 over 2 people
    assert m.value == pytest.approx(1.0)
    assert m.n == 2


def test_goal_achievement_rate(learning_ws):
    m = values(program_metrics(learning_ws, "p"))["goal_achievement_rate"]
    # assessed goals: achieved (1), partly-achieved (0.5), not-achieved (0), achieved (1); dropped and open
    # goals do not count -> 2.5 / 4 = 0.625, goals of 3 people
    assert m.value == pytest.approx(0.625)
    assert m.n == 3


# --- Level 4: results ---------------------------------------------------------------------------------------------


@pytest.fixture
def results_ws():
    # 10 mentees (1-10), each with a mentor (11-20). The program runs through 2026.
    program = make_program(
        timeline={"start": "2026-01-05", "end": "2026-12-31"},
        goals=[goal("retention_difference", 0.05)],
        comparison={"period_start": "2026-01-01", "period_end": "2026-12-31", "headcount": 200, "leavers": 30,
                    "promotions": 16},
        roi={"replacement_cost": 40000, "productivity_value": 1000,
             "costs": {"staff_time": 10000, "platform": 1000, "materials": 500, "events": 500,
                       "participant_hour_value": 50}},
        targets={"roi_percent": 100, "promotion_rate_12m": 0.25},
    )
    people = [person(n) for n in range(1, 11)] + [person(n, "mentor") for n in range(11, 21)]
    pairs = [(n, n + 10, "approved") for n in range(1, 11)]
    checkins = []
    for n in range(1, 11):
        last = D(2026, 12, 10) if n <= 8 else D(2026, 6, 1)  # pairs 9 and 10 stopped meeting in June
        checkins += [checkin(n, n + 10, D(2026, 2, 10)), checkin(n, n + 10, last)]
    outcomes = [
        outcome(9, "departure", D(2026, 6, 15)),
        outcome(2, "promotion", D(2026, 3, 1)),   # within 12 months of 2026-01-05
        outcome(3, "promotion", D(2027, 1, 4)),   # the last day of the 12-month window
        outcome(4, "promotion", D(2027, 1, 15)),  # within 18 months only
        outcome(5, "promotion", D(2025, 11, 1)),  # before the program: not counted
    ]
    return workspace(program, people, pairs=pairs, checkins=checkins, outcomes=outcomes)


def test_retention_difference(results_ws):
    pm = program_metrics(results_ws, "p")
    # records run to 2027-01-15 (an outcome), past the comparison period: the whole period is covered
    # participants: 1 departure (mentee 9) in the period among 10 -> retention 1 - 1/10 = 0.90
    # comparison: 1 - 30/200 = 0.85; difference 0.90 - 0.85 = 0.05 = +5 points, target 0.05: met
    m = values(pm)["retention_difference"]
    assert m.value == pytest.approx(0.05)
    assert dict(m.detail)["participant_retention"] == pytest.approx(0.9)
    assert dict(m.detail)["comparison_retention"] == pytest.approx(0.85)
    assert m.status == "met"
    # who counts is said on the page: the mentees matched for the whole period, against the colleagues
    assert m.note == "mentees matched for the whole period (10 of 10) against 200 colleagues who did not take part"


def test_retention_difference_interim_is_pro_rata(results_ws):
    # drop the outcomes after June: the outcome records now run to 2026-06-15 (the check-ins go on to December,
    # but they say nothing about who left)
    results_ws.outcomes = [o for o in results_ws.outcomes if o.date <= D(2026, 6, 30)]
    v = values(program_metrics(results_ws, "p"))
    m = v["retention_difference"]
    # covered: 2026-01-01 .. 2026-06-15 = 166 of 365 days; comparison leavers pro rata: 30/200 * 166/365
    # participants 0.90 (mentee 9 left in June); comparison 1 - 0.15 * 166 / 365
    assert m.value == pytest.approx(0.90 - (1 - 0.15 * 166 / 365))
    assert m.note.startswith("interim")
    assert m.status == "too-early"  # -3.2 points against a target of +5: not due yet, never "not met"
    # ROI needs the whole comparison period covered: not yet measurable, and it says what is missing
    roi = v["roi_percent"]
    assert roi.value is None and roi.status == "no-data"
    assert roi.note.startswith("not yet measurable") and "31 December 2026" in roi.note and "15 June 2026" in roi.note


def test_no_outcome_records_no_outcome_claims(results_ws):
    """A program without outcome records claims no retention, promotion or ROI figure, and says why."""
    results_ws.outcomes = []
    v = values(program_metrics(results_ws, "p"))
    for metric in ("promotion_rate_12m", "promotion_rate_18m", "retention_difference", "roi_percent"):
        assert v[metric].value is None, metric
        assert v[metric].status == "no-data", metric
        assert ("no promotions or departures have been recorded since" in v[metric].note
                or "none are recorded yet" in v[metric].note), metric


def test_interim_below_target_is_too_early(results_ws):
    results_ws.outcomes = [o for o in results_ws.outcomes if o.date <= D(2026, 6, 30)]
    m = values(program_metrics(results_ws, "p"))["promotion_rate_12m"]
    # mentee 2 promoted in March: 1 / 10 against a target of 25%, the window runs to 2027-01-04
    assert m.value == pytest.approx(0.1)
    assert m.status == "too-early"


def test_roi(results_ws):
    m = values(program_metrics(results_ws, "p"))["roi_percent"]
    d = dict(m.detail)
    # benefits: retention 0.05 x 10 participants x 40,000 = 20,000
    #           completed: pairs 1-8 met on 2026-12-10, 21 days before the end (<= 45.7): 8 x 1,000 = 8,000
    # costs:    10,000 + 1,000 + 500 + 500 = 12,000 fixed
    #           20 check-ins x 60 min = 20 h x 2 people x 50 = 2,000 -> 14,000
    # ROI = (28,000 - 14,000) / 14,000 x 100 = 100%
    assert d["benefit_retention"] == pytest.approx(20000)
    assert d["benefit_productivity"] == pytest.approx(8000)
    assert d["cost_fixed"] == pytest.approx(12000)
    assert d["cost_participant_time"] == pytest.approx(2000)
    assert m.value == pytest.approx(100)
    assert m.status == "met"


def test_completion_at_the_end(results_ws):
    m = values(program_metrics(results_ws, "p"))["completion_rate"]
    # as of 2026-12-31 (records run further; capped at the program end): pairs 1-8 still meeting -> 8 / 10
    assert m.value == pytest.approx(0.8)
    assert m.note == ""


def test_promotion_rates(results_ws):
    v = values(program_metrics(results_ws, "p"))
    # 12-month window 2026-01-05 .. 2027-01-04: mentees 2 and 3 -> 2 / 10 = 0.2 (target 0.25: not met)
    assert v["promotion_rate_12m"].value == pytest.approx(0.2)
    assert v["promotion_rate_12m"].status == "not-met"
    assert v["promotion_rate_12m"].note == ""  # records run to 2027-01-15, past the window
    assert dict(v["promotion_rate_12m"].detail)["comparison_promotion_rate"] == pytest.approx(16 / 200)
    # 18-month window to 2027-07-04: mentees 2, 3, 4 -> 0.3, interim: the records stop in January 2027
    assert v["promotion_rate_18m"].value == pytest.approx(0.3)
    assert v["promotion_rate_18m"].note.startswith("interim")


def test_domain_worked_example_roi_525():
    """docs/metrics.md's worked example (the figures of the DOMAIN primer): ROI 525%."""
    n = 100
    program = make_program(
        timeline={"start": "2026-01-05", "end": "2026-12-31"},
        comparison={"period_start": "2026-01-01", "period_end": "2026-12-31", "headcount": 2000, "leavers": 300,
                    "promotions": 100},
        roi={"replacement_cost": 50000, "productivity_value": 10000,
             "costs": {"staff_time": 110000, "platform": 25000, "materials": 15000, "events": 20000,
                       "participant_hour_value": 15}},
        reports={"min_group_size": 5},
    )
    people = [person(i) for i in range(1, n + 1)] + [person(1000 + i, "mentor") for i in range(1, n + 1)]
    pairs = [(i, 1000 + i, "approved") for i in range(1, n + 1)]
    checkins = []
    for i in range(1, n + 1):
        # 10 one-hour meetings per pair: 1,000 meeting hours; pairs 1-75 meet until December
        months = range(1, 11) if i > 75 else range(3, 13)
        checkins += [checkin(i, 1000 + i, D(2026, mo, 15)) for mo in months]
    outcomes = [outcome(i, "departure", D(2026, 9, 1)) for i in range(96, 101)]  # 5 of 100 leave
    outcomes.append(outcome(1, "promotion", D(2027, 2, 1)))  # records run past the comparison period
    pm = program_metrics(workspace(program, people, pairs=pairs, checkins=checkins, outcomes=outcomes), "p")
    v = values(pm)
    # retention: participants 95/100 = 0.95; comparison 1 - 300/2000 = 0.85; difference 0.10
    assert v["retention_difference"].value == pytest.approx(0.10)
    d = dict(v["roi_percent"].detail)
    # 0.10 x 100 x 50,000 = 500,000; 75 completed x 10,000 = 750,000; benefits 1,250,000
    assert d["benefit_retention"] == pytest.approx(500000)
    assert d["benefit_productivity"] == pytest.approx(750000)
    # 170,000 fixed + 1,000 h x 2 x 15 = 30,000 -> costs 200,000; ROI = 1,050,000 / 200,000 x 100 = 525%
    assert d["costs"] == pytest.approx(200000)
    assert v["roi_percent"].value == pytest.approx(525)


def test_peer_program_counts_both_sides():
    program = make_program(format="peer")
    people = [person(n, "both") for n in range(1, 5)]
    pairs = [(1, 2, "approved")]  # 3 and 4 not matched
    ws = workspace(program, people, pairs=pairs, checkins=[checkin(1, 2, D(2026, 2, 1))])
    m = values(program_metrics(ws, "p"))["match_rate"]
    # everyone seeks a peer; 1 and 2 are matched (both sides of the pair): 2 / 4
    assert m.value == pytest.approx(0.5)


def test_mosaic_cadence_is_shared_among_mentors():
    program = make_program(format="mosaic", matching={"mentors_per_mentee": 3})
    people = [person(1), person(11, "mentor"), person(12, "mentor"), person(13, "mentor")]
    pairs = [(1, 11, "approved"), (1, 12, "approved"), (1, 13, "approved")]
    ws = workspace(program, people, pairs=pairs, checkins=[checkin(1, 11, D(2026, 3, 1))])
    m = values(program_metrics(ws, "p"))["meetings_per_pair_month"]
    # each of 3 mentors is expected once every 3 months: 1/3 meeting per pair per month
    assert dict(m.detail)["cadence_per_month"] == pytest.approx(1 / 3, abs=1e-4)


def test_attention_is_left_out_on_request(process_ws):
    assert program_metrics(process_ws, "p").attention  # 2-12 has been quiet for 71 days
    assert program_metrics(process_ws, "p", attention=False).attention == ()


def test_pseudonym_helper():
    assert pseudo(255) == "mk-000000ff"
