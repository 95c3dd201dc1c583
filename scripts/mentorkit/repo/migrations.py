"""Program-file schema versions: which schema a file is written for, and the steps from one to the next.

A program file states its schema in `schema_version` (absent: 1, the files written before versions). The
loader refuses a file written for a newer schema than this kit knows, with the fix (update the kit pin);
`mentorkit upgrade` (see `upgrade`) runs the steps below on older files. A step rewrites the file's *text*,
line by line, so the comments and layout a coordinator wrote survive; it never re-dumps the YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Problem
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
