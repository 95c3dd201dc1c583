"""An exact optimality proof for the capacity model, in integers (the check itself uses no tolerance).

The LP's duals are degenerate: near the end of column generation they keep flagging
left-out pairs that cannot help. A solution is optimal over every eligible pair iff
some dual solution is feasible for all pairs and complementary to it; for one mentor
per mentee and no side rules the conditions are difference constraints on the mentor
prices, whose least solution is a longest-path problem (label correcting). `repair`
starts from the LP's own integral duals and revisits only what the violated pairs
touch; `certify` starts from zero. Either gives `Prices`: exact optimal duals over all
pairs, which the tie-break uses to find every optimal solution.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .candidates import Pair
from .master import Master
from .pricing import ExactDuals

Own = dict[int, tuple[int, int]]  # matched mentee -> (its mentor, the pair's score plus bonus)


class Prices(NamedTuple):
    mentor: list[int]  # v: a price per mentor
    own: Own  # each matched mentee's pair; a mentee's price is what its pair leaves: c - v(own mentor)


def holders(master: Master, cols: list[Pair], values: list[float], bonus: int) -> tuple[Own, dict[int, list[int]]]:
    """The pairs a solution takes: each matched mentee's pair, and the mentees holding each mentor."""
    own: Own = {}
    held: dict[int, list[int]] = {}
    for (i, j), x in zip(cols, values, strict=True):
        if x > 0.5:
            own[i] = (j, master.cols[(i, j)] + bonus)
            held.setdefault(j, []).append(i)
    return own, held


def repair(master: Master, duals: ExactDuals | None, cols: list[Pair], values: list[float], bonus: int,
           floor: int) -> Prices | None:
    """Exact optimality proof from the LP's own (integral) duals: raise the prices of mentors that
    left-out pairs undercut, propagate, and check that no bound breaks. See `certify` for the
    conditions; starting from the LP's prices instead of zero, only what the violations touch is
    revisited, so a proof costs little more than the pricing scan that found them."""
    if duals is None:
        return None
    u, v0 = duals.mentee, duals.mentor
    own, held = holders(master, cols, values, bonus)
    if any(u[i] != 0 for i in range(len(master.ix.rows)) if master.a[i] > 0 and i not in own):
        return None  # an unmatched mentee's dual must be 0 (its row has slack); else the scan missed pairs
    # A matched mentee's price is what its own pair leaves: c - v(own mentor). That is at least its LP dual
    # (the pair may sit at its upper bound with a positive reduced cost), so the scan's violations are a
    # superset of the real ones.
    v = list(v0)
    raised: dict[int, int] = {}
    for i, j, sc in duals.violated:
        need = sc + bonus - (own[i][1] - v0[own[i][0]] if i in own else 0)
        if need > raised.get(j, v[j]):
            raised[j] = need
    queue = []
    for j, need in sorted(raised.items()):
        v[j] = need
        queue.append(j)
    if not _propagate(master, v, queue, own, held, bonus, floor):
        return None
    return Prices(v, own)


