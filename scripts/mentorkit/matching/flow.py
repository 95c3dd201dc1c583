"""The capacity core as a min-cost flow (OR-Tools), and its one tie-break, applied exactly.

Mentees x mentors with places is a flow network: source -> mentee (a_i places) ->
mentor (one arc per eligible pair scoring at least the floor) -> sink (b_j places).
OR-Tools' `SimpleMinCostFlow.solve_max_flow_with_min_cost` gives the most pairs
(maximum flow), and among those the least cost; a pair costs -(score x K + kept),
K larger than the number of previous pairs, so the cost ranks score first and
previous pairs kept second, in exact integers (network simplex / cost scaling: no
tolerance decides anything).

The tie-break (`lexicographic_first`) then picks one proposal among all optimal
ones: mentees in pseudonym order, each takes the first mentor in pseudonym order
that still allows an optimal proposal (with several places, the next such mentor,
place by place); a mentee is left unmatched only when no optimal proposal matches
them. Optimal proposals are the flows that differ from the one found by cycles of
zero reduced cost (node potentials from Bellman-Ford on the residual network), so
each "still allows" is a search for such a cycle through the pair, never a hash or
a weight. The same input gives the same pairs whatever the solver or machine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .candidates import Pair, PairIndex


@dataclass
class Core:
    pairs: list[Pair]  # sorted
    score: int  # total, in cents
    kept: int  # pairs of the previous proposal kept


def max_pairs(ix: PairIndex, a: list[int], b: list[int], floor: int) -> int:
    """The most pairs possible using eligible pairs scoring at least `floor` (OR-Tools' maximum flow)."""
    from ortools.graph.python import max_flow

    i, j, _ = _pairs(ix, a, b, floor)
    n, m = len(a), len(b)
    s, t = n + m, n + m + 1
    graph = max_flow.SimpleMaxFlow()
    graph.add_arcs_with_capacity(
        np.concatenate([np.full(n, s), i, n + np.arange(m)]),
        np.concatenate([np.arange(n), n + j, np.full(m, t)]),
        np.concatenate([np.asarray(a, dtype=np.int64), np.ones(len(i), dtype=np.int64),
                        np.asarray(b, dtype=np.int64)]))
    if graph.solve(s, t) != graph.OPTIMAL:
        raise RuntimeError(f"maximum flow did not solve ({graph.solve(s, t)})")
    return int(graph.optimal_flow())


def _pairs(ix: PairIndex, a: list[int], b: list[int], floor: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mentee, mentor and score (cents) of every eligible pair scoring at least `floor` between people with room,
    in mentee order, each mentee's pairs in mentor order (int32 arrays: 12 bytes a pair)."""
    keys = np.asarray(ix.keys)
    q, j = np.divmod(keys, keys.dtype.type(ix.m))  # a key is (smax - score) x m + mentor
    i = np.repeat(np.arange(len(ix.rows), dtype=np.int64), np.diff(ix.start).astype(np.int64))
    on = q <= ix.smax - floor
    on &= (np.asarray(a) > 0)[i]
    on &= (np.asarray(b) > 0)[j]
    # one int64 per pair, mentee | mentor | smax - score in bit fields (rows, m and smax below 2^20 each: far
    # below 2^63): sorting these values is several times faster than an argsort and the gathers it needs
    jbits, qbits = int(ix.m).bit_length(), int(ix.smax).bit_length()
    v = i[on]
    del i
    v <<= jbits
    v |= j[on]
    v <<= qbits
    v |= q[on]
    del q, j, on
    v.sort()
    s = (ix.smax - (v & ((1 << qbits) - 1))).astype(np.int32)
    v >>= qbits
    j = (v & ((1 << jbits) - 1)).astype(np.int32)
    v >>= jbits
    return v.astype(np.int32), j, s


def solve(ix: PairIndex, a: list[int], b: list[int], keep: set[Pair], floor: int) -> Core:
    """The lexicographic optimum (most pairs; best total score; most previous pairs kept), then the one
    tie-break among all such proposals."""
    from ortools.graph.python import min_cost_flow

    i, j, s = _pairs(ix, a, b, floor)
    n, m = len(a), len(b)
    kept = _kept(i, j, keep)
    src, snk = n + m, n + m + 1
    av = np.asarray(a, dtype=np.int64)
    bv = np.asarray(b, dtype=np.int64)
    graph = min_cost_flow.SimpleMinCostFlow()
    # The arrays are built in the call, so they are freed before the solve: OR-Tools holds its own copy.
    graph.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n, src, dtype=np.int32), i, n + np.arange(m, dtype=np.int32)]),
        np.concatenate([np.arange(n, dtype=np.int32), n + j, np.full(m, snk, dtype=np.int32)]),
        np.concatenate([av, np.ones(len(i), dtype=np.int64), bv]),
        np.concatenate([np.zeros(n, dtype=np.int64), _cost(s, kept, len(keep)), np.zeros(m, dtype=np.int64)]))
    n_pairs = len(i)
    rebuild = n_pairs > REBUILD_PAIRS
    if rebuild:  # rebuilt after the solve, not held through it: 13 bytes a pair less at the peak
        del i, j, s, kept
    most = int(min(av.sum(), bv.sum()))
    graph.set_node_supply(src, most)
    graph.set_node_supply(snk, -most)
    status = graph.solve_max_flow_with_min_cost()
    if status != graph.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve ({status})")
    x = np.zeros(n_pairs, dtype=bool)
    for lo in range(0, n_pairs, FLOWS_READ):  # in slices: the arc numbers and flows of all pairs at once are 16 bytes
        hi = min(lo + FLOWS_READ, n_pairs)  # a pair, on top of the graph's memory
        x[lo:hi] = graph.flows(np.arange(n + lo, n + hi)) > 0
    del graph
    if rebuild:
        i, j, s = _pairs(ix, a, b, floor)
        kept = _kept(i, j, keep)
    x = Face(n, m, av, bv, i, j, _cost(s, kept, len(keep)), x).lexicographic_first()
    return Core(sorted(zip(i[x].tolist(), j[x].tolist(), strict=True)), int(s[x].sum()), int(kept[x].sum()))


