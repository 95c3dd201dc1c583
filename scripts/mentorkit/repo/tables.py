"""Read the participant tables described by participants/datapackage.yaml.

Every row is read once and every cell typed by its column's reader (one pass gives typed values and cell
errors): the kit's own readers for the descriptor the kit ships (`table_schema`), frictionless' for any other
descriptor. This module turns their notes into Problems, adds the privacy checks, and returns typed records
with their row numbers for cross-checks.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import Problem
from ..model import Checkin, GoalRecord, GoalStatus, Outcome, OutcomeKind, Participant, Role, SkillRating, SurveyResponse
from ..model.records import Feedback360, ManagerFeedback, NeedsSurveyCount
from . import layout
from . import pii as privacy
from .excerpt import MAX_EXCERPT, excerpt, hidden_character, visible
from .layout import DATAPACKAGE
from .sources import Source
from .strict_yaml import MAX_YAML_BYTES, decode_text
from .table_schema import CellReader, Column, TableSpec, kit_tables

if TYPE_CHECKING:
    from frictionless import Field

MAX_CSV_BYTES = 200_000_000
# No limit on a cell's length from the csv module (frictionless lifts it the same way on import): a long cell is
# read, and reported as `value-too-long` with its row and column, rather than stopping the whole read.
csv.field_size_limit(2_147_483_646)

RECORD_TYPES = {
    "participants": Participant,
    "checkins": Checkin,
    "survey_responses": SurveyResponse,
    "skill_ratings": SkillRating,
    "goals": GoalRecord,
    "outcomes": Outcome,
    "manager_feedback": ManagerFeedback,
    "feedback_360": Feedback360,
    "needs_survey": NeedsSurveyCount,
}

# Columns whose records keep the value as an enum; the Table Schema's `enum` constraint has checked the text
ENUM_COLUMNS: dict[tuple[str, str], type[StrEnum]] = {
    ("participants", "role"): Role, ("goals", "status"): GoalStatus, ("outcomes", "outcome"): OutcomeKind}

_RECORD_FIELDS = {name: {f.name for f in dataclasses.fields(record)} for name, record in RECORD_TYPES.items()}
_EARLIER_COLUMNS = {"checkins": {"health"}}  # declared by an earlier kit; `mentorkit upgrade` replaces them


@dataclass
class Table:
    name: str
    file: str  # relative path
    rows: list[tuple[int, Any]] = field(default_factory=list)  # (row number, record of RECORD_TYPES[name])
    readable: bool = True  # False when the file as a whole could not be read
    rejected: set[str] = field(default_factory=set)  # first-column values of rows with problems

    def known(self) -> set[str]:
        """Pseudonyms present in the file, including rows rejected for other reasons (no cascade of errors)."""
        return {record.pseudonym for _, record in self.rows if hasattr(record, "pseudonym")} | self.rejected


def _descriptor(raw: bytes | None) -> Any:
    """The descriptor as data, parsed by libyaml when present (frictionless' own reading is pure-Python YAML,
    about 40% of a whole load); None when it cannot be parsed so, and frictionless reads and reports it."""
    if raw is None or not getattr(yaml, "__with_libyaml__", False):
        return None
    try:
        return yaml.load(raw, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


def read_tables(source: Source) -> tuple[dict[str, Table], list[Problem]]:
    problems: list[Problem] = []
    descriptor = source.path(DATAPACKAGE)
    if not source.is_file(DATAPACKAGE):
        return {}, [Problem(DATAPACKAGE, "missing-file", "the data package descriptor is missing",
                            hint="restore participants/datapackage.yaml from the template")]
    raw, refused = source.read(DATAPACKAGE, MAX_YAML_BYTES)  # a link out or a folder is never handed to frictionless
    if refused:
        return {}, refused
    data = _descriptor(raw)
    specs = kit_tables(data)
    if specs is None:  # outside the kit's part of Table Schema: frictionless reads it, or says what is wrong
        specs, refused = _frictionless_tables(data if isinstance(data, dict) else str(descriptor), descriptor)
        if refused:
            return {}, refused
    tables = {}
    for spec in specs:
        if spec.name not in RECORD_TYPES:
            problems.append(Problem(DATAPACKAGE, "invalid-datapackage", f"unexpected resource '{spec.name}'"))
            continue
        if spec.path is None:  # data written inline in the descriptor: the kit reads tables from CSV files only
            problems.append(Problem(DATAPACKAGE, "invalid-datapackage", f"the resource '{spec.name}' names no file"))
            continue
        unread = [f for f in spec.field_names if f not in _RECORD_FIELDS[spec.name]]
        if unread:  # its records cannot be built: a column an earlier kit declared, or one added by hand
            earlier = set(unread) <= _EARLIER_COLUMNS.get(spec.name, set())
            problems.append(Problem(DATAPACKAGE, "invalid-datapackage",
                                    f"the table '{spec.name}' declares {', '.join(map(repr, unread))}, which this "
                                    "mentorkit does not read",
                                    hint="run `mentorkit upgrade`: it brings the tables to this kit's columns" if earlier
                                    else "remove the column's declaration (and the column): the kit keeps only the "
                                         "columns it knows, so nothing personal slips in"))
            continue
        rel = layout.table_file(spec.path)
        table = Table(spec.name, rel)
        tables[spec.name] = table
        table_problems = _read_table(source, rel, spec, table)
        table.readable = not any(p.row in (None, 1) for p in table_problems)
        problems.extend(table_problems)
    return tables, problems


def _frictionless_tables(descriptor: dict[str, Any] | str, path: Path) -> tuple[list[TableSpec], list[Problem]]:
    """The tables as frictionless reads the descriptor, with its cell readers; imported only here (it is slow to import)."""
    from frictionless import FrictionlessException, Package

    try:
        package = Package(descriptor, basepath=str(path.parent))
    except FrictionlessException as exc:
        return [], [Problem(DATAPACKAGE, "invalid-datapackage", f"the data package descriptor is invalid: {exc.error.message}")]
    specs = []
    for resource in package.resources:
        expected = resource.name in RECORD_TYPES and resource.path is not None
        columns = [Column(f.name, f.type, _cell_reader(f)) for f in resource.schema.fields] if expected else []
        specs.append(TableSpec(resource.name, resource.path, columns, list(resource.schema.primary_key)))
    return specs, []


def _read_table(source: Source, rel: str, spec: TableSpec, table: Table) -> list[Problem]:
    if not source.is_file(rel):
        return [Problem(rel, "missing-file", "the table is missing",
                        hint="create it with just the header row (see participants/datapackage.yaml)")]
    raw, problems = source.read(rel, MAX_CSV_BYTES)
    if raw is None:
        return problems
    text, problems = decode_text(raw, rel, "in your spreadsheet program, save as 'CSV UTF-8'")
    if text is None:
        return problems
    if not text.strip():
        return [Problem(rel, "empty-file", "the file is empty; it needs at least the header row", row=1)]
    names = spec.field_names
    header = next(csv.reader(io.StringIO(text)), [])
    if len(header) == 1 and ";" in header[0] and set(header[0].split(";")) & set(names):
        return [Problem(rel, "wrong-delimiter", "the columns are separated by semicolons", row=1,
                        hint="save the file as comma-separated CSV (or import a form export with `mentorkit intake`)")]
    problems = _header_problems(rel, header, names)
    if problems:
        return problems  # rows cannot be read reliably against the wrong columns
    return _read_rows(rel, text, spec, table)


def _read_rows(rel: str, text: str, spec: TableSpec, table: Table) -> list[Problem]:
    """Type and check every row with its columns' cell readers (built from the Table Schema).

    Rows are split by the csv module and cells typed by each column's reader,
    skipping frictionless' per-row object machinery, which made reading large tables slow (bench/bench_validate.py
    reads 100,000 check-ins).
    A column repeats few texts (programs, dates, scores, the same pseudonyms in
    every check-in), so each column remembers the value of every text it found
    valid, and a row whose texts were all seen before is typed in one lookup per
    cell; any other row is read cell by cell (`_row_values`).
    """
    names = spec.field_names
    width = len(names)
    columns = [_as_enum(_column_reader(c), ENUM_COLUMNS.get((table.name, c.name))) for c in spec.columns]
    valid: list[dict[str, Any]] = [{} for _ in names]  # per column: text -> value, for texts without a problem
    key_index = [names.index(n) for n in spec.primary_key]
    key_of = operator.itemgetter(*key_index) if len(key_index) > 1 else lambda v: (v[key_index[0]],)
    key_field = ",".join(spec.primary_key) if len(key_index) > 1 else names[key_index[0]] if key_index else ""
    make = _record_maker(RECORD_TYPES[table.name], names)
    seen: dict[tuple[str, ...], int] = {}
    problems: list[Problem] = []
    rows = _rows(text)
    next(rows)  # header, checked already
    for number, cells in enumerate(rows, start=2):
        # no cell holds more than spaces (a first cell with more says so at once)
        if not cells or (not cells[0].strip() and not "".join(cells).strip()):
            problems.append(Problem(rel, "blank-row", "the row is empty", row=number, hint="delete the empty row"))
            continue
        if len(cells) != width:
            more = len(cells) > width
            problems.append(Problem(rel, "extra-cell" if more else "missing-cell",
                                    f"the row has {len(cells)} cells but the header has {width} columns",
                                    row=number, hint="check for a stray or missing comma, or quote values that contain commas"))
            table.rejected.add(cells[0].strip())
            continue
        try:  # every text found valid before (the usual row): one lookup per cell
            values = list(map(_valid_value, valid, cells))
            row_problems = []
        except KeyError:
            values = list(map(dict.get, valid, cells, repeat(_UNSEEN)))
            row_problems = _row_values(rel, number, names, columns, cells, values, valid)
        if not row_problems and key_index:
            key = key_of(values)
            if key in seen:
                row_problems.append(Problem(rel, "duplicate-id", f"this row repeats the key {', '.join(map(str, key))} "
                                            f"of row {seen[key]}", row=number, field=key_field,
                                            hint="each row needs a unique key; remove or merge the duplicate"))
            else:
                seen[key] = number
        if row_problems:
            problems.extend(row_problems)
            table.rejected.add(cells[0].strip())
        else:
            table.rows.append((number, make(values)))
    return problems


def _rows(text: str) -> Iterator[list[str]]:
    """The CSV text's rows as lists of cells, one at a time. A text without quotes, carriage returns or NUL
    characters (every table the kit writes, and most exports) holds one row per line and one cell per comma, as
    the csv module would read it: split so, in less than two thirds of its time."""
    if '"' in text or "\r" in text or "\0" in text:
        return csv.reader(io.StringIO(text, newline=""))
    # an empty line has no cell, as csv reads it
    return (line.rstrip("\n").split(",") if line != "\n" else [] for line in io.StringIO(text, newline=""))


def _record_maker(record_type: type, names: list[str]) -> Callable[[list[Any]], Any]:
    """How a row's typed values (in the order of `names`) become a record of `record_type`.

    A record's `__init__` (a frozen dataclass's: one `object.__setattr__` per field) was the largest part of
    reading a large table; when the columns are the record's fields, in any order, the values go straight into a
    new instance's attributes, in the fields' order, which is all that `__init__` does for these plain records
    (no `__post_init__`, no slots). Any other record type, or columns that leave a field to its default, go
    through `__init__`.
    """
    fields = [f.name for f in dataclasses.fields(record_type)]
    if sorted(fields) != sorted(names) or hasattr(record_type, "__post_init__") or hasattr(record_type, "__slots__"):
        return lambda values: record_type(**dict(zip(names, values, strict=True)))
    new = object.__new__
    # The row's values in the fields' order (a single field is always in order: itemgetter never sees one)
    pick = None if fields == names else operator.itemgetter(*(names.index(f) for f in fields))

    def make(values: list[Any]) -> Any:
        record: Any = new(record_type)
        record.__dict__.update(zip(fields, values if pick is None else pick(values), strict=True))
        return record
    return make


_UNSEEN = object()  # a cell whose text its column has not found valid yet
_valid_value = dict.__getitem__  # a column's value of a text it found valid; KeyError for any other


def _row_values(rel: str, number: int, names: list[str], columns: list[ColumnReader], cells: list[str],
                values: list[Any], valid: list[dict[str, Any]]) -> list[Problem]:
    """Read the row's cells not seen before into `values`; the problems of the row. A text found valid is
    remembered in its column's `valid` (the checks are pure functions of the text)."""
    row_problems = []
    for i, raw in enumerate(cells):
        if values[i] is not _UNSEEN:  # a text found valid before
            continue
        if len(raw) > MAX_CELL_CHARS or not raw.isascii():  # ASCII holds no invisible character
            wrong = cell_text_problem(rel, number, names[i], raw)
            if wrong is not None:
                row_problems.append(wrong)
                continue
        value, found, notes = columns[i](raw)
        if found:
            code, message, hint = found
            row_problems.append(Problem(rel, code, message, row=number, field=names[i], hint=hint))
        elif notes:
            row_problems.append(_note_problem(rel, number, names[i], raw, notes))
        else:
            values[i] = valid[i][raw] = value
    return row_problems


