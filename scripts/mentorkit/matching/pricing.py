"""Pricing: which pairs left out of the capacity model could improve its optimum.

A left-out pair helps when its reduced cost under the LP's duals is positive (its
score, less its mentee's and mentor's prices and those of the side rules). Each
mentee's candidate row is sorted best first, so a scan stops at the first pair that
cannot price in. When the duals are integers, as a totally unimodular LP's vertex
duals are, the test is exact and every violated pair is kept (`ExactDuals`) for the
certificate (`certificate.repair`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .candidates import Pair
from .master import Master
from .solver import TOL, Sol

Priced = tuple[int, int, int]  # (mentee, mentor, score in cents)


@dataclass
class ExactDuals:
    """Integral duals of the last LP, and every left-out pair they price in."""

    violated: list[Priced]
    mentee: list[int]  # u
    mentor: list[int]  # v


def price(master: Master, duals: dict[str, float], count_stage: bool, floor: int, extra_names: Iterable[str],
          per_round: int, bonus: int = 0) -> tuple[list[Priced], ExactDuals | None]:
    """Left-out pairs whose reduced cost is positive, at most `per_round` per mentee (the most violated); and,
    on the plain capacity model with integral duals, every violated pair."""
    ix, side, m, smax = master.ix, master.side, master.ix.m, master.ix.smax
    shift = -sum(duals.get(n, 0.0) for n in extra_names)  # count row (coefficient 1 on every pair)
    u = [duals.get(f"e{i}", 0.0) for i in range(len(ix.rows))]
    v = [duals.get(f"r{j}", 0.0) for j in range(len(master.b))]
    limit = (smax - floor + 1) * m
    if not count_stage and not side.active:
        return _price_fast(master, u, v, shift, limit, bonus, per_round)
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
        if count_stage and 1 + best_possible <= TOL:
            continue
        team = side.mentee_team[i] if side.team_rule else None
        found: list[tuple[float, int, int]] = []
        for key in row:
            if key >= limit:
                break
            q, j = divmod(key, m)
            c = 1 if count_stage else smax - q + bonus
            if c + best_possible <= TOL:
                break  # the row is sorted by score: nothing further down can price in
            if b[j] <= 0 or (i, j) in cols:
                continue
            rc = c - ui - v[j] + shift
            if side.share is not None:
                rc -= pi_cross * ((1.0 if master.cross(i, j) else 0.0) - alpha)
            if team:
                rc -= duals.get(f"t{j}_{team}", 0.0)
            if rc > TOL:
                found.append((-rc, j, smax - q))
        if found:
            found.sort()
            out += [(i, j, sc) for _, j, sc in found[:per_round]]
    return out, None


def _integers(u: Sequence[float], v: Sequence[float]) -> tuple[list[int], list[int]] | None:
    if all(abs(x - round(x)) < 1e-6 for x in u) and all(abs(x - round(x)) < 1e-6 for x in v):
        return [round(x) for x in u], [round(x) for x in v]
    return None


def _price_fast(master: Master, u: Sequence[float], v: Sequence[float], shift: float, limit: int, bonus: int,
                per_round: int) -> tuple[list[Priced], ExactDuals | None]:
    """`price` for the plain capacity model, with the tests folded into integer key comparisons.

    For key = q x m + j (score = smax - q): a pair prices in iff v_j + q < t, with
    t = smax + bonus - u_i + shift; and since v_j >= 0, no key at or beyond t x m can. When the duals are
    integers the test is exact, and every violated pair is also returned.
    """
    ix, m, smax, b = master.ix, master.ix.m, master.ix.smax, master.b
    exact = _integers(u, v) if shift == 0 else None
    if exact is not None:
        u, v = exact
    tol = 0 if exact is not None else TOL
    in_model: dict[int, set[int]] = {}
    for i, j in master.cols:
        in_model.setdefault(i, set()).add(j)
    out: list[Priced] = []
    violations: list[Priced] = []
    for i, row in enumerate(ix.rows):
        if master.a[i] <= 0:
            continue
        t = smax + bonus - u[i] + shift - tol
        lim = min(limit, max(0, math.ceil(t)) * m)
        mine = in_model.get(i, ())
        found = []
        for key in row:
            if key >= lim:
                break
            q, j = divmod(key, m)
            if v[j] + q < t and j not in mine and b[j] > 0:
                found.append((v[j] + q - t, j, smax - q))
        if found:
            found.sort()
            out += [(i, j, sc) for _, j, sc in found[:per_round]]
            if exact is not None:
                violations += [(i, j, sc) for _, j, sc in found]
    return out, (ExactDuals(violations, *exact) if exact is not None else None)


def drop_far(master: Master, cols: list[Pair], sol: Sol, bonus: int, drop: float) -> None:
    """Keep the model small: drop unused pairs whose reduced cost is far below zero (they are unlikely to
    be needed; if they are, pricing brings them back). Only after a round that improved the objective, so
    column generation cannot cycle."""
    far = -drop * master.ix.smax
    u = sol.duals
    for (i, j), x in zip(cols, sol.values, strict=True):
        if x < 0.5 and (i, j) not in master.keep:
            rc = master.cols[(i, j)] + bonus - u.get(f"e{i}", 0.0) - u.get(f"r{j}", 0.0)
            if rc < far:
                del master.cols[(i, j)]
