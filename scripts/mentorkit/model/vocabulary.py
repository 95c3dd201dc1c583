"""participants/vocabulary.yaml: the closed lists (skills, departments, ...) participant fields draw from."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .base import Slug, Strict

# What form tools put between the answers of a checkbox question in one export cell: Google Forms ", ",
# Microsoft Forms ";" (with one after the last answer), a spreadsheet edited by hand sometimes a line break.
# The importers split on these, so a vocabulary label (the answer a form offers) must hold none of them.
MULTI_ANSWER_SEPARATORS = {",": "a comma", ";": "a semicolon", "\n": "a line break"}


class Term(Strict):
    id: Slug
    label: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class Skill(Term):
    related: list[Slug] = Field(default_factory=list, description="Skills that earn partial credit.")


class Vocabulary(Strict):
    """participants/vocabulary.yaml: the closed lists participant fields draw from."""

    skills: list[Skill]
    interests: list[Term] = Field(default_factory=list)
    goals: list[Term] = Field(default_factory=list, description="Development goal topics.")
    communication_styles: list[Term] = Field(
        default_factory=list, description="How people like to work together (matching criterion communication_style).")
    departments: list[Term]
    locations: list[Term] = Field(default_factory=list)
