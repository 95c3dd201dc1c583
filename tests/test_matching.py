"""Matching: optimal against independent exact methods, hard rules, locks, formats, determinism, stability."""

import random

import pytest

from matching_helpers import brute_force, person, pid, program, random_people, reference, vocabulary, workspace
from mentorkit.errors import InfeasibleMatching
from mentorkit.matching import MatchOptions, match, propose
from mentorkit.matching.scoring import Criteria
from mentorkit.model import PairStatus, Proposal, ProposedPair
from mentorkit.repo.proposal_files import proposal_to_yaml

VOCAB = vocabulary()


def run(ws, previous=None, pid_="pilot", **options):
    return propose(ws, pid_, previous, options=MatchOptions(**options))


def pairs_of(proposal, status=None):
    return {(p.mentee, p.mentor) for p in proposal.pairs
            if p.status != PairStatus.ENDED and (status is None or p.status == status)}


def test_optimum_equals_linear_sum_assignment_on_random_instances():
    """The flow core's count and total score are scipy's exact assignment's (on the matrix expanded by mentor
    capacity), and the proposal names the exact method."""
    for seed in range(16):
        rng = random.Random(seed)
        people = random_people(rng, rng.randint(2, 60), rng.randint(1, 25), capacity=(1, 3))
        ws = workspace(people, {"pilot": program(max_time_zone_difference=rng.choice([None, 3, 6]))})
        result = match(ws, "pilot")
        prop = result.proposal
        count, score = reference(ws)
        assert (prop.summary["matched"], round(prop.summary["total_score"] * 100)) == (count, score), seed
        assert prop.solver["guarantee"].startswith("proven optimal") and "network flow" in prop.solver["guarantee"]
        assert round(sum(p.score for p in prop.pairs) * 100) == score


def test_the_matcher_sees_past_a_greedy_choice():
    """Ann prefers Xia, but Ben can only have Xia: the optimum gives Ben Xia and Ann Yves (two pairs)."""
    ann = person(1, sought=("python",), level=2)
    ben = person(2, sought=("python",), level=2, time_zone="Asia/Kolkata")
    xia = person(3, "mentor", offered=("python",), level=4, time_zone="Asia/Dubai")
    yves = person(4, "mentor", offered=("sql",), level=4, time_zone="Europe/London")
    prop = run(workspace([ann, ben, xia, yves]))
    assert pairs_of(prop) == {(pid(1), pid(4)), (pid(2), pid(3))}
    ann_pair = next(p for p in prop.pairs if p.mentee == pid(1))
    assert ann_pair.next_best["mentor"] == pid(3) and ann_pair.next_best["fully_booked"] is True
    assert ann_pair.next_best["score"] > ann_pair.score  # the better mentor for Ann is needed by Ben


def test_capacity_and_hard_rules_hold_and_every_pair_is_explained():
    rng = random.Random(3)
    people = random_people(rng, 30, 10, capacity=(1, 2), teams=4)
    ws = workspace(people, {"pilot": program(max_time_zone_difference=4)})
    prop = run(ws)
    crit = Criteria(ws.programs["pilot"], VOCAB)
    load = {}
    for p in prop.pairs:
        s = crit.score(ws.participants[p.mentee], ws.participants[p.mentor])
        assert s.eligible and p.score == s.total and p.why == s.parts and sum(p.why.values()) == pytest.approx(p.score)
        load[p.mentor] = load.get(p.mentor, 0) + 1
    assert all(n <= ws.participants[m].mentor_capacity for m, n in load.items())
    assert len({p.mentee for p in prop.pairs}) == len(prop.pairs)  # one mentor each


def test_locked_pairs_survive_even_when_they_cost_points():
    ann = person(1, sought=("python",), level=2)
    xia = person(3, "mentor", offered=("python",), level=4)
    yves = person(4, "mentor", offered=("sql",), level=4)  # sql: related to python, half credit
    ws = workspace([ann, xia, yves], {"pilot": program(locked=[{"mentee": pid(1), "mentor": pid(4)}])})
    prop = run(ws)
    assert pairs_of(prop) == {(pid(1), pid(4))}
    assert prop.summary["locked"] == 1 and any("locked in program/pilot.yaml" in n for n in prop.notes)


