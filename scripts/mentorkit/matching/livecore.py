"""The pure b-matching core on a live LP: column generation with warm starts, numpy pricing, an exact proof.

For the capacity model without side rules (the count is exact from `bmatching`; this
is the score stage, every pair earning its score plus a bonus), `score_stage` keeps
one `live.LiveLP` for the whole stage: rows per mentee and mentor, the model's pairs
as columns, and the pairs that price in added round after round. Every eligible pair
is priced in one vectorised pass over `flat.Flat` (the eligible pairs as arrays, a
part at a time, so memory grows with the keys of the pairs and the model, not with
temporaries per pair).

The proof (`verify`) is LP duality checked in integers (scores in cents): the LP's
duals, rounded, give prices u (mentees) and v (mentors), u, v >= 0; with
w = max(0, c - u_i - v_j) per eligible pair they are a feasible dual of the LP over
*all* eligible pairs (x <= 1 included), so sum(a u) + sum(b v) + sum(w) bounds every
solution. The solution is optimal iff it meets that bound exactly. A bound of the
same kind, round by round (`_bound`), is the gap the progress line shows. The model
is totally unimodular, so the LP optimum is the integer optimum. The LP is kept small
(`MatchOptions.live_candidates`, `live_per_round`): the dual simplex slows down far
more than linearly with the columns added at once.

`face_tie_break` is `tiebreak.on_optimal_face` on the same arrays: the tie-break LP
over every optimal solution, also column-generated on a live LP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .candidates import Pair
from .certificate import Prices
from .flat import Flat, Part
from .live import LiveLP
from .master import Master
from .solver import Progress
from .tiebreak import person_hash

TIE_TOL = 1e-6  # the tie-break LP only picks among solutions already proven optimal


@dataclass
class StageResult:
    cols: list[Pair]  # the model's pairs, sorted
    values: list[float]
    duals: dict[str, float]  # "e{i}", "r{j}": as `solver.Sol`
    objective: float
    prices: Prices | None  # exact optimal prices (one mentor per mentee), when proven
    proven: bool
    rounds: int
    solves: int


def _reduced(c: np.ndarray, u: np.ndarray, v: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """c - u[i] - v[j] per pair, exactly: in int32 when no value can overflow it (4 bytes a pair, one
    temporary at a time), else in int64."""
    top = sum(int(np.abs(x).max(initial=0)) for x in (c, u, v))
    dt = np.int32 if top < 2**31 - 1 else np.int64
    rc = c.astype(dt)
    np.subtract(rc, u.astype(dt)[i], out=rc)
    np.subtract(rc, v.astype(dt)[j], out=rc)
    return rc


def _costs(s: np.ndarray, bonus: int) -> np.ndarray:
    """Each pair's objective, score + bonus (int32 when it fits)."""
    if int(s.max(initial=0)) + bonus < 2**31 - 1:
        return s.astype(np.int32) + np.int32(bonus)
    return s.astype(np.int64) + bonus


def _alive(part: Part, floor: int, has_a: np.ndarray, has_b: np.ndarray) -> np.ndarray:
    """The pairs the stage counts: scoring at least `floor`, both sides with room."""
    return (part.s >= floor) & has_a[part.i] & has_b[part.j]


def _top_per_mentee(idx: np.ndarray, mentee: np.ndarray, rc: np.ndarray, k: int) -> np.ndarray:
    """Of the pairs `idx` (ascending, so grouped by mentee), at most k per mentee: the highest rc (ties: row
    order). k passes of a per-group maximum: a sort of a million pairs costs more than the few passes k takes."""
    n = len(idx)
    if n == 0:
        return idx
    starts = np.flatnonzero(np.concatenate([[True], mentee[1:] != mentee[:-1]]))
    sizes = np.diff(np.append(starts, n))
    if int(sizes.max()) <= k:
        return idx
    group = np.repeat(np.arange(len(starts)), sizes)
    work = rc.astype(np.float64)  # exact: reduced costs are far below 2**53
    picked = np.zeros(n, dtype=bool)
    for _ in range(k):
        top = np.maximum.reduceat(work, starts)[group]
        hit = np.flatnonzero((work == top) & (top > -np.inf))
        if not len(hit):
            break
        first = hit[np.concatenate([[True], group[hit[1:]] != group[hit[:-1]]])]  # each group's first best
        picked[first] = True
        work[first] = -np.inf
    return idx[picked]