FLOWS_READ = 1 << 20
REBUILD_PAIRS = 1 << 22  # above this many pairs, their arrays are rebuilt after the solve rather than held (memory)


def _kept(i: np.ndarray, j: np.ndarray, keep: set[Pair]) -> np.ndarray:
    """Which pairs are the previous proposal's: each found by binary search (its mentee's pairs, then its mentor
    among them) in the sorted pairs, with no array as long as the pairs on the side."""
    kept = np.zeros(len(i), dtype=bool)
    if keep:
        x = np.array(sorted(keep), dtype=np.int64)
        starts = np.searchsorted(i, x[:, 0], side="left").tolist()
        ends = np.searchsorted(i, x[:, 0], side="right").tolist()
        for lo, hi, mentor in zip(starts, ends, x[:, 1].tolist(), strict=True):
            at = lo + int(np.searchsorted(j[lo:hi], mentor))
            if at < hi and j[at] == mentor:
                kept[at] = True
    return kept


def _cost(s: np.ndarray, kept: np.ndarray, n_keep: int) -> np.ndarray:
    """Each pair's cost: -(score x K + kept), K above any count of kept pairs, so one exact integer ranks score,
    then pairs kept. It stays far inside int64, OR-Tools' scaling by the node count included: a score is at most
    9 weights x 1,000 points (< 10^6 cents), K at most the mentees (~10^5), so ~10^11 a pair, ~10^16 scaled."""
    cost = s.astype(np.int64)
    cost *= -(n_keep + 1)
    cost -= kept
    return cost


