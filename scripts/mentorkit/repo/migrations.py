"""Program-file schema versions: which schema a file is written for, and the steps from one to the next.

A program file states its schema in `schema_version` (absent: 1, the files written before versions). The
loader refuses a file written for a newer schema than this kit knows, with the fix (update the kit pin);
`mentorkit upgrade` (see `upgrade`) runs the steps below on older files. A step rewrites the file's *text*,
line by line, so the comments and layout a coordinator wrote survive; it never re-dumps the YAML.

The participant tables change too (a column added, one replaced): `TABLE_STEPS` at the end edit
participants/datapackage.yaml the same way and rewrite the table's CSV with the new columns; a table the kit
added since (`missing_resources`) is appended to the descriptor as the kit's own descriptor declares it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import MentorkitError, Problem
from ..model import SCHEMA_VERSION
from .kit import upgrade_hint
from .strict_yaml import YamlDoc, parse_yaml

FIELD = "schema_version"
FIRST = 1  # the schema of a file without `schema_version`
def pin_hint() -> str:
    """The fix for `schema-too-new`, naming the upgrade command of the tool that installed this kit."""
    return ("update the kit to a version that reads it: raise the mentorkit version in requirements.txt, and on "
            f"this computer run `{upgrade_hint()}`")


def file_version(doc: YamlDoc) -> int | None:
    """The schema a parsed program file is written for; None when `schema_version` is not a whole number."""
    data = doc.data if isinstance(doc.data, dict) else {}
    value = data.get(FIELD, FIRST)
    text = str(value).strip()
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None


def too_new(doc: YamlDoc, rel: str) -> list[Problem]:
    """A problem when the file is written for a schema this kit does not know yet (nothing else is checked)."""
    version = file_version(doc)
    if version is None or version <= SCHEMA_VERSION:
        return []  # a malformed value is the model's to report
    line, column = doc.locate((FIELD,))
    return [Problem(rel, "schema-too-new",
                    f"the file is written for program-file schema {version}; this mentorkit reads schema "
                    f"{SCHEMA_VERSION} and older", line=line, column=column, field=FIELD, hint=pin_hint())]


@dataclass(frozen=True)
class Step:
    """From schema `to - 1` to `to`: `rewrite(text, doc)` returns the new text and one line per change made."""

    to: int
    summary: str
    rewrite: Callable[[str, YamlDoc], tuple[str, list[str]]]


def set_version(text: str, version: int) -> str:
    """`text` stating `schema_version: version`: the existing line changed, or a line added before the first key.

    The new line goes after the file's opening comment block, so a header comment stays the first thing read.
    """
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    stated = f"{FIELD}: {version}"
    for i, line in enumerate(lines):
        if re.match(rf"{FIELD}\s*:", line):
            comment = re.search(r"\s+#.*$", line.rstrip("\r\n"))
            lines[i] = stated + (comment.group(0) if comment else "") + newline
            return "".join(lines)
    first_key = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
                     len(lines))
    note = "  # the program-file schema (mentorkit upgrade raises it)"
    return "".join(lines[:first_key] + [stated + note + newline] + lines[first_key:])


def _state_the_version(text: str, doc: YamlDoc) -> tuple[str, list[str]]:
    return text, []  # the version line itself is written by `upgrade_text` for every step


STEPS: tuple[Step, ...] = (
    Step(2, "program files state their schema in schema_version", _state_the_version),
)


def upgrade_text(text: str, rel: str, steps: tuple[Step, ...] = STEPS) -> tuple[str, int, int, list[str]]:
    """Run every step above the file's version: (new text, version before, version after, what changed).

    The file is parsed again after each step, so a step sees the positions of the text it rewrites.
    The caller has checked that the file parses and is not newer than this kit.
    """
    doc = _parse(text, rel)
    before = file_version(doc)
    assert before is not None and before <= SCHEMA_VERSION, "the loader reports these files"
    changes: list[str] = []
    version = before
    for step in steps:
        if step.to <= version:
            continue
        text, made = step.rewrite(text, doc)
        text = set_version(text, step.to)
        changes.extend(made)
        changes.append(f"schema {version} -> {step.to}: {step.summary}")
        version = step.to
        doc = _parse(text, rel)
    return text, before, version, changes


def _parse(text: str, rel: str) -> YamlDoc:
    doc, problems = parse_yaml(text, rel)
    if doc is None or problems:  # a step wrote YAML the reader refuses: a bug of the kit, never the user's
        raise AssertionError(f"{rel}: an upgrade step wrote unreadable YAML: {problems}")
    return doc


# --- The participant tables: columns a later kit added or changed ---------------------------------------------
#
# participants/datapackage.yaml is the organisation's file (it may declare its own descriptions), so a new
# column is brought in as text edits that keep everything else: the column's declaration goes in after the one
# it follows (or in place of the one it replaces), and the table's CSV gets the column, filled in from the old
# one where there was one. A step is due when the resource does not declare its first new column yet, so the
# tables need no version of their own and running the upgrade twice changes nothing.


@dataclass(frozen=True)
class ColumnStep:
    resource: str
    summary: str
    anchor: str  # the declared column the new ones follow (or replace)
    lines: tuple[str, ...]  # the new columns' declarations, one flow mapping each, as the kit's descriptor has them
    replaces: bool = False  # the anchor column goes; its values move to the first new column

    def new_names(self) -> tuple[str, ...]:
        return tuple(re.match(r"\{name: ([a-z_]+)", line).group(1) for line in self.lines)  # type: ignore[union-attr]


TABLE_STEPS: tuple[ColumnStep, ...] = (
    ColumnStep("participants", "participants gain working_hours (a person's own working day; empty: the "
                               "program's cadence.working_hours)", "communication_style",
               ('{name: working_hours, type: string, description: "The person\'s own working day, HH:MM-HH:MM in '
                'their time zone; empty: the program\'s cadence.working_hours.", constraints: {pattern: '
                '"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]"}}',)),
    ColumnStep("checkins", "check-ins keep both partners' ratings of a meeting: health becomes mentee_health "
                           "(a meeting kept one rating before, filed here as the mentee's) and mentor_health",
               "health",
               ('{name: mentee_health, type: integer, description: "The mentee\'s rating of the relationship, '
                '1 (poor) to 5 (excellent).", constraints: {minimum: 1, maximum: 5}}',
                '{name: mentor_health, type: integer, description: "The mentor\'s rating of the relationship, '
                '1 (poor) to 5 (excellent).", constraints: {minimum: 1, maximum: 5}}'),
               replaces=True),
    ColumnStep("manager_feedback", "manager feedback gains team_performance (how the results of the team a "
                                   "participant works in changed, as the manager sees them)", "effectiveness",
               ('{name: team_performance, type: integer, description: "How the results of the team they work in '
                'changed since the program began (1 much worse to 5 much better).", constraints: {minimum: 1, '
                'maximum: 5}}',)),
)


def declared_fields(descriptor: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """Resource name -> (its CSV path relative to participants/, its declared column names)."""
    out = {}
    for res in descriptor.get("resources") or []:
        if isinstance(res, dict) and isinstance(res.get("schema"), dict):
            fields = [f.get("name") for f in res["schema"].get("fields") or [] if isinstance(f, dict)]
            out[str(res.get("name"))] = (str(res.get("path")), [str(f) for f in fields])
    return out


def due_table_steps(descriptor: dict[str, Any], steps: tuple[ColumnStep, ...] = TABLE_STEPS) -> list[ColumnStep]:
    """The steps an adopter's data package still needs (its resources declare the anchor, not the new columns)."""
    declared = declared_fields(descriptor)
    return [s for s in steps if s.resource in declared and s.anchor in declared[s.resource][1]
            and s.new_names()[0] not in declared[s.resource][1]]


