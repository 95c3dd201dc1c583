"""Agenda templates (agendas/<id>.md): front matter model and the loaded template."""

from __future__ import annotations

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
    prepare: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(default_factory=list)


@dataclass(frozen=True)
class Agenda:
    id: str  # file name without .md
    meta: AgendaMeta
    body: str  # Markdown after the front matter
