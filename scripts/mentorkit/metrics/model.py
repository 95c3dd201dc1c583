"""What the metrics module returns: plain frozen dataclasses, and the one table of measure definitions.

Values are kept in their natural unit: shares and the retention difference as
fractions (0.25 is 25% or 25 percentage points), NPS from -100 to 100, ROI in
percent, changes on the 1-5 survey scale. Renderers format them; nothing here
rounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Metric
from ..text.dates import day_month_year


class Status(StrEnum):
    """A measure against its target."""

    MET = "met"
    NOT_MET = "not-met"
    NO_TARGET = "no-target"
    NO_DATA = "no-data"
    SUPPRESSED = "suppressed"  # computed on fewer people than reports.min_group_size: not shown
    # An interim value (its window or the program has not ended) is never "not met" before it is due.
    ON_TRACK = "on-track"  # interim, and already at the target
    TOO_EARLY = "too-early"  # interim, and not at the target yet


MET, NOT_MET, NO_TARGET, NO_DATA = Status.MET, Status.NOT_MET, Status.NO_TARGET, Status.NO_DATA
SUPPRESSED, ON_TRACK, TOO_EARLY = Status.SUPPRESSED, Status.ON_TRACK, Status.TOO_EARLY

LEVELS = ("process", "reaction", "learning", "behaviour", "results")


@dataclass(frozen=True)
class Definition:
    id: Metric
    label: str
    unit: str  # share | days | per_month | score | nps | change | points | percent | money
    level: str  # one of LEVELS
    leading: bool  # available while the program runs and tells where to act
    higher_is_better: bool = True


DEFINITIONS: dict[Metric, Definition] = {d.id: d for d in (
    Definition(Metric.PARTICIPATION_RATE, "Participation rate", "share", "process", True),
    Definition(Metric.MATCH_RATE, "Match rate", "share", "process", True),
    Definition(Metric.TIME_TO_MATCH_DAYS, "Days from sign-up to first meeting", "days", "process", True,
               higher_is_better=False),
    Definition(Metric.MEETINGS_PER_PAIR_MONTH, "Meetings per pair per month", "per_month", "process", True),
    Definition(Metric.ACTIVE_PAIR_SHARE, "Share of pairs meeting regularly", "share", "process", True),
    Definition(Metric.COMPLETION_RATE, "Completion rate", "share", "process", False),
    Definition(Metric.SATISFACTION, "Satisfaction (1 to 5)", "score", "reaction", True),
    Definition(Metric.NPS, "Net Promoter Score", "nps", "reaction", True),
    Definition(Metric.GOAL_ACHIEVEMENT_RATE, "Goal achievement rate", "share", "learning", False),
    Definition(Metric.PROFICIENCY_CHANGE, "Change in skill proficiency (1 to 5)", "change", "learning", False),
    Definition(Metric.CONFIDENCE_CHANGE, "Change in confidence (1 to 5)", "change", "learning", False),
    Definition(Metric.PROMOTION_RATE_12M, "Promoted within 12 months", "share", "results", False),
    Definition(Metric.PROMOTION_RATE_18M, "Promoted within 18 months", "share", "results", False),
    Definition(Metric.RETENTION_DIFFERENCE, "Retention compared with non-participants", "points", "results", False),
    Definition(Metric.ROI_PERCENT, "Return on investment", "percent", "results", False),
    Definition(Metric.SURVEY_RESPONSE_RATE, "Survey response rate", "share", "process", True),
    Definition(Metric.MANAGER_OBSERVED_BEHAVIOUR, "Applies what they learned, as managers see it (1 to 5)", "score",
               "behaviour", False),
    Definition(Metric.MANAGER_OBSERVED_EFFECTIVENESS, "More effective in their role, as managers see it (1 to 5)",
               "score", "behaviour", False),
    Definition(Metric.FEEDBACK_360_CHANGE, "Change in 360 feedback from colleagues (1 to 5)", "change", "learning",
               False),
    Definition(Metric.INTERNAL_MOBILITY_12M, "Moved to a new role within 12 months", "share", "results", False),
    Definition(Metric.TEAM_PERFORMANCE, "Team performance, as managers see it (1 to 5)", "score", "results", False),
    Definition(Metric.COST_PER_PROMOTION, "Cost per promoted participant", "money", "results", False,
               higher_is_better=False),
)}

# How each unit is shown: (multiplier, decimals). A status compares the value as shown, so "0.80" against a
# target of 0.80 is met even when the unrounded value is 0.7966; `render.format_value` shows the same digits.
SHOWN: dict[str, tuple[float, int]] = {
    "share": (100, 1), "days": (1, 1), "per_month": (1, 2), "score": (1, 2), "nps": (1, 0), "change": (1, 2),
    "points": (100, 1), "percent": (1, 0), "money": (1, 0)}


def shown(unit: str, value: float) -> float:
    """The value a reader sees: rounded as `render.format_value` rounds it (half to even, as Python formats)."""
    scale, decimals = SHOWN.get(unit, (1, 2))
    return float(f"{value * scale:.{decimals}f}") / scale


def long_date(day: dt.date) -> str:
    """A date in a note, as a reader writes it: 27 November 2026."""
    return day_month_year(day)

# Units whose targets a coordinator may write either as a fraction (0.8) or as a percentage (80).
FRACTION_UNITS = ("share", "points")


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    value: float | None  # None: no data, or suppressed
    unit: str
    target: float | None
    status: Status
    n: int  # people (or pairs, for pair measures) the value is computed on
    level: str
    leading: bool
    note: str = ""  # e.g. "interim: ..." or the reference the value is read against
    detail: tuple[tuple[str, float | int | str], ...] = ()  # the parts of a composite measure (ROI, retention)
    goal: str | None = None  # id of the program goal that sets the target, if any
    interim: bool = False  # not due yet: the value can still change


@dataclass(frozen=True)
class Cell:
    """One published figure of a breakdown: `value` is None when hidden (`hidden` says why) or missing."""

    value: float | int | None
    hidden: str | None = None  # None | "primary" (group too small) | "secondary" (hidden so others cannot be worked out)


@dataclass(frozen=True)
class BreakdownRow:
    group: str  # the group's id (a department id, a level, "not-given")
    label: str  # how the group is shown
    counts: tuple[Cell, ...]  # people in the group, in the order of Breakdown.columns
    measures: tuple[Cell, ...]  # of the group's mentees, in the order of Breakdown.measures


@dataclass(frozen=True)
class Breakdown:
    """People by group and role, and measures of each group's mentees.

    The first column counts the people being mentored (mentees; everyone, in a
    peer program), the second the others (mentors). Rows carry no total of
    their own, so each column is suppressed on its own, against its total.
    """

    dimension: str  # department | level | gender | age_band | underrepresented | format
    label: str
    columns: tuple[str, ...]  # "Mentees", "Mentors" (or "Participants" in a peer program)
    measures: tuple[str, ...]  # measure ids shown per group
    rows: tuple[BreakdownRow, ...]
    totals: tuple[Cell, ...]  # column totals
    # measures whose overall figure would give hidden groups away (every group shares its 0% or 100%, ...)
    overall_hidden: tuple[str, ...] = ()
    note: str = ""  # who is counted, and what "Other" pools: sentences in the reader's words


@dataclass(frozen=True)
class SkillChange:
    """Pre/post proficiency for one skill (people who rated it in both surveys)."""

    skill: str
    label: str
    n: Cell
    before: Cell
    after: Cell
    change: Cell


@dataclass(frozen=True)
class AttentionItem:
    """A pair the coordinator should look at. Carries pseudonyms: never published."""

    mentee: str
    mentor: str | None
    reasons: tuple[str, ...]  # no-checkin | low-satisfaction | low-health | one-sided | goals-overdue
    details: tuple[str, ...]  # one sentence per reason
    last_checkin: dt.date | None = None


@dataclass(frozen=True)
class ProgramMetrics:
    program: str
    title: str
    as_of: dt.date | None  # the latest date in the program's records, capped at the program end
    min_group_size: int
    currency: str | None
    measures: tuple[Measure, ...]
    breakdowns: tuple[Breakdown, ...] = ()
    skills: tuple[SkillChange, ...] = ()
    monthly_meetings: tuple[tuple[str, int], ...] = ()  # ("2026-01", meetings) for each month of the program so far
    nps_mix: tuple[tuple[str, float], ...] = ()  # (promoters|passives|detractors, share); empty when hidden
    attention: tuple[AttentionItem, ...] = field(default=())  # coordinator only
    pairs_source: str = "proposal"  # proposal: approved/ended pairs of the match file; checkins: derived

    def measure(self, metric: str) -> Measure:
        for m in self.measures:
            if m.id == str(metric):
                return m
        raise KeyError(metric)
