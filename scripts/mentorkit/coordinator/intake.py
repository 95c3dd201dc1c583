"""`mentorkit intake`: a sign-up form export becomes pseudonymized participant rows.

A form export (Google Forms, Microsoft Forms, Typeform, Jotform, ... saved as
CSV: UTF-8 with or without BOM, comma, semicolon or tab separated, multi-select
answers in one cell, line breaks inside quoted answers) is read here; every
column is mapped to a participant field through the program file's
``intake.sign_up`` mapping, or through the default mapping of common question
titles ("Email address", "Which skills can you offer?", ...).

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
repository (`read_workspace` on a copy); if anything is wrong, nothing is
written: not the participants table, not the roster, not the key.

This module also holds what the other form imports (`mentorkit.imports`)
share: reading an export, matching its columns, parsing answers, the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import shutil
import tempfile
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import MentorkitError, Problem
from ..model import Program, Vocabulary
from ..repo.atomic import write_atomic
from ..repo.load import load_workspace, read_workspace
from ..repo.pii import EMAIL
from .pseudonyms import PrivateStore, check_outside

MAX_EXPORT_BYTES = 200_000_000
DATAPACKAGE = "participants/datapackage.yaml"
PARTICIPANTS = "participants/participants.csv"


# --- the mapping, as written in the program file -----------------------------
#
# Proposed for config.Program as `intake: IntakeSettings = IntakeSettings()`.
# This block needs only re, typing, pydantic and `config.Strict`: it can move
# into config.py unchanged (intake.py then imports the classes from there).

from ..model import CheckinMapping, FormColumn, FormMapping, IntakeSettings, SignUpMapping, SurveyMapping  # noqa: E402,F401


def column_rule(mapping: FormMapping, header: str) -> FormColumn | None:
    """The mapping's rule for an export column (titles compared as `normalise_header` does)."""
    wanted = normalise_header(header)
    for key, target in mapping.columns.items():
        if normalise_header(key) == wanted:
            return target if isinstance(target, FormColumn) else FormColumn(field=target)
    return None


def settings_for(program: Program) -> IntakeSettings:
    """The program's `intake:` settings, or the defaults (until config.Program has the field)."""
    value = getattr(program, "intake", None)
    return value if isinstance(value, IntakeSettings) else IntakeSettings()


# --- default column titles of common form tools --------------------------------

SIGN_UP_HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "email address", "work email", "work email address", "your email", "your email address",
              "your work email", "your work email address", "business email", "company email", "username"),
    "name": ("name", "full name", "your name", "your full name", "first and last name", "name (first and last)",
             "respondent", "employee name"),
    "phone": ("phone", "phone number", "mobile", "mobile number", "telephone", "your phone number"),
    "ignore": ("id", "start time", "last modified time", "submission id", "response id", "respondent id",
               "ip address", "network id", "submit date (utc)", "start date (utc)", "stage date (utc)"),
    "joined": ("timestamp", "completion time", "submitted at", "submitted on", "submission date", "date submitted",
               "submission time", "created at"),
    "role": ("role", "i want to join as", "join as", "i would like to join as", "i would like to be a",
             "mentor or mentee", "would you like to be a mentor or a mentee", "do you want to be a mentor or a mentee",
             "participate as", "i want to participate as", "how would you like to take part"),
    "department": ("department", "your department", "which department are you in", "which department do you work in",
                   "business unit", "function"),
    "level": ("level", "career level", "job level", "grade", "your level", "career stage", "your career level"),
    "time_zone": ("time zone", "timezone", "your time zone", "which time zone are you in",
                  "which time zone do you work in"),
    "languages": ("languages", "language", "language(s)", "which languages do you speak", "languages you speak",
                  "which languages can you mentor in", "working languages", "which languages can you work in"),
    "skills_offered": ("which skills can you offer", "skills you can offer", "skills offered", "skills to offer",
                       "skills i can offer", "what skills can you offer", "which skills could you help others with",
                       "i can help with", "expertise", "which skills can you share"),
    "skills_sought": ("which skills do you want to develop", "which skills would you like to develop",
                      "skills you want to develop", "skills to develop", "skills sought", "skills i want to develop",
                      "what skills do you want to develop", "which skills do you want to learn",
                      "what would you like to learn", "which skills would you like to learn"),
    "interests": ("interests", "your interests", "hobbies and interests", "what are your interests",
                  "interests outside work"),
    "goals": ("goals", "development goals", "your development goals", "what are your development goals",
              "which development goals do you have"),
    "meeting_mode": ("meeting mode", "how would you like to meet", "how do you prefer to meet",
                     "preferred meeting format", "meeting preference", "meeting format"),
    "location": ("location", "office", "office location", "where are you based", "which office are you based in",
                 "which office do you work from"),
    "mentor_capacity": ("mentor capacity", "capacity", "how many mentees can you take on",
                        "how many mentees could you take on", "how many mentees can you mentor", "number of mentees"),
    "reports_to": ("manager's email", "manager email", "line manager email", "line manager's email",
                   "your manager's email", "your manager's email address", "manager's email address",
                   "email of your manager", "your line manager's email"),
    "gender": ("gender", "your gender", "what is your gender"),
    "age_band": ("age", "age band", "age range", "age group", "your age"),
    "underrepresented": ("underrepresented", "under-represented", "under-represented group",
                         "do you identify as a member of an under-represented group",
                         "do you identify as a member of an underrepresented group"),
}

