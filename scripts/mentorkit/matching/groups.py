"""The capacity core on groups of interchangeable people, when sign-ups are much alike.

Mentees with the same eligible mentors at the same scores are interchangeable for the optimum, and so are
mentors whom every such group scores alike. When a program is made of a few such groups (the same skills,
language and time zone everywhere: 10,000 x 5,000 people can be 50 million pairs but 5 x 10 groups), the
flow runs on the groups: source -> mentee group (its mentees' places) -> mentor group (one arc per eligible
group pair) -> sink (its mentors' places). With one place per mentee, every flow between groups can be shared
out person by person and every proposal adds up to such a flow, so the groups' optimum is the proposals'
optimum: OR-Tools solves a network of a few dozen arcs instead of millions.

The tie-break is `flow`'s rule, person by person: mentees in pseudonym order, each takes the first mentor in
pseudonym order that still allows an optimal proposal. A mentor of group h still allows one exactly when some
optimal group flow sends a unit from the mentee's group g to h (the people inside a group being
interchangeable): the flow in hand does, or a cycle of zero reduced cost runs through g -> h (node potentials
from Bellman-Ford, as in `flow`). The mentee then takes the first mentor of the first such group with a place
left, and that unit leaves the network.

Previous pairs (preferred on ties) are person by person, so they are settled first (`_settle`): those in every
optimal proposal are fixed, those in none become plain pairs, and the mentees of the rest (few, on a re-run)
stand alone in groups of their own. Tests check the pairs against `flow.solve` and a brute force.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .candidates import Pair, PairIndex
from .flow import Core

Arc = tuple[int, int, int, int]  # tail, head, capacity, cost

GROUP_PAIRS = 1024  # the most (mentee group x mentor group) pairs worth grouping: each mentee's turn reads them
PER_GROUP = 8  # people per group, at the least, for grouping to pay


class Groups:
    """A program's mentees grouped by their row (the same eligible mentors at the same scores); each solve lays
    out its network from them (`_Layout`), after settling the previous proposal's pairs (`_settle`)."""

    def __init__(self, of_mentee: np.ndarray, rows: np.ndarray, base: _Layout, a: list[int], b: list[int],
                 keep: set[Pair]):
        self.of_mentee = of_mentee  # each mentee's row group (-1: no place)
        self.rows = rows  # (row groups x mentors): the pair score in cents, -1 where not eligible
        self.base = base  # the network without previous pairs
        self.a, self.b, self.keep = a, b, keep

    def max_pairs(self, floor: int) -> int:
        """The most pairs using eligible pairs scoring at least `floor`."""
        return self.base.max_pairs(floor)

    def solve(self, floor: int) -> Core | None:
        """The lexicographic optimum (most pairs; best total score; most previous pairs kept), then the tie-break;
        None when the previous pairs that may change leave too many groups."""
        fixed: list[Pair] = []
        a, b, keep = self.a, self.b, self.keep
        if keep:  # pairs in every optimal proposal are fixed; those in none are just pairs; the others stand alone
            fixed, keep = _settle(self.base, keep, floor)
            a, b = list(a), list(b)
            for i, j in fixed:
                a[i] = 0
                b[j] -= 1
        layout = _layout(self.of_mentee, self.rows, a, b, keep)
        if layout is None:
            return None
        core = layout.solve(floor)
        gained = sum(int(self.rows[self.of_mentee[i], j]) for i, j in fixed)
        return Core(sorted(core.pairs + fixed), core.score + gained, core.kept + len(fixed))


