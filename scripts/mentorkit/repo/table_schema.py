"""The kit's own reading of participants/datapackage.yaml, for the descriptor the kit ships.

frictionless is slow to import and to build a package (its plugin system, its JSON-schema checks): more than
an everyday command on a small repository spends on everything else (bench/bench_tables.py measures both).
Every descriptor the kit writes uses a small part of Table Schema (CSV files beside the descriptor; string,
integer, date and list columns; the constraints required, pattern, enum, minimum and maximum), and this module
reads exactly that part, with cell readers that give the values and notes frictionless' own readers give
(tests/test_table_schema.py compares them cell by cell). Anything outside that part (a typo, another type,
another constraint, a path elsewhere) returns None, and `tables` hands the descriptor to frictionless, which
reads or reports it as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A cell reader: the typed value and the notes on what is wrong, in frictionless' words ({"type": ...} or
# {"<constraint>": ...}), or None.
CellReader = Callable[[str], tuple[Any, dict[str, str] | None]]

NAME = re.compile(r"^[-a-z0-9._/]+$")  # frictionless' pattern for package and resource names
CSV_FILE = re.compile(r"^[A-Za-z0-9_-]+\.csv$")  # a file beside the descriptor, nothing that could leave the folder
PACKAGE_KEYS = {"name", "title", "description", "profile", "resources"}
RESOURCE_KEYS = {"name", "title", "description", "path", "profile", "format", "encoding", "dialect", "schema"}
SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "missingValues"}
FIELD_KEYS = {"name", "title", "description", "type", "format", "constraints", "delimiter"}
DIALECT = {"csv": {"delimiter": ",", "quoteChar": '"'}}
# The constraints each type is read with here, in frictionless' order of checking (its notes keep that order).
CONSTRAINTS = {
    "string": ("required", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum"),
    "date": ("required",),
    "list": ("required",),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | date | list
    read: CellReader


@dataclass(frozen=True)
class TableSpec:
    name: str
    path: str | None  # relative to the descriptor's folder; None for data written in the descriptor
    columns: list[Column]
    primary_key: list[str]

    @property
    def field_names(self) -> list[str]:
        return [c.name for c in self.columns]


def kit_tables(data: Any) -> list[TableSpec] | None:
    """The tables of a descriptor in the kit's part of Table Schema, or None when it uses anything else."""
    if not isinstance(data, dict) or set(data) - PACKAGE_KEYS or data.get("profile", "data-package") != "data-package":
        return None
    if not all(isinstance(data.get(key, ""), str) for key in ("name", "title", "description")):
        return None
    if "name" in data and not NAME.match(data["name"]):
        return None
    resources = data.get("resources")
    if not isinstance(resources, list) or not resources:
        return None
    tables = [_table(resource) for resource in resources]
    if any(t is None for t in tables):
        return None
    specs = [t for t in tables if t is not None]
    names = [t.name for t in specs]
    if len(set(names)) != len(names) or not all(_references_hold(r, specs) for r in resources):
        return None
    return specs


def _table(resource: Any) -> TableSpec | None:
    if not _plain_csv_resource(resource):
        return None
    name, path, schema = resource["name"], resource["path"], resource.get("schema")
    if not isinstance(schema, dict) or set(schema) - SCHEMA_KEYS or schema.get("missingValues", [""]) != [""]:
        return None
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return None
    columns = [_column(f) for f in fields]
    if any(c is None for c in columns):
        return None
    cols = [c for c in columns if c is not None]
    names = [c.name for c in cols]
    key = schema.get("primaryKey", [])
    if len(set(names)) != len(names) or not isinstance(key, list) or not all(k in names for k in key):
        return None
    return TableSpec(name, path, cols, list(key))


def _plain_csv_resource(resource: Any) -> bool:
    """A resource as the kit writes them: named, a UTF-8 CSV file with the kit's dialect, text title and
    description, nothing else."""
    if not isinstance(resource, dict) or set(resource) - RESOURCE_KEYS:
        return False
    name, path = resource.get("name"), resource.get("path")
    if not (isinstance(name, str) and NAME.match(name) and isinstance(path, str) and CSV_FILE.match(path)):
        return False
    return not (resource.get("profile", "tabular-data-resource") != "tabular-data-resource"
                or resource.get("format", "csv") != "csv" or resource.get("encoding", "utf-8") != "utf-8"
                or resource.get("dialect", DIALECT) != DIALECT
                or not all(isinstance(resource.get(key, ""), str) for key in ("title", "description")))


