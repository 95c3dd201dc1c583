"""Wording and formatting shared by the generated pages and the placeholders.

Dates are written out ("12 January 2026") without the locale, so a build on
any machine gives the same page. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re

from ..calendar import short_title
from ..metrics import DEFINITIONS, format_value, normalize_target
from ..model import Metric, MilestoneKind, Program
from ..model.dates import month_end
from ..text.counts import counted, plural
from ..text.dates import MONTHS, WEEKDAYS, day_month_year, weekday_day_month_year
from ..text.wording import format_words

KIND_LABEL = {
    MilestoneKind.KICKOFF: "Kickoff",
    MilestoneKind.GOAL_SETTING: "Goal setting",
    MilestoneKind.CHECK_IN: "Check-in",
    MilestoneKind.MODULE: "Skills module",
    MilestoneKind.NETWORKING: "Networking",
    MilestoneKind.CAPSTONE: "Capstone",
    MilestoneKind.CELEBRATION: "Celebration",
    MilestoneKind.OTHER: "Event",
}

def date(d: dt.date | None, missing: str = "to be announced") -> str:
    if d is None:
        return missing
    return day_month_year(d)


def long_date(d: dt.date) -> str:
    """"Thursday 12 March 2026": the weekday too, for a date someone has to keep free."""
    return weekday_day_month_year(d)


def short_weekday_date(d: dt.date) -> str:
    """"Thu 12 Mar 2026": a date cell that fits a phone's table column."""
    return f"{WEEKDAYS[d.weekday()][:3]} {short_date(d)}"


def short_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"


def date_range(start: dt.date, end: dt.date) -> str:
    return f"{date(start)} to {date(end)}"


def duration(start: dt.date, end: dt.date) -> str:
    """A rounded, human length: '12 months', '6 weeks', '3 days'.

    Months are counted as people count them: each calendar month the program
    covers at least half of (12 January to 18 December is 12 months, as "a
    year" says, not the 11.2 that dividing the days gives).
    """
    days = (end - start).days + 1
    if days >= 56:
        months = 0
        month = dt.date(start.year, start.month, 1)
        while month <= end:
            last = month_end(month)
            covered = (min(end, last) - max(start, month)).days + 1
            months += covered * 2 >= last.day
            month = last + dt.timedelta(days=1)
        return f"{counted(months, 'month')}"
    if days >= 14:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    return f"{counted(days, 'day')}"


def minutes(n: int) -> str:
    return f"{n} minutes"


def hours(total_minutes: int) -> str:
    h = total_minutes / 60
    if h < 1:
        return minutes(total_minutes)
    rounded = round(h * 2) / 2
    text = f"{rounded:g}"
    return f"{text} {plural(rounded, 'hour')}"


def goal_target(metric: Metric, value: float) -> str:
    """'Match rate: target 90%': the measure's label and unit come from the metrics, their one home."""
    definition = DEFINITIONS[metric]
    return f"{definition.label}: target {format_value(definition.unit, normalize_target(metric, value))}"


def relative(target_uri: str, page_uri: str) -> str:
    """A Markdown link target from the page at `page_uri` to the docs file `target_uri`."""
    base = posixpath.dirname(page_uri)
    return posixpath.relpath(target_uri, base or ".")




def plain(text: str) -> str:
    """Text written by the coordinator (a title, a label) as Markdown that shows it exactly: no HTML gets through."""
    return html.escape(text, quote=False)


_LINK = re.compile(r"(!?)\[([^\[\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)")  # one level of (...) in the address
_LINK_SCHEMES = re.compile(r"(https?|mailto):", re.IGNORECASE)


def contact_how(how: str) -> str:
    """A contact's "how to reach" as Markdown: its text shown as written, links kept only to http(s) and mailto.

    A Markdown link `[text](address)` to anything else (javascript:, a file, a relative path) keeps only its text.
    """
    out, pos = [], 0
    for m in _LINK.finditer(how):
        out.append(_plain_text(how[pos:m.start()]))
        bang, text, url = m.groups()
        if not bang and _LINK_SCHEMES.match(url):
            out.append(f"[{_plain_text(text)}]({url})")
        else:
            out.append(_plain_text(text))
        pos = m.end()
    out.append(_plain_text(how[pos:]))
    return "".join(out)


def _plain_text(text: str) -> str:
    return plain(text).replace("[", "\\[").replace("]", "\\]")


def plain_title(title: str) -> str:
    """The short title of a program (up to a dash), escaped as `plain`."""
    return plain(short_title(title))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def matching_sentence(program: Program) -> str:
    m = program.matching
    units = format_words(program.format).units
    if m.mode == "choice":
        return (f"each mentee chooses from {m.suggestions} suggested mentors; the coordinator confirms the {units}")
    if m.mentors_per_mentee > 1:
        return (f"the coordinator proposes {m.mentors_per_mentee} mentors for each mentee and reviews every match "
                "before it is confirmed")
    return f"the coordinator proposes the {units} and reviews every one before it is confirmed"