class _Layout:
    """One grouping's network: mentee groups, mentor groups (alike for every mentee group), and the group pairs."""

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

    def arcs(self, floor: int, weight: int) -> list[Arc]:
        """The network as (tail, head, capacity, cost): the source to each mentee group (its places), each eligible
        group pair scoring at least `floor` (cost -(score x weight + kept), `weight` above any count of kept
        pairs), each mentor group to the sink (its places). Nodes: mentee groups 0..k-1, mentor groups
        k..k+el-1, the source k+el, the sink k+el+1."""
        k, el = self.score.shape
        size = np.bincount(self.of_mentee[self.of_mentee >= 0], minlength=k).tolist()
        g, h = np.nonzero(self.score >= max(floor, 0))
        cost = -(self.score[g, h] * weight + self.kept[g, h])
        arcs = [(k + el, x, size[x], 0) for x in range(k)]
        arcs += [(x, k + y, size[x], c) for x, y, c in zip(g.tolist(), h.tolist(), cost.tolist(), strict=True)]
        arcs += [(k + y, k + el + 1, sum(self.b[j] for j in js), 0) for y, js in enumerate(self.mentors_of)]
        return arcs

    def max_pairs(self, floor: int) -> int:
        from ortools.graph.python import max_flow

        k, el = self.score.shape
        graph = max_flow.SimpleMaxFlow()
        for u, v, cap, _ in self.arcs(floor, 1):
            graph.add_arc_with_capacity(u, v, cap)
        if graph.solve(k + el, k + el + 1) != graph.OPTIMAL:
            raise RuntimeError("maximum flow did not solve")
        return int(graph.optimal_flow())

    def solve(self, floor: int) -> Core:
        k, el = self.score.shape
        arcs = self.arcs(floor, self.n_keep + 1)
        net = _Net(k, el, arcs, _min_cost_flow(arcs, k + el, k + el + 1))
        pairs = net.share_out(self.of_mentee, self.mentors_of, self.b)
        x = self.of_mentee[[i for i, _ in pairs]]
        y = self.of_mentor[[j for _, j in pairs]]
        return Core(pairs, int(self.score[x, y].sum()), int(self.kept[x, y].sum()))


def _min_cost_flow(arcs: list[Arc], src: int, snk: int) -> list[int]:
    """Each arc's flow in a maximum flow of least cost (OR-Tools)."""
    from ortools.graph.python import min_cost_flow

    graph = min_cost_flow.SimpleMinCostFlow()
    for u, v, cap, c in arcs:
        graph.add_arc_with_capacity_and_unit_cost(u, v, cap, c)
    most = sum(cap for u, _, cap, _ in arcs if u == src)  # a bound: OR-Tools sends the most it can
    graph.set_node_supply(src, most)
    graph.set_node_supply(snk, -most)
    if graph.solve_max_flow_with_min_cost() != graph.OPTIMAL:
        raise RuntimeError("min-cost flow did not solve")
    return [int(f) for f in graph.flows(np.arange(len(arcs))).tolist()]


def find(ix: PairIndex, a: list[int], b: list[int], keep: set[Pair]) -> Groups | None:
    """The groups of `ix`'s people, or None when there are too many to pay (or a mentee has several places:
    then a group flow need not be shareable person by person)."""
    if not a or max(a) > 1:
        return None
    of_mentee = np.full(len(a), -1, dtype=np.int64)
    reps: list[int] = []
    seen: dict[bytes, int] = {}
    for i in range(len(a)):
        if a[i] <= 0:
            continue
        key = bytes(ix.rows[i])
        g = seen.get(key)
        if g is None:
            g = seen[key] = len(reps)
            reps.append(i)
            if len(reps) > GROUP_PAIRS or PER_GROUP * len(reps) > len(a):
                return None
        of_mentee[i] = g
    if not reps:
        return None
    rows = np.full((len(reps), len(b)), -1, dtype=np.int64)
    for g, i in enumerate(reps):
        keys = np.asarray(ix.keys[int(ix.start[i]):int(ix.start[i + 1])], dtype=np.int64)
        q, col = np.divmod(keys, ix.m)
        rows[g, col] = ix.smax - q
    base = _layout(of_mentee, rows, a, b, set())
    if base is None or PER_GROUP * base.score.size > int(ix.start[-1]):
        return None
    return Groups(of_mentee, rows, base, a, b, keep)