@pytest.mark.parametrize("matching, people, message", [
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}]},
     [person(1, level=1), person(3, "mentor", level=9)], "breaks a hard rule: level gap 8 outside 1..4"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}], "forbidden": [{"mentee": pid(1), "mentor": pid(3)}]},
     [person(1), person(3, "mentor", level=5)], "both locked and forbidden"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}, {"mentee": pid(2), "mentor": pid(3)}]},
     [person(1), person(2), person(3, "mentor", level=5, capacity=1)], "can take 1 mentee (mentor_capacity)"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}, {"mentee": pid(1), "mentor": pid(4)}]},
     [person(1), person(3, "mentor", level=5), person(4, "mentor", level=5)], "locked to 2 partners"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(7)}]}, [person(1), person(3, "mentor", level=5)],
     "is not a mentor with capacity in this program"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}, {"mentee": pid(2), "mentor": pid(3)}],
      "one_mentee_per_team": True},
     [person(1, team="t"), person(2, team="t"), person(3, "mentor", level=5, capacity=2)], "one mentee per team"),
    ({"locked": [{"mentee": pid(1), "mentor": pid(3)}], "min_cross_department_share": 0.6},
     [person(1, department="eng"), person(2, department="eng"), person(3, "mentor", level=5, department="eng", capacity=2)],
     "at least 60% of pairs cross-department"),
])
def test_infeasible_locks_and_rules_name_the_rule(matching, people, message):
    ws = workspace(people, {"pilot": program(**matching)})
    with pytest.raises(InfeasibleMatching) as err:
        run(ws)
    assert message in str(err.value)
    assert "Traceback" not in str(err.value) and "CBC" not in str(err.value)


def _proposal(pairs, program_id="pilot"):
    return Proposal(program=program_id, format="one-to-one",
                    pairs=[ProposedPair(mentee=a, mentor=b, status=s, score=1.0) for a, b, s in pairs])


def test_approved_pairs_are_kept_and_ended_pairs_are_never_proposed_again():
    ann = person(1, sought=("python",), level=2)
    ben = person(2, sought=("python",), level=2)
    xia = person(3, "mentor", offered=("python",), level=4)
    yves = person(4, "mentor", offered=("sql",), level=4)  # sql: related to python, half credit
    ws = workspace([ann, ben, xia, yves])
    previous = _proposal([(pid(1), pid(4), "approved"), (pid(2), pid(3), "ended")])
    prop = run(ws, previous)
    assert (pid(1), pid(4)) in pairs_of(prop, PairStatus.APPROVED)  # kept though Xia scores higher for Ann
    assert (pid(2), pid(3)) not in pairs_of(prop)  # ended: never again
    assert [(p.mentee, p.mentor) for p in prop.pairs if p.status == PairStatus.ENDED] == [(pid(2), pid(3))]
    assert [u.mentee for u in prop.unmatched] == [pid(2)]
    assert prop.unmatched[0].reason == "the only mentor who fits is fully booked"
    assert prop.unmatched[0].would_match == (f"one more place with {pid(4)} (their best option, 55 points), "
                                             "or another mentor who offers python")


def test_an_approved_pair_whose_person_left_is_ended_with_a_note():
    ws = workspace([person(1), person(3, "mentor", level=5)])
    prop = run(ws, _proposal([(pid(2), pid(3), "approved")]))
    assert [(p.mentee, p.status) for p in prop.pairs if p.mentee == pid(2)] == [(pid(2), PairStatus.ENDED)]
    assert any("is now ended" in n for n in prop.notes)


def test_same_input_gives_the_same_bytes_whatever_the_row_order():
    rng = random.Random(11)
    people = random_people(rng, 40, 15, teams=0)
    base = proposal_to_yaml(run(workspace(people)))
    assert base == proposal_to_yaml(run(workspace(people)))
    for seed in range(3):
        shuffled = list(people)
        random.Random(seed).shuffle(shuffled)
        assert proposal_to_yaml(run(workspace(shuffled))) == base


def test_a_new_participant_changes_only_what_it_must():
    """With ties everywhere many optimal proposals exist; a re-run keeps the previous proposed pairs."""
    mentees = [person(k, sought=("python",), level=2) for k in range(1, 9)]
    mentors = [person(20 + k, "mentor", offered=("python",), level=4, capacity=2) for k in range(5)]
    first = run(workspace(mentees + mentors))
    newcomer = person(9, sought=("python",), level=2)
    again = run(workspace(mentees + mentors + [newcomer]), first)
    assert pairs_of(first) <= pairs_of(again)
    assert len(pairs_of(again)) == 9
    fresh = run(workspace(mentees + mentors + [newcomer]))  # without the previous proposal: other ties
    assert fresh.summary["total_score"] == again.summary["total_score"]


