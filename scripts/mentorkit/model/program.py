"""The program file (program/<id>.yaml): goals, timeline, cadence, milestones, matching, targets, ROI.

These pydantic models are the single definition of what a coordinator may write;
the JSON Schemas in `schemas/` are generated from them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, Self, get_args

from pydantic import Field, StringConstraints, model_validator

from .base import Format, Pseudonym, Slug, Strict, Text, Weight
from .forms import IntakeSettings

# The program-file schema this kit reads and writes. A file states the schema it is written for in
# `schema_version` (absent: 1, the files written before versions); `mentorkit upgrade` rewrites older files.
SCHEMA_VERSION = 2

Every = Literal["weekly", "fortnightly", "monthly", "quarterly", "once"]  # how often a pair meets
CADENCES: tuple[str, ...] = get_args(Every)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)  # in date.weekday() order
WORKING_DAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday")
WORKING_HOURS = "09:00-17:00"  # a working day, in one's own time zone, where the program says nothing
WORKDAY = (dt.time.fromisoformat(WORKING_HOURS[:5]), dt.time.fromisoformat(WORKING_HOURS[6:]))  # as times


class Metric(StrEnum):
    """Every measure mentorkit computes; goals and targets refer to these ids."""

    PARTICIPATION_RATE = "participation_rate"
    MATCH_RATE = "match_rate"
    TIME_TO_MATCH_DAYS = "time_to_match_days"
    MEETINGS_PER_PAIR_MONTH = "meetings_per_pair_month"
    ACTIVE_PAIR_SHARE = "active_pair_share"
    COMPLETION_RATE = "completion_rate"
    SATISFACTION = "satisfaction"
    NPS = "nps"
    GOAL_ACHIEVEMENT_RATE = "goal_achievement_rate"
    PROFICIENCY_CHANGE = "proficiency_change"
    CONFIDENCE_CHANGE = "confidence_change"
    FEEDBACK_360_CHANGE = "feedback_360_change"
    PROMOTION_RATE_12M = "promotion_rate_12m"
    PROMOTION_RATE_18M = "promotion_rate_18m"
    INTERNAL_MOBILITY_12M = "internal_mobility_12m"
    RETENTION_DIFFERENCE = "retention_difference"
    ROI_PERCENT = "roi_percent"
    COST_PER_PROMOTION = "cost_per_promotion"
    TEAM_PERFORMANCE = "team_performance"
    SURVEY_RESPONSE_RATE = "survey_response_rate"
    MANAGER_OBSERVED_BEHAVIOUR = "manager_observed_behaviour"
    MANAGER_OBSERVED_EFFECTIVENESS = "manager_observed_effectiveness"


class Goal(Strict):
    """A SMART-ER goal: Specific, Measurable, Achievable, Relevant, Time-bound, Evaluated, Readjusted."""

    id: Slug
    statement: Text = Field(description="Specific: what will change, for whom.")
    metric: Metric = Field(description="Measurable: the mentorkit measure that shows progress.")
    target: float = Field(description="Measurable: the value of the metric that means success.")
    achievable: Text = Field(description="Achievable: why this target is realistic.")
    relevant: Text = Field(description="Relevant: the business need it serves.")
    due: dt.date = Field(description="Time-bound: when the target must be reached.")
    review_on: list[dt.date] = Field(default_factory=list, description="Evaluated: dates the goal is reviewed.")
    readjust: Text = Field(description="Readjusted: what the program changes if a review shows it off track.")


class Timeline(Strict):
    enrolment_opens: dt.date | None = None
    enrolment_closes: dt.date | None = None
    start: dt.date
    end: dt.date


class Cadence(Strict):
    every: Every = "monthly"
    session_minutes: Annotated[int, Field(ge=10, le=480)] = 60
    reminder_days_before: Annotated[int, Field(ge=0, le=30)] = 3
    weekdays: Annotated[list[Weekday], Field(min_length=1)] = Field(
        default_factory=lambda: list(WORKING_DAYS),
        description="Days a session may fall on; a session due on another day, or on a milestone's day, "
                    "moves to the next allowed day.",
    )
    working_hours: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")] = Field(
        WORKING_HOURS, description="Everyone's working day in their own time zone, 'HH:MM-HH:MM': meetings the kit "
                                   "proposes fall inside it.")

    @model_validator(mode="after")
    def _hours_ordered(self) -> Self:
        start, end = self.working_hours.split("-")
        if start >= end:
            raise ValueError(f"working_hours {self.working_hours}: the day must end after it starts")
        return self


class Holidays(Strict):
    """Days no session falls on: a country's (and region's) public holidays, and/or explicit dates."""

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="ISO 3166 country code whose public holidays sessions avoid, e.g. DE.")
    subdivision: Annotated[str, StringConstraints(min_length=1, max_length=10)] | None = Field(
        None, description="The region's code within the country, e.g. BE for Berlin (regional holidays).")
    dates: list[dt.date] = Field(default_factory=list, description="Further days without sessions, e.g. a "
                                                                   "company-wide closing day.")

    @model_validator(mode="after")
    def _known(self) -> Self:
        from .dates import check_holiday_region  # the holidays library is loaded only when a country is set

        if self.subdivision and not self.country:
            raise ValueError("holidays: a subdivision needs its country, e.g. country: DE, subdivision: BE")
        if self.country:
            check_holiday_region(self.country, self.subdivision)
        return self


class MilestoneKind(StrEnum):
    KICKOFF = "kickoff"
    GOAL_SETTING = "goal-setting"
    CHECK_IN = "check-in"
    MODULE = "module"
    NETWORKING = "networking"
    CAPSTONE = "capstone"
    CELEBRATION = "celebration"
    OTHER = "other"


class Milestone(Strict):
    id: Slug
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    kind: MilestoneKind
    date: dt.date
    minutes: Annotated[int, Field(ge=10, le=600)] | None = None
    agenda: Slug | None = Field(None, description="Agenda template (file name in agendas/ without .md).")


class Contact(Strict):
    role: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    how: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="How to reach the role: a channel, a team mailbox page, a portal. Never a personal address."
    )


class Pair(Strict):
    mentee: Pseudonym
    mentor: Pseudonym


class LevelGap(Strict):
    """Career-stage gap (mentor level minus mentee level; reversed for reverse mentoring)."""

    min: int = 1
    max: int = 4
    ideal: int = 2

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.min <= self.ideal <= self.max:
            raise ValueError("level_gap needs min <= ideal <= max")
        return self


class Weights(Strict):
    """Points each criterion is worth when fully met; 0 switches a criterion off."""

    skills: Weight = 40
    goals: Weight = 10
    interests: Weight = 10
    department: Weight = 10
    level: Weight = 15
    time_zone: Weight = 10
    language: Weight = 5
    meeting_mode: Weight = 5
    communication_style: Weight = Field(
        0, description="Shared communication styles (vocabulary communication_styles); 0 until the sign-up asks.")


class MentorTeam(Strict):
    """Team format: several mentors who mentor one group of mentees together."""

    id: Slug
    mentors: Annotated[list[Pseudonym], Field(min_length=1)]


class Matching(Strict):
    mode: Literal["assign", "choice"] = Field("assign", description="assign: one proposal; choice: N suggestions per mentee.")
    suggestions: Annotated[int, Field(ge=1, le=10)] = 3
    mentors_per_mentee: Annotated[int, Field(ge=1, le=5)] = Field(1, description="More than 1 only for mosaic programs.")
    weights: Weights = Weights()
    department: Literal["same", "cross", "any"] = Field("cross", description="Prefer same-department or cross-department pairs.")
    level_gap: LevelGap = LevelGap()
    max_time_zone_difference: Annotated[float, Field(ge=0, le=24)] | None = 6
    shared_language_required: bool = True
    exclude_reporting_line: bool = True
    min_cross_department_share: Annotated[float, Field(ge=0, le=1)] | None = None
    fairness_warning_points: Annotated[float, Field(ge=0, le=100)] | None = Field(
        10, description="The proposal's fairness report warns when a group's match rate is more than this many "
                        "percentage points below the overall rate. Empty: no warnings.")
    one_mentee_per_team: bool = Field(False, description="No mentor gets two mentees from the same team.")
    fairness_floor: bool = Field(False, description="Raise the worst pair's score first, then the total.")
    cooldown: list[Slug] = Field(default_factory=list, description="Earlier programs whose pairs must not meet again.")
    forbidden: list[Pair] = Field(default_factory=list)
    locked: list[Pair] = Field(default_factory=list)
    min_score: Annotated[float, Field(ge=0)] | None = Field(
        None, description="Pairs scoring fewer points are never proposed.")
    shared_skill_required: bool | None = Field(
        None, description="A mentee who seeks skills is only paired with a mentor who offers one of them (or a "
                          "related one). Empty: on for skill-based formats (one-to-one, group, reverse, mosaic, "
                          "team) while the skills weight is above 0.")
    teams: list[MentorTeam] = Field(default_factory=list, description="Team format: the mentor teams.")


class Costs(Strict):
    staff_time: Annotated[float, Field(ge=0)] = 0
    platform: Annotated[float, Field(ge=0)] = 0
    materials: Annotated[float, Field(ge=0)] = 0
    events: Annotated[float, Field(ge=0)] = 0
    participant_hour_value: Annotated[float, Field(ge=0)] = Field(0, description="Value of one participant hour in meetings.")


class Roi(Strict):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    replacement_cost: Annotated[float, Field(ge=0)] = Field(description="Cost of replacing one leaver.")
    productivity_value: Annotated[float, Field(ge=0)] = Field(
        0, description="Yearly value of a completed participant's productivity gain.")
    costs: Costs = Costs()


class Comparison(Strict):
    """Aggregates for non-participants over the same period (they have no records here)."""

    period_start: dt.date
    period_end: dt.date
    headcount: Annotated[int, Field(ge=1)]
    leavers: Annotated[int, Field(ge=0)]
    promotions: Annotated[int, Field(ge=0)]
    role_changes: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Colleagues who did not take part and moved to another role in the organisation over the "
                          "period (internal mobility); leave it out when the HR figures do not say.")


SurveyKind = Literal["baseline", "pulse", "final"]
SURVEY_ANCHORS = ("start", "end")


class SurveyRound(Strict):
    """One round of a survey (forms/<survey>.md): when it opens, relative to the program's start, end or a milestone."""

    survey: SurveyKind
    at: Slug = Field("start", description="start, end, or the id of a milestone: the round opens relative to it.")
    offset_days: Annotated[int, Field(ge=-365, le=365)] = Field(
        0, description="Days after `at` the round opens (negative: before), e.g. 60 for a pulse two months in.")
    open_days: Annotated[int, Field(ge=1, le=90)] = Field(
        14, description="Days the survey stays open; answers in this window count for the response rate.")


