"""`mentorkit import-survey`: a survey export into survey_responses.csv (and skill_ratings.csv).

Each row is one person's answers to the baseline, pulse or final survey
(`--survey`, or a column saying which); a grid question that rates skills
('How would you rate your skills? [Data analysis]') becomes one skill rating
per answered skill. Row by row and field by field, as `imports` describes:
an unreadable score or grid cell is left out, the row's other answers kept
(a pulse survey's skill grid is left out whole: ratings belong to the
baseline and final surveys).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import cast

from ..errors import MentorkitError, Problem
from ..model import FormColumn, SurveyMapping
from ..model.questions import SURVEY_EXTRA, SURVEYS, titles
from .answers import CellError, Terms, normalise_answer
from .exports import Columns
from .imports import DateOrders, ImportRun, Record, answer, score, start_import
from .report import ImportReport

SURVEY_HEADERS = titles(SURVEYS, SURVEY_EXTRA)  # the shipped survey forms' titles and their variants
SURVEY_KINDS = {
    "baseline": ("baseline", "before", "start", "beginning", "start of the program", "pre", "pre-program"),
    "pulse": ("pulse", "mid-point", "midpoint", "mid", "check-in", "during the program"),
    "final": ("final", "end", "end of the program", "after", "post", "post-program", "closing"),
}
QUESTIONS = ("satisfaction", "nps", "confidence")
MARGIN = dt.timedelta(days=120)  # how far before the start or after the end a survey may be answered

Ratings = dict[str, tuple[int, FormColumn]]  # skill id -> (column index, rule)


def import_survey(root: Path, export_path: Path, program_id: str, private_dir: Path, *, survey: str | None = None,
                  mapping: SurveyMapping | None = None, dry_run: bool = False,
                  encoding: str | None = None) -> ImportReport:
    """Import a survey export into survey_responses.csv (and skill_ratings.csv for rating questions).

    `survey` (baseline, pulse, final) applies to every row; without it the
    export needs a column saying which survey each row answers.
    """
    if survey is not None and survey not in SURVEY_KINDS:
        raise MentorkitError(f"'{survey}' is not a survey: use baseline, pulse or final")
    run = start_import(root, export_path, program_id, private_dir, "survey", dry_run, encoding)
    report, export = run.report, run.export
    mapping = mapping or cast(SurveyMapping, run.ws.form_mapping(program_id, "survey"))
    skills = Terms(run.ws.vocabulary.skills if run.ws.vocabulary else [], "skills")
    rows, columns, orders = run.read_columns(mapping, SURVEY_HEADERS, _rating_guess(skills))
    ratings: Ratings = {}
    for name, (idx, rule) in columns.fields.items():
        if name.startswith("rating:"):
            skill = name.split(":", 1)[1]
            if skill not in skills.ids:
                report.add(Problem(export.name, "unknown-term", f"'{skill}' is not a skill in the vocabulary",
                                   row=1, field=export.header[idx]))
            ratings[skill] = (idx, rule)
    if "email" not in columns.fields:
        report.add(Problem(export.name, "missing-column", "no column holds the e-mail address of the person answering",
                           row=1, hint="name it in forms/mappings.yaml: {survey: {columns: "
                                       "{\"Your question title\": email}}}"))
    if survey is None and "survey" not in columns.fields and "survey" not in mapping.defaults:
        report.add(Problem(export.name, "missing-column", "the export does not say which survey it answers",
                           row=1, hint="give it with --survey baseline|pulse|final"))
    if not report.ok:
        return report
    records: list[Record] = []
    for number, cells in rows:
        records.extend(_records(run, number, cells, columns, orders, ratings, survey, mapping))
    return run.finish(records, ("survey_responses", "skill_ratings"))


def _records(run: ImportRun, number: int, cells: list[str], columns: Columns, orders: DateOrders, ratings: Ratings,
             survey: str | None, mapping: SurveyMapping) -> list[Record]:
    """One row's survey response and skill ratings; none when the row is rejected."""
    before = len(run.report.problems)
    program, program_id = run.program, run.program_id
    code = run.row_person(cells, columns, number)
    when = run.date_of(cells, columns, orders, number)
    kind = survey or _row_survey(run, number, cells, columns, mapping)
    if when and not program.timeline.start - MARGIN <= when <= program.timeline.end + MARGIN:
        run.reject(number, "date" if "date" in columns.fields else "submitted",
                   f"{when} is more than four months away from {program_id} "
                   f"({program.timeline.start} to {program.timeline.end})",
                   "check that this export belongs to this program", code="date-outside-timeline")
    rejected = len(run.report.problems) > before or code is None or when is None or kind is None
    optional = len(run.report.problems)  # from here, a problem leaves one answer out, not the row
    values = _scores(run, number, cells, columns)
    scores = _ratings(run, number, cells, ratings)
    if scores and kind == "pulse":
        run.reject(number, None, f"skill ratings ({len(scores)}) belong to the baseline and final surveys, not to a "
                                 "pulse survey", "import this export with --survey baseline or --survey final",
                   code="invalid-value")
        scores = {}
    if rejected or code is None or when is None or kind is None:
        return []
    if not values and not scores:
        if len(run.report.problems) == optional:
            run.reject(number, None, "the row answers none of the survey's questions", code="missing-value")
        return []
    run.keep_row(before)
    response = Record("survey_responses", {"program": program_id, "pseudonym": code, "survey": kind,
                                           "date": when.isoformat(), **{k: values.get(k, "") for k in QUESTIONS}},
                      number)
    return [response] + [Record("skill_ratings", {"program": program_id, "pseudonym": code, "survey": kind,
                                                  "skill": skill, "proficiency": value}, number)
                         for skill, value in scores.items()]


