"""What the check-in and survey imports share: one run of an export into the running program's tables.

`checkins.import_checkins` fills participants/checkins.csv,
`surveys.import_survey` participants/survey_responses.csv and
participants/skill_ratings.csv. Both read exports the way `mentorkit intake`
does (any common form tool's CSV), replace the respondent's e-mail address by
their keyed pseudonym (the key must already exist: participants come in
through intake), and never copy an unmapped column.

Unlike intake, an import is row by row and field by field: an answer that
cannot be read to an optional field (a relationship score, a satisfaction
score, one cell of a skill grid, a closing date) is left out and the rest of
the row imported (`ImportRun.keep_row`: the report names the row, the column
and why); a row whose required answers fail (who, when, the pair) is rejected
and the other rows are imported, so
a re-run after fixing the export adds just the missing rows. Nothing is
silently dropped: every row of the export is added, updated, unchanged
(already imported), a duplicate of a later row in the same export, or
rejected. A check-in both partners report is one record: each partner's row
sets their own rating and keeps the other's (`Record.keep`). Records are
identified by the tables' primary keys, as
participants/datapackage.yaml declares them (check-in: program, mentee,
mentor, date; survey: program, person, survey, date; skill rating: program,
person, survey, skill).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import PrivateDataError, Problem
from ..model import FormColumn, FormMapping, Program, Workspace
from ..repo.atomic import write_atomic
from ..repo.load import load_workspace
from ..repo.table_rows import Table, read_table
from .answers import CellError, date_order, normalise_answer, parse_date, parse_email, parse_int, translation
from .candidate import translate, validate_candidate
from .exports import Columns, Export, Row, map_export, read_export
from .pseudonyms import KEY_FILE, PrivateStore, check_outside
from .report import Change, ImportReport

LEFT_OUT = " (this answer was left out; the row's other answers were imported)"
DateOrders = dict[str, str | None]  # date column's field -> ymd, dmy or mdy (None: ambiguous)

SCALES: dict[str, dict[str, int]] = {
    "satisfaction": {"very dissatisfied": 1, "dissatisfied": 2, "neutral": 3, "neither satisfied nor dissatisfied": 3,
                     "satisfied": 4, "very satisfied": 5},
    "confidence": {"not at all confident": 1, "not confident": 1, "slightly confident": 2, "somewhat confident": 3,
                   "fairly confident": 4, "confident": 4, "very confident": 5, "extremely confident": 5},
    "health": {"poor": 1, "very poor": 1, "fair": 2, "good": 3, "very good": 4, "excellent": 5},
    "proficiency": {"novice": 1, "beginner": 1, "basic": 2, "advanced beginner": 2, "intermediate": 3,
                    "competent": 3, "proficient": 4, "advanced": 4, "expert": 5},
    "applies": {"never": 1, "rarely": 2, "sometimes": 3, "often": 4, "always": 5},
    "effectiveness": {"much less effective": 1, "less effective": 2, "no change": 3, "more effective": 4,
                      "much more effective": 5},
    "team_performance": {"much worse": 1, "worse": 2, "no change": 3, "better": 4, "much better": 5},
}
OFTEN_SCALE = {"never": 1, "rarely": 2, "sometimes": 3, "often": 4, "always": 5}
SCALES.update({name: OFTEN_SCALE for name in ("communicates", "listens", "collaborates", "develops_others")})
RANGES = {"satisfaction": (1, 5), "confidence": (1, 5), "health": (1, 5), "nps": (0, 10), "proficiency": (1, 5),
          "applies": (1, 5), "effectiveness": (1, 5), "team_performance": (1, 5), "communicates": (1, 5),
          "listens": (1, 5), "collaborates": (1, 5), "develops_others": (1, 5)}


def score(value: str, name: str, rule: FormColumn) -> int:
    """A rating: the column's own translation, else a scale's wording ('very satisfied'), else a number in range."""
    low, high = RANGES[name]
    stored = translation(value, rule)
    if stored is not None:
        value = stored
    else:
        normal = normalise_answer(value)
        if normal in SCALES.get(name, {}):
            return SCALES[name][normal]
    return parse_int(value, low, high, "score")


def answer(cells: list[str], columns: Columns, name: str) -> tuple[str, FormColumn]:
    """A field's answer in a row ("" when the export has no such column) and its column's rule."""
    if name not in columns.fields:
        return "", FormColumn(field=name)
    index, rule = columns.fields[name]
    return cells[index].strip(), rule


@dataclass
class Record:
    """A row for one of the tables, from one row of the export."""

    table: str  # the data package's resource name
    row: dict[str, str]
    export_row: int
    # Columns this row leaves to another report of the same record: kept from the table, or from another row of
    # the export, when empty here (a check-in's other partner's rating: each partner reports their own).
    keep: tuple[str, ...] = ()


@dataclass
class ImportRun:
    """One import: the valid repository, the private folder, the export, and the report being filled."""

    root: Path
    ws: Workspace
    program_id: str
    store: PrivateStore
    export: Export
    report: ImportReport
    header_of: dict[str, str] = field(default_factory=dict)  # field -> the export's column title

    @property
    def program(self) -> Program:
        return self.ws.programs[self.program_id]

    def reject(self, number: int, name: str | None, message: str, hint: str | None = None,
               code: str = "invalid-answer") -> None:
        """A problem with row `number` of the export, in the column of field `name`."""
        self.report.add(Problem(self.export.name, code, message, row=number,
                                field=self.header_of.get(name, name) if name else None, hint=hint))

    def keep_row(self, before: int) -> None:
        """The row is imported without the answers its problems since `before` name: each problem says so."""
        problems = self.report.problems
        for i in range(before, len(problems)):
            problems[i] = replace(problems[i], message=problems[i].message + LEFT_OUT)

    def person(self, email: str, number: int, name: str) -> str | None:
        """The pseudonym of an enrolled participant, or None (and the row rejected)."""
        code = self.store.pseudonym_of(email)
        where = self.header_of.get(name, name)
        if code not in self.ws.participants:
            self.reject(number, name, f"the e-mail address in '{where}' does not belong to a participant",
                        "check the address, or add the person with `mentorkit intake` first", code="unknown-person")
            return None
        if self.program_id not in self.ws.participants[code].programs:
            self.reject(number, name, f"the person in '{where}' ({code}) is not enrolled in {self.program_id}",
                        code="not-enrolled")
            return None
        return code

    def row_person(self, cells: list[str], columns: Columns, number: int, whose: str = "") -> str | None:
        """The participant a row is about, from its e-mail column; None (and the row rejected) without one."""
        raw, _ = answer(cells, columns, "email")
        if not raw:
            self.reject(number, "email", f"the row has no e-mail address{whose}", code="missing-value")
            return None
        try:
            return self.person(parse_email(raw), number, "email")
        except CellError as exc:
            self.reject(number, "email", str(exc), exc.hint)
            return None

    def read_columns(self, mapping: FormMapping, headers: dict[str, tuple[str, ...]],
                     guess: Callable[[str], FormColumn | None] | None = None) -> tuple[list[Row], Columns, DateOrders]:
        """The export's rows, its columns mapped, and the order of its date columns (problems to the report)."""
        export, report = self.export, self.report
        rows, columns = map_export(export, mapping, headers, guess)
        report.extend(columns.problems)
        report.dropped_columns = columns.dropped
        if "name" in columns.fields:  # imports need no names: the person is known by their e-mail's pseudonym
            index = columns.fields.pop("name")[0]
            report.dropped_columns = sorted(columns.dropped + [export.header[index]],
                                            key=lambda t: export.header.index(t) if t in export.header else index)
        report.notes.extend(columns.notes)
        self.header_of = columns.titles()
        orders: DateOrders = {}
        for name in ("date", "submitted"):
            if name in columns.fields:
                order, why = date_order(columns.answers(name, rows), mapping.date_order)
                if why:
                    report.add(Problem(export.name, "ambiguous-date", why, row=1, field=self.header_of[name],
                                       hint="set date_order: dmy or mdy in forms/mappings.yaml (or the program file's intake:)"))
                orders[name] = order
        return rows, columns, orders

    def require_columns(self, columns: Columns, needed: Sequence[tuple[str, str]], hint: str) -> bool:
        """A `missing-column` problem for each (field, what it holds) no column of the export holds; True if none."""
        for name, what in needed:
            if name not in columns.fields:
                self.report.add(Problem(self.export.name, "missing-column", f"no column holds {what}", row=1,
                                        hint=hint))
        return self.report.ok

    def date_of(self, cells: list[str], columns: Columns, orders: DateOrders, number: int) -> dt.date | None:
        """The date of the record: the date question, else the submission time; None (row rejected) if neither."""
        for name in ("date", "submitted"):
            raw, _ = answer(cells, columns, name)
            if raw:
                try:
                    return parse_date(raw, orders.get(name))
                except CellError as exc:
                    self.reject(number, name, str(exc), exc.hint)
                    return None
        self.reject(number, "date" if "date" in columns.fields else None, "the row has no date",
                    "answer the date question, or keep the form's timestamp column in the export",
                    code="missing-value")
        return None

    def finish(self, records: list[Record], resources: tuple[str, ...]) -> ImportReport:
        """Merge the records into their tables; write them if the repository stays valid (and not a dry run)."""
        report = self.report
        texts: dict[str, str] = {}  # relative path -> the table's new text
        origins: dict[str, dict[int, int]] = {}
        for resource in resources:
            table = read_table(self.root, resource)
            origin, changed = _merge(table, resource, [r for r in records if r.table == resource], report)
            if changed:
                texts[table.file] = table.text()
                origins[table.file] = origin
        if texts:
            problems = validate_candidate(self.root, texts)
            for rel in texts:
                problems = translate(problems, rel, origins[rel], {}, self.export.name)
            if problems:
                report.extend(problems)
                report.notes.append("the imported rows would leave the repository with problems, so nothing was "
                                    "written")
                report.added.clear()
                report.updated.clear()
                return report
        if report.dry_run:
            return report
        for rel, text in texts.items():
            write_atomic(self.root / rel, text)
            report.written.append(rel)
        return report


