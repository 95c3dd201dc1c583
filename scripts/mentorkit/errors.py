"""Problems (validation findings as data) and the exceptions the library raises.

Every finding about a user's files is a `Problem` with a stable `code`, so tests
and tools compare (file, line/row, field, code) rather than wording. Exceptions
are reserved for "cannot go on"; the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.row or 0, self.column or 0, self.field or "", self.code)

    def to_dict(self) -> dict:
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

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=Problem.sort_key)

    def tuples(self) -> set[tuple]:
        """(file, line or row, field, code) for each problem: what tests compare."""
        return {(p.file, p.line if p.line is not None else p.row, p.field, p.code) for p in self.problems}


class MentorkitError(Exception):
    """Base class: a condition the user can act on; printed without a traceback."""


class InvalidWorkspace(MentorkitError):
    """The repository has problems; nothing downstream runs on invalid data."""

    def __init__(self, report: Report):
        self.report = report
        n = len(report.problems)
        super().__init__(f"the repository has {n} problem{'s' if n != 1 else ''}; run `mentorkit validate` to see them")


class UnknownProgram(MentorkitError):
    pass


class InfeasibleMatching(MentorkitError):
    """The program's locks and rules cannot all hold at once."""


class UnsafePath(MentorkitError):
    pass
