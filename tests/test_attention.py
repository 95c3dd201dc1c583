"""Pairs needing attention: quiet pairs, low satisfaction or health, overdue goals (coordinator only)."""

from __future__ import annotations

from mentorkit.metrics import needs_attention, program_metrics, to_json, to_markdown, to_text
from test_metrics_support import D, checkin, goal_record, make_program, person, pseudo, survey, workspace


def build():
    # As of 2026-05-01 (mentee 1's survey, the latest record). Monthly cadence: quiet after
    # 1.5 x 30.4375 = 45.66 days without a check-in.
    program = make_program()
    people = [person(n) for n in range(1, 10)] + [person(n, "mentor") for n in range(11, 20)]
    pairs = [(n, n + 10, "approved") for n in range(1, 10) if n != 7] + [(7, 17, "ended")]
    checkins = [
        checkin(1, 11, D(2026, 4, 20)),             # A: 11 days ago: fine
        checkin(2, 12, D(2026, 3, 1)),              # B: 61 days ago: quiet
        # C (3-13): never met; the program started 120 days ago: quiet
        checkin(4, 14, D(2026, 4, 25), health=2),  # D: low relationship health
        checkin(5, 15, D(2026, 4, 25), health=4),  # E: the mentor's latest satisfaction is 2
        checkin(6, 16, D(2026, 4, 25)),             # F: an overdue open goal
        # G (7-17) ended without meeting: not listed
        checkin(8, 18, D(2026, 3, 16)),             # H: 46 days > 45.66: quiet
        checkin(9, 19, D(2026, 3, 17)),             # I: 45 days: fine
    ]
    surveys = [
        survey(1, "pulse", D(2026, 5, 1), satisfaction=4),
        survey(15, "pulse", D(2026, 2, 1), satisfaction=5), survey(15, "pulse", D(2026, 4, 30), satisfaction=2),
        survey(4, "pulse", D(2026, 2, 1), satisfaction=1), survey(4, "pulse", D(2026, 4, 1), satisfaction=4),
    ]
    goals = [
        goal_record("g-1", 6, "open", D(2026, 4, 15)),      # past due on 2026-05-01
        goal_record("g-2", 6, "open", D(2026, 6, 30)),      # not yet due
        goal_record("g-3", 6, "achieved", D(2026, 3, 1)),   # closed: fine
    ]
    return workspace(program, people, pairs=pairs, checkins=checkins, surveys=surveys, goals=goals)


def reasons():
    pm = program_metrics(build(), "p")
    assert pm.as_of == D(2026, 5, 1)
    return {(a.mentee, a.mentor): a.reasons for a in pm.attention}


def test_who_needs_attention():
    assert reasons() == {
        (pseudo(2), pseudo(12)): ("no-checkin",),
        (pseudo(3), pseudo(13)): ("no-checkin",),
        (pseudo(4), pseudo(14)): ("low-health",),  # the mentee's low 1 was not the latest answer
        (pseudo(5), pseudo(15)): ("low-satisfaction",),
        (pseudo(6), pseudo(16)): ("goals-overdue",),
        (pseudo(8), pseudo(18)): ("no-checkin",),
    }


def test_details_say_why():
    items = {a.mentee: a for a in program_metrics(build(), "p").attention}
    assert items[pseudo(2)].details == ("no check-in for 61 days; the cadence allows 46",)
    assert items[pseudo(3)].details == ("no check-in for 120 days (never met); the cadence allows 46",)
    assert items[pseudo(3)].last_checkin is None
    assert items[pseudo(5)].details == ("the mentor's latest satisfaction is 2 of 5",)
    assert items[pseudo(6)].details == ("1 open goal past due: g-1",)


def test_single_session_programs_only_flag_pairs_that_never_met():
    program = make_program(cadence={"every": "once"})
    people = [person(1), person(2), person(11, "mentor"), person(12, "mentor")]
    ws = workspace(program, people, pairs=[(1, 11, "approved"), (2, 12, "approved")],
                   checkins=[checkin(1, 11, D(2026, 1, 10))], surveys=[survey(1, "final", D(2026, 5, 1), nps=9)])
    assert [(a.mentee, a.reasons) for a in program_metrics(ws, "p").attention] == [(pseudo(2), ("no-checkin",))]


def test_attention_is_in_the_coordinator_outputs_only_when_asked():
    pm = program_metrics(build(), "p")
    assert pseudo(2) in to_text(pm) and pseudo(2) in to_markdown(pm) and pseudo(2) in to_json(pm)
    for render in (to_text, to_markdown, to_json):
        assert "mk-" not in render(pm, attention=False)


def test_needs_attention_counts_pairs():
    assert needs_attention(build(), "p") == 6
    assert needs_attention(build()) == 6


def both_rated(*meetings):
    """One pair (1-11) whose meetings carry (mentee's, mentor's) ratings, a fortnight apart up to 2026-04-27."""
    program = make_program()
    people = [person(1), person(11, "mentor")]
    days = [D(2026, 4, 27 - 14 * (len(meetings) - 1 - i)) for i in range(len(meetings))]
    checkins = [checkin(1, 11, day, health=mentee, mentor_health=mentor)
                for day, (mentee, mentor) in zip(days, meetings, strict=True)]
    ws = workspace(program, people, pairs=[(1, 11, "approved")], checkins=checkins,
                   surveys=[survey(1, "pulse", D(2026, 5, 1), satisfaction=4)])
    return {a.mentee: a for a in program_metrics(ws, "p").attention}.get(pseudo(1))


def test_a_low_rating_from_either_partner_is_flagged_and_says_whose():
    mentor_low = both_rated((4, 4), (5, 2))
    assert mentor_low.reasons == ("low-health", "one-sided")
    assert mentor_low.details == ("the mentor's latest relationship health is 2 of 5",
                                  "the partners rate the relationship differently: the mentee 5, the mentor 2 of 5")
    assert both_rated((2, None)).details == ("the mentee's latest relationship health is 2 of 5",)
    assert both_rated((2, 4), (4, 4)) is None, "each partner's latest rating counts, not an earlier low one"


def test_each_partners_latest_rating_is_their_own_even_from_different_meetings():
    # the mentor rated only the first meeting (2), the mentee only the second (5): both latest ratings count
    item = both_rated((None, 2), (5, None))
    assert item.reasons == ("low-health", "one-sided")


def test_ratings_two_apart_are_one_sided_without_being_low():
    item = both_rated((5, 3))
    assert item.reasons == ("one-sided",)
    assert both_rated((5, 4)) is None and both_rated((3, 3)) is None
