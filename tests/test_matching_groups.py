"""The capacity core on groups of interchangeable people (matching/groups.py), against the person network and a
brute force.

Grouping changes the network OR-Tools solves, never the proposal: the count, the score, the previous pairs kept
and the pairs the tie-break picks must be exactly those of `flow.solve` on every pair, and of a brute force over
every proposal on small programs.
"""

from __future__ import annotations

import itertools
import random
from array import array

import numpy as np
import pytest

from matching_helpers import popular_people, program, tied_people, workspace
from mentorkit.matching import flow, groups, propose
from mentorkit.matching.candidates import CandidateIndex, pack_rows
from mentorkit.matching.rules import PairRules
from mentorkit.matching.scoring import Criteria
from mentorkit.model import PairStatus, Proposal, ProposedPair


def _record(monkeypatch, name: str) -> list:
    """What `groups.<name>` returns, call by call (it still runs)."""
    calls = []
    real = getattr(groups, name)

    def spy(*args):
        calls.append(out := real(*args))
        return out

    monkeypatch.setattr(groups, name, spy)
    return calls


class _Index:
    """The index layout `flow` and `groups` read (`candidates.pack_rows`), from a dict of pair scores."""

    def __init__(self, n: int, m: int, smax: int, scores: dict[tuple[int, int], int]):
        self.m, self.smax = m, smax
        rows = [array("q", sorted((smax - s) * m + j for (x, j), s in scores.items() if x == i)) for i in range(n)]
        self.start, self.keys, self.rows = pack_rows(rows, "q")


def _brute_force(n, m, a, b, scores, keep, floor):
    """The first optimal proposal: each mentee's options in mentor order, unmatched last; the first choice with
    the most pairs, then the best total score, then the most previous pairs kept."""
    options = [[j for j in range(m) if scores.get((i, j), -1) >= floor] + [None] if a[i] else [None]
               for i in range(n)]
    best, first = None, None
    for choice in itertools.product(*options):
        if any(choice.count(j) > b[j] for j in range(m)):
            continue
        pairs = [(i, j) for i, j in enumerate(choice) if j is not None]
        key = (len(pairs), sum(scores[p] for p in pairs), sum(p in keep for p in pairs))
        if best is None or key > best:
            best, first = key, pairs
    return first, best


def test_grouped_pick_is_the_brute_force_pick(monkeypatch):
    """Small programs of a few kinds of people (so groups form; the size threshold lowered to group them), with
    unmatched mentees, full and empty mentors, previous pairs and floors: the grouped core's pairs, count, score
    and pairs kept are the brute force's."""
    monkeypatch.setattr(groups, "PER_GROUP", 1)
    rng = random.Random(11)
    grouped = 0
    for trial in range(300):
        n, m = rng.randint(2, 7), rng.randint(1, 3)
        kinds_a, kinds_b = rng.randint(1, 2), rng.randint(1, 2)
        table = {(x, y): rng.choice([-1, 1, 2, 2, 3]) for x in range(kinds_a) for y in range(kinds_b)}
        kind_a = [rng.randrange(kinds_a) for _ in range(n)]
        kind_b = [rng.randrange(kinds_b) for _ in range(m)]
        scores = {(i, j): table[kind_a[i], kind_b[j]] for i in range(n) for j in range(m)
                  if table[kind_a[i], kind_b[j]] >= 0}
        a = [rng.choice([0, 1, 1, 1]) for _ in range(n)]
        b = [rng.choice([0, 1, 1, 2]) for _ in range(m)]
        keep = {p for p in scores if rng.random() < 0.1}
        floor = rng.choice([0, 0, 2])
        found = groups.find(_Index(n, m, 3, scores), a, b, keep)
        if found is None:
            continue
        grouped += 1
        want, key = _brute_force(n, m, a, b, scores, keep, floor)
        got = found.solve(floor)
        assert (got.pairs, len(got.pairs), got.score, got.kept) == (want, *key), trial
        assert found.max_pairs(floor) == key[0], trial
    assert grouped > 200


def _index(people, keep_every: int = 0):
    ws = workspace(people, {"pilot": program()})
    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    ix = CandidateIndex(Criteria(ws.programs["pilot"], ws.vocabulary), mentees, mentors, PairRules())
    keep = set()
    if keep_every:  # previous pairs: their mentees stand alone, their pairs rank second in the cost
        keep = {(i, ix.decode(ix.rows[i][-1])[1]) for i in range(0, len(mentees), keep_every) if len(ix.rows[i])}
    return ix, keep


