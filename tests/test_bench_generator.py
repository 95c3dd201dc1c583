"""The benchmark's data generator writes tables the kit accepts (a benchmark of rejected data measures nothing),
and the demo's committed tables are what it writes."""

from __future__ import annotations

import shutil
import sys

from conftest import REPO
from mentorkit.repo.load import read_workspace

sys.path.insert(0, str(REPO / "bench"))

from generate_demo import generate


def _workspace(root):
    for folder in ("program", "agendas"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "participants").mkdir()
    for name in ("datapackage.yaml", "vocabulary.yaml"):
        shutil.copy(REPO / "participants" / name, root / "participants" / name)
    return root


def test_generated_tables_validate(tmp_path):
    root = _workspace(tmp_path)
    counts = generate(root, 480, 3_000)
    ws, report = read_workspace(root)
    assert report.problems == []
    assert len(ws.participants) == counts["participants.csv"] == 480
    assert len(ws.checkins) == counts["checkins.csv"] == 3_000
    every_table = {p.name for p in (REPO / "participants").glob("*.csv")}
    assert {p.name for p in (root / "participants").glob("*.csv")} == every_table


def test_the_demo_tables_are_the_generators(tmp_path):
    root = _workspace(tmp_path)
    shutil.copytree(REPO / "participants" / "matches", root / "participants" / "matches")
    generate(root, 120)
    for table in sorted((REPO / "participants").glob("*.csv")):
        assert (root / "participants" / table.name).read_bytes() == table.read_bytes(), table.name
