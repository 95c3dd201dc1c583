"""The capacity model (every format but peer and mosaic): lexicographic stages, each exact.

Mentees x mentors with capacities is a bipartite b-matching. Without side rules it
is a network flow (`flow`): the most pairs (maximum flow); with a fairness floor,
the best lowest pair score (binary search on the count); then the best total score,
the most previous pairs kept and the one tie-break, in one min-cost flow.

Side rules that break that structure (a cross-department share, one mentee per team)
make the stages integer programs over every eligible pair with room on both sides
(`side_model`), solved by `solver` one after another, each optimum held by a row
of the next; then the tie-break (`tiebreak`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import flow, groups
from .candidates import Pair, PairIndex
from .solver import TOL, Infeasible, Row, Sol, Solver, Stage
from .tiebreak import lexicographic_first


@dataclass
class SideRules:
    """Program rules beyond capacity and eligibility."""

    share: float | None = None  # at least this share of all pairs (fixed ones included) cross-department
    fixed_pairs: int = 0
    fixed_cross: int = 0
    mentee_dept: list[str] = field(default_factory=list)
    mentor_dept: list[str] = field(default_factory=list)
    team_rule: bool = False
    mentee_team: list[str | None] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.share is not None or self.team_rule


def side_model(ix: PairIndex, a: list[int], b: list[int], side: SideRules, floor: int
               ) -> tuple[list[Pair], list[float], list[Row]]:
    """The integer program over every eligible pair scoring at least `floor` whose mentee and mentor have room (no
    other pair can be in a proposal), in (mentee, mentor) order: columns, their scores, and the rows: a mentee's
    and a mentor's places, one mentee per team and mentor, the cross-department share."""
    cols: list[Pair] = []
    score: list[float] = []
    for i, row in enumerate(ix.rows):
        if a[i] <= 0:
            continue
        mine = []
        for key in row:
            s, j = ix.decode(key)
            if s < floor:
                break  # the row is sorted best first
            if b[j] > 0:
                mine.append((j, s))
        for j, s in sorted(mine):
            cols.append((i, j))
            score.append(float(s))
    by_mentee: dict[int, list[tuple[int, float]]] = {}
    by_mentor: dict[int, list[tuple[int, float]]] = {}
    by_team: dict[tuple[int, str], list[tuple[int, float]]] = {}
    for k, (i, j) in enumerate(cols):
        by_mentee.setdefault(i, []).append((k, 1.0))
        by_mentor.setdefault(j, []).append((k, 1.0))
        team = side.mentee_team[i] if side.team_rule else None
        if team:
            by_team.setdefault((j, team), []).append((k, 1.0))
    rows = [Row(f"e{i}", c, "<=", a[i]) for i, c in sorted(by_mentee.items())]
    rows += [Row(f"r{j}", c, "<=", b[j]) for j, c in sorted(by_mentor.items())]
    rows += [Row(f"t{j}_{t}", c, "<=", 1) for (j, t), c in sorted(by_team.items()) if len(c) > 1]
    if side.share is not None:
        alpha = side.share
        coefs = [(k, (1.0 if side.mentee_dept[i] != side.mentor_dept[j] else 0.0) - alpha)
                 for k, (i, j) in enumerate(cols)]
        rows.append(Row("cross", coefs, ">=", alpha * side.fixed_pairs - side.fixed_cross))
    return cols, score, rows


def most_pairs(solver: Solver, n: int, rows: list[Row]) -> int:
    """The most pairs an integer solution of `rows` over `n` pair columns holds (-1: none). The LP bounds it; a
    solution reaching the bound (a feasibility solve, quick) proves it, else the integer program decides."""
    lp = solver.solve([1.0] * n, rows)
    if lp.status != "Optimal":
        return -1
    most = math.floor(lp.objective + TOL)
    count = Row("count", [(k, 1.0) for k in range(n)], ">=", most - 0.5)
    if solver.solve([0.0] * n, [*rows, count], integer=True).status == "Optimal":
        return most
    sol = solver.solve([1.0] * n, rows, integer=True)
    return round(sol.objective) if sol.status == "Optimal" else -1


def off_face(obj: list[float], rows: list[Row], duals: dict[str, float], gap: float) -> list[int]:
    """Columns in no solution within `gap` of the LP bound: their reduced cost under the LP's duals is below
    -gap (the bound less a solution's value is at least the sum of its columns' negative reduced costs)."""
    rc = list(obj)
    for row in rows:
        d = duals.get(row.name, 0.0)
        if d:
            for k, c in row.coefs:
                rc[k] -= d * c
    return [k for k, r in enumerate(rc) if r < -gap - TOL]


