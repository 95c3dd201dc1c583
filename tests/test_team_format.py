"""The team format: several mentors with one group of mentees, against an exact brute force."""

from __future__ import annotations

import itertools
import random

import pytest

from matching_helpers import person, pid, program, random_people, workspace
from mentorkit.errors import InfeasibleMatching
from mentorkit.matching import propose
from mentorkit.matching.scoring import Criteria
from mentorkit.model import PairStatus, Proposal, ProposedPair
from mentorkit.repo.proposal_files import parse_proposal, proposal_to_yaml


def team_score(crit: Criteria, vocab, mentee, mentors) -> int | None:
    """A mentee's score with a team, in cents, written out again from the documented rule (None: not eligible).

    Skills: each sought skill at the best credit any mentor gives (offered 1, related 1/2); every other criterion:
    the mean of the pair points, rounded half up; pair rules must hold with every mentor; the shared-skill rule
    and min_score for the team as a whole."""
    related = {s.id: set(s.related) for s in vocab.skills}
    for s in vocab.skills:
        for r in s.related:
            related.setdefault(r, set()).add(s.id)
    pair = [crit.score(mentee, b) for b in mentors]
    if any(v.rule not in ("shared_skill", "min_score") for s in pair for v in s.violations):
        return None

    def credit(skill, b):
        return 2 if skill in b.skills_offered else 1 if related.get(skill, set()) & set(b.skills_offered) else 0

    halves = sum(max(credit(s, b) for b in mentors) for s in mentee.skills_sought)
    total = 0
    for name in crit.active:
        if name == "skills":
            total += crit.skills_cents(len(mentee.skills_sought), halves)
        else:
            cents = sum(dict(s.parts_cents)[name] for s in pair)
            total += (2 * cents + len(mentors)) // (2 * len(mentors))
    if crit.skill_required and mentee.skills_sought and halves == 0:
        return None
    if crit.min_cents is not None and total < crit.min_cents:
        return None
    return total


