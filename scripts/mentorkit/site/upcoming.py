"""Every date of a program in one list, and "your next session" at the top of the home and program pages.

The pages are byte-deterministic, so the build cannot know which date is next
for the reader: the build clock says when the site was built, not when it is
read (a site built in January is still read in June). So the pages carry every
answer and the reader's browser picks one:

- the program page's "Dates" table lists every session, event and survey
  window, each date in a `<time class="mk-date" datetime="...">` element;
- "Coming up" holds one card per date of the program ("if today is on or
  before this date, this is what comes next"), all but one `hidden`; the
  visible one, for readers without scripts, is the first session, titled as
  the first (so it is never wrong, only early) and pointing to the full list;
- `javascripts/dates.js` (a few lines, no outside requests) reads the
  reader's own date, shows the first card whose date is today or later (or
  the "has ended" card) instead of the default, and writes "(next)" after the
  first date of each list or table that is today or later: a word, not a
  colour, so screen readers and print say it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Agenda, Program, Workspace
from ..model.schedule import survey_dates
from ..text.markdown import cell, table
from ..text.wording import format_words
from . import text as t
from .values import agenda_uri, ordered_programs, program_uri, session_schedule

DATES_ANCHOR = "dates"  # the heading "Dates" of the program page
COMING_UP = 3  # events and surveys a card lists after the next session


@dataclass(frozen=True)
class Dated:
    """One date of a program: a regular session, an event (milestone) or a survey window."""

    day: dt.date
    kind: str  # session | event | survey
    title: str  # "Session 3 of 12", "Kickoff", "Baseline survey"
    agenda_id: str | None = None
    agenda: Agenda | None = None
    minutes: int | None = None
    until: dt.date | None = None  # a survey's last day

    def what(self) -> str:
        """The title with its length or window, for a table cell or a list item."""
        if self.kind == "survey" and self.until:
            return f"{self.title}, open until {t.date(self.until)}"
        return f"{self.title} ({t.minutes(self.minutes)})" if self.minutes else self.title


KIND_ORDER = {"event": 0, "session": 1, "survey": 2}


def program_dates(ws: Workspace, program: Program) -> list[Dated]:
    """Every session, event and survey window of a program, by date (events first on a shared day)."""
    schedule = session_schedule(ws, program)
    out: list[Dated] = []
    for n, day, agenda, aid in schedule:
        title = "Mentoring session" if program.cadence.every == "once" else f"Session {n} of {len(schedule)}"
        out.append(Dated(day, "session", title, aid, agenda, program.cadence.session_minutes))
    for m in program.milestones:
        agenda = ws.agendas.get(m.agenda) if m.agenda else None
        out.append(Dated(m.date, "event", t.plain(m.title), m.agenda if agenda else None, agenda, m.minutes))
    for s in survey_dates(program):
        out.append(Dated(s.opens, "survey", t.plain(s.title), until=s.closes))
    return sorted(out, key=lambda d: (d.day, KIND_ORDER[d.kind], d.title))


def time_tag(day: dt.date, text: str | None = None) -> str:
    """A date the reader's browser can compare with today (dates.js): "Thursday 12 March 2026"."""
    return f'<time class="mk-date" datetime="{day.isoformat()}">{text or t.long_date(day)}</time>'


def _agenda_link(pid: str, item: Dated, page: str) -> str:
    if item.agenda is None or item.agenda_id is None:
        return ""
    return f"[{t.plain(item.agenda.meta.title)}]({t.relative(agenda_uri(pid, item.agenda_id), page)})"


def dates_table(ws: Workspace, pid: str, program: Program, page: str) -> str:
    """The program's every date, in order: Date, What, Agenda (the same dates as its calendar)."""
    rows = []
    for item in program_dates(ws, program):
        agenda = _agenda_link(pid, item, page) or ("your choice" if item.kind == "session" else "—")
        what = f"**{item.what()}**" if item.kind == "event" else item.what()
        rows.append([time_tag(item.day, t.short_weekday_date(item.day)), what, agenda])
    return table(["Date", "What", "Agenda"], rows)


def _prepare(item: Dated) -> list[str]:
    if item.agenda is None or not item.agenda.meta.prepare:
        return []
    return ["", "**To prepare:**", "", *[f"- {cell(line)}" for line in item.agenda.meta.prepare]]