def test_a_rerun_on_its_own_proposal_is_byte_identical():
    """Nothing in the file depends on how often the matcher ran: an unchanged input gives an unchanged file."""
    from mentorkit.repo.proposal_files import proposal_to_yaml

    mentees = [person(k, sought=("python",), level=2) for k in range(1, 7)]
    mentors = [person(20 + k, "mentor", offered=("python",), level=4, capacity=2) for k in range(3)]
    ws = workspace(mentees + mentors)
    first = run(ws)
    assert proposal_to_yaml(run(ws, first)) == proposal_to_yaml(first)


def test_choice_mode_gives_distinct_ranked_suggestions():
    rng = random.Random(5)
    people = random_people(rng, 12, 8, capacity=(1, 1))
    ws = workspace(people, {"pilot": program(mode="choice", suggestions=3)})
    prop = run(ws)
    by_mentee = {}
    for p in prop.pairs:
        by_mentee.setdefault(p.mentee, []).append(p)
    assert by_mentee
    for ps in by_mentee.values():
        assert len({p.mentor for p in ps}) == len(ps) <= 3
        assert [p.rank for p in ps] == list(range(1, len(ps) + 1))
        assert [p.score for p in ps] == sorted((p.score for p in ps), reverse=True)
    load = {}
    for p in prop.pairs:
        load[p.mentor] = load.get(p.mentor, 0) + 1
    assert all(n <= 3 * ws.participants[m].mentor_capacity for m, n in load.items())
    crit = Criteria(ws.programs["pilot"], VOCAB)
    eligible = {a.pseudonym: sum(crit.score(a, b).eligible for b in people if b.can_mentor) for a in people
                if a.can_be_mentee}
    assert sum(len(ps) for ps in by_mentee.values()) >= sum(min(3, n) for n in eligible.values()) - 3 * 8


def test_mosaic_mentors_cover_the_sought_skills_together():
    mentee = person(1, sought=("python", "finance", "design"), level=2)
    other = person(2, sought=("python",), level=2)
    mentors = [person(10, "mentor", offered=("python", "sql"), level=4, capacity=2),
               person(11, "mentor", offered=("finance",), level=4),
               person(12, "mentor", offered=("design",), level=5),
               person(13, "mentor", offered=("python",), level=4)]
    ws = workspace([mentee, other] + mentors, {"pilot": program("mosaic", mentors_per_mentee=3)})
    prop = run(ws)
    mine = {p.mentor for p in prop.pairs if p.mentee == pid(1)}
    assert {pid(11), pid(12)} <= mine and len(mine) == 3 and (mine & {pid(10), pid(13)})
    assert prop.summary["skills_covered"] == 1.0
    assert prop.solver["guarantee"].startswith("proven optimal")


def test_peer_pairs_are_within_one_pool_without_self_pairs_or_duplicates():
    rng = random.Random(8)
    people = [p.__class__(**{**p.__dict__, "role": "both", "mentor_capacity": rng.choice([0, 1, 2])})
              for p in random_people(rng, 14, 0, teams=3)]
    ws = workspace(people, {"pilot": program("peer", level_gap={"min": 0, "max": 5, "ideal": 0},
                                              one_mentee_per_team=True)})
    prop = run(ws)
    seen, load = set(), {}
    for p in prop.pairs:
        assert p.mentee < p.mentor  # one pool: (first, second) in pseudonym order, never a self pair
        assert (p.mentee, p.mentor) not in seen
        seen.add((p.mentee, p.mentor))
        for who in (p.mentee, p.mentor):
            load[who] = load.get(who, 0) + 1
    assert all(n <= max(1, ws.participants[w].mentor_capacity) for w, n in load.items())
    for w in load:  # one peer per team and person
        teams = [ws.participants[o].team for a, b in seen if w in (a, b) for o in (a, b) if o != w]
        assert len([t for t in teams if t]) == len({t for t in teams if t})