def _columns(lp: LiveLP, mentee: np.ndarray, mentor: np.ndarray, cost: np.ndarray, upper: np.ndarray, n: int,
             extra_row: int | None = None) -> None:
    """Add pairs as columns: 1 in their mentee's row i, their mentor's row n + j, and `extra_row`."""
    per = 2 if extra_row is None else 3
    rows = [mentee, n + mentor]
    if extra_row is not None:
        rows.append(np.full(len(mentee), extra_row, dtype=np.int64))
    index = np.stack(rows, axis=1).reshape(-1)
    starts = np.arange(0, per * len(mentee) + 1, per)
    lp.add_columns(cost, upper, starts, index, np.ones(len(index)))


def verify(flat: Flat, floor: int, bonus: int, a: np.ndarray, b: np.ndarray, chosen: np.ndarray, u: np.ndarray,
           v: np.ndarray) -> tuple[bool, int]:
    """Exact LP duality in integers: (is `chosen` optimal over every pair scoring at least `floor` between
    people with room, each earning score + bonus; the dual bound). `u`, `v` are integer prices (see the
    module's docstring)."""
    has_a, has_b = a > 0, b > 0
    ci, cj, cs = flat.at(chosen)
    load_i = np.bincount(ci, minlength=len(a))
    load_j = np.bincount(cj, minlength=len(b))
    feasible = bool((load_i <= a).all() and (load_j <= b).all() and (cs >= floor).all()
                    and has_a[ci].all() and has_b[cj].all()) and len(np.unique(chosen)) == len(chosen)
    uu = np.where(has_a, u, 0)
    vv = np.where(has_b, v, 0)
    positive = 0
    for part in flat.parts():
        rc = _reduced(_costs(part.s, bonus), uu, vv, part.i, part.j)
        np.maximum(rc, 0, out=rc)
        positive += int(rc[_alive(part, floor, has_a, has_b)].sum(dtype=np.int64))
    bound = int((a * uu).sum()) + int((b * vv).sum()) + positive
    value = int((cs + bonus).sum())
    return feasible and bool((u >= 0).all() and (v >= 0).all()) and value == bound, bound


class _Bound:
    """An upper bound on the stage's optimum from prices u, v >= 0 (LP duality, as `verify`), for the progress
    line, gathered part by part: per mentee the better of its price u_i (plus its pairs' positive reduced costs)
    and, for a mentee of one place, u_i raised to its best pair's c - v_j (then no pair of theirs has a positive
    reduced cost)."""

    def __init__(self, n: int):
        self.extra = np.zeros(n)
        self.best = np.zeros(n)

    def add(self, part: Part, c: np.ndarray, rc: np.ndarray, alive: np.ndarray, v: np.ndarray) -> None:
        if not len(part.first):
            return
        who = part.i[part.first]
        self.extra[who] += np.add.reduceat(np.where(alive, np.maximum(rc, 0), 0), part.first, dtype=np.int64)
        cv = np.where(alive, c - v.astype(c.dtype)[part.j], 0)
        self.best[who] = np.maximum(np.maximum.reduceat(cv, part.first), 0)

    def total(self, a: np.ndarray, b: np.ndarray, u: np.ndarray, v: np.ndarray) -> float:
        per = a * u + self.extra
        per = np.where(a == 1, np.minimum(per, self.best), per)
        return float(per.sum() + (b * v).sum())