def _card(ws: Workspace, pid: str, program: Program, page: str, ahead: list[Dated], title: str) -> list[str]:
    """One "coming up" card: the next session in full, then the next few events and surveys."""
    session = next((d for d in ahead if d.kind == "session"), None)
    out = ['<div class="admonition tip" markdown>', f'<p class="admonition-title">{title}</p>', ""]
    if session:
        agenda = _agenda_link(pid, session, page)
        out += [f"**{t.long_date(session.day)}**: {session.title.lower()}, "
                f"{t.minutes(program.cadence.session_minutes)}. {format_words(program.format).session_note}", ""]
        out += [f"**Agenda:** {agenda}" if agenda else "**Agenda:** your choice; the agendas are on the program page."]
        out += _prepare(session)
    else:
        out += ["The regular sessions are done."]
    others = [d for d in ahead if d.kind != "session"][:COMING_UP]
    if others:
        out += ["", "**Also coming up:**", ""]
        for d in others:
            agenda = _agenda_link(pid, d, page)
            out.append(f"- {t.long_date(d.day)}: {d.what()}" + (f", agenda: {agenda}" if agenda else ""))
    out += ["", f"[Every date of the program]({t.relative(program_uri(pid), page)}#{DATES_ANCHOR})", "", "</div>"]
    return out


def coming_up(ws: Workspace, pid: str, program: Program, page: str) -> str:
    """The program page's "Coming up": the first session for readers without scripts, a card per date for dates.js."""
    items = program_dates(ws, program)
    out = ["<div data-mk-next markdown>", "", '<div data-mk-default markdown>', ""]
    out += _card(ws, pid, program, page, items, "Your first session")
    out += ["", "</div>", ""]
    for day, card in _by_date(items, lambda ahead: _card(ws, pid, program, page, ahead, "Your next session")):
        out += [f'<div data-mk-date="{day.isoformat()}" hidden data-search-exclude markdown>', "", *card, "", "</div>", ""]
    out += ['<div data-mk-ended hidden data-search-exclude markdown>', "",
            '<div class="admonition note" markdown>', '<p class="admonition-title">The program has ended</p>', "",
            f"{t.plain(program.title)} ended on {t.date(program.timeline.end)}. Thank you for taking part.", "", "</div>", "",
            "</div>", "", "</div>"]
    return "\n".join(out)


def _by_date(items: list[Dated], render: Callable[[list[Dated]], list[str]]) -> list[tuple[dt.date, list[str]]]:
    """One rendering per date: what is ahead of a reader whose today is on or before it (and after the one before).

    Two dates in a row with the same text share one card, keyed by the later
    date: dates.js takes the first card whose date is today or later.
    """
    cards = [(day, render([d for d in items if d.day >= day])) for day in sorted({d.day for d in items})]
    return [(day, card) for n, (day, card) in enumerate(cards) if n + 1 == len(cards) or cards[n + 1][1] != card]


def _line(ws: Workspace, pid: str, program: Program, page: str, ahead: list[Dated], first: bool) -> str:
    """One program's line of the home page's "Coming up": its next session, then its next event or survey."""
    link = f"[{t.plain_title(program.title)}]({t.relative(program_uri(pid), page)})"
    session = next((d for d in ahead if d.kind == "session"), None)
    event = next((d for d in ahead if d.kind != "session"), None)
    entries: list[tuple[dt.date, int, str]] = []  # in date order: a kickoff the day before comes first
    if session:
        agenda = _agenda_link(pid, session, page)
        entries.append((session.day, 0, f"session **{t.long_date(session.day)}**" + (f", {agenda}" if agenda else "")))
    if event:
        when = f"open {t.date(event.day)} to {t.date(event.until)}" if event.until else t.long_date(event.day)
        entries.append((event.day, 1, f"{event.title}, {when}"))
    words = ["First" if first else "Next", "Then"]
    return f"**{link}:** " + " ".join(f"{words[n]}: {text}." for n, (_, _, text) in enumerate(sorted(entries)))


def _program_lines(ws: Workspace, pid: str, page: str) -> list[str]:
    """One program's group of the home page's "Coming up": the default line, one per date, the ended line."""
    program = ws.programs[pid]
    items = program_dates(ws, program)
    out = ["<div data-mk-next markdown>", "", "<div data-mk-default markdown>", "",
           _line(ws, pid, program, page, items, first=True), "", "</div>", ""]
    for day, line in _by_date(items, lambda ahead: [_line(ws, pid, program, page, ahead, first=False)]):
        out += [f'<div data-mk-date="{day.isoformat()}" hidden data-search-exclude markdown>', "", *line, "", "</div>", ""]
    out += ["<div data-mk-ended hidden data-search-exclude markdown>", "",
            f"**[{t.plain_title(program.title)}]({t.relative(program_uri(pid), page)}):** ended on "
            f"{t.date(program.timeline.end)}.", "", "</div>", "", "</div>", ""]
    return out


def site_coming_up(ws: Workspace, page: str) -> str:
    """The home page's "Coming up": each program's next session and next event, picked by dates.js."""
    out = ['<div class="admonition tip" markdown>', '<p class="admonition-title">Coming up</p>', ""]
    for pid in ordered_programs(ws):
        out += _program_lines(ws, pid, page)
    if not ws.programs:
        out += ["The first program's dates appear here as soon as it is planned.", ""]
    return "\n".join([*out, "</div>"])