class Reports(Strict):
    min_group_size: Annotated[int, Field(ge=2, le=100)] = 5


class Pilot(Strict):
    """A pilot: a small first cohort (20 to 50 people) that tries the program out before the full launch."""

    max_participants: Annotated[int, Field(ge=2, le=500)] = Field(
        30, description="The most people the pilot takes: `mentorkit validate` (and so intake) refuses more "
                        "enrolled participants than this.")
    launch: dt.date | None = Field(
        None, description="The full program's planned first day, after the pilot review; it must come after the "
                          "pilot ends.")


class Program(Strict):
    """One program (cohort): a file in program/."""

    schema_version: Annotated[int, Field(ge=1, le=SCHEMA_VERSION)] | None = Field(
        None, description="The program-file schema the file is written for (absent: 1). `mentorkit upgrade` "
                          "brings an older file to this kit's schema.")
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    purpose: Text
    audience: Text = Field(description="Who the program is for.")
    format: Format
    eligible_population: Annotated[int, Field(ge=1)] | None = Field(None, description="People who could have joined.")
    timeline: Timeline
    cadence: Cadence = Cadence()
    goals: list[Goal] = Field(min_length=1)
    milestones: list[Milestone] = Field(default_factory=list)
    session_plan: list[Slug] = Field(default_factory=list, description="Agenda templates for the regular sessions, in order.")
    contacts: list[Contact] = Field(default_factory=list)
    matching: Matching = Matching()
    targets: dict[Metric, float] = Field(default_factory=dict, description="Targets for leading indicators.")
    roi: Roi | None = None
    comparison: Comparison | None = None
    reports: Reports = Reports()
    intake: IntakeSettings = IntakeSettings()
    holidays: Holidays | None = Field(
        None, description="Public holidays (by country and region) and other days that sessions move away from, "
                          "like weekends.")
    surveys: list[SurveyRound] = Field(
        default_factory=list, description="When each survey is sent: the calendar, the reminder issue and the "
                                          "response rate follow these rounds.")
    pilot: Pilot | None = Field(
        None, description="Set when the program is a pilot: a small first cohort with its own timeline, a cap "
                          "on participants and a review before the full launch. Absent: a full program.")

    @model_validator(mode="after")
    def _survey_anchors(self) -> Self:
        milestones = {m.id for m in self.milestones}
        for round_ in self.surveys:
            if round_.at not in SURVEY_ANCHORS and round_.at not in milestones:
                raise ValueError(f"surveys: a {round_.survey} round is 'at: {round_.at}', which is not start, end "
                                 f"or a milestone id (milestones: {', '.join(sorted(milestones)) or 'none'})")
        return self