class Face:
    """The optimal proposals around one optimal flow `x`: flows reached from it by cycles of zero reduced cost.

    Nodes: mentees 0..n-1, mentors n..n+m-1, source n+m, sink n+m+1. Potentials come from Bellman-Ford on the
    residual network of `x` (no negative cycle: `x` is optimal for its count), so every residual arc has a
    reduced cost >= 0, and a cycle is as good as `x` exactly when all its arcs are tight. An arc that is not
    tight keeps its flow in every optimal proposal: the search below walks tight arcs only."""

    def __init__(self, n: int, m: int, a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray,
                 cost: np.ndarray, x: np.ndarray):
        self.n, self.m, self.a, self.b = n, m, a, b
        self.i, self.j, self.x = i, j, x.copy()
        load_a = np.bincount(i[x], minlength=n)
        load_b = np.bincount(j[x], minlength=m)
        d = _potentials(n, m, a, b, i, j, cost, x, load_a, load_b)
        src, snk = n + m, n + m + 1
        self.tight = cost + d[i] - d[n + j] == 0  # pair arcs on the face (either direction)
        self.free_a = (d[src] - d[:n] == 0)  # source -> mentee arcs whose load may change
        self.free_b = (d[n:n + m] - d[snk] == 0)  # mentor -> sink arcs whose load may change
        self.load_a = load_a
        self.load_b = load_b
        self.tight &= self._on_cycles()
        self.start = np.searchsorted(i, np.arange(n + 1))  # each mentee's pairs, in mentor order
        self.tight_at = np.flatnonzero(self.tight)  # the pairs on the face: read them, not whole rows
        self.tight_start = np.searchsorted(i[self.tight_at], np.arange(n + 1))
        by_mentor = np.sort(j[self.tight_at].astype(np.int64) << 32 | np.arange(len(self.tight_at)))
        self.tight_by_mentor = self.tight_at[by_mentor & 0xFFFFFFFF]  # the same, by mentor (sorting packed values)
        self.tight_mentor_start = np.searchsorted(j[self.tight_by_mentor], np.arange(m + 1))

    def _on_cycles(self) -> np.ndarray:
        """The tight pairs that may lie on a cycle of tight residual arcs: repeatedly drop the pairs at a
        person nothing enters or nothing leaves (the source's and sink's arcs always count). A pair dropped joins
        two strongly connected parts of the network; pushing flow round a cycle keeps those parts as they are, so
        it never lies on a cycle and keeps its flow in every optimal proposal, as an arc that is not tight does."""
        n, m = self.n, self.m
        k = np.flatnonzero(self.tight)
        mentee, mentor, used = self.i[k], self.j[k], self.x[k]  # a used pair runs mentor -> mentee, else back
        to_src, from_src = self.free_a & (self.load_a > 0), self.free_a & (self.load_a < self.a)
        to_snk, from_snk = self.free_b & (self.load_b < self.b), self.free_b & (self.load_b > 0)
        alive = np.ones(len(k), dtype=bool)
        while True:
            on, off = alive & used, alive & ~used
            into_a = np.bincount(mentee[on], minlength=n) + from_src  # arcs into each mentee, and out of it
            out_a = np.bincount(mentee[off], minlength=n) + to_src
            into_b = np.bincount(mentor[off], minlength=m) + from_snk
            out_b = np.bincount(mentor[on], minlength=m) + to_snk
            ok_a, ok_b = (into_a > 0) & (out_a > 0), (into_b > 0) & (out_b > 0)
            still = alive & ok_a[mentee] & ok_b[mentor]
            if np.array_equal(still, alive):
                break
            alive = still
        out = np.zeros(len(self.tight), dtype=bool)
        out[k[alive]] = True
        return out

    def lexicographic_first(self) -> np.ndarray:
        """Mentees in order, each taking the first mentors (in order) some optimal proposal gives them."""
        tight_mentee = np.diff(self.tight_start) > 0
        if not tight_mentee.any():
            return self.x  # a single optimal proposal
        n, m = self.n, self.m
        self.done = [False] * n
        # who holds each mentor over a tight (changeable) pair, by pair position
        self.holders: list[dict[int, int]] = [{} for _ in range(m)]
        self.held = np.zeros(m, dtype=np.int64)  # how many holders each mentor has there
        for k in self.tight_at[self.x[self.tight_at]].tolist():
            self.holders[int(self.j[k])][int(self.i[k])] = k
            self.held[int(self.j[k])] += 1
        self.mentee_free_src = [k for k in range(n) if self.free_a[k]]
        self.mentor_free_snk = [k for k in range(m) if self.free_b[k]]
        for me in np.flatnonzero(tight_mentee).tolist():
            self._settle(me)
        return self.x

    def _settle(self, me: int) -> None:
        """Mentee `me` takes, in mentor order, every pair some optimal proposal (keeping the choices made so
        far) allows, up to its places; then its pairs are fixed."""
        lo, hi = int(self.start[me]), int(self.start[me + 1])
        ks = self._tight(me)
        if self.x[ks].all():  # no other mentor possible: `me` keeps what it has (earlier mentees are settled)
            self.done[me] = True
            for k in ks.tolist():
                self._release(int(self.j[k]), me)
            return
        places = int(self.a[me]) - int(np.count_nonzero(self.x[lo:hi] & ~self.tight[lo:hi]))  # minus pairs for good
        fixed: set[int] = set()  # mentors `me` keeps for good
        dead = np.zeros(self.n + self.m + 2, dtype=bool)  # nodes that cannot reach `me` in the current network
        at = 0
        while len(fixed) < places and at < len(ks):
            rest = ks[at:]
            js = self.j[rest]
            # a mentor with no way out (no holder left to move, no free place) cannot start a path
            hopeful = self.x[rest] | (self.held[js] > 0) | (self.free_b[js] & (self.load_b[js] < self.b[js]))
            hits = np.flatnonzero(hopeful)
            if not len(hits):
                break
            for h in hits.tolist():
                k = int(rest[h])
                mentor = int(self.j[k])
                if self.x[k]:
                    fixed.add(mentor)
                    self._release(mentor, me)
                elif (path := self._path(self.n + mentor, me, fixed, dead)) is not None:
                    self._flip(me, mentor, k, path)
                    fixed.add(mentor)
                    self._release(mentor, me)
                    dead[:] = False
                else:
                    continue
                at += h + 1  # the network changed (or a place was taken): look again from the next pair
                break
            else:
                break
        self.done[me] = True
        for k in ks[self.x[ks]].tolist():  # no one may take `me`'s pairs away any more
            self._release(int(self.j[k]), me)

    def _path(self, start: int, target: int, fixed: set[int], dead: np.ndarray) -> list[int] | None:
        """A path of tight residual arcs from `start` to mentee `target` (breadth first), as its nodes; None
        when there is none (then every node reached joins `dead`)."""
        if dead[start]:
            return None
        parent = {start: -1}
        seen = dead.copy()
        seen[start] = True
        queue = deque([start])
        into = self._into(target, fixed)
        is_into = np.zeros(len(seen), dtype=bool)
        is_into[into] = True
        near = self._near(into)
        end = self._meets(start, target, into, near)
        while queue and end is None:
            u = queue.popleft()
            if u < self.n:  # a mentee's many mentors at once: the new ones, and the first that reaches `into`
                ws = self._free_mentors(u, target)
                ws = ws[~seen[ws]]
                hit = np.flatnonzero(is_into[ws])
                if len(hit):
                    ws = ws[:hit[0] + 1]
                    end = int(ws[-1]), [target]
                seen[ws] = True
                parent.update(dict.fromkeys(ws.tolist(), u))
                if end is not None:
                    break
                queue.extend(ws.tolist())
            for w in self._out(u, target, fixed):
                if seen[w]:
                    continue
                seen[w] = True
                parent[w] = u
                end = self._meets(w, target, into, near)
                if end is not None:  # at most two steps from the target: stop early
                    break
                queue.append(w)
        if end is None:
            dead |= seen
            return None
        u, path = end
        while u != -1:
            path.append(u)
            u = parent[u]
        return path[::-1]

    def _into(self, target: int, fixed: set[int]) -> list[int]:
        """The nodes with a tight residual arc into mentee `target`: mentors it holds and may give up, and the
        source when it has a place left."""
        n, m = self.n, self.m
        ks = self._tight(target)
        held = self.j[ks[self.x[ks]]].tolist()
        out = [n + u for u in held if u not in fixed and target in self.holders[u]]
        if self.free_a[target] and self.load_a[target] < self.a[target]:
            out.append(n + m)
        return out

    def _near(self, into: list[int]) -> np.ndarray:
        """For each mentee, the first mentor node of `into` (in its order) it has a tight residual arc to (a
        tight pair it does not use), or -1."""
        near = np.full(self.n, -1, dtype=np.int64)
        for v in reversed(into):  # the first in order written last
            if v < self.n + self.m:
                ks = self.tight_by_mentor[self.tight_mentor_start[v - self.n]:self.tight_mentor_start[v - self.n + 1]]
                near[self.i[ks[~self.x[ks]]]] = v
        return near

    def _meets(self, w: int, target: int, into: list[int], near: np.ndarray) -> tuple[int, list[int]] | None:
        """(w, the rest of the path from the target back) when w is one of `into` or has a tight residual arc
        to one (a mentor, in `into`'s order, then the source, which comes last there)."""
        n, m = self.n, self.m
        if w in into:
            return w, [target]
        if w >= n or self.done[w] or w == target:
            return None
        if near[w] >= 0:
            return w, [target, int(near[w])]
        if into and into[-1] == n + m and self.free_a[w] and self.load_a[w] > 0:
            return w, [target, n + m]
        return None

    def _out(self, u: int, target: int, fixed: set[int]) -> list[int]:
        """Heads of the tight residual arcs leaving node u (settled mentees are closed, as is `target`'s
        way out: it is only arrived at)."""
        n, m = self.n, self.m
        src, snk = n + m, n + m + 1
        if u < n:  # a mentee: back to the source (to mentors: `_free_mentors`)
            if self.done[u] or u == target or not (self.free_a[u] and self.load_a[u] > 0):
                return []
            return [src]
        if u < n + m:  # a mentor: back to a holder (who gives the pair up); on to the sink
            holders = [h for h in self.holders[u - n] if not self.done[h] and not (h == target and u - n in fixed)]
            if self.free_b[u - n] and self.load_b[u - n] < self.b[u - n]:
                holders.append(snk)
            return holders
        if u == src:  # to a mentee with a place left
            return [k for k in self.mentee_free_src if not self.done[k] and self.load_a[k] < self.a[k]]
        return [n + k for k in self.mentor_free_snk if self.load_b[k] > 0]  # the sink: back to a mentor in use

    def _free_mentors(self, u: int, target: int) -> np.ndarray:
        """The mentors mentee u may move to (tight pairs it does not use), as nodes, in mentor order; none for a
        settled mentee or the target."""
        if self.done[u] or u == target:
            return np.zeros(0, dtype=np.int64)
        ks = self._tight(u)
        out: np.ndarray = self.j[ks[~self.x[ks]]].astype(np.int64)
        out += self.n
        return out

    def _flip(self, me: int, mentor: int, k: int, path: list[int]) -> None:
        """Push one unit round the cycle me -> mentor -> path ... -> me."""
        n, m = self.n, self.m
        src, snk = n + m, n + m + 1
        self._set(k, True)
        for u, w in pairwise(path):
            if u < n and n <= w < n + m:  # mentee takes mentor
                self._set(self._position(u, w - n), True)
            elif n <= u < n + m and w < n:  # mentor gives mentee up
                self._set(self._position(w, u - n), False)
            elif u == src:
                self.load_a[w] += 1
            elif w == src:
                self.load_a[u] -= 1
            elif w == snk:
                self.load_b[u - n] += 1
            elif u == snk:
                self.load_b[w - n] -= 1

    def _tight(self, mentee: int) -> np.ndarray:
        """Where the mentee's pairs on the face are, in mentor order."""
        return self.tight_at[self.tight_start[mentee]:self.tight_start[mentee + 1]]

    def _position(self, mentee: int, mentor: int) -> int:
        lo, hi = int(self.start[mentee]), int(self.start[mentee + 1])
        return lo + int(np.searchsorted(self.j[lo:hi], mentor))

    def _set(self, k: int, on: bool) -> None:
        self.x[k] = on
        i, j = int(self.i[k]), int(self.j[k])
        if on:
            self.holders[j][i] = k
            self.held[j] += 1
        else:
            self._release(j, i)

    def _release(self, mentor: int, mentee: int) -> None:
        if self.holders[mentor].pop(mentee, None) is not None:
            self.held[mentor] -= 1