def score_stage(master: Master, flat: Flat, floor: int, bonus: int, per_round: int,
                progress: Progress | None = None) -> StageResult | None:
    """The score stage over every eligible pair scoring at least `floor`: each pair earns score + bonus.

    None when the LP solver failed or the proof did not close (the caller falls back to the PuLP path)."""
    n, mm = len(master.a), len(master.b)
    a = np.asarray(master.a, dtype=np.int64)
    b = np.asarray(master.b, dtype=np.int64)
    has_a, has_b = a > 0, b > 0
    in_model = np.zeros(len(flat), dtype=bool)
    first = sorted(k for k, s in master.cols.items() if s >= floor)
    seed = np.array([flat.position(i, j, master.cols[(i, j)]) for i, j in first], dtype=np.int64)
    lp = LiveLP(np.full(n + mm, -np.inf), np.concatenate([a, b]).astype(np.float64))
    model = [seed]
    in_model[seed] = True

    def add(cols: np.ndarray) -> None:  # a mentee of one place needs no bound of 1 on their pairs
        i, j, s = flat.at(cols)
        _columns(lp, i, j, (s + bonus).astype(np.float64), np.where(a[i] <= 1, np.inf, 1.0), n)

    add(seed)
    clock, rounds = time.perf_counter(), 0
    while True:
        sol = lp.solve()
        rounds += 1
        if not sol.optimal:
            return None
        u = np.rint(sol.row_dual[:n]).astype(np.int64)
        v = np.rint(sol.row_dual[n:]).astype(np.int64)
        up, vp = np.maximum(u, 0), np.maximum(v, 0)
        found, bound = [], _Bound(n)
        for part in flat.parts():
            c = _costs(part.s, bonus)
            rc = _reduced(c, up, vp, part.i, part.j)
            alive = _alive(part, floor, has_a, has_b)
            if progress is not None:
                bound.add(part, c, rc, alive, vp)
            out = rc > 0
            out &= alive
            out &= ~in_model[part.lo:part.hi]
            pos = np.flatnonzero(out)
            if len(pos):
                found.append(_top_per_mentee(pos + part.lo, part.i[pos], rc[pos], per_round))
        if progress is not None:
            progress(time.perf_counter() - clock, rounds, max(0.0, bound.total(a, b, up, vp) - sol.objective) / 100)
        if not found:
            break
        new = np.concatenate(found)
        in_model[new] = True
        model.append(new)
        add(new)
        ni, nj, ns = flat.at(new)
        for i, j, s in zip(ni.tolist(), nj.tolist(), ns.tolist(), strict=True):
            master.cols[(i, j)] = s
    idx = np.concatenate(model)
    x = sol.values
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:
        return None  # not a vertex of the TU polytope: numerical trouble, let the PuLP path decide
    chosen = idx[np.rint(x) > 0.5]
    proven, _ = verify(flat, floor, bonus, a, b, chosen, u, v)
    if not proven:
        return None
    mi, mj, _ = flat.at(idx)
    by_pair = dict(zip(zip(mi.tolist(), mj.tolist(), strict=True), np.rint(x).tolist(), strict=True))
    cols = sorted(k for k, s in master.cols.items() if s >= floor)
    values = [by_pair.get(p, 0.0) for p in cols]
    duals = {f"e{i}": float(u[i]) for i in range(n)} | {f"r{j}": float(v[j]) for j in range(mm)}
    ci, cj, cs = flat.at(chosen)
    objective = float((cs + bonus).sum())
    prices = None
    if (a <= 1).all():
        own = {i: (j, s + bonus) for i, j, s in zip(ci.tolist(), cj.tolist(), cs.tolist(), strict=True)}
        prices = Prices([int(x) for x in v], own)
    return StageResult(cols, values, duals, objective, prices, True, rounds, lp.solves)


