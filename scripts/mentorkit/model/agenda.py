"""Agenda templates (agendas/<id>.md): front matter model and the loaded template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from .base import Format, Strict


class AgendaKind(StrEnum):
    SESSION = "session"
    EVENT = "event"


class AgendaMeta(Strict):
    """Front matter of an agenda template in agendas/."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    kind: AgendaKind
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    minutes: Annotated[int, Field(ge=10, le=600)] | None = Field(None, description="Defaults to the program's session length.")
    formats: list[Format] = Field(default_factory=list, description="Formats it suits; empty means all.")
    format_sections: dict[Annotated[str, StringConstraints(min_length=1, max_length=120)], list[Format]] = Field(
        default_factory=dict,
        description="Sections shown only in programs of the formats listed, by heading (its text without the #s): "
                    "e-mails and pages for other formats leave them out.")
    prepare: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(default_factory=list)


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


@dataclass(frozen=True)
class Agenda:
    id: str  # file name without .md
    meta: AgendaMeta
    body: str  # Markdown after the front matter

    def body_for(self, fmt: Format) -> str:
        """The body for a program of format `fmt`: the sections `format_sections` keeps for other formats (a
        heading and everything up to the next heading of its level or above) are blanked out, line for line, so
        the lines left keep their numbers for messages."""
        hidden = {h for h, formats in self.meta.format_sections.items() if fmt not in formats}
        if not hidden:
            return self.body
        out: list[str] = []
        cut: int | None = None  # the level of the heading being left out
        for line, heading in _headings(self.body):
            if heading is not None:
                level, text = heading
                if cut is not None and level <= cut:
                    cut = None
                if cut is None and text in hidden:
                    cut = level
            out.append("" if cut is not None else line)
        return "\n".join(out)

    def headings(self) -> list[str]:
        """The text of every heading in the body, in order (not those in code blocks)."""
        return [h[1] for _, h in _headings(self.body) if h is not None]


def _headings(body: str) -> list[tuple[str, tuple[int, str] | None]]:
    """Each line of `body`, with (level, text) when it is a heading outside a fenced code block."""
    out: list[tuple[str, tuple[int, str] | None]] = []
    fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        out.append((line, (len(m.group(1)), m.group(2)) if m else None))
    return out
