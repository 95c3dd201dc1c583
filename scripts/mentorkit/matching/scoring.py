"""Compatibility of a (mentee, mentor) pair: a sum of named, weighted criteria.

Each criterion gives a value from 0 to 1; times its weight from the program file
(`matching.weights`) that is the criterion's part of the score, in points. Parts
are rounded to hundredths and held as integer "cents", so a total is the exact
sum of the parts a reviewer sees, equal scores are really equal (the matcher's
tie-breaking relies on it) and the optimiser works on integers.

Hard rules are not scored: a pair that breaks one is not eligible and is never
proposed; `PairScore.violations` says which rules, in words.

Two implementations share the per-criterion arithmetic below:

- `score_pair` / `Criteria.score`: one pair, written to be read; it explains
  proposed pairs and is the reference in tests;
- `CandidateIndex`: every eligible pair of a program at once, fast enough for
  10,000 x 5,000 people in pure Python (mentors are grouped by level, time zone
  and languages, and indexed by skill, goal and interest). Tests check that it
  agrees with `Criteria.score` on every pair.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import Format, Participant, Program, Vocabulary

CRITERIA = ("skills", "goals", "interests", "department", "level", "time_zone", "language", "meeting_mode")
WORKDAY_MINUTES = 8 * 60  # time-zone overlap is measured against an 8-hour working day
MOSTLY_EMPTY = 0.5  # a criterion whose field is empty for more than this share of people is reported

# Hard rules, in the order they are checked and reported.
RULES = ("same_person", "level_gap", "time_zone", "language", "reporting_line", "forbidden", "cooldown", "ended")


@dataclass(frozen=True)
class Violation:
    rule: str  # one of RULES: stable, for code and tests
    text: str  # in a coordinator's words, e.g. "level gap 5 outside 1..4"


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


def _hours(minutes: int | float) -> str:
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


class PairRules:
    """Hard rules about particular people: reporting lines, exclusions, earlier pairings.

    Pairs are unordered: a rule about (a, b) also holds for (b, a), so it works for
    peer and reverse programs too.
    """

    def __init__(self, *, forbidden: Iterable[tuple[str, str]] = (),
                 cooldown: Mapping[tuple[str, str], str] | None = None,
                 ended: Iterable[tuple[str, str]] = (), managers: Mapping[str, str | None] | None = None,
                 exclude_reporting_line: bool = True):
        self._blocked: dict[str, dict[str, Violation]] = {}
        for a, b in ended:
            self._block(a, b, Violation("ended", "this pair ended earlier in this program"))
        for (a, b), program in sorted((cooldown or {}).items()):
            self._block(a, b, Violation("cooldown", f"cooldown: paired in {program}"))
        for a, b in forbidden:
            self._block(a, b, Violation("forbidden", "forbidden in the program file"))
        self._above: dict[str, frozenset[str]] = {}
        self._below: dict[str, set[str]] = {}
        if exclude_reporting_line and managers:
            for person in managers:
                chain, boss = [], managers.get(person)
                while boss and boss not in chain and boss != person:  # a cycle in bad data must not loop
                    chain.append(boss)
                    boss = managers.get(boss)
                self._above[person] = frozenset(chain)
                for boss in chain:
                    self._below.setdefault(boss, set()).add(person)

    def _block(self, a: str, b: str, v: Violation) -> None:
        # the strongest reason wins: forbidden (written last) over cooldown over ended
        self._blocked.setdefault(a, {})[b] = v
        self._blocked.setdefault(b, {})[a] = v

    def line(self, a: str) -> set[str]:
        """Everyone above or below `a` in the reporting line."""
        return set(self._above.get(a, ())) | self._below.get(a, set())

    def blocked(self, a: str) -> dict[str, Violation]:
        """Everyone `a` must not be paired with, and why (reporting line included)."""
        out = {b: Violation("reporting_line", "same reporting line") for b in sorted(self.line(a))}
        out.update(self._blocked.get(a, {}))
        return out

    def check(self, a: str, b: str) -> list[Violation]:
        out = []
        if b in self._above.get(a, ()) or a in self._above.get(b, ()):
            out.append(Violation("reporting_line", "same reporting line"))
        v = self._blocked.get(a, {}).get(b)
        if v:
            out.append(v)
        return out


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
        self._features: dict[Participant, Features] = {}
        self.symmetric = self.format == Format.PEER

    # --- people -------------------------------------------------------------

    def offset(self, zone: str) -> int | None:
        if zone not in self._offsets:
            try:
                delta = self.reference.replace(tzinfo=ZoneInfo(zone)).utcoffset()
                self._offsets[zone] = round(delta.total_seconds() / 60)
            except (ZoneInfoNotFoundError, ValueError, KeyError):
                self._offsets[zone] = None
        return self._offsets[zone]

    def features(self, p: Participant) -> Features:
        f = self._features.get(p)
        if f is None:
            offered = _dedupe(p.skills_offered)
            credit: dict[str, int] = {}
            for s in offered:
                for r in self.related.get(s, ()):
                    credit.setdefault(r, 1)
            credit.update((s, 2) for s in offered)
            f = Features(p.pseudonym, p.level, p.time_zone, self.offset(p.time_zone), _dedupe(p.languages),
                         p.department, p.team, p.meeting_mode, p.location, _dedupe(p.skills_sought), credit,
                         frozenset(p.goals), frozenset(p.interests))
            self._features[p] = f
        return f

    # --- the criteria, one small function each (shared by both implementations) ---

    def level_gap(self, mentee: Features, mentor: Features) -> int:
        if self.symmetric:
            return abs(mentor.level - mentee.level)
        if self.format == Format.REVERSE:  # the junior person mentors: mentee level minus mentor level
            return mentee.level - mentor.level
        return mentor.level - mentee.level

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
        return out

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
                out.append(Violation("time_zone", f"time zones {_hours(d)} h apart (max {_hours(self.max_tz)})"))
        if self.language_required and not set(a.languages) & set(b.languages):
            out.append(Violation("language", "no shared language"))
        if rules is not None:
            out.extend(rules.check(a.pseudonym, b.pseudonym))
        return tuple(out)

    def score(self, mentee: Participant, mentor: Participant, rules: PairRules | None = None) -> PairScore:
        a, b = self.features(mentee), self.features(mentor)
        parts = self._directed(a, b)
        if self.symmetric:  # peers: the mean of both directions, so (a, b) and (b, a) score the same
            back = self._directed(b, a)
            parts = {n: (c + back[n] + 1) // 2 for n, c in parts.items()}
        return PairScore(sum(parts.values()), tuple(parts.items()), self.violations(a, b, rules))


def score_pair(program: Program, vocabulary: Vocabulary | None, mentee: Participant, mentor: Participant,
               rules: PairRules | None = None) -> PairScore:
    """Score one (mentee, mentor) pair of `program`: total, named parts and broken hard rules."""
    return Criteria(program, vocabulary).score(mentee, mentor, rules)


def data_notes(criteria: Criteria, mentees: Sequence[Participant], mentors: Sequence[Participant]) -> list[str]:
    """Weights that sit on empty or mostly empty fields: they barely affect matching (or not at all)."""
    notes = []
    fields = {"skills": ("skills_sought", "skills_offered"), "goals": ("goals", "goals"),
              "interests": ("interests", "interests")}
    for name, (mentee_field, mentor_field) in fields.items():
        weight = criteria.weights[name]
        if weight <= 0:
            continue
        sides = (("mentees", mentees, mentee_field), ("mentors", mentors, mentor_field))
        if mentees is mentors:  # peers: one pool
            sides = tuple(("people", mentees, f) for f in dict.fromkeys((mentee_field, mentor_field)))
        for side, people, field in sides:
            if not people:
                continue
            empty = sum(1 for p in people if not getattr(p, field))
            share = empty / len(people)
            if share == 1:
                who = "one" if side == "people" else side[:-1]
                notes.append(f"weight '{name}' is {weight:g} but no {who} has {field.replace('_', ' ')}: "
                             f"it has no effect on matching")
            elif share > MOSTLY_EMPTY:
                notes.append(f"weight '{name}' is {weight:g} but {share:.0%} of {side} have no "
                              f"{field.replace('_', ' ')}: it barely affects matching")
    everyone = list({p.pseudonym: p for p in [*mentees, *mentors]}.values())
    if criteria.department == "any" and criteria.configured["department"] > 0:
        notes.append(f"weight 'department' is {criteria.configured['department']:g} but the department preference "
                     "is 'any': it has no effect on matching")
    elif criteria.weights["department"] > 0 and len({p.department for p in everyone}) == 1:
        notes.append(f"weight 'department' is {criteria.weights['department']:g} but everyone is in one "
                     "department: it has no effect on matching")
    if criteria.weights["meeting_mode"] > 0 and everyone:
        in_person = [p for p in everyone if p.meeting_mode != "virtual"]
        no_place = sum(1 for p in in_person if not p.location)
        if in_person and no_place / len(in_person) > MOSTLY_EMPTY:
            notes.append(f"weight 'meeting_mode' is {criteria.weights['meeting_mode']:g} but "
                         f"{no_place / len(in_person):.0%} of people open to meeting in person have no location: "
                         "in-person pairs cannot be recognised")
    if criteria.weights["time_zone"] > 0 or criteria.max_tz is not None:
        unknown = sorted({p.time_zone for p in everyone if criteria.offset(p.time_zone) is None})
        if unknown:
            notes.append("unknown time zones (treated as far apart): " + ", ".join(unknown))
    return notes


class CandidateIndex:
    """Every eligible (mentee, mentor) pair of a program, scored; each mentee's row sorted best first.

    A row holds one integer key per eligible mentor: (smax - score) x n_mentors +
    mentor index. Sorting keys sorts by score, best first, then by mentor order
    (pseudonym order when the caller sorts people): deterministic ties, and a key
    decodes back to (score, mentor) with one divmod. At 10,000 x 5,000 the rows
    take 8 bytes per eligible pair.

    `exclude` maps a mentee index to mentor indices that must not be paired for
    reasons outside the criteria (already paired by a lock, the team rule).
    """

    def __init__(self, criteria: Criteria, mentees: Sequence[Participant], mentors: Sequence[Participant],
                 rules: PairRules | None = None, exclude: Mapping[int, Iterable[int]] | None = None):
        self.criteria = criteria
        self.mentees = list(mentees)
        self.mentors = list(mentors)
        self.rules = rules or PairRules()
        self.smax = criteria.smax
        self.m = max(1, len(self.mentors))
        self._mentor_pos = {p.pseudonym: j for j, p in enumerate(self.mentors)}
        self._exclude = {i: set(js) for i, js in (exclude or {}).items()}
        self.rows: list[array] = []
        if criteria.symmetric:
            self._build_rows_slow()
        else:
            self._prepare()
            # Mentees with the same sought skills, goals and interests share their set-based parts: build rows
            # in that order so each profile's parts are computed once (rows are stored by mentee index).
            self.rows = [array("q")] * len(self.mentees)
            previous, sets = None, None
            for i in sorted(range(len(self.mentees)), key=self._profile):
                profile = self._profile(i)
                if profile != previous:
                    previous, sets = profile, self._set_parts(self.criteria.features(self.mentees[i]))
                self.rows[i] = self._row(i, sets)

    # --- reading ------------------------------------------------------------

    def decode(self, key: int) -> tuple[int, int]:
        """(score in cents, mentor index) of a row key."""
        q, j = divmod(key, self.m)
        return self.smax - q, j

    def key(self, cents_: int, j: int) -> int:
        return (self.smax - cents_) * self.m + j

    def explain(self, i: int, j: int) -> PairScore:
        return self.criteria.score(self.mentees[i], self.mentors[j], self.rules)

    def pair_cents(self, i: int, j: int) -> int | None:
        """The score of an eligible pair (as in its row), or None if the pair is not eligible."""
        if j in self._exclude.get(i, ()):
            return None
        s = self.explain(i, j)
        return s.cents if s.eligible else None

    def eligible_pairs(self) -> int:
        return sum(len(r) for r in self.rows)

    # --- building rows ------------------------------------------------------

    def _excluded(self, i: int) -> set[int]:
        out = set(self._exclude.get(i, ()))
        for other in self.rules.blocked(self.mentees[i].pseudonym):
            j = self._mentor_pos.get(other)
            if j is not None:
                out.add(j)
        j = self._mentor_pos.get(self.mentees[i].pseudonym)
        if j is not None:
            out.add(j)
        return out

    def _build_rows_slow(self) -> None:
        for i, a in enumerate(self.mentees):
            excluded = self._excluded(i)
            keys = []
            for j, b in enumerate(self.mentors):
                if j in excluded:
                    continue
                s = self.criteria.score(a, b, self.rules)
                if s.eligible:
                    keys.append(self.key(s.cents, j))
            keys.sort()
            self.rows.append(array("q", keys))

    def _prepare(self) -> None:
        c = self.criteria
        feats = [c.features(p) for p in self.mentors]
        self._mentor_features = feats
        ids = lambda values: {v: k for k, v in enumerate(dict.fromkeys(values))}  # noqa: E731
        self._tz_ids = ids(f.offset for f in feats)
        self._lang_ids = ids(f.languages for f in feats)
        self._dm_ids = ids((f.department, f.mode, f.location) for f in feats)
        self._dm = [self._dm_ids[(f.department, f.mode, f.location)] for f in feats]
        self._levels = sorted({f.level for f in feats})
        blocks: dict[tuple, list[int]] = {}
        for j, f in enumerate(feats):
            blocks.setdefault((f.level, self._tz_ids[f.offset], self._lang_ids[f.languages]), []).append(j)
        self._blocks = sorted((k[0], k[1], k[2], js) for k, js in blocks.items())
        self._exact: dict[str, list[int]] = {}
        self._related: dict[str, list[int]] = {}
        self._goal_index: dict[str, list[int]] = {}
        self._interest_index: dict[str, list[int]] = {}
        for j, f in enumerate(feats):
            for skill, halves in f.credit.items():
                (self._exact if halves == 2 else self._related).setdefault(skill, []).append(j)
            for g in f.goals:
                self._goal_index.setdefault(g, []).append(j)
            for t in f.interests:
                self._interest_index.setdefault(t, []).append(j)
        self._cache: dict[tuple, object] = {}
        self._dense_cache: dict[str, dict] = {}

    def _table(self, kind: str, arg, build):
        k = (kind, arg)
        t = self._cache.get(k)
        if t is None:
            t = self._cache[k] = build()
        return t

    def _tables(self, a: Features):
        """Per-mentee lookup tables over mentor groups (cached: many mentees share them)."""
        c = self.criteria
        lvl = self._table("level", a.level, lambda: {
            lv: c.level_cents(c.level_gap(a, _Level(lv)))
            for lv in self._levels if c.gap.min <= c.level_gap(a, _Level(lv)) <= c.gap.max})

        def tz_table():
            out = [0] * len(self._tz_ids)
            for off, k in self._tz_ids.items():
                d = c.tz_minutes(a.offset, off)
                bad = c.max_tz is not None and (d is None or d > c.max_tz)
                out[k] = -1 if bad else c.tz_cents(d)
            return out

        def lang_table():
            out = [0] * len(self._lang_ids)
            for langs, k in self._lang_ids.items():
                bad = c.language_required and not set(a.languages) & set(langs)
                out[k] = -1 if bad else c.language_cents(a.languages, langs)
            return out

        def dm_table():
            out = [0] * len(self._dm_ids)
            for (dept, mode, loc), k in self._dm_ids.items():
                out[k] = c.department_cents(a.department, dept) + c.mode_cents(a.mode, a.location, mode, loc)
            return out

        tz = self._table("tz", a.offset, tz_table)
        lang = self._table("lang", a.languages, lang_table)
        dm = self._table("dm", (a.department, a.mode, a.location), dm_table)
        return lvl, tz, lang, dm

    def _dense(self, kind: str, key, build) -> list[int]:
        """A per-mentor list of one set-based part, for one mentee profile (small cache: rows are built in
        profile order, so each profile is computed once)."""
        cache = self._dense_cache.setdefault(kind, {})
        out = cache.get(key)
        if out is None:
            if len(cache) >= 256:
                cache.clear()
            out = cache[key] = build()
        return out

    def _set_parts(self, a: Features) -> list[int]:
        """Skills, goals and interests parts for every mentor, for mentee `a` (by mentor index)."""
        c, m = self.criteria, len(self.mentors)

        def skills() -> list[int]:
            halves = [0] * m
            for s in a.sought:
                for j in self._exact.get(s, ()):
                    halves[j] += 2
                for j in self._related.get(s, ()):
                    halves[j] += 1
            table = [c.skills_cents(len(a.sought), h) for h in range(2 * len(a.sought) + 1)]
            return [table[h] for h in halves]

        def shared(name: str, mine: frozenset[str], index: dict[str, list[int]]) -> list[int]:
            count = [0] * m
            for g in mine:
                for j in index.get(g, ()):
                    count[j] += 1
            table = [c.share_cents(name, len(mine), k) for k in range(len(mine) + 1)]
            return [table[k] for k in count]

        parts = []
        if c.weights["skills"] > 0 and a.sought:
            parts.append(self._dense("skills", frozenset(a.sought), skills))
        if c.weights["goals"] > 0 and a.goals:
            parts.append(self._dense("goals", a.goals, lambda: shared("goals", a.goals, self._goal_index)))
        if c.weights["interests"] > 0 and a.interests:
            parts.append(self._dense("interests", a.interests,
                                     lambda: shared("interests", a.interests, self._interest_index)))
        if not parts:
            return [0] * m
        total = parts[0]
        for more in parts[1:]:
            total = list(map(operator.add, total, more))
        return total

    def _profile(self, i: int) -> tuple:
        a = self.criteria.features(self.mentees[i])
        return (tuple(sorted(a.sought)), tuple(sorted(a.goals)), tuple(sorted(a.interests)))

    def _row(self, i: int, sets: list[int]) -> array:
        a = self.criteria.features(self.mentees[i])
        lvl, tz, lang, dm_table = self._tables(a)
        dm, m, smax = self._dm, self.m, self.smax
        keys: list[int] = []
        for level, tz_id, lang_id, members in self._blocks:
            lv = lvl.get(level)
            if lv is None:
                continue
            t, g = tz[tz_id], lang[lang_id]
            if t < 0 or g < 0:
                continue
            base = smax - lv - t - g
            keys.extend([(base - dm_table[dm[j]] - sets[j]) * m + j for j in members])
        excluded = self._excluded(i)
        if excluded:
            keys = [k for k in keys if k % m not in excluded]
        keys.sort()
        return array("q", keys)

    def ineligible_reasons(self, i: int) -> list[tuple[str, int]]:
        """Why mentors are not eligible for mentee i: (rule in words, number of mentors), most common first.

        Each mentor counts once, under the first rule it breaks (in RULES order).
        """
        c = self.criteria
        counts: dict[str, int] = {}

        def count(label: str, n: int = 1) -> None:
            counts[label] = counts.get(label, 0) + n

        a = self.mentees[i]
        fa = c.features(a)
        if c.symmetric:
            candidates = range(len(self.mentors))
        else:  # whole groups fail the level, time-zone and language windows together
            lvl, tz, lang, _ = self._tables(fa)
            candidates = []
            for level, tz_id, lang_id, members in self._blocks:
                if level not in lvl:
                    count(rule_label("level_gap", c), len(members))
                elif tz[tz_id] < 0:
                    count(rule_label("time_zone", c), len(members))
                elif lang[lang_id] < 0:
                    count(rule_label("language", c), len(members))
                else:
                    candidates.extend(members)
        extra = self._exclude.get(i, set())
        for j in candidates:
            if j in extra:
                count("already paired with them, or they mentor someone from the same team")
                continue
            v = c.violations(fa, c.features(self.mentors[j]), self.rules)
            if v:
                count(rule_label(v[0].rule, c))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class _Level:
    """A stand-in mentor with only a level, to reuse `Criteria.level_gap` for table building."""

    level: int


def rule_label(rule: str, criteria: Criteria) -> str:
    """A hard rule in words, for unmatched reasons."""
    g = criteria.gap
    return {
        "same_person": "same person",
        "level_gap": f"level gap outside {g.min}..{g.max}",
        "time_zone": ("time zones more than " + _hours(criteria.max_tz) + " h apart") if criteria.max_tz is not None
        else "unknown time zone",
        "language": "no shared language",
        "reporting_line": "same reporting line",
        "forbidden": "forbidden in the program file",
        "cooldown": "paired in an earlier program (cooldown)",
        "ended": "pair ended earlier in this program",
    }.get(rule, rule)
