"""The capacity model (every format but peer and mosaic): lexicographic stages, each exact.

Mentees x mentors with capacities is a bipartite b-matching. Without side rules it
is a network flow (`flow`): the most pairs (maximum flow); with a fairness floor,
the best lowest pair score (binary search on the count); then the best total score,
the most previous pairs kept and the one tie-break, in one min-cost flow.

Side rules that break that structure (a cross-department share, one mentee per team)
make the stages integer programs on generated candidate pairs (`master`, `pricing`:
column generation through PuLP), with the count held by a row; the LP over all pairs
still bounds them, and each `Stage` records the value and the bound.
"""

from __future__ import annotations

from . import flow
from .candidates import Pair, PairIndex
from .master import ExtraRow, Master, Objective, SideRules, count_pairs, sum_scores
from .pricing import price
from .solver import TOL, Infeasible, MatchOptions, Row, Sol, Solver, Stage
from .tiebreak import lexicographic_first


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
    """One run of the capacity model: its stages, the model they share, and what each proved."""

    def __init__(self, index: PairIndex, room_mentee: list[int], room_mentor: list[int],
                 keep: set[Pair], side: SideRules, solver: Solver, options: MatchOptions):
        self.ix = index
        self.master = Master(index, room_mentee, room_mentor, keep, side, options.candidates)
        self.a = room_mentee
        self.b = room_mentor
        self.side = side
        self.solver = solver
        self.opt = options
        self.rounds = 0
        self.stages: list[Stage] = []
        self.mip = side.active

    @property
    def cols(self) -> dict[Pair, int]:
        """The pairs in the side-rule model, with their scores."""
        return self.master.cols

    @property
    def model_pairs(self) -> int:
        """Pairs the solver saw: the generated candidates with side rules, else every eligible pair."""
        return len(self.cols) if self.mip else self.ix.eligible_pairs()

    # --- the stages, in order ----------------------------------------------

    def solve(self, fairness: bool) -> list[Pair]:
        if not self.side.active:  # the pure b-matching: exact network flows (`flow`)
            return self._flow(fairness)
        self.master.seed(0, flow.solve(self.ix, self.a, self.b, set(), 0, tie_break=False).pairs)  # a good start
        matched, _, _ = self._stage("matched", 0, count_pairs, [], True)
        return self._with_count_row(self._floor(fairness, matched), matched)

    def _flow(self, fairness: bool) -> list[Pair]:
        """Most pairs (maximum flow); with a fairness floor, the best lowest pair score; then the best total
        score, the most previous pairs kept and the tie-break (`flow.solve`)."""
        floor = 0
        if fairness:  # the floor search needs the count first
            matched = flow.max_pairs(self.ix, self.a, self.b, 0)
            self.stages.append(Stage("matched", matched, matched))
            floor = self._floor(fairness, matched)
        core = flow.solve(self.ix, self.a, self.b, self.master.keep, floor)
        if not fairness:
            self.stages.append(Stage("matched", len(core.pairs), len(core.pairs)))
        self.stages.append(Stage("total_score", core.score, core.score))
        return core.pairs

    def _floor(self, fairness: bool, matched: int | None) -> int:
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
            got: float
            if self.side.active:
                self.master.seed(mid)
                sol, cols, rows = self._lp_stage(mid, count_pairs, [], True)
                got = sol.objective if sol.status == "Optimal" else -1
                if got >= matched - TOL:
                    mip = self.solver.solve([1.0] * len(cols), rows, integer=True)
                    got = mip.objective if mip.status == "Optimal" else -1
            else:
                got = flow.max_pairs(self.ix, self.a, self.b, mid)
            if got >= matched - TOL:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _with_count_row(self, floor: int, matched: int) -> list[Pair]:
        """The best total score among solutions with `matched` pairs, the count held by a row; then, with the
        score held by a row too, the most previous pairs, and the tie-break (`tiebreak`) over every pair some
        optimal proposal can use."""
        count_row = ExtraRow("count", count_pairs, ">=", matched)
        total, sol, _ = self._stage("total_score", floor, sum_scores, [count_row], False)
        # A pair left out whose reduced cost is below -(bound - total) is in no proposal scoring `total`: with the
        # others in, the pick below is over all eligible pairs, whichever duals the solver returned.
        stage = self.stages[-1]
        face = price(self.master, sol.duals, False, floor, ["count"], len(self.b) + 1, -(stage.bound - total) - TOL)
        for i, j, sc in face:
            self.cols[(i, j)] = sc
        cols, obj, rows = self.master.model(floor, sum_scores, [count_row])
        duals = sol.duals
        if face:  # the pairs added may score more than the model did (when it was not proven optimal)
            sol = self.solver.solve(obj, rows, integer=True)
            total = stage.value = max(total, round(sol.objective))
        off = off_face(obj, rows, duals, stage.bound - total)
        rows.append(Row("score", [(k, c) for k, c in enumerate(obj)], ">=", total - 0.5))
        kept = [1.0 if c in self.master.keep else 0.0 for c in cols]
        if any(kept):
            sol = self.solver.solve(kept, rows, integer=True, zeros=off)
            rows.append(Row("kept", [(k, 1.0) for k, c in enumerate(kept) if c], ">=", round(sol.objective) - 0.5))
        values = lexicographic_first(self.solver, len(cols), rows, range(len(cols)), sol.values, off)
        return [c for c, v in zip(cols, values, strict=True) if v > 0.5]

    # --- one stage ---------------------------------------------------------

    def _stage(self, name: str, floor: int, objective: Objective, extra: list[ExtraRow], count_stage: bool
               ) -> tuple[int, Sol, list[Pair]]:
        """One lexicographic stage: the integer optimum over the candidates, and the LP bound over all pairs."""
        sol, cols, rows = self._lp_stage(floor, objective, extra, count_stage)
        if sol.status != "Optimal":
            raise Infeasible(name)
        bound = sol.objective
        mip = self.solver.solve([objective(i, j, self.cols[(i, j)]) for i, j in cols], rows, integer=True)
        if mip.status != "Optimal":
            raise Infeasible(name)
        sol = Sol(mip.status, mip.values, sol.duals, mip.objective)
        value = round(sol.objective)
        self.stages.append(Stage(name, value, bound))
        return value, sol, cols

    def _lp_stage(self, floor: int, objective: Objective, extra: list[ExtraRow], count_stage: bool
                  ) -> tuple[Sol, list[Pair], list[Row]]:
        """Column generation: solve the LP over the model's pairs, price the rest, repeat until none helps."""
        while True:
            cols, obj, rows = self.master.model(floor, objective, extra)
            sol = self.solver.solve(obj, rows)
            self.rounds += 1
            if sol.status != "Optimal":
                return sol, cols, rows
            new = price(self.master, sol.duals, count_stage, floor, [r.name for r in extra], self.opt.add_per_round)
            if not new:
                return sol, cols, rows
            for i, j, sc in new:
                self.cols[(i, j)] = sc
