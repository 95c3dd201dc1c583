"""`mentorkit import-manager-feedback`: the manager feedback form's export into participants/manager_feedback.csv.

Each row is one manager's answers about one participant of their team (named
by the participant's work e-mail, which becomes their pseudonym): how often
they see them apply what they learned (1 never to 5 always, required), how
their effectiveness changed since the program began (1 much less to 5 much
more, optional) and how the results of the team they work in changed (1 much
worse to 5 much better, optional; the Level 4 `team_performance` measure). The
manager is never recorded: the form tool's own e-mail and name columns (the
respondent's) are not imported. The Level 3 measure
`manager_observed_behaviour` reads these rows. Row by row and field by field,
as `imports` describes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from ..model.forms import ManagerFeedbackMapping
from ..model.questions import IDENTITY_HEADERS, MANAGER_FEEDBACK, titles
from ..repo.table_rows import read_table
from .answers import CellError
from .exports import Columns
from .imports import DateOrders, ImportRun, Record, answer, score, start_import
from .report import ImportReport

_TITLES = titles((MANAGER_FEEDBACK,))
# The respondent is the manager: the form tool's own e-mail column is theirs and is never imported.
MANAGER_HEADERS = {**_TITLES, "email": tuple(t for t in _TITLES["email"] if t not in IDENTITY_HEADERS["email"]),
                   "ignore": (*_TITLES["ignore"], *IDENTITY_HEADERS["email"])}
MARGIN = dt.timedelta(days=120)  # how long after the end a manager may still answer


def import_manager_feedback(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                            mapping: ManagerFeedbackMapping | None = None, dry_run: bool = False,
                            encoding: str | None = None) -> ImportReport:
    """Import a manager feedback form export into manager_feedback.csv."""
    run = start_import(root, export_path, program_id, private_dir, "manager feedback", dry_run, encoding)
    report = run.report
    mapping = mapping or cast(ManagerFeedbackMapping, run.ws.form_mapping(program_id, "manager_feedback"))
    rows, columns, orders = run.read_columns(mapping, MANAGER_HEADERS)
    needed = (("email", "the participant's e-mail address"), ("applies", "how often they apply it"))
    if not run.require_columns(columns, needed, "use the questions of forms/manager-feedback.md, or map yours in "
                                                "forms/mappings.yaml under manager_feedback:"):
        return report
    if "team_performance" in columns.fields and "team_performance" not in read_table(run.root, "manager_feedback").columns:
        report.notes.append("the answers about the team's results are left out: participants/manager_feedback.csv "
                            "has no team_performance column yet: run `mentorkit upgrade`, which adds it, and import "
                            "again to keep them")
    records = [r for number, cells in rows if (r := _record(run, number, cells, columns, orders)) is not None]
    return run.finish(records, ("manager_feedback",))


def _record(run: ImportRun, number: int, cells: list[str], columns: Columns, orders: DateOrders) -> Record | None:
    """One manager's answers about one participant; None when the row is rejected."""
    before = len(run.report.problems)
    program = run.program
    code = run.row_person(cells, columns, number, " of the participant")
    when = run.date_of(cells, columns, orders, number)
    if when and not program.timeline.start <= when <= program.timeline.end + MARGIN:
        run.reject(number, "date" if "date" in columns.fields else "submitted",
                   f"{when} is outside {run.program_id} ({program.timeline.start} to four months after "
                   f"{program.timeline.end})", "check that this export belongs to this program",
                   code="date-outside-timeline")
    values: dict[str, str] = {}
    raw, rule = answer(cells, columns, "applies")
    try:
        if not raw:
            raise CellError("the row does not say how often they apply what they learned")
        values["applies"] = str(score(raw, "applies", rule))
    except CellError as exc:
        run.reject(number, "applies", str(exc), exc.hint, code="missing-value" if not raw else "invalid-answer")
    if len(run.report.problems) > before or code is None or when is None:
        return None
    for name in ("effectiveness", "team_performance"):
        raw, rule = answer(cells, columns, name)
        if raw:  # optional: an unreadable answer is left out, the row kept
            try:
                values[name] = str(score(raw, name, rule))
            except CellError as exc:
                run.reject(number, name, str(exc), exc.hint)
    run.keep_row(before)
    return Record("manager_feedback", {"program": run.program_id, "pseudonym": code, "date": when.isoformat(),
                                       "applies": values["applies"], "effectiveness": values.get("effectiveness", ""),
                                       "team_performance": values.get("team_performance", "")},
                  number)
