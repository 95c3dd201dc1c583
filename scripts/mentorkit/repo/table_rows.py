"""A table of the data package as plain strings, for commands that add or update its rows.

Intake and the imports read the table (`read_table`), merge an export's rows
into it, and hand `Table.text()` to the loader's overlay before anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import MentorkitError
from .layout import DATAPACKAGE, table_file


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
