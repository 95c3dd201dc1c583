"""The survey rounds of a program (`surveys:` in its file) as dates: when each opens and closes.

The one source of survey dates for the calendar, the reminder issue, the
site's calendar page and the response-rate measure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .program import Program

SURVEY_TITLES = {"baseline": "Baseline survey", "pulse": "Pulse survey", "final": "Final survey"}


@dataclass(frozen=True)
class SurveyDate:
    survey: str  # baseline | pulse | final
    number: int  # the round of this survey, from 1 (pulse 1, pulse 2, ...)
    opens: dt.date
    closes: dt.date  # the last day answers count

    @property
    def title(self) -> str:
        suffix = f" {self.number}" if self.survey == "pulse" else ""
        return SURVEY_TITLES[self.survey] + suffix

    @property
    def id(self) -> str:
        return f"survey-{self.survey}-{self.number}"


def survey_dates(program: Program) -> list[SurveyDate]:
    """Every survey round, in date order (then baseline, pulse, final); numbered per survey in that order."""
    anchors = {"start": program.timeline.start, "end": program.timeline.end,
               **{m.id: m.date for m in program.milestones}}
    order = tuple(SURVEY_TITLES)
    rounds = sorted(((anchors[r.at] + dt.timedelta(days=r.offset_days), r.open_days, r.survey)
                     for r in program.surveys), key=lambda x: (x[0], order.index(x[2]), x[1]))
    counts: dict[str, int] = {}
    out = []
    for opens, days, survey in rounds:
        counts[survey] = counts.get(survey, 0) + 1
        out.append(SurveyDate(survey, counts[survey], opens, opens + dt.timedelta(days=days - 1)))
    return out
