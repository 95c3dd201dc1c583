"""Calendar arithmetic the programs need: months later, the last day of a month, public holidays.

Public holidays come from the `holidays` library (maintained, offline: its rules
ship with the package, so a build needs no network); the lock files pin its
version, so the same program gives the same dates on every machine.
"""

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


def check_holiday_region(country: str, subdivision: str | None) -> None:
    """ValueError, in the coordinator's words, unless `holidays` knows the country (and region)."""
    import holidays

    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(f"holidays: the country '{country}' has no public-holiday calendar here; use an ISO 3166 "
                         "code such as DE, FR, GB or US, or list the days under dates:")
    regions = [r for r in supported[country] if r.isupper() or r.isdigit()]  # codes, not city names
    if subdivision and subdivision not in supported[country]:
        raise ValueError(f"holidays: '{subdivision}' is not a region of {country}; use one of "
                         f"{', '.join(regions[:40])}, or leave subdivision out for the national holidays only")


def public_holidays(country: str, subdivision: str | None, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The public holidays of `country` (and `subdivision`) from `first` to `last`: date -> name, in English."""
    import holidays

    days = holidays.country_holidays(country, subdiv=subdivision, years=range(first.year, last.year + 1),
                                     language="en_US")
    return {d: str(name) for d, name in sorted(days.items()) if first <= d <= last}
