"""Every eligible pair of a program, scored, in one index the solvers read.

`CandidateIndex` scores every (mentee, mentor) pair a program allows, fast enough
for 10,000 x 5,000 people in pure Python: mentors are grouped by level, time zone
and languages (whole groups pass or fail those windows together), and indexed by
skill, goal and interest, so a mentee's set-based parts are counted, not compared
pair by pair. The arithmetic is `scoring.Criteria`'s; tests check that the index
agrees with `Criteria.score` on every pair.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

import numpy as np

from ..model import Participant
from .rules import PairRules
from .scoring import Criteria, Features, PairScore

EXCLUDED = "excluded"  # not a hard rule: excluded by the caller (already paired by a lock, or the team rule)

Pair = tuple[int, int]  # (mentee index, mentor index) in a CandidateIndex

_T = TypeVar("_T")
_H = TypeVar("_H", bound=Hashable)

# A mentee's sought skills, goals, interests and styles, sorted: mentees alike in these share their set-based parts
_Profile = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _ids(values: Iterable[_H]) -> dict[_H, int]:
    """Each distinct value's number, in order of first appearance."""
    return {v: k for k, v in enumerate(dict.fromkeys(values))}


def _mask(m: int, members: set[int]) -> np.ndarray:
    out = np.zeros(m, dtype=bool)
    out[list(members)] = True
    return out


def pack_rows(rows: list[Any], typecode: str) -> tuple[np.ndarray, np.ndarray, list[memoryview]]:
    """The rows as one array in mentee order, where each begins, and each row as a slice of it (the rows
    are released as they are copied, so the peak is about one copy more than the keys)."""
    start = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=start[1:])
    keys = np.empty(int(start[-1]), dtype=np.int32 if typecode == "i" else np.int64)
    for k in range(len(rows)):
        keys[start[k]:start[k + 1]] = np.asarray(rows[k])
        rows[k] = array(typecode)
    view = keys.data  # a memoryview of the keys: rows are slices of it, no copies
    return start, keys, [view[lo:hi] for lo, hi in zip(start[:-1].tolist(), start[1:].tolist(), strict=True)]


class PairIndex(Protocol):
    """What the capacity model reads of an index: `CandidateIndex`, or `teams.TeamIndex` (mentees x teams)."""

    mentees: list[Participant]
    mentors: list[Participant]
    smax: int
    m: int
    start: np.ndarray
    keys: np.ndarray
    rows: list[memoryview]

    def decode(self, key: int) -> tuple[int, int]: ...

    def pair_cents(self, i: int, j: int) -> int | None: ...

    def eligible_pairs(self) -> int: ...