class TieWeights:
    """`tiebreak.tie_objective` for many pairs at once, the same numbers (`tiebreak.mix` in uint64 arithmetic,
    which wraps as the masked integers do): `big` for a previous pair, plus its tie weight."""

    def __init__(self, master: Master, big: int):
        ix = master.ix
        self.h1 = np.array([person_hash(p.pseudonym) for p in ix.mentees], dtype=np.uint64)
        self.h2 = np.array([person_hash(p.pseudonym) for p in ix.mentors], dtype=np.uint64)
        self.m, self.big = ix.m, big
        self.kept = np.array(sorted(i * ix.m + j for i, j in master.keep), dtype=np.int64)

    def __call__(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        z = self.h1[mentee] ^ (self.h2[mentor] * np.uint64(0x9E3779B97F4A7C15))
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
        weight = (z % np.uint64(1023)).astype(np.int64) + 1
        if len(self.kept):
            weight += np.where(np.isin(mentee.astype(np.int64) * self.m + mentor, self.kept), self.big, 0)
        return weight


def face_tie_break(master: Master, flat: Flat, prices: Prices, floor: int, bonus: int, matched: int,
                   face_whole: int, face_start: int, face_add: int) -> list[Pair] | None:
    """`tiebreak.on_optimal_face` on arrays and a live LP: the tie objective's optimum over every optimal
    solution (pairs of zero reduced cost under exact optimal prices, rows with a positive price kept full).
    The face is one flag per pair; its pairs' tie weights are computed part by part as pricing needs them."""
    n, mm = len(master.a), len(master.b)
    a = np.asarray(master.a, dtype=np.int64)
    b = np.asarray(master.b, dtype=np.int64)
    has_a, has_b = a > 0, b > 0
    v = np.asarray(prices.mentor, dtype=np.int64)
    u = np.zeros(n, dtype=np.int64)
    own_mentor = np.full(n, -1, dtype=np.int64)
    for i, (j, c) in prices.own.items():
        u[i] = c - v[j]
        own_mentor[i] = j
    face = np.zeros(len(flat), dtype=bool)
    for part in flat.parts():
        on = _alive(part, floor, has_a, has_b)
        on &= _reduced(part.s, u - bonus, v, part.i, part.j) == 0  # score + bonus - u_i - v_j
        face[part.lo:part.hi] = on
    size = int(np.count_nonzero(face))
    chosen = sorted((i, j) for i, (j, _) in prices.own.items())
    if size == len(chosen):
        return chosen
    weights = TieWeights(master, 1024 * (size + 1))
    lower = np.concatenate([np.where(u > 0, a, -np.inf), np.where(v > 0, b, -np.inf), [matched]])
    upper = np.concatenate([a, b, [np.inf]]).astype(np.float64)
    lp = LiveLP(lower.astype(np.float64), upper)
    if size <= face_whole:
        start = np.flatnonzero(face)
    else:
        first = []
        for part in flat.parts():
            pos = np.flatnonzero(face[part.lo:part.hi])
            fi, fj = part.i[pos], part.j[pos]
            top = _top_per_mentee(pos + part.lo, fi, weights(fi, fj), face_start)
            first.append(np.union1d(top, pos[own_mentor[fi] == fj] + part.lo))
        start = np.concatenate(first)
    in_model = np.zeros(len(flat), dtype=bool)
    model = [start]
    in_model[start] = True

    def add(cols: np.ndarray) -> None:
        i, j, _ = flat.at(cols)
        _columns(lp, i, j, weights(i, j).astype(np.float64), np.ones(len(cols)), n, n + mm)

    add(start)
    while True:
        sol = lp.solve()
        if not sol.optimal:
            return None
        d = sol.row_dual
        found = []
        for part in flat.parts():
            pos = np.flatnonzero(face[part.lo:part.hi] & ~in_model[part.lo:part.hi])
            fi, fj = part.i[pos], part.j[pos]
            rc = weights(fi, fj) - d[fi] - d[n + fj] - d[n + mm]
            out = rc > TIE_TOL
            if out.any():
                found.append(_top_per_mentee(pos[out] + part.lo, fi[out], rc[out], face_add))
        if not found:
            break
        new = np.concatenate(found)
        in_model[new] = True
        model.append(new)
        add(new)
    x = sol.values
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:
        return None
    idx = np.concatenate(model)
    pi, pj, _ = flat.at(np.sort(idx[np.rint(x) > 0.5]))
    return list(zip(pi.tolist(), pj.tolist(), strict=True))
