"""Scoring: named criteria with hand-computed values, hard rules in words, and the fast index agreeing with them."""

import random

import pytest

from matching_helpers import person, pid, program, random_people, vocabulary
from mentorkit.matching.candidates import CandidateIndex
from mentorkit.matching.rules import PairRules
from mentorkit.matching.scoring import Criteria, cents, data_notes, score_pair

VOCAB = vocabulary()


def test_two_by_two_by_hand():
    """Default weights: skills 40, goals 10, interests 10, department 10, level 15, time zone 10, language 5,
    meeting mode 5 (level gap window 1..4, ideal 2; cross-department preferred)."""
    prog = program()
    ann = person(1, sought=("python", "negotiation"), goals=("leadership",), interests=("music", "chess"),
                 level=2, department="eng", languages=("en", "de"), mode="in-person", location="berlin")
    bea = person(2, sought=("writing",), level=3, department="sales", time_zone="America/New_York")
    carl = person(3, "mentor", offered=("python", "influencing"), goals=("leadership", "balance"),
                  interests=("music",), level=4, department="sales", languages=("en",), mode="either",
                  location="berlin")
    dana = person(4, "mentor", offered=("writing",), level=9, department="eng", time_zone="Europe/London",
                  mode="virtual")

    s = score_pair(prog, VOCAB, ann, carl)
    # skills: python offered (1) + negotiation via related influencing (1/2) over 2 sought = 0.75 x 40
    # goals 1/1 x 10; interests 1/2 x 10; cross-department; gap 2 = ideal; same zone; 1 of 2 languages;
    # both can meet in person in berlin
    assert s.parts == {"skills": 30.0, "goals": 10.0, "interests": 5.0, "department": 10.0, "level": 15.0,
                       "time_zone": 10.0, "language": 2.5, "meeting_mode": 5.0}
    assert s.total == 87.5 and s.cents == 8750 and s.eligible

    s = score_pair(prog, VOCAB, ann, dana)  # gap 7: outside the window; in-person vs virtual: cannot meet
    assert s.parts["level"] == 0 and s.parts["meeting_mode"] == 0 and s.parts["department"] == 0
    assert [v.text for v in s.violations] == [  # and Dana teaches neither python nor negotiation
        "level gap 7 outside 1..4", "the mentor offers none of the sought skills (python, negotiation), nor a related one"]

    s = score_pair(prog, VOCAB, bea, carl)  # New York vs Berlin in January: 6 hours, 2 of 8 working hours shared
    assert s.parts["time_zone"] == 2.5 and s.parts["level"] == 10.0  # gap 1: 1 - 1/3 of 15
    # max_time_zone_difference defaults to 6; Carl teaches none of Bea's sought skills (the shared-skill rule)
    assert [v.rule for v in s.violations] == ["shared_skill"]

    s = score_pair(prog, VOCAB, bea, dana)  # New York vs London: 5 hours; gap 6
    assert s.parts["skills"] == 40.0 and s.parts["time_zone"] == 3.75
    assert [v.rule for v in s.violations] == ["level_gap"]


def test_hard_rules_in_words():
    prog = program(max_time_zone_difference=4)
    a = person(1, level=1, time_zone="Asia/Singapore", languages=("fr",), reports_to=pid(9))
    b = person(2, "mentor", level=7, time_zone="Europe/Berlin", languages=("en",))
    texts = [v.text for v in score_pair(prog, VOCAB, a, b).violations]
    assert texts == ["level gap 6 outside 1..4", "time zones 7 h apart (max 4)", "no shared language"]

    boss = person(9, "mentor", level=3)
    rules = PairRules(managers={pid(1): pid(9), pid(9): None}, forbidden=[(pid(1), pid(2))],
                      cooldown={(pid(2), pid(1)): "spring"})
    assert [v.text for v in score_pair(program(), VOCAB, a, boss, rules).violations][-1] == "same reporting line"
    assert "forbidden in the program file" in [v.text for v in rules.check(pid(2), pid(1))]
    assert PairRules(cooldown={(pid(1), pid(2)): "spring"}).check(pid(2), pid(1))[0].text == "cooldown: paired in spring"


def test_reporting_line_covers_the_whole_chain_both_ways():
    rules = PairRules(managers={pid(1): pid(2), pid(2): pid(3), pid(3): None, pid(4): pid(3)})
    assert rules.check(pid(1), pid(3)) and rules.check(pid(3), pid(1))  # skip-level manager, either direction
    assert not rules.check(pid(1), pid(4))  # same skip-level manager, different line
    assert PairRules(managers={pid(1): pid(2)}, exclude_reporting_line=False).check(pid(1), pid(2)) == []


def test_reverse_mentoring_measures_the_gap_the_other_way():
    prog = program("reverse", level_gap={"min": 2, "max": 5, "ideal": 3})
    senior = person(1, level=7)
    junior = person(2, "mentor", level=4)
    assert score_pair(prog, VOCAB, senior, junior).eligible  # 7 - 4 = 3, the ideal
    assert score_pair(prog, VOCAB, senior, junior).parts["level"] == 15.0
    assert not score_pair(program(), VOCAB, senior, junior).eligible  # the same pair in a normal program: gap -3


