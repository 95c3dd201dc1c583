"""The pure b-matching core on a live LP: column generation with warm starts, numpy pricing, an exact proof.

For the capacity model without side rules (the count is exact from `bmatching`; this
is the score stage, every pair earning its score plus a bonus), `score_stage` keeps
one `live.LiveLP` for the whole stage: rows per mentee and mentor, the model's pairs
as columns, and the pairs that price in added round after round. Every eligible pair
is priced in one vectorised pass over `Flat` (all eligible pairs as arrays).

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

import bisect
import hashlib
import time
from dataclasses import dataclass

import numpy as np

from .candidates import CandidateIndex, Pair
from .certificate import Prices
from .live import LiveLP
from .master import Master
from .solver import Progress

TIE_TOL = 1e-6  # the tie-break LP only picks among solutions already proven optimal


class Flat:
    """Every eligible pair of a `CandidateIndex` as arrays, in row order (by mentee, each best first)."""

    def __init__(self, ix: CandidateIndex):
        n, m = len(ix.rows), ix.m
        lens = np.fromiter((len(r) for r in ix.rows), dtype=np.int64, count=n)
        self.start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lens, out=self.start[1:])
        self.i = np.repeat(np.arange(n, dtype=np.int32), lens)  # 4 bytes a pair each: memory grows with pairs
        self.j = np.empty(len(self.i), dtype=np.int32)
        self.s = np.empty(len(self.i), dtype=np.int32)
        for k, r in enumerate(ix.rows):  # row by row: no copy of every 8-byte key at once
            if len(r):
                q, j = np.divmod(np.frombuffer(r, dtype=np.int64), m)
                lo, hi = self.start[k], self.start[k + 1]
                self.j[lo:hi] = j
                self.s[lo:hi] = ix.smax - q
        self.ix = ix

    def __len__(self) -> int:
        return len(self.s)

    def position(self, i: int, j: int, s: int) -> int:
        """Where pair (i, j) of score s sits in the arrays."""
        return int(self.start[i]) + bisect.bisect_left(self.ix.rows[i], self.ix.key(s, j))


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


def _costs(flat: Flat, bonus: int) -> np.ndarray:
    """Each pair's objective, score + bonus (int32 when it fits)."""
    if int(flat.s.max(initial=0)) + bonus < 2**31 - 1:
        return flat.s + np.int32(bonus)
    return flat.s.astype(np.int64) + bonus


