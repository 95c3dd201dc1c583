"""The program file, agenda front matter, vocabulary and match proposal models.

These pydantic models are the single definition of what a coordinator may
write in YAML. Unknown keys are errors (`extra="forbid"`) so a typo such as
`cadance` is caught; the JSON Schemas in `schemas/` are generated from here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Pseudonym = Annotated[str, StringConstraints(pattern=r"^mk-[0-9a-f]{8}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Weight = Annotated[float, Field(ge=0, le=1000)]

PSEUDONYM_PATTERN = r"^mk-[0-9a-f]{8}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Format(StrEnum):
    ONE_TO_ONE = "one-to-one"
    GROUP = "group"
    PEER = "peer"
    REVERSE = "reverse"
    MOSAIC = "mosaic"
    FLASH = "flash"


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
    PROMOTION_RATE_12M = "promotion_rate_12m"
    PROMOTION_RATE_18M = "promotion_rate_18m"
    RETENTION_DIFFERENCE = "retention_difference"
    ROI_PERCENT = "roi_percent"


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
    every: Literal["weekly", "fortnightly", "monthly", "quarterly", "once"] = "monthly"
    session_minutes: Annotated[int, Field(ge=10, le=480)] = 60
    reminder_days_before: Annotated[int, Field(ge=0, le=30)] = 3


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
    def _ordered(self):
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
    one_mentee_per_team: bool = Field(False, description="No mentor gets two mentees from the same team.")
    fairness_floor: bool = Field(False, description="Raise the worst pair's score first, then the total.")
    cooldown: list[Slug] = Field(default_factory=list, description="Earlier programs whose pairs must not meet again.")
    forbidden: list[Pair] = Field(default_factory=list)
    locked: list[Pair] = Field(default_factory=list)


class Costs(Strict):
    staff_time: Annotated[float, Field(ge=0)] = 0
    platform: Annotated[float, Field(ge=0)] = 0
    materials: Annotated[float, Field(ge=0)] = 0
    events: Annotated[float, Field(ge=0)] = 0
    participant_hour_value: Annotated[float, Field(ge=0)] = Field(0, description="Value of one participant hour in meetings.")


class Roi(Strict):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    replacement_cost: Annotated[float, Field(ge=0)] = Field(description="Cost of replacing one leaver.")
    productivity_value: Annotated[float, Field(ge=0)] = Field(0, description="Yearly value of a completed participant's productivity gain.")
    costs: Costs = Costs()


class Comparison(Strict):
    """Aggregates for non-participants over the same period (they have no records here)."""

    period_start: dt.date
    period_end: dt.date
    headcount: Annotated[int, Field(ge=1)]
    leavers: Annotated[int, Field(ge=0)]
    promotions: Annotated[int, Field(ge=0)]


class Reports(Strict):
    min_group_size: Annotated[int, Field(ge=2, le=100)] = 5


# --- intake: how form exports map onto participant fields (mentorkit intake / import-*) ---

Header = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Answer = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FormColumn(Strict):
    """How one column of a form export is read."""

    field: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        description="The field the answers go to (see the coordinator handbook for each form's fields), or 'ignore'.")
    safe: bool = Field(False, description="The answers are codes, not free text (needed for the team field).")
    values: dict[Answer, Answer] = Field(default_factory=dict,
                                         description="Answer as the form writes it -> value to store, e.g. 'I want a mentor': mentee.")


class FormMapping(Strict):
    """Column title in the export -> field; titles are matched ignoring case, spaces and a trailing '?' or ':'."""

    FIELDS: ClassVar[frozenset[str]] = frozenset()
    FREE_TEXT: ClassVar[frozenset[str]] = frozenset()  # fields whose answers are free-form: need `safe: true`
    IDENTIFYING: ClassVar[frozenset[str]] = frozenset(
        {"email", "name", "phone", "reports_to", "partner_email", "mentee_email", "mentor_email"})

    columns: dict[Header, Annotated[str, StringConstraints(min_length=1, max_length=60)] | FormColumn] = Field(
        default_factory=dict)
    use_defaults: bool = Field(True, description="Also recognise common question titles not listed in columns.")
    defaults: dict[Annotated[str, StringConstraints(min_length=1, max_length=60)], str | list[str]] = Field(
        default_factory=dict, description="Answers for questions the form does not ask, e.g. languages: [en].")
    date_order: Literal["auto", "dmy", "mdy", "ymd"] = Field(
        "auto", description="How to read dates such as 03/04/2026: auto refuses ambiguous columns.")

    @classmethod
    def allows(cls, name: str) -> bool:
        return name in cls.FIELDS

    @model_validator(mode="after")
    def _known_fields(self):
        for header, target in self.columns.items():
            name = target.field if isinstance(target, FormColumn) else target
            if name != "ignore" and not self.allows(name):
                raise ValueError(f"column '{header}': '{name}' is not a field of this form "
                                 f"(fields: {', '.join(sorted(self.FIELDS | {'ignore'}))})")
        for name in self.defaults:
            if name not in self.FIELDS or name in self.IDENTIFYING:
                raise ValueError(f"defaults: '{name}' is not a field that can have a default")
        return self


class SignUpMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "phone", "role", "department", "team", "level", "time_zone", "languages",
        "skills_offered", "skills_sought", "interests", "goals", "meeting_mode", "location", "mentor_capacity",
        "reports_to", "joined", "gender", "age_band", "underrepresented"})
    FREE_TEXT: ClassVar[frozenset[str]] = frozenset({"team"})


class CheckinMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "partner_email", "mentee_email", "mentor_email", "date", "submitted", "minutes", "mode",
        "health"})


class SurveyMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "survey", "date", "submitted", "satisfaction", "nps", "confidence"})

    @classmethod
    def allows(cls, name: str) -> bool:  # rating:<skill id> is checked against the vocabulary at import
        return name in cls.FIELDS or re.fullmatch(r"rating:[a-z0-9][a-z0-9-]*", name) is not None


class IntakeSettings(Strict):
    """`intake:` in a program file: how this program's form exports are read."""

    sign_up: SignUpMapping = SignUpMapping()
    check_in: CheckinMapping = CheckinMapping()
    survey: SurveyMapping = SurveyMapping()