class Capacity:
    """One run of the capacity model: its stages, and what each proved."""

    def __init__(self, index: PairIndex, room_mentee: list[int], room_mentor: list[int], keep: set[Pair],
                 side: SideRules, solver: Solver):
        self.ix = index
        self.a = room_mentee
        self.b = room_mentor
        self.keep = keep  # pairs of the previous proposal: preferred among equally good solutions
        self.side = side
        self.solver = solver
        self.stages: list[Stage] = []
        self.mip = side.active
        self.model_pairs = index.eligible_pairs()  # pairs the solver saw (with side rules: those with room)
        self.groups: groups.Groups | None = None  # people in interchangeable groups, when that pays (`groups`)

    def solve(self, fairness: bool) -> list[Pair]:
        return self._side(fairness) if self.mip else self._flow(fairness)

    def _flow(self, fairness: bool) -> list[Pair]:
        """Most pairs (maximum flow); with a fairness floor, the best lowest pair score; then the best total
        score, the most previous pairs kept and the tie-break (`flow.solve`)."""
        self.groups = groups.find(self.ix, self.a, self.b, self.keep)
        floor = 0
        if fairness:  # the floor search needs the count first
            matched = self._max_pairs(0)
            self.stages.append(Stage("matched", matched, matched))
            floor = self._floor(fairness, matched)
        core = self.groups.solve(floor) if self.groups else None
        if core is None:
            core = flow.solve(self.ix, self.a, self.b, self.keep, floor)
        if not fairness:
            self.stages.append(Stage("matched", len(core.pairs), len(core.pairs)))
        self.stages.append(Stage("total_score", core.score, core.score))
        return core.pairs

    def _floor(self, fairness: bool, matched: int) -> int:
        if not (fairness and matched):
            return 0
        floor = self._best_floor(matched)
        self.stages.append(Stage("lowest_score", floor, floor))
        return floor

    def _best_floor(self, matched: int) -> int:
        """The highest lowest-pair score that still matches as many mentees (binary search)."""
        lo, hi = 0, self.ix.smax  # count(lo) == matched is known
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.mip:
                cols, _, rows = side_model(self.ix, self.a, self.b, self.side, mid)
                got = most_pairs(self.solver, len(cols), rows)
            else:
                got = self._max_pairs(mid)
            if got >= matched:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _max_pairs(self, floor: int) -> int:
        if self.groups:
            return self.groups.max_pairs(floor)
        return flow.max_pairs(self.ix, self.a, self.b, floor)

    def _side(self, fairness: bool) -> list[Pair]:
        """The stages as integer programs over every eligible pair with room: the most pairs; with a fairness
        floor, the best lowest pair score; the best total score; the most previous pairs kept; each optimum held
        by a row of the next. Then the tie-break (`tiebreak`) among the proposals left, all optimal."""
        cols, score, rows = side_model(self.ix, self.a, self.b, self.side, 0)
        self.model_pairs = len(cols)
        matched = most_pairs(self.solver, len(cols), rows)
        if matched < 0:
            raise Infeasible("matched")
        self.stages.append(Stage("matched", matched, matched))
        floor = self._floor(fairness, matched)
        if floor:
            cols, score, rows = side_model(self.ix, self.a, self.b, self.side, floor)
        rows.append(Row("count", [(k, 1.0) for k in range(len(cols))], ">=", matched - 0.5))
        # The LP's prices rule out, exactly, the pairs in no proposal of the best total (`off_face`): the
        # tie-break need not consider them.
        lp = self.solver.solve(score, rows)
        total, sol = self._stage("total_score", score, rows)
        off = off_face(score, rows, lp.duals, lp.objective - total) if lp.status == "Optimal" else []
        rows.append(Row("score", [(k, c) for k, c in enumerate(score)], ">=", total - 0.5))
        kept = [1.0 if c in self.keep else 0.0 for c in cols]
        if any(kept):
            sol = self.solver.solve(kept, rows, integer=True, zeros=off)
            rows.append(Row("kept", [(k, 1.0) for k, c in enumerate(kept) if c], ">=", round(sol.objective) - 0.5))
        values = lexicographic_first(self.solver, len(cols), rows, range(len(cols)), sol.values, off)
        return [c for c, v in zip(cols, values, strict=True) if v > 0.5]

    def _stage(self, name: str, objective: list[float], rows: list[Row]) -> tuple[int, Sol]:
        """One lexicographic stage: its integer optimum over every eligible pair with room, recorded."""
        sol = self.solver.solve(objective, rows, integer=True)
        if sol.status != "Optimal":
            raise Infeasible(name)
        value = round(sol.objective)
        self.stages.append(Stage(name, value, value))
        return value, sol
