"""`mentorkit intake`: a sign-up form export becomes pseudonymized participant rows.

Every column of the export (read by `exports`) is mapped to a participant
field through the ``sign_up`` mapping (forms/mappings.yaml, with the program
file's ``intake.sign_up`` laid over it), or through the titles of the kit's
sign-up form and their common variants (`model.questions`: "Your work email
address", "Which skills can you offer?", ...); `answers` reads each answer.

What reaches the repository:

- the pseudonym (keyed, see `pseudonyms`) instead of the e-mail address;
- answers mapped to participant fields, every one of which is constrained
  (a vocabulary id, a choice, a number, a date, a time zone, a language code),
  so a free-text answer cannot pass; the one free-form field, ``team``, is
  taken only from a column the mapping marks ``safe: true``.

What never does: the e-mail address and name (they go to the private roster),
phone numbers, the manager's e-mail address (only its pseudonym, as
``reports_to``), and every column the mapping does not name (dropped, and
listed in the report).

Intake is all or nothing: the new rows are checked on their own (each problem
names the export's row and column) and then together with the whole
repository (`candidate.validate_candidate`: the new table overlaid, nothing
written); if anything is wrong, nothing is written: not the participants
table, not the roster, not the key. The three are then replaced together
(`PrivateStore.save`, through `repo.atomic.write_together`): a full disk, a
read-only folder or a killed process leaves them all as before or all new.
A key that does not give the roster's people their pseudonyms is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ..errors import PrivateDataError, Problem
from ..model import FormColumn, SignUpMapping, Vocabulary, Workspace
from ..model.questions import SIGN_UP, SIGN_UP_EXTRA, titles
from ..repo.load import load_workspace
from ..repo.table_rows import Table, read_table
from .answers import (
    CellError,
    Terms,
    choose,
    date_order,
    parse_date,
    parse_email,
    parse_int,
    parse_languages,
    parse_time_zone,
    parse_working_hours,
    shown,
    slug,
    translation,
)
from .candidate import translate, validate_candidate
from .exports import Columns, Export, Row, map_export, read_export
from .pseudonyms import KEY_FILE, PrivateStore, check_outside
from .report import Change, ImportReport

# The shipped sign-up form's titles and the variants common form tools use.
SIGN_UP_HEADERS = titles((SIGN_UP,), SIGN_UP_EXTRA, submitted="joined")

NOT_STORED = ("email", "name", "phone")  # to the private roster (e-mail, name) or nowhere (phone)
REQUIRED = ("role", "department", "level", "time_zone", "languages", "mentor_capacity")

Parser = Callable[[str, FormColumn, str | None], str]  # (answer, column rule, date order) -> stored value


@dataclass
class _Reading:
    """How this export's answers are read: its columns, each field's parser, the date order, the defaults."""

    export: Export
    columns: Columns
    parsers: dict[str, Parser]
    order: str | None = None  # of the sign-up date column
    defaults: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(init=False)  # field -> the export's column title

    def __post_init__(self) -> None:
        self.titles = self.columns.titles()

    def problem(self, number: int, name: str, exc: CellError) -> Problem:
        return Problem(self.export.name, "invalid-answer", str(exc), row=number, field=self.titles[name],
                       hint=exc.hint)


@dataclass
class _SignUp:
    """One person's answers, as the participants table stores them."""

    row: int  # in the export
    values: dict[str, str]
    email: str
    name: str


def _refuse_a_second_key(ws: Workspace, store: PrivateStore, new_population: bool) -> None:
    """A private folder without a key next to a repository that already holds pseudonyms is the wrong (or a lost)
    folder: a new key would give everyone a new pseudonym and add them all a second time."""
    if new_population or (store.directory / KEY_FILE).is_file() or not ws.participants:
        return
    raise PrivateDataError(
        f"the repository already holds {len(ws.participants)} participants, but {store.directory} has no "
        f"{KEY_FILE}: a new key would give every one of them a new pseudonym, and this export would add them a "
        "second time. Nothing was written. Use the private folder intake used before (or restore its "
        f"{KEY_FILE} and roster from your backup). Only if these sign-ups are a new population, none of whom is "
        "in the repository yet, run again with --new-population")


