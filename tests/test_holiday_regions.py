"""model/dates.py: a program's holiday country is checked against one country's rules, not all 250 of them."""

import holidays
import pytest

from mentorkit.model.dates import check_holiday_region, supported_regions


def test_every_country_and_its_regions_as_the_full_list_gives_them():
    full = holidays.list_supported_countries()
    assert len(full) > 200
    for country, regions in full.items():
        assert supported_regions(country) == regions, country


@pytest.mark.parametrize("name", ["Germany", "utils", "de", "ECB", "XNYS", "", "ZZ", "country_holidays"])
def test_what_is_not_a_country_code_is_unknown(name):
    assert name not in holidays.list_supported_countries()
    assert supported_regions(name) is None
    with pytest.raises(ValueError, match="has no public-holiday calendar"):
        check_holiday_region(name, None)


def test_an_unknown_region_names_the_countrys_regions():
    check_holiday_region("DE", "BY")
    with pytest.raises(ValueError, match="'XX' is not a region of DE; use one of BB, BE, BW, BY"):
        check_holiday_region("DE", "XX")