@pytest.mark.parametrize("seed", range(6))
def test_grouped_core_equals_the_person_network(seed):
    """Tied programs of up to 300 x 120 people: the same pairs, score and pairs kept as `flow.solve` on every
    pair, with and without previous pairs, floors, mentees without a place and full mentors."""
    rng = random.Random(seed)
    ix, keep = _index(tied_people(rng, rng.randint(100, 300), rng.randint(10, 120), capacity=(1, 3)),
                      keep_every=rng.choice([0, 17]))
    a = [0 if rng.random() < 0.05 else 1 for _ in ix.mentees]
    b = [0 if rng.random() < 0.1 else p.mentor_capacity for p in ix.mentors]
    found = groups.find(ix, a, b, keep)
    assert found is not None
    for floor in (0, ix.smax // 3, ix.smax):
        want = flow.solve(ix, a, b, keep, floor)
        got = found.solve(floor)
        assert (got.pairs, got.score, got.kept) == (want.pairs, want.score, want.kept), floor
        assert found.max_pairs(floor) == flow.max_pairs(ix, a, b, floor) == len(want.pairs)


@pytest.mark.parametrize("seed", range(8))
def test_previous_pairs_grouped_equal_the_person_network(monkeypatch, seed):
    """Re-runs of tied programs: the previous proposal as it was (every pair still optimal), with some pairs gone
    and others added, or previous pairs drawn at random (many no longer optimal, some interchangeable). The
    previous pairs in every optimal proposal are fixed, those in none dropped, the rest stand alone: the pairs,
    score and pairs kept are `flow.solve`'s every time."""
    calls = _record(monkeypatch, "_settle")
    rng = random.Random(100 + seed)
    ix, _ = _index(tied_people(rng, rng.randint(60, 240), rng.randint(8, 80), capacity=(1, 3)))
    a = [0 if rng.random() < 0.05 else 1 for _ in ix.mentees]
    b = [0 if rng.random() < 0.1 else p.mentor_capacity for p in ix.mentors]
    floor = rng.choice([0, 0, ix.smax // 3])
    before = set(flow.solve(ix, a, b, set(), floor).pairs)
    m = len(ix.mentors)
    drawn = {(i, rng.randrange(m)) for i in range(len(a)) if rng.random() < 0.6}
    variants = [before, {p for p in before if rng.random() < 0.7} | {(i, rng.randrange(m)) for i in range(8)}, drawn]
    for variant, previous in enumerate(variants):
        keep = {(i, j) for i, j in previous if ix.pair_cents(i, j) is not None}
        want = flow.solve(ix, a, b, keep, floor)
        got = groups.find(ix, a, b, keep).solve(floor)
        if got is None:  # too many previous pairs that may or may not stay: `capacity` solves person by person
            assert variant == 2 and len(calls[-1][1]) > 40
            continue
        assert (got.pairs, got.score, got.kept) == (want.pairs, want.score, want.kept)
    fixed, open_ = calls[0]
    assert fixed and not open_  # an unchanged re-run: every previous pair in every optimal proposal
    assert any(o for _, o in calls[1:]), "some previous pairs are in some optimal proposals but not all"


def test_strong_components_are_scipys():
    """The tie-break's strong components (Tarjan's, without recursion) against scipy's, on random graphs."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rng = random.Random(2)
    for _ in range(200):
        n = rng.randint(1, 40)
        arcs = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 3 * n))]
        tail = np.array([u for u, _ in arcs], dtype=np.int64)
        head = np.array([v for _, v in arcs], dtype=np.int64)
        ours = groups._components(n, tail, head)
        _, theirs = connected_components(coo_matrix((np.ones(len(arcs)), (tail, head)), shape=(n, n)),
                                         directed=True, connection="strong")
        same = {(x, y) for x in range(n) for y in range(n) if theirs[x] == theirs[y]}
        assert {(x, y) for x in range(n) for y in range(n) if ours[x] == ours[y]} == same


def test_grouping_is_left_out_where_it_does_not_pay():
    """Varied people (few alike), mentees with several places: the person network."""
    rng = random.Random(3)
    ix, _ = _index(popular_people(rng, 300, 150))
    assert groups.find(ix, [1] * len(ix.mentees), [2] * len(ix.mentors), set()) is None
    ix, _ = _index(tied_people(rng, 300, 150))
    assert groups.find(ix, [2] * len(ix.mentees), [2] * len(ix.mentors), set()) is None
    assert groups.find(ix, [1] * len(ix.mentees), [2] * len(ix.mentors), set()) is not None


def test_proposals_are_the_same_grouped_or_not(monkeypatch):
    """End to end, a tied program and a re-run with a few previous pairs (one of them no longer the best): the
    proposal files are equal with and without grouping, and grouping did run."""
    rng = random.Random(5)
    ws = workspace(tied_people(rng, 160, 60), {"pilot": program()})
    mentees = sorted(p.pseudonym for p in ws.participants.values() if p.can_be_mentee)
    mentors = sorted(p.pseudonym for p in ws.participants.values() if p.can_mentor)
    previous = Proposal(program="pilot", format="one-to-one", pairs=[
        ProposedPair(mentee=a, mentor=rng.choice(mentors), status=PairStatus.PROPOSED, score=1.0)
        for a in rng.sample(mentees, 6)])
    calls = _record(monkeypatch, "find")
    grouped = [propose(ws, "pilot"), propose(ws, "pilot", previous)]
    assert len(calls) == 2 and all(calls)
    monkeypatch.setattr(groups, "find", lambda *args: None)
    assert [propose(ws, "pilot"), propose(ws, "pilot", previous)] == grouped


@pytest.mark.parametrize(("fmt", "fairness"), [("one-to-one", True), ("group", False), ("flash", False),
                                               ("reverse", True), ("team", False), ("team", True)])
def test_every_capacity_format_proposes_the_same_grouped_or_not(monkeypatch, fmt, fairness):
    """Group, flash, reverse and team programs, with and without a fairness floor (whose search counts pairs on
    the groups too): the same proposal file with and without grouping, and grouping did run."""
    rng = random.Random(len(fmt) + fairness)
    people = tied_people(rng, 150, 40, capacity=(1, 4))
    rules: dict = {"fairness_floor": fairness}
    if fmt == "reverse":  # the junior mentors: a window that lets them mentor the senior mentees
        rules["level_gap"] = {"min": -6, "max": 6, "ideal": -3}
    if fmt == "team":
        mentors = sorted(p.pseudonym for p in people if p.can_mentor)
        rules["teams"] = [{"id": f"t{k}", "mentors": mentors[k:k + 2]} for k in range(0, len(mentors) - 1, 2)]
    ws = workspace(people, {"pilot": program(fmt, **rules)})
    calls = _record(monkeypatch, "find")
    grouped = propose(ws, "pilot")
    assert calls and all(calls)
    monkeypatch.setattr(groups, "find", lambda *args: None)
    assert propose(ws, "pilot") == grouped
