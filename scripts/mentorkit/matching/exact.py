"""Peer and mosaic programs: small exact integer programs over all eligible pairs.

Neither format is a bipartite b-matching (peers pair within one pool; a mosaic
mentee's mentors cover skills together), so neither is the capacity model's. The
integer program holds every eligible pair (pruned to each person's best
candidates only past `MatchOptions.exact_limit`, and the proposal says so). The
objectives are solved one after another by `stages`: people matched, (with a
fairness floor) the best lowest pair score, skill coverage (mosaic), total score,
previous pairs kept, then the tie-break.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from . import stages
from .candidates import CandidateIndex, Pair
from .solver import MatchOptions, Row, Solver, Stage


class Pairs:
    """Eligible pair columns of a small integer program, pruned only when there are too many."""

    def __init__(self, ix: CandidateIndex, room: list[int], limit: int, symmetric: bool, per_person: int):
        self.ix = ix
        total = ix.eligible_pairs()
        self.pruned = total > limit
        self.eligible = total // 2 if symmetric else total
        self.per_person = per_person
        pairs: dict[Pair, int] = {}
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


def solve_peer(ix: CandidateIndex, room: list[int], matched_already: set[int], keep: set[Pair],
               team_rule: bool, team_taken: dict[int, set[str]], fairness: bool, solver: Solver,
               opt: MatchOptions) -> tuple[list[Pair], list[Stage], Pairs]:
    """Peers: pairs within one pool, each person in at most `room` new pairs; people matched, then score."""
    cand = Pairs(ix, room, opt.exact_limit, True, 20)
    n = len(ix.mentees)
    people = [p for p in range(n) if room[p] > 0 and p not in matched_already]
    ycol = {p: len(cand.cols) + k for k, p in enumerate(people)}
    teams = [p.team for p in ix.mentees]

    def team_rows(p: int, ks: list[int]) -> list[Row]:
        by_team: dict[str, list[int]] = {}
        for k in ks:
            i, j = cand.cols[k]
            team = teams[j if i == p else i]
            if team:
                by_team.setdefault(team, []).append(k)
        out = []
        for t, tk in sorted(by_team.items()):
            cap = 0 if t in team_taken.get(p, set()) else 1
            if len(tk) > cap:
                out.append(Row(f"t{p}_{t}", [(k, 1.0) for k in tk], "<=", cap))
        return out

    incident: dict[int, list[int]] = {}
    for k, (i, j) in enumerate(cand.cols):
        incident.setdefault(i, []).append(k)
        incident.setdefault(j, []).append(k)
    rows = []
    for p in range(n):
        ks = incident.get(p, [])
        if ks:
            rows.append(Row(f"p{p}", [(k, 1.0) for k in ks], "<=", room[p]))
        if p in ycol:
            rows.append(Row(f"y{p}", [(ycol[p], 1.0)] + [(k, -1.0) for k in ks], "<=", 0))
        if team_rule and ks:
            rows += team_rows(p, ks)
    return _solve(solver, cand, rows, len(cand.cols) + len(people), ycol.values(), [], keep, ix.smax, fairness)


def solve_mosaic(ix: CandidateIndex, room_mentee: list[int], room_mentor: list[int], matched_already: set[int],
                 fixed_mentors: dict[int, list[int]], keep: set[Pair], fairness: bool, solver: Solver,
                 opt: MatchOptions) -> tuple[list[Pair], list[Stage], Pairs]:
    """Mosaic: up to k mentors per mentee who together cover as many of the mentee's sought skills as possible.

    Stages: mentees with at least one mentor; skill coverage (a sought skill counts 1 when a mentor offers it,
    1/2 when a mentor offers a related skill; each mentee's skills share one unit, so every mentee counts the
    same); total pair score; pairs kept; tie-break.
    """
    cand = Pairs(ix, room_mentee, opt.exact_limit, False, 30)
    kept = [(col, s) for col, s in zip(cand.cols, cand.score, strict=True) if room_mentor[col[1]] > 0]
    cand.cols, cand.score = [col for col, _ in kept], [s for _, s in kept]
    mentees = [i for i in range(len(ix.mentees)) if room_mentee[i] > 0]
    base = len(cand.cols)
    ycol, covcol, ncols = _mosaic_columns(ix, mentees, matched_already, base)
    rows = _Mosaic(ix, cand, mentees, room_mentee, room_mentor, fixed_mentors, ycol, covcol).rows()
    coverage, unit = _coverage_objective(ix, mentees, covcol, ncols)
    return _solve(solver, cand, rows, ncols, ycol.values(), [("coverage", coverage, unit is not None)], keep,
                  ix.smax, fairness)


def _solve(solver: Solver, cand: Pairs, rows: list[Row], ncols: int, counted: Iterable[int],
           first: list[stages.Objective], keep: set[Pair], smax: int, fairness: bool
           ) -> tuple[list[Pair], list[Stage], Pairs]:
    """The stages (`stages`) of a program of `ncols` columns, `cand`'s pairs first: people matched (the columns
    `counted`, one per person), the lowest pair score, `first`, the total score, the previous pairs kept."""
    count = [0.0] * ncols
    for k in counted:
        count[k] = 1.0
    model = stages.Model(len(cand.cols), cand.score, rows, count, [c in keep for c in cand.cols], first)
    chosen, found = stages.solve(solver, model, fairness, smax)
    return [cand.cols[k] for k in chosen], found, cand


def _mosaic_columns(ix: CandidateIndex, mentees: list[int], matched_already: set[int], base: int
                    ) -> tuple[dict[int, int], dict[tuple[int, str, int], int], int]:
    """After the `base` pair columns: a "has a mentor" column per mentee not yet matched, then two coverage
    columns (exact, related) per mentee and sought skill; and how many columns in all."""
    c = ix.criteria
    ymentees = [i for i in mentees if i not in matched_already]
    ycol = {i: base + k for k, i in enumerate(ymentees)}
    cov: list[tuple[int, str, int]] = []  # (mentee, skill, 2 = exact or 1 = related) per coverage column
    for i in mentees:
        for s in c.features(ix.mentees[i]).sought:
            cov += [(i, s, 2), (i, s, 1)]
    covcol = {(i, s, h): base + len(ymentees) + k for k, (i, s, h) in enumerate(cov)}
    return ycol, covcol, base + len(ymentees) + len(cov)


def _coverage_objective(ix: CandidateIndex, mentees: list[int], covcol: dict[tuple[int, str, int], int],
                        ncols: int) -> tuple[list[float], int | None]:
    """Each coverage column's weight (each mentee's skills share one unit); and the unit that makes the weights
    integral, if one is small enough."""
    c = ix.criteria
    sizes = [len(c.features(ix.mentees[i]).sought) for i in mentees] or [1]
    unit = math.lcm(*range(1, max(sizes) + 1)) if max(sizes) <= 12 else None  # integral coverage weights
    coverage = [0.0] * ncols
    for (i, _, h), col in covcol.items():
        n = len(c.features(ix.mentees[i]).sought)
        # exact coverage is worth 2 halves; related 1 (and a skill counts once: see the u-rows)
        coverage[col] = (h * (unit // n)) if unit else h / n
    return coverage, unit


@dataclass
class _Mosaic:
    """The mosaic program's rows: pair columns, then one "has a mentor" column per mentee not yet matched, then
    two coverage columns (exact, related) per mentee and sought skill."""

    ix: CandidateIndex
    cand: Pairs
    mentees: list[int]  # those with room
    room_mentee: list[int]
    room_mentor: list[int]
    fixed_mentors: dict[int, list[int]]
    ycol: dict[int, int]  # mentee -> their "has a mentor" column
    covcol: dict[tuple[int, str, int], int]  # (mentee, skill, 2 or 1) -> coverage column

    def rows(self) -> list[Row]:
        ycol = self.ycol
        rows: list[Row] = []
        by_i: dict[int, list[int]] = {}
        by_j: dict[int, list[int]] = {}
        for k, (i, j) in enumerate(self.cand.cols):
            by_i.setdefault(i, []).append(k)
            by_j.setdefault(j, []).append(k)
        for i in self.mentees:
            ks = by_i.get(i, [])
            if ks:
                rows.append(Row(f"e{i}", [(k, 1.0) for k in ks], "<=", self.room_mentee[i]))
            if i in ycol:
                rows.append(Row(f"y{i}", [(ycol[i], 1.0)] + [(k, -1.0) for k in ks], "<=", 0))
            rows += self.coverage_rows(i, ks)
        for j, ks in sorted(by_j.items()):
            rows.append(Row(f"r{j}", [(k, 1.0) for k in ks], "<=", self.room_mentor[j]))
        return rows

    def coverage_rows(self, i: int, ks: list[int]) -> list[Row]:
        c, ix, covcol = self.ix.criteria, self.ix, self.covcol
        out = []
        for s in c.features(ix.mentees[i]).sought:
            have = max((c.features(ix.mentors[j]).credit.get(s, 0) for j in self.fixed_mentors.get(i, [])),
                       default=0)
            for h in (2, 1):
                col = covcol[(i, s, h)]
                if have >= h:
                    continue  # already covered by a fixed mentor: the column may be 1
                offer = [(k, -1.0) for k in ks
                         if c.features(ix.mentors[self.cand.cols[k][1]]).credit.get(s, 0) >= h]
                out.append(Row(f"c{i}_{s}_{h}", [(col, 1.0)] + offer, "<=", 0))
            out.append(Row(f"u{i}_{s}", [(covcol[(i, s, 2)], 1.0), (covcol[(i, s, 1)], 1.0)], "<=", 1))
        return out
