"""`mentorkit import-outcomes`: an HR system's employee list into participants/outcomes.csv.

The export has one row per employee: their work e-mail address and the dates
of their latest promotion, role change and departure (blank when none), and
optionally their hire date. For each participant (anyone with a pseudonym in
the repository, whichever program) every date becomes an outcome record.
Everyone else is the comparison group: nobody outside the programs is stored;
the report gives their headcount, leavers, promotions and role changes over the program's
comparison period (its timeline, when the program file gives none yet), to
copy under `comparison:` in the program file.

Row by row, as `imports` describes, and field by field: a date that cannot
be read rejects that date (row, column, why), not the row's other dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ..errors import Problem
from ..model.forms import OutcomeMapping
from ..model.questions import IDENTITY_HEADERS
from ..text.counts import counted
from .answers import CellError, date_order, parse_date, parse_email
from .exports import Columns, Row
from .imports import DateOrders, ImportRun, Record, answer, start_import
from .report import ImportReport

OUTCOME_HEADERS: dict[str, tuple[str, ...]] = {
    **IDENTITY_HEADERS,
    "hired": ("hire date", "date hired", "start date", "hired on", "date of hire", "joining date", "joined"),
    "left": ("termination date", "leaving date", "leave date", "exit date", "date left", "left on", "end date",
             "last working day", "departure date"),
    "promoted": ("promotion date", "last promotion date", "date of last promotion", "promoted on", "last promoted"),
    "role_changed": ("role change date", "last role change", "last role change date", "job change date",
                     "date of last role change", "transfer date"),
}
EVENTS = {"promoted": "promotion", "role_changed": "role-change", "left": "departure"}
DATE_FIELDS = ("hired", *EVENTS)


@dataclass
class Comparison:
    """Employees of the export who are not enrolled in the program, over one period."""

    start: dt.date
    end: dt.date
    headcount: int = 0
    leavers: int = 0
    promotions: int = 0
    role_changes: int = 0  # moves to another role: the comparison for internal mobility
    outsiders: int = 0  # rows of people who take part in no program: counted here, never stored

    def count(self, dates: dict[str, dt.date]) -> None:
        hired, left = dates.get("hired"), dates.get("left")
        if (hired is not None and hired > self.end) or (left is not None and left < self.start):
            return  # not employed during the period
        self.headcount += 1
        self.leavers += left is not None and self.start <= left <= self.end
        promoted = dates.get("promoted")
        self.promotions += promoted is not None and self.start <= promoted <= self.end
        moved = dates.get("role_changed")
        self.role_changes += moved is not None and self.start <= moved <= self.end

    def note(self, program_id: str) -> str:
        return (f"comparison group (employees in the export not enrolled in {program_id}), {self.start} to "
                f"{self.end}: headcount {self.headcount}, leavers {self.leavers}, promotions {self.promotions}, "
                f"role_changes {self.role_changes}; "
                f"copy these under comparison: in program/{program_id}.yaml")


def import_outcomes(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                    mapping: OutcomeMapping | None = None, dry_run: bool = False,
                    encoding: str | None = None) -> ImportReport:
    """Import an HR export into outcomes.csv; report the comparison group of `program_id`."""
    run = start_import(root, export_path, program_id, private_dir, "outcomes", dry_run, encoding)
    report, export = run.report, run.export
    mapping = mapping or cast(OutcomeMapping, run.ws.form_mapping(program_id, "outcomes"))
    rows, columns, _ = run.read_columns(mapping, OUTCOME_HEADERS)
    if "email" not in columns.fields:
        report.add(Problem(export.name, "missing-column", "no column holds the employee's e-mail address", row=1,
                           hint="name the column 'Work email', as the coordinator handbook's HR export shows"))
    if not any(name in columns.fields for name in EVENTS):
        report.add(Problem(export.name, "missing-column",
                           "no column holds a promotion, role change or leaving date", row=1,
                           hint="export the columns the coordinator handbook lists for the HR export"))
    if not report.ok:
        return report
    orders = _orders(run, columns, rows)
    c = run.program.comparison
    period = (c.period_start, c.period_end) if c else (run.program.timeline.start, run.program.timeline.end)
    comparison = Comparison(*period)
    records: list[Record] = []
    for number, cells in rows:
        records.extend(_records(run, number, cells, columns, orders, comparison))
    report.notes.append(f"{counted(comparison.outsiders, 'row')} of people in no "
                        "program: counted for the comparison group only, not stored")
    report.notes.append(comparison.note(program_id))
    return run.finish(records, ("outcomes",))


def _orders(run: ImportRun, columns: Columns, rows: list[Row]) -> DateOrders:
    """The day/month order of each date column (an ambiguous column is reported and its dates rejected)."""
    orders: DateOrders = {}
    for name in DATE_FIELDS:
        if name in columns.fields:
            order, why = date_order(columns.answers(name, rows), "auto")
            if why:
                run.report.add(Problem(run.export.name, "ambiguous-date", why, row=1, field=run.header_of[name],
                                       hint="export dates as YYYY-MM-DD"))
            orders[name] = order
    return orders


def _records(run: ImportRun, number: int, cells: list[str], columns: Columns, orders: DateOrders,
             comparison: Comparison) -> list[Record]:
    """A participant's outcome records; a non-participant is counted in the comparison group and not kept."""
    raw, _ = answer(cells, columns, "email")
    if not raw:
        run.reject(number, "email", "the row has no e-mail address", code="missing-value")
        return []
    try:
        code = run.store.pseudonym_of(parse_email(raw))
    except CellError as exc:
        run.reject(number, "email", str(exc), exc.hint)
        return []
    dates: dict[str, dt.date] = {}
    for name in DATE_FIELDS:
        value, _ = answer(cells, columns, name)
        if value:
            try:
                dates[name] = parse_date(value, orders.get(name))
            except CellError as exc:
                run.reject(number, name, str(exc), exc.hint)
    participant = run.ws.participants.get(code)
    if participant is None or run.program_id not in participant.programs:
        comparison.count(dates)
    if participant is None:
        comparison.outsiders += 1
        return []
    return [Record("outcomes", {"pseudonym": code, "outcome": outcome, "date": dates[name].isoformat()}, number)
            for name, outcome in EVENTS.items() if name in dates]