def _layout(of_row: np.ndarray, rows: np.ndarray, a: list[int], b: list[int], keep: set[Pair]) -> _Layout | None:
    """The groups for these places and previous pairs: mentees by row, those with a previous pair alone (with their
    row); mentors alike for every mentee group; None when there are more than GROUP_PAIRS pairs of groups."""
    of_mentee = np.where(np.asarray(a) > 0, of_row, -1)
    kept_by: dict[int, list[int]] = {}
    for i, j in keep:
        if a[i] > 0 and b[j] > 0:
            kept_by.setdefault(i, []).append(j)
    alone = sorted(kept_by)
    score = np.concatenate([rows, rows[of_row[alone]]]) if alone else rows
    kept = np.zeros(score.shape, dtype=np.int64)
    for t, i in enumerate(alone):
        of_mentee[i] = len(rows) + t
        kept[len(rows) + t, kept_by[i]] = 1
    with_place = np.flatnonzero(np.asarray(b) > 0)
    columns = np.concatenate([score, kept]).T[with_place]  # a mentor as every group sees it
    unique, of_mentor = np.unique(columns, axis=0, return_inverse=True)
    if len(score) * len(unique) > GROUP_PAIRS:
        return None
    mentors_of: list[list[int]] = [[] for _ in range(len(unique))]
    for j, h in zip(with_place.tolist(), np.ravel(of_mentor).tolist(), strict=True):
        mentors_of[h].append(j)
    rep = [js[0] for js in mentors_of]
    return _Layout(of_mentee, mentors_of, score[:, rep], kept[:, rep], a, b)


def _settle(base: _Layout, keep: set[Pair], floor: int) -> tuple[list[Pair], set[Pair]]:
    """The previous pairs in every optimal proposal (to fix), and those in some but not all (to keep preferring);
    the others are in none (plain pairs from here on).

    One min-cost flow on `base`'s groups where each previous pair also has a path of its own: mentee group ->
    the mentee -> the mentor -> mentor group, costing one less than the group pair (the cost ranks score, then
    pairs kept, as `flow`'s does). With one place per mentee, its optimum is the proposals' optimum. A previous
    pair's flow is the same in every optimal flow exactly when its arc lies on no cycle of zero reduced cost:
    when it is not tight, or its two ends are in different strong components of the tight residual network."""
    pairs = [(i, j) for i, j in sorted(keep) if base.of_mentee[i] >= 0 and base.of_mentor[j] >= 0
             and base.score[base.of_mentee[i], base.of_mentor[j]] >= max(floor, 0)]
    arcs, first = _own_paths(base, pairs, floor, len(keep) + 1)
    k, el = base.score.shape
    flows = _min_cost_flow(arcs, k + el, k + el + 1)
    tail, head, cap, cost = (np.array(c, dtype=np.int64) for c in zip(*arcs, strict=True))
    flow = np.array(flows, dtype=np.int64)
    nodes = int(max(tail.max(), head.max())) + 1
    d = _potentials(nodes, tail, head, cost, flow < cap, flow > 0)
    rc = cost + d[tail] - d[head]
    fwd, back = (flow < cap) & (rc == 0), (flow > 0) & (rc == 0)
    part = _components(nodes, np.concatenate([tail[fwd], head[back]]), np.concatenate([head[fwd], tail[back]]))
    fixed, open_ = [], set()
    for e, (i, j) in enumerate(pairs, start=first):
        varies = rc[e] == 0 and part[tail[e]] == part[head[e]]
        if flow[e] and not varies:
            fixed.append((i, j))
        elif varies:
            open_.add((i, j))
    return fixed, open_


def _own_paths(base: _Layout, pairs: list[Pair], floor: int, weight: int) -> tuple[list[Arc], int]:
    """`base`'s network with a path of its own for each previous pair (its mentee and its mentor as nodes after
    the sink): the arcs, and where the pairs' own arcs start."""
    k, el = base.score.shape
    mentees = {i: k + el + 2 + t for t, i in enumerate(sorted({i for i, _ in pairs}))}
    mentors = {j: k + el + 2 + len(mentees) + t for t, j in enumerate(sorted({j for _, j in pairs}))}
    arcs = base.arcs(floor, weight)
    arcs += [(int(base.of_mentee[i]), u, 1, 0) for i, u in mentees.items()]
    arcs += [(v, k + int(base.of_mentor[j]), base.b[j], 0) for j, v in mentors.items()]
    first = len(arcs)
    arcs += [(mentees[i], mentors[j], 1, -(int(base.score[base.of_mentee[i], base.of_mentor[j]]) * weight + 1))
             for i, j in pairs]
    return arcs, first


