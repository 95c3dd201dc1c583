"""`mentorkit import-360`: the 360 feedback form's export into participants/feedback_360.csv.

Each row is one colleague's answers about one participant (named by the
participant's work e-mail, which becomes their pseudonym): how they work with
them (peer, direct report, manager, other) and how often they see four
behaviours (1 never to 5 always). The form goes out twice, at the start and at
the end of the program; the coordinator says which round an export is
(`--survey baseline|final`). The rater is never recorded: the form tool's own
e-mail and name columns are not imported, and each answer is told from another
only by a keyed digest of the export row (`response`). The Level 2 measure
`feedback_360_change` reads these rows and counts a participant only with at
least three raters in each round. Row by row and field by field, as `imports`
describes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path
from typing import cast

from ..errors import MentorkitError
from ..model.forms import Feedback360Mapping
from ..model.questions import FEEDBACK_360, IDENTITY_HEADERS, titles
from ..repo.layout import DATAPACKAGE
from ..repo.table_rows import read_table
from .answers import CellError, normalise_answer, translation
from .exports import Columns
from .imports import DateOrders, ImportRun, Record, answer, score, start_import
from .report import ImportReport

_TITLES = titles((FEEDBACK_360,))
# The respondent is the rater: the form tool's own e-mail column is theirs and is never imported.
RATER_HEADERS = {**_TITLES, "email": tuple(t for t in _TITLES["email"] if t not in IDENTITY_HEADERS["email"]),
                 "ignore": (*_TITLES["ignore"], *IDENTITY_HEADERS["email"])}
SURVEYS = ("baseline", "final")
BEHAVIOURS = ("communicates", "listens", "collaborates", "develops_others")
# How the rater works with the participant: the form's answers (and common wordings) -> the stored value.
RELATIONS = {"peer": "peer", "colleague": "peer", "they manage me": "direct-report", "direct report": "direct-report",
             "direct-report": "direct-report", "i report to them": "direct-report", "i manage them": "manager",
             "manager": "manager", "they report to me": "manager", "other": "other"}
MARGIN = dt.timedelta(days=120)  # how long after the end the final round may still be answered
EARLY = dt.timedelta(days=60)  # how long before the start the baseline round may be answered


def import_360(root: Path, export_path: Path, program_id: str, private_dir: Path, survey: str, *,
               mapping: Feedback360Mapping | None = None, dry_run: bool = False,
               encoding: str | None = None) -> ImportReport:
    """Import one round (`survey`: baseline or final) of the 360 feedback form into feedback_360.csv."""
    if survey not in SURVEYS:
        raise ValueError(f"survey must be one of {', '.join(SURVEYS)}")  # the command line offers only these
    run = start_import(root, export_path, program_id, private_dir, "360 feedback", dry_run, encoding)
    try:
        read_table(run.root, "feedback_360")
    except MentorkitError:  # a repository made before the table existed: its data package is the organisation's
        raise MentorkitError(f"{DATAPACKAGE} has no feedback_360 table (the repository predates it): run "
                             "`mentorkit upgrade`, which adds the table as the kit declares it, then import "
                             "again") from None
    report = run.report
    mapping = mapping or cast(Feedback360Mapping, run.ws.form_mapping(program_id, "feedback_360"))
    rows, columns, orders = run.read_columns(mapping, RATER_HEADERS)
    needed = (("email", "the participant's e-mail address"), ("relation", "how the rater works with them"),
              *((b, f"the answer '{_title(b)}'") for b in BEHAVIOURS))
    if not run.require_columns(columns, needed, "use the questions of forms/feedback-360.md, or map yours in "
                                                "forms/mappings.yaml under feedback_360:"):
        return report
    records = [r for number, cells in rows if (r := _record(run, survey, number, cells, columns, orders)) is not None]
    return run.finish(records, ("feedback_360",))


def _title(field: str) -> str:
    return next(q.title for q in FEEDBACK_360.questions if q.field == field)


def response_id(key: bytes, program: str, survey: str, cells: list[str]) -> str:
    """The digest that keeps one rater's answer apart from another's: the same export row gives the same id, so a
    second import of an export replaces its rows rather than adding them again. Keyed with the private folder's
    key (as pseudonyms are), so without it no one can test a guess of who answered what."""
    text = "\x1f".join([program, survey, *cells])
    return "r-" + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def _record(run: ImportRun, survey: str, number: int, cells: list[str], columns: Columns,
            orders: DateOrders) -> Record | None:
    """One colleague's answers about one participant; None when the row is rejected."""
    before = len(run.report.problems)
    program = run.program
    code = run.row_person(cells, columns, number, " of the participant")
    when = run.date_of(cells, columns, orders, number)
    if when and not program.timeline.start - EARLY <= when <= program.timeline.end + MARGIN:
        run.reject(number, "date" if "date" in columns.fields else "submitted",
                   f"{when} is outside {run.program_id} (two months before {program.timeline.start} to four months "
                   f"after {program.timeline.end})", "check that this export belongs to this program",
                   code="date-outside-timeline")
    values: dict[str, str] = {}
    raw, rule = answer(cells, columns, "relation")
    relation = RELATIONS.get(normalise_answer(translation(raw, rule) or raw))
    if relation is None:
        run.reject(number, "relation", f"'{raw}' does not say how the rater works with them" if raw else
                   "the row does not say how the rater works with them",
                   "answer with one of the form's choices: Peer, They manage me, I manage them, Other",
                   code="unknown-relation" if raw else "missing-value")
    for name in BEHAVIOURS:
        raw, rule = answer(cells, columns, name)
        try:
            if not raw:
                raise CellError(f"the row does not answer '{_title(name)}'")
            values[name] = str(score(raw, name, rule))
        except CellError as exc:
            run.reject(number, name, str(exc), exc.hint, code="missing-value" if not raw else "invalid-answer")
    if len(run.report.problems) > before or code is None or when is None or relation is None:
        return None
    return Record("feedback_360", {"program": run.program_id, "pseudonym": code, "survey": survey,
                                   "response": response_id(run.store.key, run.program_id, survey, cells),
                                   "date": when.isoformat(), "relation": relation, **values}, number)