def brute_force_teams(ws, teams):
    prog = ws.programs["pilot"]
    crit = Criteria(prog, ws.vocabulary)
    people = ws.participants
    mentees = sorted((p for p in people.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    caps = [min(people[m].mentor_capacity for m in t["mentors"]) for t in teams]
    table = [[team_score(crit, ws.vocabulary, a, [people[m] for m in t["mentors"]]) for t in teams] for a in mentees]
    best = (0, 0)
    for choice in itertools.product(*[[None] + [t for t, s in enumerate(row) if s is not None] for row in table]):
        if any(choice.count(t) > caps[t] for t in range(len(teams))):
            continue
        got = [table[i][t] for i, t in enumerate(choice) if t is not None]
        best = max(best, (len(got), sum(got)))
    return best, table, mentees


def _teams(people, size=2):
    mentors = sorted(p.pseudonym for p in people if p.can_mentor)
    return [{"id": f"t{k}", "mentors": mentors[k:k + size]} for k in range(0, len(mentors) - size + 1, size)]


@pytest.mark.parametrize("seed", range(6))
def test_team_proposals_are_optimal_against_a_brute_force(seed):
    rng = random.Random(seed)
    people = random_people(rng, 6, 6, capacity=(1, 3), zones=["Europe/London", "Europe/Berlin", "Asia/Kolkata"])
    teams = _teams(people)
    rules = {"min_score": 40} if seed % 2 else {}
    ws = workspace(people, {"pilot": program("team", teams=teams, level_gap={"min": -3, "max": 6, "ideal": 2},
                                             max_time_zone_difference=8, **rules)})
    prop = propose(ws, "pilot")
    (count, total), table, mentees = brute_force_teams(ws, teams)
    position = {p.pseudonym: i for i, p in enumerate(mentees)}
    ids = {t["id"]: k for k, t in enumerate(teams)}
    joined = {(p.mentee, p.team) for p in prop.pairs}
    assert len({m for m, _ in joined}) == len(joined)  # one team per mentee
    got = [table[position[m]][ids[t]] for m, t in joined]
    assert None not in got
    assert (len(got), sum(got)) == (count, total), seed
    assert round(prop.solver["objective"]["total_score"] * 100) == total
    for mentee, team in joined:  # paired with every mentor of the team, and only them
        assert {p.mentor for p in prop.pairs if p.mentee == mentee} == set(teams[ids[team]]["mentors"])
    for t in teams:  # a team takes as many mentees as its most limited mentor
        cap = min(ws.participants[m].mentor_capacity for m in t["mentors"])
        assert sum(1 for _, team in joined if team == t["id"]) <= cap
    assert parse_proposal(proposal_to_yaml(prop)).pairs == prop.pairs


def test_complementary_mentors_cover_the_skills_together():
    ann = person(1, sought=("python", "negotiation"), level=2)
    py = person(10, "mentor", offered=("python",), level=4, capacity=2)
    neg = person(11, "mentor", offered=("negotiation",), level=4, capacity=2)
    both = person(12, "mentor", offered=("design",), level=4, capacity=2)
    other = person(13, "mentor", offered=("design",), level=4, capacity=2)
    teams = [{"id": "mixed", "mentors": [pid(10), pid(11)]}, {"id": "design", "mentors": [pid(12), pid(13)]}]
    ws = workspace([ann, py, neg, both, other], {"pilot": program("team", teams=teams)})
    prop = propose(ws, "pilot")
    assert {(p.mentor, p.team) for p in prop.pairs} == {(pid(10), "mixed"), (pid(11), "mixed")}
    # each pair shows its own points (half the skills), the team together covers both: the objective says so
    assert [p.why["skills"] for p in prop.pairs] == [20.0, 20.0]
    # skills 40 (both covered together) + level 15 + time zone 10 + language 5 + meeting mode 5 (same department: 0)
    assert prop.solver["objective"]["total_score"] == 75.0 and [p.score for p in prop.pairs] == [55.0, 55.0]
    assert prop.summary["skills_covered"] == 1.0 and prop.summary["teams"] == 2
    # the design team offers nothing Ann seeks: the shared-skill rule (on for teams) keeps her out of it
    assert [(u.mentor, u.places) for u in prop.unused] == [(pid(10), 1), (pid(11), 1), (pid(12), 2), (pid(13), 2)]
    assert "no mentee fits the program rules with all its mentors" in prop.unused[2].reason


def test_an_approved_team_member_keeps_the_mentee_in_the_team():
    people = [person(1, sought=("python",), level=2), person(2, sought=("python",), level=2)]
    people += [person(10 + k, "mentor", offered=("python",), level=4, capacity=1) for k in range(4)]
    teams = [{"id": "a", "mentors": [pid(10), pid(11)]}, {"id": "b", "mentors": [pid(12), pid(13)]}]
    previous = Proposal(program="pilot", format="team", pairs=[
        ProposedPair(mentee=pid(2), mentor=pid(10), status=PairStatus.APPROVED, score=50.0, team="a")])
    prop = propose(workspace(people, {"pilot": program("team", teams=teams)}), "pilot", previous)
    by_mentee = {(p.mentee, p.mentor): (p.team, p.status) for p in prop.pairs}
    assert by_mentee == {(pid(2), pid(10)): ("a", PairStatus.APPROVED), (pid(2), pid(11)): ("a", PairStatus.PROPOSED),
                         (pid(1), pid(12)): ("b", PairStatus.PROPOSED), (pid(1), pid(13)): ("b", PairStatus.PROPOSED)}


@pytest.mark.parametrize("teams, message", [
    ([], "a team program needs its mentor teams"),
    ([{"id": "a", "mentors": [pid(1)]}], "mk-00000001 is not a mentor with capacity"),
    ([{"id": "a", "mentors": [pid(10)]}, {"id": "b", "mentors": [pid(10)]}], "a mentor belongs to one team"),
])
def test_bad_teams_are_refused_in_words(teams, message):
    ws = workspace([person(1), person(10, "mentor", level=5)], {"pilot": program("team", teams=teams)})
    with pytest.raises(InfeasibleMatching, match=message):
        propose(ws, "pilot")


def test_a_mentee_no_team_fits_is_told_why():
    far = person(1, sought=("python",), level=1)
    people = [far, person(10, "mentor", offered=("python",), level=4), person(11, "mentor", offered=("sql",), level=9)]
    ws = workspace(people, {"pilot": program("team", teams=[{"id": "a", "mentors": [pid(10), pid(11)]}])})
    prop = propose(ws, "pilot")
    assert [u.reason for u in prop.unmatched] == [
        "no team fits the program rules: 1 team: a mentor is outside the career-stage window (level gap 1 to 4)"]