def test_reverse_pairs_have_the_junior_person_as_mentor():
    seniors = [person(k, level=7, sought=("python",)) for k in range(1, 4)]
    juniors = [person(10 + k, "mentor", level=2 + k, offered=("python",)) for k in range(3)]
    ws = workspace(seniors + juniors, {"pilot": program("reverse", level_gap={"min": 2, "max": 5, "ideal": 4})})
    prop = run(ws)
    assert len(prop.pairs) == 3
    for p in prop.pairs:
        assert 2 <= ws.participants[p.mentee].level - ws.participants[p.mentor].level <= 5


def test_unmatched_mentees_get_a_reason():
    far = person(1, level=1, time_zone="Pacific/Auckland")
    two = [person(2, level=2), person(3, level=2)]
    mentor = person(9, "mentor", level=4, capacity=1)
    prop = run(workspace([far, *two, mentor]))
    reasons = {u.mentee: u.reason for u in prop.unmatched}
    assert reasons[pid(1)] == ("no mentor fits the program rules: the only mentor is more than 6 hours away or in "
                               "an unknown time zone")
    hints = {u.mentee: u.would_match for u in prop.unmatched}
    assert hints[pid(1)] == ("no mentor fits within 6 hours of Pacific/Auckland; 1 fits 12 hours away "
                             "(matching.max_time_zone_difference)")
    loser = ({pid(2), pid(3)} - {p.mentee for p in prop.pairs}).pop()
    assert reasons[loser] == "the only mentor who fits is fully booked"


@pytest.mark.parametrize("rules", [{"min_cross_department_share": 0.75}, {"one_mentee_per_team": True},
                                   {"fairness_floor": True},
                                   {"min_cross_department_share": 0.5, "one_mentee_per_team": True,
                                    "fairness_floor": True}])
def test_program_rules_against_brute_force(rules):
    for seed in range(4):
        rng = random.Random(100 + seed)
        people = random_people(rng, 6, 3, capacity=(1, 3), teams=2)
        ws = workspace(people, {"pilot": program(**rules)})
        prop = run(ws)
        scores = [round(p.score * 100) for p in prop.pairs]
        got = (len(prop.pairs), min(scores, default=0) if rules.get("fairness_floor") else 0, sum(scores))
        assert got == brute_force(ws), seed


def test_cooldown_keeps_earlier_pairs_apart():
    ann = person(1, sought=("python",), level=2, programs=("pilot", "spring"))
    xia = person(3, "mentor", offered=("python",), level=4, programs=("pilot", "spring"))
    yves = person(4, "mentor", offered=("sql",), level=4)  # sql: related to python, half credit
    earlier = _proposal([(pid(1), pid(3), "approved")], "spring")
    ws = workspace([ann, xia, yves], {"pilot": program(cooldown=["spring"]), "spring": program()},
                   {"spring": earlier})
    assert pairs_of(run(ws)) == {(pid(1), pid(4))}


def test_empty_criteria_are_reported_in_the_proposal():
    people = [person(k, sought=("python",)) for k in range(1, 5)] + [person(9, "mentor", level=5, capacity=4,
                                                                           offered=("python",))]
    prop = run(workspace(people))
    assert "weight 'interests' is 10 but no mentee has interests: it has no effect on matching" in prop.notes


def test_empty_programs_do_not_crash():
    assert run(workspace([person(1)])).unmatched[0].reason == "no eligible mentor: the program has no mentors"
    assert run(workspace([person(9, "mentor", level=5)])).pairs == []
    assert run(workspace([], {"pilot": program("peer")})).pairs == []


def test_match_reports_timings_and_statistics():
    rng = random.Random(2)
    result = match(workspace(random_people(rng, 20, 8)), "pilot")
    assert set(result.timings) >= {"prepare", "score", "solve", "assemble"}
    assert result.stats["eligible_pairs"] >= result.stats["model_pairs"] > 0


def test_an_approved_pairs_dates_survive_a_rerun():
    import datetime as dt

    ann, xia = person(1, sought=("python",), level=2), person(3, "mentor", offered=("python",), level=4)
    previous = Proposal(program="pilot", format="one-to-one", pairs=[
        ProposedPair(mentee=pid(1), mentor=pid(3), status=PairStatus.APPROVED, score=1.0,
                     approved_on=dt.date(2026, 1, 20))])
    [pair] = run(workspace([ann, xia]), previous).pairs
    assert (pair.status, pair.approved_on, pair.reasons["skills"]) == (PairStatus.APPROVED, dt.date(2026, 1, 20),
                                                                      "offers python")