def test_peer_scores_are_symmetric_and_use_the_absolute_gap():
    prog = program("peer", level_gap={"min": 0, "max": 2, "ideal": 0})
    a = person(1, "both", sought=("python",), offered=("sql",), level=4, interests=("music",))
    b = person(2, "both", sought=("design",), offered=("python",), level=3, interests=("music", "film"))
    ab, ba = score_pair(prog, VOCAB, a, b), score_pair(prog, VOCAB, b, a)
    assert ab == ba and ab.eligible
    assert ab.parts["skills"] == 20.0  # a gets 40 (python offered), b gets 0: the mean
    assert ab.parts["interests"] == 7.5  # 1/1 and 1/2 of 10: mean 7.5
    assert ab.parts["level"] == 10.0  # |gap| 1: 1 - 1/3 of 15


def test_time_zones_use_the_program_start_date():
    """Offsets are read at the program's start date: New York is 6 h from Berlin in January, 6 h in July too,
    but 5 h in the weeks when only one side has changed to summer time."""
    a, b = person(1, time_zone="America/New_York"), person(2, "mentor", level=5, time_zone="Europe/Berlin")
    import datetime as dt

    from mentorkit.model import Timeline

    winter = program()
    march = winter.model_copy(update={"timeline": Timeline(start=dt.date(2026, 3, 20), end=dt.date(2026, 12, 1))})
    assert Criteria(winter, VOCAB).tz_minutes(Criteria(winter, VOCAB).offset(a.time_zone),
                                              Criteria(winter, VOCAB).offset(b.time_zone)) == 360
    c = Criteria(march, VOCAB)
    assert c.tz_minutes(c.offset(a.time_zone), c.offset(b.time_zone)) == 300
    assert c.offset("Mars/Olympus") is None
    assert [v.text for v in score_pair(winter, VOCAB, person(1, time_zone="Mars/Olympus"), b).violations] == [
        "unknown time zone 'Mars/Olympus'"]


def test_zero_weights_and_any_department_drop_parts():
    prog = program(weights={"skills": 40, "goals": 0, "interests": 0, "department": 10, "level": 0,
                            "time_zone": 0, "language": 0, "meeting_mode": 0}, department="any")
    s = score_pair(prog, VOCAB, person(1, sought=("python",)), person(2, "mentor", offered=("python",), level=5))
    assert s.parts == {"skills": 40.0}


def test_rounding_is_exact_half_up():
    assert cents(10, 1, 3) == 333 and cents(10, 2, 3) == 667 and cents(12.5, 1, 2) == 625
    assert cents(0.125, 1, 2) == 6  # 6.25 hundredths -> 6; no float drift either way
    assert cents(15, 2, 3) == 1000


@pytest.mark.parametrize("fmt", ["one-to-one", "reverse", "peer"])
def test_fast_index_agrees_with_the_reference_on_every_pair(fmt):
    rng = random.Random(fmt)
    people = random_people(rng, 40, 25)
    prog = program(fmt, level_gap={"min": 0 if fmt == "peer" else 1, "max": 4, "ideal": 2},
                   max_time_zone_difference=5, shared_skill_required=False)
    mentees = sorted(people if fmt == "peer" else [p for p in people if p.role == "mentee"], key=lambda p: p.pseudonym)
    mentors = sorted(people if fmt == "peer" else [p for p in people if p.role == "mentor"], key=lambda p: p.pseudonym)
    rules = PairRules(forbidden=[(mentees[0].pseudonym, mentors[1].pseudonym)],
                      managers={mentees[2].pseudonym: mentors[3].pseudonym})
    crit = Criteria(prog, VOCAB)
    ix = CandidateIndex(crit, mentees, mentors, rules)
    checked = 0
    for i, a in enumerate(mentees):
        row = dict((j, s) for s, j in map(ix.decode, ix.rows[i]))
        assert list(ix.rows[i]) == sorted(ix.rows[i])  # best first, ties by mentor order
        for j, b in enumerate(mentors):
            ref = crit.score(a, b, rules)
            assert ref.eligible == (j in row), (a.pseudonym, b.pseudonym, ref.violations)
            if ref.eligible:
                assert row[j] == ref.cents
                checked += 1
    assert checked > 20
    assert sum(n for _, n in ix.ineligible_reasons(0)) + len(ix.rows[0]) == len(mentors)


def test_mostly_empty_criteria_are_reported():
    prog = program(weights={"interests": 10, "goals": 0})
    mentees = [person(k, interests=("music",) if k == 1 else ()) for k in range(1, 6)]
    mentors = [person(10 + k, "mentor", level=5, offered=("python",)) for k in range(3)]
    notes = data_notes(Criteria(prog, VOCAB), mentees, mentors)
    assert "weight 'interests' is 10 but 80% of mentees have no interests: it barely affects matching" in notes
    assert any(n.startswith("weight 'interests' is 10 but no mentor has interests") for n in notes)
    assert any(n.startswith("weight 'skills' is 40 but no mentee has skills sought") for n in notes)
    assert not any("goals" in n for n in notes)  # weight 0: not reported
