"""Calendar arithmetic the programs need: months later, the last day of a month, public holidays.

Public holidays come from the `holidays` library (maintained, offline: its rules
ship with the package, so a build needs no network); the lock files pin its
version, so the same program gives the same dates on every machine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
from functools import cache
from pathlib import Path


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
    if country not in _country_codes():
        raise ValueError(f"holidays: the country '{country}' has no public-holiday calendar here; use an ISO 3166 "
                         "code such as DE, FR, GB or US, or list the days under dates:")
    if subdivision is None:
        return
    subdivisions = _subdivisions(country)
    if subdivision not in subdivisions:
        regions = [r for r in subdivisions if r.isupper() or r.isdigit()]  # codes, not city names
        raise ValueError(f"holidays: '{subdivision}' is not a region of {country}; use one of "
                         f"{', '.join(regions[:40])}, or leave subdivision out for the national holidays only")


# Every program file that names a country is checked at every load (validate, match, metrics), so the check reads
# what it needs without `holidays.countries`: that package imports the rules of all 250 countries (0.08 s) to use one.

@cache
def _country_codes() -> frozenset[str]:
    """Every country code `holidays` has a calendar for (aliases such as UK and DEU too), from its registry."""
    import holidays
    from holidays.registry import EntityLoader

    codes = getattr(EntityLoader, "get_country_codes", None)
    if codes is None:  # a release without the registry's listing: the complete list, which loads every country
        return frozenset(holidays.list_supported_countries())
    return frozenset(codes(include_aliases=True))


@cache
def _subdivisions(country: str) -> tuple[str, ...]:
    """The region codes (and aliases) of a country `holidays` knows: its own module run on its own, not the
    package of all countries; the package's answer if that fails (a release laid out differently)."""
    import holidays

    try:
        from holidays.registry import COUNTRIES

        module, class_name = next((module, names[0]) for module, names in COUNTRIES.items() if country in names[1:])
        spec = importlib.util.spec_from_file_location(
            f"holidays.countries.{module}", Path(holidays.__file__).parent / "countries" / f"{module}.py")
        if spec is None or spec.loader is None:
            raise ImportError(module)
        rules = importlib.util.module_from_spec(spec)  # not registered in sys.modules: the real import is unchanged
        spec.loader.exec_module(rules)
        return tuple(getattr(rules, class_name).subdivisions)
    except Exception:  # any surprise in that layout: ask the package the ordinary way
        return tuple(getattr(holidays, country).subdivisions)


def public_holidays(country: str, subdivision: str | None, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The public holidays of `country` (and `subdivision`) from `first` to `last`: date -> name, in English."""
    import holidays

    days = holidays.country_holidays(country, subdiv=subdivision, years=range(first.year, last.year + 1),
                                     language="en_US")
    return {d: str(name) for d, name in sorted(days.items()) if first <= d <= last}
