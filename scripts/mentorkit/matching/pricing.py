"""Pricing: which pairs left out of the side-rule model could improve its optimum.

A left-out pair helps when its reduced cost under the LP's duals is positive (its
score, less its mentee's and mentor's prices and those of the side rules). Each
mentee's candidate row is sorted best first, so a scan stops at the first pair that
cannot price in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .master import Master
from .solver import TOL

Priced = tuple[int, int, int]  # (mentee, mentor, score in cents)


@dataclass(frozen=True)
class _Prices:
    """The LP's duals as the reduced cost reads them."""

    u: list[float]  # each mentee's price
    v: list[float]  # each mentor's price
    shift: float  # minus the count rows' prices (coefficient 1 on every pair)
    pi_cross: float  # the cross-department share row's price
    alpha: float  # that share
    cross_gain: float  # the most the share row can add to a reduced cost


def price(master: Master, duals: dict[str, float], count_stage: bool, floor: int, extra_names: Iterable[str],
          per_round: int, least: float = TOL) -> list[Priced]:
    """Left-out pairs whose reduced cost is above `least` (positive: they can improve the LP), at most
    `per_round` per mentee (the most violated)."""
    ix, side, m, smax = master.ix, master.side, master.ix.m, master.ix.smax
    pi_cross = duals.get("cross", 0.0)
    alpha = side.share or 0.0
    prices = _Prices(u=[duals.get(f"e{i}", 0.0) for i in range(len(ix.rows))],
                     v=[duals.get(f"r{j}", 0.0) for j in range(len(master.b))],
                     shift=-sum(duals.get(n, 0.0) for n in extra_names), pi_cross=pi_cross, alpha=alpha,
                     cross_gain=max(-pi_cross * (1 - alpha), pi_cross * alpha, 0.0))
    limit = (smax - floor + 1) * m
    out: list[Priced] = []
    for i in range(len(ix.rows)):
        if master.a[i] <= 0:
            continue
        best_possible = prices.shift - prices.u[i] + prices.cross_gain  # + c: mentor and team duals only lower it
        if count_stage and 1 + best_possible <= least:
            continue
        found = _priced_in_row(master, duals, prices, i, limit, best_possible, count_stage, least)
        if found:
            found.sort()
            out += [(i, j, sc) for _, j, sc in found[:per_round]]
    return out


def _priced_in_row(master: Master, duals: dict[str, float], prices: _Prices, i: int, limit: int,
                   best_possible: float, count_stage: bool, least: float) -> list[tuple[float, int, int]]:
    """Mentee i's left-out pairs that price in, as (-reduced cost, mentor, score in cents)."""
    side, m, smax = master.side, master.ix.m, master.ix.smax
    b, cols, ui, v, shift = master.b, master.cols, prices.u[i], prices.v, prices.shift
    team = side.mentee_team[i] if side.team_rule else None
    found: list[tuple[float, int, int]] = []
    for key in master.ix.rows[i]:
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
            rc -= prices.pi_cross * ((1.0 if master.cross(i, j) else 0.0) - prices.alpha)
        if team:
            rc -= duals.get(f"t{j}_{team}", 0.0)
        if rc > least:
            found.append((-rc, j, smax - q))
    return found