def intake(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
           mapping: SignUpMapping | None = None, dry_run: bool = False, today: dt.date | None = None,
           encoding: str | None = None, new_population: bool = False) -> ImportReport:
    """Append or update the participants of `program_id` from a sign-up form export.

    Raises `InvalidWorkspace` when the repository already has problems, `UnsafePath`
    for a private folder inside the repository, `ExportError` for an unreadable
    export, `PseudonymCollision` in the rare case of two people with one
    pseudonym. Problems with the export's answers are the report's `problems`
    (shown as rejected); then nothing at all is written.
    """
    root = Path(root).resolve()
    check_outside(export_path, root, "export")  # before the repository is read: it would count the export too
    ws = load_workspace(root)
    ws.program(program_id)  # a clear error for an unknown program
    mapping = mapping or cast(SignUpMapping, ws.form_mapping(program_id, "sign_up"))
    store = PrivateStore(private_dir, root, create=not dry_run)
    _refuse_a_second_key(ws, store, new_population)
    export = read_export(export_path, root, encoding)
    report = ImportReport(kind="intake", export=export.name, dry_run=dry_run)
    rows, reading = _read_columns(export, mapping, ws.vocabulary or Vocabulary(skills=[], departments=[]), report)
    if not report.ok:
        return report
    people = _sign_ups(rows, reading, store, report)
    if not report.ok:
        return report

    table = read_table(root, "participants")
    undeclared = [n for n in reading.columns.fields if n in reading.parsers and n not in table.columns]
    if undeclared:  # a repository from before the column: its answers have nowhere to go until the upgrade
        report.notes.append(f"participants/datapackage.yaml has no column {', '.join(undeclared)}: those answers were "
                            "not imported; run `mentorkit upgrade`, then this intake again")
    origin = _merge(table, people, program_id, reading, today or dt.date.today(), report)
    text = table.text() if report.ok and (report.added or report.updated) else None
    if text is not None:
        report.extend(translate(validate_candidate(root, {table.file: text}), table.file, origin, reading.titles,
                                export.name))
    if not report.ok:
        report.added.clear()
        report.updated.clear()
        report.unchanged.clear()
        return report

    for person in people.values():
        store.enrol(person.email, person.name, where=f"{export.name}, row {person.row}")
    if dry_run:
        if store.provisional:
            report.notes.append("there is no key in the private folder yet: the first real run creates one, so the "
                                "pseudonyms shown here are not the ones it will write")
        return report
    _save(root, table.file, text, store, report)
    return report


def _read_columns(export: Export, mapping: SignUpMapping, vocab: Vocabulary,
                  report: ImportReport) -> tuple[list[Row], _Reading]:
    """The export's rows and how to read them; problems with its columns, dates or defaults go to the report."""
    rows, columns = map_export(export, mapping, SIGN_UP_HEADERS)
    report.extend(columns.problems)
    report.dropped_columns = columns.dropped
    report.notes.extend(columns.notes)
    if "email" not in columns.fields:
        report.add(Problem(export.name, "missing-column", "no column holds the participants' e-mail addresses",
                           row=1, hint="name it in forms/mappings.yaml: {sign_up: {columns: "
                                       "{\"Your question title\": email}}}"))
    reading = _Reading(export, columns, _participant_parsers(vocab))
    if "joined" in columns.fields:
        reading.order, why = date_order(columns.answers("joined", rows), mapping.date_order)
        if why:
            report.add(Problem(export.name, "ambiguous-date", why, row=1, field=reading.titles["joined"],
                               hint="set date_order: mdy (US exports) or dmy under sign_up: in forms/mappings.yaml "
                                    "(or the program file's intake.sign_up)"))
    for name, value in mapping.defaults.items():
        try:
            reading.defaults[name] = reading.parsers[name](_default_cell(value), FormColumn(field=name), "ymd")
        except CellError as exc:
            report.add(Problem(export.name, "invalid-default", f"the default for {name}: {exc}", field=name,
                               hint=exc.hint))
    return rows, reading


