"""A benchmark instance (bench/shapes.py) written out as a program repository, for `mentorkit match` end to end.

    .venv/bin/python bench/cli_repo.py uniform 10000 5000 /tmp/bench-repo     # then:
    rm -f /tmp/bench-repo/participants/matches/pilot.yaml && .venv/bin/mentorkit match --root /tmp/bench-repo pilot

The repository holds the program `pilot` (one-to-one, the default matching rules, the same start date as the
in-memory instance, so scores and the proposal are the same), the benchmark's vocabulary and the participant
table; the other tables have their header only. Remove the proposal before each timed run: with a previous
proposal the matcher prefers its pairs on ties, which is a different run.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from shapes import instance  # noqa: E402  (shapes puts tests/ and scripts/ on the path)

BASE = ROOT / "tests" / "data" / "base"
COLUMNS = ["pseudonym", "role", "programs", "department", "team", "level", "time_zone", "languages", "skills_offered",
           "skills_sought", "interests", "goals", "meeting_mode", "location", "mentor_capacity", "reports_to",
           "joined", "gender", "age_band", "underrepresented", "communication_style",
           "working_hours"]


def _program(start, end) -> str:
    return f"""title: Pilot
purpose: Benchmark program.
audience: Everyone.
format: one-to-one
timeline:
  start: {start}
  end: {end}
goals:
  - id: g
    statement: s
    metric: match_rate
    target: 0.9
    achievable: a
    relevant: r
    due: {end}
    readjust: x
"""


def _vocabulary(ws) -> str:
    v = ws.vocabulary
    lines = ["skills:"]
    for s in v.skills:
        related = f", related: [{', '.join(s.related)}]" if s.related else ""
        lines.append(f"  - {{id: {s.id}, label: {s.label}{related}}}")
    for name, terms in (("interests", v.interests), ("goals", v.goals), ("departments", v.departments)):
        lines.append(f"{name}:")
        lines += [f"  - {{id: {t.id}, label: {t.label}}}" for t in terms]
    lines += ["locations:", "  - {id: berlin, label: Berlin}", "  - {id: london, label: London}"]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ";".join(str(x) for x in value)
    return str(getattr(value, "value", value))


def write_repo(root: Path, shape: str, n: int, m: int, seed: int = 7) -> Path:
    ws = instance(shape, n, m, seed)
    prog = ws.programs["pilot"]
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE, root)
    shutil.copy(ROOT / "participants" / "datapackage.yaml", root / "participants" / "datapackage.yaml")
    for table in (root / "participants").glob("*.csv"):
        with table.open(encoding="utf-8") as f:
            header = f.readline()
        table.write_text(header, encoding="utf-8")
    (root / "program" / "pilot.yaml").write_text(_program(prog.timeline.start, prog.timeline.end), encoding="utf-8")
    (root / "participants" / "vocabulary.yaml").write_text(_vocabulary(ws), encoding="utf-8")
    with (root / "participants" / "participants.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COLUMNS)
        for p in ws.participants.values():
            out.writerow([_cell(getattr(p, c, None)) for c in COLUMNS])
    return root


if __name__ == "__main__":
    shape, n, m, where = sys.argv[1:5]
    print(write_repo(Path(where), shape, int(n), int(m)))
