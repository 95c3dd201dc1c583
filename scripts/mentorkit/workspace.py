"""The typed, cross-checked view of a whole repository that every command reads.

Built once by `mentorkit.load`; nothing downstream re-parses files or
re-validates. Records are plain frozen dataclasses (cheap at 100,000 rows);
program files and agendas are the pydantic models of `config`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import AgendaMeta, Program, Proposal, Vocabulary


@dataclass(frozen=True)
class Participant:
    pseudonym: str
    role: str  # mentor | mentee | both
    programs: tuple[str, ...]
    department: str
    level: int
    time_zone: str
    languages: tuple[str, ...]
    skills_offered: tuple[str, ...] = ()
    skills_sought: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    meeting_mode: str = "either"
    mentor_capacity: int = 0
    joined: dt.date | None = None
    team: str | None = None
    location: str | None = None
    reports_to: str | None = None
    gender: str | None = None
    age_band: str | None = None
    underrepresented: str | None = None

    @property
    def can_mentor(self) -> bool:
        return self.role in ("mentor", "both") and self.mentor_capacity > 0

    @property
    def can_be_mentee(self) -> bool:
        return self.role in ("mentee", "both")


@dataclass(frozen=True)
class Checkin:
    program: str
    mentee: str
    mentor: str
    date: dt.date
    minutes: int
    mode: str
    health: int | None = None


@dataclass(frozen=True)
class SurveyResponse:
    program: str
    pseudonym: str
    survey: str  # baseline | pulse | final
    date: dt.date
    satisfaction: int | None = None
    nps: int | None = None
    confidence: int | None = None


@dataclass(frozen=True)
class SkillRating:
    program: str
    pseudonym: str
    survey: str  # baseline | final
    skill: str
    proficiency: int


@dataclass(frozen=True)
class GoalRecord:
    goal_id: str
    program: str
    pseudonym: str
    skill: str
    set_on: dt.date
    due: dt.date
    status: str
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    pseudonym: str
    outcome: str  # promotion | role-change | departure
    date: dt.date


@dataclass(frozen=True)
class Agenda:
    id: str  # file name without .md
    meta: AgendaMeta
    body: str  # Markdown after the front matter


@dataclass
class Workspace:
    root: Path
    programs: dict[str, Program] = field(default_factory=dict)  # id (file stem) -> program
    agendas: dict[str, Agenda] = field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    participants: dict[str, Participant] = field(default_factory=dict)  # in file order
    checkins: list[Checkin] = field(default_factory=list)
    survey_responses: list[SurveyResponse] = field(default_factory=list)
    skill_ratings: list[SkillRating] = field(default_factory=list)
    goals: list[GoalRecord] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # program id -> participants/matches/<id>.yaml

    def program(self, program_id: str) -> Program:
        from .errors import UnknownProgram

        if program_id not in self.programs:
            known = ", ".join(sorted(self.programs)) or "none"
            raise UnknownProgram(f"there is no program '{program_id}' (programs: {known})")
        return self.programs[program_id]

    def members(self, program_id: str) -> list[Participant]:
        """Participants enrolled in a program, in file order."""
        return [p for p in self.participants.values() if program_id in p.programs]
