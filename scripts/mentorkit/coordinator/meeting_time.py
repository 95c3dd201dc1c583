"""A meeting's time as each person reads it, in their own time zone (the time itself is found by `slots`)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from ..text.dates import day_month_year
from .mail import Person


def time_in_zones(start: dt.datetime, people: Sequence[Person]) -> str:
    """"14:30 (Asia/Kolkata) / 09:00 (Europe/London)", each zone once, with the date where it differs."""
    shown = []
    for zone in dict.fromkeys(p.time_zone for p in people):
        local = start.astimezone(zoneinfo.ZoneInfo(zone))
        shown.append(f"{local.strftime('%H:%M')} ({zone})"
                     + ("" if local.date() == start.date() else f" on {day_month_year(local.date())}"))
    return " / ".join(shown)