def _potentials(n: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray, fwd: np.ndarray, back: np.ndarray
                ) -> np.ndarray:
    """Shortest distances in the residual network from a root joined to every node at cost 0 (Bellman-Ford): every
    residual arc then has a reduced cost >= 0 (the flow is optimal, so there is no negative cycle)."""
    u = np.concatenate([tail[fwd], head[back]])
    v = np.concatenate([head[fwd], tail[back]])
    c = np.concatenate([cost[fwd], -cost[back]])
    d = np.zeros(n, dtype=np.int64)
    for _ in range(n):
        before = d.copy()
        np.minimum.at(d, v, d[u] + c)
        if np.array_equal(d, before):
            break
    return d


def _components(n: int, tail: np.ndarray, head: np.ndarray) -> list[int]:
    """Each node's strongly connected component (Tarjan's algorithm, without recursion)."""
    order = np.argsort(tail, kind="stable")
    start = np.searchsorted(tail[order], np.arange(n + 1)).tolist()
    adj = head[order].tolist()
    index, low, part = [-1] * n, [0] * n, [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    count = parts = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        index[root] = low[root] = count
        count += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, start[root])]
        while work:
            v, at = work[-1]
            if at < start[v + 1]:
                work[-1] = (v, at + 1)
                w = adj[at]
                if index[w] < 0:
                    index[w] = low[w] = count
                    count += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, start[w]))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    part[w] = parts
                    if w == v:
                        break
                parts += 1
    return part


class _Net:
    """The group network around one optimal flow: residual arcs, potentials, and the flow as it is shared out.

    Nodes: mentee groups 0..k-1, mentor groups k..k+el-1, source k+el, sink k+el+1. `flow` holds the source's
    arcs, the group pairs' and the sink's, in `arcs` order; a mentee's turn moves flow round a cycle of tight
    residual arcs when it must, then takes its unit out of the network (places and flow together)."""

    def __init__(self, k: int, el: int, arcs: list[Arc], flows: list[int]):
        self.k, self.el = k, el
        self.size = [cap for _, _, cap, _ in arcs[:k]]  # mentee groups' places
        self.places = [cap for _, _, cap, _ in arcs[len(arcs) - el:]]  # mentor groups' places
        self.src, self.snk = k + el, k + el + 1
        self.out_src = flows[:k]  # source -> mentee group
        self.into_snk = flows[len(arcs) - el:]  # mentor group -> sink
        self.cost: dict[tuple[int, int], int] = {}
        self.flow: dict[tuple[int, int], int] = {}  # (mentee group, mentor group) -> units
        for (u, v, _, c), f in zip(arcs[k:len(arcs) - el], flows[k:len(arcs) - el], strict=True):
            self.cost[u, v - k] = c
            self.flow[u, v - k] = f
        tail, head, cap, cost = (np.array(c, dtype=np.int64) for c in zip(*arcs, strict=True))
        flow = np.array(flows, dtype=np.int64)
        pair_arc = np.zeros(len(arcs), dtype=bool)
        pair_arc[k:len(arcs) - el] = True  # never full: a group's flow is at most its size
        d = _potentials(k + el + 2, tail, head, cost, (flow < cap) | pair_arc, flow > 0).tolist()
        self.tight_src = [d[self.src] == d[x] for x in range(k)]
        self.tight_snk = [d[k + y] == d[self.snk] for y in range(el)]
        self.tight: list[list[int]] = [[] for _ in range(k)]  # each mentee group's tight pairs (never change)
        self.tight_into: list[list[int]] = [[] for _ in range(el)]  # the same, by mentor group
        for (x, y), c in self.cost.items():
            if c + d[x] - d[k + y] == 0:
                self.tight[x].append(y)
                self.tight_into[y].append(x)

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
