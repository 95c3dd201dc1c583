"""The team format: several mentors mentor one group of mentees together.

The program file names the mentor teams (`matching.teams`). Each mentee joins at
most one team and is paired with every mentor in it; a team takes as many mentees
as its most limited mentor (the smallest `mentor_capacity`).

A mentee's score with a team: the skills part counts the sought skills the team
covers *together* (each skill at the best credit any of its mentors gives, as in
mosaic programs); every other criterion is the mean of its points over the team's
mentors, rounded half up to hundredths, so the total is the sum of the parts. The
hard rules about two people (level gap, time zones, language, reporting lines,
exclusions, cooldown) must hold with every mentor of the team; the shared-skill
rule and `min_score` apply to the team as a whole.

Mentees x teams with capacities is again a bipartite b-matching, so `TeamIndex`
offers the same rows as `candidates.CandidateIndex` and the capacity model
(`capacity`) solves it with the same proof of optimality.
"""

from __future__ import annotations

import copy
import dataclasses
from array import array
from dataclasses import dataclass
from typing import Any

from ..errors import InfeasibleMatching
from ..model import MentorTeam, PairStatus, Participant
from .candidates import Pair, pack_rows
from .rules import RULES, PairRules, Violation
from .scoring import Criteria

TEAM_RULES = ("shared_skill", "min_score")  # judged for the team as a whole, not pair by pair


@dataclass(frozen=True)
class Team:
    id: str
    members: tuple[int, ...]  # mentor indices in the plan's mentors
    capacity: int


def read_teams(program_id: str, teams: list[MentorTeam], mentors: list[Participant]) -> tuple[list[Team], list[str]]:
    """The program's mentor teams as indices; raises `InfeasibleMatching` when a team names someone who is not a
    mentor with capacity in the program, or a mentor twice. Also notes for mentors outside every team."""
    where = f"program/{program_id}.yaml (matching.teams)"
    if not teams:
        raise InfeasibleMatching(f"a team program needs its mentor teams in {where}: list each team's id and "
                                 "mentors, e.g. teams: [{id: data-team, mentors: [mk-…, mk-…]}]")
    pos = {p.pseudonym: j for j, p in enumerate(mentors)}
    seen: dict[str, str] = {}
    out = []
    for t in sorted(teams, key=lambda t: t.id):
        members = []
        for who in t.mentors:
            if who not in pos:
                raise InfeasibleMatching(f"team {t.id} in {where}: {who} is not a mentor with capacity in this program")
            if who in seen:
                raise InfeasibleMatching(f"{who} is in teams {seen[who]} and {t.id} in {where}: a mentor belongs to "
                                         "one team")
            seen[who] = t.id
            members.append(pos[who])
        members = sorted(set(members))
        out.append(Team(t.id, tuple(members), min(mentors[j].mentor_capacity for j in members)))
    notes = [f"mentor {p.pseudonym} is in no team of {where}: they are not matched"
             for p in mentors if p.pseudonym not in seen]
    return out, notes


def pair_level(criteria: Criteria) -> Criteria:
    """The criteria without the rules judged per team (so a pair's points and rules can be read one by one)."""
    c = copy.copy(criteria)
    c.skill_required = False
    c.min_cents = None
    return c


