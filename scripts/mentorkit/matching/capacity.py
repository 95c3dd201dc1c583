"""The capacity model (every format but peer and mosaic): lexicographic stages, each proven optimal.

Mentees x mentors with capacities is a bipartite b-matching, whose LP is totally
unimodular: the LP optimum is integral, so it is the integer optimum. `Capacity.solve`
runs the stages:

1. the count, most mentees matched: exact, from `bmatching.max_b_matching` (no
   augmenting path left over all eligible pairs);
2. with a fairness floor, the best lowest pair score (binary search on the count);
3. the total score, by column generation (`master`, `pricing`): count and score in
   one LP, each pair earning its score plus a bonus larger than any score (the
   bonus grows in the rare case the count falls short); an exact integer
   certificate (`certificate`) closes the tail of degenerate pricing rounds;
4. the tie-break on the optimal face (`tiebreak`).

Side rules that break total unimodularity (a cross-department share, one mentee per
team) make the stages integer programs on the generated candidates, with the count
held by a row; the LP over all pairs still bounds them, and each `Stage` records the
value and the bound.
"""

from __future__ import annotations

import math

from . import tiebreak
from .bmatching import greedy, max_b_matching
from .candidates import CandidateIndex, Pair
from .certificate import Prices, certify, repair
from .flat import Flat
from .live import available as live_available
from .livecore import face_tie_break, score_stage
from .master import ExtraRow, Master, Objective, SideRules, count_pairs, sum_scores
from .pricing import ExactDuals, drop_far, price
from .solver import TOL, Infeasible, MatchOptions, Row, Sol, Solver, Stage, integral
from .tiebreak import among_candidates, on_model_face, on_optimal_face, tie_objective


def _score_plus(bonus: int) -> Objective:
    return lambda i, j, s: float(s + bonus)


