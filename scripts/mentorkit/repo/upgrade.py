"""`mentorkit upgrade`: bring every program file to this kit's schema, all files or none.

The new texts are validated as the repository would be with them (`read_workspace(root, overlay=...)`)
before anything is written; then they replace the old files together, through a journal, so an
interrupted upgrade is completed by the next one rather than left half-done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidWorkspace, Problem, Report
from . import layout
from .atomic import finish_pending, write_together
from .load import read_workspace
from .migrations import file_version, too_new, upgrade_text
from .sources import Source
from .strict_yaml import MAX_YAML_BYTES, parse_yaml, read_text

JOURNAL = ".mentorkit-upgrade.pending"  # the renames of an upgrade under way (see repo.atomic.write_together)


@dataclass
class FileUpgrade:
    rel: str
    before: int
    after: int
    changes: list[str]


@dataclass
class Upgrade:
    """What `upgrade` changes (or would change): one entry per program file below this kit's schema."""

    files: list[FileUpgrade] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # rel -> the new text
    remaining: Report = field(default_factory=Report)  # problems the repository has either way

    @property
    def needed(self) -> bool:
        return bool(self.files)


def plan_upgrade(root: Path) -> Upgrade:
    """The upgraded texts, checked; raises `InvalidWorkspace` if a file cannot be read or would not validate."""
    root = Path(root).resolve()
    finish_pending(root / JOURNAL)  # an earlier upgrade that was stopped after its commit point
    source = Source(root)
    plan, unreadable = Upgrade(), Report()
    for rel in source.files(layout.PROGRAMS, "*.yaml"):
        text, problems = read_text(source, rel, MAX_YAML_BYTES)
        doc, parse_problems = parse_yaml(text, rel) if text is not None else (None, [])
        problems += parse_problems + (too_new(doc, rel) if doc is not None else [])
        if doc is not None and file_version(doc) is None:
            problems.append(Problem(rel, "wrong-type", "schema_version must be a whole number such as 2",
                                    line=doc.locate(("schema_version",))[0], field="schema_version"))
        if problems or text is None or doc is None:
            unreadable.extend(problems)
            continue
        new, before, after, changes = upgrade_text(text, rel)
        if new != text:
            plan.files.append(FileUpgrade(rel, before, after, changes))
            plan.texts[rel] = new
    if not unreadable.ok:
        raise InvalidWorkspace(unreadable)  # nothing can be upgraded until every program file reads
    _, as_is = read_workspace(root)
    _, upgraded = read_workspace(root, overlay=plan.texts)
    introduced = _keys(upgraded) - _keys(as_is)
    if introduced:  # a step made a valid file invalid: refuse, so nothing a coordinator wrote is lost
        raise InvalidWorkspace(Report([p for p in upgraded.problems if _key(p) in introduced]))
    plan.remaining = upgraded
    return plan


def apply_upgrade(root: Path, plan: Upgrade) -> None:
    """Write the planned texts, all or none."""
    root = Path(root).resolve()
    write_together([(root / rel, text, False) for rel, text in sorted(plan.texts.items())], root / JOURNAL)


def _key(problem: Problem) -> tuple:
    return (problem.file, problem.field, problem.code)  # lines move when a step adds or removes lines


def _keys(report: Report) -> set[tuple]:
    return {_key(p) for p in report.problems}
