"""Dates as form tools and spreadsheets write them: ISO, US (M/D/YYYY h:mm:ss AM/PM), European (D.M.YYYY, D/M/YYYY)."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit.coordinator.answers import CellError, date_order, parse_date

DAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("column, order", [
    (["2026-12-07T15:04:05Z", "2026-12-08 09:00"], "ymd"),
    (["2026/12/07 3:04:05 PM GMT+1"], "ymd"),  # Google Forms' own CSV download
    (["12/7/2026 3:04:05 PM", "12/13/2026 9:15:00 AM"], "mdy"),  # US: a second number above 12 settles it
    (["7.12.2026 15:04", "8.12.2026 09:00"], "dmy"),  # German, Czech, Polish Excel: dots are day first
    (["07/12/2026 15:04:05", "13/12/2026 10:00:00"], "dmy"),  # UK, French, Spanish: a first number above 12
    (["7/12/26 15:04"], None),  # could be either: refused unless the mapping says
])
def test_a_columns_order_comes_from_its_own_values(column, order):
    found, why = date_order(column, "auto")
    assert found == order
    assert (why is None) == (order is not None)
    if order:
        assert all(parse_date(v, order) in (DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=6))
                   for v in column)


def test_an_ambiguous_column_says_which_setting_settles_it():
    order, why = date_order(["3/4/2026 10:00:00 AM", "3/5/2026 11:00:00 AM"], "auto")
    assert order is None and "3 April or 4 March" in why
    assert parse_date("3/4/2026 10:00:00 AM", "mdy") == dt.date(2026, 3, 4)
    assert parse_date("3/4/2026 10:00:00 AM", "dmy") == dt.date(2026, 4, 3)
    with pytest.raises(CellError, match="two ways") as caught:
        parse_date("3/4/2026", None)
    assert "date_order: dmy or mdy" in caught.value.hint


def test_the_two_orders_mixed_in_one_column_are_refused():
    order, why = date_order(["12/13/2026", "13/12/2026"], "auto")
    assert order is None and "mixes" in why


@pytest.mark.parametrize("value", ["31/02/2026", "2026-13-01", "yesterday", "7.12."])
def test_impossible_dates_are_refused(value):
    with pytest.raises(CellError):
        parse_date(value, "dmy")
