"""Compatibility of a (mentee, mentor) pair: a sum of named, weighted criteria.

Each criterion gives a value from 0 to 1; times its weight from the program file
(`matching.weights`) that is the criterion's part of the score, in points. Parts
are rounded to hundredths and held as integer "cents", so a total is the exact
sum of the parts a reviewer sees, equal scores are really equal (the matcher's
tie-breaking relies on it) and the optimiser works on integers.

Hard rules are not scored: a pair that breaks one is not eligible and is never
proposed; `PairScore.violations` says which rules, in words (see `rules`).

Two implementations share the per-criterion arithmetic of `Criteria`:

- `score_pair` / `Criteria.score`: one pair, written to be read; it explains
  proposed pairs and is the reference in tests;
- `candidates.CandidateIndex`: every eligible pair of a program at once, fast
  enough for 10,000 x 5,000 people in pure Python. Tests check that it agrees
  with `Criteria.score` on every pair.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import Format, Participant, Program, Vocabulary
from ..model.program import WORKDAY
from .rules import PairRules, Violation

CRITERIA = ("skills", "goals", "interests", "department", "level", "time_zone", "language", "meeting_mode",
            "communication_style")
# Formats where a mentor is chosen for what they can teach: the shared-skill rule is on by default there
# (peer pairs teach each other, flash conversations are about one question: off by default).
SKILL_BASED = frozenset({Format.ONE_TO_ONE, Format.GROUP, Format.REVERSE, Format.MOSAIC, Format.TEAM})
# The working day assumed for everyone (model.program.WORKDAY), in local minutes: time-zone overlap is measured
# against it
DAY_START = WORKDAY[0].hour * 60 + WORKDAY[0].minute
WORKDAY_MINUTES = WORKDAY[1].hour * 60 + WORKDAY[1].minute - DAY_START
MOSTLY_EMPTY = 0.5  # a criterion whose field is empty for more than this share of people is reported


@dataclass(frozen=True)
class PairScore:
    cents: int  # total in hundredths of a point
    parts_cents: tuple[tuple[str, int], ...]  # (criterion, hundredths), in CRITERIA order
    violations: tuple[Violation, ...] = ()

    @property
    def total(self) -> float:
        return self.cents / 100

    @property
    def parts(self) -> dict[str, float]:
        return {name: c / 100 for name, c in self.parts_cents}

    @property
    def eligible(self) -> bool:
        return not self.violations


@lru_cache(maxsize=65536)
def cents(weight: float, num: int, den: int) -> int:
    """weight x num/den points in hundredths, rounded half up, exactly (no float drift)."""
    if num <= 0 or den <= 0 or weight <= 0:
        return 0
    return math.floor(Fraction(weight) * 100 * num / den + Fraction(1, 2))


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def hours(minutes: int | float) -> str:
    """Minutes as hours, in the shortest form: 90 -> "1.5"."""
    return f"{minutes / 60:g}"


@dataclass(frozen=True)
class Features:
    """What the criteria read from one person, precomputed once."""

    pseudonym: str
    level: int
    time_zone: str
    offset: int | None  # UTC offset in minutes at the program's reference date; None if the zone is unknown
    languages: tuple[str, ...]
    department: str
    team: str | None
    mode: str
    location: str | None
    sought: tuple[str, ...]
    credit: Mapping[str, int]  # skill -> credit this person gives as a mentor, in halves (2 offered, 1 related)
    goals: frozenset[str]
    interests: frozenset[str]
    styles: frozenset[str] = frozenset()


class Criteria:
    """A program's criteria, weights and windows, ready to score pairs."""

    def __init__(self, program: Program, vocabulary: Vocabulary | None):
        m = program.matching
        self.format = Format(program.format)
        self.gap = m.level_gap
        self.max_tz = None if m.max_time_zone_difference is None else round(m.max_time_zone_difference * 60)
        self.language_required = m.shared_language_required
        self.department = m.department
        w = m.weights
        self.configured = {name: float(getattr(w, name)) for name in CRITERIA}
        self.weights = dict(self.configured)
        if self.department == "any":  # no preference: the criterion cannot tell pairs apart
            self.weights["department"] = 0.0
        self.active = tuple(name for name in CRITERIA if self.weights[name] > 0)
        self.min_cents = None if m.min_score is None else math.ceil(round(m.min_score * 100, 6))
        self.skill_required = (m.shared_skill_required if m.shared_skill_required is not None
                               else self.format in SKILL_BASED and self.weights["skills"] > 0)
        self.smax = sum(cents(self.weights[n], 1, 1) for n in self.active)  # best possible score, in cents
        related: dict[str, set[str]] = {}
        for skill in (vocabulary.skills if vocabulary else ()):
            for other in skill.related:
                if other != skill.id:
                    related.setdefault(skill.id, set()).add(other)
                    related.setdefault(other, set()).add(skill.id)
        self.related = {k: frozenset(v) for k, v in related.items()}
        # Offsets at noon on the program's start date: deterministic, and right for most of the program.
        self.reference = dt.datetime.combine(program.timeline.start, dt.time(12))
        self._offsets: dict[str, int | None] = {}
        # by object identity, the person kept beside their features (so the id is not reused): hashing a
        # participant hashes every field, and scoring a program asks for features hundreds of thousands of times
        self._features: dict[int, tuple[Participant, Features]] = {}
        self.symmetric = self.format == Format.PEER

    # --- people -------------------------------------------------------------

    def offset(self, zone: str) -> int | None:
        if zone not in self._offsets:
            try:
                delta = self.reference.replace(tzinfo=ZoneInfo(zone)).utcoffset()
                self._offsets[zone] = None if delta is None else round(delta.total_seconds() / 60)
            except (ZoneInfoNotFoundError, ValueError, KeyError):
                self._offsets[zone] = None
        return self._offsets[zone]

    def features(self, p: Participant) -> Features:
        known = self._features.get(id(p))
        if known is not None and known[0] is p:
            return known[1]
        offered = _dedupe(p.skills_offered)
        credit: dict[str, int] = {}
        for s in offered:
            for r in self.related.get(s, ()):
                credit.setdefault(r, 1)
        credit.update((s, 2) for s in offered)
        f = Features(p.pseudonym, p.level, p.time_zone, self.offset(p.time_zone), _dedupe(p.languages),
                     p.department, p.team, p.meeting_mode, p.location, _dedupe(p.skills_sought), credit,
                     frozenset(p.goals), frozenset(p.interests), frozenset(p.communication_style))
        self._features[id(p)] = (p, f)
        return f

    # --- the criteria, one small function each (shared by both implementations) ---

    def level_gap(self, mentee: Features, mentor: Features) -> int:
        return self.gap_between(mentee.level, mentor.level)

    def gap_between(self, mentee_level: int, mentor_level: int) -> int:
        if self.symmetric:
            return abs(mentor_level - mentee_level)
        if self.format == Format.REVERSE:  # the junior person mentors: mentee level minus mentor level
            return mentee_level - mentor_level
        return mentor_level - mentee_level

    def level_cents(self, gap: int) -> int:
        g = self.gap
        if not g.min <= gap <= g.max:
            return 0
        span = max(g.ideal - g.min, g.max - g.ideal) + 1  # 1 at the ideal gap, falling towards the window's edges
        return cents(self.weights["level"], span - abs(gap - g.ideal), span)

    def tz_minutes(self, a: int | None, b: int | None) -> int | None:
        if a is None or b is None:
            return None
        d = abs(a - b) % 1440
        return min(d, 1440 - d)

    def tz_cents(self, minutes: int | None) -> int:
        if minutes is None:
            return 0
        return cents(self.weights["time_zone"], max(0, WORKDAY_MINUTES - minutes), WORKDAY_MINUTES)

    def language_cents(self, mentee_langs: tuple[str, ...], mentor_langs: Iterable[str]) -> int:
        shared = len(set(mentee_langs).intersection(mentor_langs))
        return cents(self.weights["language"], shared, len(mentee_langs))

    def department_cents(self, a: str, b: str) -> int:
        met = (a != b) if self.department == "cross" else (a == b)
        return cents(self.weights["department"], int(met), 1)

    @staticmethod
    def can_meet(mode_a: str, loc_a: str | None, mode_b: str, loc_b: str | None) -> bool:
        virtual = mode_a != "in-person" and mode_b != "in-person"
        in_person = mode_a != "virtual" and mode_b != "virtual" and loc_a is not None and loc_a == loc_b
        return virtual or in_person

    def mode_cents(self, mode_a: str, loc_a: str | None, mode_b: str, loc_b: str | None) -> int:
        return cents(self.weights["meeting_mode"], int(self.can_meet(mode_a, loc_a, mode_b, loc_b)), 1)

    def skills_cents(self, n_sought: int, halves: int) -> int:
        return cents(self.weights["skills"], halves, 2 * n_sought)

    def share_cents(self, name: str, n: int, shared: int) -> int:
        return cents(self.weights[name], shared, n)

    def _directed(self, a: Features, b: Features) -> dict[str, int]:
        """Parts for mentee `a` and mentor `b`, in cents."""
        out = {}
        for name in self.active:
            if name == "skills":
                out[name] = self.skills_cents(len(a.sought), sum(b.credit.get(s, 0) for s in a.sought))
            elif name == "goals":
                out[name] = self.share_cents(name, len(a.goals), len(a.goals & b.goals))
            elif name == "interests":
                out[name] = self.share_cents(name, len(a.interests), len(a.interests & b.interests))
            elif name == "department":
                out[name] = self.department_cents(a.department, b.department)
            elif name == "level":
                out[name] = self.level_cents(self.level_gap(a, b))
            elif name == "time_zone":
                out[name] = self.tz_cents(self.tz_minutes(a.offset, b.offset))
            elif name == "language":
                out[name] = self.language_cents(a.languages, b.languages)
            elif name == "meeting_mode":
                out[name] = self.mode_cents(a.mode, a.location, b.mode, b.location)
            elif name == "communication_style":
                out[name] = self.share_cents(name, len(a.styles), len(a.styles & b.styles))
        return out

    @staticmethod
    def teaches(mentee: Features, mentor: Features) -> bool:
        """The mentor offers at least one of the mentee's sought skills, or a related one."""
        return any(s in mentor.credit for s in mentee.sought)

    def shares_a_skill(self, a: Features, b: Features) -> bool:
        """The shared-skill rule: met when the mentee seeks nothing (for peers: either way round)."""
        if self.symmetric:
            return (not a.sought and not b.sought) or self.teaches(a, b) or self.teaches(b, a)
        return not a.sought or self.teaches(a, b)

    def violations(self, a: Features, b: Features, rules: PairRules | None = None) -> tuple[Violation, ...]:
        out = []
        if a.pseudonym == b.pseudonym:
            out.append(Violation("same_person", "same person"))
        gap = self.level_gap(a, b)
        if not self.gap.min <= gap <= self.gap.max:
            out.append(Violation("level_gap", f"level gap {gap} outside {self.gap.min}..{self.gap.max}"))
        if self.max_tz is not None:
            d = self.tz_minutes(a.offset, b.offset)
            if d is None:
                unknown = a.time_zone if a.offset is None else b.time_zone
                out.append(Violation("time_zone", f"unknown time zone '{unknown}'"))
            elif d > self.max_tz:
                out.append(Violation("time_zone", f"time zones {hours(d)} h apart (max {hours(self.max_tz)})"))
        if self.language_required and not set(a.languages) & set(b.languages):
            out.append(Violation("language", "no shared language"))
        if self.skill_required and not self.shares_a_skill(a, b):
            out.append(Violation("shared_skill", "the mentor offers none of the sought skills ("
                                 + ", ".join(a.sought or b.sought) + "), nor a related one"))
        if rules is not None:
            out.extend(rules.check(a.pseudonym, b.pseudonym))
        return tuple(out)

    def score(self, mentee: Participant, mentor: Participant, rules: PairRules | None = None) -> PairScore:
        a, b = self.features(mentee), self.features(mentor)
        parts = self._directed(a, b)
        if self.symmetric:  # peers: the mean of both directions, so (a, b) and (b, a) score the same
            back = self._directed(b, a)
            parts = {n: (c + back[n] + 1) // 2 for n, c in parts.items()}
        total = sum(parts.values())
        broken = self.violations(a, b, rules)
        if self.min_cents is not None and total < self.min_cents:
            broken += (Violation("min_score", f"score {total / 100:g} below the minimum {self.min_cents / 100:g} "
                                              "(matching.min_score)"),)
        return PairScore(total, tuple(parts.items()), broken)


def score_pair(program: Program, vocabulary: Vocabulary | None, mentee: Participant, mentor: Participant,
               rules: PairRules | None = None) -> PairScore:
    """Score one (mentee, mentor) pair of `program`: total, named parts and broken hard rules."""
    return Criteria(program, vocabulary).score(mentee, mentor, rules)


def data_notes(criteria: Criteria, mentees: Sequence[Participant], mentors: Sequence[Participant]) -> list[str]:
    """Weights that sit on empty or mostly empty fields: they barely affect matching (or not at all)."""
    notes = _empty_field_notes(criteria, mentees, mentors)
    everyone = list({p.pseudonym: p for p in [*mentees, *mentors]}.values())
    notes += _department_notes(criteria, everyone)
    notes += _location_notes(criteria, everyone)
    if criteria.weights["time_zone"] > 0 or criteria.max_tz is not None:
        unknown = sorted({p.time_zone for p in everyone if criteria.offset(p.time_zone) is None})
        if unknown:
            notes.append("unknown time zones (treated as far apart): " + ", ".join(unknown))
    return notes


_SET_FIELDS = {"skills": ("skills_sought", "skills_offered"), "goals": ("goals", "goals"),
               "interests": ("interests", "interests"),
               "communication_style": ("communication_style", "communication_style")}  # weight: (mentee, mentor)


def _empty_field_notes(criteria: Criteria, mentees: Sequence[Participant], mentors: Sequence[Participant]
                       ) -> list[str]:
    """The set-based weights whose field is empty, or mostly, on a side."""
    notes = []
    for name, (mentee_field, mentor_field) in _SET_FIELDS.items():
        weight = criteria.weights[name]
        if weight <= 0:
            continue
        sides: tuple[tuple[str, Sequence[Participant], str], ...] = (
            ("mentees", mentees, mentee_field), ("mentors", mentors, mentor_field))
        if mentees is mentors:  # peers: one pool
            sides = tuple(("people", mentees, f) for f in dict.fromkeys((mentee_field, mentor_field)))
        for side, people, field in sides:
            note = _empty_field_note(name, weight, side, people, field)
            if note:
                notes.append(note)
    return notes


def _empty_field_note(name: str, weight: float, side: str, people: Sequence[Participant], field: str
                      ) -> str | None:
    if not people:
        return None
    empty = sum(1 for p in people if not getattr(p, field))
    share = empty / len(people)
    if share == 1:
        who = "one" if side == "people" else side[:-1]
        return (f"weight '{name}' is {weight:g} but no {who} has {field.replace('_', ' ')}: "
                f"it has no effect on matching")
    if share > MOSTLY_EMPTY:
        return (f"weight '{name}' is {weight:g} but {share:.0%} of {side} have no "
                f"{field.replace('_', ' ')}: it barely affects matching")
    return None


def _department_notes(criteria: Criteria, everyone: list[Participant]) -> list[str]:
    if criteria.department == "any" and criteria.configured["department"] > 0:
        return [f"weight 'department' is {criteria.configured['department']:g} but the department preference "
                "is 'any': it has no effect on matching"]
    if criteria.weights["department"] > 0 and len({p.department for p in everyone}) == 1:
        return [f"weight 'department' is {criteria.weights['department']:g} but everyone is in one "
                "department: it has no effect on matching"]
    return []


def _location_notes(criteria: Criteria, everyone: list[Participant]) -> list[str]:
    if criteria.weights["meeting_mode"] > 0 and everyone:
        in_person = [p for p in everyone if p.meeting_mode != "virtual"]
        no_place = sum(1 for p in in_person if not p.location)
        if in_person and no_place / len(in_person) > MOSTLY_EMPTY:
            return [f"weight 'meeting_mode' is {criteria.weights['meeting_mode']:g} but "
                    f"{no_place / len(in_person):.0%} of people open to meeting in person have no location: "
                    "in-person pairs cannot be recognised"]
    return []
