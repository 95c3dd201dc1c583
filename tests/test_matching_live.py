"""The live path of the capacity core (matching/live.py, matching/livecore.py): a warm-started HiGHS LP,
numpy pricing and an exact integer proof. Checked against scipy's linear_sum_assignment (count and total),
the PuLP path (the same bytes), a brute force with side rules, and the proof against broken solutions.
"""

import random

import numpy as np
import pytest

from matching_helpers import brute_force, popular_people, program, random_people, reference, tied_people, workspace
from mentorkit.matching import MatchOptions, capacity, match, propose, tiebreak
from mentorkit.matching.flat import Flat
from mentorkit.matching.livecore import TieWeights, verify
from mentorkit.repo.proposal_files import proposal_to_yaml

SHAPES = {"uniform": random_people, "popular": popular_people, "tied": tied_people}


def _live_used(monkeypatch) -> list:
    """Record every score stage the live path proved (so a silent fallback to PuLP fails the test)."""
    seen: list = []
    real = capacity.score_stage

    def spy(*args, **kw):
        got = real(*args, **kw)
        seen.append(got)
        return got

    monkeypatch.setattr(capacity, "score_stage", spy)
    return seen


@pytest.mark.parametrize("shape", SHAPES)
def test_live_core_equals_linear_sum_assignment_and_the_pulp_path(shape, monkeypatch):
    seen = _live_used(monkeypatch)
    for seed in range(10):
        rng = random.Random(900 + seed)
        people = SHAPES[shape](rng, rng.randint(4, 60), rng.randint(2, 30), capacity=(1, 3))
        ws = workspace(people, {"pilot": program()})
        opt = MatchOptions(live_candidates=rng.choice([0, 1, 2]), live_per_round=rng.choice([1, 8]))
        prop = match(ws, "pilot", options=opt).proposal
        assert (prop.summary["matched"], round(prop.summary["total_score"] * 100)) == reference(ws), (shape, seed)
        assert "exact integer arithmetic" in prop.solver["guarantee"]
        slow = propose(ws, "pilot", options=MatchOptions(live=False))
        assert proposal_to_yaml(prop) == proposal_to_yaml(slow), (shape, seed)
    assert seen and all(s is not None and s.proven for s in seen)


@pytest.mark.parametrize("shape", SHAPES)
def test_passes_in_parts_write_the_same_proposal(shape, monkeypatch):
    """Pricing, the proof and the optimal face read the pairs a part at a time (matching/flat.py): parts of a
    few pairs (a part ends where a mentee's row does), must give the one-part answer, with a
    fairness floor (pairs below it skipped in every part) and with previous pairs kept."""
    from mentorkit.matching import flat

    seen = _live_used(monkeypatch)
    for seed in range(4):
        rng = random.Random(700 + seed)
        people = SHAPES[shape](rng, rng.randint(10, 40), rng.randint(4, 15), capacity=(1, 3))
        ws = workspace(people, {"pilot": program(fairness_floor=bool(seed % 2))})
        monkeypatch.setattr(tiebreak, "FACE_WHOLE", 0 if seed >= 2 else 20_000)  # the face LP priced in parts
        whole = propose(ws, "pilot")
        monkeypatch.setattr(flat, "CHUNK", rng.choice([1, 5, 17]))
        assert proposal_to_yaml(propose(ws, "pilot")) == proposal_to_yaml(whole), (shape, seed)
        again = propose(ws, "pilot", previous=whole)
        monkeypatch.setattr(flat, "CHUNK", 1 << 21)
        assert proposal_to_yaml(again) == proposal_to_yaml(propose(ws, "pilot", previous=whole)), (shape, seed)
    assert seen and all(s is not None and s.proven for s in seen)  # proven in parts: no fallback to PuLP


@pytest.mark.parametrize("rules", [{"min_cross_department_share": 0.5}, {"one_mentee_per_team": True},
                                   {"fairness_floor": True}])
def test_side_rules_keep_their_exact_answer(rules):
    for seed in range(3):
        rng = random.Random(950 + seed)
        ws = workspace(popular_people(rng, 6, 3, capacity=(1, 2), teams=2), {"pilot": program(**rules)})
        prop = propose(ws, "pilot", options=MatchOptions(candidates=1))
        scores = [round(p.score * 100) for p in prop.pairs]
        got = (len(prop.pairs), min(scores, default=0) if rules.get("fairness_floor") else 0, sum(scores))
        assert got == brute_force(ws), (rules, seed)
        slow = propose(ws, "pilot", options=MatchOptions(candidates=1, live=False))
        assert proposal_to_yaml(prop) == proposal_to_yaml(slow), (rules, seed)


def test_the_face_tie_break_is_column_generated_to_the_same_pick(monkeypatch):
    """With the face LP started from one pair per mentee, pricing must bring in the rest and pick the same."""
    people = tied_people(random.Random(11), 40, 20)
    first = proposal_to_yaml(propose(workspace(people), "pilot"))
    monkeypatch.setattr(tiebreak, "FACE_WHOLE", 0)
    monkeypatch.setattr(tiebreak, "FACE_START", 1)
    monkeypatch.setattr(tiebreak, "FACE_ADD", 1)
    assert proposal_to_yaml(propose(workspace(people), "pilot")) == first


