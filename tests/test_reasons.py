"""Reasons in words: what a pair shares, in the proposal file, `mentorkit diff` and the pull-request comment."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from matching_helpers import START, person, pid, program, vocabulary, workspace
from mentorkit.ci.text import MARKER, comment
from mentorkit.matching import propose
from mentorkit.matching.explain import shared_window
from mentorkit.matching.scoring import Criteria
from mentorkit.model import PairFit, Proposal, ProposedPair, Unmatched, UnusedPlaces
from mentorkit.proposals.diff import diff_proposals
from mentorkit.repo.proposal_files import parse_proposal, proposal_to_yaml

ZONES = ["Europe/London", "Asia/Kolkata", "America/New_York", "Australia/Sydney", "Pacific/Auckland", "Asia/Tokyo",
         "America/Los_Angeles", "Europe/Berlin"]


def working_day_utc(zone: str) -> tuple[dt.datetime, dt.datetime]:
    """09:00-17:00 local on the program's start date, in UTC (zoneinfo does the arithmetic)."""
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(START, dt.time(9), tz).astimezone(dt.UTC)
    return start, start + dt.timedelta(hours=8)


@pytest.mark.parametrize("a, b", list(itertools.combinations(ZONES, 2)))
def test_shared_working_hours_agree_with_zoneinfo_and_the_score(a, b):
    crit = Criteria(program(), vocabulary())
    (sa, ea), (sb, eb) = working_day_utc(a), working_day_utc(b)
    best = dt.timedelta(0)
    start = None
    for shift in (-1, 0, 1):  # the other person's day before, on, or after the same date
        lo, hi = max(sa, sb + dt.timedelta(days=shift)), min(ea, eb + dt.timedelta(days=shift))
        if hi - lo > best:
            best, start = hi - lo, lo
    window = shared_window(crit.offset(a), crit.offset(b))
    assert window is not None and window[1] == best.total_seconds() / 60
    if best:
        assert window[0] == start.hour * 60 + start.minute
    # and the time-zone criterion pays exactly that share of the working day
    assert crit.tz_cents(crit.tz_minutes(crit.offset(a), crit.offset(b))) == (2000 * window[1] + 480) // 960  # half up


def test_a_pair_in_kolkata_and_london_shares_two_and_a_half_hours():
    ann = person(1, sought=("sql", "negotiation", "design"), goals=("leadership", "balance"), interests=("music",),
                 level=2, time_zone="Asia/Kolkata", languages=("en", "de"), mode="either", location="london",
                 department="eng")
    carl = person(2, "mentor", offered=("sql", "influencing"), goals=("leadership",), interests=("music", "chess"),
                  level=4, time_zone="Europe/London", languages=("en",), mode="in-person", location="london",
                  department="sales")
    prop = propose(workspace([ann, carl], {"pilot": program(max_time_zone_difference=None)}), "pilot")
    [pair] = prop.pairs
    assert pair.fit == PairFit(skills=["sql"], related_skills={"negotiation": "influencing"}, missing_skills=["design"],
                               goals=["leadership"], interests=["music"], languages=["en"], level_gap=2,
                               shared_hours=2.5, shared_hours_utc="09:00-11:30", meet=["in-person at london"])
    assert pair.reasons == {
        "skills": "offers sql; negotiation through the related skill influencing; not design",
        "goals": "both want leadership",
        "interests": "both enjoy music",
        "department": "different departments (eng, sales)",
        "level": "level gap 2 (ideal 2, allowed 1 to 4)",
        "time_zone": "2.5 of 8 working hours shared (Asia/Kolkata and Europe/London; 09:00-11:30 UTC)",
        "language": "both speak en",
        "meeting_mode": "can meet in person at london",
    }
    assert list(pair.reasons) == list(pair.why)  # the words sit beside the points, criterion by criterion
    text = proposal_to_yaml(prop)
    assert "    time_zone: 2.5 of 8 working hours shared" in text
    assert parse_proposal(text).pairs == prop.pairs
    assert proposal_to_yaml(parse_proposal(text)) == text  # rewriting what was read changes nothing


def test_peers_share_skills_both_ways():
    a = person(1, "both", offered=("python",), sought=("negotiation",), capacity=1)
    b = person(2, "both", offered=("negotiation",), sought=("python",), capacity=1)
    prop = propose(workspace([a, b], {"pilot": program("peer", level_gap={"min": 0, "max": 2, "ideal": 0})}), "pilot")
    [pair] = prop.pairs
    assert pair.fit is not None and pair.fit.skills == ["negotiation", "python"]


