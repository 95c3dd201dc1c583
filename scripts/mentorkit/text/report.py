"""Render a validation `Report` as text, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json

from ..errors import Report
from .counts import counted


def as_text(report: Report) -> str:
    if report.ok:
        return "No problems found.\n"
    lines = []
    for p in report.problems:
        lines.append(p.one_line(code=True))
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    n = len(report.problems)
    files = len({p.file for p in report.problems})
    lines.append(f"\n{counted(n, 'problem')} in {counted(files, 'file')}.")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps({"ok": report.ok, "problems": [p.to_dict() for p in report.problems]}, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


ANNOTATIONS_PER_STEP = 10  # GitHub shows at most 10 error annotations of one step; the rest only in the log
MAX_ANNOTATION_CHARS = 1_000  # a message, its field and hint, cut to this in an annotation (the log has it all)


def as_github(report: Report) -> str:
    """Workflow commands that GitHub shows inline on the pull request's changed lines.

    GitHub shows the first 10 errors of a step; beyond that a warning annotation says how many more there are,
    in which files, and where they are listed (the step's log, which prints every problem after the annotations).
    """
    out = []
    for p in report.problems[:ANNOTATIONS_PER_STEP]:
        props = [f"file={_escape_property(p.file)}"]
        line = p.line if p.line is not None else p.row  # for CSV the record number is the line in plain files
        if line:
            props.append(f"line={line}")
        if p.column:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property(p.code)}")
        text = p.message + (f" (field {p.field})" if p.field else "") + (f". Hint: {p.hint}" if p.hint else "")
        if len(text) > MAX_ANNOTATION_CHARS:
            text = text[:MAX_ANNOTATION_CHARS - 1] + "…"
        out.append(f"::error {','.join(props)}::{_escape_data(text)}")
    hidden = len(report.problems) - ANNOTATIONS_PER_STEP
    if hidden > 0:
        files = sorted({p.file for p in report.problems[ANNOTATIONS_PER_STEP:]})
        shown_files = ", ".join(files[:5]) + (f" and {len(files) - 5} more files" if len(files) > 5 else "")
        out.append("::warning title=More problems::" + _escape_data(
            f"{counted(hidden, 'more problem')} than GitHub shows as annotations "
            f"({ANNOTATIONS_PER_STEP} per step), in {shown_files}: all {len(report.problems)} are listed in this "
            "step's log, below the annotations"))
    out.append(as_text(report).rstrip("\n"))
    return "\n".join(out) + "\n"


FORMATS = {"text": as_text, "json": as_json, "github": as_github}
