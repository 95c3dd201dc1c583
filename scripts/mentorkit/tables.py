"""Read the participant tables described by participants/datapackage.yaml.

frictionless reads and types every row once (one pass gives typed values and
cell errors); this module turns its errors into Problems, adds the privacy
checks, and returns typed records with their row numbers for cross-checks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from frictionless import FrictionlessException, Package, Resource, Schema

from . import privacy
from .errors import Problem
from .workspace import Checkin, GoalRecord, Outcome, Participant, SkillRating, SurveyResponse

MAX_CSV_BYTES = 200_000_000
DATAPACKAGE = "participants/datapackage.yaml"

RECORD_TYPES = {
    "participants": Participant,
    "checkins": Checkin,
    "survey_responses": SurveyResponse,
    "skill_ratings": SkillRating,
    "goals": GoalRecord,
    "outcomes": Outcome,
}


@dataclass
class Table:
    name: str
    file: str  # relative path
    rows: list[tuple[int, object]] = field(default_factory=list)  # (row number, record)
    readable: bool = True  # False when the file as a whole could not be read
    rejected: set[str] = field(default_factory=set)  # first-column values of rows with problems

    def known(self) -> set[str]:
        """Keys present in the file, including rows rejected for other reasons (no cascade of errors)."""
        return {getattr(record, "pseudonym", None) for _, record in self.rows} | self.rejected


def read_tables(root: Path) -> tuple[dict[str, Table], list[Problem]]:
    problems: list[Problem] = []
    descriptor = root / DATAPACKAGE
    if not descriptor.is_file():
        return {}, [Problem(DATAPACKAGE, "missing-file", "the data package descriptor is missing",
                            hint="restore participants/datapackage.yaml from the template")]
    try:
        package = Package(str(descriptor), basepath=str(descriptor.parent))
    except FrictionlessException as exc:
        return {}, [Problem(DATAPACKAGE, "invalid-datapackage", f"the data package descriptor is invalid: {exc.error.message}")]
    tables = {}
    for resource in package.resources:
        if resource.name not in RECORD_TYPES:
            problems.append(Problem(DATAPACKAGE, "invalid-datapackage", f"unexpected resource '{resource.name}'"))
            continue
        rel = f"participants/{resource.path}"
        table = Table(resource.name, rel)
        tables[resource.name] = table
        table_problems = _read_table(root / rel, rel, resource, table)
        table.readable = not any(p.row in (None, 1) for p in table_problems)
        problems.extend(table_problems)
    return tables, problems


def _read_table(path: Path, rel: str, resource, table: Table) -> list[Problem]:
    if not path.is_file():
        return [Problem(rel, "missing-file", "the table is missing",
                        hint="create it with just the header row (see participants/datapackage.yaml)")]
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        return [Problem(rel, "file-too-large", f"the file is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as spreadsheet programs write it, is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [Problem(rel, "encoding", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})",
                        line=line, hint="in your spreadsheet program, save as 'CSV UTF-8'")]
    if not text.strip():
        return [Problem(rel, "empty-file", "the file is empty; it needs at least the header row", row=1)]
    names = resource.schema.field_names
    header = next(csv.reader(io.StringIO(text)), [])
    if len(header) == 1 and ";" in header[0] and set(header[0].split(";")) & set(names):
        return [Problem(rel, "wrong-delimiter", "the columns are separated by semicolons", row=1,
                        hint="save the file as comma-separated CSV (or import a form export with `mentorkit intake`)")]
    problems = _header_problems(rel, header, names)
    if problems:
        return problems  # rows cannot be read reliably against the wrong columns
    list_fields = {f.name for f in resource.schema.fields if f.type == "list"}
    text_fields = {f.name for f in resource.schema.fields if f.type in ("string", "list")}
    record_type = RECORD_TYPES[resource.name]
    # frictionless reads the decoded text, so a BOM never reaches the first header
    # Foreign keys are checked by crosscheck with coordinator-friendly messages.
    schema = Schema.from_descriptor(resource.schema.to_descriptor())
    schema.foreign_keys = []
    source = Resource(data=raw.removeprefix(b"\xef\xbb\xbf"), format="csv", encoding="utf-8", schema=schema,
                      dialect=resource.dialect)
    try:
        with source:
            for row in source.row_stream:
                row_problems = _row_problems(rel, row, text_fields)
                problems.extend(row_problems)
                if row_problems:
                    table.rejected.add(str(row.cells[0]).strip() if row.cells else "")
                    continue
                values = row.to_dict()
                for name in list_fields:
                    values[name] = tuple(v.strip() for v in values[name] or () if v.strip())
                table.rows.append((row.row_number, record_type(**values)))
    except FrictionlessException as exc:
        problems.append(Problem(rel, "unreadable-csv", f"the file cannot be read as CSV: {exc.error.message}"))
    return problems


def _header_problems(rel: str, header: list[str], names: list[str]) -> list[Problem]:
    problems = []
    for i, label in enumerate(header, start=1):
        if label not in names:
            problems.append(Problem(rel, "unknown-column", f"column {i} '{label}' is not declared in {DATAPACKAGE}",
                                    row=1, field=label,
                                    hint="remove it: undeclared columns could hold personal data"))
    seen = set()
    for label in header:
        if label in seen:
            problems.append(Problem(rel, "duplicate-column", f"the column '{label}' appears twice", row=1, field=label))
        seen.add(label)
    for name in names:
        if name not in header:
            problems.append(Problem(rel, "missing-column", f"the column '{name}' is missing", row=1, field=name,
                                    hint="add it to the header row (it may be left empty where optional)"))
    if not problems and header != names:
        problems.append(Problem(rel, "column-order", "the columns are not in the declared order", row=1,
                                hint=f"use this header: {','.join(names)}"))
    return problems


def _row_problems(rel: str, row, text_fields: set[str]) -> list[Problem]:
    problems = []
    flagged = set()
    for name, raw in zip(row.field_names, row.cells):
        if name in text_fields and isinstance(raw, str):
            found = privacy.cell_problem(raw.strip())
            if found:
                code, message, hint = found
                problems.append(Problem(rel, code, message, row=row.row_number, field=name, hint=hint))
                flagged.add(name)
    for error in row.errors:
        name = getattr(error, "field_name", None) or None
        if name in flagged:
            continue
        problems.append(_cell_problem(rel, row, error, name))
    return problems


def _cell_problem(rel: str, row, error, name: str | None) -> Problem:
    kind = error.type
    cell = getattr(error, "cell", "")
    note = getattr(error, "note", "")
    if kind == "primary-key":
        return Problem(rel, "duplicate-id", f"this row repeats the key of an earlier row ({note})", row=row.row_number,
                       hint="each row needs a unique key; remove or merge the duplicate")
    if kind == "type-error":
        expected = note.replace("type is ", "").replace('"', "").split("/")[0]
        hint = "write dates as YYYY-MM-DD" if expected == "date" else f"write a whole number" if expected == "integer" else None
        return Problem(rel, "wrong-type", f"'{cell}' is not a valid {expected}", row=row.row_number, field=name, hint=hint)
    if kind == "constraint-error":
        if note.startswith('constraint "required"'):
            return Problem(rel, "missing-value", "a value is required", row=row.row_number, field=name)
        if note.startswith('constraint "enum"'):
            allowed = note.split(" is ", 1)[1].strip('"')
            return Problem(rel, "invalid-choice", f"'{cell}' is not one of the allowed values",
                           row=row.row_number, field=name, hint=f"use one of {allowed}")
        if note.startswith('constraint "pattern"'):
            return Problem(rel, "invalid-format", f"'{cell}' does not have the expected form ({note})",
                           row=row.row_number, field=name,
                           hint="pseudonyms look like mk-1a2b3c4d; ids are lowercase words joined by '-'")
        if note.startswith(('constraint "minimum"', 'constraint "maximum"')):
            return Problem(rel, "out-of-range", f"{cell} is out of range ({note})", row=row.row_number, field=name)
    if kind in ("extra-cell", "missing-cell"):
        return Problem(rel, kind, f"the row has {'more' if kind == 'extra-cell' else 'fewer'} cells than the header",
                       row=row.row_number, field=name, hint="check for a stray or missing comma, or quote values that contain commas")
    if kind == "blank-row":
        return Problem(rel, "blank-row", "the row is empty", row=row.row_number, hint="delete the empty row")
    return Problem(rel, kind, error.message, row=row.row_number, field=name)