def test_tie_objective_on_arrays_equals_the_documented_one():
    ws = workspace(tied_people(random.Random(4), 12, 6), {"pilot": program()})
    ix = capacity_index(ws)
    (part,) = Flat(ix).parts()
    pairs = list(zip(part.i.tolist(), part.j.tolist(), strict=True))

    class M:  # the two attributes tie_objective reads
        pass

    m = M()
    m.ix, m.keep = ix, {pairs[3], pairs[10]}
    want = tiebreak.tie_objective(pairs, m.keep, ix.mentees, ix.mentors, 1024 * (len(pairs) + 1))
    assert TieWeights(m, 1024 * (len(pairs) + 1))(part.i, part.j).tolist() == want


def capacity_index(ws):
    from mentorkit.matching.candidates import CandidateIndex
    from mentorkit.matching.scoring import Criteria

    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    return CandidateIndex(Criteria(ws.programs["pilot"], ws.vocabulary), mentees, mentors)


def test_the_proof_refuses_what_is_not_optimal():
    """verify() is LP duality in integers: the live path's own solution and prices pass; a worse solution, one
    over capacity, or prices that leave a pair outside the solution a positive reduced cost all fail."""
    from mentorkit.matching.bmatching import greedy
    from mentorkit.matching.livecore import score_stage
    from mentorkit.matching.master import Master, SideRules

    ws = workspace(popular_people(random.Random(2), 30, 12, capacity=(1, 2)), {"pilot": program()})
    ix = capacity_index(ws)
    a, b = [1] * len(ix.mentees), [p.mentor_capacity for p in ix.mentors]
    master = Master(ix, a, b, set(), SideRules(), 0)
    master.seed(0, greedy(ix, a, b))
    bonus = ix.smax + 1
    got = score_stage(master, Flat(ix), 0, bonus, 1)
    assert got is not None and got.proven and got.prices is not None
    flat = Flat(ix)
    chosen = np.array(sorted(flat.position(i, j, master.cols[(i, j)]) for i, (j, _) in got.prices.own.items()))
    v = np.array(got.prices.mentor, dtype=np.int64)
    u = np.zeros(len(a), dtype=np.int64)
    for i, (j, cij) in got.prices.own.items():
        u[i] = cij - v[j]
    aa, bb = np.array(a), np.array(b)
    ok, bound = verify(flat, 0, bonus, aa, bb, chosen, u, v)
    assert ok and bound == round(got.objective) == reference(ws)[0] * bonus + reference(ws)[1]
    assert not verify(flat, 0, bonus, aa, bb, chosen[1:], u, v)[0]  # one pair fewer
    assert not verify(flat, 0, bonus, aa, bb, np.concatenate([chosen, chosen[:1]]), u, v)[0]  # a pair twice
    assert not verify(flat, 0, bonus, aa, bb, chosen, np.zeros_like(u), v)[0]  # prices that prove nothing
    assert not verify(Flat(ix, chunk=7), 0, bonus, aa, bb, chosen, np.zeros_like(u), v)[0]  # the same, in parts
    assert verify(Flat(ix, chunk=7), 0, bonus, aa, bb, chosen, u, v) == (True, bound)


def test_a_highspy_without_the_bare_solver_object_falls_back_to_pulp(monkeypatch):
    """live.py drives highspy's undocumented `_core._Highs`: a release without it must not break matching."""
    import highspy._core

    from mentorkit.matching import live

    assert live.available()
    monkeypatch.delattr(highspy._core, "_Highs")
    assert not live.available()
    seen = _live_used(monkeypatch)
    rng = random.Random(7)
    ws = workspace(random_people(rng, 30, 12, capacity=(1, 3)), {"pilot": program()})
    prop = match(ws, "pilot").proposal
    assert (prop.summary["matched"], round(prop.summary["total_score"] * 100)) == reference(ws)
    assert seen == [], "the live path was not used"


def test_top_per_mentee_keeps_the_k_best_of_each_mentee_ties_in_row_order():
    """The per-group maximum passes of `_top_per_mentee` pick what a full sort (mentee, best first, then row
    order) would: ties, groups smaller than k, empty input."""
    from mentorkit.matching.livecore import _top_per_mentee

    def by_sorting(idx, mentee, rc, k):
        order = sorted(range(len(idx)), key=lambda t: (mentee[t], -rc[t], idx[t]))
        kept, seen = [], {}
        for t in order:
            seen[mentee[t]] = seen.get(mentee[t], 0) + 1
            if seen[mentee[t]] <= k:
                kept.append(idx[t])
        return sorted(kept)

    rng = np.random.default_rng(3)
    for trial in range(200):
        n = int(rng.integers(0, 40))
        mentee = np.sort(rng.integers(0, 6, n)).astype(np.int32)
        idx = np.sort(rng.choice(1000, n, replace=False))
        rc = rng.integers(-3, 4, n) + (0.5 if trial % 2 else 0)
        for k in (1, 2, 8):
            assert _top_per_mentee(idx, mentee, rc, k).tolist() == by_sorting(idx, mentee, rc, k), (trial, k)
