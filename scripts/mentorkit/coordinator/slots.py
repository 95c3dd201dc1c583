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
- inside every person's working hours (``cadence.working_hours``, 09:00-17:00 unless the program says otherwise),
  each in their own time zone;
- nearest the preferred time of day (in the first person's zone) on the earliest day that has a free slot.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Program
from ..model.program import WEEKDAYS as DAY_IDS
from ..repo.atomic import write_atomic
from .pseudonyms import csv_text, read_private_csv

STEP = dt.timedelta(minutes=15)  # meeting times are proposed on the quarter hour
GAP = dt.timedelta(minutes=15)  # between two meetings of one person
SEARCH_DAYS = 42  # how far past the wanted day a free slot is looked for
DIARY_FILE = "meetings-booked.csv"
DIARY_COLUMNS = ("program", "meeting", "people", "start_utc", "end_utc")


def working_hours(program: Program) -> tuple[dt.time, dt.time]:
    """The program's working day, ``cadence.working_hours`` as (start, end)."""
    start, end = program.cadence.working_hours.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


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


def _day_windows(day: dt.date, zones: Sequence[str], hours: tuple[dt.time, dt.time],
                 length: dt.timedelta) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans of the first person's `day` that lie inside every person's working hours."""
    def workday(d: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
        tz = zoneinfo.ZoneInfo(zone)
        return dt.datetime.combine(d, hours[0], tzinfo=tz), dt.datetime.combine(d, hours[1], tzinfo=tz)

    windows = [workday(day, zones[0])]
    for zone in zones[1:]:  # the other person's working days that touch the first person's day
        theirs = [workday(day + dt.timedelta(days=k), zone) for k in (-1, 0, 1)]
        windows = [(max(a0, b0), min(a1, b1)) for a0, a1 in windows for b0, b1 in theirs
                   if max(a0, b0) + length <= min(a1, b1)]
    return windows


def _is_meeting_day(program: Program, day: dt.date) -> bool:
    return DAY_IDS[day.weekday()] in program.cadence.weekdays and day not in {m.date for m in program.milestones}


def _free(start: dt.datetime, end: dt.datetime, busy: Sequence[tuple[dt.datetime, dt.datetime]]) -> bool:
    return all(end + GAP <= b0 or b1 + GAP <= start for b0, b1 in busy)


def find_slot(program: Program, day: dt.date, zones: Sequence[str], minutes: int, preferred: dt.time,
              busy: Sequence[tuple[dt.datetime, dt.datetime]] = ()) -> Slot:
    """The first meeting day on or after `day` with a time inside everyone's working hours that is free in every
    diary, nearest `preferred` on that day; a slot that does not fit (with the reason) when there is none."""
    hours = working_hours(program)
    length = dt.timedelta(minutes=minutes)
    first = zoneinfo.ZoneInfo(zones[0])
    overlap = False
    for offset in range(SEARCH_DAYS + 1):
        moved = day + dt.timedelta(days=offset)
        if moved > program.timeline.end:
            break
        if not _is_meeting_day(program, moved):
            continue
        want = dt.datetime.combine(moved, preferred, tzinfo=first)
        starts = []
        for lo, hi in _day_windows(moved, zones, hours, length):
            overlap = True
            t = lo
            while t + length <= hi:
                if _free(t, t + length, busy):
                    starts.append(t.astimezone(first))
                t += STEP
        if starts:
            return Slot(min(starts, key=lambda s: (abs((s - want).total_seconds()), s)), True)
    want = dt.datetime.combine(day, preferred, tzinfo=first)
    span = f"{hours[0].strftime('%H:%M')}-{hours[1].strftime('%H:%M')}"
    if not overlap:
        return Slot(want, False, f"the working days ({span}) in {', '.join(dict.fromkeys(zones))} do not overlap "
                                 f"by {minutes} minutes: agree a time that suits everyone")
    return Slot(want, False, "no time in the next weeks is free for everyone: agree a time that suits everyone")


__all__ = ["DIARY_FILE", "Booking", "Diary", "Slot", "find_slot", "working_hours"]
