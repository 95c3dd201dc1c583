"""The capacity core on groups of interchangeable people, when sign-ups are much alike.

Mentees with the same eligible mentors at the same scores are interchangeable for the optimum, and so are
mentors whom every such group scores alike. When a program is made of a few such groups (the same skills,
language and time zone everywhere: 10,000 x 5,000 people can be 50 million pairs but 6 x 12 groups), the
flow runs on the groups: source -> mentee group (its mentees' places) -> mentor group (one arc per eligible
group pair) -> sink (its mentors' places). With one place per mentee, every flow between groups can be shared
out person by person and every proposal adds up to such a flow, so the groups' optimum is the proposals'
optimum: OR-Tools solves a network of a few dozen arcs instead of millions.

The tie-break is `flow`'s rule, person by person: mentees in pseudonym order, each takes the first mentor in
pseudonym order that still allows an optimal proposal. A mentor of group h still allows one exactly when some
optimal group flow sends a unit from the mentee's group g to h (the people inside a group being
interchangeable): the flow in hand does, or a cycle of zero reduced cost runs through g -> h (node potentials
from Bellman-Ford, as in `flow`). The mentee then takes the first mentor of the first such group with a place
left, and that unit leaves the network. Tests check the pairs against `flow.solve` and a brute force.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .candidates import Pair, PairIndex
from .flow import Core

GROUP_PAIRS = 1024  # the most (mentee group x mentor group) pairs worth grouping: each mentee's turn reads them
PER_GROUP = 8  # people per group, at the least, for grouping to pay


class Groups:
    """A program's people in groups; `None` from `find` when grouping does not pay."""

    def __init__(self, of_mentee: np.ndarray, mentors_of: list[list[int]], score: np.ndarray, kept: np.ndarray,
                 a: list[int], b: list[int]):
        self.of_mentee = of_mentee  # each mentee's group (-1: no place)
        self.mentors_of = mentors_of  # each mentor group's members with a place, in mentor order
        self.score = score  # (mentee groups x mentor groups): the pair score in cents, -1 where not eligible
        self.kept = kept  # 1 where the pair is one of the previous proposal's (singleton groups only)
        self.of_mentor = np.full(len(b), -1, dtype=np.int64)  # each mentor's group (-1: no place)
        for h, js in enumerate(mentors_of):
            self.of_mentor[js] = h
        self.a, self.b = a, b
        self.n_keep = int(kept.sum())

    def _network(self, floor: int) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
        """Mentee groups' places, mentor groups' places, and the eligible group pairs at or above `floor`."""
        size = np.bincount(self.of_mentee[self.of_mentee >= 0], minlength=len(self.score)).tolist()
        places = [sum(self.b[j] for j in js) for js in self.mentors_of]
        g, h = np.nonzero(self.score >= max(floor, 0))
        return size, places, g, h

    def max_pairs(self, floor: int) -> int:
        """The most pairs using eligible pairs scoring at least `floor`."""
        from ortools.graph.python import max_flow

        size, places, g, h = self._network(floor)
        k, el = len(size), len(places)
        src, snk = k + el, k + el + 1
        graph = max_flow.SimpleMaxFlow()
        for x in range(k):
            graph.add_arc_with_capacity(src, x, size[x])
        for x, y in zip(g.tolist(), h.tolist(), strict=True):
            graph.add_arc_with_capacity(x, k + y, size[x])
        for y in range(el):
            graph.add_arc_with_capacity(k + y, snk, places[y])
        if graph.solve(src, snk) != graph.OPTIMAL:
            raise RuntimeError("maximum flow did not solve")
        return int(graph.optimal_flow())

    def solve(self, floor: int) -> Core:
        """The lexicographic optimum (most pairs; best total score; most previous pairs kept), then the tie-break."""
        from ortools.graph.python import min_cost_flow

        size, places, g, h = self._network(floor)
        k, el = len(size), len(places)
        src, snk = k + el, k + el + 1
        cost = -(self.score[g, h].astype(np.int64) * (self.n_keep + 1) + self.kept[g, h])
        graph = min_cost_flow.SimpleMinCostFlow()
        arcs = [(src, x, size[x], 0) for x in range(k)]
        arcs += [(x, k + y, size[x], int(c)) for x, y, c in zip(g.tolist(), h.tolist(), cost.tolist(), strict=True)]
        arcs += [(k + y, snk, places[y], 0) for y in range(el)]
        for u, v, cap, c in arcs:
            graph.add_arc_with_capacity_and_unit_cost(u, v, cap, c)
        most = min(sum(size), sum(places))
        graph.set_node_supply(src, most)
        graph.set_node_supply(snk, -most)
        if graph.solve_max_flow_with_min_cost() != graph.OPTIMAL:
            raise RuntimeError("min-cost flow did not solve")
        flows = [int(graph.flow(x)) for x in range(len(arcs))]
        net = _Net(k, el, size, places, arcs, flows)
        pairs = net.share_out(self.of_mentee, self.mentors_of, self.b)
        x = self.of_mentee[[i for i, _ in pairs]]
        y = self.of_mentor[[j for _, j in pairs]]
        return Core(pairs, int(self.score[x, y].sum()), int(self.kept[x, y].sum()))


