"""Markdown tables and inline code, shared by the site pages, the metrics report and the CI texts.

A table cell holds one of two kinds of text:

- Markdown (the default): written by the kit or a coordinator to be rendered,
  with links, code spans and emphasis. Only what would break the table is
  changed: line breaks and pipes.
- literal text (`literal=True`): quoted from files, validation messages or
  people's input, and shown exactly as written. Backslashes and HTML are
  escaped too, so `<b>` or `\\*` in a value cannot turn into markup. The CI
  texts use it: what they quote comes from a pull request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(value: object, *, literal: bool = False) -> str:
    """`value` on one line, safe inside a Markdown table cell (pipes escaped; with `literal`, markup too)."""
    text = " ".join(str(value).split())
    if literal:
        text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Iterable[object]], *, literal: bool = False) -> str:
    """A Markdown table; the header is Markdown written by the caller, the rows go through `cell`."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(c, literal=literal) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def code(value: object) -> str:
    """`value` on one line as inline code (a backtick inside becomes a quote, which cannot end the span)."""
    text = " ".join(str(value).split()).replace("`", "'")
    return f"`{text}`"
