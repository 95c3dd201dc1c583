"""Participant table records: plain frozen dataclasses (cheap at 100,000 rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a participant signed up as (participants.csv's `role`)."""

    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"


class GoalStatus(StrEnum):
    """How far a development goal is (goals.csv's `status`)."""

    OPEN = "open"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly-achieved"
    NOT_ACHIEVED = "not-achieved"
    DROPPED = "dropped"


class OutcomeKind(StrEnum):
    """What happened to a participant (outcomes.csv's `outcome`)."""

    PROMOTION = "promotion"
    ROLE_CHANGE = "role-change"
    DEPARTURE = "departure"  # left the organisation
    WITHDRAWAL = "withdrawal"  # left the program


@dataclass(frozen=True)
class Participant:
    pseudonym: str
    role: Role
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
    communication_style: tuple[str, ...] = ()
    working_hours: str | None = None  # "HH:MM-HH:MM" in time_zone; None: the program's cadence.working_hours

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
    # Each partner's rating of the relationship, 1 (poor) to 5 (excellent): a meeting is one row, whoever reports
    # it, so minutes and meetings are counted once; the second partner's report adds their rating to the row.
    mentee_health: int | None = None
    mentor_health: int | None = None

    @property
    def ratings(self) -> tuple[int, ...]:
        """The ratings given for this meeting (none, one or both partners')."""
        return tuple(r for r in (self.mentee_health, self.mentor_health) if r is not None)


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
    status: GoalStatus
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    pseudonym: str
    outcome: OutcomeKind
    date: dt.date


@dataclass(frozen=True)
class NeedsSurveyCount:
    """One count of the anonymous staff needs survey (participants/needs_survey.csv): how many respondents gave
    one answer to one question. Only such one-way counts are kept, never a respondent's row, so no answers can
    be put together into a person."""

    program: str  # the program the survey informs
    question: str  # responses, department, level_band, skill, format, hours or would_mentor
    answer: str  # a vocabulary id or the survey's answer code ("all" for responses)
    count: int


@dataclass(frozen=True)
class ManagerFeedback:
    program: str
    pseudonym: str  # the participant observed (the manager is never recorded)
    date: dt.date
    applies: int  # 1 (never) to 5 (always): applies what they learned in mentoring
    effectiveness: int | None = None  # 1 (much less) to 5 (much more) effective since the program began
    team_performance: int | None = None  # 1 (much worse) to 5 (much better): their team's results since the start


@dataclass(frozen=True)
class Feedback360:
    """One colleague's 360 answers about a participant; the rater is never recorded, only how they work together."""

    program: str
    pseudonym: str  # the participant rated
    survey: str  # baseline | final
    response: str  # a digest of the export row: tells one rater's answer from another's without naming them
    date: dt.date
    relation: str  # peer | direct-report | manager | other
    communicates: int  # 1 (never) to 5 (always), each behaviour
    listens: int
    collaborates: int
    develops_others: int
