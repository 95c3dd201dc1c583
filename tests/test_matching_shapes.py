"""Matching on the shapes real sign-ups produce (bench/shapes.py): popular mentors, massive ties, uniform.

Each is checked against something mentorkit did not write: scipy's exact assignment for the count and the
total score, a brute force over every assignment for the side rules and for the tie-break among optimal
solutions (tests/test_matching_tiebreak.py).
"""

import random

import pytest

from matching_helpers import brute_force, popular_people, program, random_people, reference, tied_people, workspace
from mentorkit.matching import match, propose
from mentorkit.repo.proposal_files import proposal_to_yaml

SHAPES = {"uniform": random_people, "popular": popular_people, "tied": tied_people}


@pytest.mark.parametrize("shape", SHAPES)
def test_count_and_total_equal_linear_sum_assignment(shape):
    for seed in range(8):
        rng = random.Random(seed)
        people = SHAPES[shape](rng, rng.randint(4, 40), rng.randint(2, 20), capacity=(1, 3))
        ws = workspace(people, {"pilot": program()})
        result = match(ws, "pilot")
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
        prop = propose(ws, "pilot")
        scores = [round(p.score * 100) for p in prop.pairs]
        got = (len(prop.pairs), min(scores, default=0) if rules.get("fairness_floor") else 0, sum(scores))
        assert got == brute_force(ws), (shape, rules, seed)


def test_tied_population_gives_the_same_bytes_whatever_the_row_order():
    people = tied_people(random.Random(5), 60, 30)
    first = proposal_to_yaml(propose(workspace(people), "pilot"))
    shuffled = list(people)
    random.Random(1).shuffle(shuffled)
    assert proposal_to_yaml(propose(workspace(shuffled), "pilot")) == first


def test_the_guarantee_names_the_method():
    ws = workspace(popular_people(random.Random(3), 30, 12), {"pilot": program()})
    exact = propose(ws, "pilot").solver["guarantee"]
    assert "network flow" in exact and "whole numbers" in exact and "tolerance" not in exact
    side = workspace(popular_people(random.Random(3), 30, 12), {"pilot": program(one_mentee_per_team=True)})
    assert "network flow" not in propose(side, "pilot").solver["guarantee"]  # side rules: an integer program