MAX_CELL_CHARS = 200  # every column is a code, a number, a date or a short list: longer is not a cell of ours


# A column's reading of one cell: the typed value (a list as a tuple of its items), the privacy finding
# (code, message, hint) and frictionless' notes on what is wrong; at most one of the last two.
ColumnReader = Callable[[str], tuple[Any, tuple[str, str, str] | None, dict[str, str] | None]]


def _as_enum(read: ColumnReader, kind: type[StrEnum] | None) -> ColumnReader:
    """`read`, giving its valid texts as members of `kind` (the reader itself when no enum is wanted)."""
    if kind is None:
        return read

    def read_member(raw: str) -> tuple[Any, tuple[str, str, str] | None, dict[str, str] | None]:
        value, found, notes = read(raw)
        return (kind(value) if value is not None and not found and not notes else value), found, notes
    return read_member


def _column_reader(column: Column) -> ColumnReader:
    """How a column reads a cell: frictionless' typing and constraints, then the privacy checks, remembered per
    distinct text (a pure function of it). A column repeats few values (programs, dates, scores, the same
    pseudonyms in every check-in), so most cells are read once per table."""
    read = column.read
    is_list, is_text = column.type == "list", column.type in ("string", "list")
    seen: dict[str, tuple[Any, tuple[str, str, str] | None, dict[str, str] | None]] = {}

    def cell(raw: str) -> tuple[Any, tuple[str, str, str] | None, dict[str, str] | None]:
        got = seen.get(raw)
        if got is None:
            value, notes = read(raw)
            found = privacy.cell_problem(raw.strip()) if is_list or (notes and is_text) else None
            if is_list and not found and not notes:
                value = tuple(item.strip() for item in value or () if item.strip())
            got = seen[raw] = (value, found, None if found else notes)
        return got

    return cell