def certify(master: Master, cols: list[Pair], values: list[float], floor: int, bonus: int) -> Prices | None:
    """An exact optimality certificate over all eligible pairs, from scratch.

    With u_i = c(i, own mentor) - v(own mentor) for matched mentees and u_i = 0 for the others, the
    conditions are difference constraints on the mentor prices v:
        v_j >= v_own(i) + c_ij - c_i,own(i)  (matched i),    v_j >= c_ij  (unmatched i),
        v_j = 0 for mentors with room,  u_i >= 0.
    The least prices satisfying the lower bounds are longest paths, found by label correcting; since each
    row is sorted by score, a scan stops as soon as no further mentor can be constrained. The solution is
    optimal iff those least prices meet the upper bounds. The least prices over the model's pairs are
    found first (cheap, and never above the least prices over all pairs), then completed over all pairs.
    This check replaces the long tail of column-generation rounds that degenerate LP duals cause.
    Only for one mentor per mentee (mentee rows of 1) and no side rules.
    """
    if master.side.active or any(x > 1 for x in master.a):
        return None
    ix, m = master.ix, master.ix.m
    own, held = holders(master, cols, values, bonus)
    limit = (ix.smax - floor + 1) * m
    model_rows: list[list[int]] = [[] for _ in ix.rows]
    for (i, j), sc in master.cols.items():
        if sc >= floor:
            model_rows[i].append((ix.smax - sc) * m + j)
    for r in model_rows:
        r.sort()
    v = [0] * len(master.b)
    passes: tuple[Sequence[Sequence[int]], ...] = (model_rows, ix.rows)
    for rows in passes:
        queue = list(sorted(held))  # every matched mentee's constraints must be looked at once
        raised: dict[int, int] = {}
        for i, row in enumerate(rows):
            if master.a[i] <= 0 or i in own:
                continue
            for key in row:  # an unmatched mentee: every eligible mentor's price must deter it
                if key >= limit:
                    break
                q, j = divmod(key, m)
                need = ix.smax + bonus - q
                if need > raised.get(j, v[j]) and master.b[j] > 0:
                    raised[j] = need
        for j, need in sorted(raised.items()):
            v[j] = need
            if j not in held:
                queue.append(j)
        # over all pairs, starting from the model's least prices, a proof rarely needs many passes
        budget = None if rows is model_rows else len(queue) + 2 * len(master.b) + 100
        if not _propagate(master, v, queue, own, held, bonus, floor, rows, budget):
            return None
    return Prices(v, own)


def _propagate(master: Master, v: list[int], queue: list[int], own: Own, held: dict[int, list[int]], bonus: int,
               floor: int, rows: Sequence[Sequence[int]] | None = None, budget: int | None = None) -> bool:
    """Label correcting on mentor prices from `v` (queue: mentors whose constraints must be re-checked) over
    `rows` (default: every eligible pair); False as soon as a price must exceed its bound (or rises around a
    cycle)."""
    ix, m, b = master.ix, master.ix.m, master.b
    rows = ix.rows if rows is None else rows
    budget = budget if budget is not None else 64 * (len(b) + 1)
    full = [len(held.get(j, ())) >= b[j] for j in range(len(b))]
    cap = {j: min(own[i][1] for i in hs) for j, hs in held.items()}  # u_i >= 0: v_j <= c of each holder
    capv = [cap.get(j, 0) if full[j] and b[j] > 0 else 0 for j in range(len(b))]  # 0: room, so no price
    if any(v[j] > capv[j] for j in range(len(b)) if b[j] > 0):
        return False
    limit = (ix.smax - floor + 1) * m
    smax_b = ix.smax + bonus
    parent = [-1] * len(b)  # which mentor's price last raised this one: a cycle here is a positive cycle
    updates = [0] * len(b)
    queued = [False] * len(b)
    for j in queue:
        queued[j] = True
    head = 0
    while head < len(queue):
        mu = queue[head]
        head += 1
        queued[mu] = False
        for i in held.get(mu, ()):
            base = v[mu] - own[i][1] + smax_b
            for key in rows[i]:
                if key >= limit:
                    break
                q, j = divmod(key, m)
                need = base - q
                if need <= 0:
                    break  # sorted by score: no later mentor is constrained
                if need > v[j] and j != mu and b[j] > 0:
                    if need > capv[j]:
                        return False
                    v[j] = need
                    parent[j] = mu
                    updates[j] += 1
                    if updates[j] % 8 == 0 and _on_cycle(j, parent):
                        return False  # a positive cycle: prices would rise forever; a better swap exists
                    if not queued[j]:
                        queued[j] = True
                        queue.append(j)
        if head > budget:  # too much work for an accelerator: let column generation go on instead
            return False
    return True


def _on_cycle(j: int, parent: list[int]) -> bool:
    """Does following the price-raising parents from j come back to j?"""
    x, steps = parent[j], 0
    while x >= 0 and steps <= len(parent):
        if x == j:
            return True
        x, steps = parent[x], steps + 1
    return False
