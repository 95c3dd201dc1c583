"""`mentorkit import-checkins`: a check-in form export (one row per meeting) into participants/checkins.csv.

A row names the pair that met by the mentee's and the mentor's e-mail
addresses, or by the respondent's and their partner's (the kit's form asks
"Who did you meet?", so a mentor of two mentees says which), or by the
respondent alone when one of their pairs was running on the meeting's date
(its own time: from its approval to its end, as `metrics.context` sets it).
Row by row and field by field, as `imports` describes: an unreadable
relationship score is left out and the meeting is still recorded.

A meeting is one row of checkins.csv however many times it is reported, so
its minutes count once; each partner's relationship score is kept in their
own column (`mentee_health`, `mentor_health`): the person answering says whose
it is, and a row that does not say (a sheet naming the mentee and the mentor)
is the mentee's. Two columns rather than one row per partner, so that every
reader of the table (meetings per pair, hours, the "mentored" rule) keeps
counting one row as one meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from ..errors import Problem
from ..model import CheckinMapping, FormColumn, Role, Workspace
from ..model.pairs import pair_times
from ..model.questions import CHECK_IN, titles
from ..repo.layout import MATCHES
from .answers import CellError, choose, parse_email, parse_minutes
from .exports import Columns
from .imports import ImportRun, Record, answer, score, start_import
from .report import ImportReport

CHECKIN_HEADERS = titles((CHECK_IN,))  # the shipped check-in form's titles and their variants


@dataclass(frozen=True)
class _Pair:
    mentee: str
    mentor: str
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


Pairs = dict[str, list[_Pair]]  # person -> their approved and ended pairs, with each pair's own time

# the answers every meeting needs, each with how its cell is read (cell text, the mapping's rule -> stored text)
_REQUIRED_ANSWERS: tuple[tuple[str, Callable[[str, FormColumn], str]], ...] = (
    ("minutes", lambda v, r: str(parse_minutes(v))),
    ("mode", lambda v, r: choose(v, "mode", r)),
)


def import_checkins(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                    mapping: CheckinMapping | None = None, dry_run: bool = False,
                    encoding: str | None = None) -> ImportReport:
    """Import a check-in form export (one row per meeting) into participants/checkins.csv."""
    run = start_import(root, export_path, program_id, private_dir, "check-ins", dry_run, encoding)
    program, report, export = run.program, run.report, run.export
    mapping = mapping or cast(CheckinMapping, run.ws.form_mapping(program_id, "check_in"))
    rows, columns, orders = run.read_columns(mapping, CHECKIN_HEADERS)
    has = set(columns.fields)
    for problem in _missing_columns(export.name, has, mapping):
        report.add(problem)
    if not report.ok:
        return report
    pairs = _pairs(run.ws, program_id)
    records: list[Record] = []
    for number, cells in rows:
        before = len(report.problems)
        when = run.date_of(cells, columns, orders, number)
        pair = _checkin_pair(run, cells, columns, number, pairs, when)
        values = _required_answers(run, cells, columns, number, mapping)
        if when and not program.timeline.start <= when <= program.timeline.end:
            run.reject(number, "date" if "date" in has else "submitted",
                       f"{when} is outside {program_id} ({program.timeline.start} to {program.timeline.end})",
                       code="date-outside-timeline")
        rejected = len(report.problems) > before or pair is None or when is None
        _health(run, cells, columns, number, mapping, values)
        if rejected or pair is None or when is None:
            continue
        run.keep_row(before)
        mentee, mentor = pair
        rater = _rater(run, cells, columns, pair)
        other = "mentor" if rater == "mentee" else "mentee"
        records.append(Record("checkins", {"program": program_id, "mentee": mentee, "mentor": mentor,
                                           "date": when.isoformat(), "minutes": values["minutes"],
                                           "mode": values["mode"], f"{rater}_health": values.get("health", ""),
                                           f"{other}_health": ""}, number, keep=(f"{other}_health",)))
    return run.finish(records, ("checkins",))


def _missing_columns(export_name: str, has: set[str], mapping: CheckinMapping) -> list[Problem]:
    """The answers every row needs that no column holds and the mapping gives no default for."""
    problems = []
    if "email" not in has and not {"mentee_email", "mentor_email"} <= has:
        problems.append(Problem(export_name, "missing-column", "no column holds the e-mail address of the person "
                                "answering", row=1, hint="name it in forms/mappings.yaml: {check_in: {columns: "
                                "{\"Your question title\": email}}}"))
    if "minutes" not in has and "minutes" not in mapping.defaults:
        problems.append(Problem(export_name, "missing-column", "no column says how long the meeting was",
                                row=1, hint="map the question as minutes, or set defaults: {minutes: '60'}"))
    if "mode" not in has and "mode" not in mapping.defaults:
        problems.append(Problem(export_name, "missing-column", "no column says how the pair met",
                                row=1, hint="map the question as mode, or set defaults: {mode: virtual}"))
    return problems


def _required_answers(run: ImportRun, cells: list[str], columns: Columns, number: int,
                      mapping: CheckinMapping) -> dict[str, str]:
    """The row's minutes and mode (or the mapping's defaults), as stored; each one missing or unreadable is
    rejected."""
    values: dict[str, str] = {}
    for name, parse in _REQUIRED_ANSWERS:
        raw, rule = answer(cells, columns, name)
        if not raw and name in mapping.defaults:
            raw, rule = str(mapping.defaults[name]), FormColumn(field=name)
        if not raw:
            run.reject(number, name, f"an answer is required for {name}", code="missing-value")
            continue
        try:
            values[name] = parse(raw, rule)
        except CellError as exc:
            run.reject(number, name, str(exc), exc.hint)
    return values


def _health(run: ImportRun, cells: list[str], columns: Columns, number: int, mapping: CheckinMapping,
            values: dict[str, str]) -> None:
    """The row's relationship score into `values`, if it has one; optional: an unreadable score is reported and
    left out, the meeting is still recorded."""
    raw, rule = answer(cells, columns, "health")
    if not raw and "health" in mapping.defaults:
        raw, rule = str(mapping.defaults["health"]), FormColumn(field="health")
    if raw:
        try:
            values["health"] = str(score(raw, "health", rule))
        except CellError as exc:
            run.reject(number, "health", str(exc), exc.hint)


def _rater(run: ImportRun, cells: list[str], columns: Columns, pair: tuple[str, str]) -> str:
    """Whose rating the row's relationship score is: the mentor's when the person answering is the pair's mentor,
    else the mentee's (also for a sheet that names both partners and not who answered)."""
    raw, _ = answer(cells, columns, "email")
    try:
        respondent = run.store.pseudonym_of(parse_email(raw)) if raw else None
    except CellError:
        respondent = None
    return "mentor" if respondent == pair[1] else "mentee"