# fields whose answers identify a person: never written to the repository as given
IDENTIFYING = FormMapping.IDENTIFYING


def normalise_header(text: str) -> str:
    """A column title as compared: case, spacing, quotes, 'e-mail' and trailing '?', ':', '*' do not matter."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\(optional\)|\(required\)", "", text.lower())
    text = re.sub(r"\be-mail\b", "email", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(" ?:*.")
    text = re.sub(r"\s*\([^()]*\)$", "", text)  # "(minutes)", "(1-5)", "(UTC)"
    return text.rstrip(" ?:*.").strip()


def normalise_answer(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s+", " ", text.lower()).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    return text.rstrip(" .")


# --- reading an export ----------------------------------------------------------


class ExportError(MentorkitError):
    """The export cannot be read at all (encoding, CSV structure, no columns)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        super().__init__(f"{first.where}: {first.message}" + (f" ({first.hint})" if first.hint else ""))


@dataclass
class Export:
    name: str  # the file name, as problems show it
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, header = 1, as a spreadsheet shows it; cells)
    delimiter: str
    blank_rows: int = 0


def read_export(path: Path, root: Path | None = None) -> Export:
    """Read a CSV form export; `ExportError` (naming the row) when it is not readable CSV.

    With `root`, an export inside the repository is refused (`UnsafePath`): it
    holds names and addresses, and a file in the repository ends up in a commit.
    """
    path = Path(path)
    name = path.name
    if root is not None:
        check_outside(path, root, "export")
    if not path.is_file():
        raise ExportError([Problem(name, "missing-file", f"there is no file {path}")])
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError([Problem(name, "file-too-large", f"the file is {size:,} bytes; the limit is {MAX_EXPORT_BYTES:,}")])
    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ExportError([Problem(name, "not-csv", "this is a spreadsheet file (.xlsx/.xls), not CSV",
                                   hint="open it and save as 'CSV UTF-8 (comma delimited)', or download the CSV version")])
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExportError([Problem(name, "encoding", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})",
                                   line=line, hint="save or download the export as 'CSV UTF-8'")]) from None
    if not text.strip():
        raise ExportError([Problem(name, "empty-file", "the export is empty", row=1)])
    delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for cells in reader:
            number += 1
            records.append((number, cells))
    except csv.Error as exc:
        raise ExportError([Problem(name, "unreadable-csv",
                                   f"row {number + 1} (line {reader.line_num}) cannot be read as CSV: {exc}",
                                   row=number + 1, line=reader.line_num,
                                   hint="a quote (\") is probably missing or stray around this answer; "
                                        "download the export again rather than editing it by hand")]) from None
    header = [h.strip() for h in records[0][1]]
    problems = []
    seen: dict[str, int] = {}
    for i, title in enumerate(header, start=1):
        key = normalise_header(title)
        if key and key in seen:
            problems.append(Problem(name, "duplicate-column",
                                    f"columns {seen[key]} and {i} have the same title '{title}'", row=1, field=title,
                                    hint="rename one of the questions, or map them in the program's intake settings"))
        seen.setdefault(key, i)
    if problems:
        raise ExportError(problems)
    export = Export(name, header, [], delimiter)
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            export.blank_rows += 1
            continue
        export.rows.append((number, cells))
    return export


def _sniff(text: str) -> str:
    """The delimiter that splits the header row into the most columns (comma on a tie)."""
    best, count = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(first) > count:
            best, count = delimiter, len(first)
    return best


