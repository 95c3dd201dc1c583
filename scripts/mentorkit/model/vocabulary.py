"""participants/vocabulary.yaml: the closed lists (skills, departments, ...) participant fields draw from."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .base import Slug, Strict


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
