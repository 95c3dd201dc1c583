"""Builders for small, hand-made workspaces used by the metrics tests (no files, no demo data).

Pseudonyms are numbers: person(3) is mk-00000003. Every test writes its own
records, so the expected values can be worked out by hand next to them.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from mentorkit.model import (
    Checkin,
    GoalRecord,
    Outcome,
    Participant,
    Program,
    Proposal,
    ProposedPair,
    SkillRating,
    SurveyResponse,
    Workspace,
)

D = dt.date
PID = "p"

BASE_PROGRAM = {
    "title": "Test program",
    "purpose": "Test the measures.",
    "audience": "Testers.",
    "format": "one-to-one",
    "timeline": {"start": "2026-01-01", "end": "2026-06-30"},
    "cadence": {"every": "monthly", "session_minutes": 60},
    "goals": [{
        "id": "g1", "statement": "A goal.", "metric": "satisfaction", "target": 4.0, "achievable": "Yes.",
        "relevant": "Yes.", "due": "2026-06-30", "readjust": "Adjust.",
    }],
    "reports": {"min_group_size": 2},
}


def pseudo(n: int) -> str:
    return f"mk-{n:08x}"


def _merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def make_program(**changes) -> Program:
    return Program.model_validate(_merge(BASE_PROGRAM, changes))


def goal(metric: str, target: float, gid: str = "g1") -> dict:
    return {"id": gid, "statement": "A goal.", "metric": metric, "target": target, "achievable": "Yes.",
            "relevant": "Yes.", "due": "2026-06-30", "readjust": "Adjust."}


def person(n: int, role: str = "mentee", *, department: str = "eng", level: int = 2, joined=D(2025, 12, 1),  # noqa: B008 - a date is immutable
           programs=(PID,), **kw) -> Participant:
    return Participant(pseudonym=pseudo(n), role=role, programs=tuple(programs), department=department, level=level,
                       time_zone="Europe/Berlin", languages=("en",), mentor_capacity=0 if role == "mentee" else 2,
                       joined=joined, **kw)


def checkin(mentee: int, mentor: int, date: dt.date, minutes: int = 60, health: int | None = None,
            program: str = PID, mentor_health: int | None = None) -> Checkin:
    """A meeting; `health` is the mentee's rating of it, `mentor_health` the mentor's."""
    return Checkin(program, pseudo(mentee), pseudo(mentor), date, minutes, "virtual", health, mentor_health)


def survey(n: int, kind: str, date: dt.date, *, satisfaction=None, nps=None, confidence=None,
           program: str = PID) -> SurveyResponse:
    return SurveyResponse(program, pseudo(n), kind, date, satisfaction, nps, confidence)


def rating(n: int, kind: str, skill: str, proficiency: int, program: str = PID) -> SkillRating:
    return SkillRating(program, pseudo(n), kind, skill, proficiency)


def goal_record(gid: str, n: int, status: str, due: dt.date, *, set_on=D(2026, 1, 10), closed_on=None,  # noqa: B008 - a date is immutable
                skill: str = "sql", program: str = PID) -> GoalRecord:
    if closed_on is None and status != "open":
        closed_on = due
    return GoalRecord(gid, program, pseudo(n), skill, set_on, due, status, closed_on)


def outcome(n: int, kind: str, date: dt.date) -> Outcome:
    return Outcome(pseudo(n), kind, date)


def workspace(program: Program, people, *, pairs=None, checkins=(), surveys=(), ratings=(), goals=(),
              outcomes=(), pid: str = PID, extra_programs: dict | None = None) -> Workspace:
    """`pairs`: [(mentee, mentor, status)] for a match proposal; None: no proposal (pairs come from check-ins)."""
    ws = Workspace(root=Path("/nonexistent"))
    ws.programs = {pid: program, **(extra_programs or {})}
    ws.participants = {p.pseudonym: p for p in people}
    ws.checkins = list(checkins)
    ws.survey_responses = list(surveys)
    ws.skill_ratings = list(ratings)
    ws.goals = list(goals)
    ws.outcomes = list(outcomes)
    if pairs is not None:
        ws.proposals[pid] = Proposal(program=pid, format=program.format, pairs=[
            ProposedPair(mentee=pseudo(a), mentor=pseudo(b), status=s, score=1.0) for a, b, s in pairs])
    return ws