class Capacity:
    """One run of the capacity model: its stages, the model they share, and what each proved."""

    def __init__(self, index: CandidateIndex, room_mentee: list[int], room_mentor: list[int],
                 keep: set[Pair], side: SideRules, solver: Solver, options: MatchOptions):
        self.ix = index
        self.live = options.live and live_available()  # the pure core on a live HiGHS LP (`livecore`)
        first = options.live_candidates if self.live and not side.active else options.candidates
        self.master = Master(index, room_mentee, room_mentor, keep, side, first)
        self.a = room_mentee
        self.b = room_mentor
        self.side = side
        self.solver = solver
        self.opt = options
        self.rounds = 0
        self.stages: list[Stage] = []
        self.mip = side.active
        self.certified = False
        self.exact: ExactDuals | None = None  # the last exact pricing: integral duals and the pairs they violate
        self.prices: Prices | None = None  # an exact optimal dual over all pairs
        self.flat: Flat | None = None  # every eligible pair as arrays, for the live path (made when first needed)

    @property
    def cols(self) -> dict[Pair, int]:
        """The pairs in the model, with their scores."""
        return self.master.cols

    # --- the stages, in order ----------------------------------------------

    def solve(self, fairness: bool) -> list[Pair]:
        self.master.seed(0, greedy(self.ix, self.a, self.b))
        if self.side.active:  # side rules: the count is an integer program on generated candidates
            matched, _, _ = self._stage("matched", 0, count_pairs, [], True)
            return self._with_count_row(self._floor(fairness, matched), matched)
        found = None
        if fairness:  # the floor search needs the count first: a maximum b-matching (König)
            best = max_b_matching(self.ix, self.a, self.b, 0)
            found = len(best)
            self.stages.append(Stage("matched", found, found))
            self.master.seed(0, best)
        return self._solve_bonus(self._floor(fairness, found), found)

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
                pairs = max_b_matching(self.ix, self.a, self.b, mid)
                got = len(pairs)
                if got >= matched:
                    self.master.seed(mid, pairs)  # keeps the LP of the next stage feasible from its first round
            if got >= matched - TOL:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _solve_bonus(self, floor: int, matched: int | None) -> list[Pair]:
        """Count and score in one LP: every pair earns a bonus on top of its score, and no count row is needed.

        If the optimum has the maximum count (checked exactly: no augmenting path over all eligible pairs,
        Berge/König), it is also the best score among maximum-count solutions, since all of them earn the same
        bonus. The bonus starts just above the best pair score (small numbers, exact arithmetic) and grows only
        if the count falls short.
        """
        bonus = self.ix.smax + 1
        while bonus <= 10**6:
            value, sol, cols = self._stage("total_score", floor, _score_plus(bonus), [], False, bonus)
            chosen = [c for c, x in zip(cols, sol.values, strict=True) if x > 0.5]
            best = max_b_matching(self.ix, self.a, self.b, floor, start=chosen)
            stage = self.stages.pop()
            if len(best) == len(chosen):
                if matched is None:
                    self.stages.append(Stage("matched", len(chosen), len(chosen)))
                earned = bonus * len(chosen)
                self.stages.append(Stage("total_score", value - earned, stage.bound - earned))
                return self._tie_break(floor, value, sol, cols, [], bonus, len(chosen))
            self.master.seed(floor, best)  # the model gets a maximum matching, and the bonus grows
            bonus *= 8
        # Scores so spread that no moderate bonus keeps the count: a count row instead (exact, slower).
        count = len(max_b_matching(self.ix, self.a, self.b, floor))
        if not any(s.name == "matched" for s in self.stages):
            self.stages.insert(0, Stage("matched", count, count))
        return self._with_count_row(floor, count)

    def _with_count_row(self, floor: int, matched: int) -> list[Pair]:
        """The best total score among solutions with `matched` pairs, the count held by a row."""
        count_row = ExtraRow("count", count_pairs, ">=", matched)
        total, sol, cols = self._stage("total_score", floor, sum_scores, [count_row], False)
        return self._tie_break(floor, total, sol, cols, [count_row], 0, matched)

    def _tie_break(self, floor: int, total: float, sol: Sol, cols: list[Pair], extra: list[ExtraRow], bonus: int,
                   matched: int) -> list[Pair]:
        """Among optimal solutions: keep the most previous pairs, then a fixed pseudo-random preference."""
        def tie(pairs: list[Pair]) -> list[int]:
            return tie_objective(pairs, self.master.keep, self.ix.mentees, self.ix.mentors, 1024 * (len(pairs) + 1))

        if self.mip:
            return among_candidates(self.master, self.solver, floor, total, sol, cols, extra, tie(cols))
        if self.prices is not None and not extra:
            face = None
            if self.flat is not None:
                face = face_tie_break(self.master, self.flat, self.prices, floor, bonus, matched,
                                      tiebreak.FACE_WHOLE, tiebreak.FACE_START, tiebreak.FACE_ADD)
            if face is None:
                face = on_optimal_face(self.master, self.solver, self.prices, floor, bonus, matched)
            if face is not None:
                return face
        return on_model_face(self.master, self.solver, floor, sol, cols, extra, bonus, tie(cols))

    # --- one stage ---------------------------------------------------------

    def _stage(self, name: str, floor: int, objective: Objective, extra: list[ExtraRow], count_stage: bool,
               bonus: int = 0) -> tuple[int, Sol, list[Pair]]:
        """One lexicographic stage: its optimum over all eligible pairs (LP), or over the candidates (MIP)."""
        sol, cols, rows = self._lp_stage(floor, objective, extra, count_stage, bonus)
        if sol.status != "Optimal":
            raise Infeasible(name)
        bound = sol.objective
        if self.mip or not integral(sol.values):
            self.mip = True
            mip = self.solver.solve([objective(i, j, self.cols[(i, j)]) for i, j in cols], rows, integer=True)
            if mip.status != "Optimal":
                raise Infeasible(name)
            sol = Sol(mip.status, mip.values, sol.duals, mip.objective)
        value = round(sol.objective)
        self.stages.append(Stage(name, value, bound))
        return value, sol, cols

    def _lp_stage(self, floor: int, objective: Objective, extra: list[ExtraRow], count_stage: bool, bonus: int = 0
                  ) -> tuple[Sol, list[Pair], list[Row]]:
        """Column generation: solve the LP over the model's pairs, price the rest, repeat until none helps."""
        last = -math.inf
        self.prices = None  # a proof belongs to one stage's objective
        if self.live and not count_stage and not extra and not self.side.active:
            got = self._live_stage(floor, bonus)
            if got is not None:
                return got
        certifiable = not count_stage and not extra and not self.side.active and max(self.a, default=0) <= 1
        while True:
            cols, obj, rows = self.master.model(floor, objective, extra)
            sol = self.solver.solve(obj, rows)
            self.rounds += 1
            if sol.status != "Optimal":
                return sol, cols, rows
            new, self.exact = price(self.master, sol.duals, count_stage, floor, [r.name for r in extra],
                                    self.opt.add_per_round, bonus)
            if not new:
                if certifiable and integral(sol.values):
                    self._prove(repair(self.master, self.exact, cols, sol.values, bonus, floor))  # integer prices
                return sol, cols, rows
            stalled = sol.objective <= last + TOL
            last = sol.objective
            if certifiable and integral(sol.values) and self._certified(cols, sol, floor, bonus, stalled, len(new)):
                self.certified = True
                return sol, cols, rows
            if certifiable and not stalled:
                drop_far(self.master, cols, sol, bonus, self.opt.drop)
            for i, j, sc in new:
                self.cols[(i, j)] = sc

    def _live_stage(self, floor: int, bonus: int) -> tuple[Sol, list[Pair], list[Row]] | None:
        """The score stage on a live, warm-started LP over every eligible pair, proven exactly (`livecore`);
        None if the proof did not close (the PuLP path then runs)."""
        if self.flat is None:
            self.flat = Flat(self.ix)
        got = score_stage(self.master, self.flat, floor, bonus, self.opt.live_per_round, self.opt.progress)
        if got is None:
            return None
        self.rounds += got.rounds
        self.solver.solves += got.solves
        self.prices = got.prices
        self.certified = True
        return Sol("Optimal", got.values, got.duals, got.objective), got.cols, []  # integral: no MIP needs rows

    def _certified(self, cols: list[Pair], sol: Sol, floor: int, bonus: int, stalled: bool, new: int) -> bool:
        """The LP's duals are one of many optimal duals (the LP is degenerate): some look violated by left-out
        pairs although the solution is optimal. Try to repair them into a proof; if the objective has stalled
        (or few pairs price in), try the certificate from scratch too."""
        few = self.exact is not None and len(self.exact.violated) <= max(50, len(self.a) // 4)
        if few and self._prove(repair(self.master, self.exact, cols, sol.values, bonus, floor)):
            return True
        return (stalled or new <= max(50, len(self.a) // 40)) and \
            self._prove(certify(self.master, cols, sol.values, floor, bonus))

    def _prove(self, prices: Prices | None) -> bool:
        """Keep exact optimal prices when a proof found them."""
        if prices is None:
            return False
        self.prices = prices
        return True
