"""The privacy scan reads any text a repository holds, however it is shaped: a CSV whose first row is wider than the
csv module reads by default (a cell over 128 KB) is still looked at, never a traceback. The history check of a pull
request (ci.history) scans files in a process that may never have read a table, whose reader raises that limit."""

from __future__ import annotations

import csv

import pytest

from mentorkit.repo.exposure import scan_file


@pytest.fixture
def default_csv_limit():
    previous = csv.field_size_limit(131_072)  # the csv module's own default
    yield
    csv.field_size_limit(previous)


@pytest.mark.usefixtures("default_csv_limit")
def test_a_roster_with_a_huge_first_row_is_still_refused():
    raw = ("Email;Notes " + "x" * 200_000 + "\nrow;1\n").encode()
    assert [(p.code, p.row) for p in scan_file("docs/wide.csv", raw)] == [("private-file", 1)]


@pytest.mark.usefixtures("default_csv_limit")
def test_a_huge_first_row_without_names_passes():
    raw = ("Skill,Notes " + "x" * 200_000 + "\nsql,1\n").encode()
    assert scan_file("docs/wide.csv", raw) == []
