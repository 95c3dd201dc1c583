"""Qualitative themes (themes/<program>-<round>.md): what a coordinator heard in one round, summarised and reviewed.

The coordinator writes the themes, never the participants' words: no quotes,
names, pseudonyms or contacts. The front matter says where the themes come
from and who reviewed them; the body is one `## Title` heading per theme with a
few plain sentences under it. `repo.themes` checks both; the results page
quotes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from .base import Slug, Strict

ThemeSource = Literal["interviews", "focus-groups", "exit-interviews", "open-survey-answers"]
SOURCE_WORDS = {"interviews": "interviews", "focus-groups": "focus groups", "exit-interviews": "exit interviews",
                "open-survey-answers": "open survey answers"}
# A reviewer is named by role only ("program sponsor"): letters, spaces and a few joiners, no digits or @.
Role = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z ,&'/-]*$", min_length=3, max_length=60)]


class ThemesMeta(Strict):
    """Front matter of a themes file."""

    program: Slug = Field(description="The program the themes are about (the file name starts with it).")
    round: Slug = Field(description="Which round they come from, e.g. mid-program or final.")
    date: dt.date = Field(description="The day the conversations (or the survey) ended.")
    source: ThemeSource = Field(description="Where the themes come from.")
    participants: Annotated[int, Field(ge=1, le=100_000)] = Field(
        description="How many people took part: at least the program's reports.min_group_size, so that no theme "
                    "points to one person.")
    reviewed_by: Role = Field(description="The role (not the name) of who checked the summary, e.g. program sponsor.")
    reviewed_on: dt.date = Field(description="When it was reviewed: on or after `date`.")

    @model_validator(mode="after")
    def _reviewed_after(self) -> Self:
        if self.reviewed_on < self.date:
            raise ValueError("reviewed_on comes before date: a summary is reviewed after the round it sums up")
        return self


@dataclass(frozen=True)
class Theme:
    title: str
    text: str  # plain sentences, joined into one paragraph


@dataclass(frozen=True)
class ThemeRound:
    file: str  # relative path
    meta: ThemesMeta
    themes: tuple[Theme, ...]
