"""Properties over random programs: no hard rule is ever broken, and locked and approved pairs survive."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching_helpers import program, random_people, workspace
from mentorkit.errors import InfeasibleMatching
from mentorkit.matching import propose
from mentorkit.matching.rules import PairRules
from mentorkit.matching.scoring import Criteria
from mentorkit.model import PairStatus, Proposal, ProposedPair

FORMATS = ["one-to-one", "group", "reverse", "mosaic", "peer"]


@st.composite
def programs(draw):
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    fmt = draw(st.sampled_from(FORMATS))
    matching = {
        "max_time_zone_difference": draw(st.sampled_from([None, 2, 4, 8])),
        "shared_language_required": draw(st.booleans()),
        "exclude_reporting_line": draw(st.booleans()),
        "one_mentee_per_team": draw(st.booleans()) if fmt != "mosaic" else False,
        "fairness_floor": draw(st.booleans()),
        "level_gap": {"min": 0, "max": 3, "ideal": 1} if fmt == "peer" else
                     ({"min": -2, "max": 6, "ideal": 2} if fmt == "reverse" else {"min": 1, "max": 5, "ideal": 2}),
    }
    if fmt in ("one-to-one", "group"):
        matching["min_cross_department_share"] = draw(st.sampled_from([None, 0.5]))
        matching["mode"] = draw(st.sampled_from(["assign", "assign", "choice"]))
    if fmt == "mosaic":
        matching["mentors_per_mentee"] = draw(st.integers(1, 3))
    n, m = draw(st.integers(0, 14)), draw(st.integers(0, 8))
    people = random_people(rng, n, m, capacity=(0, 3), teams=draw(st.sampled_from([0, 2, 4])))
    if fmt == "peer":
        people = [p.__class__(**{**p.__dict__, "role": "both"}) for p in people]
    managers = [p.pseudonym for p in people]
    people = [p.__class__(**{**p.__dict__, "reports_to": rng.choice(managers + [None] * 3)}) for p in people]
    prog = program(fmt, **matching)
    ws = workspace(people, {"pilot": prog})
    crit = Criteria(prog, ws.vocabulary)
    rules = PairRules(managers={p.pseudonym: p.reports_to for p in people},
                      exclude_reporting_line=prog.matching.exclude_reporting_line)
    mentees = [p for p in people if p.can_be_mentee or fmt == "peer"]
    mentors = [p for p in people if p.can_mentor or fmt == "peer"]
    eligible = [(a.pseudonym, b.pseudonym) for a in mentees for b in mentors
                if crit.score(a, b, rules).eligible and (fmt != "peer" or a.pseudonym < b.pseudonym)]
    locks = rng.sample(eligible, min(len(eligible), draw(st.integers(0, 2))))
    approved = rng.sample(eligible, min(len(eligible), draw(st.integers(0, 2))))
    if locks:
        ws.programs["pilot"] = program(fmt, **matching, locked=[{"mentee": a, "mentor": b} for a, b in locks])
    previous = Proposal(program="pilot", format=fmt, pairs=[ProposedPair(mentee=a, mentor=b, status="approved", score=0)
                                                           for a, b in approved])
    return ws, previous, locks, approved


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_no_hard_rule_is_ever_broken_and_locks_survive(case):
    ws, previous, locks, approved = case
    prog = ws.programs["pilot"]
    m = prog.matching
    try:
        prop = propose(ws, "pilot", previous)
    except InfeasibleMatching as exc:
        # Random locks and approvals may genuinely conflict; the message must then say which rule.
        assert any(word in str(exc) for word in ("capacity", "locked", "team", "cross-department", "at most"))
        return
    crit = Criteria(prog, ws.vocabulary)
    rules = PairRules(managers={p.pseudonym: p.reports_to for p in ws.participants.values()},
                      forbidden=[(f.mentee, f.mentor) for f in m.forbidden],
                      exclude_reporting_line=m.exclude_reporting_line)
    active = [p for p in prop.pairs if p.status != PairStatus.ENDED]
    keys = {(p.mentee, p.mentor) for p in active}
    assert len(keys) == len(active)  # no duplicate pairs
    for a, b in locks:
        assert (a, b) in keys  # locked pairs survive
    for a, b in approved:
        assert (a, b) in {(p.mentee, p.mentor) for p in active if p.status == PairStatus.APPROVED}
    fixed = set(locks) | set(approved)
    load: dict[str, int] = {}
    per_mentee: dict[str, int] = {}
    for p in active:
        assert p.mentee != p.mentor
        if (p.mentee, p.mentor) not in set(approved):  # approved pairs are commitments, kept as they are
            assert crit.score(ws.participants[p.mentee], ws.participants[p.mentor], rules).eligible
        load[p.mentor] = load.get(p.mentor, 0) + 1
        per_mentee[p.mentee] = per_mentee.get(p.mentee, 0) + 1
        if prog.format == "peer":
            load[p.mentee] = load.get(p.mentee, 0) + 1
    choice = m.mode == "choice" and prog.format in ("one-to-one", "group")
    for who, n in load.items():  # approved pairs beyond a (since lowered) capacity are kept, nothing is added
        cap = ws.participants[who].mentor_capacity
        cap = max(1, cap) if prog.format == "peer" else m.suggestions * cap if choice else cap
        assert n <= max(cap, sum(1 for f in approved if who in f))
    limit = m.suggestions if choice else m.mentors_per_mentee if prog.format == "mosaic" else 1
    if prog.format != "peer":
        assert all(n <= max(limit, sum(1 for f in fixed if f[0] == who)) for who, n in per_mentee.items())
    if m.one_mentee_per_team and not choice and prog.format != "peer":
        seen = [(p.mentor, ws.participants[p.mentee].team) for p in active if ws.participants[p.mentee].team]
        assert len(seen) == len(set(seen)) or fixed
    if m.min_cross_department_share and not choice and active:
        counted = [p for p in active if p.status != PairStatus.APPROVED or not any("applied to the new pairs" in x
                                                                                for x in prop.notes)]
        cross = sum(ws.participants[p.mentee].department != ws.participants[p.mentor].department for p in counted)
        assert cross >= m.min_cross_department_share * len(counted) - 1e-9
    assert prop.summary["matched"] + prop.summary["unmatched"] == prop.summary.get("mentees", prop.summary.get("people"))
