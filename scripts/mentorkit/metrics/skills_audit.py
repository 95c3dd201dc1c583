"""Skills supply and demand of a program, from its sign-ups: who seeks each skill, who offers it, with how many places.

The audit the program-design guides ask for before matching: which skills are
sought by many and offered by few, which mentees no mentor can serve (no
mentor offers any skill they seek, nor a related one: the matcher's shared
skill rule), and which mentors offer only skills no one seeks. It reads the
participants table only, so it can run before the first proposal; the
proposal's `unmatched` list adds the other rules (level, time zone,
language).

Who counts: mentees are the members who can be mentored (role mentee or
both; everyone in a peer program); mentors are the members with places
(role mentor or both and mentor_capacity above 0; everyone in a peer
program, where places are not counted). Nobody serves themselves. Related
skills (vocabulary `related`, both ways) serve a mentee as the matcher
counts them, for half the points.

When the program has a staff needs survey (participants/needs_survey.csv),
each skill also says how many of its anonymous respondents want to grow it
(`wanted`), and the audit carries the survey's other answers (`needs`):
demand before anyone signed up, and colleagues who would mentor.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Format, Participant, Workspace
from .needs_demand import NeedsDemand, needs_demand


@dataclass(frozen=True)
class SkillSupply:
    skill: str  # vocabulary id
    label: str
    sought_by: tuple[str, ...]  # mentees' pseudonyms
    offered_by: tuple[str, ...]  # mentors' pseudonyms
    places: int | None  # the places of the mentors who offer it (None in a peer program)
    related_by: tuple[str, ...]  # mentors who offer a related skill and not this one
    wanted: int | None = None  # respondents of the needs survey who want to grow it (None: no survey)

    @property
    def shortfall(self) -> int:
        """Mentees who seek it beyond the places of those who offer it (0 in a peer program)."""
        return max(0, len(self.sought_by) - self.places) if self.places is not None else 0


@dataclass(frozen=True)
class Unserved:
    mentee: str
    sought: tuple[str, ...]  # labels
    why: str


@dataclass(frozen=True)
class Unsought:
    mentor: str
    offered: tuple[str, ...]  # labels
    places: int


@dataclass(frozen=True)
class SkillsAudit:
    program: str
    title: str
    min_group_size: int
    peer: bool
    mentees: int
    mentors: int
    places: int | None
    skills: tuple[SkillSupply, ...]  # sought or offered by someone, in the vocabulary's order
    unserved: tuple[Unserved, ...]
    unsought: tuple[Unsought, ...]
    needs: NeedsDemand | None = None  # the program's staff needs survey, if it has one

    @property
    def gaps(self) -> tuple[SkillSupply, ...]:
        """Skills someone seeks and no mentor offers."""
        return tuple(s for s in self.skills if s.sought_by and not s.offered_by)

    @property
    def survey_gaps(self) -> tuple[SkillSupply, ...]:
        """Skills the needs survey asks for that no mentor offers and no sign-up seeks (yet)."""
        return tuple(s for s in self.skills if s.wanted and not s.offered_by and not s.sought_by)

    @property
    def short(self) -> tuple[SkillSupply, ...]:
        """Skills offered, by fewer places than the mentees who seek them."""
        return tuple(s for s in self.skills if s.offered_by and s.shortfall)


def _related(ws: Workspace) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in ws.vocabulary.skills if ws.vocabulary else ():
        for other in s.related:
            out.setdefault(s.id, set()).add(other)
            out.setdefault(other, set()).add(s.id)
    return out


def _and(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _why(person: Participant, sought: list[str], offering: dict[str, dict[str, Participant]],
         related: dict[str, set[str]], label: dict[str, str]) -> str | None:
    """Why no mentor can serve `person` (None when one can), in words; `offering`: skill -> the mentors offering it."""
    wanted = set(sought) | {r for s in sought for r in related.get(s, ())}
    able = [offering[s] for s in wanted if s in offering]  # who offers each wanted skill (never no one)
    if any(len(who) > 1 or person.pseudonym not in who for who in able):  # someone else offers one
        return None
    names = _and([label[s] for s in sought])
    if able:
        return f"seeks {names}: they offer it themselves, and no other mentor does (nor a related skill)"
    return f"seeks {names}: no mentor in the program offers {'it' if len(sought) == 1 else 'any of them'}, " \
           "nor a related skill"


def skills_audit(ws: Workspace, program_id: str) -> SkillsAudit:
    """The skills supply and demand of the program `program_id`."""
    program = ws.program(program_id)
    peer = program.format == Format.PEER
    members = ws.members(program_id)
    mentees = [p for p in members if peer or p.can_be_mentee]
    mentors = [p for p in members if peer or p.can_mentor]
    needs = needs_demand(ws, program_id)
    order, label = _skill_order(ws, mentees, mentors, needs)
    related = _related(ws)
    offering = _offering(mentors)
    seeking: dict[str, set[str]] = {}  # skill -> the mentees seeking it
    for p in mentees:
        for s in p.skills_sought:
            seeking.setdefault(s, set()).add(p.pseudonym)
    skills = [_supply(s, label[s], seeking.get(s, set()), offering, related, peer, needs) for s in order]
    return SkillsAudit(
        program=program_id, title=program.title, min_group_size=program.reports.min_group_size, peer=peer,
        mentees=len(mentees), mentors=len(mentors), places=None if peer else sum(m.mentor_capacity for m in mentors),
        skills=tuple(skills), unserved=_unserved(mentees, offering, order, related, label),
        unsought=_unsought(mentees, mentors, order, related, label), needs=needs)


def _skill_order(ws: Workspace, mentees: list[Participant], mentors: list[Participant],
                 needs: NeedsDemand | None) -> tuple[list[str], dict[str, str]]:
    """The skills anyone seeks, offers or the needs survey asks for, in the vocabulary's order then by id; and
    each one's label (its id when the vocabulary has none)."""
    vocabulary = [s.id for s in ws.vocabulary.skills] if ws.vocabulary else []
    label = {s.id: s.label for s in ws.vocabulary.skills} if ws.vocabulary else {}
    used = {s for p in mentees for s in p.skills_sought} | {s for p in mentors for s in p.skills_offered}
    used |= {s for s, n in needs.skills.items() if n} if needs else set()
    order = [s for s in vocabulary if s in used] + sorted(used - set(vocabulary))
    label |= {s: s for s in order if s not in label}
    return order, label


