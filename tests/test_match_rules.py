"""Match quality rules: `matching.min_score` and the shared-skill rule, against the exact reference."""

from __future__ import annotations

import random

import pytest

from matching_helpers import person, pid, program, random_people, reference, vocabulary, workspace
from mentorkit.matching import propose
from mentorkit.matching.candidates import CandidateIndex
from mentorkit.matching.scoring import Criteria

VOCAB = vocabulary()


@pytest.mark.parametrize("fmt, on", [("one-to-one", True), ("group", True), ("reverse", True), ("mosaic", True),
                                     ("team", True), ("peer", False), ("flash", False)])
def test_the_shared_skill_rule_is_on_for_skill_based_formats(fmt, on):
    assert Criteria(program(fmt), VOCAB).skill_required is on
    assert Criteria(program(fmt, shared_skill_required=not on), VOCAB).skill_required is (not on)
    assert Criteria(program(fmt, weights={"skills": 0}), VOCAB).skill_required is False  # skills do not count


def test_a_related_skill_is_enough_and_a_mentee_who_seeks_nothing_is_not_held_back():
    crit = Criteria(program(), VOCAB)
    ann = person(1, sought=("sql",), level=2)
    nobody = person(2, level=2)
    related = person(10, "mentor", offered=("python",), level=4)  # python is related to sql
    unrelated = person(11, "mentor", offered=("design",), level=4)
    assert crit.score(ann, related).eligible
    assert [v.rule for v in crit.score(ann, unrelated).violations] == ["shared_skill"]
    assert crit.score(nobody, unrelated).eligible


def test_a_mentee_the_rule_leaves_unmatched_is_told_why_and_what_would_match():
    tokyo = person(1, sought=("sql",), level=2, time_zone="Asia/Tokyo")
    people = [tokyo, person(10, "mentor", offered=("design",), level=4, time_zone="Asia/Tokyo"),
              person(11, "mentor", offered=("sql",), level=4, time_zone="Europe/Berlin"),
              person(12, "mentor", offered=("sql",), level=4, time_zone="Europe/Paris")]
    prop = propose(workspace(people, {"pilot": program(max_time_zone_difference=4)}), "pilot")
    assert not prop.pairs
    [u] = prop.unmatched
    assert u.reason == ("no mentor fits the program rules: of 3 mentors, 2 are more than 4 hours away or in an unknown "
                        "time zone; 1 offers none of the skills they seek (sql), nor a related one")
    assert u.would_match == ("no mentor offers sql within 4 hours of Asia/Tokyo; 2 offer it 8 hours away "
                             "(matching.max_time_zone_difference)")
    # without the rule, the design mentor in Tokyo would be proposed on logistics alone
    loose = propose(workspace(people, {"pilot": program(max_time_zone_difference=4, shared_skill_required=False)}),
                    "pilot")
    assert [(p.mentee, p.mentor, p.why["skills"]) for p in loose.pairs] == [(pid(1), pid(10), 0.0)]


def test_no_mentor_offering_the_skill_at_all_is_said_plainly():
    people = [person(1, sought=("finance",), level=2), person(10, "mentor", offered=("design",), level=4)]
    [u] = propose(workspace(people), "pilot").unmatched
    assert u.would_match == ("no mentor in this program offers finance or a related skill: recruit one who does, or "
                             "list related skills in participants/vocabulary.yaml")


def test_min_score_keeps_weak_pairs_out_and_says_so():
    ann = person(1, sought=("python", "design"), level=2, department="eng")
    half = person(10, "mentor", offered=("python",), level=4, department="eng")  # 20 + 15 + 10 + 5 + 5 = 55
    prop = propose(workspace([ann, half], {"pilot": program(min_score=60)}), "pilot")
    assert not prop.pairs
    assert prop.unmatched[0].reason == ("no mentor fits the program rules: the only mentor would score below the "
                                        "minimum of 60 points (matching.min_score)")
    assert prop.unmatched[0].would_match == ("1 mentor would fit with a lower minimum score: the best scores 55 "
                                             "points (matching.min_score is 60)")
    assert prop.unused[0].mentor == pid(10) and "would score below the minimum of 60" in prop.unused[0].reason
    assert [p.score for p in propose(workspace([ann, half], {"pilot": program(min_score=55)}), "pilot").pairs] == [55.0]


@pytest.mark.parametrize("seed", range(8))
def test_rules_hold_and_the_optimum_matches_the_exact_assignment(seed):
    rng = random.Random(seed)
    people = random_people(rng, 25, 12, capacity=(1, 3))
    prog = program(min_score=45 + 3 * seed)
    ws = workspace(people, {"pilot": prog})
    prop = propose(ws, "pilot")
    crit = Criteria(prog, ws.vocabulary)
    for p in prop.pairs:
        assert p.score >= prog.matching.min_score
        mentee, mentor = ws.participants[p.mentee], ws.participants[p.mentor]
        assert crit.teaches(crit.features(mentee), crit.features(mentor)) or not mentee.skills_sought
    count, total = reference(ws)  # scipy's exact assignment over every pair the rules allow
    assert (len(prop.pairs), round(sum(p.score for p in prop.pairs) * 100)) == (count, total)
    assert count < 25  # the rules bite: not everyone can be matched


@pytest.mark.parametrize("fmt", ["one-to-one", "reverse", "peer"])
def test_the_fast_index_applies_both_rules_like_the_reference(fmt):
    rng = random.Random(fmt)
    people = random_people(rng, 30, 20)
    prog = program(fmt, min_score=40, shared_skill_required=True,
                   level_gap={"min": 0 if fmt == "peer" else 1, "max": 4, "ideal": 2})
    crit = Criteria(prog, VOCAB)
    mentees = sorted(people if fmt == "peer" else [p for p in people if p.role == "mentee"], key=lambda p: p.pseudonym)
    mentors = sorted(people if fmt == "peer" else [p for p in people if p.role == "mentor"], key=lambda p: p.pseudonym)
    ix = CandidateIndex(crit, mentees, mentors)
    broken = set()
    for i, a in enumerate(mentees):
        row = {ix.decode(k)[1]: ix.decode(k)[0] for k in ix.rows[i]}
        for j, b in enumerate(mentors):
            ref = crit.score(a, b)
            assert ref.eligible == (j in row), (a.pseudonym, b.pseudonym, ref.violations)
            broken |= {v.rule for v in ref.violations}
        if not row:  # the reasons count every mentor under its first broken rule
            assert sum(n for _, n in ix.ineligible_reasons(i)) == len(mentors)
    assert {"min_score", "shared_skill"} <= broken
