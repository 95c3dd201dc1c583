"""Meeting times that never clash: a slot inside everyone's working day, on a meeting day, free in everyone's diary.

The kit proposes meetings (first meetings in `intros`) for people who may have several partners: a mentor with
three mentees, a "both" sign-up who is a mentee in one pair and a mentor in another, someone in two programs.
Each proposed meeting is kept in the private folder's diary (``meetings-booked.csv``: the meeting, its people as
pseudonyms, start and end in UTC), and a new one is placed only where none of its people already has a meeting
(with a quarter of an hour between two meetings of one person), so a person never gets two invitations at one time,
in one batch or across batches.

A slot lies:

- on one of the program's meeting weekdays (``cadence.weekdays``: the working days by default) and never on a
  milestone's day (program events);
- inside every person's working hours, each in their own time zone: their own (``working_hours`` in
  participants.csv, from the sign-up) or else the program's (``cadence.working_hours``, 09:00-17:00 unless the
  program says otherwise), so the meeting falls in the part of the day all of them share;
- nearest the preferred time of day (in the first person's zone) on the earliest day that has a free slot.

When no time within the search window fits (the hours do not overlap long enough, or every shared time is
taken), the slot says so and why, and the invitation asks the people to agree a time: nothing is refused.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Participant, Program
from ..model.program import WEEKDAYS as DAY_IDS
from ..repo.atomic import write_atomic
from .pseudonyms import csv_text, read_private_csv

STEP = dt.timedelta(minutes=15)  # meeting times are proposed on the quarter hour
GAP = dt.timedelta(minutes=15)  # between two meetings of one person
SEARCH_DAYS = 42  # how far past the wanted day a free slot is looked for
DIARY_FILE = "meetings-booked.csv"
DIARY_COLUMNS = ("program", "meeting", "people", "start_utc", "end_utc")


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    """'HH:MM-HH:MM' (as the program file and participants.csv store it) as (start, end)."""
    start, end = text.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def working_hours(program: Program) -> tuple[dt.time, dt.time]:
    """The program's working day, ``cadence.working_hours`` as (start, end)."""
    return parse_hours(program.cadence.working_hours)


@dataclass(frozen=True)
class Workday:
    """When one person can meet: their working hours in their own time zone."""

    zone: str
    start: dt.time
    end: dt.time

    def span(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M} in {self.zone}"


def workday(program: Program, participant: Participant | None, zone: str = "UTC") -> Workday:
    """A person's working day: their own hours from the sign-up (``working_hours``), else the program's."""
    if participant is None:
        return Workday(zone, *working_hours(program))
    return Workday(participant.time_zone, *parse_hours(participant.working_hours or program.cadence.working_hours))


@dataclass(frozen=True)
class Booking:
    program: str
    meeting: str  # e.g. intro-pilot-<mentee>-<mentor>: one proposed meeting, booked once
    people: tuple[str, ...]  # pseudonyms
    start: dt.datetime  # UTC
    end: dt.datetime

    def row(self) -> tuple[str, ...]:
        return (self.program, self.meeting, ";".join(self.people), self.start.isoformat(), self.end.isoformat())


@dataclass
class Diary:
    """Every meeting the kit has proposed, by person: the record in the private folder plus this run's."""

    bookings: list[Booking] = field(default_factory=list)

    @classmethod
    def read(cls, private_dir: Path) -> Diary:
        path = private_dir / DIARY_FILE
        if not path.is_file():
            return cls()
        return cls([Booking(r["program"], r["meeting"], tuple(r["people"].split(";")),
                            dt.datetime.fromisoformat(r["start_utc"]), dt.datetime.fromisoformat(r["end_utc"]))
                    for r in read_private_csv(path, DIARY_COLUMNS)])

    def write(self, private_dir: Path) -> None:
        rows = sorted(b.row() for b in self.bookings)
        write_atomic(private_dir / DIARY_FILE, csv_text(DIARY_COLUMNS, rows), private=True)

    def forget(self, meeting: str) -> None:
        """Drop a meeting (it is being proposed again)."""
        self.bookings = [b for b in self.bookings if b.meeting != meeting]

    def busy(self, people: Iterable[str]) -> list[tuple[dt.datetime, dt.datetime]]:
        who = set(people)
        return [(b.start, b.end) for b in self.bookings if who.intersection(b.people)]

    def book(self, booking: Booking) -> None:
        self.forget(booking.meeting)
        self.bookings.append(booking)


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # in the first person's time zone
    fits: bool  # inside every person's working day and free for everyone
    warning: str = ""


