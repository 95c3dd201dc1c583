"""The demo program that ships with the template is valid, by our validator and by frictionless itself."""

import csv
import re

from frictionless import Package

from conftest import REPO
from mentorkit.repo.load import read_workspace


def test_demo_validates_clean():
    ws, report = read_workspace(REPO)
    assert report.ok, "\n".join(f"{p.where}: {p.message}" for p in report.problems)
    assert len(ws.programs) >= 2
    assert 100 <= len(ws.participants) <= 200
    formats = {p.format for p in ws.programs.values()}
    assert {"one-to-one", "peer"} <= formats
    expected_agendas = {"kickoff", "goal-setting-workshop", "first-meeting", "career-development", "problem-solving",
                        "mid-program-check-in", "reverse-mentoring-session", "capstone", "celebration"}
    assert expected_agendas <= set(ws.agendas)


def test_frictionless_accepts_the_demo_data_package():
    report = Package(str(REPO / "participants" / "datapackage.yaml")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_demo_tables_hold_no_identifying_values():
    email = re.compile(r"@|\bmailto:")
    name_like = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")  # "Jane Doe"
    for path in sorted((REPO / "participants").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not email.search(cell), (path.name, cell)
                    assert not name_like.match(cell), (path.name, cell)
