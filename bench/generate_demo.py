#!/usr/bin/env python3
"""Generate the demo participant tables shipped with the mentorkit template.

Writes every CSV described by participants/datapackage.yaml:

    participants.csv  checkins.csv  survey_responses.csv
    skill_ratings.csv goals.csv     outcomes.csv

The program ids, formats, timelines, cadences and matching rules are read from
program/*.yaml, and every skill, interest, goal, department and location id
from participants/vocabulary.yaml, so the tables always agree with the program
files they ship with. All values are invented: pseudonyms are random
`mk-` + 8 hex characters, and there are no names, contacts or free text.

Pairs: where participants/matches/<program>.yaml exists, the check-ins, surveys,
skill ratings and goals follow that proposal's approved and ended pairs (the
demo); elsewhere (the benchmark workspace) the generator makes up its own pairs.

Usage (from the repository root; --history needs mentorkit installed):

    python bench/generate_demo.py --history            # rebuild the demo: match, approve, records, match again
    python bench/generate_demo.py                      # only the tables, from the current proposals
    python bench/generate_demo.py --participants 10000 --checkins 100000 --root /tmp/bench

or from Python:

    from generate_demo import generate
    generate(Path("/tmp/bench"), 10_000, 100_000)

Determinism: the same seed gives byte-identical files. Participants are built
in blocks of 120 with the same mix of roles and programs in every block, and
each row only depends on the seed and its position, so the first 120 rows of a
10,000-person workspace are exactly the demo participants (the pairs that
program/grow.yaml locks or forbids exist in the benchmark workspace too).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

AS_OF = dt.date(2026, 11, 15)  # the demo's "today": nothing is dated later
BLOCK = 120  # participants per block; each block has the mix defined in ARCHETYPES

PARTICIPANT_COLUMNS = [
    "pseudonym", "role", "programs", "department", "team", "level", "time_zone", "languages",
    "skills_offered", "skills_sought", "interests", "goals", "meeting_mode", "location",
    "mentor_capacity", "reports_to", "joined", "gender", "age_band", "underrepresented", "communication_style",
    "working_hours",
]
CHECKIN_COLUMNS = ["program", "mentee", "mentor", "date", "minutes", "mode", "mentee_health", "mentor_health"]
SURVEY_COLUMNS = ["program", "pseudonym", "survey", "date", "satisfaction", "nps", "confidence"]
RATING_COLUMNS = ["program", "pseudonym", "survey", "skill", "proficiency"]
GOAL_COLUMNS = ["goal_id", "program", "pseudonym", "skill", "set_on", "due", "status", "closed_on"]
OUTCOME_COLUMNS = ["pseudonym", "outcome", "date"]
MANAGER_FEEDBACK_COLUMNS = ["program", "pseudonym", "date", "applies", "effectiveness", "team_performance"]
FEEDBACK_360_COLUMNS = ["program", "pseudonym", "survey", "response", "date", "relation", "communicates", "listens",
                        "collaborates", "develops_others"]
NEEDS_SURVEY_COLUMNS = ["program", "question", "answer", "count"]  # counts only, as the import writes them
NEEDS_RESPONDENTS = 48  # colleagues who answer the one-to-one program's anonymous needs survey
# The survey's answer codes (mentorkit.model.questions.NEEDS_CHOICES), with how often each is given.
NEEDS_ANSWERS = {"level_band": {"early": 5, "mid": 4, "senior": 1},
                 "format": {"one-to-one": 4, "group": 2, "peer": 3, "reverse": 1, "flash": 2},
                 "hours": {"under-1": 2, "1-2": 6, "3-4": 3, "over-4": 1},
                 "would_mentor": {"yes": 3, "maybe": 4, "no": 5}}

# --------------------------------------------------------------------------
# The shape of one block of 120 participants.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Archetype:
    """A kind of participant: role, programs (by format) and the side taken in each."""

    name: str
    role: str  # mentor | mentee | both
    memberships: tuple[tuple[str, str], ...]  # (program format, side: mentee | mentor)
    levels: tuple[int, ...]  # one level per person of this kind in a block (len = count)
    capacity: tuple[int, ...] = (0,)  # mentor_capacity choices
    far_locations: tuple[tuple[str, int], ...] = ()  # (location id, people) outside Europe
    profile: str = "grow-mentee"  # how skills, interests and goals are chosen


ONE, PEER, REV, GROUP, MOSAIC = "one-to-one", "peer", "reverse", "group", "mosaic"

ARCHETYPES: tuple[Archetype, ...] = (
    # Grow mentees and mentors (the long one-to-one program).
    Archetype("grow-mentee", "mentee", ((ONE, "mentee"),),
              (1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5),
              far_locations=(("new-york-office", 2), ("singapore-office", 2))),
    Archetype("grow-mentor", "mentor", ((ONE, "mentor"),),
              (5, 5, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 8, 8, 9), capacity=(1, 2, 2, 2, 3),
              far_locations=(("new-york-office", 2), ("singapore-office", 2)), profile="grow-mentor"),
    # Reverse mentoring: juniors with digital skills mentor senior leaders. Both kinds
    # also take part in Grow on the other side (the juniors as mentees, the leaders
    # as mentors), hence role "both".
    Archetype("reverse-mentor", "both", ((REV, "mentor"), (ONE, "mentee")),
              (2, 2, 2, 2, 3, 3, 3, 3), capacity=(1,), profile="reverse-mentor"),
    Archetype("reverse-mentee", "both", ((REV, "mentee"), (ONE, "mentor")),
              (7, 7, 7, 7, 8, 8, 8), capacity=(2,), profile="reverse-mentee"),
    # Connect peers (similar levels, a mentee side and a mentor side).
    Archetype("peer-mentee-grow", "mentee", ((PEER, "mentee"), (ONE, "mentee")), (2, 3, 3, 4, 4, 5),
              profile="peer"),
    Archetype("peer-mentee", "mentee", ((PEER, "mentee"),), (2, 3, 3, 4, 4, 5),
              far_locations=(("new-york-office", 1),), profile="peer"),
    Archetype("peer-mentor-grow", "mentor", ((PEER, "mentor"), (ONE, "mentor")), (4, 5, 5, 6),
              capacity=(2,), profile="peer"),
    Archetype("peer-mentor", "mentor", ((PEER, "mentor"),), (3, 3, 4, 4, 5, 5, 5, 6), capacity=(1,),
              far_locations=(("new-york-office", 1),), profile="peer"),
    # Lead circles: a few experienced leaders each host a circle of 3-4 members.
    Archetype("circle-lead", "mentor", ((GROUP, "mentor"),), (7, 7, 7, 8, 8), capacity=(3, 4),
              profile="circle-lead"),
    Archetype("circle-member-grow", "mentee", ((GROUP, "mentee"), (ONE, "mentee")), (3, 4, 4, 5, 5),
              profile="circle-member"),
    Archetype("circle-member", "mentee", ((GROUP, "mentee"),), (3, 3, 3, 4, 4, 4, 4, 5, 5, 5),
              profile="circle-member"),
    # Career mosaic: each mentee gets three mentors.
    Archetype("mosaic-mentee", "mentee", ((MOSAIC, "mentee"),), (2, 3, 3, 4, 4, 5, 5),
              profile="mosaic-mentee"),
    Archetype("mosaic-mentor-grow", "mentor", ((MOSAIC, "mentor"), (ONE, "mentor")), (5, 6, 6, 7, 8),
              capacity=(3,), profile="mosaic-mentor"),
    Archetype("mosaic-mentor", "mentor", ((MOSAIC, "mentor"),), (4, 5, 5, 6, 6, 7, 7, 8),
              capacity=(2, 3), profile="mosaic-mentor"),
)
assert sum(len(a.levels) for a in ARCHETYPES) == BLOCK

# --------------------------------------------------------------------------
# Organisation: departments, teams, places, skills. Ids missing from the
# vocabulary are dropped, so an edited vocabulary still yields valid tables.
# --------------------------------------------------------------------------

DEPARTMENT_WEIGHTS = {
    "engineering": 24, "sales": 14, "customer-support": 14, "product": 10,
    "operations": 10, "people": 10, "marketing": 9, "finance": 9,
}
TEAMS = {
    "engineering": ["eng-platform", "eng-payments", "eng-mobile", "eng-data", "eng-security"],
    "sales": ["sales-dach", "sales-iberia", "sales-uk", "sales-us", "sales-apac"],
    "customer-support": ["support-emea", "support-americas", "support-apac"],
    "finance": ["fin-fpa", "fin-accounting"],
    "people": ["people-partners", "people-talent"],
    "marketing": ["mkt-brand", "mkt-growth"],
    "operations": ["ops-logistics", "ops-procurement", "ops-workplace"],
    "product": ["prod-core", "prod-growth", "prod-design"],
}
REGIONAL_TEAMS = {  # (department, location) -> team
    ("sales", "berlin-office"): "sales-dach", ("sales", "lisbon-office"): "sales-iberia",
    ("sales", "london-office"): "sales-uk", ("sales", "new-york-office"): "sales-us",
    ("sales", "singapore-office"): "sales-apac", ("customer-support", "new-york-office"): "support-americas",
    ("customer-support", "singapore-office"): "support-apac",
}
EUROPE_LOCATIONS = {"berlin-office": 45, "lisbon-office": 22, "london-office": 15, "remote": 13, "": 5}
LOCATION_ZONE = {
    "berlin-office": "Europe/Berlin", "lisbon-office": "Europe/Lisbon", "london-office": "Europe/London",
    "new-york-office": "America/New_York", "singapore-office": "Asia/Singapore",
}
REMOTE_ZONES = {"Europe/Berlin": 35, "Europe/Madrid": 15, "Europe/Amsterdam": 10, "Europe/Lisbon": 15,
                "Europe/London": 15, "Europe/Dublin": 5, "Europe/Warsaw": 5}
UTC_OFFSET = {  # standard-time offsets, hours; enough to respect max_time_zone_difference
    "Europe/Berlin": 1, "Europe/Madrid": 1, "Europe/Amsterdam": 1, "Europe/Warsaw": 1,
    "Europe/Lisbon": 0, "Europe/London": 0, "Europe/Dublin": 0,
    "America/New_York": -5, "Asia/Singapore": 8,
}
LANGUAGES = {  # location -> (languages, weight); only mentee-side people may lack English
    "berlin-office": [("en;de", 68), ("en", 20), ("en;de;fr", 5), ("de", 4), ("en;es", 3)],
    "lisbon-office": [("en;pt", 66), ("en", 18), ("en;pt;es", 8), ("pt", 4), ("en;pt;fr", 4)],
    "london-office": [("en", 78), ("en;fr", 10), ("en;es", 8), ("en;de", 4)],
    "new-york-office": [("en", 75), ("en;es", 25)],
    "singapore-office": [("en", 65), ("en;zh", 25), ("en;ms", 10)],
    "remote": [("en", 55), ("en;de", 20), ("en;es", 10), ("en;fr", 10), ("en;pt", 5)],
    "": [("en", 70), ("en;de", 30)],
}
DEPT_SKILLS = {
    "engineering": ["python", "sql", "cloud-basics", "software-architecture", "cybersecurity-awareness",
                    "automation", "agile-delivery", "data-analysis", "ai-tools"],
    "sales": ["negotiation", "consultative-selling", "stakeholder-management", "public-speaking",
              "customer-empathy", "influencing"],
    "customer-support": ["customer-empathy", "conflict-resolution", "emotional-intelligence",
                         "prioritisation", "digital-collaboration"],
    "finance": ["financial-acumen", "data-analysis", "sql", "strategic-thinking", "business-writing"],
    "people": ["coaching", "giving-feedback", "hiring-and-interviewing", "change-management",
               "emotional-intelligence", "conflict-resolution"],
    "marketing": ["storytelling", "data-visualisation", "business-writing", "user-research",
                  "public-speaking", "ai-tools"],
    "operations": ["project-management", "prioritisation", "automation", "data-analysis",
                   "stakeholder-management", "agile-delivery"],
    "product": ["product-discovery", "user-research", "product-strategy", "stakeholder-management",
                "data-analysis", "agile-delivery"],
}
LEADERSHIP_SKILLS = ["people-management", "coaching", "stakeholder-management", "strategic-thinking",
                     "giving-feedback", "influencing", "public-speaking", "negotiation", "change-management"]
GROWTH_SKILLS = ["stakeholder-management", "public-speaking", "data-analysis", "storytelling", "influencing",
                 "prioritisation", "negotiation", "project-management", "strategic-thinking",
                 "financial-acumen", "giving-feedback", "business-writing", "sql"]
DIGITAL_OFFER = ["ai-tools", "cloud-basics", "automation", "digital-collaboration", "cybersecurity-awareness",
                 "data-visualisation", "python"]
DIGITAL_SEEK = ["ai-tools", "cloud-basics", "automation", "digital-collaboration", "cybersecurity-awareness",
                "data-visualisation"]
CIRCLE_LEAD_OFFER = ["people-management", "coaching", "giving-feedback", "conflict-resolution",
                     "change-management", "hiring-and-interviewing"]
CIRCLE_SEEK = ["people-management", "giving-feedback", "conflict-resolution", "coaching", "change-management",
               "stakeholder-management", "emotional-intelligence", "prioritisation"]
GOAL_CHOICES = {  # profile -> development goal ids to draw from
    "grow-mentee": ["promotion-readiness", "technical-depth", "visibility", "confidence-building",
                    "network-building", "work-life-balance", "career-change"],
    "grow-mentor": ["leadership", "visibility", "network-building"],
    "reverse-mentor": ["visibility", "promotion-readiness", "confidence-building"],
    "reverse-mentee": ["digital-fluency", "leadership"],
    "peer": ["network-building", "visibility", "technical-depth", "confidence-building"],
    "circle-lead": ["leadership"],
    "circle-member": ["leadership", "promotion-readiness", "confidence-building"],
    "mosaic-mentee": ["career-change", "network-building"],
    "mosaic-mentor": ["leadership", "network-building"],
}

# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass
class Person:
    index: int
    pseudonym: str
    kind: Archetype
    sides: dict[str, str]  # program id -> mentee | mentor
    role: str
    department: str
    team: str
    level: int
    location: str
    time_zone: str
    languages: list[str]
    skills_offered: list[str]
    skills_sought: list[str]
    interests: list[str]
    goals: list[str]
    meeting_mode: str
    mentor_capacity: int
    joined: dt.date
    gender: str
    age_band: str
    underrepresented: str
    reports_to: str = ""
    departed: dt.date | None = None


@dataclass
class ProgramInfo:
    id: str
    format: str
    start: dt.date
    end: dt.date
    opens: dt.date
    closes: dt.date
    every: str
    minutes: int
    gap_min: int
    gap_max: int
    max_tz: float | None
    shared_language: bool
    exclude_reporting_line: bool
    one_mentee_per_team: bool
    mentors_per_mentee: int
    department: str
    locked: list[tuple[str, str]] = field(default_factory=list)
    forbidden: set[tuple[str, str]] = field(default_factory=set)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def read_programs(root: Path) -> dict[str, ProgramInfo]:
    programs: dict[str, ProgramInfo] = {}
    for path in sorted((root / "program").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        timeline = data["timeline"]
        start, end = _date(timeline["start"]), _date(timeline["end"])
        opens = _date(timeline.get("enrolment_opens") or start - dt.timedelta(days=60))
        closes = _date(timeline.get("enrolment_closes") or start - dt.timedelta(days=7))
        if closes >= start:
            closes = start - dt.timedelta(days=1)
        opens = min(opens, closes)
        cadence = data.get("cadence") or {}
        matching = data.get("matching") or {}
        gap = matching.get("level_gap") or {}
        fmt = str(data.get("format", ONE))
        default_gap = (0, 2) if fmt == PEER else (1, 4)
        tz = matching.get("max_time_zone_difference", 6)
        programs[path.stem] = ProgramInfo(
            id=path.stem, format=fmt, start=start, end=end, opens=opens, closes=closes,
            every=str(cadence.get("every", "monthly")), minutes=int(cadence.get("session_minutes", 60)),
            gap_min=int(gap.get("min", default_gap[0])), gap_max=int(gap.get("max", default_gap[1])),
            max_tz=None if tz is None else float(tz),
            shared_language=bool(matching.get("shared_language_required", True)),
            exclude_reporting_line=bool(matching.get("exclude_reporting_line", True)),
            one_mentee_per_team=bool(matching.get("one_mentee_per_team", False)),
            mentors_per_mentee=int(matching.get("mentors_per_mentee", 1)),
            department=str(matching.get("department", "cross")),
            locked=[(p["mentee"], p["mentor"]) for p in matching.get("locked") or []],
            forbidden={(p["mentee"], p["mentor"]) for p in matching.get("forbidden") or []},
        )
    if not programs:
        raise SystemExit(f"no program files in {root / 'program'}")
    return programs


@dataclass
class Vocab:
    skills: list[str]
    interests: list[str]
    goals: list[str]
    departments: list[str]
    locations: list[str]


def read_vocabulary(root: Path) -> Vocab:
    data = yaml.safe_load((root / "participants" / "vocabulary.yaml").read_text(encoding="utf-8")) or {}

    def ids(key):
        return [str(t["id"]) for t in data.get(key) or []]

    return Vocab(ids("skills"), ids("interests"), ids("goals"), ids("departments"), ids("locations"))


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def weighted(rng: random.Random, table: dict) -> object:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def clamp(value: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, value))


def pseudonyms(seed: int):
    """An endless stream of unique, clearly fake pseudonyms: mk- + 8 hex characters.

    Values with fewer than two letters or with five digits in a row are skipped,
    so no pseudonym can be mistaken for a number or a phone number.
    """
    rng = random.Random(f"{seed}:pseudonyms")
    seen: set[str] = set()
    while True:
        hexpart = f"{rng.getrandbits(32):08x}"
        if sum(c.isalpha() for c in hexpart) < 2 or re.search(r"\d{5}", hexpart) or hexpart in seen:
            continue
        seen.add(hexpart)
        yield "mk-" + hexpart


# --------------------------------------------------------------------------
# Participants
# --------------------------------------------------------------------------


class Builder:
    def __init__(self, root: Path, seed: int):
        self.seed = seed
        self.programs = read_programs(root)
        self.vocab = read_vocabulary(root)
        by_format: dict[str, str] = {}
        for pid, info in sorted(self.programs.items()):
            by_format.setdefault(info.format, pid)
        main = by_format.get(ONE) or sorted(self.programs)[0]
        self.program_for = {fmt: by_format.get(fmt, main) for fmt in (ONE, PEER, REV, GROUP, MOSAIC)}
        skills = set(self.vocab.skills)
        pick = lambda ids: [s for s in ids if s in skills] or list(self.vocab.skills)  # noqa: E731
        self.dept_skills = {d: pick(DEPT_SKILLS.get(d, [])) for d in self.vocab.departments}
        self.leadership, self.growth = pick(LEADERSHIP_SKILLS), pick(GROWTH_SKILLS)
        self.digital_offer, self.digital_seek = pick(DIGITAL_OFFER), pick(DIGITAL_SEEK)
        self.circle_offer, self.circle_seek = pick(CIRCLE_LEAD_OFFER), pick(CIRCLE_SEEK)
        self.dept_weights = {d: DEPARTMENT_WEIGHTS.get(d, 8) for d in self.vocab.departments}
        locs = set(self.vocab.locations)
        self.europe = {k: w for k, w in EUROPE_LOCATIONS.items() if k == "" or k in locs}

    # -- one block ---------------------------------------------------------
    def block_slots(self, block: int) -> list[tuple[Archetype, int, str | None]]:
        """The 120 (archetype, level, far location) slots of a block, shuffled."""
        rng = random.Random(f"{self.seed}:block:{block}")
        slots = []
        for kind in ARCHETYPES:
            levels = list(kind.levels)
            rng.shuffle(levels)
            far = [loc for loc, n in kind.far_locations for _ in range(n)]
            far += [None] * (len(levels) - len(far))
            rng.shuffle(far)
            slots.extend(zip([kind] * len(levels), levels, far, strict=True))
        rng.shuffle(slots)
        return slots

    def person(self, index: int, pseudonym: str, kind: Archetype, level: int, far: str | None) -> Person:
        rng = random.Random(f"{self.seed}:row:{index}")
        sides: dict[str, str] = {}
        for fmt, side in kind.memberships:
            sides.setdefault(self.program_for[fmt], side)
        department = weighted(rng, self.dept_weights)
        if far and far in self.vocab.locations:
            location = far
        else:
            location = weighted(rng, self.europe)
        if location in LOCATION_ZONE:
            time_zone = LOCATION_ZONE[location]
        elif location == "remote":
            time_zone = weighted(rng, REMOTE_ZONES)
        else:
            time_zone = "Europe/Berlin"
        far_teams = {"sales-us", "sales-apac", "support-americas", "support-apac"}
        local_teams = [t for t in TEAMS.get(department, [department]) if t not in far_teams]
        team = REGIONAL_TEAMS.get((department, location)) or rng.choice(local_teams or [department])
        if rng.random() < 0.05:
            team = ""
        languages = weighted(rng, dict(LANGUAGES.get(location, LANGUAGES[""])))
        mentee_only = all(side == "mentee" for side in sides.values())
        if "en" not in languages.split(";") and not (mentee_only and kind.name == "grow-mentee"):
            languages = "en;" + languages
        offered, sought = self.skills_for(rng, kind.profile, department, level)
        n_interests = rng.choice([1, 2, 2, 3, 3])
        interests = sorted(rng.sample(self.vocab.interests, min(n_interests, len(self.vocab.interests))))
        goal_pool = [g for g in GOAL_CHOICES.get(kind.profile, []) if g in self.vocab.goals] or self.vocab.goals
        goals = sorted(rng.sample(goal_pool, min(rng.choice([1, 1, 2]), len(goal_pool))))
        capacity = rng.choice(kind.capacity)
        if far and kind.role != "mentee":
            capacity = max(capacity, 2)  # few mentors in far-away time zones: let each take two
        first = min((self.programs[pid] for pid in sides), key=lambda p: p.start)
        joined = rand_date(rng, first.opens, first.closes)
        return Person(
            index=index, pseudonym=pseudonym, kind=kind, sides=sides, role=kind.role, department=department,
            team=team, level=level, location=location, time_zone=time_zone, languages=languages.split(";"),
            skills_offered=offered, skills_sought=sought, interests=interests, goals=goals,
            meeting_mode=weighted(rng, {"virtual": 35, "either": 50, "in-person": 15}),
            mentor_capacity=capacity if kind.role != "mentee" else 0, joined=joined,
            gender=weighted(rng, {"woman": 46, "man": 43, "non-binary": 2, "self-described": 1,
                                  "prefer-not-to-say": 3, "": 5}),
            age_band=self.age_band(rng, level),
            underrepresented=weighted(rng, {"yes": 19, "no": 64, "prefer-not-to-say": 6, "": 11}),
        )

    def skills_for(self, rng: random.Random, profile: str, department: str, level: int):
        own = self.dept_skills.get(department) or self.vocab.skills
        other = sorted({s for d, ss in self.dept_skills.items() if d != department for s in ss} - set(own))
        other = other or self.vocab.skills

        def some(pool, lo, hi, exclude=()):
            pool = [s for s in pool if s not in exclude]
            return rng.sample(pool, min(rng.randint(lo, hi), len(pool)))

        if profile == "grow-mentee":
            offered = some(own, 0, 2)
            growth = self.growth + (self.leadership[:2] if level >= 4 else [])
            sought = some(own, 0, 1, offered) + some(growth, 1, 2, offered)
        elif profile in ("grow-mentor", "mosaic-mentor"):
            broad = sorted(set(self.leadership) | set(self.growth))
            offered = some(broad, 2, 3) + some(own, 1, 3)
            sought = some(self.digital_seek, 0, 1, offered)
        elif profile == "reverse-mentor":
            offered = some(self.digital_offer, 2, 3) + some(own, 0, 1)
            sought = some(self.growth, 2, 2, offered)
        elif profile == "reverse-mentee":
            broad = sorted(set(self.leadership) | set(self.growth))
            offered = some(broad, 2, 3) + some(own, 1, 2)
            sought = some(self.digital_seek, 2, 3, offered)
        elif profile == "peer":
            offered = some(own, 2, 3)
            sought = some(other, 1, 2, offered) + some(self.growth, 0, 1, offered)
        elif profile == "circle-lead":
            offered = some(self.circle_offer, 3, 4) + some(own, 1, 1)
            sought = []
        elif profile == "circle-member":
            offered = some(own, 1, 2)
            sought = some(self.circle_seek, 2, 3, offered)
        elif profile == "mosaic-mentee":
            target = rng.choice([d for d in self.dept_skills if d != department] or [department])
            offered = some(own, 1, 2)
            sought = some(self.dept_skills[target], 2, 2, offered) + some(self.growth, 0, 1, offered)
        else:
            offered, sought = some(own, 1, 3), some(other, 1, 2)
        dedupe = lambda xs: list(dict.fromkeys(xs))  # noqa: E731
        return dedupe(offered), dedupe(sought)

    @staticmethod
    def age_band(rng: random.Random, level: int) -> str:
        if level <= 2:
            table = {"under-25": 40, "25-34": 52, "35-44": 5}
        elif level <= 4:
            table = {"under-25": 5, "25-34": 58, "35-44": 28, "45-54": 6}
        elif level <= 6:
            table = {"25-34": 20, "35-44": 48, "45-54": 24, "55-plus": 5}
        else:
            table = {"35-44": 33, "45-54": 45, "55-plus": 19}
        table |= {"prefer-not-to-say": 3, "": 6}
        return weighted(rng, table)

    def assign_managers(self, block_people: list[Person]) -> None:
        """About 70% of people report to someone more senior in their department."""
        for person in block_people:
            rng = random.Random(f"{self.seed}:manager:{person.index}")
            candidates = [p for p in block_people if p.department == person.department
                          and person.level < p.level <= person.level + 4]
            if not candidates or rng.random() > 0.82:
                continue
            weights = [(4 if p.team and p.team == person.team else 1) * (3 if p.level - person.level <= 2 else 1)
                       for p in candidates]
            person.reports_to = rng.choices(candidates, weights=weights)[0].pseudonym

    def participants(self, n: int) -> list[Person]:
        names = pseudonyms(self.seed)
        people: list[Person] = []
        for block in range((n + BLOCK - 1) // BLOCK):
            slots = self.block_slots(block)[: n - block * BLOCK]
            block_people = [self.person(len(people) + i, next(names), kind, level, far)
                            for i, (kind, level, far) in enumerate(slots)]
            self.assign_managers(block_people)
            people.extend(block_people)
        return people


# --------------------------------------------------------------------------
# Pairs (plausible matches that respect the program's hard rules)
# --------------------------------------------------------------------------


def chain(person: Person, by_id: dict[str, Person]) -> set[str]:
    """Everyone above a person in their reporting line."""
    above, current = set(), person
    while current.reports_to and current.reports_to in by_id and current.reports_to not in above:
        above.add(current.reports_to)
        current = by_id[current.reports_to]
    return above


def allowed(info: ProgramInfo, mentee: Person, mentor: Person, by_id: dict[str, Person]) -> bool:
    if mentee.pseudonym == mentor.pseudonym or (mentee.pseudonym, mentor.pseudonym) in info.forbidden:
        return False
    gap = mentee.level - mentor.level if info.format == REV else mentor.level - mentee.level
    if info.format == PEER:
        gap = abs(gap)
    if not info.gap_min <= gap <= info.gap_max:
        return False
    if info.shared_language and not set(mentee.languages) & set(mentor.languages):
        return False
    if info.max_tz is not None:
        diff = abs(UTC_OFFSET.get(mentee.time_zone, 0) - UTC_OFFSET.get(mentor.time_zone, 0))
        if diff > info.max_tz:
            return False
    return not (info.exclude_reporting_line and (mentor.pseudonym in chain(mentee, by_id)
                                                 or mentee.pseudonym in chain(mentor, by_id)))


def affinity(info: ProgramInfo, mentee: Person, mentor: Person, rng: random.Random) -> float:
    score = 3.0 * len(set(mentee.skills_sought) & set(mentor.skills_offered))
    score += 1.0 * len(set(mentee.goals) & set(mentor.goals)) + 0.5 * len(set(mentee.interests) & set(mentor.interests))
    if info.department == "cross":
        score += 2.0 if mentee.department != mentor.department else 0.0
    elif info.department == "same":
        score += 2.0 if mentee.department == mentor.department else 0.0
    return score + rng.random()


def build_pairs(info: ProgramInfo, members: list[Person], by_id: dict[str, Person],
                rng: random.Random) -> list[tuple[Person, Person]]:
    """Greedy matching inside one block: locked pairs first, then the hardest-to-place mentees."""
    mentees = [p for p in members if p.sides[info.id] == "mentee"]
    mentors = [p for p in members if p.sides[info.id] == "mentor" and p.mentor_capacity > 0]
    load = {m.pseudonym: 0 for m in mentors}
    teams: dict[str, set[str]] = {m.pseudonym: set() for m in mentors}
    pairs: list[tuple[Person, Person]] = []
    taken: dict[str, int] = {}
    per_mentee = info.mentors_per_mentee if info.format == MOSAIC else 1

    def take(mentee: Person, mentor: Person) -> None:
        pairs.append((mentee, mentor))
        load[mentor.pseudonym] += 1
        if mentee.team:
            teams[mentor.pseudonym].add(mentee.team)
        taken[mentee.pseudonym] = taken.get(mentee.pseudonym, 0) + 1

    ids = {p.pseudonym: p for p in members}
    for mentee_id, mentor_id in info.locked:
        if mentee_id in ids and mentor_id in load:
            take(ids[mentee_id], ids[mentor_id])
    options = {m.pseudonym: [t for t in mentors if allowed(info, m, t, by_id)] for m in mentees}
    for mentee in sorted(mentees, key=lambda m: (len(options[m.pseudonym]), m.index)):
        while taken.get(mentee.pseudonym, 0) < per_mentee:
            already = {t.pseudonym for e, t in pairs if e is mentee}
            free = [t for t in options[mentee.pseudonym]
                    if load[t.pseudonym] < t.mentor_capacity and t.pseudonym not in already
                    and not (info.one_mentee_per_team and mentee.team and mentee.team in teams[t.pseudonym])]
            if not free:
                break
            take(mentee, max(free, key=lambda t: affinity(info, mentee, t, rng)))
    return pairs


def rematch(info: ProgramInfo, pairs, members: list[Person], by_id: dict[str, Person],
            rng: random.Random) -> list[tuple[Person, Person, dt.date]]:
    """(mentee, mentor, first possible meeting); a mentor who leaves early is replaced a few weeks later."""
    spans = [(mentee, mentor, info.start) for mentee, mentor in pairs]
    load: dict[str, int] = {}
    for _, mentor in pairs:
        load[mentor.pseudonym] = load.get(mentor.pseudonym, 0) + 1
    last_day = min(info.end, AS_OF) - dt.timedelta(days=45)
    for mentee, mentor in pairs:
        gone = mentor.departed
        if not gone or gone >= last_day or (mentee.departed and mentee.departed <= gone):
            continue
        spare = [t for t in members if t.sides[info.id] == "mentor" and t is not mentor
                 and load.get(t.pseudonym, 0) < t.mentor_capacity and not (t.departed and t.departed < last_day)
                 and allowed(info, mentee, t, by_id)]
        if spare:
            new = max(spare, key=lambda t: affinity(info, mentee, t, rng))
            load[new.pseudonym] = load.get(new.pseudonym, 0) + 1
            spans.append((mentee, new, gone + dt.timedelta(days=rng.randint(21, 35))))
    return spans


# --------------------------------------------------------------------------
# Activity: check-ins, surveys, skill ratings, goals, outcomes
# --------------------------------------------------------------------------

PERIOD_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30.4, "quarterly": 91, "once": 10_000}


@dataclass
class Activity:
    checkins: list[tuple] = field(default_factory=list)
    engaged: dict[tuple[str, str], bool] = field(default_factory=dict)  # (program, pseudonym) -> engaged


def meeting_mode(rng: random.Random, a: Person, b: Person) -> str:
    same_site = a.location and a.location == b.location and a.location != "remote"
    if same_site and "virtual" not in (a.meeting_mode, b.meeting_mode) and rng.random() < 0.55:
        return "in-person"
    return "virtual"


def session_minutes(rng: random.Random, planned: int) -> int:
    minutes = planned * rng.choice([0.75, 1, 1, 1, 1, 1.25]) + rng.choice([-5, 0, 0, 5])
    return clamp(int(round(minutes / 5) * 5), 10, 600)


def one_to_one_checkins(info: ProgramInfo, spans, rng: random.Random, act: Activity) -> None:
    """Check-ins of one-to-one, peer, reverse and mosaic pairs.

    A span is (mentee, mentor, first possible meeting), optionally followed by
    (last possible meeting or None, ended early?, days between meetings or None).
    An ended pair fades: its meetings stop by the given day and feel worse.
    """
    last_day = min(info.end, AS_OF)
    for mentee, mentor, begin, *more in spans:
        until, ended, every = (list(more) + [None, False, None])[:3]
        period = every or PERIOD_DAYS.get(info.every, 30.4)
        profile = weighted(rng, {"steady": 70, "fading": 15, "slow-start": 10, "one-and-done": 5})
        stop = min(d for d in (last_day, until, mentee.departed, mentor.departed) if d)
        day = begin + dt.timedelta(days=rng.randint(3, 20) + (int(period * rng.randint(1, 2))
                                                              if profile == "slow-start" else 0))
        fade_after = {"fading": rng.randint(2, 5), "one-and-done": rng.randint(1, 2)}.get(profile, 10_000)
        if ended:  # the pair did not work: it met until the coordinator ended it, without much joy
            profile, fade_after = "fading", 10_000
        held, seen = 0, set()
        while True:
            day = weekday(day)
            if day > stop or held >= fade_after:
                break
            if day not in seen and (profile != "steady" or rng.random() > 0.1):
                seen.add(day)
                held += 1
                if profile == "steady":
                    health = weighted(rng, {5: 46, 4: 40, 3: 11, 2: 3})
                else:
                    health = weighted(rng, {5: 15, 4: 35, 3: 30, 2: 15, 1: 5} if held > 1 else {5: 25, 4: 50, 3: 25})
                act.checkins.append((info.id, mentee.pseudonym, mentor.pseudonym, day,
                                     session_minutes(rng, info.minutes), meeting_mode(rng, mentee, mentor),
                                     "" if rng.random() < 0.07 else health, ""))  # the mentees' ratings
            day += dt.timedelta(days=round(period + rng.uniform(-0.2, 0.2) * period))
        engaged = profile in ("steady", "slow-start") and held >= 2
        for p in (mentee, mentor):
            act.engaged[(info.id, p.pseudonym)] = act.engaged.get((info.id, p.pseudonym), False) or engaged


def group_checkins(info: ProgramInfo, pairs, rng: random.Random, act: Activity,
                   until: dict[str, dt.date] | None = None) -> None:
    """One row per circle member per circle meeting (`until`: members whose pair ended early, and when)."""
    until = until or {}
    period = PERIOD_DAYS.get(info.every, 30.4)
    circles: dict[str, list[Person]] = {}
    leaders: dict[str, Person] = {}
    for mentee, mentor in pairs:
        circles.setdefault(mentor.pseudonym, []).append(mentee)
        leaders[mentor.pseudonym] = mentor
    last_day = min(info.end, AS_OF)
    for leader_id, members in circles.items():
        leader = leaders[leader_id]
        commitment = {m.pseudonym: rng.choice([0.95, 0.9, 0.9, 0.8, 0.6]) for m in members}
        day, seen = info.start + dt.timedelta(days=rng.randint(7, 14)), set()
        while True:
            day = weekday(day)
            if day > last_day or (leader.departed and day > leader.departed):
                break
            if day not in seen:
                seen.add(day)
                mode = "in-person" if rng.random() < 0.3 else "virtual"
                minutes = session_minutes(rng, info.minutes)
                for member in members:
                    if (member.departed and day > member.departed) or rng.random() > commitment[member.pseudonym]:
                        continue
                    if member.pseudonym in until and day > until[member.pseudonym]:
                        continue
                    row_mode = mode if member.location == leader.location else "virtual"
                    act.checkins.append((info.id, member.pseudonym, leader_id, day, minutes, row_mode,
                                         "" if rng.random() < 0.05 else weighted(rng, {5: 40, 4: 44, 3: 13, 2: 3}), ""))
            day += dt.timedelta(days=round(period + rng.uniform(-0.15, 0.15) * period))
        for member in members:
            act.engaged[(info.id, member.pseudonym)] = commitment[member.pseudonym] >= 0.8
        act.engaged[(info.id, leader_id)] = True


# --------------------------------------------------------------------------
# Pairs from the match proposals (participants/matches/<program>.yaml)
# --------------------------------------------------------------------------


def read_proposal_pairs(root: Path) -> dict[str, list[tuple[str, str, str]]]:
    """(mentee, mentor, status) of the approved and ended pairs of every participants/matches/<program>.yaml.

    Proposed pairs are not pairs yet, so they are left out. An empty dict means there
    are no proposals (the benchmark workspace): the generator then pairs people itself.
    """
    folder = Path(root) / "participants" / "matches"
    found: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        pairs, seen = [], set()
        for pair in data.get("pairs") or []:
            key = (str(pair["mentee"]), str(pair["mentor"]))
            status = str(pair.get("status", "proposed"))
            if status in ("approved", "ended") and key not in seen:
                seen.add(key)
                pairs.append((*key, status))
        found[path.stem] = pairs
    return found


def proposal_checkins(info: ProgramInfo, pairs: list[tuple[str, str, str]], by_id: dict[str, Person],
                      rng: random.Random, act: Activity) -> None:
    """Check-ins of the approved and ended pairs of one program's match proposal.

    - An ended pair stopped meeting somewhere in the middle of the program, after at
      least a few meetings; the mentee's other pair (the re-match the matcher proposed
      once the pair had ended) starts three to five weeks later.
    - Group programs: one row per circle member per circle meeting (a mentor hosts all
      their mentees together).
    - Mosaic programs: each mentee meets one of their mentors a month, in rotation, so
      each mentee-mentor pair meets every (cadence x number of mentors).
    - Peer programs: the pair is written as the proposal gives it (mentee, mentor),
      so the check-ins and the proposal name the same pair; both people are learners.
    People who left the company stop meeting on the day they left.
    """
    resolved = []
    for mentee_id, mentor_id, status in pairs:
        missing = [who for who in (mentee_id, mentor_id) if who not in by_id or info.id not in by_id[who].sides]
        if missing:
            raise ValueError(f"participants/matches/{info.id}.yaml names {', '.join(missing)}, who "
                             f"{'is' if len(missing) == 1 else 'are'} not enrolled in {info.id}: "
                             "re-run `mentorkit match`")
        resolved.append((by_id[mentee_id], by_id[mentor_id], status == "ended"))
    period = PERIOD_DAYS.get(info.every, 30.4)
    last_day = min(info.end, AS_OF)
    until: dict[tuple[str, str], dt.date] = {}
    for mentee, mentor, ended in resolved:
        if ended:
            lo = info.start + dt.timedelta(days=round(3 * period) + 21)
            hi = last_day - dt.timedelta(days=round(3 * period))
            until[(mentee.pseudonym, mentor.pseudonym)] = min(rand_date(rng, lo, hi), last_day)
    if info.format == GROUP:
        group_checkins(info, [(e, t) for e, t, _ in resolved], rng, act,
                       {e: day for (e, _), day in until.items()})
        return
    spans = []
    if info.format == MOSAIC:
        mentors_of: dict[str, list[Person]] = {}
        for mentee, mentor, _ in resolved:
            mentors_of.setdefault(mentee.pseudonym, []).append(mentor)
        for mentee, mentor, ended in resolved:
            turn = mentors_of[mentee.pseudonym].index(mentor)
            every = period * len(mentors_of[mentee.pseudonym])
            spans.append((mentee, mentor, info.start + dt.timedelta(days=round(turn * period)),
                          until.get((mentee.pseudonym, mentor.pseudonym)), ended, every))
    else:
        rematch_from: dict[str, dt.date] = {}
        for (mentee_id, _), day in until.items():
            rematch_from[mentee_id] = max(day, rematch_from.get(mentee_id, day))
        for mentee, mentor, ended in resolved:
            begin = info.start
            if not ended and mentee.pseudonym in rematch_from:
                begin = rematch_from[mentee.pseudonym] + dt.timedelta(days=rng.randint(21, 35))
            spans.append((mentee, mentor, begin, until.get((mentee.pseudonym, mentor.pseudonym)), ended, None))
    one_to_one_checkins(info, spans, rng, act)


def pulse_dates(info: ProgramInfo) -> list[dt.date]:
    length = (info.end - info.start).days
    if length < 150:
        marks = [info.start + dt.timedelta(days=length // 2)]
    else:
        marks = [info.start + dt.timedelta(days=91 * k) for k in range(1, 5)]
    return [weekday(d) for d in marks if d < info.end - dt.timedelta(days=20) and d <= AS_OF]


def finished(info: ProgramInfo) -> bool:
    return info.end <= AS_OF - dt.timedelta(days=3)


def surveys(programs, members_of, act: Activity, rng: random.Random, paired: dict[str, set[str]] | None = None):
    """Survey responses and skill ratings. `paired`: for programs whose pairs come from a match proposal,
    the people in an approved or ended pair; anyone else answered the baseline survey at sign-up only."""
    responses, ratings = [], []
    paired = paired or {}
    for pid, info in programs.items():
        pulses = pulse_dates(info)
        for p in members_of[pid]:
            waiting = pid in paired and p.pseudonym not in paired[pid]  # not matched (yet)
            engaged = act.engaged.get((pid, p.pseudonym), rng.random() < 0.8)
            learner = p.sides[pid] == "mentee" or info.format == PEER
            confidence = weighted(rng, {2: 20, 3: 48, 4: 27, 5: 5})

            def answer(survey: str, day: dt.date, rate: float, step: int,  # binds this person's values
                       p=p, pid=pid, confidence=confidence, engaged=engaged) -> None:
                if day > AS_OF or (p.departed and day >= p.departed) or rng.random() > rate:
                    return
                if survey == "baseline":
                    responses.append((pid, p.pseudonym, survey, day, "", "", confidence))
                    return
                sat_table = {5: 38, 4: 45, 3: 12, 2: 4, 1: 1} if engaged else {5: 8, 4: 30, 3: 37, 2: 20, 1: 5}
                nps_table = ({10: 28, 9: 32, 8: 22, 7: 10, 6: 5, 5: 3} if engaged
                             else {9: 8, 8: 20, 7: 24, 6: 20, 5: 14, 4: 8, 3: 6})
                gain = weighted(rng, {0: 35, 1: 50, 2: 15} if engaged else {0: 70, 1: 22, -1: 8})
                conf = clamp(confidence + (gain if step else min(gain, 1) * (rng.random() < 0.5)), 1, 5)
                responses.append((pid, p.pseudonym, survey, day, weighted(rng, sat_table),
                                  weighted(rng, nps_table), conf))

            answer("baseline", weekday(info.start + dt.timedelta(days=rng.randint(0, 9))), 0.93, 0)
            if waiting:
                continue
            for day in pulses:
                answer("pulse", weekday(day + dt.timedelta(days=rng.randint(0, 6))), 0.74, 0)
            if finished(info):
                final_day = min(AS_OF, weekday(info.end + dt.timedelta(days=rng.randint(0, 9))))
                answer("final", final_day, 0.8, 1)
            if not learner:
                continue
            digital = info.format == REV
            for skill in p.skills_sought:
                if rng.random() > 0.95:
                    continue
                base = weighted(rng, {1: 45, 2: 45, 3: 10} if digital else {1: 12, 2: 43, 3: 35, 4: 10})
                ratings.append((pid, p.pseudonym, "baseline", skill, base))
                done = finished(info) and not (p.departed and p.departed <= info.end)
                if done and rng.random() < 0.85:
                    if digital:
                        gain = weighted(rng, {0: 15, 1: 50, 2: 35} if engaged else {0: 45, 1: 45, 2: 10})
                    else:
                        gain = weighted(rng, {0: 30, 1: 55, 2: 15} if engaged else {0: 60, 1: 35, -1: 5})
                    ratings.append((pid, p.pseudonym, "final", skill, clamp(base + gain, 1, 5)))
    return responses, ratings


def goals(programs, members_of, act: Activity, rng: random.Random, paired: dict[str, set[str]] | None = None):
    """Development goals of mentees (and peers); someone without a pair yet sets none (see `surveys`)."""
    rows = []
    paired = paired or {}
    for pid, info in programs.items():
        for p in members_of[pid]:
            if not (p.sides[pid] == "mentee" or info.format == PEER) or not p.skills_sought:
                continue
            if pid in paired and p.pseudonym not in paired[pid]:
                continue
            engaged = act.engaged.get((pid, p.pseudonym), rng.random() < 0.8)
            set_on = weekday(info.start + dt.timedelta(days=rng.randint(7, 28)))
            if set_on > AS_OF or (p.departed and p.departed <= set_on):
                continue
            count = min(len(p.skills_sought), rng.choice([1, 1, 2, 2, 2]))
            for skill in rng.sample(p.skills_sought, count):
                earliest = min(set_on + dt.timedelta(days=60), info.end)
                if rng.random() < 0.45:  # many goals run to the end of the program
                    earliest = max(earliest, info.end - dt.timedelta(days=21))
                due = rand_date(rng, earliest, info.end)
                if p.departed and p.departed <= min(due, AS_OF):
                    status, closed = "dropped", p.departed  # left the company: the goal lapses
                elif due <= AS_OF:
                    status = weighted(rng, {"achieved": 55, "partly-achieved": 25, "not-achieved": 10, "dropped": 10}
                                      if engaged else
                                      {"achieved": 25, "partly-achieved": 30, "not-achieved": 25, "dropped": 20})
                    if status == "dropped":
                        closed = rand_date(rng, set_on + dt.timedelta(days=14), due)
                    elif status == "achieved":
                        closed = rand_date(rng, max(set_on + dt.timedelta(days=30), due - dt.timedelta(days=45)),
                                           min(due + dt.timedelta(days=10), AS_OF))
                    else:
                        closed = rand_date(rng, due, min(due + dt.timedelta(days=14), AS_OF))
                else:
                    status = weighted(rng, {"open": 75, "achieved": 15, "dropped": 10})
                    closed = None
                    if status != "open":
                        closed = min(AS_OF, rand_date(rng, set_on + dt.timedelta(days=30), AS_OF))
                rows.append([pid, p.pseudonym, skill, set_on, due, status, closed or ""])
    rows.sort(key=lambda r: (r[3], r[0], r[1], r[2]))
    width = max(4, len(str(len(rows))))
    return [[f"g-{i:0{width}d}", *r] for i, r in enumerate(rows, 1)]


FINAL_FEEDBACK_DAYS = 40  # the final 360 round and the manager feedback go out this long before the program ends
RELATIONS = ("manager", "peer", "peer", "direct-report", "other", "peer")  # a person's raters, in this order


def colleague_feedback(programs, members_of, act: Activity, paired: dict[str, set[str]], seed: int):
    """Manager feedback and 360 rounds about the learners (mentees, peers) of every program with pairs.

    Each draw has its own generator (seeded by program and person), so these tables never shift the others.
    A learner has 2 to 5 raters a round: those with 2 are left out of the 360 measure (it needs 3).
    """
    manager_rows, rows_360 = [], []
    for pid, info in programs.items():
        final_day = weekday(info.end - dt.timedelta(days=FINAL_FEEDBACK_DAYS))
        for p in members_of[pid]:
            if not (p.sides[pid] == "mentee" or info.format == PEER) or (pid in paired and p.pseudonym not in paired[pid]):
                continue
            rng = random.Random(f"{seed}:feedback:{pid}:{p.pseudonym}")
            engaged = act.engaged.get((pid, p.pseudonym), False)
            level = weighted(rng, {2: 30, 3: 50, 4: 20})
            gain = weighted(rng, {0: 30, 1: 60, 2: 10} if engaged else {0: 65, 1: 25, -1: 10})
            rounds = [("baseline", weekday(info.start + dt.timedelta(days=rng.randint(10, 20))), level)]
            if final_day <= AS_OF and not (p.departed and p.departed <= final_day):
                answered = min(AS_OF, weekday(final_day + dt.timedelta(days=rng.randint(0, 4))))
                rounds.append(("final", answered, clamp(level + gain, 1, 5)))
            for survey, day, mean in rounds:
                for i in range(weighted(rng, {2: 15, 3: 40, 4: 30, 5: 15})):
                    response = "r-" + hashlib.sha256(f"{seed}:{pid}:{p.pseudonym}:{survey}:{i}".encode()).hexdigest()[:10]
                    scores = [clamp(mean + weighted(rng, {-1: 20, 0: 60, 1: 20}), 1, 5) for _ in range(4)]
                    rows_360.append((pid, p.pseudonym, survey, response, day, RELATIONS[i], *scores))
            if len(rounds) == 2 and rng.random() < 0.8:
                applies = weighted(rng, {5: 20, 4: 45, 3: 25, 2: 10} if engaged else {4: 25, 3: 40, 2: 25, 1: 10})
                effective = weighted(rng, {5: 15, 4: 45, 3: 35, 2: 5} if engaged else {4: 25, 3: 55, 2: 20})
                team = weighted(rng, {5: 10, 4: 40, 3: 45, 2: 5}) if rng.random() < 0.85 else None
                manager_rows.append((pid, p.pseudonym, rounds[1][1], applies, effective, team))
    return (sorted(manager_rows, key=lambda r: (r[0], r[1], r[2])),
            sorted(rows_360, key=lambda r: (r[0], r[1], r[2] != "baseline", r[3])))


def outcomes(people: list[Person], programs, seed: int) -> list[tuple]:
    """Departures, promotions and role changes in 2026; departures are decided first (activity stops)."""
    rows = []
    year_start, last = dt.date(2026, 1, 5), AS_OF - dt.timedelta(days=5)
    for p in people:
        rng = random.Random(f"{seed}:outcome:{p.index}")
        mentee_side = any(s == "mentee" for s in p.sides.values())
        first_start = min(programs[pid].start for pid in p.sides)
        formats = {programs[pid].format for pid in p.sides}
        if rng.random() < (0.055 if mentee_side else 0.035):
            p.departed = rand_date(rng, max(year_start, first_start + dt.timedelta(days=30)), last)
            rows.append((p.pseudonym, "departure", p.departed))
        end = (p.departed - dt.timedelta(days=1)) if p.departed else last
        promo_chance = 0.13 if mentee_side and formats & {ONE, GROUP} else 0.06
        lo = max(dt.date(2026, 3, 2), first_start + dt.timedelta(days=60))
        if rng.random() < promo_chance and lo <= end and not p.departed:
            rows.append((p.pseudonym, "promotion", rand_date(rng, lo, end)))
        move_chance = 0.3 if (mentee_side and MOSAIC in formats) else 0.04
        lo = max(dt.date(2026, 2, 2), first_start + dt.timedelta(days=60))
        if rng.random() < move_chance and lo <= end:
            rows.append((p.pseudonym, "role-change", rand_date(rng, lo, end)))
    return sorted({r for r in rows if r[2] <= last and r[2].year == 2026}, key=lambda r: (r[2], r[0], r[1]))


def fit_checkins(rows: list[tuple], n: int, rng: random.Random) -> list[tuple]:
    """Trim or extend the natural check-ins to exactly n rows (the benchmark asks for a size).

    Extra meetings go to existing pairs, on weekdays inside the span in which the pair
    was already meeting, so departures and re-matches stay consistent.
    """
    if n <= len(rows):
        keep = sorted(rng.sample(range(len(rows)), n))
        return [rows[i] for i in keep]
    keys = {r[:4] for r in rows}
    spans: dict[tuple, list] = {}
    for r in rows:
        span = spans.setdefault(r[:3], [r[3], r[3], r])
        span[0], span[1] = min(span[0], r[3]), max(span[1], r[3])
    pairs = [(k, lo, hi, template) for k, (lo, hi, template) in spans.items() if (hi - lo).days >= 7]
    if not pairs:
        raise ValueError("no pairs to add check-ins for")
    weights = [(hi - lo).days for _, lo, hi, _ in pairs]
    extra, attempts = [], 0
    while len(rows) + len(extra) < n:
        attempts += 1
        if attempts > 50 * n:
            raise ValueError(f"cannot fit {n} check-ins into the pairs' meeting spans")
        key3, lo, hi, template = rng.choices(pairs, weights=weights)[0]
        day = weekday(rand_date(rng, lo, hi))
        key = (*key3, day)
        if day > hi or key in keys:
            continue
        keys.add(key)
        extra.append((*key, template[4], template[5], weighted(rng, {5: 40, 4: 42, 3: 13, 2: 4, 1: 1}), ""))
    return rows + extra


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def write_csv(path: Path, columns: list[str], rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            cells = [_cell(v) for v in row]
            assert not any(c and c[0] in "=+-@" for c in cells), cells  # nothing a spreadsheet would run
            writer.writerow(cells)
            count += 1
    return count


def participant_row(p: Person) -> list:
    return [p.pseudonym, p.role, list(p.sides), p.department, p.team, p.level, p.time_zone, p.languages,
            p.skills_offered, p.skills_sought, p.interests, p.goals, p.meeting_mode, p.location,
            p.mentor_capacity, p.reports_to, p.joined, p.gender, p.age_band, p.underrepresented,
            None,  # communication_style: the demo's sign-up did not ask (the criterion is off by default)
            None]  # working_hours: everyone keeps the program's working day


def generate(root: Path, n_participants: int, n_checkins: int | None = None, seed: int = 7) -> dict[str, int]:
    """Write all participant tables under root/participants; return the row count per file.

    root must already hold program/*.yaml and participants/vocabulary.yaml.
    n_checkins=None writes the check-ins the pairs' meeting patterns produce;
    a number trims or tops them up to exactly that many rows.

    Pairs: a program with a match proposal (root/participants/matches/<program>.yaml)
    takes its approved and ended pairs from it, so the records tell the story of the
    pairs the coordinator approved (see `proposal_checkins`); its members without such
    a pair answer the baseline survey only. A program without one (the benchmark
    workspace has no matches folder) gets plausible pairs made up here, block by block.
    """
    root = Path(root)
    builder = Builder(root, seed)
    programs = builder.programs
    proposals = {pid: pairs for pid, pairs in read_proposal_pairs(root).items() if pid in programs}
    people = builder.participants(n_participants)
    by_id = {p.pseudonym: p for p in people}
    outcome_rows = outcomes(people, programs, seed)

    rng = random.Random(f"{seed}:activity")
    act = Activity()
    for block_start in range(0, len(people), BLOCK):
        block = people[block_start:block_start + BLOCK]
        for pid, info in programs.items():
            if info.format not in (ONE, PEER, GROUP) or pid in proposals:
                continue  # made-up reverse and mosaic pairs record no check-ins; proposals come below
            members = [p for p in block if pid in p.sides]
            pairs = build_pairs(info, members, by_id, rng)
            paired = {m.pseudonym for m, _ in pairs}
            for m in members:
                if m.sides[pid] == "mentee" and m.pseudonym not in paired:
                    act.engaged[(pid, m.pseudonym)] = False  # never matched: a poor experience
            if info.format == GROUP:
                group_checkins(info, pairs, rng, act)
            else:
                one_to_one_checkins(info, rematch(info, pairs, members, by_id, rng), rng, act)
    for pid, pairs in proposals.items():
        proposal_checkins(programs[pid], pairs, by_id, random.Random(f"{seed}:activity:{pid}"), act)
    paired = {pid: {who for mentee, mentor, _ in pairs for who in (mentee, mentor)} for pid, pairs in proposals.items()}
    checkins = sorted(act.checkins, key=lambda r: (r[3], r[0], r[1], r[2]))
    if n_checkins is not None:
        checkins = sorted(fit_checkins(checkins, n_checkins, rng), key=lambda r: (r[3], r[0], r[1], r[2]))

    members_of = {pid: [p for p in people if pid in p.sides] for pid in programs}
    responses, ratings = surveys(programs, members_of, act, rng, paired)
    goal_rows = goals(programs, members_of, act, rng, paired)
    manager_rows, rows_360 = colleague_feedback(programs, members_of, act, paired, seed)

    out = root / "participants"
    out.mkdir(parents=True, exist_ok=True)
    return {
        "participants.csv": write_csv(out / "participants.csv", PARTICIPANT_COLUMNS, map(participant_row, people)),
        "checkins.csv": write_csv(out / "checkins.csv", CHECKIN_COLUMNS, checkins),
        "survey_responses.csv": write_csv(out / "survey_responses.csv", SURVEY_COLUMNS,
                                          sorted(responses, key=lambda r: (r[0], r[3], r[1], r[2]))),
        "skill_ratings.csv": write_csv(out / "skill_ratings.csv", RATING_COLUMNS,
                                       sorted(ratings, key=lambda r: (r[0], r[1], r[2] != "baseline", r[3]))),
        "goals.csv": write_csv(out / "goals.csv", GOAL_COLUMNS, goal_rows),
        "outcomes.csv": write_csv(out / "outcomes.csv", OUTCOME_COLUMNS, outcome_rows),
        "manager_feedback.csv": write_csv(out / "manager_feedback.csv", MANAGER_FEEDBACK_COLUMNS, manager_rows),
        "feedback_360.csv": write_csv(out / "feedback_360.csv", FEEDBACK_360_COLUMNS, rows_360),
        "needs_survey.csv": write_csv(out / "needs_survey.csv", NEEDS_SURVEY_COLUMNS,
                                      needs_survey(builder, builder.program_for[ONE], seed)),
    }


def needs_survey(builder: Builder, pid: str, seed: int) -> list[list]:
    """The counts of the anonymous needs survey run before `pid` was designed: one row per question and answer,
    as `mentorkit import-needs-survey` writes them (departments weighted as the sign-ups are, each wanting a
    skill of their department and one of growth; answers in the form's order)."""
    rng = random.Random(f"{seed}:needs")
    counts: dict[str, dict[str, int]] = {q: {} for q in ("department", "level_band", "skill", "format", "hours",
                                                         "would_mentor")}

    def add(question: str, answer: str) -> None:
        counts[question][answer] = counts[question].get(answer, 0) + 1

    departments = list(builder.dept_weights)
    for _ in range(NEEDS_RESPONDENTS):
        department = rng.choices(departments, [builder.dept_weights[d] for d in departments])[0]
        add("department", department)
        for skill in {rng.choice(builder.dept_skills[department]), rng.choice(builder.growth)}:
            add("skill", skill)
        for question in ("level_band", "hours", "would_mentor"):
            options = NEEDS_ANSWERS[question]
            add(question, rng.choices(list(options), list(options.values()))[0])
        for fmt in set(rng.choices(list(NEEDS_ANSWERS["format"]), list(NEEDS_ANSWERS["format"].values()), k=2)):
            add("format", fmt)
    order = {"department": departments, "skill": builder.vocab.skills, **{q: list(a) for q, a in NEEDS_ANSWERS.items()}}
    rows: list[list] = [[pid, "responses", "all", NEEDS_RESPONDENTS]]
    for question, counted in counts.items():
        rows += [[pid, question, answer, counted[answer]] for answer in order[question] if counted.get(answer)]
    return rows


# --------------------------------------------------------------------------
# The demo's history: match, approve, meet, match again
# --------------------------------------------------------------------------

UNDER_REVIEW = 3  # pairs of the running one-to-one program left 'proposed': its latest sign-ups
RECORD_TABLES = {"checkins.csv": CHECKIN_COLUMNS, "survey_responses.csv": SURVEY_COLUMNS,
                 "skill_ratings.csv": RATING_COLUMNS, "goals.csv": GOAL_COLUMNS, "outcomes.csv": OUTCOME_COLUMNS,
                 "manager_feedback.csv": MANAGER_FEEDBACK_COLUMNS, "feedback_360.csv": FEEDBACK_360_COLUMNS}


def history(root: Path, n_participants: int = BLOCK, seed: int = 7, log=print) -> dict[str, str]:
    """Rebuild the demo as the history of real programs; return what the last `mentorkit match --all` said.

    In order, deterministically:

    a. delete participants/matches/*.yaml and write the record tables empty (header
       rows only): before the first match nobody has met, and the loader checks
       every record against enrolment;
    b. propose matches for every program (`mentorkit match --all`);
    c. the coordinator's decisions: approve every pair, except in the running
       one-to-one program (grow) the UNDER_REVIEW pairs of the mentees who signed up
       last, which stay 'proposed' (a proposal under review); end that program's
       lowest-scoring approved pair of a mentee and a mentor (neither with role
       'both') who both stay with the company (the match did not work), run its
       matcher again so the mentee gets a new mentor, and approve that re-match too;
    d. generate every record from the approved and ended pairs (`generate`): the ended
       pair stops meeting part-way, the re-match starts a few weeks later;
    e. run `mentorkit match --all` twice more: the matcher ignores the records, so the
       first run may only refresh what the approvals made stale (summary counts, solver
       statistics, next-best options) and the second must change nothing.

    participants/participants.csv is written from the same seed, so it keeps its bytes.
    """
    from mentorkit.matching import propose
    from mentorkit.model import PairStatus
    from mentorkit.proposals.approval import approve
    from mentorkit.proposals.diff import diff_proposals
    from mentorkit.repo.load import load_workspace
    from mentorkit.repo.proposal_files import read_proposal, write_proposal

    root = Path(root)
    out, matches = root / "participants", root / "participants" / "matches"
    builder = Builder(root, seed)
    programs = builder.programs
    people = builder.participants(n_participants)
    outcomes(people, programs, seed)  # sets who leaves the company, and when
    by_id = {p.pseudonym: p for p in people}

    def match_all(label: str) -> dict[str, str]:
        ws = load_workspace(root)
        verdicts = {}
        for pid in sorted(ws.programs):
            previous = ws.proposals.get(pid)
            proposal = propose(ws, pid, previous)
            changed = write_proposal(matches / f"{pid}.yaml", proposal)
            verdicts[pid] = diff_proposals(previous, proposal).headline() if changed else "unchanged"
            log(f"{label}: participants/matches/{pid}.yaml: {verdicts[pid]}")
        return verdicts

    # a. a clean slate
    for path in sorted(matches.glob("*.yaml")):
        path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "participants.csv", PARTICIPANT_COLUMNS, map(participant_row, people))
    for name, columns in RECORD_TABLES.items():
        write_csv(out / name, columns, [])

    # b. the first proposals
    match_all("first match")

    # c. approvals, one pair ended, its re-match approved
    running = builder.program_for[ONE]
    held: set[str] = set()
    for pid in sorted(programs):
        path = matches / f"{pid}.yaml"
        proposal = read_proposal(path)
        if pid == running:
            locked = set(programs[pid].locked)
            candidates = sorted({p.mentee for p in proposal.pairs
                                 if (p.mentee, p.mentor) not in locked and by_id[p.mentee].role == "mentee"},
                                key=lambda m: (by_id[m].joined, m), reverse=True)
            held = set(candidates[:UNDER_REVIEW])
        wanted = [(p.mentee, p.mentor) for p in proposal.pairs if p.mentee not in held]
        proposal, changed = approve(proposal, wanted)
        write_proposal(path, proposal)
        log(f"approve {pid}: {changed} pairs approved" + (f", {len(held)} left under review" if pid == running else ""))
    path = matches / f"{running}.yaml"
    proposal = read_proposal(path)
    locked = set(programs[running].locked)
    stayers = [p for p in proposal.pairs if p.status == PairStatus.APPROVED and (p.mentee, p.mentor) not in locked
               and by_id[p.mentee].role == "mentee" and by_id[p.mentor].role == "mentor"
               and not by_id[p.mentee].departed and not by_id[p.mentor].departed]
    if stayers:
        end = min(stayers, key=lambda p: (p.score, p.mentee, p.mentor))
        pairs = [p.model_copy(update={"status": PairStatus.ENDED}) if p is end else p for p in proposal.pairs]
        write_proposal(path, proposal.model_copy(update={"pairs": pairs}))
        log(f"end {running}: {end.mentee} – {end.mentor}")
        ws = load_workspace(root)
        rematched = propose(ws, running, ws.proposals[running])
        log(f"re-match {running}: {diff_proposals(ws.proposals[running], rematched).headline()}")
        rematched, changed = approve(rematched, [(p.mentee, p.mentor) for p in rematched.pairs if p.mentee not in held])
        write_proposal(path, rematched)
        log(f"approve {running}: {changed} re-matched pair{'s' if changed != 1 else ''} approved")

    # d. the records of the approved and ended pairs
    for name, rows in generate(root, n_participants, None, seed).items():
        log(f"{name}: {rows} rows")

    # e. the matcher again: nothing it reads has changed
    match_all("second match")
    return match_all("third match")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="workspace holding program/ and participants/vocabulary.yaml (default: this repository)")
    parser.add_argument("--participants", type=int, default=120)
    parser.add_argument("--checkins", type=int, default=None, help="exact number of check-ins (default: natural)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--history", action="store_true",
                        help="rebuild the demo's history: delete the match proposals, match, approve, end one "
                             "pair, generate the records from the approved pairs, match again (needs mentorkit)")
    args = parser.parse_args(argv)
    if args.history:
        verdicts = history(args.root, args.participants, args.seed)
        if any(v != "unchanged" for v in verdicts.values()):
            raise SystemExit("the last match run changed a proposal: the matcher is not idempotent")
        return
    counts = generate(args.root, args.participants, args.checkins, args.seed)
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