def declare_columns(text: str, step: ColumnStep, rel: str) -> str:
    """The descriptor's text with the step's columns declared (comments and layout kept)."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start = next((i for i, line in enumerate(lines) if re.match(rf"\s*-\s*name:\s*{step.resource}\s*$", line)), None)
    anchor = None
    if start is not None:
        for i in range(start + 1, len(lines)):
            if re.match(r"\s*-\s*name:\s*\S+\s*$", lines[i]):
                break  # the next resource
            if re.match(rf"\s*-\s*\{{\s*name:\s*{step.anchor}\s*,", lines[i]):
                anchor = i
                break
    if anchor is None:
        raise MentorkitError(
            f"{rel}: the upgrade adds columns to the table '{step.resource}' but cannot find its column "
            f"'{step.anchor}' written as one line `- {{name: {step.anchor}, ...}}`; declare them by hand after it:\n"
            + "".join(f"  - {line}\n" for line in step.lines))
    indent = re.match(r"(\s*-\s*)", lines[anchor]).group(1)  # type: ignore[union-attr]
    new = [indent + line + newline for line in step.lines]
    lines[anchor + (0 if step.replaces else 1):anchor + 1] = new
    return "".join(lines)


def convert_table(text: str, step: ColumnStep) -> str:
    """A table's CSV with the step's columns: empty, or (replacing a column) its values in the first new one."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    newline = "\r\n" if "\r\n" in body.split("\n", 1)[0] + "\n" else "\n"
    try:
        rows = list(csv.reader(io.StringIO(body, newline="")))
    except csv.Error:
        return text  # a table the loader reports (a cell beyond any column's length): left for the coordinator
    if not rows or step.anchor not in rows[0] or step.new_names()[0] in rows[0]:
        return text  # a table the loader reports (no header, the column missing): left for the coordinator
    at = rows[0].index(step.anchor)
    names = step.new_names()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for number, row in enumerate(rows):
        if not any(cell.strip() for cell in row):
            writer.writerow(row)
            continue
        if number == 0:
            added = list(names)
        else:
            old = row[at] if at < len(row) else ""
            added = [old if step.replaces and i == 0 else "" for i in range(len(names))]
        writer.writerow(row[:at] + added + row[at + 1:] if step.replaces else row[:at + 1] + added + row[at + 1:])
    return bom + out.getvalue()


