"""Pricing: which pairs left out of the side-rule model could improve its optimum.

A left-out pair helps when its reduced cost under the LP's duals is positive (its
score, less its mentee's and mentor's prices and those of the side rules). Each
mentee's candidate row is sorted best first, so a scan stops at the first pair that
cannot price in.
"""

from __future__ import annotations

from collections.abc import Iterable

from .master import Master
from .solver import TOL

Priced = tuple[int, int, int]  # (mentee, mentor, score in cents)


def price(master: Master, duals: dict[str, float], count_stage: bool, floor: int, extra_names: Iterable[str],
          per_round: int, least: float = TOL) -> list[Priced]:
    """Left-out pairs whose reduced cost is above `least` (positive: they can improve the LP), at most
    `per_round` per mentee (the most violated)."""
    ix, side, m, smax = master.ix, master.side, master.ix.m, master.ix.smax
    shift = -sum(duals.get(n, 0.0) for n in extra_names)  # count row (coefficient 1 on every pair)
    u = [duals.get(f"e{i}", 0.0) for i in range(len(ix.rows))]
    v = [duals.get(f"r{j}", 0.0) for j in range(len(master.b))]
    limit = (smax - floor + 1) * m
    pi_cross = duals.get("cross", 0.0)
    alpha = side.share or 0.0
    cross_gain = max(-pi_cross * (1 - alpha), pi_cross * alpha, 0.0)
    b, cols = master.b, master.cols
    out: list[Priced] = []
    for i, row in enumerate(ix.rows):
        if master.a[i] <= 0:
            continue
        ui = u[i]
        best_possible = shift - ui + cross_gain  # + c: mentor and team duals only lower a reduced cost
        if count_stage and 1 + best_possible <= least:
            continue
        team = side.mentee_team[i] if side.team_rule else None
        found: list[tuple[float, int, int]] = []
        for key in row:
            if key >= limit:
                break
            q, j = divmod(key, m)
            c = 1 if count_stage else smax - q
            if c + best_possible <= least:
                break  # the row is sorted by score: nothing further down can price in
            if b[j] <= 0 or (i, j) in cols:
                continue
            rc = c - ui - v[j] + shift
            if side.share is not None:
                rc -= pi_cross * ((1.0 if master.cross(i, j) else 0.0) - alpha)
            if team:
                rc -= duals.get(f"t{j}_{team}", 0.0)
            if rc > least:
                found.append((-rc, j, smax - q))
        if found:
            found.sort()
            out += [(i, j, sc) for _, j, sc in found[:per_round]]
    return out
