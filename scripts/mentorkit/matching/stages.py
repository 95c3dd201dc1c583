"""The integer programs (side rules, peer, mosaic): the lexicographic stages, each solved exactly, then the tie-break.

A `Model` is columns (the pair columns first, in (mentee, mentor) pseudonym order, then any others), its rows,
what "matched" counts and the later objectives. `solve` runs the stages one after another, each optimum held by
a row of the next:

1. the most people matched: the LP's bound, proven by one feasibility solve when some solution reaches it (the
   usual case), else the integer program decides (`most`);
2. with a fairness floor, the best lowest pair score (`best_floor`, a binary search; the pairs scoring below a
   floor are fixed at 0);
3. the later objectives in order (skill coverage for mosaic programs, the total score, the previous pairs kept).
   Each stage's LP prices also rule out, exactly, the columns in no optimal solution (`off_face`): they stay
   at 0 from then on, and the tie-break need not consider them;
4. the tie-break among the proposals left, all optimal (`tiebreak`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .solver import TOL, Infeasible, Row, Solver, Stage
from .tiebreak import lexicographic_first

Objective = tuple[str, list[float], bool]  # (name, coefficient per column, integral values?)


@dataclass
class Model:
    pairs: int  # the first `pairs` columns are pairs, in pseudonym order
    score: list[int]  # each pair column's score, in cents
    rows: list[Row]
    count: list[float]  # per column (pairs first): what "matched" counts
    kept: list[bool]  # per pair column: a pair of the previous proposal (preferred among equally good proposals)
    first: list[Objective] = field(default_factory=list)  # stages before the total score (mosaic: skill coverage)

    def later(self) -> list[Objective]:
        """The stages after the count and the floor: `first`, the total score, the previous pairs kept (when the
        previous proposal has any here; not reported)."""
        pad = [0.0] * (len(self.count) - self.pairs)
        out = [*self.first, ("total_score", [float(s) for s in self.score] + pad, True)]
        if any(self.kept):
            out.append(("kept", [float(k) for k in self.kept] + pad, True))
        return out


def solve(solver: Solver, model: Model, fairness: bool, smax: int) -> tuple[list[int], list[Stage]]:
    """The pair columns of the chosen proposal, and what each stage achieved."""
    matched = most(solver, model.count, model.rows)
    if matched < 0:
        raise Infeasible("matched")
    stages = [Stage("matched", matched)]
    rows = [*model.rows, _held("matched", model.count, matched, True)]
    floor = 0
    if fairness and matched:
        floor = best_floor(lambda tau: solver.solve([0.0] * len(model.count), rows, integer=True,
                                                    zeros=_below(model, tau)).status == "Optimal", smax)
        stages.append(Stage("lowest_score", floor))
    zeros = _below(model, floor)
    values: list[float] = []
    for name, objective, integral in model.later():
        lp = solver.solve(objective, rows, zeros=zeros)
        sol = solver.solve(objective, rows, integer=True, zeros=zeros)
        if sol.status != "Optimal":
            raise Infeasible(name)
        value = round(sol.objective) if integral else sol.objective
        if name != "kept":
            stages.append(Stage(name, value))
        if lp.status == "Optimal":
            zeros = sorted({*zeros, *off_face(objective, rows, lp.duals, lp.objective - value)})
        rows.append(_held(name, objective, value, integral))
        values = sol.values
    values = lexicographic_first(solver, len(model.count), rows, range(model.pairs), values, zeros)
    return [k for k in range(model.pairs) if values[k] > 0.5], stages


def best_floor(reaches: Callable[[int], bool], smax: int) -> int:
    """The highest lowest pair score that `reaches` (as many people matched, every pair scoring at least it);
    a binary search: 0 always does."""
    lo, hi = 0, smax
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if reaches(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def most(solver: Solver, count: list[float], rows: list[Row]) -> int:
    """The most of `count` an integer solution of `rows` reaches (-1: there is none). The LP bounds it; a solution
    reaching the bound (a feasibility solve, quick) proves it, else the integer program decides."""
    lp = solver.solve(count, rows)
    if lp.status != "Optimal":
        return -1
    bound = math.floor(lp.objective + TOL)
    if solver.solve([0.0] * len(count), [*rows, _held("count", count, bound, True)], integer=True).status == "Optimal":
        return bound
    sol = solver.solve(count, rows, integer=True)
    return round(sol.objective) if sol.status == "Optimal" else -1


def off_face(objective: list[float], rows: list[Row], duals: dict[str, float], gap: float) -> list[int]:
    """Columns in no solution within `gap` of the LP bound: their reduced cost under the LP's duals is below
    -gap (the bound less a solution's value is at least the sum of its columns' negative reduced costs)."""
    rc = list(objective)
    for row in rows:
        d = duals.get(row.name, 0.0)
        if d:
            for k, c in row.coefs:
                rc[k] -= d * c
    return [k for k, r in enumerate(rc) if r < -gap - TOL]


def _held(name: str, objective: list[float], value: float, integral: bool) -> Row:
    """The row that keeps a stage's optimum in the stages after it."""
    slack = 0.5 if integral else 1e-6 * max(1.0, abs(value))
    return Row(name, [(k, c) for k, c in enumerate(objective) if c], ">=", value - slack)


def _below(model: Model, floor: int) -> list[int]:
    return [k for k in range(model.pairs) if model.score[k] < floor]
