"""Dates in words, as every reader writes them: "7 December 2026", "Monday 7 December 2026" (English names)."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_month_year(d: dt.date) -> str:
    """"7 December 2026"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def weekday_day_month_year(d: dt.date) -> str:
    """"Monday 7 December 2026": the weekday too, for a date someone has to keep free."""
    return f"{WEEKDAYS[d.weekday()]} {day_month_year(d)}"