def find(ix: PairIndex, a: list[int], b: list[int], keep: set[Pair]) -> Groups | None:
    """The groups of `ix`'s people, or None when there are too many to pay (or a mentee has several places:
    then a group flow need not be shareable person by person)."""
    if not a or max(a) > 1:
        return None
    n_pairs = int(ix.start[-1])
    kept_by: dict[int, list[int]] = {}
    for i, j in keep:
        kept_by.setdefault(i, []).append(j)
    of_mentee = np.full(len(a), -1, dtype=np.int64)
    reps: list[int] = []
    seen: dict[object, int] = {}
    for i in range(len(a)):
        if a[i] <= 0:
            continue
        row = ix.rows[i]
        key: object = ("kept", i) if i in kept_by else bytes(row)  # a mentee with previous pairs stands alone
        g = seen.get(key)
        if g is None:
            g = seen[key] = len(reps)
            reps.append(i)
            if len(reps) > GROUP_PAIRS or PER_GROUP * len(reps) > len(a):
                return None
        of_mentee[i] = g
    if not reps:
        return None
    m = len(b)
    score = np.full((len(reps), m), -1, dtype=np.int64)
    kept = np.zeros((len(reps), m), dtype=np.int64)
    for g, i in enumerate(reps):
        keys = np.asarray(ix.keys[int(ix.start[i]):int(ix.start[i + 1])], dtype=np.int64)
        q, col = np.divmod(keys, ix.m)
        score[g, col] = ix.smax - q
        if i in kept_by:
            kept[g, kept_by[i]] = 1
    with_place = np.flatnonzero(np.asarray(b) > 0)
    columns = np.concatenate([score, kept]).T[with_place]  # a mentor as every group sees it
    unique, of_mentor = np.unique(columns, axis=0, return_inverse=True)
    if len(reps) * len(unique) > GROUP_PAIRS or PER_GROUP * len(reps) * len(unique) > n_pairs:
        return None
    mentors_of: list[list[int]] = [[] for _ in range(len(unique))]
    for j, h in zip(with_place.tolist(), np.ravel(of_mentor).tolist(), strict=True):
        mentors_of[h].append(j)
    rep_mentor = [js[0] for js in mentors_of]
    return Groups(of_mentee, mentors_of, score[:, rep_mentor], kept[:, rep_mentor], a, b)


