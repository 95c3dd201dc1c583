"""Small builders for matching tests and the matching benchmark.

Workspaces are built in memory (no loader, no files), so the matching tests do
not depend on the demo data or on `mentorkit.load`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import replace
from pathlib import Path

from mentorkit.matching.rules import PairRules
from mentorkit.matching.scoring import Criteria
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


def popular_people(rng: random.Random, n_mentees: int, n_mentors: int, *, capacity=(2, 2), **kw) -> list[Participant]:
    """`random_people`, but about 5% of mentors suit everyone (every skill and language, a level and a time zone
    every mentee's window accepts): everybody's favourites are the same few mentors."""
    people = random_people(rng, n_mentees, n_mentors, capacity=capacity, zones=ZONES[:5], **kw)  # Berlin: within 6 h
    out = []
    for p in people:
        if p.can_be_mentee:
            p = replace(p, level=min(5, max(2, p.level)), languages=rng.choice([("en",), ("de",), ("fr",)]))
        elif rng.random() < 0.05:
            p = replace(p, level=6, skills_offered=tuple(SKILLS), languages=("en", "de", "fr"),
                        time_zone="Europe/Berlin", meeting_mode="either")
        out.append(p)
    return out


def tied_people(rng: random.Random, n_mentees: int, n_mentors: int, *, capacity=(2, 2), **kw) -> list[Participant]:
    """Every mentor offers the same skills in the same time zone and language: every pair is eligible (but for
    reporting lines) and scores take a handful of integer values, so exact ties are everywhere."""
    common = dict(time_zone="Europe/Berlin", languages=("en",), meeting_mode="either", interests=(), goals=(),
                  location=None, reports_to=None)
    out = []
    for p in random_people(rng, n_mentees, n_mentors, capacity=capacity, **kw):
        if p.can_be_mentee:
            out.append(replace(p, level=3, skills_sought=("python", "sql"), **common))
        else:
            out.append(replace(p, level=rng.randint(6, 7), skills_offered=("python", "sql"), **common))
    return out


def reference(ws, pid_="pilot"):
    """(count, total cents) by scipy's exact assignment on the matrix expanded by mentor capacity."""
    import numpy as np  # the reference only: the benchmark imports these helpers without scipy
    from scipy.optimize import linear_sum_assignment

    prog = ws.programs[pid_]
    crit = Criteria(prog, ws.vocabulary)
    rules = PairRules(forbidden=[(f.mentee, f.mentor) for f in prog.matching.forbidden],
                      managers={p.pseudonym: p.reports_to for p in ws.participants.values()})
    mentees = [p for p in ws.participants.values() if p.can_be_mentee]
    slots = [p for p in ws.participants.values() if p.can_mentor for _ in range(p.mentor_capacity)]
    if not mentees or not slots:
        return 0, 0
    big = 10**7  # above any total score in cents here: the count comes first
    cost = np.zeros((len(mentees), len(slots)))
    for i, a in enumerate(mentees):
        for k, b in enumerate(slots):
            s = crit.score(a, b, rules)
            if s.eligible:
                cost[i, k] = -(big + s.cents)
    r, c = linear_sum_assignment(cost)
    total = round(float(-cost[r, c].sum()))
    return total // big, total % big


def brute_force(ws, pid_="pilot"):
    """Best (count, lowest score if floor, total) over every assignment, with the program's side rules."""
    prog = ws.programs[pid_]
    m = prog.matching
    crit = Criteria(prog, ws.vocabulary)
    mentees = sorted((p for p in ws.participants.values() if p.can_be_mentee), key=lambda p: p.pseudonym)
    mentors = sorted((p for p in ws.participants.values() if p.can_mentor), key=lambda p: p.pseudonym)
    options = [[None] + [j for j, b in enumerate(mentors) if crit.score(a, b).eligible] for a in mentees]
    best = None
    for choice in itertools.product(*options):
        load = {}
        for j in choice:
            if j is not None:
                load[j] = load.get(j, 0) + 1
        if any(n > mentors[j].mentor_capacity for j, n in load.items()):
            continue
        pairs = [(a, mentors[j]) for a, j in zip(mentees, choice, strict=True) if j is not None]
        if m.one_mentee_per_team and len({(b.pseudonym, a.team) for a, b in pairs if a.team}) < \
                len([1 for a, b in pairs if a.team]):
            continue
        if m.min_cross_department_share and pairs and \
                sum(a.department != b.department for a, b in pairs) < m.min_cross_department_share * len(pairs) - 1e-9:
            continue
        scores = [crit.score(a, b).cents for a, b in pairs]
        key = (len(pairs), min(scores, default=0) if m.fairness_floor else 0, sum(scores))
        best = key if best is None or key > best else best
    return best
