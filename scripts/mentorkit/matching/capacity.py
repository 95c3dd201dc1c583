"""The capacity model (every format but peer and mosaic): lexicographic stages, each exact.

Mentees x mentors with capacities is a bipartite b-matching. Without side rules it
is a network flow (`flow`): the most pairs (maximum flow); with a fairness floor,
the best lowest pair score (binary search on the count); then the best total score,
the most previous pairs kept and the one tie-break, in one min-cost flow.

Side rules that break that structure (a cross-department share, one mentee per team)
make the stages integer programs over every eligible pair with room on both sides
(`side_model`), solved one after another by `stages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import flow, groups, stages
from .candidates import Pair, PairIndex
from .solver import Row, Solver, Stage
from .stages import best_floor


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


def side_model(ix: PairIndex, a: list[int], b: list[int], side: SideRules) -> tuple[list[Pair], list[int], list[Row]]:
    """The integer program over every eligible pair whose mentee and mentor have room (no other pair can be in a
    proposal), in (mentee, mentor) order: columns, their scores, and the rows: a mentee's and a mentor's places,
    one mentee per team and mentor, the cross-department share."""
    cols: list[Pair] = []
    score: list[int] = []
    for i, row in enumerate(ix.rows):
        if a[i] > 0:
            for j, s in sorted((j, s) for s, j in map(ix.decode, row) if b[j] > 0):
                cols.append((i, j))
                score.append(s)
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

    def solve(self, fairness: bool) -> list[Pair]:
        return self._side(fairness) if self.mip else self._flow(fairness)

    def _flow(self, fairness: bool) -> list[Pair]:
        """Most pairs (maximum flow); with a fairness floor, the best lowest pair score; then the best total
        score, the most previous pairs kept and the tie-break (`flow.solve`, or `groups` when people are much
        alike)."""
        grouped = groups.find(self.ix, self.a, self.b, self.keep)

        def max_pairs(floor: int) -> int:
            return grouped.max_pairs(floor) if grouped else flow.max_pairs(self.ix, self.a, self.b, floor)

        floor = 0
        if fairness:  # the floor search needs the count first
            matched = max_pairs(0)
            self.stages.append(Stage("matched", matched))
            if matched:
                floor = best_floor(lambda tau: max_pairs(tau) >= matched, self.ix.smax)
                self.stages.append(Stage("lowest_score", floor))
        core = grouped.solve(floor) if grouped else None
        if core is None:
            core = flow.solve(self.ix, self.a, self.b, self.keep, floor)
        if not fairness:
            self.stages.append(Stage("matched", len(core.pairs)))
        self.stages.append(Stage("total_score", core.score))
        return core.pairs

    def _side(self, fairness: bool) -> list[Pair]:
        """The stages as integer programs over every eligible pair with room (`stages`)."""
        cols, score, rows = side_model(self.ix, self.a, self.b, self.side)
        self.model_pairs = len(cols)
        model = stages.Model(len(cols), score, rows, [1.0] * len(cols), [c in self.keep for c in cols])
        chosen, found = stages.solve(self.solver, model, fairness, self.ix.smax)
        self.stages += found
        return [cols[k] for k in chosen]
