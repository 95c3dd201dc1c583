"""`mentorkit import-needs-survey`: the anonymous staff needs survey, counted into participants/needs_survey.csv.

Before a program is designed, the coordinator asks every colleague which
skills they want to grow, which kinds of mentoring would suit them, how much
time they could give and whether they would mentor (forms/needs-survey.md).
The form asks no name and no e-mail; the respondent columns a form tool adds
anyway (Microsoft Forms' "Email" and "Name") are never read, nor is the free
text. The export is read as the other imports read theirs (any common form
tool's CSV, in the encodings `encodings` tells apart, with
forms/mappings.yaml's `needs_survey:` for other question titles), and only
counts are kept: one row per (question, answer), how many respondents gave
it, never a respondent's row, so no answers can be put together into a
person. An export with fewer answers than the program's
reports.min_group_size is refused: every count would then describe very few
people. The export is the survey's full set of answers, so a new import
replaces the program's counts; nothing is written when any answer cannot be
read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import cast

from ..errors import MentorkitError, Problem
from ..model import FormColumn, Vocabulary
from ..model.forms import NeedsSurveyMapping
from ..model.questions import IDENTITY_HEADERS, NEEDS_CHOICES, NEEDS_SURVEY, titles
from ..repo.atomic import write_atomic
from ..repo.layout import DATAPACKAGE
from ..repo.load import load_workspace
from ..repo.table_rows import read_table
from ..text.counts import counted
from .answers import CellError, Terms, normalise_answer, shown, split_multi, translation
from .candidate import validate_candidate
from .exports import Columns, map_export, read_export
from .pseudonyms import check_outside
from .report import ImportReport

RESOURCE = "needs_survey"
_TITLES = titles((NEEDS_SURVEY,), submitted="ignore")
# Anonymous: the identity columns a form tool adds are recognised only to be left out.
NEEDS_HEADERS = {**{k: v for k, v in _TITLES.items() if k not in ("email", "name")},
                 "ignore": (*_TITLES["ignore"], *IDENTITY_HEADERS["email"], *IDENTITY_HEADERS["name"])}
# field of the form -> question stored in the table, in the table's order
QUESTIONS = {"department": "department", "level_band": "level_band", "skills_wanted": "skill", "formats": "format",
             "hours": "hours", "would_mentor": "would_mentor"}

Reader = Callable[[str, FormColumn], list[str]]


class NeedsSurveyReport(ImportReport):
    """An import's report without rows added or updated: the table gets counts, never an export's rows."""

    def row_lines(self) -> list[str]:
        return []


def _choice(name: str) -> Callable[[str, FormColumn], str]:
    """One answer of a closed question: the mapping's translation, else the label asked or the code stored."""
    options = NEEDS_CHOICES[name]
    known = {normalise_answer(label): code for code, label in options.items()}
    known |= {normalise_answer(code): code for code in options}

    def read(value: str, rule: FormColumn) -> str:
        stored = translation(value, rule)
        if stored is not None and stored in options:
            return stored
        code = known.get(normalise_answer(stored if stored is not None else value))
        if code is None:
            raise CellError(f"'{shown(value)}' is not one of the answers to this question",
                            f"use one of: {'; '.join(options.values())} (forms/needs-survey.md), or translate it "
                            "under 'values:' in forms/mappings.yaml (needs_survey:)")
        return code
    return read


def _readers(vocabulary: Vocabulary) -> dict[str, Reader]:
    departments = Terms(vocabulary.departments, "departments")
    skills = Terms(vocabulary.skills, "skills")
    formats = _choice("formats")

    def many_formats(value: str, rule: FormColumn) -> list[str]:
        out: list[str] = []
        for piece in split_multi(value)[0]:
            if piece and (code := formats(piece, rule)) not in out:
                out.append(code)
        return out

    readers: dict[str, Reader] = {
        "department": lambda v, r: [departments.one(v, r)],
        "skills_wanted": skills.many,
        "formats": many_formats,
    }
    for name in ("level_band", "hours", "would_mentor"):
        readers[name] = (lambda one: lambda v, r: [one(v, r)])(_choice(name))
    return readers


