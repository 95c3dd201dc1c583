"""A message's template, filled: the workspace and its checked template, and the values put in its placeholders.

The loader checks every template once, against the catalogue of `model.templates` (the names each kind fills
in): an unknown placeholder is a problem with file, line and column, reported by `mentorkit validate` and
refused here (`TemplateError`). `fill` leaves out a line whose placeholders are all empty for one message, so a
template never promises what a pair does not have.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import InvalidWorkspace, Problem, TemplateError
from ..model import Workspace
from ..model.templates import PLACEHOLDER, Template
from ..repo.layout import template_file
from ..repo.load import read_workspace


def workspace_with_template(root: Path, name: str) -> tuple[Workspace, Template]:
    """The workspace and its template `name` (see `model.templates.CATALOGUE`), checked once by the loader.

    `TemplateError` when the template is missing or when its own problems are the only ones (each with its
    line); `InvalidWorkspace` when other files have problems too (the report lists the template's as well).
    """
    rel = template_file(name)
    ws, report = read_workspace(root)
    own = [p for p in report.problems if p.file == rel]
    if own and len(own) == len(report.problems):
        raise TemplateError(own)
    if not report.ok:
        raise InvalidWorkspace(report)
    template = ws.templates.get(name)
    if template is None:
        raise TemplateError([Problem(
            rel, "missing-file", f"the message template {rel} is missing",
            hint=f"restore {rel} from the mentorkit template repository (mentorkit new writes every template)")])
    return ws, template


def template_problems(root: Path, name: str) -> list[Problem]:
    """The problems `mentorkit validate` reports for one template (none when it is missing)."""
    rel = template_file(name)
    return [p for p in read_workspace(root)[1].problems if p.file == rel]


def fill(text: str, values: Mapping[str, str], *, drop_empty: bool = True) -> str:
    """One pass (values are not scanned again); a line whose placeholders are all empty is left out."""
    def one(m: re.Match[str]) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        return values[m.group(1).strip()]

    out = []
    for line in text.split("\n"):
        names = [m.group(1) for m in PLACEHOLDER.finditer(line) if m.group(1) is not None]
        if drop_empty and names and all(not values[n.strip()].strip() for n in names):
            continue
        out.append(PLACEHOLDER.sub(one, line))
    return "\n".join(out)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")  # a name like "Ann_Lee" must not turn into emphasis


def escape_text(value: str) -> str:
    """A person's answer, to be shown as it is inside Markdown: HTML and Markdown syntax escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def escape_values(values: Mapping[str, str], markdown_names: Iterable[str]) -> dict[str, str]:
    """Values for the Markdown source: people's answers HTML-escaped, the repository's Markdown as it is."""
    keep = set(markdown_names)
    return {k: v if k in keep else escape_text(v) for k, v in values.items()}