def _scores(run: ImportRun, number: int, cells: list[str], columns: Columns) -> dict[str, str]:
    """The row's answers to the survey's questions, as stored; an unreadable one is reported and left out."""
    values = {}
    for name in QUESTIONS:
        raw, rule = answer(cells, columns, name)
        if raw:
            try:
                values[name] = str(score(raw, name, rule))
            except CellError as exc:
                run.reject(number, name, str(exc), exc.hint)
    return values


def _ratings(run: ImportRun, number: int, cells: list[str], ratings: Ratings) -> dict[str, str]:
    """The row's skill ratings by skill, as stored; an unreadable one is reported and left out."""
    scores = {}
    for skill, (idx, rule) in ratings.items():
        raw = cells[idx].strip()
        if raw:
            try:
                scores[skill] = str(score(raw, "proficiency", rule))
            except CellError as exc:
                run.report.add(Problem(run.export.name, "invalid-answer", str(exc), row=number,
                                       field=run.export.header[idx], hint=exc.hint))
    return scores


def _row_survey(run: ImportRun, number: int, cells: list[str], columns: Columns,
                mapping: SurveyMapping) -> str | None:
    """The survey a row answers, from its column (or the mapping's default); None when it is not one (rejected)."""
    raw, rule = answer(cells, columns, "survey")
    if not raw and "survey" in mapping.defaults:
        raw, rule = str(mapping.defaults["survey"]), FormColumn(field="survey")
    try:
        return _survey_kind(raw, rule)
    except CellError as exc:
        run.reject(number, "survey", str(exc), exc.hint)
        return None


def _survey_kind(value: str, rule: FormColumn) -> str:
    """baseline, pulse or final."""
    normal = normalise_answer(value)
    for given, stored in rule.values.items():
        if normalise_answer(given) == normal:
            normal = stored
    for kind, answers in SURVEY_KINDS.items():
        if normal == kind or normal in answers:
            return kind
    raise CellError(f"'{value.strip()[:40]}' is not a survey mentorkit knows",
                    "answers are baseline, pulse or final; translate others under 'values:' in the program's intake "
                    "settings, or give the survey with --survey")


def _rating_guess(skills: Terms) -> Callable[[str], FormColumn | None]:
    """Grid questions export one column per row: 'How would you rate your skills? [Data analysis]'."""
    def guess(title: str) -> FormColumn | None:
        m = re.match(r"^(.*)\[(.+)\]\s*$", title.strip())
        if not m:
            return None
        try:
            return FormColumn(field="rating:" + skills.one(m.group(2), FormColumn(field="ignore")))
        except CellError:
            return None

    return guess
