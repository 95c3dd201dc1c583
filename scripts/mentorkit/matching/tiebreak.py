"""Ties: among optimal solutions, keep the most previous pairs, then a fixed pseudo-random preference.

The preference (`tie_weight`) depends on the pseudonyms only, so the same input
gives the same proposal whatever the row order of participants.csv. For the
capacity model the pick is made on the optimal face of the score LP: over every
eligible pair when exact prices are known (`on_optimal_face`: the same proposal
from CBC and from HiGHS), else among the model's pairs (`on_model_face`); with
side rules, an integer program with the score fixed by a row (`among_candidates`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from ..model import Participant
from .candidates import Pair
from .certificate import Prices
from .master import ExtraRow, Master, no_objective, sum_scores
from .solver import TOL, Row, Sol, Solver, integral

_MASK = 2**64 - 1


def person_hash(pseudonym: str) -> int:
    """A person's 64-bit hash (blake2b of the pseudonym): the raw material of their pairs' tie weights."""
    return int.from_bytes(hashlib.blake2b(pseudonym.encode(), digest_size=8).digest(), "big")


def mix(first: int, second: int) -> int:
    """A pair's 64-bit hash from its two people's (SplitMix64's finaliser, order-sensitive): one blake2b per
    person rather than per pair, so a million pairs take numpy milliseconds (`livecore.tie_objective`)."""
    z = (first ^ (second * 0x9E3779B97F4A7C15)) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def tie_weight(a: str, b: str) -> int:
    """A fixed pseudo-random weight 1..1023 per pair: with such weights the optimum is unique with high
    probability (isolation lemma), and it depends on the pseudonyms only, never on row order."""
    return 1 + mix(person_hash(a), person_hash(b)) % 1023


def tie_objective(pairs: Iterable[Pair], keep: set[Pair], first: Sequence[Participant],
                  second: Sequence[Participant], big: int) -> list[int]:
    """Per pair: `big` if the previous proposal had it (big must outweigh any sum of tie weights), plus its
    tie weight."""
    h1 = [person_hash(p.pseudonym) for p in first]
    h2 = h1 if first is second else [person_hash(p.pseudonym) for p in second]
    return [(big if p in keep else 0) + 1 + mix(h1[p[0]], h2[p[1]]) % 1023 for p in pairs]


def among_candidates(master: Master, solver: Solver, floor: int, total: float, sol: Sol, cols: list[Pair],
                     extra: list[ExtraRow], obj: list[int]) -> list[Pair]:
    """The integer program's tie-break: the score is fixed by a row."""
    score_row = ExtraRow("score", sum_scores, ">=", total)
    _, _, rows = master.model(floor, no_objective, extra + [score_row])
    final = solver.solve(obj, rows, integer=True)
    if final.status != "Optimal":  # cannot happen: the score solution is feasible
        final = sol
    return [c for c, v in zip(cols, final.values, strict=True) if v > 0.5]


def on_model_face(master: Master, solver: Solver, floor: int, sol: Sol, cols: list[Pair], extra: list[ExtraRow],
                  bonus: int, obj: list[int]) -> list[Pair]:
    """The tie-break among the model's pairs, on the optimal face of the score LP: pairs with zero reduced cost
    are free, pairs with positive reduced cost stay chosen, rows with a non-zero dual stay tight. Any solution
    there is score-optimal, and the face of a totally unimodular system is integral."""
    duals = sol.duals
    rc = []
    for i, j in cols:
        r = master.cols[(i, j)] + bonus - duals.get(f"e{i}", 0.0) - duals.get(f"r{j}", 0.0) - duals.get("count", 0.0)
        rc.append(r)
    free = [k for k, r in enumerate(rc) if abs(r) <= TOL]
    chosen = [k for k, v in enumerate(sol.values) if v > 0.5]
    if all(sol.values[k] > 0.5 for k in free):  # no alternative optimum among the model's pairs
        return [cols[k] for k in chosen]
    ones = [k for k, r in enumerate(rc) if r > TOL]
    keepk = sorted(set(free) | set(ones))
    sub = {k: n for n, k in enumerate(keepk)}
    rows = []
    _, _, full_rows = master.model(floor, no_objective, extra)
    for row in full_rows:
        coefs = [(sub[k], c) for k, c in row.coefs if k in sub]
        if not coefs:
            continue
        tight = abs(duals.get(row.name, 0.0)) > TOL
        rows.append(Row(row.name, coefs, "=" if tight else row.sense, row.rhs))
    final = solver.solve([obj[k] for k in keepk], rows, ones=[sub[k] for k in ones])
    if final.status != "Optimal" or not integral(final.values):
        return [cols[k] for k in chosen]  # numerical trouble: the score-optimal solution stands
    return [cols[k] for k, v in zip(keepk, final.values, strict=True) if v > 0.5]


FACE_WHOLE = 20_000  # a face up to this many pairs goes into the tie-break LP whole (one solve)
FACE_START = 3  # first face pairs per mentee in the tie-break LP (its best by tie objective, and its own pair)
FACE_ADD = 8  # at most this many priced-in face pairs per mentee and round


def on_optimal_face(master: Master, solver: Solver, prices: Prices, floor: int, bonus: int, matched: int
                    ) -> list[Pair] | None:
    """The tie-break over every optimal solution, not just those among the model's pairs.

    With exact optimal prices (from the certificate), the optimal solutions are exactly the feasible ones
    that use only pairs of zero reduced cost, among *all* eligible pairs, and fill every row whose price is
    positive. That set does not depend on the solver or on which pairs column generation happened to add,
    so neither does the pick. The set is the face of a totally unimodular system, so its LP optimum is
    integral. When scores tie massively the face holds most eligible pairs, so its LP is solved by column
    generation too (`_face_lp`): the model holds a few face pairs per mentee, and the rest are priced.
    """
    ix, m, smax = master.ix, master.ix.m, master.ix.smax
    v, own = prices
    limit = (smax - floor + 1) * m
    pairs: list[Pair] = []
    starts: dict[int, int] = {}  # mentee -> index of its first face pair (each mentee's pairs are contiguous)
    u = {}
    for i, row in enumerate(ix.rows):
        if master.a[i] <= 0:
            continue
        ui = own[i][1] - v[own[i][0]] if i in own else 0
        u[i] = ui
        starts[i] = len(pairs)
        for key in row:
            if key >= limit:
                break
            q, j = divmod(key, m)
            c = smax - q + bonus
            if c < ui:
                break  # sorted: every later pair has a negative reduced cost
            if c - ui == v[j] and master.b[j] > 0:
                pairs.append((i, j))
    chosen = sorted((i, own_j) for i, (own_j, _) in own.items())
    if len(pairs) == len(chosen):
        return chosen  # no other optimal pair anywhere: the solution is unique
    obj = tie_objective(pairs, master.keep, ix.mentees, ix.mentors, 1024 * (len(pairs) + 1))
    ranges = {i: (k, starts[nxt] if nxt is not None else len(pairs))
              for i, k, nxt in zip(starts, starts.values(), [*list(starts)[1:], None], strict=True)}
    picked = _face_lp(master, solver, pairs, obj, ranges, own, u, v, matched)
    return None if picked is None else [pairs[k] for k in picked]


def _face_lp(master: Master, solver: Solver, pairs: list[Pair], obj: list[int], ranges: dict[int, tuple[int, int]],
             own: dict[int, tuple[int, int]], u: dict[int, int], v: list[int], matched: int) -> list[int] | None:
    """Column generation on the optimal face: the tie objective's LP over a few face pairs per mentee, then
    every face pair priced against its duals (to the solver's tolerance: the score's optimality is already
    proven, this only picks among optimal solutions) until none can improve it."""
    model: set[int] = set(range(len(pairs))) if len(pairs) <= FACE_WHOLE else set()
    obj_top = {i: max(obj[lo:hi], default=0) for i, (lo, hi) in ranges.items()}
    for i, (lo, hi) in ranges.items():
        best = sorted(range(lo, hi), key=lambda k: -obj[k])[:FACE_START]
        model.update(best)
        if i in own:
            model.update(k for k in range(lo, hi) if pairs[k][1] == own[i][0])
    while True:
        ks = sorted(model)
        by_i: dict[int, list[tuple[int, float]]] = {}
        by_j: dict[int, list[tuple[int, float]]] = {}
        for n, k in enumerate(ks):
            i, j = pairs[k]
            by_i.setdefault(i, []).append((n, 1.0))
            by_j.setdefault(j, []).append((n, 1.0))
        rows = [Row(f"e{i}", c, "=" if u[i] > 0 else "<=", master.a[i]) for i, c in sorted(by_i.items())]
        rows += [Row(f"r{j}", c, "=" if v[j] > 0 else "<=", master.b[j]) for j, c in sorted(by_j.items())]
        rows.append(Row("count", [(n, 1.0) for n in range(len(ks))], ">=", matched))
        sol = solver.solve([obj[k] for k in ks], rows)
        if sol.status != "Optimal":
            return None
        d, dc = sol.duals, sol.duals.get("count", 0.0)
        dv = [d.get(f"r{j}", 0.0) for j in range(len(master.b))]
        low_v = min(0.0, *dv)  # rows held at "=" have duals of either sign
        new: list[int] = []
        for i, (lo, hi) in ranges.items():
            top = obj_top[i] - d.get(f"e{i}", 0.0) - dc - low_v  # no face pair of i can price in above this
            if top <= TOL:
                continue
            edge = d.get(f"e{i}", 0.0) + dc + TOL
            found = [(edge + dv[j] - obj[k], k) for k, (_, j) in zip(range(lo, hi), pairs[lo:hi], strict=True)
                     if obj[k] > edge + dv[j] and k not in model]
            if found:
                found.sort()
                new += [k for _, k in found[:FACE_ADD]]
        if not new:
            break
        model.update(new)
    if not integral(sol.values):
        return None
    return [k for k, x in zip(ks, sol.values, strict=True) if x > 0.5]