def _sign_ups(rows: list[Row], reading: _Reading, store: PrivateStore, report: ImportReport) -> dict[str, _SignUp]:
    """Each person's answers by pseudonym (a later row of the same person replaces an earlier one)."""
    people: dict[str, _SignUp] = {}
    fields = reading.columns.fields
    for number, cells in rows:
        try:
            email = parse_email(cells[fields["email"][0]])
        except CellError as exc:
            report.add(reading.problem(number, "email", exc))
            continue
        name = cells[fields["name"][0]].strip() if "name" in fields else ""
        values: dict[str, str] = {}
        problems: list[Problem] = []
        for field_name, (index, rule) in fields.items():
            raw = cells[index].strip()
            if field_name in NOT_STORED or not raw:
                continue
            try:
                values[field_name] = (_manager(raw, email, store) if field_name == "reports_to"
                                      else reading.parsers[field_name](raw, rule, reading.order))
            except CellError as exc:
                problems.append(reading.problem(number, field_name, exc))
        if problems:
            report.extend(problems)
            continue
        code = store.pseudonym_of(email)
        if code in people:
            earlier = people[code].row
            report.duplicates.append(Change(earlier, code, f"row {earlier} is the same person as row {number}; "
                                                           f"the later row {number} is used"))
        people[code] = _SignUp(number, values, email, name)
    return people


def _manager(answer: str, email: str, store: PrivateStore) -> str:
    """The pseudonym of the manager's e-mail address (the address itself is never stored)."""
    manager = parse_email(answer)
    if manager.lower() == email.lower():
        raise CellError("a person cannot report to themselves")
    return store.pseudonym_of(manager)


def _merge(table: Table, people: dict[str, _SignUp], program_id: str, reading: _Reading, today: dt.date,
           report: ImportReport) -> dict[int, int]:
    """Add or update each person's row in `table`; the new table's row numbers -> the export's."""
    position = {row["pseudonym"]: i for i, row in enumerate(table.rows)}
    origin: dict[int, int] = {}
    for code, person in people.items():
        if code in position:
            row = table.rows[position[code]]
            before = dict(row)
            programs = [p for p in row["programs"].split(";") if p]
            if program_id not in programs:
                programs.append(program_id)
            row["programs"] = ";".join(programs)
            row.update({k: v for k, v in person.values.items() if k != "joined"})  # the first sign-up date is kept
            _settle_capacity(row, person.values)
            changed = [c for c in table.columns if before[c] != row[c]]
            (report.updated if changed else report.unchanged).append(Change(person.row, code, ", ".join(changed)))
        else:
            row = {c: "" for c in table.columns}
            row.update(pseudonym=code, programs=program_id, meeting_mode="either", joined=today.isoformat())
            row.update(reading.defaults)
            row.update(person.values)
            _settle_capacity(row, person.values)
            table.rows.append(row)
            position[code] = len(table.rows) - 1
            report.added.append(Change(person.row, code))
        origin[position[code] + 2] = person.row  # + the header, counted from 1
        report.extend(_required(row, report.export, person.row, reading.titles))
    return origin


def _save(root: Path, rel: str, text: str | None, store: PrivateStore, report: ImportReport) -> None:
    """Write the key and roster (private) and the participants table (when it changed), all or nothing."""
    report.notes.extend(store.warnings)
    written = store.save([(root / rel, text, False)] if text is not None else [])  # all together, or nothing
    if store.key_created:
        report.notes.append(f"created a new key in {store.directory}: keep a backup of it (without it the same people "
                            "would get new pseudonyms), and never commit it")
    if text is not None:
        report.written.append(rel)
    report.written.extend(f"{path} (private)" for path in written)