def start_import(root: Path, export_path: Path, program_id: str, private_dir: Path, kind: str,
                 dry_run: bool, encoding: str | None = None) -> ImportRun:
    """Load the repository (it must be valid), open the private folder (it must hold the key), read the export."""
    root = Path(root).resolve()
    check_outside(export_path, root, "export")  # before the repository is read: it would count the export too
    ws = load_workspace(root)
    ws.program(program_id)
    store = PrivateStore(private_dir, root, create=False)
    if not (store.directory / KEY_FILE).is_file():
        raise PrivateDataError(f"there is no {KEY_FILE} in {store.directory}: use the private folder that "
                               "`mentorkit intake` used for this program's participants")
    export = read_export(export_path, root, encoding)
    report = ImportReport(kind=kind, export=export.name, dry_run=dry_run, all_or_nothing=False)
    return ImportRun(root, ws, program_id, store, export, report)


def _merge(table: Table, resource: str, records: list[Record], report: ImportReport) -> tuple[dict[int, int], bool]:
    """Add or replace records by the table's primary key: (new row numbers -> the export's, whether any changed)."""
    position = {tuple(r[k] for k in table.key): i for i, r in enumerate(table.rows)}
    latest: dict[tuple[str, ...], Record] = {}
    for item in records:
        key = tuple(item.row[k] for k in table.key)
        if key in latest:
            earlier = latest[key]
            same = earlier.row == item.row
            if item.keep and earlier.keep != item.keep:  # the other partner's report of the same meeting
                item = replace(item, row=_kept(item, earlier.row))
                differ = [c for c in table.columns if c not in item.keep + earlier.keep
                          and earlier.row.get(c, "") != item.row.get(c, "")]
                detail = (f"row {earlier.export_row} and row {item.export_row} report the same meeting, one by each "
                          "partner: it is counted once, with both ratings"
                          + (f"; row {item.export_row}'s {', '.join(differ)} is used" if differ else ""))
            else:
                detail = f"row {earlier.export_row} " + (
                    f"repeats row {item.export_row}" if same else
                    f"and row {item.export_row} describe the same record; row {item.export_row} is used")
            report.duplicates.append(Change(earlier.export_row, _label(key), f"{detail} ({resource})"))
        latest[key] = item
    origin: dict[int, int] = {}
    changed = False
    for key, item in latest.items():
        row = {c: item.row.get(c, "") for c in table.columns}
        if key in position:
            old = table.rows[position[key]]
            row = _kept(replace(item, row=row), old)
            diff = [c for c in table.columns if old[c] != row[c]]
            if diff:
                table.rows[position[key]] = row
                report.updated.append(Change(item.export_row, _label(key), ", ".join(diff)))
                changed = True
            else:
                report.unchanged.append(Change(item.export_row, _label(key)))
        else:
            table.rows.append(row)
            position[key] = len(table.rows) - 1
            report.added.append(Change(item.export_row, _label(key)))
            changed = True
        origin[position[key] + 2] = item.export_row  # + the header, counted from 1
    return origin, changed


def _kept(item: Record, other: dict[str, str]) -> dict[str, str]:
    """The record's row with the columns it leaves to another report taken from `other` where empty here."""
    return {c: other.get(c, "") if c in item.keep and not v else v for c, v in item.row.items()}


def _label(key: tuple[str, ...]) -> str:
    return "/".join(key)
