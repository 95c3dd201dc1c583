"""`mentorkit import-checkins`: a check-in form export (one row per meeting) into participants/checkins.csv.

A row names the pair that met by the mentee's and the mentor's e-mail
addresses, or by the respondent's and their partner's, or by the respondent
alone when they have one approved pair. Row by row, as `imports` describes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..errors import Problem
from ..model import CheckinMapping, FormColumn, PairStatus, Workspace
from ..repo.layout import MATCHES
from .answers import CellError, choose, parse_email, parse_minutes
from .exports import IDENTITY_HEADERS, SUBMITTED_HEADERS, Columns
from .imports import ImportRun, Record, answer, score, start_import
from .report import ImportReport

CHECKIN_HEADERS: dict[str, tuple[str, ...]] = {
    **IDENTITY_HEADERS,
    "submitted": SUBMITTED_HEADERS,
    "partner_email": ("partner's email", "partner email", "your mentoring partner's email", "email of your partner",
                      "email of your mentoring partner", "your mentor's or mentee's email", "who did you meet",
                      "who did you meet with", "your partner's email"),
    "mentee_email": ("mentee email", "mentee's email", "your mentee's email", "email of your mentee"),
    "mentor_email": ("mentor email", "mentor's email", "your mentor's email", "email of your mentor"),
    "date": ("date of the meeting", "meeting date", "when did you meet", "date of meeting", "date",
             "when was the meeting"),
    "minutes": ("how long did you meet", "how long was the meeting", "minutes", "duration", "meeting length",
                "length of the meeting", "how many minutes did you meet"),
    "mode": ("how did you meet", "meeting mode", "mode", "format", "in person or virtual", "where did you meet"),
    "health": ("how is your mentoring relationship going", "how is the mentoring relationship going",
               "how is the relationship going", "how is your relationship going",
               "relationship health", "health", "how well is it going", "how is it going"),
}

Pairs = dict[str, list[tuple[str, str]]]  # person -> their (mentee, mentor) pairs


def import_checkins(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                    mapping: CheckinMapping | None = None, dry_run: bool = False) -> ImportReport:
    """Import a check-in form export (one row per meeting) into participants/checkins.csv."""
    run = start_import(root, export_path, program_id, private_dir, "check-ins", dry_run)
    program, report, export = run.program, run.report, run.export
    mapping = mapping or program.intake.check_in
    rows, columns, orders = run.read_columns(mapping, CHECKIN_HEADERS)
    has = set(columns.fields)
    if "email" not in has and not {"mentee_email", "mentor_email"} <= has:
        report.add(Problem(export.name, "missing-column", "no column holds the e-mail address of the person answering",
                           row=1, hint="name it in the program file: intake: {check_in: {columns: "
                                       "{\"Your question title\": email}}}"))
    if "minutes" not in has and "minutes" not in mapping.defaults:
        report.add(Problem(export.name, "missing-column", "no column says how long the meeting was",
                           row=1, hint="map the question as minutes, or set defaults: {minutes: '60'}"))
    if "mode" not in has and "mode" not in mapping.defaults:
        report.add(Problem(export.name, "missing-column", "no column says how the pair met",
                           row=1, hint="map the question as mode, or set defaults: {mode: virtual}"))
    if not report.ok:
        return report
    pairs = _pairs(run.ws, program_id)
    records: list[Record] = []
    for number, cells in rows:
        before = len(report.problems)
        pair = _checkin_pair(run, cells, columns, number, pairs)
        when = run.date_of(cells, columns, orders, number)
        values: dict[str, str] = {}
        for name, parse in (("minutes", lambda v, r: str(parse_minutes(v))),
                            ("mode", lambda v, r: choose(v, "mode", r)),
                            ("health", lambda v, r: str(score(v, "health", r)))):
            raw, rule = answer(cells, columns, name)
            if not raw and name in mapping.defaults:
                raw, rule = str(mapping.defaults[name]), FormColumn(field=name)
            if not raw:
                if name != "health":
                    run.reject(number, name, f"an answer is required for {name}", code="missing-value")
                continue
            try:
                values[name] = parse(raw, rule)
            except CellError as exc:
                run.reject(number, name, str(exc), exc.hint)
        if when and not program.timeline.start <= when <= program.timeline.end:
            run.reject(number, "date" if "date" in has else "submitted",
                       f"{when} is outside {program_id} ({program.timeline.start} to {program.timeline.end})",
                       code="date-outside-timeline")
        if len(report.problems) > before or pair is None or when is None:
            continue
        mentee, mentor = pair
        records.append(Record("checkins", {"program": program_id, "mentee": mentee, "mentor": mentor,
                                           "date": when.isoformat(), "minutes": values["minutes"],
                                           "mode": values["mode"], "health": values.get("health", "")}, number))
    return run.finish(records, ("checkins",))


def _pairs(ws: Workspace, program_id: str) -> Pairs:
    """Each person's (mentee, mentor) pairs among the program's approved and ended pairs."""
    proposal = ws.proposals.get(program_id)
    by_person: Pairs = {}
    for p in proposal.pairs if proposal else ():
        if p.status in (PairStatus.APPROVED, PairStatus.ENDED):
            for who in (p.mentee, p.mentor):
                by_person.setdefault(who, []).append((p.mentee, p.mentor))
    return by_person


def _checkin_pair(run: ImportRun, cells: list[str], columns: Columns, number: int,
                  pairs: Pairs) -> tuple[str, str] | None:
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
        return _checked(run, number, mentee, mentor, pairs)
    respondent = who("email")
    if respondent is False:
        return None
    if respondent is None:
        run.reject(number, "email", "the row has no e-mail address of the person answering", code="missing-value")
        return None
    if mentor:
        return _checked(run, number, respondent, mentor, pairs)
    if mentee:
        return _checked(run, number, mentee, respondent, pairs)
    partner = who("partner_email")
    if partner is False:
        return None
    mine = [p for p in pairs.get(respondent, ()) if partner is None or partner in p]
    if len(mine) == 1:
        return mine[0]
    if partner:
        roles = run.ws.participants
        a, b = roles[respondent].role, roles[partner].role
        if (a == "mentee" and b in ("mentor", "both")) or (a == "both" and b == "mentor"):
            return _checked(run, number, respondent, partner, pairs)
        if (b == "mentee" and a in ("mentor", "both")) or (b == "both" and a == "mentor"):
            return _checked(run, number, partner, respondent, pairs)
        run.reject(number, "partner_email", "it is not clear who is the mentee and who the mentor",
                   "add the pair to the program's match proposal, or ask for the mentee's and the mentor's e-mail "
                   "in separate questions", code="unknown-pair")
        return None
    if not mine:
        run.reject(number, "email", f"{respondent} has no approved pair in {run.program_id}",
                   f"approve the pair in {MATCHES} first, or add a question for the partner's e-mail",
                   code="unknown-pair")
    else:
        run.reject(number, "email", f"{respondent} is in {len(mine)} pairs; the row does not say which met",
                   "add a question for the partner's e-mail to the check-in form", code="ambiguous-pair")
    return None


def _checked(run: ImportRun, number: int, mentee: str, mentor: str, pairs: Pairs) -> tuple[str, str] | None:
    """The pair as approved (the form may have the roles the other way round); None for one person twice."""
    if mentee == mentor:
        run.reject(number, None, "the mentee and the mentor are the same person", code="invalid-value")
        return None
    known = pairs.get(mentee, ())
    if (mentee, mentor) not in known and (mentor, mentee) in known:
        return mentor, mentee  # the form's roles were the other way round than the approved pair says
    return mentee, mentor
