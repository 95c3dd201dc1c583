"""Render a validation `Report` as text, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json

from ..errors import Report


def as_text(report: Report) -> str:
    if report.ok:
        return "No problems found.\n"
    lines = []
    for p in report.problems:
        lines.append(f"{p.where}: {p.message} [{p.code}]")
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    n = len(report.problems)
    files = len({p.file for p in report.problems})
    lines.append(f"\n{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps({"ok": report.ok, "problems": [p.to_dict() for p in report.problems]}, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: Report) -> str:
    """Workflow commands that GitHub shows inline on the pull request's changed lines."""
    out = []
    for p in report.problems:
        props = [f"file={_escape_property(p.file)}"]
        line = p.line if p.line is not None else p.row  # for CSV the record number is the line in plain files
        if line:
            props.append(f"line={line}")
        if p.column:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property(p.code)}")
        text = p.message + (f" (field {p.field})" if p.field else "") + (f". Hint: {p.hint}" if p.hint else "")
        out.append(f"::error {','.join(props)}::{_escape_data(text)}")
    out.append(as_text(report).rstrip("\n"))
    return "\n".join(out) + "\n"


FORMATS = {"text": as_text, "json": as_json, "github": as_github}
