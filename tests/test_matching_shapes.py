"""Matching on the shapes real sign-ups produce (bench/shapes.py): popular mentors, massive ties, uniform.

Each is checked against something mentorkit did not write: scipy's exact assignment for the count and the
total score, a brute force over every assignment for the side rules and for the tie-break among optimal
solutions.
"""

import hashlib
import itertools
import random

import pytest

from matching_helpers import brute_force, popular_people, program, random_people, reference, tied_people, workspace
from mentorkit.matching import MatchOptions, capacity, match, propose, tiebreak
from mentorkit.matching.scoring import Criteria
from mentorkit.repo.proposal_files import proposal_to_yaml

SHAPES = {"uniform": random_people, "popular": popular_people, "tied": tied_people}


@pytest.mark.parametrize("shape", SHAPES)
def test_count_and_total_equal_linear_sum_assignment(shape):
    for seed in range(8):
        rng = random.Random(seed)
        people = SHAPES[shape](rng, rng.randint(4, 40), rng.randint(2, 20), capacity=(1, 3))
        ws = workspace(people, {"pilot": program()})
        result = match(ws, "pilot", options=MatchOptions(candidates=rng.choice([0, 1, 2])))
        prop = result.proposal
        assert (prop.summary["matched"], round(prop.summary["total_score"] * 100)) == reference(ws), (shape, seed)
        assert prop.solver["guarantee"].startswith("proven optimal over all")


@pytest.mark.parametrize("shape", ["popular", "tied"])
@pytest.mark.parametrize("rules", [{"min_cross_department_share": 0.5}, {"one_mentee_per_team": True},
                                   {"fairness_floor": True}])
def test_side_rules_on_hard_shapes_against_brute_force(shape, rules):
    for seed in range(3):
        rng = random.Random(200 + seed)
        ws = workspace(SHAPES[shape](rng, 6, 3, capacity=(1, 2), teams=2), {"pilot": program(**rules)})
        prop = propose(ws, "pilot", options=MatchOptions(candidates=1))
        scores = [round(p.score * 100) for p in prop.pairs]
        got = (len(prop.pairs), min(scores, default=0) if rules.get("fairness_floor") else 0, sum(scores))
        assert got == brute_force(ws), (shape, rules, seed)


def _tie_weight(a: str, b: str) -> int:
    """The documented tie-break weight, written out again: blake2b (8 bytes) of each pseudonym, the two mixed
    by SplitMix64's finaliser, 1..1023."""
    mask = 2**64 - 1
    ha, hb = (int.from_bytes(hashlib.blake2b(x.encode(), digest_size=8).digest(), "big") for x in (a, b))
    z = (ha ^ (hb * 0x9E3779B97F4A7C15)) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return 1 + (z ^ (z >> 31)) % 1023


def _best_by_brute_force(ws):
    """Among all assignments: most pairs, then highest total, then highest sum of tie weights."""
    prog = ws.programs["pilot"]
    crit = Criteria(prog, ws.vocabulary)
    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    options = [[None] + [j for j, b in enumerate(mentors) if crit.score(a, b).eligible] for a in mentees]
    best, best_pairs = None, None
    for choice in itertools.product(*options):
        load: dict[int, int] = {}
        for j in choice:
            if j is not None:
                load[j] = load.get(j, 0) + 1
        if any(n > mentors[j].mentor_capacity for j, n in load.items()):
            continue
        pairs = [(a, mentors[j]) for a, j in zip(mentees, choice, strict=True) if j is not None]
        key = (len(pairs), sum(crit.score(a, b).cents for a, b in pairs),
               sum(_tie_weight(a.pseudonym, b.pseudonym) for a, b in pairs))
        if best is None or key > best:
            best, best_pairs = key, {(a.pseudonym, b.pseudonym) for a, b in pairs}
    return best_pairs


@pytest.mark.parametrize("face_start", [1, 3])
def test_ties_are_broken_as_documented_over_every_optimal_solution(face_start, monkeypatch):
    """Massive ties: the pick among optimal solutions is the documented one (the highest sum of tie weights),
    also when the tie-break LP starts from a single face pair per mentee and must price in the rest."""
    monkeypatch.setattr(tiebreak, "FACE_WHOLE", 0)
    monkeypatch.setattr(tiebreak, "FACE_START", face_start)
    monkeypatch.setattr(tiebreak, "FACE_ADD", 1)
    for seed in range(6):
        rng = random.Random(300 + seed)
        ws = workspace(tied_people(rng, 6, 3, capacity=(1, 2)), {"pilot": program()})
        got = {(p.mentee, p.mentor) for p in propose(ws, "pilot").pairs}
        assert got == _best_by_brute_force(ws), seed


def test_tied_population_gives_the_same_bytes_whatever_the_row_order():
    people = tied_people(random.Random(5), 60, 30)
    first = proposal_to_yaml(propose(workspace(people), "pilot"))
    shuffled = list(people)
    random.Random(1).shuffle(shuffled)
    assert proposal_to_yaml(propose(workspace(shuffled), "pilot")) == first


def test_the_guarantee_names_the_proof_used(monkeypatch):
    ws = workspace(popular_people(random.Random(3), 30, 12), {"pilot": program()})
    exact = propose(ws, "pilot").solver["guarantee"]
    assert "integer prices" in exact and "exact integer arithmetic" in exact and "tolerance" not in exact
    monkeypatch.setattr(capacity, "certify", lambda *a: None)
    monkeypatch.setattr(capacity, "repair", lambda *a: None)
    lp = propose(ws, "pilot", options=MatchOptions(live=False)).solver["guarantee"]  # the PuLP path
    assert "to the LP solver's tolerance" in lp and "column generation" in lp
