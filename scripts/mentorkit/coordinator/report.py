"""What a coordinator command did: the one report type of intake, imports and intros.

`CommandReport` is a validation `Report` (its `problems` and `ok`) plus what
every command run has: whether it was a dry run and notes for the coordinator.
Each command adds what it changed: `ImportReport` the rows of a form export
(intake, import-checkins, import-survey), `intros.IntrosReport` the messages
written. The CLI prints any of them with `as_text()` or `to_dict()` and exits 1
unless `ok`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from ..errors import Report
from ..text.counts import counted


@dataclass(kw_only=True)
class CommandReport(Report, ABC):
    """Problems found, notes, and whether the run was a dry run (nothing written)."""

    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @abstractmethod
    def as_text(self) -> str:
        """What the command did, for the terminal."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """What the command did, for `--format json`."""

    def problem_lines(self, indent: str, label: str = "") -> list[str]:
        """Each problem on a line (place, message, code), its hint indented below it."""
        lines = []
        for p in self.problems:
            lines.append(f"{indent}{label}{p.one_line(code=True)}")
            if p.hint:
                lines.append(f"{indent}    hint: {p.hint}")
        return lines

    def note_lines(self) -> list[str]:
        return [f"  note: {n}" for n in self.notes]


@dataclass
class Change:
    row: int  # row in the export
    key: str  # what was written: a pseudonym, or a record key of pseudonyms, program and date
    detail: str = ""


def _changes(items: list[Change]) -> list[dict[str, Any]]:
    return [{"row": c.row, "key": c.key, **({"detail": c.detail} if c.detail else {})} for c in items]


@dataclass(kw_only=True)
class ImportReport(CommandReport):
    """What an intake or import did (or, in a dry run, would do); `problems` are the rejected answers."""

    kind: str  # "intake", "check-ins", "survey"
    export: str
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    duplicates: list[Change] = field(default_factory=list)  # rows superseded by a later row of the same export
    dropped_columns: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    all_or_nothing: bool = True  # intake writes nothing when anything is rejected; imports keep the good rows

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "export": self.export, "dry_run": self.dry_run, "ok": self.ok,
                "added": _changes(self.added), "updated": _changes(self.updated),
                "unchanged": _changes(self.unchanged), "duplicates": _changes(self.duplicates),
                "rejected": [p.to_dict() for p in self.problems], "dropped_columns": list(self.dropped_columns),
                "notes": list(self.notes), "written": list(self.written)}

    def as_text(self) -> str:
        lines = [f"{self.kind} from {self.export}" + (" (dry run: nothing written)" if self.dry_run else "")]
        lines += self.row_lines()
        if self.problems:
            n = len(self.problems)
            lines.append(f"  rejected: {counted(n, 'problem')}" + self._what_was_kept())
            lines.extend(self.problem_lines("    "))
        if self.dropped_columns:
            lines.append("  columns not imported (their answers stay in the export only):")
            lines.extend(f"    - {title}" for title in self.dropped_columns)
        lines.extend(self.note_lines())
        lines.extend(f"  wrote {w}" for w in self.written)
        return "\n".join(lines) + "\n"

    def row_lines(self) -> list[str]:
        """The export's rows added, updated, already recorded and superseded, each under its count."""
        would = "would be " if self.dry_run else ""
        lines = []
        for label, items in (("added", self.added), ("updated", self.updated)):
            lines.append(f"  {would}{label}: {len(items)}")
            lines.extend(f"    row {c.row}: {c.key}" + (f" ({c.detail})" if c.detail else "") for c in items)
        if self.unchanged:
            lines.append(f"  unchanged (already recorded): {len(self.unchanged)}")
            lines.extend(f"    row {c.row}: {c.key}" for c in self.unchanged)
        if self.duplicates:
            lines.append(f"  duplicates in the export (the later row is used): {len(self.duplicates)}")
            lines.extend(f"    row {c.row}: {c.detail}" for c in self.duplicates)
        return lines

    def _what_was_kept(self) -> str:
        if self.all_or_nothing:
            return " (nothing was written)"
        if (self.added or self.updated) and not self.dry_run:
            return " (the other rows were imported)"
        return ""