def cell_text_problem(rel: str, row: int, name: str, cell: str) -> Problem | None:
    """A cell too long to be meant, or holding a character that hides or reorders what readers see."""
    if len(cell) > MAX_CELL_CHARS:
        return Problem(rel, "value-too-long", f"the value is {len(cell):,} characters long; the limit is "
                       f"{MAX_CELL_CHARS}: {excerpt(cell)}", row=row, field=name, hint="check the cell: it holds "
                       "more than any column of the table needs")
    hidden = hidden_character(cell)
    if hidden is not None:
        return Problem(rel, "invisible-character", f"the value holds the invisible character {hidden}: "
                       f"{excerpt(cell)}", row=row, field=name, hint="retype the value")
    return None


def _cell_reader(field: Field) -> CellReader:  # frictionless' Field
    """frictionless' reader for the field, with a fast path for ISO dates (strptime dominated the profile)."""
    read = field.create_cell_reader()
    if field.type != "date" or field.format != "default" or set(field.constraints) - {"required"}:
        return read

    def read_date(cell: str) -> tuple[Any, dict[str, str] | None]:
        if len(cell) == 10:
            try:
                return dt.date.fromisoformat(cell), None
            except ValueError:
                pass
        return read(cell)

    return read_date


def _header_problems(rel: str, header: list[str], names: list[str]) -> list[Problem]:
    problems = []
    header = [visible(label[:MAX_EXCERPT]) for label in header]  # a label is named in messages: short and visible
    for i, label in enumerate(header, start=1):
        if label not in names:
            problems.append(Problem(rel, "unknown-column", f"column {i} {excerpt(label)} is not declared in {DATAPACKAGE}",
                                    row=1, field=label,
                                    hint="remove it: undeclared columns could hold personal data"))
    seen = set()
    for label in header:
        if label in seen:
            problems.append(Problem(rel, "duplicate-column", f"the column {excerpt(label)} appears twice", row=1, field=label))
        seen.add(label)
    for name in names:
        if name not in header:
            problems.append(Problem(rel, "missing-column", f"the column '{name}' is missing", row=1, field=name,
                                    hint="add it to the header row (it may be left empty where optional)"))
    if not problems and header != names:
        problems.append(Problem(rel, "column-order", "the columns are not in the declared order", row=1,
                                hint=f"use this header: {','.join(names)}"))
    return problems