def _pairs(ws: Workspace, program_id: str) -> Pairs:
    """Each person's approved and ended pairs of the program's match proposal, with each pair's own time."""
    by_person: Pairs = {}
    proposal = ws.proposals.get(program_id)
    if proposal is None:
        return by_person
    last: dict[tuple[str, str], dt.date] = {}
    for c in ws.checkins:
        if c.program == program_id:
            key = (c.mentee, c.mentor)
            last[key] = max(c.date, last.get(key, c.date))
    members = {p.pseudonym: p for p in ws.members(program_id)}
    for (mentee, mentor), (start, end) in pair_times(ws.program(program_id), members, proposal, last).items():
        for who in (mentee, mentor):
            by_person.setdefault(who, []).append(_Pair(mentee, mentor, start, end))
    return by_person


def _checkin_pair(run: ImportRun, cells: list[str], columns: Columns, number: int,
                  pairs: Pairs, when: dt.date | None) -> tuple[str, str] | None:
    """The (mentee, mentor) pair a check-in row is about, or None (and the row rejected)."""
    def who(name: str) -> str | Literal[False] | None:
        """The participant a column names; None when it is empty, False when it names no one (row rejected)."""
        raw, _ = answer(cells, columns, name)
        if not raw:
            return None
        try:
            return run.person(parse_email(raw), number, name) or False
        except CellError as exc:
            run.reject(number, name, str(exc), exc.hint)
            return False

    mentee, mentor = who("mentee_email"), who("mentor_email")
    if mentee is False or mentor is False:
        return None
    if mentee and mentor:
        return _checked(run, number, mentee, mentor, pairs, "mentor_email")
    respondent = who("email")
    if respondent is False:
        return None
    if respondent is None:
        run.reject(number, "email", "the row has no e-mail address of the person answering", code="missing-value")
        return None
    if mentor:
        return _checked(run, number, respondent, mentor, pairs, "mentor_email")
    if mentee:
        return _checked(run, number, mentee, respondent, pairs, "mentee_email")
    partner = who("partner_email")
    if partner is False:
        return None
    return _respondent_pair(run, number, pairs, when, respondent, partner)


