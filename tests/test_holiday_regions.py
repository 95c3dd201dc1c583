"""The check of a program's `holidays:` country and region reads one country's rules, not all 250, and answers as
the `holidays` package does (its own listing is the reference)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from mentorkit.model.dates import _country_codes, _subdivisions, check_holiday_region

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_the_country_codes_are_the_packages():
    assert _country_codes() == set(holidays.list_supported_countries())


def test_every_countrys_regions_are_the_packages():
    for country, regions in holidays.list_supported_countries().items():
        assert list(_subdivisions(country)) == regions, country


@pytest.mark.parametrize(("country", "subdivision", "message"), [
    ("DE", "BE", None), ("DE", "Augsburg", None), ("UK", None, None), ("DEU", "BY", None), ("US", "CA", None),
    ("XX", None, "'XX' has no public-holiday calendar"), ("DE", "CA", "'CA' is not a region of DE; use one of BB, BE"),
    ("FR", "ZZ", "'ZZ' is not a region of FR"),
])
def test_regions_are_accepted_and_refused_by_the_packages_lists(country, subdivision, message):
    if message is None:
        check_holiday_region(country, subdivision)
    else:
        with pytest.raises(ValueError, match=message):
            check_holiday_region(country, subdivision)


def test_checking_a_region_loads_one_countrys_rules():
    probe = ("import sys\nfrom mentorkit.model.dates import check_holiday_region\n"
             "check_holiday_region('DE', 'BE')\n"
             "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))")
    done = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"  # Germany's rules ran on their own; the package of every country was not loaded
