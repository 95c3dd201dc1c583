"""A program's milestones and session dates as iCalendar (RFC 5545).

One calendar per program, and one for all programs together:

- every milestone is an all-day event (`DTSTART;VALUE=DATE`): the program file
  gives a date, not a time, so the calendar does not invent one;
- every survey round (`surveys:` in the program file) is an all-day event on
  the day it opens, saying until when it is open;
- every regular session is an all-day event of its own, on the date `sessions`
  computes (the one source of session dates: the site lists the same ones),
  naming its number ("session 3 of 12") and its agenda; who agrees its time
  is worded for the program's format (`text.wording`), with an alarm at
  09:00 `reminder_days_before` days ahead (an all-day event starts at
  midnight, so a bare "-P3D" would ring in the night);
- a UID names the program, the event and the site (`uid_domain`, from the
  site's name), never the site's address: setting `site_url` later does not
  turn every event a subscriber imported into a duplicate;
- `SEQUENCE` is a fingerprint of the event's content (`content_sequence`): it
  stays the same from build to build until the event itself changes (its
  date, title, text, link or alarm), so calendar apps see a change only when
  there is one. `DTSTAMP` is the build time the caller passes (the site passes
  SOURCE_DATE_EPOCH); properties come in a fixed order, so the same program
  file and build time always give the byte-identical file.

The calendar is written with the `icalendar` package, never by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TypedDict, Unpack

from icalendar import Alarm, Calendar, Event

from . import __version__
from .model import Milestone, Program
from .model.dates import add_months, public_holidays
from .model.program import WEEKDAYS
from .model.schedule import survey_dates
from .text.wording import format_words

PRODID = f"-//mentorkit//mentorkit {__version__}//EN"
UID_DOMAIN = "mentorkit.invalid"  # a reserved name (RFC 2606) that can never clash with a real host
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # DTSTAMP when the caller gives no build time
UNSTABLE = (b"DTSTAMP", b"SEQUENCE")  # the lines left out of an event's fingerprint: they are not its content
ALARM_HOUR = 9  # reminders ring at 09:00 local time

# cadence -> (unit, step): sessions fall every `step` weeks or months from the start
RECURRENCE: dict[str, tuple[str, int]] = {
    "weekly": ("weeks", 1),
    "fortnightly": ("weeks", 2),
    "monthly": ("months", 1),
    "quarterly": ("months", 3),
}

CADENCE_NOUN = {"weekly": "weekly", "fortnightly": "fortnightly", "monthly": "monthly", "quarterly": "quarterly",
                "once": "single"}


@dataclass(frozen=True)
class SessionSeries:
    """The regular sessions of a program: every date, in order (never empty for a valid program)."""

    dates: tuple[dt.date, ...]

    @property
    def first(self) -> dt.date:
        return self.dates[0]


def _nominal(program: Program) -> list[dt.date]:
    """The dates the cadence gives before the weekday rule: start, start + one step, ... up to the end."""
    start, end = program.timeline.start, program.timeline.end
    if program.cadence.every not in RECURRENCE:
        return [start]
    unit, step = RECURRENCE[program.cadence.every]
    out: list[dt.date] = []
    n = 0
    while True:
        d = start + dt.timedelta(weeks=n * step) if unit == "weeks" else add_months(start, n * step)
        if d > end:
            return out
        out.append(d)
        n += 1


def sessions(program: Program) -> SessionSeries:
    """The regular session dates: on the cadence from the start, each moved to a working day.

    A date that falls on a day outside `cadence.weekdays` (Monday to Friday by
    default), on a milestone's day (so never on the kickoff) or on a day of
    `closed_days` (public holidays, closing days) moves to the next day that is
    none of these; a date moved past the program's end, or onto the
    previous session, is dropped. Monthly sessions keep the start's day of the
    month where it exists (31 January -> 28 February -> 31 March).
    """
    allowed = {WEEKDAYS.index(day) for day in program.cadence.weekdays}
    busy = {m.date for m in program.milestones} | set(closed_days(program))
    end = program.timeline.end
    dates: list[dt.date] = []
    for d in _nominal(program):
        while d.weekday() not in allowed or d in busy:
            d += dt.timedelta(days=1)
        if d <= end and (not dates or d > dates[-1]):
            dates.append(d)
    if not dates:  # a program shorter than a week with every day taken: keep its start rather than nothing
        dates.append(program.timeline.start)
    return SessionSeries(tuple(dates))


def closed_days(program: Program) -> dict[dt.date, str]:
    """Days without sessions (`holidays:` in the program file), from the start to the end: date -> name."""
    setting = program.holidays
    if setting is None:
        return {}
    start, end = program.timeline.start, program.timeline.end
    days: dict[dt.date, str] = {}
    if setting.country:
        # a month past the end: a session moved off the last day would otherwise land on a holiday after it
        days.update(public_holidays(setting.country, setting.subdivision, start, add_months(end, 1)))
    for d in setting.dates:
        days.setdefault(d, "closing day")
    return dict(sorted(days.items()))


def session_agendas(program: Program, count: int) -> list[str | None]:
    """The agenda of each of `count` sessions: the session plan in order, then its agendas after the first in turn.

    The first agenda (the first meeting) happens once; after the plan runs out,
    its other agendas serve the later sessions in turn (a one-agenda plan repeats
    it). Without a plan, pairs choose (None).
    """
    plan = list(program.session_plan)
    if not plan:
        return [None] * count
    later = plan[1:] or plan
    return [plan[n] if n < len(plan) else later[(n - len(plan)) % len(later)] for n in range(count)]


def milestone_uid(program_id: str, milestone: Milestone, domain: str = UID_DOMAIN) -> str:
    return f"{program_id}-{milestone.id}@{domain}"


def session_uid(program_id: str, number: int, domain: str = UID_DOMAIN) -> str:
    return f"{program_id}-session-{number}@{domain}"


def uid_domain(site_name: str | None) -> str:
    """The right-hand side of every UID: the site's name as a label under mentorkit.invalid.

    Two organisations' programs may share an id (the starter's "mentoring-2027"),
    so the UID names the site; it takes the site's *name*, which is set once
    when the repository is made, not its address, which is often filled in
    later (and would then change every UID).
    """
    label = re.sub(r"[^a-z0-9]+", "-", (site_name or "").lower()).strip("-")[:50].strip("-")
    return f"{label}.{UID_DOMAIN}" if label else UID_DOMAIN


def content_sequence(event: Event) -> int:
    """SEQUENCE from the event's own content: the same number until the event changes.

    The site keeps no history of its events, so it cannot count revisions; the
    first 28 bits of a SHA-256 over the event as written (without DTSTAMP and
    SEQUENCE themselves) give a number that is stable across builds and
    changes whenever the date, title, description, link or alarm does. It is
    not ordered (a change may give a lower number); calendar apps that
    subscribe replace the events they read, and DTSTAMP, the build time, tells
    a newer copy of the same event from an older one.
    """
    lines = [line for line in event.to_ical().splitlines() if not line.startswith(UNSTABLE)]
    return int(hashlib.sha256(b"\n".join(lines)).hexdigest()[:7], 16)


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
    stamp: dt.datetime | None
    uid_domain: str


def _common(event: Event, uid: str, stamp: dt.datetime, day: dt.date, summary: str) -> None:
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)


def _finish(event: Event, description: list[str], url: str | None, category: str, days_before: int,
            alarm_text: str) -> None:
    if url:
        description.append(url)
    event.add("description", "\n".join(description))
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    _alarm(event, days_before, alarm_text)
    event.add("sequence", content_sequence(event))  # last: the fingerprint covers everything above


def program_events(program_id: str, program: Program, *, agenda_titles: dict[str, str] | None = None,
                   base_url: str | None = None, page_urls: dict[str, str] | None = None,
                   stamp: dt.datetime | None = None, uid_domain: str = UID_DOMAIN) -> list[Event]:
    """The VEVENTs of one program: its milestones in date order, its survey rounds, then its sessions in order.

    `agenda_titles` maps agenda ids to titles (for descriptions); `page_urls`
    maps "program" and agenda ids to site paths, made absolute with `base_url`
    when the site's address is known (relative URLs mean nothing in a calendar);
    `stamp` is the build time (DTSTAMP).
    """
    agenda_titles = agenda_titles or {}
    name = short_title(program.title)
    page_urls = page_urls or {}
    stamp = stamp or EPOCH
    days_before = program.cadence.reminder_days_before
    events: list[Event] = []
    for milestone in sorted(program.milestones, key=lambda m: (m.date, m.id)):
        event = Event()
        _common(event, milestone_uid(program_id, milestone, uid_domain), stamp, milestone.date,
                f"{name}: {milestone.title}")
        lines = [f"{milestone.title}. {program.title}."]
        if milestone.minutes:
            lines.append(f"Length: {_minutes_text(milestone.minutes)}. The time is announced by the program coordinator.")
        if milestone.agenda:
            lines.append(f"Agenda: {agenda_titles.get(milestone.agenda, milestone.agenda)}.")
        url = _url(base_url, page_urls.get(milestone.agenda or "", "") or page_urls.get("program", ""))
        _finish(event, lines, url, milestone.kind.value, days_before, f"{name}: {milestone.title}")
        events.append(event)

    for survey in survey_dates(program):
        event = Event()
        _common(event, f"{program_id}-{survey.id}@{uid_domain}", stamp, survey.opens, f"{name}: {survey.title}")
        lines = [f"{survey.title} of {program.title}: open from {survey.opens.isoformat()} to "
                 f"{survey.closes.isoformat()}. The coordinator sends the link; it takes a few minutes."]
        _finish(event, lines, _url(base_url, page_urls.get("program", "")), "survey", days_before,
                f"{name}: {survey.title}")
        events.append(event)

    dates = sessions(program).dates
    noun = CADENCE_NOUN.get(program.cadence.every, program.cadence.every)
    minutes = program.cadence.session_minutes
    words = format_words(program.format)
    for number, (day, agenda) in enumerate(zip(dates, session_agendas(program, len(dates)), strict=True), start=1):
        event = Event()
        count = f"session {number} of {len(dates)}"
        _common(event, session_uid(program_id, number, uid_domain), stamp, day,
                f"{name}: mentoring {count} ({minutes} min)")
        lines = [f"{program.title}: mentoring {count}, {_minutes_text(minutes)}, due around this date "
                 f"({noun} sessions). {words.session_note}"]
        if agenda:
            lines.append(f"Agenda: {agenda_titles.get(agenda, agenda)}.")
        url = _url(base_url, page_urls.get(agenda or "", "") or page_urls.get("program", ""))
        _finish(event, lines, url, "session", days_before, f"{name}: mentoring {count}")
        events.append(event)
    return events


def _alarm(event: Event, days_before: int, text: str) -> None:
    """A reminder at 09:00 `days_before` days ahead (the trigger counts from the all-day event's midnight)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", dt.timedelta(days=-days_before, hours=ALARM_HOUR))
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


def calendar_name(program: Program) -> str:
    """"Grow mentoring"; a title that already says mentoring ("Mentoring 2027") is not repeated."""
    name = short_title(program.title)
    return name if "mentoring" in name.lower() else f"{name} mentoring"


def program_calendar(program_id: str, program: Program, **options: Unpack[EventOptions]) -> Calendar:
    cal = _calendar(calendar_name(program), f"Milestones and session reminders: {program.title}.")
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
    text: bytes = cal.to_ical()  # icalendar declares no return type
    return text


def event_count(program: Program) -> int:
    """Number of VEVENTs in a program's calendar: one per milestone, per survey round and per session."""
    return len(program.milestones) + len(program.surveys) + len(sessions(program).dates)
