"""Calendar arithmetic the programs need: months later, the last day of a month."""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(d: dt.date) -> dt.date:
    """The last day of `d`'s month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month where that day does not exist)."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
