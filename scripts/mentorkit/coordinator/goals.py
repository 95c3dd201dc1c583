"""`mentorkit import-goals`: a goals form export (one row per goal set or reviewed) into participants/goals.csv.

A row names the mentee by their e-mail address, the skill the goal is about
(a skill of the vocabulary), and how far it is: open, achieved, partly
achieved, not achieved or dropped. A mentee has one goal per skill in a
program, so a later row about the same skill is a review of that goal: it
updates the status (and keeps the goal's set and due dates unless the row
gives new ones). Row by row, as `imports` describes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from ..errors import Problem
from ..model import FormColumn, GoalRecord, GoalStatus
from ..model.forms import GoalMapping
from ..model.questions import GOALS as GOALS_FORM
from ..model.questions import titles
from .answers import CellError, Terms, date_order, normalise_answer, parse_date, translation
from .exports import Columns
from .imports import DateOrders, ImportRun, Record, answer, start_import
from .report import ImportReport

GOAL_HEADERS = titles((GOALS_FORM,))  # the shipped goals form's titles and their variants
STATUSES = {
    "open": ("open", "in progress", "not started", "not started yet", "on track", "started"),
    "achieved": ("achieved", "done", "completed", "complete", "met", "fully achieved"),
    "partly-achieved": ("partly achieved", "partly", "partially achieved", "partially", "some progress"),
    "not-achieved": ("not achieved", "not met", "missed"),
    "dropped": ("dropped", "abandoned", "no longer relevant", "cancelled", "withdrawn"),
}
DATES = ("submitted", "set_on", "due", "closed_on")


def import_goals(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                 mapping: GoalMapping | None = None, dry_run: bool = False,
                 encoding: str | None = None) -> ImportReport:
    """Import a goals form export into goals.csv."""
    run = start_import(root, export_path, program_id, private_dir, "goals", dry_run, encoding)
    report, export = run.report, run.export
    mapping = mapping or cast(GoalMapping, run.ws.form_mapping(program_id, "goals"))
    rows, columns, _ = run.read_columns(mapping, GOAL_HEADERS)
    needed = (("email", "the mentee's e-mail address"), ("skill", "the skill the goal is about"),
              ("status", "how far the goal is"))
    if not run.require_columns(columns, needed, "use the goals form's questions from the coordinator handbook"):
        return report
    orders: DateOrders = {}
    for name in DATES:
        if name in columns.fields:
            order, why = date_order(columns.answers(name, rows), mapping.date_order)
            if why:
                report.add(Problem(export.name, "ambiguous-date", why, row=1, field=run.header_of[name],
                                   hint="export dates as YYYY-MM-DD"))
            orders[name] = order
    skills = Terms(run.ws.vocabulary.skills if run.ws.vocabulary else [], "skills")
    known = {g.goal_id: g for g in run.ws.goals}
    records = [r for number, cells in rows
               if (r := _record(run, number, cells, columns, orders, skills, known)) is not None]
    return run.finish(records, ("goals",))


def _status(value: str, rule: FormColumn) -> str:
    stored = translation(value, rule)
    normal = normalise_answer(stored if stored is not None else value)
    for status, answers in STATUSES.items():
        if normal == status or normal in answers:
            return status
    raise CellError(f"'{value.strip()[:40]}' is not a goal status mentorkit knows",
                    "answers are open, achieved, partly achieved, not achieved or dropped")


def _date(run: ImportRun, number: int, cells: list[str], columns: Columns, orders: DateOrders,
          name: str) -> tuple[dt.date | None, bool]:
    """(the date answered, whether it was readable); a bad date is reported and left out."""
    raw, _ = answer(cells, columns, name)
    if not raw:
        return None, True
    try:
        return parse_date(raw, orders.get(name)), True
    except CellError as exc:
        run.reject(number, name, str(exc), exc.hint)
        return None, False


def _skill_and_status(run: ImportRun, number: int, cells: list[str], columns: Columns,
                      skills: Terms) -> tuple[str | None, str | None]:
    """The goal's skill and status; each one missing or unreadable is rejected (None)."""
    skill = status = None
    for name in ("skill", "status"):
        raw, rule = answer(cells, columns, name)
        try:
            if not raw:
                raise CellError(f"the row does not say {'which skill' if name == 'skill' else 'how far the goal is'}")
            if name == "skill":
                skill = skills.one(raw, rule)
            else:
                status = _status(raw, rule)
        except CellError as exc:
            run.reject(number, name, str(exc), exc.hint, code="missing-value" if not raw else "invalid-answer")
    return skill, status


def _closed_on(dates: dict[str, dt.date | None], earlier: GoalRecord | None) -> dt.date | None:
    """A goal no longer open closed on the row's date for it, else the day of the answer, else when an earlier
    row closed it."""
    return dates["closed_on"] or dates["submitted"] or (earlier.closed_on if earlier else None)


def _record(run: ImportRun, number: int, cells: list[str], columns: Columns, orders: DateOrders, skills: Terms,
            known: dict[str, GoalRecord]) -> Record | None:
    """One goal, new or reviewed; None when the row is rejected (an unreadable date is left out, as if not given)."""
    before = len(run.report.problems)
    code = run.row_person(cells, columns, number)
    skill, status = _skill_and_status(run, number, cells, columns, skills)
    if code is None or skill is None or status is None:
        for name in DATES:
            _date(run, number, cells, columns, orders, name)  # every problem of the row, in one run
        return None
    dates = {name: _date(run, number, cells, columns, orders, name)[0] for name in DATES}
    goal_id = f"g-{run.program_id}-{code.removeprefix('mk-')}-{skill}"
    earlier = known.get(goal_id)
    set_on = dates["set_on"] or (earlier.set_on if earlier else None) or dates["submitted"]
    due = dates["due"] or (earlier.due if earlier else None)
    if set_on is None or due is None:
        run.reject(number, "set_on" if set_on is None else "due",
                   "a new goal needs the date it was set and the date it is due", code="missing-value")
        return None
    closed = None if status == "open" else _closed_on(dates, earlier)
    # a later row of the same export reviews this goal: it keeps these dates
    known[goal_id] = GoalRecord(goal_id, run.program_id, code, skill, set_on, due, GoalStatus(status), closed)
    run.keep_row(before)
    return Record("goals", {"goal_id": goal_id, "program": run.program_id, "pseudonym": code, "skill": skill,
                            "set_on": set_on.isoformat(), "due": due.isoformat(), "status": status,
                            "closed_on": closed.isoformat() if closed else ""}, number)
