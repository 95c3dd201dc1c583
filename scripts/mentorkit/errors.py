"""Problems (validation findings as data) and the exceptions the library raises.

Every finding about a user's files is a `Problem` with a stable `code`, so tests
and tools compare (file, line/row, field, code) rather than wording. Exceptions
are reserved for "cannot go on"; the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

# Every code a Problem may carry, with what it means in a coordinator's words, grouped by family.
# A Problem with a code missing here is refused when it is made: add the code (and its row in the
# table of docs/cli.md, which a test compares) before using it.
PROBLEM_CODES: dict[str, str] = {
    # Files: found, named, sized and encoded as the kit expects
    "missing-file": "a file or folder the repository needs is not there",
    "invalid-file-name": "the file name does not follow the convention, e.g. a program file ending in .yml",
    "file-too-large": "the file is larger than the kit reads, so it is refused unread",
    "encoding": "the file is not saved as UTF-8 text",
    "link-outside": "the file is a link to a place outside the repository, so it is refused unopened",
    "unreadable-file": "the file cannot be read: a folder where a file belongs, or no permission to read it",
    "control-character": "the file holds a control character such as NUL: a binary file, or a damaged one",
    "too-deep": "the YAML values nest deeper than any program file does (stray brackets?)",
    "value-too-long": "a value is longer than any field needs; it is refused and quoted only in part",
    "invisible-character": "a value holds a bidi control or zero-width character that changes what readers see",
    "schema-too-new": "the program file is written for a newer program-file schema than this mentorkit reads",
    "empty-file": "the file is empty, or holds nothing but comments",
    "missing-front-matter": "an agenda or e-mail template does not start with its front matter between two '---' lines",
    "invalid-front-matter": "the front matter holds other keys than it should, or an e-mail template has no subject line of text",
    # YAML: the text of a program, agenda, vocabulary or proposal file
    "yaml-syntax": "the file is not valid YAML: indentation, quoting, tabs, or more than one document",
    "duplicate-key": "the same key appears twice in one place; YAML would silently keep the last one",
    "yaml-alias": "the file uses anchors and aliases, which are refused: write the values out in full",
    "yaml-tag": "a value carries a YAML tag (a word starting with '!'), which is not supported",
    "yaml-cut-value": "an unquoted value contains ' #', so YAML reads the rest of the line as a comment",
    # Keys and values: what a YAML file holds, checked against the program, agenda and vocabulary models
    "unknown-key": "a key that does not belong there, often a typo (the hint suggests the closest key)",
    "missing-key": "a required key is missing",
    "wrong-type": "the value is the wrong kind, e.g. text where a number, a list or a mapping belongs",
    "invalid-date": "the value is not a real date written as YYYY-MM-DD",
    "invalid-choice": "the value is not one of the allowed values",
    "invalid-format": "the value does not have the expected form, e.g. an id, pseudonym or language code",
    "out-of-range": "the number is below the smallest or above the largest allowed value",
    "too-short": "the text or list is shorter than required, e.g. a program without goals",
    "too-long": "the text or list is longer than allowed",
    "invalid-value": "the value breaks a rule of its own, e.g. a person who reports to themselves",
    # Tables: the CSV files under participants/, as participants/datapackage.yaml describes them
    "invalid-datapackage": "participants/datapackage.yaml, which describes the tables, is not valid",
    "wrong-delimiter": "the columns are separated by semicolons instead of commas",
    "unknown-column": "the header names a column the table does not declare",
    "missing-column": "a column the table declares, or the export needs, is missing",
    "duplicate-column": "the header names the same column twice",
    "column-order": "the columns are not in the declared order",
    "blank-row": "a row is empty",
    "extra-cell": "a row has more cells than the header has columns",
    "missing-cell": "a row has fewer cells than the header has columns",
    "missing-value": "a required value is empty",
    "constraint-error": "a value breaks another rule the table declares for its column",
    "duplicate-id": "an id or key that must be unique is used twice",
    "separator-in-label": "a vocabulary label holds a comma, semicolon or line break, which join checkbox answers in exports",
    # Privacy: what must never be committed
    "pii-email": "a value looks like an e-mail address; the repository holds pseudonyms only",
    "pii-phone": "a value looks like a phone number; the repository holds pseudonyms only",
    "formula-injection": "a value starts with a character a spreadsheet would run as a formula (=, +, -, @)",
    "free-text-refused": "a form column of free-text answers would go into a field that holds codes",
    # Cross-checks: references between files and rows
    "merge-conflict": "the file still holds the <<<<<<< and >>>>>>> markers of a merge conflict",
    "linked-folder": "a data folder is a link; the kit writes into it, so it must be a real folder",
    "private-file": "a file that must never be in the repository: a key, a roster or form export, a spreadsheet",
    "dangling-reference": "a name refers to something that does not exist: a program, participant, agenda or skill",
    "pair-forbidden": "a proposal pairs people the program forbids (matching.forbidden) or locks to someone else",
    "pair-duplicate": "a proposal lists the same mentee and mentor twice",
    "over-capacity": "a proposal gives a mentor more mentees than their places, or a mentee more mentors than allowed",
    "wrong-role": "a proposal uses someone in a role they did not sign up for (a mentee as a mentor, say)",
    "unknown-term": "a term is not listed in participants/vocabulary.yaml",
    "invalid-time-zone": "the time zone is not a name such as Europe/Berlin",
    "dates-out-of-order": "dates are in the wrong order, e.g. a program that ends before it starts",
    "milestone-outside-timeline": "a milestone falls outside the program's start and end dates",
    "date-outside-timeline": "a check-in or survey date falls outside the program's start and end dates",
    "no-capacity": "a mentor with a capacity of 0, who could never be matched",
    "pilot-full": "a pilot has more participants enrolled than its cap on participants allows",
    # Form exports: what mentorkit intake, import-checkins and import-survey refuse
    "not-csv": "the export is a spreadsheet file, not CSV",
    "unreadable-csv": "the export cannot be read as CSV",
    "ambiguous-column": "two columns of the export look like the same question",
    "ambiguous-date": "dates in the export could be day-first or month-first, and the intake settings do not say which",
    "invalid-default": "a default answer in the program's intake settings is not valid",
    "invalid-answer": "an answer in the export cannot be read for its field",
    "unknown-person": "an e-mail address in the export does not belong to a participant",
    "unknown-relation": "a 360 answer does not say how the rater works with the participant in a way the kit knows",
    "not-enrolled": "the person is a participant, but not enrolled in this program",
    "unknown-pair": "a check-in does not name an approved pair of the program",
    "ambiguous-pair": "a check-in could belong to more than one pair",
    "mentor-full": "every mentor a mentee chose has no place left",
    # Introductions and pages: templates with placeholders
    "not-in-roster": "a participant of an approved pair has no e-mail address in the private roster",
    "unknown-placeholder": "a placeholder names a value that does not exist",
    "bad-placeholder": "a brace is not part of a well-formed placeholder",
    "generated-page-exists": "a page in docs/ has the name of a page the site generates",
    "themes-format": "a qualitative themes file is not one '## Title' heading per theme with plain sentences",
    "themes-too-long": "a qualitative themes file has too many themes, or a theme too long to be a summary",
    "pseudonym-in-text": "a qualitative themes file names a participant by their pseudonym",
    "too-few-contributors": "fewer people took part in a round of qualitative themes than the program's smallest group",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the repository."""

    file: str  # path relative to the workspace root, with forward slashes
    code: str  # stable identifier, e.g. "unknown-key", "duplicate-id"
    message: str  # what is wrong, in a coordinator's words
    line: int | None = None  # YAML / Markdown: 1-based line
    column: int | None = None  # YAML / Markdown: 1-based column
    row: int | None = None  # CSV: 1-based record number, the header is row 1
    field: str | None = None  # dotted key path (YAML) or column name (CSV)
    hint: str | None = None  # how to fix it

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code '{self.code}': add it to PROBLEM_CODES in mentorkit/errors.py")

    @property
    def where(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}" + (f":{self.column}" if self.column else "")
        if self.row is not None:
            place += f", row {self.row}"
        if self.field:
            place += f", field '{self.field}'"
        return place

    def one_line(self, *, code: bool = False, hint: bool = False) -> str:
        """The problem on one line, as every report shows it: "where: message", then " [code]" and " (hint)" if asked."""
        return (f"{self.where}: {self.message}" + (f" [{self.code}]" if code else "")
                + (f" ({self.hint})" if hint and self.hint else ""))

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (self.file, self.line or 0, self.row or 0, self.column or 0, self.field or "", self.code)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Report:
    """The outcome of validating a workspace: every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=Problem.sort_key)

    def tuples(self) -> set[tuple[str, int | None, str | None, str]]:
        """(file, line or row, field, code) for each problem: what tests compare."""
        return {(p.file, p.line if p.line is not None else p.row, p.field, p.code) for p in self.problems}


class MentorkitError(Exception):
    """Base class: a condition the user can act on; printed without a traceback."""


class ProblemsError(MentorkitError):
    """The one base for errors that carry problems: `problems` say where and why, each with its code."""

    def __init__(self, problems: list[Problem], message: str):
        self.problems = problems
        super().__init__(message)


class InvalidWorkspace(ProblemsError):
    """The repository has problems; nothing downstream runs on invalid data."""

    def __init__(self, report: Report):
        self.report = report
        n = len(report.problems)
        super().__init__(report.problems,
                         f"the repository has {n} problem{'s' if n != 1 else ''}; run `mentorkit validate` to see them")


class UnknownProgram(MentorkitError):
    pass


class InfeasibleMatching(MentorkitError):
    """The program's locks and rules cannot all hold at once."""


class UnsafePath(MentorkitError):
    pass


# --- coordinator ---


class UnusableFile(ProblemsError):
    """A file cannot be used at all (the message shows the first problem)."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(problems, first.one_line(hint=True))


class ExportError(UnusableFile):
    """A form export cannot be read at all (encoding, CSV structure, no columns)."""


class TemplateError(UnusableFile):
    """The introduction e-mail template cannot be used (missing, no front matter, unknown placeholders)."""


class PrivateDataError(MentorkitError):
    """The private folder's key or roster cannot be used."""


class PseudonymCollision(MentorkitError):
    """Two different identifiers give the same pseudonym under this key."""


# --- ci ---


class GitHubError(MentorkitError):
    """A GitHub API call failed; the message says what to check (never the token)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status GitHub answered, when it answered


class GitError(MentorkitError):
    """A git command failed; the message is git's own, with the token masked."""


# --- site ---


class SiteProblems(ProblemsError):
    """The site cannot be built: agenda templates or pages have problems (every one is listed)."""

    def __init__(self, problems: list[Problem], what: str = "the site has"):
        self.what = what
        problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(problems, "\n".join(p.one_line(hint=True) for p in problems))
