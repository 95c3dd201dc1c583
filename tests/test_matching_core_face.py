"""The flow core's face of optimal proposals (matching/flow.py), checked against plain reference algorithms.

`Face` reads two things off the optimal flow: node potentials (shortest distances in the residual network, from
`_potentials`), and the tight pairs that may change in some optimal proposal (`_on_cycles` drops tight pairs
on no cycle of tight residual arcs). Here both are recomputed the textbook way on the residual network of the same
flow (Bellman-Ford one arc at a time; strongly connected components from scipy), on the benchmark's shapes,
where ties, full mentors and unmatched mentees all occur.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matching_helpers import popular_people, program, random_people, tied_people, workspace
from mentorkit.matching import flow
from mentorkit.matching.candidates import CandidateIndex
from mentorkit.matching.rules import PairRules
from mentorkit.matching.scoring import Criteria


def _faces(monkeypatch, people, keep_some: bool) -> list[tuple[flow.Face, tuple]]:
    """The faces `flow.solve` builds on these people (every mentee one place, mentors their capacity), each with
    what it was built from: (n, m, a, b, i, j, cost, x), x the optimal flow OR-Tools found."""
    ws = workspace(people, {"pilot": program()})
    prog = ws.programs["pilot"]
    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    ix = CandidateIndex(Criteria(prog, ws.vocabulary), mentees, mentors, PairRules())
    faces: list[tuple[flow.Face, tuple]] = []
    real_init = flow.Face.__init__

    def capture(self, *args):
        real_init(self, *args)
        faces.append((self, args))

    monkeypatch.setattr(flow.Face, "__init__", capture)
    keep = set()
    if keep_some:  # previous pairs: the cost's second rank
        keep = {(i, ix.decode(ix.rows[i][-1])[1]) for i in range(0, len(mentees), 3) if len(ix.rows[i])}
    flow.solve(ix, [1] * len(mentees), [p.mentor_capacity for p in mentors], keep, 0)
    return faces


def _residual(args: tuple) -> list[tuple[int, int, int]]:
    """(tail, head, cost) of every arc of the residual network of flow `x`."""
    n, m, a, b, pi, pj, cost, x = args
    load_a, load_b = np.bincount(pi[x], minlength=n), np.bincount(pj[x], minlength=m)
    src, snk = n + m, n + m + 1
    arcs = []
    for k in range(len(pi)):
        i, j = int(pi[k]), n + int(pj[k])
        arcs.append((j, i, -int(cost[k])) if x[k] else (i, j, int(cost[k])))
    for i in range(n):
        if load_a[i] < a[i]:
            arcs.append((src, i, 0))
        if load_a[i] > 0:
            arcs.append((i, src, 0))
    for j in range(m):
        if load_b[j] < b[j]:
            arcs.append((n + j, snk, 0))
        if load_b[j] > 0:
            arcs.append((snk, n + j, 0))
    return arcs


def _potentials(args: tuple) -> np.ndarray:
    n, m, a, b, pi, pj, cost, x = args
    return flow._potentials(n, m, a, b, pi, pj, cost, x, np.bincount(pi[x], minlength=n),
                            np.bincount(pj[x], minlength=m))


SHAPES = [("uniform", random_people), ("popular", popular_people), ("tied", tied_people)]


@pytest.mark.parametrize(("shape", "build"), SHAPES)
@pytest.mark.parametrize("seed", [1, 2])
def test_potentials_are_the_shortest_distances(monkeypatch, shape, build, seed):
    """`_potentials` equals Bellman-Ford run arc by arc from a root joined to every node at cost 0."""
    rng = random.Random(seed)
    people = build(rng, 40 + 10 * seed, 12, capacity=(1, 3))  # more mentees than places: some unmatched
    faces = _faces(monkeypatch, people, keep_some=seed == 2)
    assert faces
    for _, args in faces:
        arcs = _residual(args)
        d = [0] * (args[0] + args[1] + 2)
        for _ in range(len(d)):
            changed = False
            for t, h, c in arcs:
                if d[t] + c < d[h]:
                    d[h] = d[t] + c
                    changed = True
            if not changed:
                break
        else:
            pytest.fail("negative cycle: the flow was not optimal")
        assert _potentials(args).tolist() == d


@pytest.mark.parametrize(("shape", "build"), SHAPES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_face_keeps_every_tight_pair_on_a_tight_cycle(monkeypatch, shape, build, seed):
    """The face drops only pairs no optimal proposal can change: it keeps every tight pair whose two ends are
    strongly connected by tight residual arcs (some cycle of equally good changes runs through it), keeps no pair
    that is not tight, and on these shapes drops some tight pairs (the trimming is not idle)."""
    rng = random.Random(seed)
    people = build(rng, 30 + 10 * seed, 14, capacity=(1, 3))
    faces = _faces(monkeypatch, people, keep_some=seed == 3)
    assert faces
    dropped = 0
    for face, args in faces:
        n, m, _, _, pi, pj, cost, _ = args
        d = _potentials(args)
        tight_arcs = [(t, h) for t, h, c in _residual(args) if c + d[t] - d[h] == 0]
        t, h = (np.array(v, dtype=np.int64) for v in zip(*tight_arcs, strict=True))
        graph = coo_matrix((np.ones(len(t)), (t, h)), shape=(n + m + 2, n + m + 2)).tocsr()
        _, part = connected_components(graph, directed=True, connection="strong")
        tight = cost + d[pi] - d[n + pj] == 0
        on_cycle = tight & (part[pi] == part[n + pj])
        assert not (on_cycle & ~face.tight).any()
        assert not (face.tight & ~tight).any()
        dropped += int(tight.sum() - face.tight.sum())
    assert dropped > 0 or shape == "tied"
