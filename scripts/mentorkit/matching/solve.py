"""Match proposals: provably optimal, explainable, stable.

`propose(workspace, program_id, previous)` returns a `config.Proposal`; `match`
returns it with timings and statistics. In order:

1. Pools by format: mentees and mentors (one-to-one, group, flash, reverse,
   mosaic) or one pool (peer). Pairs fixed in advance come out first: approved
   pairs of the previous proposal (kept as they are) and pairs locked in the
   program file (checked against every hard rule: a lock that cannot hold
   raises `InfeasibleMatching` naming the rule, never a solver message).
2. `scoring.CandidateIndex` scores every eligible pair. Hard rules never enter
   the model: no proposal can break one.
3. Objectives, lexicographic: most mentees matched; then (with a fairness
   floor) the best lowest pair score; then the highest total; then the most
   pairs kept from the previous proposal; then a fixed pseudo-random tie-break
   from the pseudonyms. Each stage keeps the optimum of the ones before.
4. The capacity model (all formats but peer and mosaic) is a bipartite
   b-matching, whose LP is totally unimodular: the LP optimum is integral, so
   it is the integer optimum. Count and score go into one LP (each pair earns
   its score plus a bonus larger than any score); the count is then checked
   exactly (no augmenting path over all eligible pairs: Berge, König), and the
   bonus grows in the rare case it falls short. Only each mentee's best few
   candidates (and a greedy solution) start in the model; LP duals price every
   left-out pair and those that could improve the optimum are added
   (column generation). The LP's duals are degenerate, so near the end they
   keep flagging pairs that cannot help; an exact integer certificate (mentor
   prices computed and checked in Python, no solver tolerance) closes that
   tail. Either way the result is proven optimal over *all* eligible pairs.
5. Rules that break total unimodularity (a cross-department share, one mentee
   per team) make it an integer program on the generated candidates; the LP
   over all pairs bounds any solution, and the proposal says whether the bound
   is met (proven optimal) or how far off it could be.
6. Ties: the model is built in pseudonym order, and the final stage optimises
   the tie-break on the optimal face of the score LP (pairs with zero reduced
   cost), so the same input gives the same proposal whatever the row order of
   participants.csv.

Peer and mosaic programs are small exact integer programs over all eligible pairs.

This module is long because the capacity model's proof machinery (column
generation, certificate, maximum matching) lives next to the proposal
assembly; they would split cleanly into `matching_model.py` and `matching.py`.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import importlib.util
import math
import os
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import pulp

from ..errors import InfeasibleMatching, MentorkitError
from ..model import Format, PairStatus, Participant, Program, Proposal, ProposedPair, Unmatched, Workspace
from .scoring import CandidateIndex, Criteria, PairRules, data_notes

TOL = 1e-4  # data are integers (hundredths of points), duals are integral or near it: anything smaller is noise


# ---------------------------------------------------------------------------
# Options and results
# ---------------------------------------------------------------------------


def default_solver() -> str:
    """The CBC that ships with PuLP; MENTORKIT_SOLVER=highs picks HiGHS (needs `highspy`).

    Both give the same proposal. CBC is the default because, through PuLP, it solved these LPs faster here
    (2,000 x 1,000: 7-8 s against 9-10 s end to end; 10,000 x 5,000: 101-116 s against 170-199 s;
    bench/bench_matching.py).
    """
    wanted = os.environ.get("MENTORKIT_SOLVER", "").strip().lower()
    if wanted == "highs" and importlib.util.find_spec("highspy") is None:
        raise MentorkitError("MENTORKIT_SOLVER=highs needs the highspy package: pip install highspy")
    return "highs" if wanted == "highs" else "cbc"


@dataclass
class MatchOptions:
    solver: str | None = None  # "cbc" or "highs"; None: default_solver()
    candidates: int = 4  # first candidates per mentee place; column generation adds what can help
    add_per_round: int = 4  # at most this many priced-in pairs per mentee and round
    drop: float = 0.15  # pairs priced this share of the best score below zero leave the model (0: never)
    exact_limit: int = 150_000  # peer and mosaic: more eligible pairs than this are pruned (and the proposal says so)


@dataclass
class MatchResult:
    proposal: Proposal
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step: not in the proposal (not deterministic)
    stats: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# The LP / MIP layer: one model over "pair columns", solved through PuLP
# ---------------------------------------------------------------------------


@dataclass
class _Row:
    name: str
    coefs: list[tuple[int, float]]
    sense: str  # "<=", ">=", "="
    rhs: float


@dataclass
class _Sol:
    status: str
    values: list[float]
    duals: dict[str, float]  # max-problem convention: reduced cost = c - sum(dual x coefficient)
    objective: float


class _Solver:
    def __init__(self, name: str):
        self.name = name
        self.solves = 0

    def _backend(self):
        with warnings.catch_warnings():  # PuLP 3 announces PuLP 4 renames; the bundled CBC is what we want here
            warnings.simplefilter("ignore", DeprecationWarning)
            if self.name == "highs":
                return pulp.HiGHS(msg=False, threads=1)
            return pulp.PULP_CBC_CMD(msg=False, threads=1)

    def solve(self, objective: list[float], rows: list[_Row], *, integer: bool = False,
              ones: Iterable[int] = (), sense: int = pulp.LpMaximize) -> _Sol:
        n = len(objective)
        prob = pulp.LpProblem("mentorkit", sense)
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        make = getattr(prob, "add_variable", None) or (lambda name, lo, up, cat: pulp.LpVariable(name, lo, up, cat))
        xs = [make(f"x{k:07d}", 0, 1, cat) for k in range(n)]
        for k in ones:
            xs[k].lowBound = 1
        prob.setObjective(pulp.LpAffineExpression([(xs[k], c) for k, c in enumerate(objective)]))
        senses = {"<=": pulp.LpConstraintLE, ">=": pulp.LpConstraintGE, "=": pulp.LpConstraintEQ}
        empty = [r for r in rows if not r.coefs]
        if any((r.sense == "<=" and r.rhs < -TOL) or (r.sense == ">=" and r.rhs > TOL)
               or (r.sense == "=" and abs(r.rhs) > TOL) for r in empty):
            return _Sol("Infeasible", [0.0] * n, {}, 0.0)  # e.g. a share rule that pairs fixed in advance break
        rows = [r for r in rows if r.coefs]
        cons = []
        for row in rows:
            con = pulp.LpConstraint(pulp.LpAffineExpression([(xs[k], c) for k, c in row.coefs]), senses[row.sense],
                                    row.name, row.rhs)
            prob.addConstraint(con)
            cons.append(con)
        if n == 0:
            return _Sol("Optimal", [], {r.name: 0.0 for r in rows}, 0.0)
        self.solves += 1
        try:
            prob.solve(self._backend())
        except pulp.PulpSolverError as exc:  # a broken solver install: say so, without the solver's dump
            raise MentorkitError(f"the {self.name} solver could not run ({type(exc).__name__}); "
                                 "set MENTORKIT_SOLVER=cbc to use the solver bundled with PuLP") from None
        status = pulp.LpStatus[prob.status]
        values = [x.varValue or 0.0 for x in xs]
        sign = -1.0 if self.name == "highs" else 1.0  # HiGHS reports duals in minimisation convention
        duals = {} if integer else {c.name: sign * (c.pi or 0.0) for c in cons}
        obj = sum(c * v for c, v in zip(objective, values))
        return _Sol(status, values, duals, obj)


def _integral(values: list[float]) -> bool:
    return all(v < 1e-6 or v > 1 - 1e-6 for v in values)


# ---------------------------------------------------------------------------
# The capacity model: mentees x mentors with capacities (b-matching)
# ---------------------------------------------------------------------------


@dataclass
class _Side:
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


@dataclass
class _Stage:
    """What one lexicographic stage achieved: the value, and the LP bound over all eligible pairs."""

    name: str
    value: float
    bound: float

    @property
    def proven(self) -> bool:
        return self.value >= math.floor(self.bound + TOL) - TOL


class _Capacity:
    def __init__(self, index: CandidateIndex, room_mentee: list[int], room_mentor: list[int],
                 keep: set[tuple[int, int]], side: _Side, solver: _Solver, options: MatchOptions):
        self.ix = index
        self.a = room_mentee
        self.b = room_mentor
        self.keep = keep
        self.side = side
        self.solver = solver
        self.opt = options
        self.cols: dict[tuple[int, int], int] = {}  # (mentee, mentor) -> score in cents
        self.rounds = 0
        self.stages: list[_Stage] = []
        self.mip = side.active
        self.certified = False
        self.violations = None  # (violated pairs, mentee duals, mentor duals) of the last exact pricing
        self.prices = None  # (mentor prices, mentee -> (mentor, c)): an exact optimal dual over all pairs

    # --- columns -----------------------------------------------------------

    def _cross(self, i: int, j: int) -> bool:
        return self.side.mentee_dept[i] != self.side.mentor_dept[j]

    def _seed(self, floor: int, pairs: Iterable[tuple[int, int]] = ()) -> None:
        """Each mentee's best candidates (and, under a cross-department share, its best cross-department ones),
        plus `pairs` (a maximum matching: with it the model can reach the count from its first solve)."""
        for i, j in pairs:
            self.cols[(i, j)] = self.ix.pair_cents(i, j)
        for i, row in enumerate(self.ix.rows):
            if self.a[i] <= 0:
                continue
            want = self.a[i] + self.opt.candidates
            want_cross = want if self.side.share is not None else 0
            for key in row:
                s, j = self.ix.decode(key)
                if s < floor or (want <= 0 and want_cross <= 0):
                    break
                if self.b[j] <= 0:
                    continue
                take = want > 0
                if want_cross > 0 and self._cross(i, j):
                    want_cross -= 1
                    take = True
                if take:
                    self.cols[(i, j)] = s
                    want -= 1
        for (i, j) in self.keep:  # previous pairs compete on equal terms, so they must be in the model
            s = self.ix.pair_cents(i, j)
            if s is not None and s >= floor and self.a[i] > 0 and self.b[j] > 0:
                self.cols[(i, j)] = s

    def _model(self, floor: int, objective, extra: list[_XRow]
               ) -> tuple[list[tuple[int, int]], list[float], list[_Row]]:
        cols = sorted(k for k, s in self.cols.items() if s >= floor)
        obj = [objective(i, j, self.cols[(i, j)]) for i, j in cols]
        by_mentee: dict[int, list] = {}
        by_mentor: dict[int, list] = {}
        by_team: dict[tuple[int, str], list] = {}
        for k, (i, j) in enumerate(cols):
            by_mentee.setdefault(i, []).append((k, 1))
            by_mentor.setdefault(j, []).append((k, 1))
            if self.side.team_rule and self.side.mentee_team[i]:
                by_team.setdefault((j, self.side.mentee_team[i]), []).append((k, 1))
        rows = [_Row(f"e{i}", c, "<=", self.a[i]) for i, c in sorted(by_mentee.items())]
        rows += [_Row(f"r{j}", c, "<=", self.b[j]) for j, c in sorted(by_mentor.items())]
        rows += [_Row(f"t{j}_{t}", c, "<=", 1) for (j, t), c in sorted(by_team.items()) if len(c) > 1]
        if self.side.share is not None:
            alpha = self.side.share
            coefs = [(k, (1.0 if self._cross(i, j) else 0.0) - alpha) for k, (i, j) in enumerate(cols)]
            rows.append(_Row("cross", coefs, ">=", alpha * self.side.fixed_pairs - self.side.fixed_cross))
        for row in extra:
            rows.append(_Row(row.name, [(k, row.coefs(i, j, self.cols[(i, j)])) for k, (i, j) in enumerate(cols)],
                             row.sense, row.rhs))
        return cols, obj, rows

    def _price(self, duals: dict[str, float], count_stage: bool, floor: int, extra_names: Iterable[str],
               bonus: int = 0) -> list[tuple[int, int, int]]:
        """Left-out pairs whose reduced cost is positive, at most `add_per_round` per mentee (the most violated)."""
        ix, side, m, smax = self.ix, self.side, self.ix.m, self.ix.smax
        shift = -sum(duals.get(n, 0.0) for n in extra_names)  # count row (coefficient 1 on every pair)
        pi_cross = duals.get("cross", 0.0)
        alpha = side.share or 0.0
        cross_gain = max(-pi_cross * (1 - alpha), pi_cross * alpha, 0.0)
        u = [duals.get(f"e{i}", 0.0) for i in range(len(ix.rows))]
        v = [duals.get(f"r{j}", 0.0) for j in range(len(self.b))]
        b, cols, limit = self.b, self.cols, (smax - floor + 1) * m
        out: list[tuple[int, int, int]] = []
        if not count_stage and not side.active:
            return self._price_fast(u, v, shift, limit, bonus)
        for i, row in enumerate(ix.rows):
            if self.a[i] <= 0:
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
                    rc -= pi_cross * ((1.0 if self._cross(i, j) else 0.0) - alpha)
                if team:
                    rc -= duals.get(f"t{j}_{team}", 0.0)
                if rc > TOL:
                    found.append((-rc, j, smax - q))
            if found:
                found.sort()
                out += [(i, j, sc) for _, j, sc in found[:self.opt.add_per_round]]
        return out

    def _price_fast(self, u: list[float], v: list[float], shift: float, limit: int, bonus: int
                    ) -> list[tuple[int, int, int]]:
        """`_price` for the plain capacity model, with the tests folded into integer key comparisons.

        For key = q x m + j (score = smax - q): a pair prices in iff v_j + q < t, with
        t = smax + bonus - u_i + shift; and since v_j >= 0, no key at or beyond t x m can. When the duals are
        integers (as a totally unimodular LP's vertex duals are) the test is exact, and every violated pair is
        also kept in `self.violations` for `_repair`.
        """
        ix, m, smax, b = self.ix, self.ix.m, self.ix.smax, self.b
        exact = shift == 0 and all(abs(x - round(x)) < 1e-6 for x in u) and all(abs(x - round(x)) < 1e-6 for x in v)
        if exact:
            u, v = [round(x) for x in u], [round(x) for x in v]
        tol = 0 if exact else TOL
        in_model: dict[int, set[int]] = {}
        for i, j in self.cols:
            in_model.setdefault(i, set()).add(j)
        out: list[tuple[int, int, int]] = []
        violations: list[tuple[int, int, int]] = []
        per = self.opt.add_per_round
        for i, row in enumerate(ix.rows):
            if self.a[i] <= 0:
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
                out += [(i, j, sc) for _, j, sc in found[:per]]
                if exact:
                    violations += [(i, j, sc) for _, j, sc in found]
        self.violations = (violations, u, v) if exact else None
        return out

    def _repair(self, cols: list[tuple[int, int]], values: list[float], bonus: int, floor: int) -> bool:
        """Exact optimality proof from the LP's own (integral) duals: raise the prices of mentors that
        left-out pairs undercut, propagate, and check that no bound breaks. See `_certified` for the
        conditions; starting from the LP's prices instead of zero, only what the violations touch is
        revisited, so a proof costs little more than the pricing scan that found them."""
        if self.violations is None:
            return False
        violations, u, v0 = self.violations
        own, holders = self._holders(cols, values, bonus)
        if any(u[i] != 0 for i in range(len(self.ix.rows)) if self.a[i] > 0 and i not in own):
            return False  # an unmatched mentee's dual must be 0 (its row has slack); else the scan missed pairs
        # A matched mentee's price is what its own pair leaves: c - v(own mentor). That is at least its LP dual
        # (the pair may sit at its upper bound with a positive reduced cost), so the scan's violations are a
        # superset of the real ones.
        v = list(v0)
        raised: dict[int, int] = {}
        for i, j, sc in violations:
            need = sc + bonus - (own[i][1] - v0[own[i][0]] if i in own else 0)
            if need > raised.get(j, v[j]):
                raised[j] = need
        queue = []
        for j, need in sorted(raised.items()):
            v[j] = need
            queue.append(j)
        if not self._propagate(v, queue, own, holders, bonus, floor):
            return False
        self.prices = (v, own)
        return True

    def _holders(self, cols, values, bonus):
        own: dict[int, tuple[int, int]] = {}  # mentee -> (mentor, c)
        holders: dict[int, list[int]] = {}
        for (i, j), x in zip(cols, values):
            if x > 0.5:
                own[i] = (j, self.cols[(i, j)] + bonus)
                holders.setdefault(j, []).append(i)
        return own, holders

    # --- stages ------------------------------------------------------------

    def _lp_stage(self, floor: int, objective, extra: list, count_stage: bool, bonus: int = 0
                  ) -> tuple[_Sol, list, list]:
        """Column generation: solve the LP over the model's pairs, price the rest, repeat until none helps."""
        last = -math.inf
        while True:
            cols, obj, rows = self._model(floor, objective, extra)
            sol = self.solver.solve(obj, rows)
            self.rounds += 1
            if sol.status != "Optimal":
                return sol, cols, rows
            new = self._price(sol.duals, count_stage, floor, [r.name for r in extra], bonus)
            certifiable = not count_stage and not extra and not self.side.active and max(self.a, default=0) <= 1
            if not new:
                if certifiable and _integral(sol.values):
                    self._repair(cols, sol.values, bonus, floor)  # nothing to repair: integer prices for the face
                return sol, cols, rows
            stalled = sol.objective <= last + TOL
            last = sol.objective
            if certifiable and _integral(sol.values):
                # The LP's duals are one of many optimal duals (the LP is degenerate): some look violated by
                # left-out pairs although the solution is optimal. Try to repair them into a proof; if the
                # objective has stalled, try the certificate from scratch too.
                few = self.violations is not None and len(self.violations[0]) <= max(50, len(self.a) // 4)
                if (few and self._repair(cols, sol.values, bonus, floor)) or \
                        ((stalled or len(new) <= max(50, len(self.a) // 40))
                         and self._certified(cols, sol.values, floor, bonus)):
                    self.certified = True
                    return sol, cols, rows
            if certifiable and not stalled:
                self._drop_far(cols, sol, bonus)
            for i, j, sc in new:
                self.cols[(i, j)] = sc

    def _drop_far(self, cols: list[tuple[int, int]], sol: _Sol, bonus: int) -> None:
        """Keep the model small: drop unused pairs whose reduced cost is far below zero (they are unlikely to
        be needed; if they are, pricing brings them back). Only after a round that improved the objective, so
        column generation cannot cycle."""
        far = -self.opt.drop * self.ix.smax
        u = sol.duals
        for (i, j), x in zip(cols, sol.values):
            if x < 0.5 and (i, j) not in self.keep:
                rc = self.cols[(i, j)] + bonus - u.get(f"e{i}", 0.0) - u.get(f"r{j}", 0.0)
                if rc < far:
                    del self.cols[(i, j)]

    def _certified(self, cols: list[tuple[int, int]], values: list[float], floor: int, bonus: int) -> bool:
        """An exact optimality certificate over all eligible pairs, in integers (no solver tolerance involved).

        The solution is optimal over every eligible pair iff some dual solution is feasible for all pairs and
        complementary to it. With u_i = c(i, own mentor) - v(own mentor) for matched mentees and u_i = 0 for the
        others, the conditions are difference constraints on the mentor prices v:
            v_j >= v_own(i) + c_ij - c_i,own(i)  (matched i),    v_j >= c_ij  (unmatched i),
            v_j = 0 for mentors with room,  u_i >= 0.
        The least prices satisfying the lower bounds are longest paths, found by label correcting; since each
        row is sorted by score, a scan stops as soon as no further mentor can be constrained. The solution is
        optimal iff those least prices meet the upper bounds. The least prices over the model's pairs are
        found first (cheap, and never above the least prices over all pairs), then completed over all pairs.
        The LP's own duals are often degenerate (many optimal duals, some of which look violated by left-out
        pairs): this check replaces the long tail of column-generation rounds that such duals cause.
        Only for one mentor per mentee (mentee rows of 1) and no side rules.
        """
        if self.side.active or any(x > 1 for x in self.a):
            return False
        ix, m = self.ix, self.ix.m
        own, holders = self._holders(cols, values, bonus)
        limit = (ix.smax - floor + 1) * m
        model_rows: list[list[int]] = [[] for _ in ix.rows]
        for (i, j), sc in self.cols.items():
            if sc >= floor:
                model_rows[i].append((ix.smax - sc) * m + j)
        for r in model_rows:
            r.sort()
        v = [0] * len(self.b)
        for rows in (model_rows, ix.rows):
            queue = list(sorted(holders))  # every matched mentee's constraints must be looked at once
            raised: dict[int, int] = {}
            for i, row in enumerate(rows):
                if self.a[i] <= 0 or i in own:
                    continue
                for key in row:  # an unmatched mentee: every eligible mentor's price must deter it
                    if key >= limit:
                        break
                    q, j = divmod(key, m)
                    need = ix.smax + bonus - q
                    if need > raised.get(j, v[j]) and self.b[j] > 0:
                        raised[j] = need
            for j, need in sorted(raised.items()):
                v[j] = need
                if j not in holders:
                    queue.append(j)
            # over all pairs, starting from the model's least prices, a proof rarely needs many passes
            budget = None if rows is model_rows else len(queue) + 2 * len(self.b) + 100
            if not self._propagate(v, queue, own, holders, bonus, floor, rows, budget):
                return False
        self.prices = (v, own)
        return True

    def _propagate(self, v: list[int], queue: list[int], own, holders, bonus: int, floor: int, rows=None,
                   budget: int | None = None) -> bool:
        """Label correcting on mentor prices from `v` (queue: mentors whose constraints must be re-checked) over
        `rows` (default: every eligible pair); False as soon as a price must exceed its bound (or rises around a
        cycle)."""
        ix, m, b = self.ix, self.ix.m, self.b
        rows = ix.rows if rows is None else rows
        budget = budget if budget is not None else 64 * (len(b) + 1)
        full = [len(holders.get(j, ())) >= b[j] for j in range(len(b))]
        cap = {j: min(own[i][1] for i in hs) for j, hs in holders.items()}  # u_i >= 0: v_j <= c of each holder
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
            for i in holders.get(mu, ()):
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

    def _stage(self, name: str, floor: int, objective, extra: list, count_stage: bool, bonus: int = 0
               ) -> tuple[float, _Sol, list]:
        """One lexicographic stage: its optimum over all eligible pairs (LP), or over the candidates (MIP)."""
        sol, cols, rows = self._lp_stage(floor, objective, extra, count_stage, bonus)
        if sol.status != "Optimal":
            raise _Infeasible(name)
        bound = sol.objective
        if self.mip or not _integral(sol.values):
            self.mip = True
            mip = self.solver.solve([objective(i, j, self.cols[(i, j)]) for i, j in cols], rows, integer=True)
            if mip.status != "Optimal":
                raise _Infeasible(name)
            sol = _Sol(mip.status, mip.values, sol.duals, mip.objective)
        value = round(sol.objective)
        self.stages.append(_Stage(name, value, bound))
        return value, sol, cols

    def solve(self, fairness: bool) -> list[tuple[int, int]]:
        one = lambda i, j, s: 1.0  # noqa: E731
        self._seed(0, _greedy(self.ix, self.a, self.b))
        if self.side.active:  # side rules: the count is an integer program on generated candidates
            matched, _, _ = self._stage("matched", 0, one, [], True)
        elif fairness:  # the floor search needs the count first: a maximum b-matching (König)
            best = _max_b_matching(self.ix, self.a, self.b, 0)
            matched = len(best)
            self.stages.append(_Stage("matched", matched, matched))
            self._seed(0, best)
        else:
            matched = None
        floor = 0
        if fairness and matched:
            floor = self._best_floor(int(matched))
            self.stages.append(_Stage("lowest_score", floor, floor))
        if not self.side.active:
            return self._solve_bonus(floor, matched)
        count_row = _XRow("count", lambda i, j, s: 1.0, ">=", matched)
        total, sol, cols = self._stage("total_score", floor, lambda i, j, s: float(s), [count_row], False)
        return self._tie_break(floor, total, sol, cols, [count_row], 0, matched)

    def _solve_bonus(self, floor: int, matched: int | None) -> list[tuple[int, int]]:
        """Count and score in one LP: every pair earns a bonus on top of its score, and no count row is needed.

        If the optimum has the maximum count (checked exactly: no augmenting path over all eligible pairs,
        Berge/König), it is also the best score among maximum-count solutions, since all of them earn the same
        bonus. The bonus starts just above the best pair score (small numbers, exact arithmetic) and grows only
        if the count falls short.
        """
        bonus = self.ix.smax + 1
        while bonus <= 10**6:
            value, sol, cols = self._stage("total_score", floor, lambda i, j, s, b=bonus: float(s + b), [], False,
                                           bonus)
            chosen = [c for c, x in zip(cols, sol.values) if x > 0.5]
            best = _max_b_matching(self.ix, self.a, self.b, floor, start=chosen)
            if len(best) == len(chosen):
                stage = self.stages.pop()
                if matched is None:
                    self.stages.append(_Stage("matched", len(chosen), len(chosen)))
                earned = bonus * len(chosen)
                self.stages.append(_Stage("total_score", value - earned, stage.bound - earned))
                return self._tie_break(floor, value, sol, cols, [], bonus, len(chosen))
            self.stages.pop()
            self._seed(floor, best)  # the model gets a maximum matching, and the bonus grows
            bonus *= 8
        # Scores so spread that no moderate bonus keeps the count: a count row instead (exact, slower).
        matched = len(_max_b_matching(self.ix, self.a, self.b, floor))
        if not any(s.name == "matched" for s in self.stages):
            self.stages.insert(0, _Stage("matched", matched, matched))
        count_row = _XRow("count", lambda i, j, s: 1.0, ">=", matched)
        total, sol, cols = self._stage("total_score", floor, lambda i, j, s: float(s), [count_row], False)
        return self._tie_break(floor, total, sol, cols, [count_row], 0, matched)

    def _best_floor(self, matched: int) -> int:
        """The highest lowest-pair score that still matches as many mentees (binary search)."""
        lo, hi = 0, self.ix.smax  # count(lo) == matched is known
        one = lambda i, j, s: 1.0  # noqa: E731
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.side.active:
                self._seed(mid)
                sol, cols, rows = self._lp_stage(mid, one, [], True)
                got = sol.objective if sol.status == "Optimal" else -1
                if got >= matched - TOL:
                    mip = self.solver.solve([1.0] * len(cols), rows, integer=True)
                    got = mip.objective if mip.status == "Optimal" else -1
            else:
                pairs = _max_b_matching(self.ix, self.a, self.b, mid)
                got = len(pairs)
                if got >= matched:
                    self._seed(mid, pairs)  # keeps the LP of the next stage feasible from its first round
            if got >= matched - TOL:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _tie_break(self, floor: int, total: float, sol: _Sol, cols: list, extra: list, bonus: int, matched: int
                   ) -> list[tuple[int, int]]:
        """Among optimal solutions: keep the most previous pairs, then a fixed pseudo-random preference.

        On the LP path the stage runs on the optimal face of the score LP (pairs with zero reduced cost are
        free, pairs with positive reduced cost stay chosen, rows with a non-zero dual stay tight): any solution
        there is score-optimal, and the face of a totally unimodular system is integral. On the MIP path the
        score is fixed by a constraint instead.
        """
        tie = [_tie_weight(self.ix.mentees[i].pseudonym, self.ix.mentors[j].pseudonym) for i, j in cols]
        big = 1024 * (len(cols) + 1)  # one kept pair outweighs any sum of tie weights
        obj = [(big if (i, j) in self.keep else 0) + t for (i, j), t in zip(cols, tie)]
        if self.mip:
            score_row = _XRow("score", lambda i, j, s: float(s), ">=", total)
            _, _, rows = self._model(floor, lambda i, j, s: 0.0, extra + [score_row])
            final = self.solver.solve(obj, rows, integer=True)
            if final.status != "Optimal":  # cannot happen: the score solution is feasible
                final = sol
            return [c for c, v in zip(cols, final.values) if v > 0.5]
        if self.prices is not None and not extra:
            face = self._face_tie_break(floor, bonus, matched)
            if face is not None:
                return face
        duals = sol.duals
        rc = []
        for i, j in cols:
            r = self.cols[(i, j)] + bonus - duals.get(f"e{i}", 0.0) - duals.get(f"r{j}", 0.0) - duals.get("count", 0.0)
            rc.append(r)
        free = [k for k, r in enumerate(rc) if abs(r) <= TOL]
        chosen = [k for k, v in enumerate(sol.values) if v > 0.5]
        if all(sol.values[k] > 0.5 for k in free):  # no alternative optimum among the model's pairs
            return [cols[k] for k in chosen]
        ones = [k for k, r in enumerate(rc) if r > TOL]
        keepk = sorted(set(free) | set(ones))
        sub = {k: n for n, k in enumerate(keepk)}
        rows = []
        _, _, full_rows = self._model(floor, lambda i, j, s: 0.0, extra)
        for row in full_rows:
            coefs = [(sub[k], c) for k, c in row.coefs if k in sub]
            if not coefs:
                continue
            tight = abs(duals.get(row.name, 0.0)) > TOL
            rows.append(_Row(row.name, coefs, "=" if tight else row.sense, row.rhs))
        final = self.solver.solve([obj[k] for k in keepk], rows, ones=[sub[k] for k in ones])
        if final.status != "Optimal" or not _integral(final.values):
            return [cols[k] for k in chosen]  # numerical trouble: the score-optimal solution stands
        return [cols[k] for k, v in zip(keepk, final.values) if v > 0.5]


    def _face_tie_break(self, floor: int, bonus: int, matched: int) -> list[tuple[int, int]] | None:
        """The tie-break over every optimal solution, not just those among the model's pairs.

        With exact optimal prices (from the certificate), the optimal solutions are exactly the feasible ones
        that use only pairs of zero reduced cost, among *all* eligible pairs, and fill every row whose price is
        positive. That set does not depend on the solver or on which pairs column generation happened to add,
        so neither does the pick: the same proposal from CBC and from HiGHS. The set is the face of a totally
        unimodular system, so its LP optimum is integral.
        """
        ix, m, smax = self.ix, self.ix.m, self.ix.smax
        v, own = self.prices
        limit = (smax - floor + 1) * m
        pairs: list[tuple[int, int]] = []
        u = {}
        for i, row in enumerate(ix.rows):
            if self.a[i] <= 0:
                continue
            ui = own[i][1] - v[own[i][0]] if i in own else 0
            u[i] = ui
            for key in row:
                if key >= limit:
                    break
                q, j = divmod(key, m)
                c = smax - q + bonus
                if c < ui:
                    break  # sorted: every later pair has a negative reduced cost
                if c - ui == v[j] and self.b[j] > 0:
                    pairs.append((i, j))
        chosen = sorted((i, own_j) for i, (own_j, _) in own.items())
        if len(pairs) == len(chosen):
            return chosen  # no other optimal pair anywhere: the solution is unique
        by_i: dict[int, list[tuple[int, float]]] = {}
        by_j: dict[int, list[tuple[int, float]]] = {}
        for k, (i, j) in enumerate(pairs):
            by_i.setdefault(i, []).append((k, 1.0))
            by_j.setdefault(j, []).append((k, 1.0))
        rows = [_Row(f"e{i}", c, "=" if u[i] > 0 else "<=", self.a[i]) for i, c in sorted(by_i.items())]
        rows += [_Row(f"r{j}", c, "=" if v[j] > 0 else "<=", self.b[j]) for j, c in sorted(by_j.items())]
        rows.append(_Row("count", [(k, 1.0) for k in range(len(pairs))], ">=", matched))
        big = 1024 * (len(pairs) + 1)  # one kept pair outweighs any sum of tie weights
        obj = [(big if p in self.keep else 0) + _tie_weight(ix.mentees[p[0]].pseudonym, ix.mentors[p[1]].pseudonym)
               for p in pairs]
        sol = self.solver.solve(obj, rows)
        if sol.status != "Optimal" or not _integral(sol.values):
            return None
        return [p for p, x in zip(pairs, sol.values) if x > 0.5]


@dataclass
class _XRow:
    """An extra row over all model pairs, with a coefficient per pair: coefs(i, j, score)."""

    name: str
    coefs: object
    sense: str
    rhs: float


class _Infeasible(Exception):
    def __init__(self, stage: str):
        self.stage = stage


def _max_b_matching(ix: CandidateIndex, a: list[int], b: list[int], floor: int,
                    start: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The most pairs possible (mentee i at most a[i] times, mentor j at most b[j]) using eligible pairs scoring at
    least `floor`: greedy, then Hopcroft-Karp phases of shortest augmenting paths over *all* eligible pairs.

    When no augmenting path is left the matching is maximum (Berge; the unreached side gives a vertex cover of
    the same size, König), so the count needs no LP and no pricing: pure Python, linear per phase.
    """
    m = ix.m
    limit = (ix.smax - floor + 1) * m  # row keys below this score at least `floor` (rows are sorted)
    nbrs = []
    for row in ix.rows:
        end = bisect.bisect_left(row, limit)
        nbrs.append([key % m for key in row[:end] if b[key % m] > 0])
    n = len(nbrs)
    assigned: list[list[int]] = [[] for _ in range(n)]
    holders: list[list[int]] = [[] for _ in range(len(b))]
    for i, j in (start or ()):
        assigned[i].append(j)
        holders[j].append(i)
    # Greedy start: most constrained mentees first, each to its best mentor with room.
    for i in (sorted(range(n), key=lambda i: (len(nbrs[i]), i)) if start is None else ()):
        for j in nbrs[i]:
            if len(assigned[i]) >= a[i]:
                break
            if len(holders[j]) < b[j] and j not in assigned[i]:
                assigned[i].append(j)
                holders[j].append(i)
    inf = n + 1
    while True:
        free = [i for i in range(n) if len(assigned[i]) < a[i] and nbrs[i]]
        dist = [inf] * n
        for i in free:
            dist[i] = 0
        queue, head, reach = list(free), 0, inf
        while head < len(queue):  # BFS: layers of mentees along alternating paths
            i = queue[head]
            head += 1
            if dist[i] >= reach:
                break
            for j in nbrs[i]:
                if j in assigned[i]:
                    continue
                if len(holders[j]) < b[j]:
                    reach = min(reach, dist[i] + 1)
                    continue
                for k in holders[j]:
                    if dist[k] == inf:
                        dist[k] = dist[i] + 1
                        queue.append(k)
        if reach == inf:
            break  # no augmenting path: maximum
        pos = [0] * n
        grew = False
        for root in free:  # DFS along the layers for vertex-disjoint shortest augmenting paths
            if len(assigned[root]) >= a[root]:
                continue
            path: list[tuple[int, int]] = []  # (mentee, mentor) steps taken
            i = root
            while True:
                step = None
                while pos[i] < len(nbrs[i]):
                    j = nbrs[i][pos[i]]
                    if j in assigned[i]:
                        pos[i] += 1
                        continue
                    if len(holders[j]) < b[j]:
                        pos[i] += 1
                        if dist[i] + 1 == reach:
                            step = "done"
                            break
                        continue
                    # stay on j until each of its holders in the next layer has been tried
                    k = next((k for k in holders[j] if dist[k] == dist[i] + 1), None)
                    if k is None:
                        pos[i] += 1
                        continue
                    step = k
                    break
                if step == "done":
                    path.append((i, j))
                    _flip(path, assigned, holders)
                    grew = True
                    break
                if step is None:  # dead end: drop this mentee from the layers and step back
                    dist[i] = inf
                    if not path:
                        break
                    i, _ = path.pop()
                    continue
                path.append((i, j))
                i = step
        if not grew:  # cannot happen (the BFS saw a path); never loop forever on a bug
            raise RuntimeError("maximum matching made no progress")
    return sorted((i, j) for i in range(n) for j in assigned[i])


def _on_cycle(j: int, parent: list[int]) -> bool:
    """Does following the price-raising parents from j come back to j?"""
    x, steps = parent[j], 0
    while x >= 0 and steps <= len(parent):
        if x == j:
            return True
        x, steps = parent[x], steps + 1
    return False


def _greedy(ix: CandidateIndex, a: list[int], b: list[int]) -> list[tuple[int, int]]:
    """Pairs taken best score first while both sides have room: deep candidates for mentees who lose the
    competition for their favourites, so the first LP starts close to the optimum (fewer pricing rounds)."""
    m = ix.m
    heap = [(row[0], i, 0) for i, row in enumerate(ix.rows) if len(row) and a[i] > 0]
    heapq.heapify(heap)
    room_a, room_b = list(a), list(b)
    out = []
    while heap:
        key, i, pos = heapq.heappop(heap)
        j = key % m
        if room_b[j] > 0:
            room_b[j] -= 1
            room_a[i] -= 1
            out.append((i, j))
        if room_a[i] > 0 and pos + 1 < len(ix.rows[i]):
            heapq.heappush(heap, (ix.rows[i][pos + 1], i, pos + 1))
    return out


def _flip(path: list[tuple[int, int]], assigned: list[list[int]], holders: list[list[int]]) -> None:
    """Augment along path [(i0, j0), (i1, j1), ...]: i_t takes j_t; i_{t+1} held j_t and gives it up."""
    for t, (i, j) in enumerate(path):
        if t + 1 < len(path):
            nxt = path[t + 1][0]
            assigned[nxt].remove(j)
            holders[j].remove(nxt)
        assigned[i].append(j)
        holders[j].append(i)


def _tie_weight(a: str, b: str) -> int:
    """A fixed pseudo-random weight 1..1023 per pair: with such weights the optimum is unique with high
    probability (isolation lemma), and it depends on the pseudonyms only, never on row order."""
    return 1 + int.from_bytes(hashlib.blake2b(f"{a}|{b}".encode(), digest_size=4).digest(), "big") % 1023


# ---------------------------------------------------------------------------
# Small integer programs: peer and mosaic
# ---------------------------------------------------------------------------


def _lexicographic(solver: _Solver, rows: list[_Row], objectives: list[tuple[str, list[float], bool]]
                   ) -> tuple[list[float], list[_Stage]]:
    """Solve integer programs stage by stage; each stage's optimum becomes a constraint of the next.

    objectives: (name, coefficient per column, integral values?)."""
    fixed: list[_Row] = []
    stages: list[_Stage] = []
    values: list[float] = []
    for name, obj, integral in objectives:
        sol = solver.solve(obj, rows + fixed, integer=True)
        if sol.status != "Optimal":
            raise _Infeasible(name)
        v = round(sol.objective) if integral else sol.objective
        stages.append(_Stage(name, v, v))
        fixed.append(_Row(f"fix_{name}", [(k, c) for k, c in enumerate(obj) if c], ">=",
                          v - (0.5 if integral else 1e-6 * max(1.0, abs(v)))))
        values = sol.values
    return values, stages


class _Pairs:
    """Eligible pair columns of a small integer program, pruned only when there are too many."""

    def __init__(self, ix: CandidateIndex, room: list[int], limit: int, symmetric: bool, per_person: int):
        self.ix = ix
        total = ix.eligible_pairs()
        self.pruned = total > limit
        self.eligible = total // 2 if symmetric else total
        self.per_person = per_person
        pairs: dict[tuple[int, int], int] = {}
        for i, row in enumerate(ix.rows):
            if room[i] <= 0 and not symmetric:
                continue
            for n, key in enumerate(row):
                if self.pruned and n >= per_person:
                    break
                s, j = ix.decode(key)
                if symmetric:
                    if room[i] <= 0 or room[j] <= 0:
                        continue
                    pairs[(min(i, j), max(i, j))] = s
                else:
                    pairs[(i, j)] = s
        self.cols = sorted(pairs)
        self.score = [pairs[c] for c in self.cols]


def _floor_search(build, matched: int, smax: int, solver: _Solver) -> int:
    """The highest lowest-pair score that keeps `matched` (binary search; build(tau) -> (obj, rows))."""
    lo, hi = 0, smax
    while lo < hi:
        mid = (lo + hi + 1) // 2
        obj, rows = build(mid)
        sol = solver.solve(obj, rows, integer=True)
        if sol.status == "Optimal" and sol.objective >= matched - 0.5:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _solve_peer(ix: CandidateIndex, room: list[int], matched_already: set[int], keep: set[tuple[int, int]],
                team_rule: bool, team_taken: dict[int, set[str]], fairness: bool, solver: _Solver,
                opt: MatchOptions) -> tuple[list[tuple[int, int]], list[_Stage], _Pairs]:
    """Peers: pairs within one pool, each person in at most `room` new pairs; people matched, then score."""
    cand = _Pairs(ix, room, opt.exact_limit, True, 20)
    n = len(ix.mentees)
    people = [p for p in range(n) if room[p] > 0 and p not in matched_already]
    ycol = {p: len(cand.cols) + k for k, p in enumerate(people)}
    ncols = len(cand.cols) + len(people)
    teams = [p.team for p in ix.mentees]

    def rows_for(tau: int) -> list[_Row]:
        live = [k for k, s in enumerate(cand.score) if s >= tau]
        incident: dict[int, list[int]] = {}
        for k in live:
            i, j = cand.cols[k]
            incident.setdefault(i, []).append(k)
            incident.setdefault(j, []).append(k)
        rows = [_Row(f"dead{k}", [(k, 1.0)], "<=", 0) for k, s in enumerate(cand.score) if s < tau]
        for p in range(n):
            ks = incident.get(p, [])
            if ks:
                rows.append(_Row(f"p{p}", [(k, 1.0) for k in ks], "<=", room[p]))
            if p in ycol:
                rows.append(_Row(f"y{p}", [(ycol[p], 1.0)] + [(k, -1.0) for k in ks], "<=", 0))
            if team_rule and ks:
                by_team: dict[str, list[int]] = {}
                for k in ks:
                    i, j = cand.cols[k]
                    other = j if i == p else i
                    if teams[other]:
                        by_team.setdefault(teams[other], []).append(k)
                for t, tk in sorted(by_team.items()):
                    cap = 0 if t in team_taken.get(p, set()) else 1
                    if len(tk) > cap:
                        rows.append(_Row(f"t{p}_{t}", [(k, 1.0) for k in tk], "<=", cap))
        return rows

    count = [0.0] * len(cand.cols) + [1.0] * len(people)
    score = [float(s) for s in cand.score] + [0.0] * len(people)
    first = solver.solve(count, rows_for(0), integer=True)
    if first.status != "Optimal":
        raise _Infeasible("matched")
    matched = round(first.objective)
    floor = _floor_search(lambda tau: (count, rows_for(tau)), matched, ix.smax, solver) if fairness and matched else 0
    tie = [(1024 * (ncols + 1) if c in keep else 0)
           + _tie_weight(ix.mentees[c[0]].pseudonym, ix.mentees[c[1]].pseudonym) for c in cand.cols] + [0] * len(people)
    values, stages = _lexicographic(solver, rows_for(floor), [("matched", count, True), ("total_score", score, True),
                                                              ("tie_break", [float(t) for t in tie], True)])
    stages = [s for s in stages if s.name != "tie_break"]
    if fairness and matched:
        stages.insert(1, _Stage("lowest_score", floor, floor))
    chosen = [cand.cols[k] for k in range(len(cand.cols)) if values[k] > 0.5]
    return chosen, stages, cand


def _solve_mosaic(ix: CandidateIndex, room_mentee: list[int], room_mentor: list[int], matched_already: set[int],
                  fixed_mentors: dict[int, list[int]], keep: set[tuple[int, int]], fairness: bool, solver: _Solver,
                  opt: MatchOptions) -> tuple[list[tuple[int, int]], list[_Stage], _Pairs]:
    """Mosaic: up to k mentors per mentee who together cover as many of the mentee's sought skills as possible.

    Stages: mentees with at least one mentor; skill coverage (a sought skill counts 1 when a mentor offers it,
    1/2 when a mentor offers a related skill; each mentee's skills share one unit, so every mentee counts the
    same); total pair score; pairs kept; tie-break.
    """
    c = ix.criteria
    cand = _Pairs(ix, room_mentee, opt.exact_limit, False, 30)
    cand.cols = [col for col in cand.cols if room_mentor[col[1]] > 0]
    cand.score = [ix.pair_cents(*col) for col in cand.cols]
    mentees = [i for i in range(len(ix.mentees)) if room_mentee[i] > 0]
    ymentees = [i for i in mentees if i not in matched_already]
    base = len(cand.cols)
    ycol = {i: base + k for k, i in enumerate(ymentees)}
    cov: list[tuple[int, str, int]] = []  # (mentee, skill, 2 = exact or 1 = related) per coverage column
    for i in mentees:
        for s in c.features(ix.mentees[i]).sought:
            cov += [(i, s, 2), (i, s, 1)]
    covcol = {(i, s, h): base + len(ymentees) + k for k, (i, s, h) in enumerate(cov)}
    ncols = base + len(ymentees) + len(cov)
    sizes = [len(c.features(ix.mentees[i]).sought) for i in mentees] or [1]
    unit = math.lcm(*range(1, max(sizes) + 1)) if max(sizes) <= 12 else None  # integral coverage weights

    def rows_for(tau: int) -> list[_Row]:
        live = [k for k, s in enumerate(cand.score) if s >= tau]
        rows = [_Row(f"dead{k}", [(k, 1.0)], "<=", 0) for k, s in enumerate(cand.score) if s < tau]
        by_i: dict[int, list[int]] = {}
        by_j: dict[int, list[int]] = {}
        for k in live:
            i, j = cand.cols[k]
            by_i.setdefault(i, []).append(k)
            by_j.setdefault(j, []).append(k)
        for i in mentees:
            ks = by_i.get(i, [])
            if ks:
                rows.append(_Row(f"e{i}", [(k, 1.0) for k in ks], "<=", room_mentee[i]))
            if i in ycol:
                rows.append(_Row(f"y{i}", [(ycol[i], 1.0)] + [(k, -1.0) for k in ks], "<=", 0))
            for s in c.features(ix.mentees[i]).sought:
                have = max((c.features(ix.mentors[j]).credit.get(s, 0) for j in fixed_mentors.get(i, [])), default=0)
                for h in (2, 1):
                    col = covcol[(i, s, h)]
                    if have >= h:
                        continue  # already covered by a fixed mentor: the column may be 1
                    offer = [(k, -1.0) for k in ks if c.features(ix.mentors[cand.cols[k][1]]).credit.get(s, 0) >= h]
                    rows.append(_Row(f"c{i}_{s}_{h}", [(col, 1.0)] + offer, "<=", 0))
                rows.append(_Row(f"u{i}_{s}", [(covcol[(i, s, 2)], 1.0), (covcol[(i, s, 1)], 1.0)], "<=", 1))
        for j, ks in sorted(by_j.items()):
            rows.append(_Row(f"r{j}", [(k, 1.0) for k in ks], "<=", room_mentor[j]))
        return rows

    count = [0.0] * ncols
    for i, col in ycol.items():
        count[col] = 1.0
    coverage = [0.0] * ncols
    for (i, s, h), col in covcol.items():
        n = len(c.features(ix.mentees[i]).sought)
        # exact coverage is worth 2 halves; related 1 (and a skill counts once: see the u-rows)
        coverage[col] = (h * (unit // n)) if unit else h / n
    score = [float(s) for s in cand.score] + [0.0] * (ncols - base)
    tie = [(1024 * (base + 1) if col in keep else 0) + _tie_weight(ix.mentees[col[0]].pseudonym,
                                                                     ix.mentors[col[1]].pseudonym)
           for col in cand.cols] + [0] * (ncols - base)
    first = solver.solve(count, rows_for(0), integer=True)
    if first.status != "Optimal":
        raise _Infeasible("matched")
    matched = round(first.objective)
    floor = _floor_search(lambda tau: (count, rows_for(tau)), matched, ix.smax, solver) if fairness and matched else 0
    values, stages = _lexicographic(solver, rows_for(floor), [
        ("matched", count, True), ("coverage", coverage, unit is not None), ("total_score", score, True),
        ("tie_break", [float(t) for t in tie], True)])
    stages = [s for s in stages if s.name != "tie_break"]
    if fairness and matched:
        stages.insert(1, _Stage("lowest_score", floor, floor))
    chosen = [cand.cols[k] for k in range(base) if values[k] > 0.5]
    return chosen, stages, cand


# ---------------------------------------------------------------------------
# From a workspace to a proposal
# ---------------------------------------------------------------------------

Key = tuple[str, str]  # (mentee, mentor) pseudonyms; for peers (first, second) in pseudonym order


@dataclass
class _Plan:
    """Everything decided before solving: pools, rules, pairs fixed in advance."""

    program_id: str
    program: Program
    fmt: Format
    choice: bool
    criteria: Criteria
    mentees: list[Participant]
    mentors: list[Participant]
    rules: PairRules
    approved: list[Key]
    locked: list[Key]
    ended: list[ProposedPair]
    previous: set[Key]
    notes: list[str]

    @property
    def peer(self) -> bool:
        return self.fmt == Format.PEER

    def key(self, a: str, b: str) -> Key:
        return (min(a, b), max(a, b)) if self.peer else (a, b)

    def mentee_limit(self) -> int:
        m = self.program.matching
        if self.choice:
            return m.suggestions
        if self.fmt == Format.MOSAIC:
            return m.mentors_per_mentee
        return 1


def propose(workspace: Workspace, program_id: str, previous: Proposal | None = None, *,
            options: MatchOptions | None = None) -> Proposal:
    """The match proposal for one program.

    `previous` is the program's current proposal (usually `workspace.proposals.get(program_id)`), or None to
    start afresh: its approved pairs are kept as they are, its ended pairs are never proposed again, and its
    proposed pairs are preferred among equally good solutions, so a re-run changes only what it must.
    Raises `InfeasibleMatching` when locks and rules cannot all hold, naming them.
    """
    return match(workspace, program_id, previous, options=options).proposal


def match(workspace: Workspace, program_id: str, previous: Proposal | None = None, *,
          options: MatchOptions | None = None) -> MatchResult:
    """Like `propose`, with timings and statistics for benchmarks and the CLI's verbose output."""
    opt = options or MatchOptions()
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock[0]
        clock[0] = now

    program = workspace.program(program_id)
    plan = _plan(workspace, program_id, program, previous)
    solver = _Solver(opt.solver or default_solver())
    lap("prepare")
    if plan.peer:
        result = _run_peer(plan, solver, opt, lap)
    elif plan.fmt == Format.MOSAIC:
        result = _run_mosaic(plan, solver, opt, lap)
    else:
        result = _run_capacity(plan, solver, opt, lap)
    proposal = _assemble(plan, result, solver)
    lap("assemble")
    stats = {"solver": solver.name, "eligible_pairs": result.eligible, "model_pairs": result.model_pairs,
             "solves": solver.solves,
             "rounds": result.rounds}
    return MatchResult(proposal, timings, stats)


def _plan(ws: Workspace, program_id: str, program: Program, previous: Proposal | None) -> _Plan:
    fmt = Format(program.format)
    m = program.matching
    notes: list[str] = []
    choice = m.mode == "choice" and fmt not in (Format.PEER, Format.MOSAIC)
    if m.mode == "choice" and not choice:
        notes.append(f"choice mode (suggestions) applies to one-to-one, group, reverse and flash programs; "
                     f"this {fmt.value} program gets one proposal")
    members = sorted(ws.members(program_id), key=lambda p: p.pseudonym)  # row order must not matter
    if fmt == Format.PEER:
        mentees = mentors = members
    else:
        mentees = [p for p in members if p.can_be_mentee]
        mentors = [p for p in members if p.can_mentor]
    criteria = Criteria(program, ws.vocabulary)
    notes = data_notes(criteria, mentees, mentors) + notes
    plan = _Plan(program_id, program, fmt, choice, criteria, mentees, mentors, PairRules(), [], [], [], set(), notes)

    # The previous proposal: approved pairs stay, ended pairs are history, proposed pairs are preferred on ties.
    mentee_ids = {p.pseudonym for p in mentees}
    mentor_ids = {p.pseudonym for p in mentors}
    seen: set[Key] = set()
    for pp in (previous.pairs if previous else []):
        key = plan.key(pp.mentee, pp.mentor)
        if key in seen:
            continue
        seen.add(key)
        if pp.status == PairStatus.ENDED:
            plan.ended.append(pp.model_copy(update={"next_best": None}))
        elif pp.status == PairStatus.APPROVED:
            gone = [who for who, pool in ((pp.mentee, mentee_ids), (pp.mentor, mentor_ids)) if who not in pool]
            if gone:
                plan.ended.append(pp.model_copy(update={"status": PairStatus.ENDED, "next_best": None}))
                plan.notes.append(f"approved pair {pp.mentee} – {pp.mentor} is now ended: {' and '.join(gone)} "
                                  f"no longer take{'s' if len(gone) == 1 else ''} part in this program in that role")
            else:
                plan.approved.append(key)
        else:
            plan.previous.add(key)

    cooldown: dict[tuple[str, str], str] = {}
    for earlier in m.cooldown:
        source = ws.proposals.get(earlier)
        for pp in (source.pairs if source else []):
            if pp.status in (PairStatus.APPROVED, PairStatus.ENDED):
                cooldown[(pp.mentee, pp.mentor)] = earlier
        for c in ws.checkins:
            if c.program == earlier:
                cooldown[(c.mentee, c.mentor)] = earlier
        if source is None and earlier not in ws.programs:
            plan.notes.append(f"cooldown program '{earlier}' is unknown: it keeps no one apart")
    plan.rules = PairRules(
        forbidden=[(f.mentee, f.mentor) for f in m.forbidden], cooldown=cooldown,
        ended=[(e.mentee, e.mentor) for e in plan.ended],
        managers={p.pseudonym: p.reports_to for p in ws.participants.values()},
        exclude_reporting_line=m.exclude_reporting_line)
    _check_locks(plan, ws)
    return plan


def _check_locks(plan: _Plan, ws: Workspace) -> None:
    """Locked pairs must satisfy every hard rule and fit the capacities; otherwise say which rule, and stop."""
    m = plan.program.matching
    where = f"program/{plan.program_id}.yaml (matching.locked)"
    people = {p.pseudonym: p for p in plan.mentees + plan.mentors}
    mentee_ids = {p.pseudonym for p in plan.mentees}
    mentor_ids = {p.pseudonym for p in plan.mentors}
    approved = set(plan.approved)
    for lk in m.locked:
        a, b = lk.mentee, lk.mentor
        role = "person" if plan.peer else "mentee"
        if a not in mentee_ids:
            raise InfeasibleMatching(f"locked pair {a} – {b} in {where}: {a} is not a {role} of this program")
        if b not in mentor_ids:
            what = "person" if plan.peer else "mentor with capacity"
            raise InfeasibleMatching(f"locked pair {a} – {b} in {where}: {b} is not a {what} in this program")
        broken = plan.criteria.score(people[a], people[b], plan.rules).violations
        if any(v.rule == "forbidden" for v in broken):
            raise InfeasibleMatching(f"the pair {a} – {b} is both locked and forbidden in "
                                     f"program/{plan.program_id}.yaml: remove it from one of the two lists")
        if broken:
            raise InfeasibleMatching(f"locked pair {a} (mentee) – {b} (mentor) in {where} breaks "
                                     f"{'a hard rule' if len(broken) == 1 else 'hard rules'}: "
                                     + "; ".join(v.text for v in broken)
                                     + ". Remove the lock, or change the rule in the program file")
        key = plan.key(a, b)
        if key not in approved and key not in plan.locked:
            plan.locked.append(key)
    locked = set(plan.locked)
    if plan.locked:
        plan.notes.append(f"{len(plan.locked)} pair{'s are' if len(plan.locked) != 1 else ' is'} locked in {where}: "
                          + ", ".join(f"{a} – {b}" for a, b in plan.locked))
    fixed = plan.approved + plan.locked
    # Per mentee (per person for peers): no more fixed pairs than the format allows.
    per: dict[str, list[Key]] = {}
    for key in fixed:
        for who in (key if plan.peer else key[:1]):
            per.setdefault(who, []).append(key)
    for who, keys in sorted(per.items()):
        limit = max(1, people[who].mentor_capacity) if plan.peer else plan.mentee_limit()
        if plan.choice and any(k in approved for k in keys) and len(keys) > 1:
            limit = 1  # a mentee who approved a suggestion has made their choice
        if len(keys) > limit and any(k in locked for k in keys):
            partners = ", ".join(k[1] if k[0] == who else k[0] for k in keys)
            if any(k in approved for k in keys):
                raise InfeasibleMatching(f"{who} is locked in {where} but already has an approved pair "
                                         f"(partners: {partners}); at most {limit} allowed")
            raise InfeasibleMatching(f"{who} is locked to {len(keys)} partners in {where} ({partners}) "
                                     f"but can have at most {limit}")
    if plan.peer:
        return
    # Per mentor: capacity, and one mentee per team.
    by_mentor: dict[str, list[Key]] = {}
    for key in fixed:
        by_mentor.setdefault(key[1], []).append(key)
    for mentor, keys in sorted(by_mentor.items()):
        cap = people[mentor].mentor_capacity
        involved = any(k in locked for k in keys)
        if len(keys) > cap:
            if involved:
                raise InfeasibleMatching(
                    f"mentor {mentor} can take {cap} mentee{'s' if cap != 1 else ''} (mentor_capacity) but has "
                    f"{len(keys)} locked or approved pairs ({', '.join(k[0] for k in keys)}): remove a lock in {where}")
            plan.notes.append(f"mentor {mentor} has {len(keys)} approved pairs but capacity {cap}: "
                              "no new mentees are proposed to them")
        if m.one_mentee_per_team and not plan.choice and involved:
            teams: dict[str, list[str]] = {}
            for k in keys:
                t = people[k[0]].team
                if t:
                    teams.setdefault(t, []).append(k[0])
            for t, who in sorted(teams.items()):
                if len(who) > 1:
                    raise InfeasibleMatching(
                        f"locked pairs give mentor {mentor} two mentees from team {t} ({', '.join(who)}), but the "
                        "program allows one mentee per team (matching.one_mentee_per_team): remove a lock in " + where)


@dataclass
class _Result:
    index: CandidateIndex
    fixed: list[tuple[int, int, PairStatus]]
    new: list[tuple[int, int]]
    stages: list[_Stage]
    guarantee: str
    eligible: int
    model_pairs: int
    capacity: list[int]  # per mentor (per person for peers): places in total, to tell who is fully booked
    rounds: int = 0
    team_rule: bool = False
    share: float | None = None
    floor: int | None = None


def _fixed_indices(plan: _Plan, ie: dict[str, int], je: dict[str, int]) -> list[tuple[int, int, PairStatus]]:
    return ([(ie[a], je[b], PairStatus.APPROVED) for a, b in plan.approved]
            + [(ie[a], je[b], PairStatus.PROPOSED) for a, b in plan.locked])


def _run_capacity(plan: _Plan, solver: _Solver, opt: MatchOptions, lap) -> _Result:
    m = plan.program.matching
    mentees, mentors = plan.mentees, plan.mentors
    ie = {p.pseudonym: i for i, p in enumerate(mentees)}
    je = {p.pseudonym: j for j, p in enumerate(mentors)}
    fixed = _fixed_indices(plan, ie, je)
    limit = plan.mentee_limit()
    a = [limit] * len(mentees)
    cap = [p.mentor_capacity for p in mentors]
    b = list(cap)
    for i, j, status in fixed:
        a[i] -= 1
        if plan.choice and status == PairStatus.APPROVED:
            a[i] = -limit  # the mentee has chosen: no more suggestions
            b[j] -= 1
        elif not plan.choice:
            b[j] -= 1
    if plan.choice:  # suggestion places: each real place can be suggested to `suggestions` mentees
        b = [m.suggestions * x for x in b]
        for i, j, status in fixed:
            if status != PairStatus.APPROVED:
                b[j] -= 1
    a = [max(0, x) for x in a]
    b = [max(0, x) for x in b]
    share = m.min_cross_department_share or None
    team_rule = m.one_mentee_per_team
    if plan.choice and (share is not None or team_rule):
        plan.notes.append("the cross-department share and one-mentee-per-team rules apply to assignments, "
                          "not to suggestions: check them when mentees choose")
        share, team_rule = None, False
    exclude: dict[int, set[int]] = {}
    for i, j, _ in fixed:
        exclude.setdefault(i, set()).add(j)
    if team_rule:  # a mentor who already has a (fixed) mentee from a team takes no one else from it
        members_of: dict[str, list[int]] = {}
        for i, p in enumerate(mentees):
            if p.team:
                members_of.setdefault(p.team, []).append(i)
        for i, j, _ in fixed:
            for other in members_of.get(mentees[i].team or "", []):
                exclude.setdefault(other, set()).add(j)
    index = CandidateIndex(plan.criteria, mentees, mentors, plan.rules, exclude)
    lap("score")
    keep = {(ie[x], je[y]) for x, y in plan.previous if x in ie and y in je}
    side = _Side(share=share, fixed_pairs=len(fixed),
                 fixed_cross=sum(1 for i, j, _ in fixed if mentees[i].department != mentors[j].department),
                 mentee_dept=[p.department for p in mentees], mentor_dept=[p.department for p in mentors],
                 team_rule=team_rule, mentee_team=[p.team for p in mentees])
    engine = _Capacity(index, a, b, keep, side, solver, opt)
    try:
        new = engine.solve(m.fairness_floor)
    except _Infeasible:
        if plan.locked or not fixed:
            raise InfeasibleMatching(_infeasible_share(plan, fixed)) from None
        # Approved pairs are commitments: when they alone put the share out of reach, the rule applies to the
        # new pairs, and the proposal says so.
        side.fixed_pairs = side.fixed_cross = 0
        plan.notes.append(f"the approved pairs keep the cross-department share below {share:.0%}; the rule is "
                          "applied to the new pairs only")
        engine = _Capacity(index, a, b, keep, side, solver, opt)
        try:
            new = engine.solve(m.fairness_floor)
        except _Infeasible:
            raise InfeasibleMatching(_infeasible_share(plan, fixed)) from None
    lap("solve")
    eligible, model = index.eligible_pairs(), len(engine.cols)
    if not engine.mip:
        guarantee = (f"proven optimal over all {eligible} eligible pairs: pairs left out of the model were priced "
                     "against the LP duals until none could improve it (column generation), and the model is "
                     "totally unimodular, so the LP optimum is the integer optimum")
    elif all(s.proven for s in engine.stages):
        guarantee = (f"proven optimal over all {eligible} eligible pairs: the integer optimum on the generated "
                     "candidate pairs meets the LP bound over all pairs")
    else:
        gaps = [f"{s.name.replace('_', ' ')} {_fmt_stage(s.name, s.value)} (bound {_fmt_stage(s.name, s.bound)})"
                for s in engine.stages if not s.proven]
        guarantee = (f"optimal among the generated candidate pairs; over all {eligible} eligible pairs the "
                     "LP bound leaves room for: " + "; ".join(gaps))
    floor = next((int(s.value) for s in engine.stages if s.name == "lowest_score"), None)
    places = [m.suggestions * c for c in cap] if plan.choice else cap  # choice: places to be suggested
    return _Result(index, fixed, new, engine.stages, guarantee, eligible, model, places, engine.rounds, team_rule,
                   share, floor)


def _fmt_stage(name: str, value: float) -> str:
    return f"{value:g}" if name == "matched" else f"{value / 100:.2f}"


def _infeasible_share(plan: _Plan, fixed) -> str:
    m = plan.program.matching
    people_a, people_b = plan.mentees, plan.mentors
    same = [f"{people_a[i].pseudonym} – {people_b[j].pseudonym}" for i, j, _ in fixed
            if people_a[i].department == people_b[j].department]
    rules = []
    if m.min_cross_department_share:
        rules.append(f"at least {m.min_cross_department_share:.0%} of pairs cross-department "
                     "(matching.min_cross_department_share)")
    if m.one_mentee_per_team:
        rules.append("one mentee per team (matching.one_mentee_per_team)")
    msg = "the program's rules cannot all hold: " + " and ".join(rules or ["its rules"])
    if same:
        msg += (f"; the locked and approved pairs include {len(same)} within one department ({', '.join(same)}) and "
                "too few cross-department pairs are possible to make up for them")
    return msg + f". Relax a rule or remove a lock in program/{plan.program_id}.yaml"


def _run_peer(plan: _Plan, solver: _Solver, opt: MatchOptions, lap) -> _Result:
    m = plan.program.matching
    pool = plan.mentees
    ie = {p.pseudonym: i for i, p in enumerate(pool)}
    fixed = _fixed_indices(plan, ie, ie)
    cap = [max(1, p.mentor_capacity) for p in pool]  # a peer takes part in at least one pair
    room = list(cap)
    exclude: dict[int, set[int]] = {}
    team_taken: dict[int, set[str]] = {}
    for i, j, _ in fixed:
        room[i] -= 1
        room[j] -= 1
        exclude.setdefault(i, set()).add(j)
        exclude.setdefault(j, set()).add(i)
        if pool[j].team:
            team_taken.setdefault(i, set()).add(pool[j].team)
        if pool[i].team:
            team_taken.setdefault(j, set()).add(pool[i].team)
    room = [max(0, x) for x in room]
    if m.min_cross_department_share:
        plan.notes.append("min_cross_department_share applies to mentor-mentee programs; the department weight "
                          "steers peer pairs")
    index = CandidateIndex(plan.criteria, pool, pool, plan.rules, exclude)
    lap("score")
    keep = {(ie[x], ie[y]) for x, y in plan.previous if x in ie and y in ie}
    matched_already = {k for i, j, _ in fixed for k in (i, j)}
    try:
        new, stages, cand = _solve_peer(index, room, matched_already, keep, m.one_mentee_per_team, team_taken,
                                        m.fairness_floor, solver, opt)
    except _Infeasible:
        raise InfeasibleMatching(_infeasible_share(plan, [])) from None
    lap("solve")
    guarantee = _small_guarantee(cand, "person")
    floor = next((int(s.value) for s in stages if s.name == "lowest_score"), None)
    return _Result(index, fixed, new, stages, guarantee, cand.eligible, len(cand.cols), cap,
                   team_rule=m.one_mentee_per_team, floor=floor)


def _small_guarantee(cand: _Pairs, who: str) -> str:
    if cand.pruned:
        return (f"optimal among each {who}'s {cand.per_person} best candidates ({len(cand.cols)} of "
                f"{cand.eligible} eligible pairs): too many pairs for an exact integer program")
    return f"proven optimal: an integer program over all {cand.eligible} eligible pairs, solved to optimality"


def _run_mosaic(plan: _Plan, solver: _Solver, opt: MatchOptions, lap) -> _Result:
    m = plan.program.matching
    mentees, mentors = plan.mentees, plan.mentors
    ie = {p.pseudonym: i for i, p in enumerate(mentees)}
    je = {p.pseudonym: j for j, p in enumerate(mentors)}
    fixed = _fixed_indices(plan, ie, je)
    room_a = [m.mentors_per_mentee] * len(mentees)
    cap = [p.mentor_capacity for p in mentors]
    room_b = list(cap)
    exclude: dict[int, set[int]] = {}
    fixed_mentors: dict[int, list[int]] = {}
    for i, j, _ in fixed:
        room_a[i] -= 1
        room_b[j] -= 1
        exclude.setdefault(i, set()).add(j)
        fixed_mentors.setdefault(i, []).append(j)
    room_a = [max(0, x) for x in room_a]
    room_b = [max(0, x) for x in room_b]
    if m.min_cross_department_share or m.one_mentee_per_team:
        plan.notes.append("the cross-department share and one-mentee-per-team rules are not applied to mosaic "
                          "programs; the department weight steers pairs")
    index = CandidateIndex(plan.criteria, mentees, mentors, plan.rules, exclude)
    lap("score")
    keep = {(ie[x], je[y]) for x, y in plan.previous if x in ie and y in je}
    new, stages, cand = _solve_mosaic(index, room_a, room_b, set(fixed_mentors), fixed_mentors, keep,
                                      m.fairness_floor, solver, opt)
    lap("solve")
    floor = next((int(s.value) for s in stages if s.name == "lowest_score"), None)
    return _Result(index, fixed, new, stages, _small_guarantee(cand, "mentee"), cand.eligible, len(cand.cols), cap,
                   floor=floor)


# ---------------------------------------------------------------------------
# The proposal: pairs with their why, unmatched mentees with a reason, figures
# ---------------------------------------------------------------------------


def _assemble(plan: _Plan, r: _Result, solver: _Solver) -> Proposal:
    ix = r.index
    people_a, people_b = ix.mentees, ix.mentors
    active = r.fixed + [(i, j, PairStatus.PROPOSED) for i, j in r.new]
    partners: dict[int, set[int]] = {}
    load = [0] * len(people_b)
    for i, j, _ in active:
        partners.setdefault(i, set()).add(j)
        load[j] += 1
        if plan.peer:
            partners.setdefault(j, set()).add(i)
            load[i] += 1
    pairs: list[ProposedPair] = []
    scores: dict[tuple[int, int], int] = {}
    for i, j, status in active:
        sc = ix.explain(i, j)
        scores[(i, j)] = sc.cents
        if status == PairStatus.APPROVED and sc.violations:
            plan.notes.append(f"approved pair {people_a[i].pseudonym} – {people_b[j].pseudonym} now breaks: "
                              + "; ".join(v.text for v in sc.violations)
                              + ". It is kept (a re-run never changes approved pairs); set its status to ended "
                                "if it should stop")
        pairs.append(ProposedPair(mentee=people_a[i].pseudonym, mentor=people_b[j].pseudonym, status=status,
                                  score=sc.cents / 100, why=sc.parts,
                                  next_best=None if plan.choice else _next_best(ix, i, partners, load, r.capacity,
                                                                                plan.peer)))
    if plan.choice:  # rank each mentee's suggestions, best first; an approved pair is the mentee's choice
        by_mentee: dict[str, list[ProposedPair]] = {}
        for p in pairs:
            by_mentee.setdefault(p.mentee, []).append(p)
        ranked = []
        for mentee, ps in by_mentee.items():
            if any(p.status == PairStatus.APPROVED for p in ps):
                ranked += ps
                continue
            ps.sort(key=lambda p: (-p.score, p.mentor))
            ranked += [p.model_copy(update={"rank": n}) for n, p in enumerate(ps, 1)]
        pairs = ranked
    by_mentor_first = plan.fmt in (Format.ONE_TO_ONE, Format.GROUP, Format.REVERSE, Format.FLASH) and not plan.choice
    pairs.sort(key=lambda p: (p.mentor, p.mentee) if by_mentor_first else (p.mentee, p.rank or 0, p.mentor))
    pairs += sorted(plan.ended, key=lambda p: (p.mentee, p.mentor))

    # Someone signed up as both mentee and mentor who mentors here and has no mentor is not left out: they
    # take part as a mentor (in a reverse program the juniors are "both" and mentor the seniors).
    mentoring = set() if plan.peer else {people_b[j].pseudonym for _, j, _ in active}
    as_mentor = [i for i, p in enumerate(people_a)
                 if i not in partners and p.role == "both" and p.pseudonym in mentoring]
    unmatched = [Unmatched(mentee=p.pseudonym, reason=_reason(plan, r, i, load))
                 for i, p in enumerate(people_a) if i not in partners and i not in set(as_mentor)]
    active_scores = [scores[(i, j)] for i, j, _ in active]
    cross = sum(1 for i, j, _ in active if people_a[i].department != people_b[j].department)
    n_pool = len(people_a) - len(as_mentor)
    matched = n_pool - len(unmatched)
    summary: dict = {"mentees" if not plan.peer else "people": n_pool}
    if not plan.peer:
        summary["mentors"] = len(people_b)
        summary["places"] = sum(p.mentor_capacity for p in people_b)
        if as_mentor:
            summary["mentoring_instead"] = len(as_mentor)
    summary.update({
        "matched": matched,
        "unmatched": len(unmatched),
        "match_rate": round(matched / n_pool, 4) if n_pool else 0.0,
        "pairs": len(active),
        "approved": sum(1 for _, _, s in active if s == PairStatus.APPROVED),
        "locked": len(plan.locked),
        "total_score": round(sum(active_scores) / 100, 2),
        "mean_score": round(sum(active_scores) / len(active_scores) / 100, 2) if active_scores else 0.0,
        "lowest_score": min(active_scores) / 100 if active_scores else 0.0,
        "cross_department_share": round(cross / len(active), 4) if active else 0.0,
    })
    if plan.choice:
        summary["suggestions_per_mentee"] = plan.program.matching.suggestions
    if plan.fmt == Format.MOSAIC:
        summary["skills_covered"] = _coverage(plan, ix, partners)
    objective: dict = {"matched": matched}
    for s in r.stages:
        if s.name == "lowest_score":
            objective["lowest_score"] = s.value / 100
        if s.name == "coverage":
            objective["skills_covered"] = summary.get("skills_covered", 0.0)
    objective["total_score"] = summary["total_score"]
    # The solver's name stays out of the file: CBC and HiGHS reach the same optimum and the same tie-breaks,
    # so the file must not change with the machine that wrote it (MatchResult.stats names the solver).
    solver_info = {"status": "optimal", "guarantee": r.guarantee, "objective": objective,
                   "eligible_pairs": r.eligible}  # how many pairs the model needed depends on the solver: not here
    return Proposal(program=plan.program_id, format=plan.fmt, solver=solver_info, summary=summary, pairs=pairs,
                    unmatched=unmatched, notes=list(dict.fromkeys(plan.notes)))


def _next_best(ix: CandidateIndex, i: int, partners: dict[int, set[int]], load: list[int], capacity: list[int],
               peer: bool) -> dict | None:
    """The mentee's best eligible alternative, and whether it is fully booked in this proposal."""
    mine = partners.get(i, set())
    for key in ix.rows[i]:
        s, j = ix.decode(key)
        if j not in mine:
            return {"peer" if peer else "mentor": ix.mentors[j].pseudonym, "score": s / 100,
                    "fully_booked": load[j] >= capacity[j]}
    return None


def _reason(plan: _Plan, r: _Result, i: int, load: list[int]) -> str:
    ix = r.index
    who = "peer" if plan.peer else "mentor"
    if not len(ix.rows[i]):
        parts = [f"{label} ({n})" for label, n in ix.ineligible_reasons(i)]
        if not ix.mentors or (plan.peer and len(ix.mentors) == 1):
            return f"no eligible {who}: the program has no {who}s"
        return f"no eligible {who}: " + "; ".join(parts)
    js = [ix.decode(k)[1] for k in ix.rows[i]]
    if r.floor is not None:
        js = [j for j, k in zip(js, ix.rows[i]) if ix.decode(k)[0] >= r.floor]
    open_ = [j for j in js if load[j] < r.capacity[j]]
    if not open_:
        return (f"capacity exhausted: {'the' if len(js) == 1 else 'all'} {len(js)} eligible {who}"
                f"{'' if len(js) == 1 else 's'} {'is' if len(js) == 1 else 'are'} fully booked")
    if r.team_rule and ix.mentees[i].team:
        return (f"one mentee per team: every eligible {who} with room already has someone from team "
                f"{ix.mentees[i].team}, or taking this pair would leave another mentee without a {who}")
    if r.share is not None:
        return (f"the cross-department rule (at least {r.share:.0%} of pairs): pairing them with an eligible "
                f"{who} with room would break it")
    return f"not matched: every eligible {who} with room is needed to match as many people as possible"


def _coverage(plan: _Plan, ix: CandidateIndex, partners: dict[int, set[int]]) -> float:
    """Mean share of each mentee's sought skills that their mentors cover together (related skills: half)."""
    c = plan.criteria
    shares = []
    for i, p in enumerate(ix.mentees):
        sought = c.features(p).sought
        if not sought:
            continue
        mentors = [c.features(ix.mentors[j]) for j in partners.get(i, ())]
        got = sum(max((f.credit.get(s, 0) for f in mentors), default=0) for s in sought)
        shares.append(got / (2 * len(sought)))
    return round(sum(shares) / len(shares), 4) if shares else 0.0
