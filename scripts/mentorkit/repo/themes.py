"""Qualitative themes files (themes/<program>-<round>.md): their body read into themes, and the checks that keep
them summaries rather than anyone's words.

The front matter is read by the loader like an agenda's (`model.themes.ThemesMeta`). Here: the body is one
`## Title` heading per theme with plain sentences under it (no other headings, nothing before the first theme,
no quotes or lists that would carry a person's words); no pseudonym anywhere in the file (e-mail addresses and
phone numbers are found by the privacy scan of every file, `repo.exposure`); a theme's length and the number of
themes are capped; and, once the programs are known (`check`), the program exists, the file name starts with
it, and at least the program's `reports.min_group_size` people took part, so that no theme points to one person.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..errors import Problem
from ..model import PSEUDONYM_BARE, Workspace
from ..model.themes import Theme, ThemeRound, ThemesMeta

MAX_THEMES_BYTES = 20_000  # a round's summary fits on a page
MAX_THEMES = 12
MAX_TITLE = 100
MAX_TEXT = 800  # characters of one theme's text: a short paragraph
PSEUDONYM = re.compile(rf"\b{PSEUDONYM_BARE}\b")
README = "README.md"  # the folder's own explanation, not a round


def body_themes(rel: str, text: str, first_line: int) -> tuple[tuple[Theme, ...], list[Problem]]:
    """The themes of a body that starts on line `first_line` of the file, and what is wrong with its form."""
    problems: list[Problem] = []
    themes: list[tuple[str, list[str], int]] = []

    def bad(line: int, message: str, hint: str, code: str = "themes-format") -> None:
        problems.append(Problem(rel, code, message, line=line, hint=hint))

    for number, line in enumerate(text.splitlines(), start=first_line):
        stripped = line.strip()
        if not stripped:
            continue
        if line.startswith("## "):
            themes.append((stripped[3:].strip(), [], number))
        elif stripped.startswith("#"):
            bad(number, "a themes file has one '## ' heading per theme and no other headings",
                "write each theme as '## Title' with its sentences below it")
        elif stripped.startswith((">", "- ", "* ", "+ ", "|", "<")) or re.match(r"\d+[.)] ", stripped):
            bad(number, "quotes, lists, tables and HTML are not allowed: a theme is a few plain sentences",
                "sum up what people said in your own words; never quote anyone")
        elif not themes:
            bad(number, "text before the first theme", "start the body with the first '## Title' heading")
        else:
            themes[-1][1].append(stripped)
    if not themes and not problems:
        bad(first_line, "the file has no themes", "add one '## Title' heading per theme with its sentences below it")
    if len(themes) > MAX_THEMES:
        bad(themes[MAX_THEMES][2], f"more than {MAX_THEMES} themes", "merge related themes: a reader takes in a "
            "dozen at most", code="themes-too-long")
    out = []
    for title, lines, number in themes:
        body = " ".join(lines)
        if not title or len(title) > MAX_TITLE:
            bad(number, f"a theme's title has 1 to {MAX_TITLE} characters", "shorten the heading",
                code="themes-too-long" if title else "themes-format")
        if not body:
            bad(number, f"the theme '{title}' has no text", "add a sentence or two on what people said about it")
        elif len(body) > MAX_TEXT:
            bad(number, f"the theme '{title}' has {len(body)} characters; at most {MAX_TEXT}",
                "sum it up in a short paragraph", code="themes-too-long")
        out.append(Theme(title, body))
    return tuple(out), problems


def pseudonym_problems(rel: str, text: str) -> list[Problem]:
    """A pseudonym in a themes file ties a theme to a person: refused wherever it is."""
    return [Problem(rel, "pseudonym-in-text", "the file names a participant by their pseudonym", line=number,
                    hint="themes sum up what several people said; leave out who said it")
            for number, line in enumerate(text.splitlines(), start=1) if PSEUDONYM.search(line)]


def check(ws: Workspace) -> list[Problem]:
    """Each round against its program: the program exists, the file is named after it, and enough people took part."""
    problems = []
    for r in ws.themes:
        meta: ThemesMeta = r.meta
        name = PurePosixPath(r.file).stem
        if meta.program not in ws.programs:
            known = ", ".join(sorted(ws.programs)) or "none"
            problems.append(Problem(r.file, "dangling-reference", f"there is no program '{meta.program}'",
                                    field="program", hint=f"programs: {known}"))
            continue
        if not name.startswith(f"{meta.program}-"):
            problems.append(Problem(r.file, "themes-format", f"the file name does not start with '{meta.program}-'",
                                    field="program", hint=f"rename it themes/{meta.program}-{meta.round}.md"))
        k = ws.programs[meta.program].reports.min_group_size
        if meta.participants < k:
            problems.append(Problem(r.file, "too-few-contributors",
                                    f"{meta.participants} people took part; the program shows nothing about fewer "
                                    f"than {k}", field="participants",
                                    hint="merge this round with another, or wait for more conversations: with few "
                                         "people a theme points to someone"))
    return problems


def rounds_of(ws: Workspace, program_id: str) -> list[ThemeRound]:
    """A program's theme rounds, the latest first."""
    return sorted((r for r in ws.themes if r.meta.program == program_id),
                  key=lambda r: (r.meta.date, r.file), reverse=True)