def _default_cell(value: str | list[str]) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


def _settle_capacity(row: dict[str, str], values: dict[str, str]) -> None:
    """A mentee has no mentor capacity (an unanswered capacity becomes 0); a mentor's must be answered."""
    role = row.get("role")
    if ((role == "mentee" and "mentor_capacity" not in values)
            or (not row.get("mentor_capacity") and role not in ("mentor", "both"))):
        row["mentor_capacity"] = "0"


def _required(row: dict[str, str], export: str, number: int, header_of: dict[str, str]) -> list[Problem]:
    """The row's missing answers, and a capacity that does not fit the role."""
    problems = []
    for name in REQUIRED:
        if row.get(name):
            continue
        if name == "mentor_capacity":
            message, hint = ("a mentor needs to say how many mentees they can take on",
                             "add the question to the form, or set defaults: {mentor_capacity: '1'} under "
                             "intake.sign_up in the program file (it applies to mentors only)")
        elif name in header_of:
            message, hint = f"an answer is required for {name.replace('_', ' ')}", None
        else:
            message, hint = (f"the export has no column for {name.replace('_', ' ')} and the mapping has no default",
                             f"map the question under intake.sign_up.columns, or set defaults: {{{name}: ...}}")
        problems.append(Problem(export, "missing-value", message, row=number, field=header_of.get(name, name),
                                hint=hint))
    capacity = header_of.get("mentor_capacity", "mentor_capacity")
    if row.get("role") == "mentor" and row.get("mentor_capacity") == "0":
        problems.append(Problem(export, "no-capacity", "a mentor with a capacity of 0 could never be matched",
                                row=number, field=capacity, hint="answer 1 or more"))
    if row.get("role") == "mentee" and row.get("mentor_capacity") not in ("", "0"):
        problems.append(Problem(export, "invalid-value", "a mentee has no mentor capacity", row=number, field=capacity,
                                hint="leave it empty for mentees, or answer 'both' as the role"))
    return problems


def _participant_parsers(vocab: Vocabulary) -> dict[str, Parser]:
    skills = Terms(vocab.skills, "skills")
    lists = {"skills_offered": skills, "skills_sought": skills, "interests": Terms(vocab.interests, "interests"),
             "goals": Terms(vocab.goals, "goals"),
             "communication_style": Terms(vocab.communication_styles, "communication_styles")}
    departments = Terms(vocab.departments, "departments")
    locations = Terms(vocab.locations, "locations")

    def team(value: str, rule: FormColumn, _: str | None) -> str:
        code = slug(value)
        if not code:
            raise CellError(f"'{shown(value)}' has no letters or digits to make a team code from")
        return code

    parsers: dict[str, Parser] = {
        "role": lambda v, r, _: choose(v, "role", r),
        "meeting_mode": lambda v, r, _: choose(v, "meeting_mode", r),
        "gender": lambda v, r, _: choose(v, "gender", r),
        "age_band": lambda v, r, _: choose(v, "age_band", r),
        "underrepresented": lambda v, r, _: choose(v, "underrepresented", r),
        "department": lambda v, r, _: departments.one(v, r),
        "location": lambda v, r, _: locations.one(v, r),
        "team": team,
        "level": lambda v, r, _: str(parse_int(_translated(v, r), 1, 9, "level")),
        "mentor_capacity": lambda v, r, _: str(parse_int(_translated(v, r), 0, 10, "number of mentees")),
        "time_zone": lambda v, r, _: parse_time_zone(v, r),
        "working_hours": lambda v, r, _: parse_working_hours(_translated(v, r)),
        "languages": lambda v, r, _: ";".join(parse_languages(v, r)),
        "joined": lambda v, r, order: parse_date(v, order).isoformat(),
    }
    for name, terms in lists.items():
        parsers[name] = (lambda t: lambda v, r, _: ";".join(t.many(v, r)))(terms)
    return parsers



def _translated(value: str, rule: FormColumn) -> str:
    return translation(value, rule) or value
