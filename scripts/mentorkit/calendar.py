"""A program's milestones and meeting cadence as iCalendar (RFC 5545).

One calendar per program, and one for all programs together:

- every milestone is an all-day event (`DTSTART;VALUE=DATE`): the program file
  gives a date, not a time, so the calendar does not invent one;
- the regular mentoring sessions are one recurring all-day event whose `RRULE`
  follows the cadence (weekly, every two weeks, monthly, quarterly) until the
  program ends; each pair agrees its own time, the event is the reminder that
  a session is due, with an alarm `reminder_days_before` days ahead;
- nothing depends on the clock: UIDs are `<program>-<milestone>@mentorkit`,
  `DTSTAMP` is the program's start date (midnight UTC), properties come in a
  fixed order, so the same program file always gives the byte-identical file.

The calendar is written with the `icalendar` package, never by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict, Unpack

from icalendar import Alarm, Calendar, Event

from . import __version__
from .model import Milestone, Program
from .model.dates import add_months, month_end

PRODID = f"-//mentorkit//mentorkit {__version__}//EN"
UID_DOMAIN = "mentorkit"

# cadence -> (RRULE FREQ, INTERVAL); "once" has no recurrence
RECURRENCE: dict[str, tuple[str, int]] = {
    "weekly": ("WEEKLY", 1),
    "fortnightly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3),
}

CADENCE_NOUN = {"weekly": "weekly", "fortnightly": "fortnightly", "monthly": "monthly", "quarterly": "quarterly",
                "once": "single"}


@dataclass(frozen=True)
class SessionSeries:
    """The regular sessions of a program: first date, recurrence, every date it expands to."""

    first: dt.date
    until: dt.date
    freq: str | None  # None for a single session
    interval: int
    last_day_of_month: bool  # monthly rules on day 29-31 fall on each month's last day
    dates: tuple[dt.date, ...]

    @property
    def rrule(self) -> dict | None:
        if self.freq is None:
            return None
        rule: dict = {"freq": self.freq}
        if self.interval != 1:
            rule["interval"] = self.interval
        if self.last_day_of_month:
            rule["bymonthday"] = -1
        rule["until"] = self.until
        return rule


def _add_months(d: dt.date, months: int, last_day: bool) -> dt.date:
    later = add_months(d, months)
    return month_end(later) if last_day else later


def sessions(program: Program) -> SessionSeries:
    """The regular session dates: from the program's start, on its cadence, until its end (inclusive).

    Monthly and quarterly sessions keep the start's day of the month; a start on
    the 29th, 30th or 31st moves them to the last day of each month (an RRULE on
    day 31 would silently skip the shorter months).
    """
    start, end = program.timeline.start, program.timeline.end
    every = program.cadence.every
    if every not in RECURRENCE:
        return SessionSeries(start, end, None, 1, False, (start,))
    freq, interval = RECURRENCE[every]
    dates: list[dt.date] = []
    if freq == "WEEKLY":
        d = start
        while d <= end:
            dates.append(d)
            d += dt.timedelta(weeks=interval)
        return SessionSeries(start, end, freq, interval, False, tuple(dates))
    last_day = start.day > 28
    first = _add_months(start, 0, last_day)
    n = 0
    while (d := _add_months(first, n * interval, last_day)) <= end:
        dates.append(d)
        n += 1
    return SessionSeries(first, end, freq, interval, last_day, tuple(dates))


def milestone_uid(program_id: str, milestone: Milestone) -> str:
    return f"{program_id}-{milestone.id}@{UID_DOMAIN}"


def sessions_uid(program_id: str) -> str:
    return f"{program_id}-sessions@{UID_DOMAIN}"


def _stamp(program: Program) -> dt.datetime:
    start = program.timeline.start
    return dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)


def short_title(title: str) -> str:
    """The part of a title before a dash: "Grow — one-to-one mentoring" -> "Grow"."""
    for dash in (" — ", " – ", " - "):
        if dash in title and title.split(dash, 1)[0].strip():
            return title.split(dash, 1)[0].strip()
    return title


def _minutes_text(minutes: int) -> str:
    return f"{minutes} minutes"


def _url(base_url: str | None, path: str) -> str | None:
    if not base_url:
        return None
    return base_url.rstrip("/") + "/" + path.lstrip("/")


class EventOptions(TypedDict, total=False):
    """The keyword arguments of `program_events`, as `program_calendar` and `combined_calendar` pass them on."""

    agenda_titles: dict[str, str] | None
    base_url: str | None
    page_urls: dict[str, str] | None


def program_events(program_id: str, program: Program, *, agenda_titles: dict[str, str] | None = None,
                   base_url: str | None = None, page_urls: dict[str, str] | None = None) -> list[Event]:
    """The VEVENTs of one program: its milestones in date order, then the session series.

    `agenda_titles` maps agenda ids to titles (for descriptions); `page_urls`
    maps "program" and agenda ids to site paths, made absolute with `base_url`
    when the site's address is known (relative URLs mean nothing in a calendar).
    """
    agenda_titles = agenda_titles or {}
    name = short_title(program.title)
    page_urls = page_urls or {}
    stamp = _stamp(program)
    events: list[Event] = []
    for milestone in sorted(program.milestones, key=lambda m: (m.date, m.id)):
        event = Event()
        event.add("uid", milestone_uid(program_id, milestone))
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.date)
        event.add("dtend", milestone.date + dt.timedelta(days=1))
        event.add("summary", f"{name}: {milestone.title}")
        lines = [f"{milestone.title}. {program.title}."]
        if milestone.minutes:
            lines.append(f"Length: {_minutes_text(milestone.minutes)}. The time is announced by the program coordinator.")
        if milestone.agenda:
            lines.append(f"Agenda: {agenda_titles.get(milestone.agenda, milestone.agenda)}.")
        url = _url(base_url, page_urls.get(milestone.agenda or "", "") or page_urls.get("program", ""))
        if url:
            lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("categories", [milestone.kind.value])
        event.add("transp", "TRANSPARENT")
        if url:
            event.add("url", url)
        _alarm(event, program.cadence.reminder_days_before, f"{name}: {milestone.title}")
        events.append(event)

    series = sessions(program)
    noun = CADENCE_NOUN.get(program.cadence.every, program.cadence.every)
    minutes = program.cadence.session_minutes
    event = Event()
    event.add("uid", sessions_uid(program_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", series.first)
    event.add("dtend", series.first + dt.timedelta(days=1))
    if series.rrule:
        event.add("rrule", series.rrule)
    event.add("summary", f"{name}: {noun} mentoring session ({minutes} min)")
    text = (f"A {noun} mentoring session of {_minutes_text(minutes)} is due around this date. "
            "Agree the exact time with your mentor or mentee; the session agendas are on the program site.")
    url = _url(base_url, page_urls.get("program", ""))
    event.add("description", text + (f"\n{url}" if url else ""))
    event.add("categories", ["session"])
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    _alarm(event, program.cadence.reminder_days_before, f"{name}: {noun} mentoring session")
    events.append(event)
    return events


def _alarm(event: Event, days_before: int, text: str) -> None:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -dt.timedelta(days=days_before))
    event.add_component(alarm)


def _calendar(name: str, description: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # the de-facto name most clients show
    cal.add("description", description)  # RFC 7986
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "P1D")
    return cal


def program_calendar(program_id: str, program: Program, **options: Unpack[EventOptions]) -> Calendar:
    cal = _calendar(f"{short_title(program.title)} mentoring", f"Milestones and session reminders: {program.title}.")
    for event in program_events(program_id, program, **options):
        cal.add_component(event)
    return cal


def combined_calendar(programs: dict[str, Program], name: str = "Mentoring programs", *,
                      options: dict[str, EventOptions] | None = None) -> Calendar:
    """Every program's events in one calendar (programs in id order); `options[id]` are `program_events` kwargs."""
    cal = _calendar(name, "Milestones and session reminders of every mentoring program.")
    for program_id in sorted(programs):
        for event in program_events(program_id, programs[program_id], **(options or {}).get(program_id, {})):
            cal.add_component(event)
    return cal


def to_ics(cal: Calendar) -> bytes:
    """The calendar as RFC 5545 text (CRLF line ends, folded lines)."""
    return cal.to_ical()


def event_count(program: Program) -> int:
    """Number of VEVENTs in a program's calendar: one per milestone, one for the session series."""
    return len(program.milestones) + 1