def _offering(mentors: list[Participant]) -> dict[str, dict[str, Participant]]:
    """Skill -> the mentors offering it, by pseudonym: looked up per skill and per mentee (going through every
    mentor for each mentee was most of a large program's audit)."""
    offering: dict[str, dict[str, Participant]] = {}
    for m in mentors:
        for s in m.skills_offered:
            offering.setdefault(s, {})[m.pseudonym] = m
    return offering


def _supply(s: str, label: str, seekers: set[str], offering: dict[str, dict[str, Participant]],
            related: dict[str, set[str]], peer: bool, needs: NeedsDemand | None) -> SkillSupply:
    """Who seeks the skill `s` (`seekers`), who offers it or a related one, and the places behind it."""
    offered = offering.get(s, {})
    nearby = {who for r in related.get(s, ()) for who in offering.get(r, ())}  # offer a related skill
    return SkillSupply(
        skill=s, label=label,
        sought_by=tuple(sorted(seekers)),
        offered_by=tuple(sorted(offered)),
        places=None if peer else sum(m.mentor_capacity for m in offered.values()),
        related_by=tuple(sorted(nearby.difference(offered))),
        wanted=needs.skills.get(s, 0) if needs else None)


def _unserved(mentees: list[Participant], offering: dict[str, dict[str, Participant]], order: list[str],
              related: dict[str, set[str]], label: dict[str, str]) -> tuple[Unserved, ...]:
    """The mentees no mentor can serve, each with why."""
    unserved = []
    for p in sorted(mentees, key=lambda p: p.pseudonym):
        sought = [s for s in order if s in p.skills_sought]
        why = _why(p, sought, offering, related, label) if sought else None
        if why:
            unserved.append(Unserved(p.pseudonym, tuple(label[s] for s in sought), why))
    return tuple(unserved)


def _unsought(mentees: list[Participant], mentors: list[Participant], order: list[str],
              related: dict[str, set[str]], label: dict[str, str]) -> tuple[Unsought, ...]:
    """The mentors whose skills no mentee seeks (nor a skill related to them)."""
    sought_anywhere = {s for p in mentees for s in p.skills_sought}
    sought_anywhere |= {r for s in sought_anywhere for r in related.get(s, ())}
    return tuple(Unsought(m.pseudonym, tuple(label[s] for s in order if s in m.skills_offered), m.mentor_capacity)
                 for m in sorted(mentors, key=lambda m: m.pseudonym)
                 if not sought_anywhere & set(m.skills_offered))