def shape_problems(export: Export) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Rows with as many cells as the header (trailing empty cells are fine); problems for the others."""
    width = len(export.header)
    good, problems = [], []
    for number, cells in export.rows:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            more = len(cells) > width
            problems.append(Problem(
                export.name, "extra-cell" if more else "missing-cell",
                f"the row has {len(cells)} cells but the header has {width} columns"
                + ("" if more else f": the cells for '{export.header[len(cells)]}' and after are missing"),
                row=number, field=None if more else export.header[len(cells)],
                hint="an answer with a comma or a line break is probably missing its quotes; "
                     "download the export again rather than editing it by hand"))
            continue
        good.append((number, cells))
    return good, problems


# --- matching columns to fields ------------------------------------------------


@dataclass
class Columns:
    """Which export column feeds which field."""

    fields: dict[str, tuple[int, FormColumn]] = field(default_factory=dict)  # field -> (column index, rule)
    dropped: list[str] = field(default_factory=list)  # export titles not imported
    problems: list[Problem] = field(default_factory=list)


def match_columns(export: Export, mapping: FormMapping, defaults: dict[str, tuple[str, ...]],
                  guess: Callable[[str], FormColumn | None] | None = None) -> Columns:
    """Map the export's columns: the program's mapping first, then (if allowed) the default titles and `guess`."""
    result = Columns()
    lookup = ({normalise_header(phrase): target for target, phrases in defaults.items() for phrase in phrases}
              if mapping.use_defaults else {})
    claimed: dict[str, list[int]] = {}
    for index, title in enumerate(export.header):
        rule = column_rule(mapping, title)
        if rule is None and mapping.use_defaults:
            target = lookup.get(normalise_header(title))
            rule = FormColumn(field=target) if target else guess(title) if guess else None
        if rule is None or rule.field == "ignore":
            if title or any(cells[index].strip() for _, cells in export.rows if index < len(cells)):
                result.dropped.append(title or f"column {index + 1}")
            continue
        if rule.field in mapping.FREE_TEXT and not rule.safe:
            result.problems.append(Problem(
                export.name, "free-text-refused",
                f"the column '{title}' would put free-text answers into '{rule.field}'", row=1, field=title,
                hint=f"check that its answers are codes (not names or notes), then mark it in the program file: "
                     f"columns: {{\"{title}\": {{field: {rule.field}, safe: true}}}}"))
            continue
        claimed.setdefault(rule.field, []).append(index)
        result.fields.setdefault(rule.field, (index, rule))
    for name, indexes in claimed.items():
        if len(indexes) > 1:
            titles = " and ".join(f"'{export.header[i]}'" for i in indexes)
            result.problems.append(Problem(
                export.name, "ambiguous-column", f"the columns {titles} both look like '{name}'", row=1,
                field=export.header[indexes[1]],
                hint="name the right one in the program's intake settings, and map the other to 'ignore'"))
    return result


def missing_mapped_columns(export: Export, mapping: FormMapping) -> list[str]:
    present = {normalise_header(t) for t in export.header}
    return [h for h in mapping.columns if normalise_header(h) not in present]


# --- parsing answers -------------------------------------------------------------


class CellError(ValueError):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 40 else value[:37] + "..."


_DATE = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:$|[ T,])")


def date_order(values: Iterable[str], configured: str) -> tuple[str | None, str | None]:
    """(order, problem) for a column of dates: ymd, dmy or mdy, guessed from values where `configured` is auto."""
    if configured != "auto":
        return configured, None
    dmy = mdy = False
    numeric = False
    for value in values:
        m = _DATE.match(value)
        if not m or len(m.group(1)) == 4:
            continue
        numeric = True
        sep = value.strip()[len(m.group(1))]
        if sep == ".":
            dmy = True
            continue
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12:
            dmy = True
        elif second > 12:
            mdy = True
    if dmy and mdy:
        return None, "the column mixes day/month and month/day dates"
    if dmy:
        return "dmy", None
    if mdy:
        return "mdy", None
    if numeric:
        return None, "dates such as 03/04/2026 could be 3 April or 4 March"
    return "ymd", None


def parse_date(value: str, order: str | None) -> dt.date:
    text = value.strip()
    m = _DATE.match(text)
    if not m:
        raise CellError(f"'{_shown(value)}' is not a date", "write dates as YYYY-MM-DD")
    a, b, c = m.group(1), m.group(2), m.group(3)
    try:
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        else:
            year = int(c) + (2000 if len(c) <= 2 else 0)
            if order == "mdy":
                month, day = int(a), int(b)
            elif order == "dmy" or text[len(a)] == ".":
                day, month = int(a), int(b)
            else:
                raise CellError(f"'{_shown(value)}' could be read two ways (day/month or month/day)",
                                "set date_order: dmy or mdy in the program's intake settings")
        return dt.date(year, month, day)
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"'{_shown(value)}' is not a valid date", "write dates as YYYY-MM-DD") from None


def parse_int(value: str, low: int, high: int, what: str = "number") -> int:
    numbers = re.findall(r"(?<![\d.])\d+(?![\d.])", value)
    if len(numbers) != 1 or re.search(r"\d[.,]\d", value):
        raise CellError(f"'{_shown(value)}' is not a whole {what}", f"answer with a whole number from {low} to {high}")
    number = int(numbers[0])
    if not low <= number <= high:
        raise CellError(f"{number} is out of range", f"answer with a whole number from {low} to {high}")
    return number


def parse_minutes(value: str) -> int:
    text = normalise_answer(value)
    m = re.fullmatch(r"(\d+)\s*(?:m|min|mins|minutes?)?", text)
    if m:
        minutes = int(m.group(1))
    elif m := re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?)", text):
        minutes = round(float(m.group(1).replace(",", ".")) * 60)
    elif (m := re.fullmatch(r"(\d+)\s*(?:h|hr|hrs|hours?)\s*(\d+)\s*(?:m|min|mins|minutes?)?", text)) or (m := re.fullmatch(r"(\d+):(\d{2})", text)):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        raise CellError(f"'{_shown(value)}' is not a length of time", "answer in minutes, e.g. 45 or 1 hour")
    if not 0 <= minutes <= 600:
        raise CellError(f"{minutes} minutes is out of range", "a meeting lasts 0 to 600 minutes")
    return minutes


CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "role": {
        "mentor": ("mentor", "a mentor", "as a mentor", "i want to mentor", "i want to be a mentor", "i'd like to mentor",
                   "i would like to mentor", "mentor someone", "be a mentor", "i want to mentor someone"),
        "mentee": ("mentee", "a mentee", "as a mentee", "i want a mentor", "i want to be mentored", "i'd like a mentor",
                   "i would like a mentor", "find a mentor", "be mentored", "be a mentee", "i want to find a mentor"),
        "both": ("both", "mentor and mentee", "both mentor and mentee", "both (mentor and mentee)", "mentor & mentee",
                 "both mentor & mentee", "mentee and mentor"),
    },
    "meeting_mode": {
        "virtual": ("virtual", "virtually", "online", "remote", "remotely", "video", "video call", "teams", "zoom"),
        "in-person": ("in-person", "in person", "face-to-face", "face to face", "on-site", "on site", "onsite",
                      "in the office", "office"),
        "either": ("either", "both", "no preference", "hybrid", "any", "either is fine", "either works",
                   "i don't mind", "don't mind"),
    },
    "mode": {
        "virtual": ("virtual", "virtually", "online", "remote", "remotely", "video", "video call", "phone",
                    "phone call", "teams", "zoom"),
        "in-person": ("in-person", "in person", "face-to-face", "face to face", "on-site", "on site", "onsite",
                      "in the office", "office"),
    },
    "gender": {
        "woman": ("woman", "female", "f", "women"),
        "man": ("man", "male", "m", "men"),
        "non-binary": ("non-binary", "nonbinary", "non binary", "genderqueer"),
        "self-described": ("self-described", "self described", "prefer to self-describe", "prefer to self describe",
                           "other", "i prefer to self-describe"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i'd rather not say",
                              "i prefer not to say", "decline to state"),
    },
    "age_band": {
        "under-25": ("under-25", "under 25", "<25", "18-24", "16-24", "below 25", "younger than 25", "24 or under"),
        "25-34": ("25-34", "25 to 34"),
        "35-44": ("35-44", "35 to 44"),
        "45-54": ("45-54", "45 to 54"),
        "55-plus": ("55-plus", "55+", "55 plus", "55 or over", "55 and over", "over 55", "55 or older", "55-64",
                    "65+", "65 or over", "65 and over"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i prefer not to say"),
    },
    "underrepresented": {
        "yes": ("yes", "y", "true"),
        "no": ("no", "n", "false"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i prefer not to say"),
    },
}

LANGUAGES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr",
    "spanish": "es", "español": "es", "espanol": "es", "portuguese": "pt", "português": "pt", "italian": "it",
    "italiano": "it", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl", "swedish": "sv",
    "danish": "da", "norwegian": "no", "finnish": "fi", "czech": "cs", "slovak": "sk", "hungarian": "hu",
    "romanian": "ro", "bulgarian": "bg", "greek": "el", "turkish": "tr", "russian": "ru", "ukrainian": "uk",
    "arabic": "ar", "hebrew": "he", "hindi": "hi", "urdu": "ur", "bengali": "bn", "chinese": "zh", "mandarin": "zh",
    "japanese": "ja", "korean": "ko", "vietnamese": "vi", "thai": "th", "indonesian": "id", "malay": "ms",
    "tagalog": "tl", "filipino": "tl", "swahili": "sw", "croatian": "hr", "serbian": "sr", "slovenian": "sl",
    "estonian": "et", "latvian": "lv", "lithuanian": "lt", "irish": "ga", "welsh": "cy", "catalan": "ca",
    "basque": "eu", "galician": "gl", "persian": "fa", "farsi": "fa", "tamil": "ta", "punjabi": "pa",
    "afrikaans": "af", "icelandic": "is", "albanian": "sq", "macedonian": "mk", "bosnian": "bs",
}


def choose(value: str, name: str, rule: FormColumn) -> str:
    """An answer to one of the closed choices of `name` (the rule's `values` first)."""
    normal = normalise_answer(value)
    for answer, stored in rule.values.items():
        if normalise_answer(answer) == normal:
            return stored
    options = CHOICES[name]
    for stored, answers in options.items():
        if normal == stored or normal in answers:
            return stored
    if name == "gender" and normal.startswith("other:"):
        return "self-described"  # the free text after 'Other:' is never kept
    raise CellError(f"'{_shown(value)}' is not one of the choices for {name.replace('_', ' ')}",
                    f"use one of {', '.join(options)}, or translate this answer under 'values:' in the program's "
                    "intake settings")


def split_multi(value: str) -> tuple[list[str], str]:
    """The pieces of a multi-select cell and the separator: line breaks or ';' (when present), else ','."""
    for sep in ("\n", ";"):
        if sep in value:
            return [p.strip() for p in value.replace("\r\n", "\n").split(sep)], sep
    return [p.strip() for p in value.split(",")], ","


def _term_key(text: str) -> str:
    return re.sub(r"\s*([,;/&])\s*", r"\1", normalise_answer(text))


class Terms:
    """A vocabulary list: ids and labels, matched ignoring case and spacing."""

    def __init__(self, terms, what: str):
        self.what = what
        self.ids = [t.id for t in terms]
        self.index: dict[str, str] = {}
        for t in terms:
            for text in (t.id, t.label, t.id.replace("-", " ")):
                self.index.setdefault(_term_key(text), t.id)

    def one(self, value: str, rule: FormColumn) -> str:
        key = _term_key(value)
        for answer, stored in rule.values.items():
            if _term_key(answer) == key:
                if stored not in self.ids:
                    raise CellError(f"the mapping translates '{_shown(value)}' to '{stored}', which is not in the "
                                    f"{self.what} of vocabulary.yaml")
                return stored
        if key in self.index:
            return self.index[key]
        hint = (f"use one of the {self.what} listed in participants/vocabulary.yaml (label or id)" if self.ids
                else f"the vocabulary has no {self.what} yet: add them to participants/vocabulary.yaml")
        raise CellError(f"'{_shown(value)}' is not in the {self.what} of the vocabulary", hint)

    def many(self, value: str, rule: FormColumn) -> list[str]:
        """Ids for a multi-select cell; a label that contains the separator is put back together."""
        pieces, sep = split_multi(value)
        out: list[str] = []
        i = 0
        while i < len(pieces):
            if not pieces[i]:
                i += 1
                continue
            for j in range(len(pieces), i, -1):  # the longest run of pieces that is one label
                try:
                    term = self.one(sep.join(pieces[i:j]), rule)
                except CellError:
                    if j == i + 1:
                        raise
                    continue
                if term not in out:
                    out.append(term)
                i = j
                break
        return out


def parse_languages(value: str, rule: FormColumn) -> list[str]:
    pieces, _ = split_multi(value)
    codes: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        normal = normalise_answer(re.sub(r"\(.*?\)", "", piece))
        code = next((stored for answer, stored in rule.values.items() if normalise_answer(answer) == normal), None)
        if code is None:
            code = LANGUAGES.get(normal) or (normal if re.fullmatch(r"[a-z]{2}", normal) else None)
        if code is None:
            raise CellError(f"'{_shown(piece)}' is not a language mentorkit knows",
                            "answer with a language name in English or a two-letter code, or translate it under "
                            "'values:' in the program's intake settings")
        if code not in codes:
            codes.append(code)
    return codes


@functools.cache
def _zones() -> tuple[frozenset[str], dict[str, str]]:
    """IANA zone names, and zones by their city where the city names one zone only (scanning tzdata is slow)."""
    zones = frozenset(zoneinfo.available_timezones())
    by_city: dict[str, list[str]] = {}
    for zone in zones:
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(zone.rsplit("/", 1)[1].lower(), []).append(zone)
    return zones, {city: z[0] for city, z in by_city.items() if len(z) == 1}


def parse_time_zone(value: str, rule: FormColumn) -> str:
    text = value.strip()
    for answer, stored in rule.values.items():
        if normalise_answer(answer) == normalise_answer(text):
            return stored
    zones, by_city = _zones()
    if text in zones:
        return text
    for token in re.findall(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+", text):
        if token in zones:
            return token
    city = re.sub(r"\(.*?\)", "", text).strip().lower().replace(" ", "_")
    if city in by_city:
        return by_city[city]
    raise CellError(f"'{_shown(value)}' is not a time zone", "answer with a time zone name such as Europe/Berlin "
                                                              "or a city such as Berlin")


def slug(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def parse_email(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not EMAIL.fullmatch(text) or any(ch.isspace() for ch in text):
        raise CellError("this is not an e-mail address", "every row needs the person's work e-mail address")
    return text


# --- the report -------------------------------------------------------------------


@dataclass
class Change:
    row: int  # row in the export
    key: str  # what was written: a pseudonym, or a record key of pseudonyms, program and date
    detail: str = ""


@dataclass
class ImportReport:
    """What an intake or import did (or, in a dry run, would do), and why anything was rejected."""

    kind: str  # "intake", "check-ins", "survey"
    export: str
    dry_run: bool = False
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    duplicates: list[Change] = field(default_factory=list)  # rows superseded by a later row of the same export
    rejected: list[Problem] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    all_or_nothing: bool = True  # intake writes nothing when anything is rejected; imports keep the good rows

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_dict(self) -> dict:
        def changes(items):
            return [{"row": c.row, "key": c.key, **({"detail": c.detail} if c.detail else {})} for c in items]

        return {"kind": self.kind, "export": self.export, "dry_run": self.dry_run, "ok": self.ok,
                "added": changes(self.added), "updated": changes(self.updated),
                "unchanged": changes(self.unchanged), "duplicates": changes(self.duplicates),
                "rejected": [p.to_dict() for p in self.rejected], "dropped_columns": list(self.dropped_columns),
                "notes": list(self.notes), "written": list(self.written)}

    def as_text(self) -> str:
        would = "would be " if self.dry_run else ""
        lines = [f"{self.kind} from {self.export}" + (" (dry run: nothing written)" if self.dry_run else "")]
        for label, items in (("added", self.added), ("updated", self.updated)):
            lines.append(f"  {label}: {len(items)}" if not self.dry_run else f"  {would}{label}: {len(items)}")
            for c in items:
                lines.append(f"    row {c.row}: {c.key}" + (f" ({c.detail})" if c.detail else ""))
        if self.unchanged:
            lines.append(f"  unchanged (already recorded): {len(self.unchanged)}")
            for c in self.unchanged:
                lines.append(f"    row {c.row}: {c.key}")
        if self.duplicates:
            lines.append(f"  duplicates in the export (the later row is used): {len(self.duplicates)}")
            for c in self.duplicates:
                lines.append(f"    row {c.row}: {c.detail}")
        if self.rejected:
            lines.append(f"  rejected: {len(self.rejected)} problem{'s' if len(self.rejected) != 1 else ''}"
                         + (" (nothing was written)" if self.all_or_nothing else
                            " (the other rows were imported)" if (self.added or self.updated) and not self.dry_run
                            else ""))
            for p in self.rejected:
                lines.append(f"    {p.where}: {p.message} [{p.code}]")
                if p.hint:
                    lines.append(f"        hint: {p.hint}")
        if self.dropped_columns:
            lines.append("  columns not imported (their answers stay in the export only):")
            lines.extend(f"    - {title}" for title in self.dropped_columns)
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.extend(f"  wrote {w}" for w in self.written)
        return "\n".join(lines) + "\n"


# --- tables in the repository -------------------------------------------------------


def declared_columns(root: Path, resource: str) -> list[str]:
    data = yaml.safe_load((Path(root) / DATAPACKAGE).read_text(encoding="utf-8-sig"))
    for res in data.get("resources", []):
        if res.get("name") == resource:
            return [f["name"] for f in res["schema"]["fields"]]
    raise MentorkitError(f"{DATAPACKAGE} declares no table '{resource}'")


def read_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """A table's rows as strings (the workspace has been validated, so the header is the declared one)."""
    if not path.is_file():
        return []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [{c: row.get(c) or "" for c in columns} for row in reader if any((v or "").strip() for v in row.values())]


def table_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def validate_candidate(root: Path, replacements: dict[str, str]) -> list[Problem]:
    """Problems of the workspace as it would be with `replacements` (relative path -> text); nothing is touched."""
    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="mentorkit-check-") as tmp:
        copy = Path(tmp) / "ws"
        copy.mkdir()
        for folder in ("program", "agendas", "participants"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder, ignore=shutil.ignore_patterns(".*"))
        for rel, text in replacements.items():
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        _, report = read_workspace(copy)
    return report.problems


def translate(problems: list[Problem], rel: str, origin: dict[int, int], columns: dict[str, str],
              export: str) -> list[Problem]:
    """Problems in the candidate table `rel` told as the export's row and column."""
    out = []
    for p in problems:
        if p.file == rel and p.row in origin:
            out.append(Problem(export, p.code, p.message, row=origin[p.row], field=columns.get(p.field or "", p.field),
                               hint=p.hint))
        else:
            out.append(p)
    return out


# --- intake ------------------------------------------------------------------------------


def intake(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
           mapping: SignUpMapping | None = None, dry_run: bool = False, today: dt.date | None = None) -> ImportReport:
    """Append or update the participants of `program_id` from a sign-up form export.

    Raises `InvalidWorkspace` when the repository already has problems, `UnsafePath`
    for a private folder inside the repository, `ExportError` for an unreadable
    export, `PseudonymCollision` in the rare case of two people with one
    pseudonym. Problems with the export's answers are in the report's
    `rejected`; then nothing at all is written.
    """
    root = Path(root).resolve()
    ws = load_workspace(root)
    program = ws.program(program_id)
    mapping = mapping or settings_for(program).sign_up
    store = PrivateStore(private_dir, root, create=not dry_run)
    export = read_export(export_path, root)
    report = ImportReport("intake", export.name, dry_run=dry_run)
    today = today or dt.date.today()
    rows, problems = shape_problems(export)
    report.rejected.extend(problems)
    columns = match_columns(export, mapping, SIGN_UP_HEADERS)
    report.rejected.extend(columns.problems)
    report.dropped_columns = columns.dropped
    for title in missing_mapped_columns(export, mapping):
        report.notes.append(f"the mapping names the column '{title}', which this export does not have")
    if export.blank_rows:
        report.notes.append(f"{export.blank_rows} empty row{'s' if export.blank_rows != 1 else ''} skipped")
    if "email" not in columns.fields:
        report.rejected.append(Problem(export.name, "missing-column", "no column holds the participants' e-mail addresses",
                                       row=1, hint="name it in the program file: intake: {sign_up: {columns: "
                                                   "{\"Your question title\": email}}}"))
    vocab = ws.vocabulary or Vocabulary(skills=[], departments=[])
    parsers = _participant_parsers(vocab)
    header_of = {name: export.header[idx] for name, (idx, _) in columns.fields.items()}
    order = None
    if "joined" in columns.fields:
        idx = columns.fields["joined"][0]
        order, why = date_order((cells[idx] for _, cells in rows), mapping.date_order)
        if why:
            report.rejected.append(Problem(export.name, "ambiguous-date", why, row=1, field=header_of["joined"],
                                           hint="set date_order: dmy or mdy under intake.sign_up in the program file"))
    defaults: dict[str, str] = {}
    for name, value in mapping.defaults.items():
        try:
            defaults[name] = parsers[name](_default_cell(value), FormColumn(field=name), "ymd")
        except CellError as exc:
            report.rejected.append(Problem(export.name, "invalid-default", f"the default for {name}: {exc}",
                                           field=name, hint=exc.hint))
    if not report.ok:
        return report

    answers: dict[str, tuple[int, dict[str, str], str, str]] = {}  # pseudonym -> (row, values, e-mail, name)
    for number, cells in rows:
        values: dict[str, str] = {}
        row_problems: list[Problem] = []
        try:
            email = parse_email(cells[columns.fields["email"][0]])
        except CellError as exc:
            report.rejected.append(Problem(export.name, "invalid-answer", str(exc), row=number,
                                           field=header_of["email"], hint=exc.hint))
            continue
        name = cells[columns.fields["name"][0]].strip() if "name" in columns.fields else ""
        for field_name, (idx, rule) in columns.fields.items():
            raw = cells[idx].strip()
            if field_name in ("email", "name", "phone") or not raw:
                continue
            try:
                if field_name == "reports_to":
                    manager = parse_email(raw)
                    if manager.lower() == email.lower():
                        raise CellError("a person cannot report to themselves")
                    values[field_name] = store.pseudonym_of(manager)
                else:
                    values[field_name] = parsers[field_name](raw, rule, order)
            except CellError as exc:
                row_problems.append(Problem(export.name, "invalid-answer", str(exc), row=number,
                                            field=header_of[field_name], hint=exc.hint))
        if row_problems:
            report.rejected.extend(row_problems)
            continue
        code = store.pseudonym_of(email)
        if code in answers:
            earlier = answers[code][0]
            report.duplicates.append(Change(earlier, code, f"row {earlier} is the same person as row {number}; "
                                                           f"the later row {number} is used"))
        answers[code] = (number, values, email, name)
    if not report.ok:
        return report

    participant_columns = declared_columns(root, "participants")
    result = read_rows(root / PARTICIPANTS, participant_columns)
    position = {row["pseudonym"]: i for i, row in enumerate(result)}
    origin: dict[int, int] = {}  # row in the new table -> row in the export
    for code, (number, values, _, _) in answers.items():
        if code in position:
            row = result[position[code]]
            before = dict(row)
            programs = [p for p in row["programs"].split(";") if p]
            if program_id not in programs:
                programs.append(program_id)
            row["programs"] = ";".join(programs)
            row.update({k: v for k, v in values.items() if k != "joined"})  # the first sign-up date is kept
            _settle_capacity(row, values)
            changed = [c for c in participant_columns if before[c] != row[c]]
            (report.updated if changed else report.unchanged).append(Change(number, code, ", ".join(changed)))
        else:
            row = {c: "" for c in participant_columns}
            row.update(pseudonym=code, programs=program_id, meeting_mode="either", joined=today.isoformat())
            row.update(defaults)
            row.update(values)
            _settle_capacity(row, values)
            result.append(row)
            position[code] = len(result) - 1
            report.added.append(Change(number, code))
        origin[position[code] + 2] = number
        report.rejected.extend(_required(row, export.name, number, header_of))
    if report.ok and (report.added or report.updated):
        text = table_text(participant_columns, result)
        report.rejected.extend(translate(validate_candidate(root, {PARTICIPANTS: text}), PARTICIPANTS, origin,
                                         header_of, export.name))
    if not report.ok:
        report.added.clear()
        report.updated.clear()
        report.unchanged.clear()
        return report

    for code, (number, _, email, name) in answers.items():
        store.enrol(email, name, where=f"{export.name}, row {number}")
    if dry_run:
        if store.provisional:
            report.notes.append("there is no key in the private folder yet: the first real run creates one, so the "
                                "pseudonyms shown here are not the ones it will write")
        return report
    report.notes.extend(store.warnings)
    written = store.save()
    if store.key_created:
        report.notes.append(f"created a new key in {store.directory}: keep a backup of it (without it the same people "
                            "would get new pseudonyms), and never commit it")
    if report.added or report.updated:
        write_atomic(root / PARTICIPANTS, table_text(participant_columns, result))
        report.written.append(PARTICIPANTS)
    report.written.extend(f"{path} (private)" for path in written)
    return report


def _default_cell(value: str | list[str]) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


def _settle_capacity(row: dict[str, str], values: dict[str, str]) -> None:
    """A mentee has no mentor capacity (an unanswered capacity becomes 0); a mentor's must be answered."""
    if (row.get("role") == "mentee" and "mentor_capacity" not in values) or (not row.get("mentor_capacity") and row.get("role") not in ("mentor", "both")):
        row["mentor_capacity"] = "0"


REQUIRED = ("role", "department", "level", "time_zone", "languages", "mentor_capacity")


def _required(row: dict[str, str], export: str, number: int, header_of: dict[str, str]) -> list[Problem]:
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


def _participant_parsers(vocab: Vocabulary) -> dict[str, Callable[[str, FormColumn, str | None], str]]:
    skills = Terms(vocab.skills, "skills")
    lists = {"skills_offered": skills, "skills_sought": skills, "interests": Terms(vocab.interests, "interests"),
             "goals": Terms(vocab.goals, "goals")}
    departments = Terms(vocab.departments, "departments")
    locations = Terms(vocab.locations, "locations")

    def team(value, rule, _):
        code = slug(value)
        if not code:
            raise CellError(f"'{_shown(value)}' has no letters or digits to make a team code from")
        return code

    parsers: dict[str, Callable] = {
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
        "languages": lambda v, r, _: ";".join(parse_languages(v, r)),
        "joined": lambda v, r, order: parse_date(v, order).isoformat(),
    }
    for name, terms in lists.items():
        parsers[name] = (lambda t: lambda v, r, _: ";".join(t.many(v, r)))(terms)
    return parsers


def _translated(value: str, rule: FormColumn) -> str:
    normal = normalise_answer(value)
    for answer, stored in rule.values.items():
        if normalise_answer(answer) == normal:
            return stored
    return value