def _alive(flat: Flat, floor: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The pairs the stage counts: scoring at least `floor`, both sides with room."""
    return (flat.s >= floor) & (a > 0)[flat.i] & (b > 0)[flat.j]


def _top_per_mentee(idx: np.ndarray, mentee: np.ndarray, rc: np.ndarray, k: int) -> np.ndarray:
    """Of the pairs `idx`, at most k per mentee: the highest rc (ties: row order)."""
    order = np.lexsort((idx, -rc, mentee))
    g = mentee[order]
    n = len(g)
    first = np.ones(n, dtype=bool)
    first[1:] = g[1:] != g[:-1]
    pos = np.arange(n)
    rank = pos - np.maximum.accumulate(np.where(first, pos, 0))
    return np.sort(idx[order[rank < k]])


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


def verify(flat: Flat, alive: np.ndarray, c: np.ndarray, a: np.ndarray, b: np.ndarray, chosen: np.ndarray,
           u: np.ndarray, v: np.ndarray) -> tuple[bool, int]:
    """Exact LP duality in integers: (is `chosen` optimal over every pair in `alive`, the dual bound).

    `c` holds each pair's objective (integer; only alive pairs count), `u`, `v` integer prices (see the module's
    docstring)."""
    n_mentee, n_mentor = len(a), len(b)
    load_i = np.bincount(flat.i[chosen], minlength=n_mentee)
    load_j = np.bincount(flat.j[chosen], minlength=n_mentor)
    feasible = bool((load_i <= a).all() and (load_j <= b).all() and alive[chosen].all()) \
        and len(np.unique(chosen)) == len(chosen)
    uu = np.where(a > 0, u, 0)
    vv = np.where(b > 0, v, 0)
    if alive.all():
        rc = _reduced(c, uu, vv, flat.i, flat.j)
    else:
        idx = np.flatnonzero(alive)
        rc = _reduced(c[idx], uu, vv, flat.i[idx], flat.j[idx])
    bound = int((a * uu).sum()) + int((b * vv).sum()) + int(np.maximum(rc, 0).sum(dtype=np.int64))
    value = int(c[chosen].sum(dtype=np.int64))
    return feasible and bool((u >= 0).all() and (v >= 0).all()) and value == bound, bound


def _bound(a: np.ndarray, b: np.ndarray, u: np.ndarray, v: np.ndarray, ii: np.ndarray, jj: np.ndarray,
           c: np.ndarray, rc: np.ndarray, starts: np.ndarray) -> float:
    """An upper bound on the stage's optimum from prices u, v >= 0 (LP duality, as `verify`), for the progress
    line: per mentee the better of its price u_i (plus its pairs' positive reduced costs) and, for a mentee of one
    place, u_i raised to its best pair's c - v_j (then no pair of theirs has a positive reduced cost). Pairs
    (mentees `ii`, grouped, the groups beginning at `starts`; mentors `jj`; objective `c`; reduced cost `rc`)."""
    per = (a * u).astype(np.float64)
    if len(ii):
        who = ii[starts]
        per[who] += np.add.reduceat(np.maximum(rc, 0), starts, dtype=np.int64)
        cv = c.astype(rc.dtype)
        cv -= v.astype(rc.dtype)[jj]
        best = np.zeros(len(a))
        best[who] = np.maximum(np.maximum.reduceat(cv, starts), 0)
        del cv
        per = np.where(a == 1, np.minimum(per, best), per)
    return float(per.sum() + (b * v).sum())


def score_stage(master: Master, flat: Flat, floor: int, bonus: int, per_round: int,
                progress: Progress | None = None) -> StageResult | None:
    """The score stage over every eligible pair scoring at least `floor`: each pair earns score + bonus.

    None when the LP solver failed or the proof did not close (the caller falls back to the PuLP path)."""
    n, mm = len(master.a), len(master.b)
    a = np.asarray(master.a, dtype=np.int64)
    b = np.asarray(master.b, dtype=np.int64)
    c_all = _costs(flat, bonus)
    alive = _alive(flat, floor, a, b)
    if alive.all():  # the usual case: views, no copies (memory grows with the pairs)
        alive_idx, ii, jj, c_alive = None, flat.i, flat.j, c_all
    else:
        alive_idx = np.flatnonzero(alive)
        ii, jj, c_alive = flat.i[alive_idx], flat.j[alive_idx], c_all[alive_idx]
    starts = np.flatnonzero(np.diff(ii, prepend=-1)) if progress is not None and len(ii) else np.zeros(0, np.int64)
    in_model = np.zeros(len(flat), dtype=bool)
    first = sorted(k for k, s in master.cols.items() if s >= floor)
    seed = np.array([flat.position(i, j, master.cols[(i, j)]) for i, j in first], dtype=np.int64)
    lp = LiveLP(np.full(n + mm, -np.inf), np.concatenate([a, b]).astype(np.float64))
    model = [seed]
    in_model[seed] = True

    def add(cols: np.ndarray) -> None:  # a mentee of one place needs no bound of 1 on their pairs
        _columns(lp, flat.i[cols], flat.j[cols], c_all[cols].astype(np.float64),
                 np.where(a[flat.i[cols]] <= 1, np.inf, 1.0), n)

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
        rc = _reduced(c_alive, up, vp, ii, jj)
        out = rc > 0
        out &= ~(in_model if alive_idx is None else in_model[alive_idx])
        if progress is not None:
            bound = _bound(a, b, up, vp, ii, jj, c_alive, rc, starts)
            progress(time.perf_counter() - clock, rounds, max(0.0, bound - sol.objective) / 100)
        if not out.any():
            break
        pos = np.flatnonzero(out)
        del out
        new = _top_per_mentee(pos if alive_idx is None else alive_idx[pos], ii[pos], rc[pos], per_round)
        del rc, pos
        in_model[new] = True
        model.append(new)
        add(new)
        for k in new.tolist():
            master.cols[(int(flat.i[k]), int(flat.j[k]))] = int(flat.s[k])
    idx = np.concatenate(model)
    x = sol.values
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:
        return None  # not a vertex of the TU polytope: numerical trouble, let the PuLP path decide
    chosen = idx[np.rint(x) > 0.5]
    proven, _ = verify(flat, alive, c_all, a, b, chosen, u, v)
    if not proven:
        return None
    by_pair = {(int(flat.i[k]), int(flat.j[k])): float(round(x[n_])) for n_, k in enumerate(idx.tolist())}
    cols = sorted(k for k, s in master.cols.items() if s >= floor)
    values = [by_pair.get(p, 0.0) for p in cols]
    duals = {f"e{i}": float(u[i]) for i in range(n)} | {f"r{j}": float(v[j]) for j in range(mm)}
    objective = float(c_all[chosen].sum(dtype=np.int64))
    prices = None
    if (a <= 1).all():
        own = {int(flat.i[k]): (int(flat.j[k]), int(c_all[k])) for k in chosen.tolist()}
        prices = Prices([int(x) for x in v], own)
    return StageResult(cols, values, duals, objective, prices, True, rounds, lp.solves)


def tie_objective(master: Master, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """`tiebreak.tie_objective` for many pairs at once (the same numbers: blake2b of "mentee|mentor", each
    mentee's prefix hashed once): `big` for a previous pair, plus its tie weight."""
    ix = master.ix
    names = [p.pseudonym.encode() for p in ix.mentors]
    digests = []
    bounds = np.flatnonzero(np.diff(mentee, prepend=-1, append=-1))  # runs of one mentee (pairs come grouped)
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        head = hashlib.blake2b(f"{ix.mentees[int(mentee[lo])].pseudonym}|".encode(), digest_size=4)
        for j in mentor[lo:hi].tolist():
            h = head.copy()
            h.update(names[j])
            digests.append(h.digest())
    weight = np.frombuffer(b"".join(digests), dtype=">u4").astype(np.int64) % 1023 + 1
    if master.keep:
        big = 1024 * (len(mentee) + 1)
        kept = np.array([i * ix.m + j for i, j in master.keep], dtype=np.int64)
        weight += np.where(np.isin(mentee.astype(np.int64) * ix.m + mentor, kept), big, 0)
    return weight


def face_tie_break(master: Master, flat: Flat, prices: Prices, floor: int, bonus: int, matched: int,
                   face_whole: int, face_start: int, face_add: int) -> list[Pair] | None:
    """`tiebreak.on_optimal_face` on arrays and a live LP: the tie objective's optimum over every optimal
    solution (pairs of zero reduced cost under exact optimal prices, rows with a positive price kept full)."""
    n, mm = len(master.a), len(master.b)
    a = np.asarray(master.a, dtype=np.int64)
    b = np.asarray(master.b, dtype=np.int64)
    v = np.asarray(prices.mentor, dtype=np.int64)
    u = np.zeros(n, dtype=np.int64)
    for i, (j, c) in prices.own.items():
        u[i] = c - v[j]
    face = _alive(flat, floor, a, b)
    face &= _reduced(flat.s, u - bonus, v, flat.i, flat.j) == 0  # score + bonus - u_i - v_j
    face = np.flatnonzero(face)
    chosen = sorted((i, j) for i, (j, _) in prices.own.items())
    if len(face) == len(chosen):
        return chosen
    fi, fj = flat.i[face], flat.j[face]
    obj = tie_objective(master, fi, fj).astype(np.float64)
    lower = np.concatenate([np.where(u > 0, a, -np.inf), np.where(v > 0, b, -np.inf), [matched]])
    upper = np.concatenate([a, b, [np.inf]]).astype(np.float64)
    lp = LiveLP(lower.astype(np.float64), upper)
    if len(face) <= face_whole:
        start = np.arange(len(face))
    else:
        own_mentor = np.full(n, -1, dtype=np.int64)
        for i, (j, _) in prices.own.items():
            own_mentor[i] = j
        own = own_mentor[fi] == fj
        start = np.union1d(_top_per_mentee(np.arange(len(face)), fi, obj, face_start), np.flatnonzero(own))
    in_model = np.zeros(len(face), dtype=bool)
    model = [start]
    in_model[start] = True
    ones = np.ones(len(face))
    _columns(lp, fi[start], fj[start], obj[start], ones[start], n, n + mm)
    while True:
        sol = lp.solve()
        if not sol.optimal:
            return None
        d = sol.row_dual
        rc = obj - d[fi] - d[n + fj] - d[n + mm]
        out = (rc > TIE_TOL) & ~in_model
        if not out.any():
            break
        new = _top_per_mentee(np.flatnonzero(out), fi[out], rc[out], face_add)
        in_model[new] = True
        model.append(new)
        _columns(lp, fi[new], fj[new], obj[new], ones[new], n, n + mm)
    x = sol.values
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-6:
        return None
    idx = np.concatenate(model)
    picked = np.sort(idx[np.rint(x) > 0.5])
    return list(zip(fi[picked].tolist(), fj[picked].tolist(), strict=True))
