"""`{{ name }}` placeholders in Markdown: find them, fill them in, report unknown ones.

Hand-written pages and agenda templates say `{{ mk.grow.cadence }}` instead of
"monthly", so that editing the program file updates every page that mentions
it. This module knows nothing about programs: it takes a text and a mapping
of names to values and returns the filled-in text plus a `Problem` for every
placeholder it could not fill (with the file, line and a did-you-mean hint).

Rules, kept small on purpose:

- a placeholder is `{{`, a dotted name, `}}`; spaces inside the braces are optional;
- names are letters, digits, `_` and `-`, separated by dots (`mk.grow.session_minutes`);
- inside code (backtick spans and fenced blocks) nothing is replaced, so a page
  can show the syntax itself: write `` `{{ mk.grow.cadence }}` ``;
- a value is a string, or a function of the page's path (for values that hold
  links, which must be relative to the page that shows them);
- filling is a single pass: a value that itself contains `{{` is not expanded again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import Problem

Value = str | Callable[[str], str]
"""A placeholder's value: text, or a function of the page's `src_uri` returning text."""

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Found:
    """One placeholder in a text."""

    name: str  # the dotted name, stripped; may be malformed
    start: int  # offset of `{{`
    end: int  # offset after `}}`
    line: int  # 1-based, within the text
    column: int  # 1-based

    @property
    def source(self) -> str:
        return "{{ " + self.name + " }}"


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks and inline code spans, in order."""
    spans: list[tuple[int, int]] = []
    pos = 0
    fence: tuple[str, int] | None = None  # (character, length) of the open fence
    fence_start = 0
    prose: list[tuple[int, int]] = []  # stretches outside fences, searched for inline code next
    prose_start = 0
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            prose.append((prose_start, pos))
            fence = (m.group(1)[0], len(m.group(1)))
            fence_start = pos
        elif fence is not None and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                and not line[m.end():].strip():
            spans.append((fence_start, pos + len(line)))
            fence = None
            prose_start = pos + len(line)
        pos += len(line)
    if fence is not None:  # an unclosed fence runs to the end, as in Markdown
        spans.append((fence_start, len(text)))
    else:
        prose.append((prose_start, len(text)))
    for start, end in prose:
        spans.extend(_inline_code(text, start, end))
    return sorted(spans)


def _inline_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = start
    while True:
        m = _BACKTICKS.search(text, i, end)
        if not m:
            return spans
        run = m.group(0)
        # the closing run has exactly the same length (CommonMark)
        j = m.end()
        while True:
            c = _BACKTICKS.search(text, j, end)
            if c is None:
                break
            if len(c.group(0)) == len(run):
                spans.append((m.start(), c.end()))
                break
            j = c.end()
        if c is None:  # an unmatched run is literal text
            i = m.end()
        else:
            i = c.end()


def find(text: str) -> list[Found]:
    """Every placeholder outside code, in order of appearance."""
    spans = code_spans(text)
    found = []
    k = 0
    for m in PLACEHOLDER.finditer(text):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        if k < len(spans) and spans[k][0] <= m.start() < spans[k][1]:
            continue
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        found.append(Found(m.group(1).strip(), m.start(), m.end(), line, column))
    return found


def suggest(name: str, known: Iterable[str]) -> str | None:
    """A did-you-mean hint for an unknown name, or a list of what exists nearby."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{{{{ {close[0]} }}}}'?"
    # same prefix (e.g. the program exists but the field does not): list the fields
    head = name.rsplit(".", 1)[0] + "." if "." in name else ""
    siblings = [k[len(head):] for k in known if head and k.startswith(head) and "." not in k[len(head):]]
    if siblings:
        return f"'{head}' has: " + ", ".join(siblings)
    roots = sorted({k.split(".")[0] for k in known})
    if roots and name.split(".")[0] not in roots:
        return "placeholders start with " + " or ".join(f"'{r}.'" for r in roots)
    return None


def render(text: str, values: Mapping[str, Value], *, file: str, page: str = "", line_offset: int = 0,
           ) -> tuple[str, list[Problem]]:
    """Fill every placeholder in `text`.

    `file` names the source in problems (path relative to the workspace root),
    `page` is the docs-relative path the text is shown at (for link values),
    `line_offset` is added to line numbers (lines above the text in its file,
    e.g. front matter). Unknown placeholders stay as written and produce a problem.
    """
    problems: list[Problem] = []
    out: list[str] = []
    last = 0
    for f in find(text):
        out.append(text[last:f.start])
        last = f.end
        line = f.line + line_offset
        if not NAME.match(f.name):
            problems.append(Problem(file, "bad-placeholder", f"'{{{{{f.name}}}}}' is not a placeholder name",
                                    line=line, column=f.column,
                                    hint="a placeholder is a dotted name such as {{ mk.grow.cadence }}; "
                                         "to show braces literally, put them in `backticks`"))
            out.append(text[f.start:f.end])
            continue
        value = values.get(f.name)
        if value is None:
            problems.append(Problem(file, "unknown-placeholder", f"there is no value called '{f.name}'",
                                    line=line, column=f.column, hint=suggest(f.name, values)))
            out.append(text[f.start:f.end])
            continue
        out.append(value(page) if callable(value) else value)
    out.append(text[last:])
    return "".join(out), problems


def names(text: str) -> list[str]:
    """The placeholder names a text uses (outside code), in order."""
    return [f.name for f in find(text)]


def body_line_offset(source: str, body: str) -> int:
    """Lines that come before `body` in `source` (the file it was cut from, e.g. after front matter).

    Returns 0 when `body` is not the end of `source`.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body or not source.endswith(body):
        return 0
    return source[: len(source) - len(body)].count("\n")