class Program(Strict):
    """One program (cohort): a file in program/."""

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


class AgendaKind(StrEnum):
    SESSION = "session"
    EVENT = "event"


class AgendaMeta(Strict):
    """Front matter of an agenda template in agendas/."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    kind: AgendaKind
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    minutes: Annotated[int, Field(ge=10, le=600)] | None = Field(None, description="Defaults to the program's session length.")
    formats: list[Format] = Field(default_factory=list, description="Formats it suits; empty means all.")
    prepare: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(default_factory=list)


class Term(Strict):
    id: Slug
    label: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class Skill(Term):
    related: list[Slug] = Field(default_factory=list, description="Skills that earn partial credit.")


class Vocabulary(Strict):
    """participants/vocabulary.yaml: the closed lists participant fields draw from."""

    skills: list[Skill]
    interests: list[Term] = Field(default_factory=list)
    goals: list[Term] = Field(default_factory=list, description="Development goal topics.")
    departments: list[Term]
    locations: list[Term] = Field(default_factory=list)


# --- match proposals (written by `mentorkit match`, read back by the loader) ---


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ENDED = "ended"


# Values the matcher writes in free-form sections (proposal files are read with YAML's core types).
Scalar = int | float | bool | str | None


class ProposedPair(Strict):
    mentee: Pseudonym
    mentor: Pseudonym
    status: PairStatus = PairStatus.PROPOSED
    score: float
    why: dict[str, float] = Field(default_factory=dict)
    rank: int | None = Field(None, description="Choice mode: 1 = best suggestion.")
    next_best: dict[str, Scalar] | None = None


class Unmatched(Strict):
    mentee: Pseudonym
    reason: str


class Proposal(Strict):
    program: Slug
    format: Format
    solver: dict[str, Scalar | dict[str, Scalar]] = Field(default_factory=dict)
    summary: dict[str, Scalar] = Field(default_factory=dict)
    pairs: list[ProposedPair] = Field(default_factory=list)
    unmatched: list[Unmatched] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