class _Net:
    """The group network around one optimal flow: residual arcs, potentials, and the flow as it is shared out.

    Nodes: mentee groups 0..k-1, mentor groups k..k+el-1, source k+el, sink k+el+1. `flow` holds the source's
    arcs, the group pairs' and the sink's, in `arcs` order; a mentee's turn moves flow round a cycle of tight
    residual arcs when it must, then takes its unit out of the network (places and flow together)."""

    def __init__(self, k: int, el: int, size: list[int], places: list[int], arcs: list[tuple[int, int, int, int]],
                 flows: list[int]):
        self.k, self.el = k, el
        self.size, self.places = list(size), list(places)
        self.src, self.snk = k + el, k + el + 1
        self.out_src = flows[:k]  # source -> mentee group
        self.into_snk = flows[len(arcs) - el:]  # mentor group -> sink
        self.cost: dict[tuple[int, int], int] = {}
        self.flow: dict[tuple[int, int], int] = {}  # (mentee group, mentor group) -> units
        for (u, v, _, c), f in zip(arcs[k:len(arcs) - el], flows[k:len(arcs) - el], strict=True):
            self.cost[u, v - k] = c
            self.flow[u, v - k] = f
        d = self._potentials()
        self.tight_src = [d[self.src] == d[x] for x in range(k)]
        self.tight_snk = [d[k + y] == d[self.snk] for y in range(el)]
        self.tight: list[list[int]] = [[] for _ in range(k)]  # each mentee group's tight pairs (never change)
        self.tight_into: list[list[int]] = [[] for _ in range(el)]  # the same, by mentor group
        for (x, y), c in self.cost.items():
            if c + d[x] - d[k + y] == 0:
                self.tight[x].append(y)
                self.tight_into[y].append(x)

    def _potentials(self) -> list[int]:
        """Shortest distances in the residual network from a root joined to every node at cost 0 (Bellman-Ford):
        every residual arc then has a reduced cost >= 0 (the flow is optimal, so there is no negative cycle)."""
        k, src, snk = self.k, self.src, self.snk
        arcs = [(src, x, 0) for x in range(k) if self.out_src[x] < self.size[x]]
        arcs += [(x, src, 0) for x in range(k) if self.out_src[x] > 0]
        arcs += [(k + y, snk, 0) for y in range(self.el) if self.into_snk[y] < self.places[y]]
        arcs += [(snk, k + y, 0) for y in range(self.el) if self.into_snk[y] > 0]
        arcs += [(x, k + y, c) for (x, y), c in self.cost.items()]  # never full: a group's flow is at most its size
        arcs += [(k + y, x, -c) for (x, y), c in self.cost.items() if self.flow[x, y] > 0]
        u, v, c = (np.array(t, dtype=np.int64) for t in zip(*arcs, strict=True))
        d = np.zeros(k + self.el + 2, dtype=np.int64)
        for _ in range(len(d)):
            before = d.copy()
            np.minimum.at(d, v, d[u] + c)
            if np.array_equal(d, before):
                break
        return [int(x) for x in d.tolist()]

    def _reaching(self, target: int) -> dict[int, int]:
        """Every node with a path of tight residual arcs to mentee group `target`, with its next node on one."""
        k, src, snk = self.k, self.src, self.snk
        nxt = {target: -1}
        queue = deque([target])
        while queue:
            v = queue.popleft()
            if v < k:  # into a mentee group: from the source (a place left), from a mentor group it uses
                preds = [src] if self.tight_src[v] and self.out_src[v] < self.size[v] else []
                preds += [k + y for y in self.tight[v] if self.flow[v, y] > 0]
            elif v < src:  # into a mentor group: from a mentee group (tight pair), from the sink (it is used)
                y = v - k
                preds = list(self.tight_into[y])
                if self.tight_snk[y] and self.into_snk[y] > 0:
                    preds.append(snk)
            elif v == src:  # into the source: from a mentee group with flow
                preds = [x for x in range(k) if self.tight_src[x] and self.out_src[x] > 0]
            else:  # into the sink: from a mentor group with a place left
                preds = [k + y for y in range(self.el) if self.tight_snk[y] and self.into_snk[y] < self.places[y]]
            for u in preds:
                if u not in nxt:
                    nxt[u] = v
                    queue.append(u)
        return nxt

    def _push(self, x: int, y: int, nxt: dict[int, int]) -> None:
        """One unit round the cycle x -> y -> ... -> x (the path from mentor group y back to x in `nxt`)."""
        k, src, snk = self.k, self.src, self.snk
        self.flow[x, y] += 1
        u = k + y
        while u != x:
            v = nxt[u]
            if u == src:
                self.out_src[v] += 1
            elif v == src:
                self.out_src[u] -= 1
            elif v == snk:
                self.into_snk[u - k] += 1
            elif u == snk:
                self.into_snk[v - k] -= 1
            elif u < k:
                self.flow[u, v - k] += 1
            else:
                self.flow[v, u - k] -= 1
            u = v

    def share_out(self, of_mentee: np.ndarray, mentors_of: list[list[int]], b: list[int]) -> list[Pair]:
        """Mentees in order, each taking the first mentor (in order) some optimal proposal gives them."""
        room = list(b)
        first = [0] * self.el  # each mentor group's first member with a place left
        pairs: list[Pair] = []
        for i, x in enumerate(of_mentee.tolist()):
            if x < 0:
                continue
            order = sorted((mentors_of[y][first[y]], y) for y in self.tight[x] if self.places[y] > 0)
            nxt: dict[int, int] | None = None
            for j, y in order:
                if not self.flow[x, y]:
                    nxt = nxt if nxt is not None else self._reaching(x)
                    if self.k + y not in nxt:
                        continue
                    self._push(x, y, nxt)
                self.flow[x, y] -= 1
                self.out_src[x] -= 1
                self.into_snk[y] -= 1
                self.places[y] -= 1
                room[j] -= 1
                while first[y] < len(mentors_of[y]) and not room[mentors_of[y][first[y]]]:
                    first[y] += 1
                pairs.append((i, j))
                break
            self.size[x] -= 1
        return pairs
