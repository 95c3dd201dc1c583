"""The e-mail templates under templates/: read by the loader, checked against `model.templates.CATALOGUE`.

The one check of a template, for `mentorkit validate` (and so the pull-request check) and for the commands
that fill templates in (`mentorkit intros`, `mentorkit messages`): front matter between two ``---`` lines
holding ``subject:`` and the kind's settings (``share:`` in suggestions.md), and every ``{placeholder}`` a
name the kind fills in. Each problem names the file and line. A template that is not there is no problem
here: only the command that needs it refuses to run without it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace

from ..errors import Problem
from ..model.templates import CATALOGUE, PLACEHOLDER, Template, TemplateKind
from . import layout
from .front_matter import split_front_matter
from .sources import Source
from .strict_yaml import MAX_YAML_BYTES, YamlDoc, parse_yaml, read_text


def read_templates(source: Source) -> tuple[dict[str, Template], list[Problem]]:
    """Every template of the catalogue that is present and valid (by name), and the problems of the others."""
    templates: dict[str, Template] = {}
    problems: list[Problem] = []
    for name, kind in CATALOGUE.items():
        rel = layout.template_file(name)
        if not source.is_file(rel):
            continue
        text, found = read_text(source, rel, MAX_YAML_BYTES)
        if text is not None:
            template, found = check_template(rel, text, kind)
            if template is not None:
                templates[name] = template
        problems += found
    return templates, problems


def check_template(rel: str, text: str, kind: TemplateKind) -> tuple[Template | None, list[Problem]]:
    """The template in `text`, or None and every problem of it (front matter first, then placeholders)."""
    split = split_front_matter(text.replace("\r\n", "\n"))
    if split is None:
        return None, [Problem(rel, "missing-front-matter", "the template starts with front matter between "
                                                           "two '---' lines, holding the subject", line=1,
                              hint='start the file with a line ---, then subject: "...", then another line ---')]
    doc, problems = parse_yaml(split.yaml, rel)
    problems = [_below_dashes(p) for p in problems]  # the file's line, after the first '---'
    if doc is None or problems:
        return None, problems
    settings, problems = _front_matter(rel, doc, kind)
    if problems:
        return None, problems
    assert isinstance(doc.data, dict)
    subject = doc.data["subject"]
    problems = placeholder_problems(rel, subject, (doc.locate(("subject",))[0] or 1) + 1, kind.placeholders,
                                    columns=False)
    for n, line in enumerate(split.body.split("\n"), start=split.body_line):
        problems += placeholder_problems(rel, line, n, kind.placeholders)
    if problems:
        return None, problems
    return Template(rel, subject, split.body.strip("\n") + "\n", split.body_line, settings), []


def _front_matter(rel: str, doc: YamlDoc, kind: TemplateKind) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """The settings besides subject (defaults filled in), or the problems of the front matter."""
    keys = "subject: ..." + "".join(f", {k}: ..." for k in kind.settings)
    data = doc.data
    if not isinstance(data, dict) or "subject" not in data:
        return {}, [Problem(rel, "invalid-front-matter", f"the front matter holds {keys} (subject is required)",
                            line=2, hint='add a line subject: "..." between the two \'---\' lines')]
    problems = []
    for key in data:
        if key != "subject" and key not in kind.settings:
            close = difflib.get_close_matches(str(key), ["subject", *kind.settings], n=1, cutoff=0.6)
            problems.append(Problem(rel, "invalid-front-matter", f"'{key}' is not a setting of this template: "
                                    f"its front matter holds {keys}", line=_line(doc, (key,), key=True),
                                    field=str(key), hint=f"did you mean '{close[0]}'?" if close else
                                    "remove it, or turn it into a comment with #"))
    if not isinstance(data["subject"], str):
        problems.append(Problem(rel, "invalid-front-matter", "the subject is one line of text",
                                line=_line(doc, ("subject",)), field="subject",
                                hint='write it in quotes: subject: "..."'))
    settings: dict[str, tuple[str, ...]] = {}
    for key, setting in kind.settings.items():
        value = data.get(key, list(setting.default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(rel, "wrong-type", f"{key}: is a list of {setting.meaning}",
                                    line=_line(doc, (key,)), field=key,
                                    hint=f"e.g. {key}: [{', '.join(setting.choices[:2])}]"))
            continue
        for i, item in enumerate(value):
            if item not in setting.choices:
                problems.append(Problem(rel, "invalid-choice", f"{key}: names {item}, which {setting.refused}",
                                        line=_line(doc, (key, i)), field=f"{key}[{i}]",
                                        hint=f"choose from {', '.join(setting.choices)}"))
        settings[key] = tuple(value)
    return settings, problems


def placeholder_problems(rel: str, text: str, line: int, names: Mapping[str, str], *,
                         columns: bool = True) -> list[Problem]:
    """Unknown placeholders and stray braces in one line of a template (`columns`: the text is the whole line)."""
    problems = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        name = m.group(1).strip()
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            problems.append(Problem(rel, "unknown-placeholder", f"there is no value called '{{{name}}}'",
                                    line=line, column=m.start() + 1 if columns else None,
                                    hint=f"did you mean '{{{close[0]}}}'?" if close else
                                    "see the list at the top of the template; write {{ and }} for literal braces"))
    covered = {i for m in PLACEHOLDER.finditer(text) for i in range(m.start(), m.end())}
    col = next((i + 1 for i, ch in enumerate(text) if ch in "{}" and i not in covered), None)
    if col is not None:
        problems.append(Problem(rel, "bad-placeholder", "a brace is not part of a placeholder", line=line,
                                column=col if columns else None, hint="write {{ or }} for a literal brace"))
    return problems


def _line(doc: YamlDoc, path: tuple[str | int, ...], key: bool = False) -> int:
    """The file's line of a front-matter value (or key), one below its line in the front matter."""
    return (doc.locate(path, key=key)[0] or 1) + 1


def _below_dashes(problem: Problem) -> Problem:
    return replace(problem, line=(problem.line or 0) + 1)


__all__ = ["check_template", "placeholder_problems", "read_templates"]
