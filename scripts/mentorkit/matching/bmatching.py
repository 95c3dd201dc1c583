"""The combinatorial core: the most pairs possible, and a greedy start, without any solver.

A b-matching pairs mentee i at most a[i] times and mentor j at most b[j] times.
`max_b_matching` finds a maximum one over every eligible pair (Hopcroft-Karp
phases of shortest augmenting paths): when no augmenting path is left the
matching is maximum (Berge), and the unreached side gives a vertex cover of the
same size (König), so the count of a proposal needs no LP and no pricing.
`greedy` gives the capacity model a good first set of columns.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import numpy as np

from .candidates import CandidateIndex, Pair


def max_b_matching(ix: CandidateIndex, a: list[int], b: list[int], floor: int,
                   start: Iterable[Pair] | None = None) -> list[Pair]:
    """The most pairs possible (mentee i at most a[i] times, mentor j at most b[j]) using eligible pairs scoring at
    least `floor`: greedy (or `start`), then Hopcroft-Karp phases of shortest augmenting paths over *all* eligible
    pairs. Pure Python, linear per phase.
    """
    limit = (ix.smax - floor + 1) * ix.m  # row keys below this score at least `floor` (rows are sorted)
    nbrs = [row[:bisect.bisect_left(row, limit)] for row in ix.rows]  # slices of the keys: no copy per pair
    matching = _BMatching(nbrs, a, b, ix.m)
    if start is None:
        matching.greedy_start()
    else:
        for i, j in start:
            matching.add(i, j)
    while True:
        free = [i for i in range(len(nbrs)) if len(matching.assigned[i]) < a[i] and len(nbrs[i])]
        dist, reach = matching.layers(free)
        if reach == matching.inf:
            break  # no augmenting path: maximum
        if not matching.augment(free, dist, reach):  # cannot happen (the BFS saw a path); never loop on a bug
            raise RuntimeError("maximum matching made no progress")
    return sorted((i, j) for i in range(len(nbrs)) for j in matching.assigned[i])


class _BMatching:
    """A b-matching under construction: who each mentee is assigned to, who holds each mentor.

    `nbrs[i]` holds mentee i's row keys (mentor = key % m), best first; a mentor without room (b = 0) needs no
    filtering out, as no test below lets a mentee take one."""

    def __init__(self, nbrs: Sequence[Sequence[int]], a: list[int], b: list[int], m: int):
        self.nbrs, self.a, self.b, self.m = nbrs, a, b, m
        self.assigned: list[list[int]] = [[] for _ in nbrs]
        self.holders: list[list[int]] = [[] for _ in b]
        self.inf = len(nbrs) + 1

    def add(self, i: int, j: int) -> None:
        self.assigned[i].append(j)
        self.holders[j].append(i)

    def greedy_start(self) -> None:
        """Most constrained mentees first, each to its best mentor with room."""
        nbrs, assigned, holders = self.nbrs, self.assigned, self.holders
        for i in sorted(range(len(nbrs)), key=lambda i: (len(nbrs[i]), i)):
            for key in nbrs[i]:
                j = key % self.m
                if len(assigned[i]) >= self.a[i]:
                    break
                if len(holders[j]) < self.b[j] and j not in assigned[i]:
                    self.add(i, j)

    def layers(self, free: list[int]) -> tuple[list[int], int]:
        """BFS: layers of mentees along alternating paths from the free mentees, and the length of the
        shortest augmenting path (`inf` if there is none)."""
        nbrs, assigned, holders, b, inf = self.nbrs, self.assigned, self.holders, self.b, self.inf
        dist = [inf] * len(nbrs)
        for i in free:
            dist[i] = 0
        queue, head, reach = list(free), 0, inf
        while head < len(queue):
            i = queue[head]
            head += 1
            if dist[i] >= reach:
                break
            for key in nbrs[i]:
                j = key % self.m
                if j in assigned[i]:
                    continue
                if len(holders[j]) < b[j]:
                    reach = min(reach, dist[i] + 1)
                    continue
                for k in holders[j]:
                    if dist[k] == inf:
                        dist[k] = dist[i] + 1
                        queue.append(k)
        return dist, reach

    def augment(self, free: list[int], dist: list[int], reach: int) -> bool:
        """DFS along the layers for vertex-disjoint shortest augmenting paths; True if any was found."""
        pos = [0] * len(self.nbrs)
        grew = False
        for root in free:
            if len(self.assigned[root]) < self.a[root] and self._augment_from(root, dist, reach, pos):
                grew = True
        return grew

    def _augment_from(self, root: int, dist: list[int], reach: int, pos: list[int]) -> bool:
        path: list[Pair] = []  # (mentee, mentor) steps taken
        i = root
        while True:
            step = self._step(i, dist, reach, pos)
            if step is None:  # dead end: drop this mentee from the layers and step back
                dist[i] = self.inf
                if not path:
                    return False
                i, _ = path.pop()
                continue
            j, k = step
            path.append((i, j))
            if k is None:
                _flip(path, self.assigned, self.holders)
                return True
            i = k

    def _step(self, i: int, dist: list[int], reach: int, pos: list[int]) -> tuple[int, int | None] | None:
        """The next step from mentee i: (mentor, None) when that mentor has room and ends a shortest path,
        (mentor, holder) to go on through one of the mentor's holders in the next layer, None at a dead end."""
        nbrs, assigned, holders = self.nbrs[i], self.assigned[i], self.holders
        while pos[i] < len(nbrs):
            j = nbrs[pos[i]] % self.m
            if j in assigned:
                pos[i] += 1
                continue
            if len(holders[j]) < self.b[j]:
                pos[i] += 1
                if dist[i] + 1 == reach:
                    return j, None
                continue
            # stay on j until each of its holders in the next layer has been tried
            k = next((k for k in holders[j] if dist[k] == dist[i] + 1), None)
            if k is None:
                pos[i] += 1
                continue
            return j, k
        return None