def _references_hold(resource: dict[str, Any], specs: list[TableSpec]) -> bool:
    """Foreign keys as the kit writes them: one column of this table naming one column of a table described here."""
    fields = {s.name: s.field_names for s in specs}
    own = fields[resource["name"]]
    for fk in resource["schema"].get("foreignKeys", []):
        if not isinstance(fk, dict) or set(fk) != {"fields", "reference"} or not isinstance(fk["reference"], dict):
            return False
        ref = fk["reference"]
        if set(ref) != {"resource", "fields"} or fk["fields"] not in own or ref["resource"] not in fields:
            return False
        if not isinstance(ref["fields"], str) or ref["fields"] not in fields[ref["resource"]]:
            return False
    return isinstance(resource["schema"].get("foreignKeys", []), list)


def _column(field: Any) -> Column | None:
    if not isinstance(field, dict) or set(field) - FIELD_KEYS:
        return None
    name, kind, constraints = field.get("name"), field.get("type"), field.get("constraints", {})
    if not (isinstance(name, str) and name and kind in CONSTRAINTS and field.get("format", "default") == "default"):
        return None
    if not all(isinstance(field.get(key, ""), str) for key in ("title", "description")):
        return None
    if not isinstance(constraints, dict) or set(constraints) - set(CONSTRAINTS[kind]):
        return None
    delimiter = field.get("delimiter", ",")
    if "delimiter" in field and (kind != "list" or not isinstance(delimiter, str) or not delimiter):
        return None
    value = _value_reader(kind, delimiter)
    checks = _checks(constraints, kind)
    if checks is None:
        return None
    return Column(name, kind, _cell_reader(value, checks, kind))


Check = tuple[str, str, Callable[[Any], bool]]  # a constraint's name, frictionless' note when broken, its test


def _checks(constraints: dict[str, Any], kind: str) -> list[Check] | None:
    """(name, note, check) for each constraint, in frictionless' order; None for a value it would not take."""
    checks: list[Check] = []
    for name in CONSTRAINTS[kind]:
        if name not in constraints:
            continue
        constraint = constraints[name]
        note = f'constraint "{name}" is "{constraint}"'
        if name == "required":
            if not isinstance(constraint, bool):
                return None
            if constraint:
                checks.append((name, note, _is_present))
        elif name == "pattern":
            if not isinstance(constraint, str):
                return None
            try:
                pattern = re.compile(f"^{constraint}$")
            except re.error:
                return None
            checks.append((name, note, _matches(pattern)))
        elif name == "enum":
            if not isinstance(constraint, list) or not constraint or not all(isinstance(c, str) for c in constraint):
                return None
            checks.append((name, note, _one_of(list(constraint))))
        else:  # minimum, maximum of an integer column
            if not isinstance(constraint, int) or isinstance(constraint, bool):
                return None
            checks.append((name, note, _at_least(constraint) if name == "minimum" else _at_most(constraint)))
    return checks


def _is_present(cell: Any) -> bool:
    return cell is not None


def _matches(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda cell: cell is None or pattern.match(cell) is not None


def _one_of(allowed: list[str]) -> Callable[[Any], bool]:
    return lambda cell: cell is None or cell in allowed


def _at_least(bound: int) -> Callable[[Any], bool]:
    return lambda cell: cell is None or cell >= bound


def _at_most(bound: int) -> Callable[[Any], bool]:
    return lambda cell: cell is None or cell <= bound


def _value_reader(kind: str, delimiter: str) -> Callable[[str], Any]:
    """The typed value of a non-empty cell, or None when it is not of the type (frictionless' readers, for text)."""
    if kind == "integer":
        return _integer
    if kind == "date":
        return _date
    if kind == "list":
        return lambda cell: cell.split(delimiter)
    return lambda cell: cell


def _integer(cell: str) -> int | None:
    try:
        return int(cell.strip())
    except ValueError:
        return None


def _date(cell: str) -> dt.date | None:
    if len(cell) == 10:  # the usual form, without strptime (which dominated the profile)
        try:
            return dt.date.fromisoformat(cell)
        except ValueError:
            pass
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d").date()
    except ValueError:
        return None


def _cell_reader(value: Callable[[str], Any], checks: list[Check], kind: str) -> CellReader:
    type_note = 'expected item type is "string"' if kind == "list" else f'type is "{kind}/default"'

    def read(cell: str) -> tuple[Any, dict[str, str] | None]:
        typed = None if cell == "" else value(cell)
        if cell != "" and typed is None:
            return None, {"type": type_note}
        notes = None
        for name, note, check in checks:
            if not check(typed):
                notes = notes or {}
                notes[name] = note
        return typed, notes

    return read
