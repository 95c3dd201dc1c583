"""Small builders for matching tests and the matching benchmark.

Workspaces are built in memory (no loader, no files), so the matching tests do
not depend on the demo data or on `mentorkit.load`.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from mentorkit.model import Goal, Matching, Participant, Program, Skill, Term, Timeline, Vocabulary, Workspace

START = dt.date(2026, 1, 12)


def pid(n: int) -> str:
    """A valid pseudonym for a small number: pid(1) == 'mk-00000001'."""
    return f"mk-{n:08x}"


def person(n: int | str, role: str = "mentee", *, programs=("pilot",), department="eng", level=3,
           time_zone="Europe/Berlin", languages=("en",), offered=(), sought=(), interests=(), goals=(),
           mode="either", capacity=None, team=None, location=None, reports_to=None) -> Participant:
    if capacity is None:
        capacity = 1 if role in ("mentor", "both") else 0
    return Participant(
        pseudonym=n if isinstance(n, str) else pid(n), role=role, programs=tuple(programs), department=department,
        level=level, time_zone=time_zone, languages=tuple(languages), skills_offered=tuple(offered),
        skills_sought=tuple(sought), interests=tuple(interests), goals=tuple(goals), meeting_mode=mode,
        mentor_capacity=capacity, team=team, location=location, reports_to=reports_to, joined=START)


def program(fmt: str = "one-to-one", **matching) -> Program:
    return Program(
        title="Pilot", purpose="Test program.", audience="Everyone.", format=fmt,
        timeline=Timeline(start=START, end=START + dt.timedelta(days=365)),
        goals=[Goal(id="g", statement="s", metric="match_rate", target=0.9, achievable="a", relevant="r",
                    due=START + dt.timedelta(days=365), readjust="x")],
        matching=Matching(**matching))


SKILLS = ["python", "sql", "data-analysis", "negotiation", "influencing", "public-speaking", "coaching",
          "writing", "finance", "design", "hiring", "strategy"]
RELATED = {"python": ["sql"], "sql": ["data-analysis"], "negotiation": ["influencing"],
           "public-speaking": ["influencing"], "coaching": ["hiring"], "finance": ["strategy"]}


def vocabulary(skills=SKILLS, related=RELATED) -> Vocabulary:
    return Vocabulary(
        skills=[Skill(id=s, label=s, related=related.get(s, [])) for s in skills],
        interests=[Term(id=t, label=t) for t in ("music", "hiking", "chess", "cooking", "film")],
        goals=[Term(id=t, label=t) for t in ("leadership", "visibility", "balance", "career-change")],
        departments=[Term(id=d, label=d) for d in ("eng", "sales", "ops", "hr", "finance")])


def workspace(people, programs=None, proposals=None, vocab=None) -> Workspace:
    ws = Workspace(root=Path("."))
    ws.programs = dict(programs or {"pilot": program()})
    ws.vocabulary = vocab or vocabulary()
    ws.participants = {p.pseudonym: p for p in people}
    ws.proposals = dict(proposals or {})
    return ws


ZONES = ["Europe/London", "Europe/Berlin", "Europe/Helsinki", "America/New_York", "Asia/Kolkata", "Asia/Singapore"]
DEPTS = ["eng", "sales", "ops", "hr", "finance"]
LANGS = [("en",), ("en",), ("en", "de"), ("de",), ("en", "fr"), ("fr",)]


def random_people(rng: random.Random, n_mentees: int, n_mentors: int, *, capacity=(1, 3), program_id="pilot",
                  zones=ZONES, langs=LANGS, skills=SKILLS, teams: int = 0, start: int = 1) -> list[Participant]:
    """A random population: mentees at levels 1-6, mentors at levels 3-9, varied zones, languages, skills.

    Pseudonyms are random hex (as real ones are), so their order is unrelated to creation order.
    """
    people, used = [], set()
    for k in range(n_mentees + n_mentors):
        while True:
            code = f"mk-{rng.getrandbits(32):08x}"
            if code not in used:
                used.add(code)
                break
        mentor = k >= n_mentees
        people.append(Participant(
            pseudonym=code, role="mentor" if mentor else "mentee", programs=(program_id,),
            department=rng.choice(DEPTS), level=rng.randint(3, 9) if mentor else rng.randint(1, 6),
            time_zone=rng.choice(zones), languages=rng.choice(langs),
            skills_offered=tuple(rng.sample(skills, rng.randint(1, 4))) if mentor else (),
            skills_sought=() if mentor else tuple(rng.sample(skills, rng.randint(1, 3))),
            interests=tuple(rng.sample(["music", "hiking", "chess", "cooking", "film"], rng.randint(0, 2))),
            goals=tuple(rng.sample(["leadership", "visibility", "balance", "career-change"], rng.randint(0, 2))),
            meeting_mode=rng.choice(["virtual", "either", "either", "in-person"]),
            location=rng.choice(["berlin", "london", None]),
            mentor_capacity=rng.randint(*capacity) if mentor else 0,
            team=f"t{rng.randrange(teams)}" if teams else None, joined=START))
    return people
