"""What a run starts from, and what solving hands on to the proposal.

`make_plan` decides everything before solving: the pools by format (mentees and
mentors, or one pool for peers, in pseudonym order so row order never matters),
the criteria, the hard rules about people (reporting lines, forbidden pairs,
cooldown after earlier programs, pairs that ended) and the pairs fixed in advance:
approved pairs of the previous proposal are kept as they are, its other pairs are
preferred on ties. Locks are checked by `locks.check_locks`. `Result` is what a
format's solver returns (see `formats`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Format, PairStatus, Participant, Program, Proposal, ProposedPair, Workspace
from ..text.counts import plural
from .candidates import CandidateIndex, Pair
from .rules import PairRules
from .scoring import Criteria, data_notes
from .solver import Stage
from .teams import TeamResult

Key = tuple[str, str]  # (mentee, mentor) pseudonyms; for peers (first, second) in pseudonym order
Fixed = list[tuple[int, int, PairStatus]]  # pairs fixed in advance, as (mentee, mentor) indices


@dataclass
class Plan:
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
    kept: dict[Key, ProposedPair] = field(default_factory=dict)  # the previous proposal's approved pairs, as written

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


@dataclass
class Result:
    """What a format's solver found, and what the proposal needs to explain it."""

    index: CandidateIndex
    fixed: Fixed
    new: list[Pair]
    stages: list[Stage]
    guarantee: str
    eligible: int
    model_pairs: int
    capacity: list[int]  # per mentor (per person for peers): places in total, to tell who is fully booked
    team_rule: bool = False
    share: float | None = None
    floor: int | None = None
    teams: TeamResult | None = None  # team format: the teams and who joined which
    scanned: int = 0  # pairs looked at to explain who is unmatched and what would match them (`reasons`)


def fixed_indices(plan: Plan, ie: dict[str, int], je: dict[str, int]) -> Fixed:
    return ([(ie[a], je[b], PairStatus.APPROVED) for a, b in plan.approved]
            + [(ie[a], je[b], PairStatus.PROPOSED) for a, b in plan.locked])


def make_plan(ws: Workspace, program_id: str, program: Program, previous: Proposal | None) -> Plan:
    fmt = Format(program.format)
    m = program.matching
    notes: list[str] = []
    choice = m.mode == "choice" and fmt not in (Format.PEER, Format.MOSAIC, Format.TEAM)
    if m.mode == "choice" and not choice:
        notes.append(f"choice mode (suggestions) applies to one-to-one, group, reverse and flash programs; "
                     f"this {fmt.value} program gets one proposal")
    # withdrawn or gone: no candidate any more. A leaver's approved pair stays until the coordinator ends it
    # (`mentorkit leave` does, on the day): a re-match does not rewrite a pair's history on its own
    paired = {who for p in (previous.pairs if previous else []) if p.status == PairStatus.APPROVED
              for who in (p.mentee, p.mentor)}
    leavers = set(ws.leavers(program_id)) - paired
    members = sorted((p for p in ws.members(program_id) if p.pseudonym not in leavers), key=lambda p: p.pseudonym)
    if fmt == Format.PEER:
        mentees = mentors = members
    else:
        mentees = [p for p in members if p.can_be_mentee]
        mentors = [p for p in members if p.can_mentor]
    criteria = Criteria(program, ws.vocabulary)
    notes = data_notes(criteria, mentees, mentors) + notes
    plan = Plan(program_id, program, fmt, choice, criteria, mentees, mentors, PairRules(), [], [], [], set(), notes)
    _read_previous(plan, previous)
    plan.rules = PairRules(
        forbidden=[(f.mentee, f.mentor) for f in m.forbidden], cooldown=_cooldown(ws, plan),
        ended=[(e.mentee, e.mentor) for e in plan.ended],
        managers={p.pseudonym: p.reports_to for p in ws.participants.values()},
        exclude_reporting_line=m.exclude_reporting_line)
    return plan


def _read_previous(plan: Plan, previous: Proposal | None) -> None:
    """The previous proposal: approved pairs stay, ended pairs are history, proposed pairs are preferred on ties."""
    mentee_ids = {p.pseudonym for p in plan.mentees}
    mentor_ids = {p.pseudonym for p in plan.mentors}
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
                                  f"no longer {plural(len(gone), 'takes', 'take')} part in this program in that role")
            else:
                plan.approved.append(key)
                plan.kept[key] = pp
        else:
            plan.previous.add(key)


def _cooldown(ws: Workspace, plan: Plan) -> dict[tuple[str, str], str]:
    """Pairs of the programs named in `matching.cooldown` (approved, ended or checked in), with the program."""
    cooldown: dict[tuple[str, str], str] = {}
    for earlier in plan.program.matching.cooldown:
        source = ws.proposals.get(earlier)
        for pp in (source.pairs if source else []):
            if pp.status in (PairStatus.APPROVED, PairStatus.ENDED):
                cooldown[(pp.mentee, pp.mentor)] = earlier
        for c in ws.checkins:
            if c.program == earlier:
                cooldown[(c.mentee, c.mentor)] = earlier
        if source is None and earlier not in ws.programs:
            plan.notes.append(f"cooldown program '{earlier}' is unknown: it keeps no one apart")
    return cooldown