def _respondent_pair(run: ImportRun, number: int, pairs: Pairs, when: dt.date | None, respondent: str,
                     partner: str | None) -> tuple[str, str] | None:
    """The pair of a row that names only who answered (and maybe their partner): their one pair (with that
    partner, running on the meeting's date), else one the two people's roles tell; None (the row rejected)."""
    mine = [(p.mentee, p.mentor) for p in pairs.get(respondent, ()) if partner is None or partner in (p.mentee, p.mentor)]
    if len(mine) > 1 and when is not None:  # several pairs: the one running on the meeting's date
        running = [(p.mentee, p.mentor) for p in pairs.get(respondent, ())
                   if (p.mentee, p.mentor) in mine and p.covers(when)]
        mine = running if len(running) == 1 else mine
    if len(mine) == 1:
        return mine[0]
    if partner:
        return _pair_by_roles(run, number, pairs, respondent, partner)
    if not mine:
        run.reject(number, "email", f"{respondent} has no approved pair in {run.program_id}",
                   f"approve the pair in {MATCHES} first, or add a question for the partner's e-mail",
                   code="unknown-pair")
    else:
        run.reject(number, "email", f"{respondent} is in {len(mine)} pairs running on {when}; the row does not say "
                                    "which met",
                   "ask \"Who did you meet?\" as the kit's check-in form does (forms/check-in.md)",
                   code="ambiguous-pair")
    return None


def _pair_by_roles(run: ImportRun, number: int, pairs: Pairs, respondent: str, partner: str) -> tuple[str, str] | None:
    """The pair of two people whose roles say who is the mentee; None (the row rejected) when they do not."""
    roles = run.ws.participants
    a, b = roles[respondent].role, roles[partner].role
    if (a == Role.MENTEE and b in (Role.MENTOR, Role.BOTH)) or (a == Role.BOTH and b == Role.MENTOR):
        return _checked(run, number, respondent, partner, pairs, "partner_email")
    if (b == Role.MENTEE and a in (Role.MENTOR, Role.BOTH)) or (b == Role.BOTH and a == Role.MENTOR):
        return _checked(run, number, partner, respondent, pairs, "partner_email")
    run.reject(number, "partner_email", "it is not clear who is the mentee and who the mentor",
               "add the pair to the program's match proposal, or ask for the mentee's and the mentor's e-mail "
               "in separate questions", code="unknown-pair")
    return None


def _checked(run: ImportRun, number: int, mentee: str, mentor: str, pairs: Pairs,
             field: str) -> tuple[str, str] | None:
    """The pair as approved (the form may have the roles the other way round); None (the row refused, naming
    `field`, the column of the partner) for one person twice or two people who are not partners."""
    if mentee == mentor:
        run.reject(number, None, "the mentee and the mentor are the same person", code="invalid-value")
        return None
    known = [(p.mentee, p.mentor) for p in pairs.get(mentee, ())]
    if (mentee, mentor) in known:
        return mentee, mentor
    if (mentor, mentee) in known:
        return mentor, mentee  # the form's roles were the other way round than the approved pair says
    run.reject(number, field, f"{mentee} and {mentor} are not a pair in {run.program_id}: a meeting is recorded "
                              "only between partners",
               f"check the e-mail address; if they do mentor each other, approve the pair in {MATCHES} first",
               code="unknown-pair")
    return None
