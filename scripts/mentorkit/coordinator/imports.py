"""Check-in and survey form exports into the running program's tables.

`import_checkins` fills participants/checkins.csv, `import_survey` fills
participants/survey_responses.csv and participants/skill_ratings.csv. Both
read exports the way `mentorkit intake` does (any common form tool's CSV),
replace the respondent's e-mail address by their keyed pseudonym (the key
must already exist: participants come in through intake), and never copy an
unmapped column.

Unlike intake, an import is row by row: a row with a problem is rejected (the
report names its row, its column and why) and the other rows are imported, so
a re-run after fixing the export adds just the missing rows. Nothing is
silently dropped: every row of the export is added, updated, unchanged
(already imported), a duplicate of a later row in the same export, or
rejected. Records are identified by the tables' primary keys (check-in:
program, mentee, mentor, date; survey: program, person, survey, date; skill
rating: program, person, survey, skill).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MentorkitError, Problem
from ..model import PairStatus, Workspace
from ..repo.atomic import write_atomic
from ..repo.load import load_workspace
from .intake import (
    SIGN_UP_HEADERS,
    CellError,
    Change,
    CheckinMapping,
    Export,
    FormColumn,
    ImportReport,
    SurveyMapping,
    Terms,
    choose,
    date_order,
    declared_columns,
    match_columns,
    missing_mapped_columns,
    normalise_answer,
    parse_date,
    parse_email,
    parse_int,
    parse_minutes,
    read_export,
    read_rows,
    settings_for,
    shape_problems,
    table_text,
    translate,
    validate_candidate,
)
from .pseudonyms import KEY_FILE, PrivateDataError, PrivateStore

CHECKINS = "participants/checkins.csv"
SURVEYS = "participants/survey_responses.csv"
RATINGS = "participants/skill_ratings.csv"

_IDENTITY = {name: SIGN_UP_HEADERS[name] for name in ("email", "name", "ignore")}
_SUBMITTED = ("timestamp", "completion time", "submitted at", "submitted on", "submission date", "date submitted",
              "submission time", "created at")

CHECKIN_HEADERS: dict[str, tuple[str, ...]] = {
    **_IDENTITY,
    "submitted": _SUBMITTED,
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
               "relationship health", "health", "how well is it going", "how is it going"),
}

SURVEY_HEADERS: dict[str, tuple[str, ...]] = {
    **_IDENTITY,
    "submitted": _SUBMITTED,
    "date": ("date", "survey date"),
    "survey": ("which survey is this", "survey", "survey type", "which survey", "which survey are you answering"),
    "satisfaction": ("how satisfied are you with the program", "how satisfied are you with the mentoring program",
                     "satisfaction", "overall satisfaction", "how satisfied are you", "how satisfied are you overall"),
    "nps": ("how likely are you to recommend the program to a colleague",
            "how likely are you to recommend this program to a colleague",
            "how likely is it that you would recommend the program to a colleague",
            "how likely is it that you would recommend this program to a friend or colleague",
            "likelihood to recommend", "nps", "net promoter score"),
    "confidence": ("how confident do you feel in your role", "how confident are you in your role", "confidence",
                   "how confident do you feel"),
}

SCALES: dict[str, dict[str, int]] = {
    "satisfaction": {"very dissatisfied": 1, "dissatisfied": 2, "neutral": 3, "neither satisfied nor dissatisfied": 3,
                     "satisfied": 4, "very satisfied": 5},
    "confidence": {"not at all confident": 1, "not confident": 1, "slightly confident": 2, "somewhat confident": 3,
                   "fairly confident": 4, "confident": 4, "very confident": 5, "extremely confident": 5},
    "health": {"poor": 1, "very poor": 1, "fair": 2, "good": 3, "very good": 4, "excellent": 5},
    "proficiency": {"novice": 1, "beginner": 1, "basic": 2, "advanced beginner": 2, "intermediate": 3,
                    "competent": 3, "proficient": 4, "advanced": 4, "expert": 5},
}
RANGES = {"satisfaction": (1, 5), "confidence": (1, 5), "health": (1, 5), "nps": (0, 10), "proficiency": (1, 5)}
SURVEY_KINDS = {
    "baseline": ("baseline", "before", "start", "beginning", "start of the program", "pre", "pre-program"),
    "pulse": ("pulse", "mid-point", "midpoint", "mid", "check-in", "during the program"),
    "final": ("final", "end", "end of the program", "after", "post", "post-program", "closing"),
}


def _score(value: str, name: str, rule: FormColumn) -> int:
    low, high = RANGES[name]
    normal = normalise_answer(value)
    for answer, stored in rule.values.items():
        if normalise_answer(answer) == normal:
            value = stored
            break
    else:
        if normal in SCALES.get(name, {}):
            return SCALES[name][normal]
    return parse_int(value, low, high, "score")


def _survey_kind(value: str, rule: FormColumn) -> str:
    normal = normalise_answer(value)
    for answer, stored in rule.values.items():
        if normalise_answer(answer) == normal:
            normal = stored
    for kind, answers in SURVEY_KINDS.items():
        if normal == kind or normal in answers:
            return kind
    raise CellError(f"'{value.strip()[:40]}' is not a survey mentorkit knows",
                    "answers are baseline, pulse or final; translate others under 'values:' in the program's intake "
                    "settings, or give the survey with --survey")


@dataclass
class _Incoming:
    table: str  # relative path of the table
    row: dict[str, str]
    export_row: int


@dataclass
class _Context:
    ws: Workspace
    program_id: str
    store: PrivateStore
    export: Export
    report: ImportReport
    header_of: dict[str, str] = field(default_factory=dict)

    def reject(self, number: int, name: str | None, message: str, hint: str | None = None,
               code: str = "invalid-answer") -> None:
        self.report.rejected.append(Problem(self.export.name, code, message, row=number,
                                            field=self.header_of.get(name, name) if name else None, hint=hint))

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


def _open(root: Path, export_path: Path, program_id: str, private_dir: Path, kind: str, dry_run: bool):
    root = Path(root).resolve()
    ws = load_workspace(root)
    ws.program(program_id)
    store = PrivateStore(private_dir, root, create=False)
    if not (store.directory / KEY_FILE).is_file():
        raise PrivateDataError(f"there is no {KEY_FILE} in {store.directory}: use the private folder that "
                               "`mentorkit intake` used for this program's participants")
    export = read_export(export_path, root)
    report = ImportReport(kind, export.name, dry_run=dry_run)
    report.all_or_nothing = False
    return root, ws, store, export, report


def _columns(ctx: _Context, mapping, headers, guess=None):
    export, report = ctx.export, ctx.report
    rows, problems = shape_problems(export)
    report.rejected.extend(problems)
    columns = match_columns(export, mapping, headers, guess)
    report.rejected.extend(columns.problems)
    report.dropped_columns = columns.dropped
    if "name" in columns.fields:  # imports need no names: the person is known by their e-mail's pseudonym
        index = columns.fields.pop("name")[0]
        report.dropped_columns = sorted(columns.dropped + [export.header[index]],
                                        key=lambda t: export.header.index(t) if t in export.header else index)
    for title in missing_mapped_columns(export, mapping):
        report.notes.append(f"the mapping names the column '{title}', which this export does not have")
    if export.blank_rows:
        report.notes.append(f"{export.blank_rows} empty row{'s' if export.blank_rows != 1 else ''} skipped")
    ctx.header_of = {name: export.header[idx] for name, (idx, _) in columns.fields.items()}
    orders = {}
    for name in ("date", "submitted"):
        if name in columns.fields:
            idx = columns.fields[name][0]
            order, why = date_order((cells[idx] for _, cells in rows), mapping.date_order)
            if why:
                report.rejected.append(Problem(export.name, "ambiguous-date", why, row=1, field=ctx.header_of[name],
                                               hint="set date_order: dmy or mdy in the program's intake settings"))
            orders[name] = order
    return rows, columns, orders


def _cell(cells, columns, name) -> tuple[str, FormColumn | None]:
    if name not in columns.fields:
        return "", None
    idx, rule = columns.fields[name]
    return cells[idx].strip(), rule


def _when(ctx, cells, columns, orders, number) -> dt.date | None:
    """The date of the record: the date question, else the submission time."""
    for name in ("date", "submitted"):
        raw, _ = _cell(cells, columns, name)
        if raw:
            try:
                return parse_date(raw, orders.get(name))
            except CellError as exc:
                ctx.reject(number, name, str(exc), exc.hint)
                return None
    ctx.reject(number, "date" if "date" in columns.fields else None, "the row has no date",
               "answer the date question, or keep the form's timestamp column in the export", code="missing-value")
    return None


# --- check-ins ------------------------------------------------------------------


def import_checkins(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                    mapping: CheckinMapping | None = None, dry_run: bool = False) -> ImportReport:
    """Import a check-in form export (one row per meeting) into participants/checkins.csv."""
    root, ws, store, export, report = _open(root, export_path, program_id, private_dir, "check-ins", dry_run)
    program = ws.programs[program_id]
    mapping = mapping or settings_for(program).check_in
    ctx = _Context(ws, program_id, store, export, report)
    rows, columns, orders = _columns(ctx, mapping, CHECKIN_HEADERS)
    has = set(columns.fields)
    if "email" not in has and not {"mentee_email", "mentor_email"} <= has:
        report.rejected.append(Problem(export.name, "missing-column",
                                       "no column holds the e-mail address of the person answering", row=1,
                                       hint="name it in the program file: intake: {check_in: {columns: "
                                            "{\"Your question title\": email}}}"))
    if "minutes" not in has and "minutes" not in mapping.defaults:
        report.rejected.append(Problem(export.name, "missing-column", "no column says how long the meeting was",
                                       row=1, hint="map the question as minutes, or set defaults: {minutes: '60'}"))
    if "mode" not in has and "mode" not in mapping.defaults:
        report.rejected.append(Problem(export.name, "missing-column", "no column says how the pair met",
                                       row=1, hint="map the question as mode, or set defaults: {mode: virtual}"))
    if not report.ok:
        return report
    pairs = _pairs(ws, program_id)
    incoming: list[_Incoming] = []
    for number, cells in rows:
        before = len(report.rejected)
        pair = _checkin_pair(ctx, cells, columns, number, pairs)
        when = _when(ctx, cells, columns, orders, number)
        values: dict[str, str] = {}
        for name, parse in (("minutes", lambda v, r: str(parse_minutes(v))),
                            ("mode", lambda v, r: choose(v, "mode", r)),
                            ("health", lambda v, r: str(_score(v, "health", r)))):
            raw, rule = _cell(cells, columns, name)
            if not raw and name in mapping.defaults:
                raw, rule = str(mapping.defaults[name]), FormColumn(field=name)
            if not raw:
                if name != "health":
                    ctx.reject(number, name, f"an answer is required for {name}", code="missing-value")
                continue
            try:
                values[name] = parse(raw, rule)
            except CellError as exc:
                ctx.reject(number, name, str(exc), exc.hint)
        if when and not program.timeline.start <= when <= program.timeline.end:
            ctx.reject(number, "date" if "date" in has else "submitted",
                       f"{when} is outside {program_id} ({program.timeline.start} to {program.timeline.end})",
                       code="date-outside-timeline")
        if len(report.rejected) > before or pair is None or when is None:
            continue
        mentee, mentor = pair
        incoming.append(_Incoming(CHECKINS, {"program": program_id, "mentee": mentee, "mentor": mentor,
                                             "date": when.isoformat(), "minutes": values["minutes"],
                                             "mode": values["mode"], "health": values.get("health", "")}, number))
    return _finish(root, ctx, incoming, {CHECKINS: ("program", "mentee", "mentor", "date")},
                   {CHECKINS: "checkins"}, dry_run)


def _pairs(ws: Workspace, program_id: str) -> dict[str, list[tuple[str, str]]]:
    """Each person's (mentee, mentor) pairs among the program's approved and ended pairs."""
    proposal = ws.proposals.get(program_id)
    by_person: dict[str, list[tuple[str, str]]] = {}
    for p in proposal.pairs if proposal else ():
        if p.status in (PairStatus.APPROVED, PairStatus.ENDED):
            for who in (p.mentee, p.mentor):
                by_person.setdefault(who, []).append((p.mentee, p.mentor))
    return by_person


def _checkin_pair(ctx: _Context, cells, columns, number, pairs) -> tuple[str, str] | None:
    def who(name):
        raw, _ = _cell(cells, columns, name)
        if not raw:
            return None
        try:
            return ctx.person(parse_email(raw), number, name) or False
        except CellError as exc:
            ctx.reject(number, name, str(exc), exc.hint)
            return False

    mentee, mentor = who("mentee_email"), who("mentor_email")
    if mentee is False or mentor is False:
        return None
    if mentee and mentor:
        return _checked(ctx, number, mentee, mentor, pairs)
    respondent = who("email")
    if respondent is False:
        return None
    if respondent is None:
        ctx.reject(number, "email", "the row has no e-mail address of the person answering", code="missing-value")
        return None
    if mentor:
        return _checked(ctx, number, respondent, mentor, pairs)
    if mentee:
        return _checked(ctx, number, mentee, respondent, pairs)
    partner = who("partner_email")
    if partner is False:
        return None
    mine = [p for p in pairs.get(respondent, ()) if partner is None or partner in p]
    if len(mine) == 1:
        return mine[0]
    if partner:
        roles = ctx.ws.participants
        a, b = roles[respondent].role, roles[partner].role
        if (a == "mentee" and b in ("mentor", "both")) or (a == "both" and b == "mentor"):
            return _checked(ctx, number, respondent, partner, pairs)
        if (b == "mentee" and a in ("mentor", "both")) or (b == "both" and a == "mentor"):
            return _checked(ctx, number, partner, respondent, pairs)
        ctx.reject(number, "partner_email", "it is not clear who is the mentee and who the mentor",
                   "add the pair to the program's match proposal, or ask for the mentee's and the mentor's e-mail "
                   "in separate questions", code="unknown-pair")
        return None
    if not mine:
        ctx.reject(number, "email", f"{respondent} has no approved pair in {ctx.program_id}",
                   "approve the pair in participants/matches first, or add a question for the partner's e-mail",
                   code="unknown-pair")
    else:
        ctx.reject(number, "email", f"{respondent} is in {len(mine)} pairs; the row does not say which met",
                   "add a question for the partner's e-mail to the check-in form", code="ambiguous-pair")
    return None


def _checked(ctx, number, mentee, mentor, pairs) -> tuple[str, str] | None:
    if mentee == mentor:
        ctx.reject(number, None, "the mentee and the mentor are the same person", code="invalid-value")
        return None
    known = pairs.get(mentee, ())
    if (mentee, mentor) not in known and (mentor, mentee) in known:
        return mentor, mentee  # the form's roles were the other way round than the approved pair says
    return mentee, mentor


# --- surveys ---------------------------------------------------------------------


def import_survey(root: Path, export_path: Path, program_id: str, private_dir: Path, *, survey: str | None = None,
                  mapping: SurveyMapping | None = None, dry_run: bool = False) -> ImportReport:
    """Import a survey export into survey_responses.csv (and skill_ratings.csv for rating questions).

    `survey` (baseline, pulse, final) applies to every row; without it the
    export needs a column saying which survey each row answers.
    """
    if survey is not None and survey not in SURVEY_KINDS:
        raise MentorkitError(f"'{survey}' is not a survey: use baseline, pulse or final")
    root, ws, store, export, report = _open(root, export_path, program_id, private_dir, "survey", dry_run)
    program = ws.programs[program_id]
    mapping = mapping or settings_for(program).survey
    ctx = _Context(ws, program_id, store, export, report)
    skills = Terms(ws.vocabulary.skills if ws.vocabulary else [], "skills")
    rows, columns, orders = _columns(ctx, mapping, SURVEY_HEADERS, _rating_guess(skills))
    ratings: dict[str, tuple[int, FormColumn]] = {}
    for name, (idx, rule) in columns.fields.items():
        if name.startswith("rating:"):
            skill = name.split(":", 1)[1]
            if skill not in skills.ids:
                report.rejected.append(Problem(export.name, "unknown-term", f"'{skill}' is not a skill in the vocabulary",
                                               row=1, field=export.header[idx]))
            ratings[skill] = (idx, rule)
    if "email" not in columns.fields:
        report.rejected.append(Problem(export.name, "missing-column",
                                       "no column holds the e-mail address of the person answering", row=1,
                                       hint="name it in the program file: intake: {survey: {columns: "
                                            "{\"Your question title\": email}}}"))
    if survey is None and "survey" not in columns.fields and "survey" not in mapping.defaults:
        report.rejected.append(Problem(export.name, "missing-column", "the export does not say which survey it answers",
                                       row=1, hint="give it with --survey baseline|pulse|final"))
    if not report.ok:
        return report
    incoming: list[_Incoming] = []
    for number, cells in rows:
        before = len(report.rejected)
        raw, _ = _cell(cells, columns, "email")
        code = None
        if not raw:
            ctx.reject(number, "email", "the row has no e-mail address", code="missing-value")
        else:
            try:
                code = ctx.person(parse_email(raw), number, "email")
            except CellError as exc:
                ctx.reject(number, "email", str(exc), exc.hint)
        when = _when(ctx, cells, columns, orders, number)
        kind = survey
        if kind is None:
            raw, rule = _cell(cells, columns, "survey")
            if not raw and "survey" in mapping.defaults:
                raw, rule = str(mapping.defaults["survey"]), FormColumn(field="survey")
            try:
                kind = _survey_kind(raw, rule or FormColumn(field="survey"))
            except CellError as exc:
                ctx.reject(number, "survey", str(exc), exc.hint)
        values = {}
        for name in ("satisfaction", "nps", "confidence"):
            raw, rule = _cell(cells, columns, name)
            if raw:
                try:
                    values[name] = str(_score(raw, name, rule))
                except CellError as exc:
                    ctx.reject(number, name, str(exc), exc.hint)
        scores = {}
        for skill, (idx, rule) in ratings.items():
            raw = cells[idx].strip()
            if raw:
                try:
                    scores[skill] = str(_score(raw, "proficiency", rule))
                except CellError as exc:
                    report.rejected.append(Problem(export.name, "invalid-answer", str(exc), row=number,
                                                   field=export.header[idx], hint=exc.hint))
        if scores and kind == "pulse":
            ctx.reject(number, None, "skill ratings belong to the baseline and final surveys, not to a pulse survey",
                       "import this export with --survey baseline or --survey final", code="invalid-value")
        if when and not program.timeline.start - dt.timedelta(days=120) <= when <= program.timeline.end + dt.timedelta(days=120):
            ctx.reject(number, "date" if "date" in columns.fields else "submitted",
                       f"{when} is more than four months away from {program_id} "
                       f"({program.timeline.start} to {program.timeline.end})",
                       "check that this export belongs to this program", code="date-outside-timeline")
        if len(report.rejected) > before or code is None or when is None or kind is None:
            continue
        if not values and not scores:
            ctx.reject(number, None, "the row answers none of the survey's questions", code="missing-value")
            continue
        incoming.append(_Incoming(SURVEYS, {"program": program_id, "pseudonym": code, "survey": kind,
                                            "date": when.isoformat(), **{k: values.get(k, "") for k in
                                                                         ("satisfaction", "nps", "confidence")}}, number))
        for skill, score in scores.items():
            incoming.append(_Incoming(RATINGS, {"program": program_id, "pseudonym": code, "survey": kind,
                                                "skill": skill, "proficiency": score}, number))
    return _finish(root, ctx, incoming, {SURVEYS: ("program", "pseudonym", "survey", "date"),
                                         RATINGS: ("program", "pseudonym", "survey", "skill")},
                   {SURVEYS: "survey_responses", RATINGS: "skill_ratings"}, dry_run)


def _rating_guess(skills: Terms):
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


# --- merging and writing -----------------------------------------------------------


def _finish(root: Path, ctx: _Context, incoming: list[_Incoming], keys: dict[str, tuple[str, ...]],
            resources: dict[str, str], dry_run: bool) -> ImportReport:
    report, export = ctx.report, ctx.export
    texts: dict[str, str] = {}
    origins: dict[str, dict[int, int]] = {}
    for rel, key_fields in keys.items():
        columns = declared_columns(root, resources[rel])
        rows = read_rows(root / rel, columns)
        position = {tuple(r[k] for k in key_fields): i for i, r in enumerate(rows)}
        latest: dict[tuple, _Incoming] = {}
        for item in (i for i in incoming if i.table == rel):
            key = tuple(item.row[k] for k in key_fields)
            if key in latest:
                earlier = latest[key]
                same = earlier.row == item.row
                report.duplicates.append(Change(earlier.export_row, _label(key),
                                                f"row {earlier.export_row} " + (
                                                    f"repeats row {item.export_row}" if same else
                                                    f"and row {item.export_row} describe the same record; "
                                                    f"row {item.export_row} is used") + f" ({resources[rel]})"))
            latest[key] = item
        origin: dict[int, int] = {}
        changed_any = False
        for key, item in latest.items():
            row = {c: item.row.get(c, "") for c in columns}
            if key in position:
                old = rows[position[key]]
                diff = [c for c in columns if old[c] != row[c]]
                if diff:
                    rows[position[key]] = row
                    report.updated.append(Change(item.export_row, _label(key), ", ".join(diff)))
                    changed_any = True
                else:
                    report.unchanged.append(Change(item.export_row, _label(key)))
            else:
                rows.append(row)
                position[key] = len(rows) - 1
                report.added.append(Change(item.export_row, _label(key)))
                changed_any = True
            origin[position[key] + 2] = item.export_row
        if changed_any:
            texts[rel] = table_text(columns, rows)
            origins[rel] = origin
    if texts:
        problems = validate_candidate(root, texts)
        for rel in texts:
            problems = translate(problems, rel, origins[rel], {}, export.name)
        if problems:
            report.rejected.extend(problems)
            report.notes.append("the imported rows would leave the repository with problems, so nothing was written")
            report.added.clear()
            report.updated.clear()
            return report
    if dry_run:
        return report
    for rel, text in texts.items():
        write_atomic(root / rel, text)
        report.written.append(rel)
    return report


def _label(key: tuple) -> str:
    return "/".join(key)