def _day_windows(day: dt.date, people: Sequence[Workday],
                 length: dt.timedelta) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans of the first person's `day` that lie inside every person's working hours."""
    def hours(d: dt.date, who: Workday) -> tuple[dt.datetime, dt.datetime]:
        tz = zoneinfo.ZoneInfo(who.zone)
        return dt.datetime.combine(d, who.start, tzinfo=tz), dt.datetime.combine(d, who.end, tzinfo=tz)

    windows = [hours(day, people[0])]
    for who in people[1:]:  # the other person's working days that touch the first person's day
        theirs = [hours(day + dt.timedelta(days=k), who) for k in (-1, 0, 1)]
        windows = [(max(a0, b0), min(a1, b1)) for a0, a1 in windows for b0, b1 in theirs
                   if max(a0, b0) + length <= min(a1, b1)]
    return windows


def _is_meeting_day(program: Program, day: dt.date) -> bool:
    return DAY_IDS[day.weekday()] in program.cadence.weekdays and day not in {m.date for m in program.milestones}


def _free(start: dt.datetime, end: dt.datetime, busy: Sequence[tuple[dt.datetime, dt.datetime]]) -> bool:
    return all(end + GAP <= b0 or b1 + GAP <= start for b0, b1 in busy)


def find_slot(program: Program, day: dt.date, people: Sequence[Workday], minutes: int, preferred: dt.time,
              busy: Sequence[tuple[dt.datetime, dt.datetime]] = ()) -> Slot:
    """The first meeting day on or after `day` with a time inside everyone's working hours that is free in every
    diary, nearest `preferred` on that day; a slot that does not fit (with the reason) when there is none."""
    length = dt.timedelta(minutes=minutes)
    first = zoneinfo.ZoneInfo(people[0].zone)
    overlap = False
    for offset in range(SEARCH_DAYS + 1):
        moved = day + dt.timedelta(days=offset)
        if moved > program.timeline.end:
            break
        if not _is_meeting_day(program, moved):
            continue
        want = dt.datetime.combine(moved, preferred, tzinfo=first)
        starts = []
        for lo, hi in _day_windows(moved, people, length):
            overlap = True
            t = lo
            while t + length <= hi:
                if _free(t, t + length, busy):
                    starts.append(t.astimezone(first))
                t += STEP
        if starts:
            return Slot(min(starts, key=lambda s: (abs((s - want).total_seconds()), s)), True)
    want = dt.datetime.combine(day, preferred, tzinfo=first)
    if not overlap:
        zones = ", ".join(dict.fromkeys(p.zone for p in people))
        hours = list(dict.fromkeys(p.span() for p in people))
        what = (f"the working days ({people[0].start:%H:%M}-{people[0].end:%H:%M}) in {zones}"
                if len({(p.start, p.end) for p in people}) == 1
                else f"the working hours {', '.join(hours[:-1])} and {hours[-1]}")
        return Slot(want, False, f"{what} do not overlap by {minutes} minutes: agree a time that suits everyone")
    return Slot(want, False, "no time in the next weeks is free for everyone: agree a time that suits everyone")


__all__ = ["DIARY_FILE", "Booking", "Diary", "Slot", "Workday", "find_slot", "parse_hours", "workday", "working_hours"]