def _note_problem(rel: str, row: int, name: str, cell: str, notes: dict[str, str]) -> Problem:
    """A frictionless cell note ({"type": ...} or {"<constraint>": ...}) as a coordinator-facing problem."""
    if "type" in notes:
        expected = notes["type"].replace("type is ", "").replace('"', "").split("/")[0]
        hint = {"date": "write dates as YYYY-MM-DD", "integer": "write a whole number"}.get(expected)
        return Problem(rel, "wrong-type", f"{excerpt(cell)} is not a valid {expected}", row=row, field=name, hint=hint)
    if "required" in notes:
        return Problem(rel, "missing-value", "a value is required", row=row, field=name)
    if "enum" in notes:
        allowed = notes["enum"].split(" is ", 1)[1].strip('"')
        return Problem(rel, "invalid-choice", f"{excerpt(cell)} is not one of the allowed values", row=row, field=name,
                       hint=f"use one of {allowed}")
    if "pattern" in notes and name == "working_hours":
        return Problem(rel, "invalid-format", f"{excerpt(cell)} is not a working day written as HH:MM-HH:MM",
                       row=row, field=name, hint="write the start and end on the 24-hour clock, e.g. 08:30-16:30, "
                                                 "or leave it empty for the program's working hours")
    if "pattern" in notes:
        return Problem(rel, "invalid-format", f"{excerpt(cell)} does not have the expected form ({notes['pattern']})",
                       row=row, field=name, hint="pseudonyms look like mk-1a2b3c4d; ids are lowercase words joined by '-'")
    if "minimum" in notes or "maximum" in notes:
        note = notes.get("minimum") or notes.get("maximum")
        return Problem(rel, "out-of-range", f"{visible(cell[:MAX_EXCERPT])} is out of range ({note})", row=row, field=name)
    note = next(iter(notes.values()))
    return Problem(rel, "constraint-error", f"{excerpt(cell)} breaks {note}", row=row, field=name)
