"""The repository as a command would leave it: tables as strings, and the check before anything is written.

Intake and the imports merge an export's rows into a table of
participants/datapackage.yaml (`read_table`, `Table.text`); `init` writes a new
program file. Each first validates the whole repository with its new files in
place (`validate_candidate`, nothing written) and tells the problems found in
a new table as the export's rows and columns (`translate`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import MentorkitError, Problem
from ..repo.layout import DATAPACKAGE, table_file
from ..repo.load import read_workspace


@dataclass
class Table:
    """One table of the data package: its file (relative path), declared columns and key, and rows as strings."""

    file: str
    columns: list[str]
    key: tuple[str, ...]  # the primary key's columns
    rows: list[dict[str, str]]

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([row.get(c, "") for c in self.columns])
        return out.getvalue()


def read_table(root: Path, resource: str) -> Table:
    """The data package's table `resource` (the workspace has been validated, so its header is the declared one)."""
    data = yaml.safe_load((Path(root) / DATAPACKAGE).read_text(encoding="utf-8-sig"))
    for res in data.get("resources", []):
        if res.get("name") == resource:
            rel = table_file(res["path"])
            columns = [f["name"] for f in res["schema"]["fields"]]
            key = tuple(res["schema"].get("primaryKey", ()))
            return Table(rel, columns, key, _read_rows(Path(root) / rel, columns))
    raise MentorkitError(f"{DATAPACKAGE} declares no table '{resource}'")


def _read_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [{c: row.get(c) or "" for c in columns} for row in reader if any((v or "").strip() for v in row.values())]


def validate_candidate(root: Path, replacements: Mapping[str, str]) -> list[Problem]:
    """Problems of the workspace as it would be with `replacements` (relative path -> text); nothing is touched."""
    _, report = read_workspace(root, overlay=replacements)
    return report.problems


def translate(problems: list[Problem], rel: str, origin: dict[int, int], columns: dict[str, str],
              export: str) -> list[Problem]:
    """Problems in the candidate table `rel` told as the export's row (`origin`) and column title (`columns`)."""
    out = []
    for p in problems:
        if p.file == rel and p.row in origin:
            out.append(Problem(export, p.code, p.message, row=origin[p.row], field=columns.get(p.field or "", p.field),
                               hint=p.hint))
        else:
            out.append(p)
    return out