class CandidateIndex:
    """Every eligible (mentee, mentor) pair of a program, scored; each mentee's row sorted best first.

    A row holds one integer key per eligible mentor: (smax - score) x n_mentors +
    mentor index. Sorting keys sorts by score, best first, then by mentor order
    (pseudonym order when the caller sorts people): deterministic ties, and a key
    decodes back to (score, mentor) with one divmod. The rows are slices (memoryviews)
    of one array, `keys`, in mentee order from `start[i]` to `start[i + 1]`: 4 bytes
    per eligible pair while the keys fit 32 bits (up to about 200,000 mentors), and
    the flow network (`flow`) is built from the same memory.

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
        self.typecode = "i" if (self.smax + 1) * self.m < 2**31 else "q"  # the keys fit 32 bits, or 64
        self.rows: list[memoryview] = []
        built: list[Any] = []
        if criteria.symmetric:
            built = self._build_rows_slow()
        else:
            self._prepare()
            # Mentees with the same sought skills, goals and interests share their set-based parts: build rows
            # in that order so each profile's parts are computed once (rows are stored by mentee index).
            built = [array(self.typecode)] * len(self.mentees)
            previous: _Profile | None = None
            sets = np.zeros(0, dtype=np.int64)
            profiles = [self._profile(i) for i in range(len(self.mentees))]
            for i in sorted(range(len(self.mentees)), key=profiles.__getitem__):
                profile = profiles[i]
                if profile != previous:
                    previous = profile
                    sets = self._set_parts(self.criteria.features(self.mentees[i]))
                built[i] = self._row(i, sets)
        self.start, self.keys, self.rows = pack_rows(built, self.typecode)

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
        return len(self.keys)

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

    def _build_rows_slow(self) -> list[array[int]]:
        rows = []
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
            rows.append(array(self.typecode, keys))
        return rows

    def _prepare(self) -> None:
        c = self.criteria
        feats = [c.features(p) for p in self.mentors]
        self._mentor_features = feats
        self._tz_ids = _ids(f.offset for f in feats)
        self._lang_ids = _ids(f.languages for f in feats)
        self._dm_ids = _ids((f.department, f.mode, f.location) for f in feats)
        self._dm = np.asarray([self._dm_ids[(f.department, f.mode, f.location)] for f in feats], dtype=np.int64)
        self._levels = sorted({f.level for f in feats})
        blocks: dict[tuple[int, int, int], list[int]] = {}
        for j, f in enumerate(feats):
            blocks.setdefault((f.level, self._tz_ids[f.offset], self._lang_ids[f.languages]), []).append(j)
        self._blocks = sorted((k[0], k[1], k[2], js) for k, js in blocks.items())
        self._block_of = np.zeros(max(1, len(feats)), dtype=np.int64)  # each mentor's block
        for b, (*_, js) in enumerate(self._blocks):
            self._block_of[js] = b
        self._exact: dict[str, list[int]] = {}
        self._related: dict[str, list[int]] = {}
        self._goal_index: dict[str, list[int]] = {}
        self._interest_index: dict[str, list[int]] = {}
        self._style_index: dict[str, list[int]] = {}
        for j, f in enumerate(feats):
            for skill, halves in f.credit.items():
                (self._exact if halves == 2 else self._related).setdefault(skill, []).append(j)
            for g in f.goals:
                self._goal_index.setdefault(g, []).append(j)
            for t in f.interests:
                self._interest_index.setdefault(t, []).append(j)
            for t in f.styles:
                self._style_index.setdefault(t, []).append(j)
        self._cache: dict[tuple[str, Hashable], object] = {}
        self._dense_cache: dict[str, dict[Hashable, np.ndarray]] = {}

    def _table(self, kind: str, arg: Hashable, build: Callable[[], _T]) -> _T:
        k = (kind, arg)
        t = self._cache.get(k)
        if t is None:
            t = self._cache[k] = build()
        return cast(_T, t)

    def _tables(self, a: Features) -> tuple[dict[int, int], list[int], list[int], np.ndarray]:
        """Per-mentee lookup tables over mentor groups (cached: many mentees share them)."""
        c = self.criteria
        lvl = self._table("level", a.level, lambda: {
            lv: c.level_cents(c.gap_between(a.level, lv))
            for lv in self._levels if c.gap.min <= c.gap_between(a.level, lv) <= c.gap.max})

        def tz_table() -> list[int]:
            out = [0] * len(self._tz_ids)
            for off, k in self._tz_ids.items():
                d = c.tz_minutes(a.offset, off)
                bad = c.max_tz is not None and (d is None or d > c.max_tz)
                out[k] = -1 if bad else c.tz_cents(d)
            return out

        def lang_table() -> list[int]:
            out = [0] * len(self._lang_ids)
            for langs, k in self._lang_ids.items():
                bad = c.language_required and not set(a.languages) & set(langs)
                out[k] = -1 if bad else c.language_cents(a.languages, langs)
            return out

        def dm_table() -> np.ndarray:
            out = np.zeros(len(self._dm_ids), dtype=np.int64)
            for (dept, mode, loc), k in self._dm_ids.items():
                out[k] = c.department_cents(a.department, dept) + c.mode_cents(a.mode, a.location, mode, loc)
            return out

        tz = self._table("tz", a.offset, tz_table)
        lang = self._table("lang", a.languages, lang_table)
        dm = self._table("dm", (a.department, a.mode, a.location), dm_table)
        return lvl, tz, lang, dm

    def _dense(self, kind: str, key: Hashable, build: Callable[[], np.ndarray]) -> np.ndarray:
        """A per-mentor array of one set-based part, for one mentee profile (small cache: rows are built in
        profile order, so each profile is computed once)."""
        cache = self._dense_cache.setdefault(kind, {})
        out = cache.get(key)
        if out is None:
            if len(cache) >= 256:
                cache.clear()
            out = cache[key] = build()
        return out

    def _set_parts(self, a: Features) -> np.ndarray:
        """Skills, goals and interests parts for every mentor, for mentee `a` (by mentor index), in numpy: each
        skill's (goal's, interest's) mentors are an index array, so a profile costs a few passes over m."""
        c, m = self.criteria, len(self.mentors)

        def members(name: str, index: dict[str, list[int]], key: str) -> np.ndarray:  # cached per value
            return self._table(name, key, lambda: np.asarray(index.get(key, ()), dtype=np.int64))

        def skills() -> np.ndarray:
            halves = np.zeros(m, dtype=np.int64)
            for s in a.sought:  # a skill lists each mentor once: no repeated index within one addition
                halves[members("exact", self._exact, s)] += 2
                halves[members("related", self._related, s)] += 1
            table = np.array([c.skills_cents(len(a.sought), h) for h in range(2 * len(a.sought) + 1)])
            return table[halves]

        def shared(name: str, mine: frozenset[str], index: dict[str, list[int]]) -> np.ndarray:
            count = np.zeros(m, dtype=np.int64)
            for g in mine:
                count[members(name, index, g)] += 1
            table = np.array([c.share_cents(name, len(mine), k) for k in range(len(mine) + 1)])
            return table[count]

        total = np.zeros(m, dtype=np.int64)
        if c.weights["skills"] > 0 and a.sought:
            total += self._dense("skills", frozenset(a.sought), skills)
        if c.weights["goals"] > 0 and a.goals:
            total += self._dense("goals", a.goals, lambda: shared("goals", a.goals, self._goal_index))
        if c.weights["interests"] > 0 and a.interests:
            total += self._dense("interests", a.interests,
                                 lambda: shared("interests", a.interests, self._interest_index))
        if c.weights["communication_style"] > 0 and a.styles:
            total += self._dense("styles", a.styles,
                                 lambda: shared("communication_style", a.styles, self._style_index))
        return total

    def _profile(self, i: int) -> _Profile:
        a = self.criteria.features(self.mentees[i])
        return (tuple(sorted(a.sought)), tuple(sorted(a.goals)), tuple(sorted(a.interests)), tuple(sorted(a.styles)))

    def teachers(self, a: Features) -> set[int] | None:
        """Mentors who offer one of `a`'s sought skills or a related one; None when the shared-skill rule does not
        apply to `a` (the rule is off, or `a` seeks nothing)."""
        if not self.criteria.skill_required or not a.sought:
            return None
        return self._table("teachers", frozenset(a.sought), lambda: {
            j for s in a.sought for j in (*self._exact.get(s, ()), *self._related.get(s, ()))})

    def _row(self, i: int, sets: np.ndarray) -> np.ndarray:
        """Mentee i's keys, sorted, in numpy over all mentors at once: the level, time-zone and language parts
        per block of mentors (whole blocks pass or fail those windows), the other parts per mentor."""
        dtype = np.int32 if self.typecode == "i" else np.int64
        if not self.mentors:
            return np.zeros(0, dtype=dtype)
        a = self.criteria.features(self.mentees[i])
        lvl, tz, lang, dm = self._tables(a)
        base, ok = self._table("blocks", (a.level, a.offset, a.languages), lambda: self._block_base(lvl, tz, lang))
        m = self.m
        keep = ok[self._block_of]
        keep[list(self._excluded(i))] = False
        teachers = self.teachers(a)
        if teachers is not None:
            keep &= self._table("teacher_mask", frozenset(a.sought), lambda: _mask(m, teachers))
        js = np.flatnonzero(keep)
        row = (base[self._block_of[js]] - dm[self._dm[js]] - sets[js]) * m + js
        if self.criteria.min_cents is not None:  # key // m is smax - score: keep scores of at least min_cents
            row = row[row < (self.smax - self.criteria.min_cents + 1) * m]
        row.sort()
        return cast(np.ndarray, row.astype(dtype))

    def _block_base(self, lvl: dict[int, int], tz: list[int], lang: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per block of mentors: smax less the level, time-zone and language parts, and whether it passes."""
        base = np.zeros(len(self._blocks), dtype=np.int64)
        ok = np.zeros(len(self._blocks), dtype=bool)
        for b, (level, tz_id, lang_id, _) in enumerate(self._blocks):
            lv, t, g = lvl.get(level), tz[tz_id], lang[lang_id]
            if lv is not None and t >= 0 and g >= 0:
                base[b], ok[b] = self.smax - lv - t - g, True
        return base, ok

    def ineligible_reasons(self, i: int) -> list[tuple[str, int]]:
        """Why mentors are not eligible for mentee i: (rule, number of mentors), for each rule that applies.

        Each mentor counts once, under the first rule it breaks (in RULES order); `EXCLUDED` counts the
        mentors excluded for reasons outside the rules. `reasons.ineligible` puts them in words.
        """
        c = self.criteria
        counts: dict[str, int] = {}

        def count(rule: str, n: int = 1) -> None:
            counts[rule] = counts.get(rule, 0) + n

        fa = c.features(self.mentees[i])
        candidates: list[int] = []
        if c.symmetric:
            candidates.extend(range(len(self.mentors)))
        else:  # whole groups fail the level, time-zone and language windows together
            lvl, tz, lang, _ = self._tables(fa)
            for level, tz_id, lang_id, members in self._blocks:
                if level not in lvl:
                    count("level_gap", len(members))
                elif tz[tz_id] < 0:
                    count("time_zone", len(members))
                elif lang[lang_id] < 0:
                    count("language", len(members))
                else:
                    candidates.extend(members)
        extra = self._exclude.get(i, set())
        for j in candidates:
            if j in extra:
                count(EXCLUDED)
                continue
            v = self.explain(i, j).violations
            if v:
                count(v[0].rule)
        return list(counts.items())