def _order(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Each question's answers in the order the form offers them: the table's rows follow it."""
    return {"department": [t.id for t in vocabulary.departments], "skill": [t.id for t in vocabulary.skills],
            "level_band": list(NEEDS_CHOICES["level_band"]), "format": list(NEEDS_CHOICES["formats"]),
            "hours": list(NEEDS_CHOICES["hours"]), "would_mentor": list(NEEDS_CHOICES["would_mentor"])}


def import_needs_survey(root: Path, export_path: Path, program_id: str, *, mapping: NeedsSurveyMapping | None = None,
                        dry_run: bool = False, encoding: str | None = None) -> ImportReport:
    """Count a needs survey export into needs_survey.csv for `program_id` (all or nothing)."""
    root = Path(root).resolve()
    check_outside(export_path, root, "export")
    ws = load_workspace(root)
    program = ws.program(program_id)
    try:
        table = read_table(root, RESOURCE)
    except MentorkitError:
        raise MentorkitError(f"{DATAPACKAGE} has no '{RESOURCE}' table yet (the repository predates it): run "
                             "`mentorkit upgrade`, which adds the table as the kit declares it, then import "
                             "again") from None
    export = read_export(export_path, root, encoding)
    report = NeedsSurveyReport(kind="needs survey", export=export.name, dry_run=dry_run)
    mapping = mapping or cast(NeedsSurveyMapping, ws.form_mapping(program_id, "needs_survey"))
    rows, columns = map_export(export, mapping, NEEDS_HEADERS)
    report.extend(columns.problems)
    report.dropped_columns = columns.dropped
    report.notes.extend(columns.notes)
    if "skills_wanted" not in columns.fields:
        report.add(Problem(export.name, "missing-column", "no column holds the skills people want to grow", row=1,
                           hint="use the questions of forms/needs-survey.md, or map yours in forms/mappings.yaml "
                                "under needs_survey:"))
    if not report.ok:
        return report
    vocabulary = ws.vocabulary or Vocabulary(skills=[], departments=[])
    counts = _count(rows, columns, _readers(vocabulary), report)
    if not report.ok:
        return report
    k = program.reports.min_group_size
    if len(rows) < k:
        raise MentorkitError(f"{export.name} holds {counted(len(rows), 'answer')}: the needs "
                             f"survey is kept from {k} answers on (reports.min_group_size of {program_id}), so that "
                             "no count describes a person. Wait for more answers, then import the export again")
    new = _rows(program_id, len(rows), counts, _order(vocabulary))
    old = [r for r in table.rows if r["program"] == program_id]
    table.rows = [r for r in table.rows if r["program"] != program_id] + new
    report.notes.append(f"{len(rows)} answers counted for {program_id} into {len(new)} counts (one per question and "
                        "answer); the answers themselves are not kept" + ("" if old != new else ", and the counts "
                                                                             "are those already recorded"))
    if old == new:
        return report
    text = table.text()
    problems = validate_candidate(root, {table.file: text})
    if problems:
        report.extend(problems)
        return report
    if not dry_run:
        write_atomic(root / table.file, text)
        report.written.append(table.file)
    return report


def _count(rows: list[tuple[int, list[str]]], columns: Columns, readers: dict[str, Reader],
           report: ImportReport) -> dict[str, Counter[str]]:
    """How many respondents gave each answer, per question; an unreadable answer goes to the report."""
    titles_of = columns.titles()
    counts: dict[str, Counter[str]] = {QUESTIONS[name]: Counter() for name in QUESTIONS}
    for number, cells in rows:
        for name, question in QUESTIONS.items():
            if name not in columns.fields:
                continue
            index, rule = columns.fields[name]
            raw = cells[index].strip()
            if not raw:
                continue  # an unanswered question counts for none of its answers
            try:
                counts[question].update(readers[name](raw, rule))
            except CellError as exc:
                report.add(Problem(report.export, "invalid-answer", str(exc), row=number, field=titles_of[name],
                                   hint=exc.hint))
    return counts


def _rows(program_id: str, responses: int, counts: dict[str, Counter[str]],
          order: dict[str, list[str]]) -> list[dict[str, str]]:
    """The program's rows of the table: the number of answers, then each answer given, in the form's order."""
    out = [{"program": program_id, "question": "responses", "answer": "all", "count": str(responses)}]
    for question, tally in counts.items():
        for answer in order[question]:
            if tally[answer]:
                out.append({"program": program_id, "question": question, "answer": answer,
                            "count": str(tally[answer])})
    return out
