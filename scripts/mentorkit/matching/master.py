"""The capacity model's master problem: which pairs are in the model, and its rows over them.

Mentees and mentors with capacities are a bipartite b-matching. Column generation
keeps only some pairs in the model (`Master.cols`): each mentee's best few
candidates to start with (`seed`), then whatever pricing finds can help. `model`
writes the LP over the pairs in the model: a row per mentee and per mentor
(capacity), and the side rules that break total unimodularity (one mentee per
team, a cross-department share).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .candidates import Pair, PairIndex
from .solver import Row

Objective = Callable[[int, int, int], float]  # (mentee, mentor, score in cents) -> coefficient


def count_pairs(i: int, j: int, s: int) -> float:
    return 1.0


def sum_scores(i: int, j: int, s: int) -> float:
    return float(s)


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


@dataclass
class ExtraRow:
    """An extra row over all model pairs, with a coefficient per pair: coefs(i, j, score)."""

    name: str
    coefs: Objective
    sense: str
    rhs: float


class Master:
    """The pairs in the model (`cols`, with their scores) and the places left on each side (`a`, `b`)."""

    def __init__(self, index: PairIndex, room_mentee: list[int], room_mentor: list[int], keep: set[Pair],
                 side: SideRules, candidates: int):
        self.ix = index
        self.a = room_mentee
        self.b = room_mentor
        self.keep = keep  # pairs of the previous proposal: preferred among equally good solutions
        self.side = side
        self.candidates = candidates  # first candidates per mentee place
        self.cols: dict[Pair, int] = {}  # (mentee, mentor) -> score in cents

    def cross(self, i: int, j: int) -> bool:
        return self.side.mentee_dept[i] != self.side.mentor_dept[j]

    def seed(self, floor: int, pairs: Iterable[Pair] = ()) -> None:
        """Each mentee's best candidates (and, under a cross-department share, its best cross-department ones),
        plus `pairs` (a maximum matching: with it the model can reach the count from its first solve)."""
        for i, j in pairs:
            self._add_eligible(i, j)
        for i, row in enumerate(self.ix.rows):
            if self.a[i] <= 0:
                continue
            want = self.a[i] + self.candidates
            want_cross = want if self.side.share is not None else 0
            for key in row:
                s, j = self.ix.decode(key)
                if s < floor or (want <= 0 and want_cross <= 0):
                    break
                if self.b[j] <= 0:
                    continue
                take = want > 0
                if want_cross > 0 and self.cross(i, j):
                    want_cross -= 1
                    take = True
                if take:
                    self.cols[(i, j)] = s
                    want -= 1
        for (i, j) in self.keep:  # previous pairs compete on equal terms, so they must be in the model
            if self.a[i] > 0 and self.b[j] > 0:
                self._add_eligible(i, j, floor)

    def _add_eligible(self, i: int, j: int, floor: int | None = None) -> None:
        s = self.ix.pair_cents(i, j)
        if s is not None and (floor is None or s >= floor):
            self.cols[(i, j)] = s

    def model(self, floor: int, objective: Objective, extra: list[ExtraRow]
              ) -> tuple[list[Pair], list[float], list[Row]]:
        """The LP over the model's pairs scoring at least `floor`: columns, objective and rows."""
        cols = sorted(k for k, s in self.cols.items() if s >= floor)
        obj = [objective(i, j, self.cols[(i, j)]) for i, j in cols]
        by_mentee: dict[int, list[tuple[int, float]]] = {}
        by_mentor: dict[int, list[tuple[int, float]]] = {}
        by_team: dict[tuple[int, str], list[tuple[int, float]]] = {}
        for k, (i, j) in enumerate(cols):
            by_mentee.setdefault(i, []).append((k, 1))
            by_mentor.setdefault(j, []).append((k, 1))
            team = self.side.mentee_team[i] if self.side.team_rule else None
            if team:
                by_team.setdefault((j, team), []).append((k, 1))
        rows = [Row(f"e{i}", c, "<=", self.a[i]) for i, c in sorted(by_mentee.items())]
        rows += [Row(f"r{j}", c, "<=", self.b[j]) for j, c in sorted(by_mentor.items())]
        rows += [Row(f"t{j}_{t}", c, "<=", 1) for (j, t), c in sorted(by_team.items()) if len(c) > 1]
        if self.side.share is not None:
            alpha = self.side.share
            coefs = [(k, (1.0 if self.cross(i, j) else 0.0) - alpha) for k, (i, j) in enumerate(cols)]
            rows.append(Row("cross", coefs, ">=", alpha * self.side.fixed_pairs - self.side.fixed_cross))
        for row in extra:
            rows.append(Row(row.name, [(k, row.coefs(i, j, self.cols[(i, j)])) for k, (i, j) in enumerate(cols)],
                            row.sense, row.rhs))
        return cols, obj, rows