def _potentials(n: int, m: int, a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray, cost: np.ndarray,
                x: np.ndarray, load_a: np.ndarray, load_b: np.ndarray) -> np.ndarray:
    """Shortest distances in the residual network of `x` from a root joined to every node at cost 0
    (Bellman-Ford in integers): d[v] <= d[u] + cost(u, v) on every residual arc.

    A round relaxes the arcs out of the mentees it changed (pairs not used, read in place: `i` is sorted), then
    the few arcs back from mentors (pairs used), the source and the sink; it ends when no mentee changes (a
    mentor changes only through them or the sink)."""
    free = ~x
    to_j, to_cost = j[free], cost[free]
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(i[free], minlength=n), out=first[1:])
    back_i, back_j, back_cost = i[x], j[x], -cost[x]
    to_src, from_src = load_a > 0, load_a < a
    to_snk, from_snk = load_b < b, load_b > 0
    da = np.zeros(n, dtype=np.int64)
    db = np.zeros(m, dtype=np.int64)
    ds = dt = 0
    changed = np.arange(n)
    while len(changed):  # at most one round per mentee on a shortest path: no negative cycle
        lens = first[changed + 1] - first[changed]
        if 2 * int(lens.sum()) > len(to_j):  # most mentees changed: every arc, without gathering positions
            np.minimum.at(db, to_j, np.repeat(da, np.diff(first)) + to_cost)
        else:
            ks = np.repeat(first[changed] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
            np.minimum.at(db, to_j[ks], np.repeat(da[changed], lens) + to_cost[ks])
        if to_src.any():
            ds = min(ds, int(da[to_src].min()))
        if to_snk.any():
            dt = min(dt, int(db[to_snk].min()))
        np.minimum(db, dt, out=db, where=from_snk)
        before = da.copy()
        np.minimum.at(da, back_i, db[back_j] + back_cost)
        np.minimum(da, ds, out=da, where=from_src)
        changed = np.flatnonzero(da < before)
    return np.concatenate([da, db, np.array([ds, dt], dtype=np.int64)])