# A whole table the kit added since the adopter's repository was made (360 feedback, the needs survey): its
# declaration is copied from the kit's own descriptor (the starter's participants/datapackage.yaml, the one home
# of every table's definition) and appended, and its CSV starts with the header only.

_RESOURCE = re.compile(r"(\s*)-\s*name:\s*([a-z0-9_]+)\s*$")


def resource_blocks(text: str) -> dict[str, str]:
    """A descriptor's resources as text, by name: each from its `- name:` line to the next resource's."""
    lines = text.splitlines(keepends=True)
    starts = [(i, m) for i, line in enumerate(lines) if (m := _RESOURCE.fullmatch(line.rstrip("\r\n")))]
    if not starts:
        return {}
    indent = starts[0][1].group(1)
    starts = [(i, m) for i, m in starts if m.group(1) == indent]
    ends = [i for i, _ in starts[1:]] + [len(lines)]
    return {m.group(2): "".join(lines[i:end]) for (i, m), end in zip(starts, ends, strict=True)}


def missing_resources(adopter: dict[str, Any], kit_text: str) -> list[tuple[str, str, str, list[str]]]:
    """(name, declaration text, CSV path, columns) of each table the kit declares and the adopter's descriptor
    does not, in the kit's order."""
    declared = declared_fields(adopter)
    kit_fields = declared_fields(yaml.safe_load(kit_text))
    return [(name, block, kit_fields[name][0], kit_fields[name][1])
            for name, block in resource_blocks(kit_text).items() if name not in declared and name in kit_fields]


def append_resource(text: str, block: str) -> str:
    """The descriptor's text with one more resource at the end (in the file's own line endings)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text if text.endswith(("\n", "\r\n")) or not text else text + newline
    return body + block.replace("\r\n", "\n").replace("\n", newline)