def test_unused_mentor_places_are_listed_with_a_reason():
    people = [person(1, sought=("python",), level=2), person(10, "mentor", offered=("python",), level=4, capacity=3),
              person(11, "mentor", offered=("python",), level=9)]
    prop = propose(workspace(people), "pilot")
    assert [(u.mentor, u.places) for u in prop.unused] == [(pid(10), 2), (pid(11), 1)]
    assert prop.unused[0].reason == "no other mentee fits the program rules with them"  # Ann is theirs already
    assert prop.unused[1].reason == ("no mentee fits the program rules with them: of the mentees, 1 is outside the "
                                     "career-stage window (level gap 1 to 4)")
    assert "unused:\n- mentor: mk-0000000a\n  places: 2\n" in proposal_to_yaml(prop)


def _pair(mentee, mentor, score, **kw):
    return ProposedPair(mentee=pid(mentee), mentor=pid(mentor), score=score, why={"skills": 30.0, "level": 0.0},
                        reasons={"skills": "offers sql", "level": "level gap 6 (ideal 2, allowed 1 to 7)"}, **kw)


def test_the_diff_shows_reasons_next_best_unmatched_and_unused():
    old = Proposal(program="pilot", format="one-to-one", pairs=[_pair(1, 10, 30.0)])
    new = Proposal(program="pilot", format="one-to-one",
                   pairs=[_pair(1, 11, 30.0, next_best={"mentor": pid(10), "score": 29.5, "fully_booked": True}),
                          _pair(2, 10, 30.0)],
                   unmatched=[Unmatched(mentee=pid(3), reason="no mentor fits the program rules: ...",
                                        would_match="no mentor offers sql within 4 hours of Asia/Tokyo; 2 offer it 8 "
                                                    "hours away (matching.max_time_zone_difference)")],
                   unused=[UnusedPlaces(mentor=pid(12), places=2, reason="no mentee fits the program rules with them")])
    d = diff_proposals(old, new)
    text = d.to_text()
    assert f"    why: skills 30: offers sql; next best: {pid(10)} (29.50, fully booked)" in text
    assert "    would match: no mentor offers sql within 4 hours of Asia/Tokyo; 2 offer it 8 hours away" in text
    assert f"  {pid(12)} (2 places): no mentee fits the program rules with them" in text
    md = d.to_markdown()
    assert f"| `{pid(1)}` | `{pid(10)}` | `{pid(11)}` | 30.00 → 30.00 | skills 30: offers sql; next best: " in md
    assert "| What would match them |" in md and "| `mk-0000000c` | 2 | no mentee fits" in md
    assert "level 0" not in md  # criteria that earned nothing stay out of the one-line why (skills always shows)


def test_a_large_proposal_comment_stays_under_githubs_limit_with_a_note():
    fit = PairFit(skills=["sql"], goals=["leadership"], languages=["en"], level_gap=2, shared_hours=6.0,
                  shared_hours_utc="08:00-14:00", meet=["virtual"])
    reasons = {"skills": "offers sql; data-analysis through the related skill python; not cloud-basics",
               "level": "level gap 2 (ideal 2, allowed 1 to 4)",
               "time_zone": "6 of 8 working hours shared (Europe/Berlin and Europe/London; 08:00-14:00 UTC)"}
    pairs = [ProposedPair(mentee=f"mk-{k:08x}", mentor=f"mk-{k + 100_000:08x}", score=70.0, fit=fit, reasons=reasons,
                          why={"skills": 40.0, "level": 15.0, "time_zone": 15.0},
                          next_best={"mentor": f"mk-{k + 200_000:08x}", "score": 69.0, "fully_booked": True})
             for k in range(3000)]
    unmatched = [Unmatched(mentee=f"mk-{k + 300_000:08x}", reason="every mentor who fits is fully booked → …",
                           would_match="one more place with mk-00000001") for k in range(500)]
    big = Proposal(program="grow", format="one-to-one", pairs=pairs, unmatched=unmatched)
    md = diff_proposals(None, big).to_markdown()
    assert len(md.encode()) > 500_000
    text = comment({"grow": md, "connect": "**1 pair removed.**\n"})
    assert text.startswith(MARKER) and len(text.encode()) <= 65_536
    assert "### `connect`\n\n**1 pair removed.**" in text  # the short diff is whole
    assert "_The full list is too long for this page: " in text and "(GitHub's limit is 65,536 characters)" in text
    kept = [line for line in text.splitlines() if line.startswith("| `mk-")]
    assert len(kept) > 100 and all(line.endswith("|") for line in kept)  # whole table rows only