def _flip(path: list[Pair], assigned: list[list[int]], holders: list[list[int]]) -> None:
    """Augment along path [(i0, j0), (i1, j1), ...]: i_t takes j_t; i_{t+1} held j_t and gives it up."""
    for t, (i, j) in enumerate(path):
        if t + 1 < len(path):
            nxt = path[t + 1][0]
            assigned[nxt].remove(j)
            holders[j].remove(nxt)
        assigned[i].append(j)
        holders[j].append(i)


def greedy(ix: CandidateIndex, a: list[int], b: list[int]) -> list[Pair]:
    """Pairs taken best score first while both sides have room: deep candidates for mentees who lose the
    competition for their favourites, so the first LP starts close to the optimum (fewer pricing rounds).

    In rounds, on arrays: every mentee with room looks at the best mentor left in its row that has room;
    those whose look scores best of all propose, and each mentor takes them in mentee order up to its room.
    Pairs are so taken in score order, as one at a time from a heap would, but when a few mentors suit
    everyone a round settles each of them for all mentees at once (a heap was popped 800,000 times on
    2,000 tied mentees)."""
    keys, m = ix.keys, ix.m
    room_a = np.asarray(a, dtype=np.int64).copy()
    room_b = np.asarray(b, dtype=np.int64).copy()
    pos, end = ix.start[:-1].copy(), ix.start[1:]
    out_i: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    active = np.flatnonzero((room_a > 0) & (pos < end))
    while len(active):
        while True:  # step past mentors without room (rooms only shrink: they stay full)
            j = keys[pos[active]] % m
            full = room_b[j] <= 0
            if not full.any():
                break
            pos[active[full]] += 1
            active = active[pos[active] < end[active]]
        if not len(active):
            break
        k = keys[pos[active]]
        band = np.flatnonzero(k // m == (k // m).min())  # only the best score on offer: pairs in score order
        order = band[np.lexsort((active[band], j[band]))]  # by mentor, then mentee
        mj = j[order]
        first = np.ones(len(mj), dtype=bool)
        first[1:] = mj[1:] != mj[:-1]
        at = np.arange(len(mj))
        rank = at - np.maximum.accumulate(np.where(first, at, 0))
        take = order[rank < room_b[mj]]
        ti, tj = active[take], j[take]
        out_i.append(ti)
        out_j.append(tj)
        np.subtract.at(room_b, tj, 1)
        room_a[ti] -= 1  # a mentee proposes once a round: no repeats
        pos[ti] += 1
        active = active[(room_a[active] > 0) & (pos[active] < end[active])]
    if not out_i:
        return []
    return list(zip(np.concatenate(out_i).tolist(), np.concatenate(out_j).tolist(), strict=True))