class TeamIndex:
    """Every eligible (mentee, team) pair, scored: the rows the capacity model reads, one column per team."""

    def __init__(self, criteria: Criteria, mentees: list[Participant], mentors: list[Participant], teams: list[Team],
                 rules: PairRules, exclude: dict[int, set[int]] | None = None):
        self.criteria = criteria
        self.pairs = pair_level(criteria)
        self.mentees = mentees
        self.people = mentors
        self.teams = teams
        self.rules = rules
        # stand-ins for the capacity model, which reads `pseudonym` (tie-break) and the number of columns
        self.mentors = [dataclasses.replace(mentors[t.members[0]], pseudonym=f"team:{t.id}") for t in teams]
        self.smax = criteria.smax
        self.m = max(1, len(teams))
        self._exclude = exclude or {}
        self._scored: dict[Pair, tuple[int, tuple[tuple[str, int], ...], tuple[Violation, ...]]] = {}
        built = []
        for i in range(len(mentees)):
            keys = [self.key(c, t) for t in range(len(teams)) if t not in self._exclude.get(i, ())
                    and (c := self.pair_cents(i, t)) is not None]
            built.append(array("q", sorted(keys)))
        self.start, self.keys, self.rows = pack_rows(built, "q")  # the layout of `CandidateIndex`

    def decode(self, key: int) -> tuple[int, int]:
        q, t = divmod(key, self.m)
        return self.smax - q, t

    def key(self, cents_: int, t: int) -> int:
        return (self.smax - cents_) * self.m + t

    def score(self, i: int, t: int) -> tuple[int, tuple[tuple[str, int], ...], tuple[Violation, ...]]:
        """(cents, parts, broken rules) of mentee i with team t."""
        got = self._scored.get((i, t))
        if got is None:
            got = self._scored[(i, t)] = self._score(i, t)
        return got

    def _score(self, i: int, t: int) -> tuple[int, tuple[tuple[str, int], ...], tuple[Violation, ...]]:
        c = self.criteria
        a = self.mentees[i]
        members = [self.people[j] for j in self.teams[t].members]
        scores = [self.pairs.score(a, b, self.rules) for b in members]
        broken = [v for s in scores for v in s.violations]
        fa = c.features(a)
        feats = [c.features(b) for b in members]
        n = len(members)
        parts = []
        for name in c.active:
            if name == "skills":
                halves = sum(max(f.credit.get(s, 0) for f in feats) for s in fa.sought)
                parts.append((name, c.skills_cents(len(fa.sought), halves)))
            else:
                total = sum(dict(s.parts_cents)[name] for s in scores)
                parts.append((name, (2 * total + n) // (2 * n)))  # the mean, rounded half up
        cents_ = sum(p for _, p in parts)
        if c.skill_required and fa.sought and not any(Criteria.teaches(fa, f) for f in feats):
            broken.append(Violation("shared_skill", "no mentor of the team offers any of the sought skills ("
                                    + ", ".join(fa.sought) + "), nor a related one"))
        if c.min_cents is not None and cents_ < c.min_cents:
            broken.append(Violation("min_score", f"score {cents_ / 100:g} below the minimum {c.min_cents / 100:g} "
                                                 "(matching.min_score)"))
        return cents_, tuple(parts), tuple(dict.fromkeys(broken))

    def pair_cents(self, i: int, t: int) -> int | None:
        if t in self._exclude.get(i, ()):
            return None
        cents_, _, broken = self.score(i, t)
        return None if broken else cents_

    def eligible_pairs(self) -> int:
        return len(self.keys)

    def ineligible_reasons(self, i: int) -> list[tuple[str, int]]:
        """Why teams are not eligible for mentee i: (rule, number of teams), each team under its first rule."""
        order = {rule: k for k, rule in enumerate(RULES)}
        counts: dict[str, int] = {}
        for t in range(len(self.teams)):
            broken = self.score(i, t)[2]
            if broken:
                rule = min((v.rule for v in broken), key=lambda r: order.get(r, 0))
                counts[rule] = counts.get(rule, 0) + 1
        return list(counts.items())


def fixed_teams(fixed: list[tuple[int, int, PairStatus]], team_of: dict[int, int]) -> dict[int, tuple[int, PairStatus]]:
    """Mentee -> (team, status) from pairs fixed in advance: an approved pair puts the mentee in that mentor's team."""
    out: dict[int, tuple[int, PairStatus]] = {}
    for i, j, status in sorted(fixed, key=lambda f: (f[0], f[2] != PairStatus.APPROVED, f[1])):
        if j in team_of and i not in out:
            out[i] = (team_of[j], status)
    return out


@dataclass
class TeamResult:
    """What the proposal needs to explain a team program: the index over teams and who joined which team."""

    index: TeamIndex
    team_of: dict[int, int]  # mentor index -> team index
    joined: dict[int, int]  # mentee index -> team index
    load: list[int]  # mentees per team

    def team_id(self, j: int) -> str | None:
        t = self.team_of.get(j)
        return None if t is None else self.index.teams[t].id


def team_next_best(tr: TeamResult, i: int) -> dict[str, Any] | None:
    """The mentee's best other team, and whether it is full."""
    ix = tr.index
    for key in ix.rows[i]:
        s, t = ix.decode(key)
        if tr.joined.get(i) != t:
            return {"team": ix.teams[t].id, "score": s / 100, "fully_booked": tr.load[t] >= ix.teams[t].capacity}
    return None
