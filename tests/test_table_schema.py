"""repo/table_schema.py: the kit's own reading of its descriptor gives what frictionless gives.

The kit reads the descriptor it ships without frictionless (0.2 s of every command); these tests hold its cell
readers to frictionless' own, cell by cell on awkward values, and a whole read of tables full of mistakes to the
read through frictionless, problem for problem and record for record. A descriptor outside the kit's part of
Table Schema still goes to frictionless.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from frictionless import Package

from conftest import make_workspace
from mentorkit.repo import tables as tables_module
from mentorkit.repo.sources import Source
from mentorkit.repo.table_schema import kit_tables
from mentorkit.repo.tables import DATAPACKAGE, read_tables

REPO = Path(__file__).resolve().parent.parent
DESCRIPTOR = REPO / "participants" / "datapackage.yaml"
AWKWARD = ["", " ", "0", "1", "9", "10", "-1", "+5", " 7 ", "1_000", "1.0", "x", "١", "2026-05-01", "2026-5-1",
           "2026-02-30", "20260501", "2026-W01-1", "01/05/2026", "2026-05-01 ", "mk-0000000a", "mk-0000000A",
           "mk-0000000a1", "Alice Example", "mentor", "Mentor", "mentor ", "both", "en;de", ";;", "a; b ;",
           "engineering", "eng-data", "-eng", "Europe/Berlin", "Etc/GMT+1", "yes", "no", "promotion", "baseline"]


def kit_descriptor() -> dict:
    return yaml.safe_load(DESCRIPTOR.read_text(encoding="utf-8"))


def test_the_kits_descriptor_is_read_without_frictionless():
    specs = kit_tables(kit_descriptor())
    assert specs is not None
    package = Package(kit_descriptor(), basepath=str(DESCRIPTOR.parent))
    assert [(s.name, s.path, s.field_names, s.primary_key) for s in specs] == [
        (r.name, r.path, r.schema.field_names, r.schema.primary_key) for r in package.resources]


def test_every_cell_reader_gives_frictionless_value_and_notes():
    specs = kit_tables(kit_descriptor())
    assert specs is not None
    package = Package(kit_descriptor(), basepath=str(DESCRIPTOR.parent))
    compared = 0
    for spec, resource in zip(specs, package.resources, strict=True):
        for column, field in zip(spec.columns, resource.schema.fields, strict=True):
            theirs = tables_module._cell_reader(field)
            for cell in AWKWARD:
                assert column.read(cell) == theirs(cell), (spec.name, column.name, cell)
                compared += 1
    assert compared > 2000


def test_tables_full_of_mistakes_read_as_through_frictionless(tmp_path, monkeypatch):
    ws = make_workspace(tmp_path / "ws")
    (ws / "participants/outcomes.csv").write_text(
        "pseudonym,outcome,date\nmk-0000000d,promotion,01/05/2026\nmk-0000000c,boss,2026-05-01\n"
        "alice,promotion,2026-05-01\n,promotion,2026-05-01\nmk-0000000b,promotion,2026-02-30\n"
        "mk-0000000a,departure,2026-5-1\nmk-0000000a,departure,2026-05-01\nmk-0000000a,departure,2026-05-01\n",
        encoding="utf-8")
    mine = read_tables(Source(ws))
    monkeypatch.setattr(tables_module, "kit_tables", lambda data: None)
    theirs = read_tables(Source(ws))
    assert mine[1] == theirs[1] and len(mine[1]) == 7
    assert {k: (t.rows, t.rejected, t.readable) for k, t in mine[0].items()} == {
        k: (t.rows, t.rejected, t.readable) for k, t in theirs[0].items()}


@pytest.mark.parametrize("edit", [
    lambda d: d["resources"][0]["schema"]["fields"][0].update(type="number"),
    lambda d: d["resources"][0]["schema"]["fields"][0].pop("type"),
    lambda d: d["resources"][0]["schema"]["fields"][0]["constraints"].update(maxLength=6),
    lambda d: d["resources"][0]["schema"]["fields"][0]["constraints"].update(pattern="mk-["),
    lambda d: d["resources"][0]["schema"]["fields"][0]["constraints"].update(required="yes"),
    lambda d: d["resources"][0].update(path="../outside.csv"),
    lambda d: d["resources"][0].update(dialect={"csv": {"delimiter": ";"}}),
    lambda d: d["resources"][0]["schema"].update(missingValues=["", "NA"]),
    lambda d: d["resources"][0]["schema"].update(primaryKey=["nobody"]),
    lambda d: d["resources"][1]["schema"]["foreignKeys"][0]["reference"].update(resource="nowhere"),
    lambda d: d["resources"].append(dict(d["resources"][0])),
    lambda d: d.update(resources=5),
    lambda d: d.update(extra=1),
])
def test_anything_outside_the_kits_part_of_table_schema_goes_to_frictionless(edit):
    data = kit_descriptor()
    edit(data)
    assert kit_tables(data) is None


def test_frictionless_still_reports_a_descriptor_outside_the_kits_part(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    descriptor = ws / DATAPACKAGE
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace("type: date", "type: dat", 1), encoding="utf-8")
    tables, problems = read_tables(Source(ws))
    assert tables == {} and [(p.file, p.code) for p in problems] == [(DATAPACKAGE, "invalid-datapackage")]


def test_a_cell_longer_than_the_csv_modules_default_limit_is_read_without_frictionless(tmp_path):
    """frictionless lifted the csv module's 131,072-character cell limit on import; the kit lifts it itself, so a
    huge cell is still reported as too long (tests/data/bad/csv-huge-team), not a crash. A fresh interpreter:
    this test process may have imported frictionless already."""
    ws = make_workspace(tmp_path / "ws")
    probe = ("import sys; from pathlib import Path; from mentorkit.repo.load import read_workspace; "
             f"_, report = read_workspace(Path({str(ws)!r})); "
             "print(sorted({p.code for p in report.problems}), 'frictionless' in sys.modules)")
    table = ws / "participants" / "outcomes.csv"
    table.write_text("pseudonym,outcome,date\nmk-0000000d,promotion,2026-05-01\n" + "x" * 200_000 + ",promotion,"
                     "2026-05-01\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(REPO / "scripts")},
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['value-too-long']", "False"]
