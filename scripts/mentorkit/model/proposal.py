"""A match proposal (participants/matches/<program>.yaml): written by `mentorkit match`, read back by the loader."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import Format, Pseudonym, Slug, Strict


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ENDED = "ended"


# Values the matcher writes in free-form sections (proposal files are read with YAML's core types).
Scalar = int | float | bool | str | None


class ProposedPair(Strict):
    mentee: Pseudonym
    mentor: Pseudonym
    status: PairStatus = PairStatus.PROPOSED
    score: float
    why: dict[str, float] = Field(default_factory=dict)
    rank: int | None = Field(None, description="Choice mode: 1 = best suggestion.")
    next_best: dict[str, Scalar] | None = None


class Unmatched(Strict):
    mentee: Pseudonym
    reason: str


class Proposal(Strict):
    program: Slug
    format: Format
    solver: dict[str, Scalar | dict[str, Scalar]] = Field(default_factory=dict)
    summary: dict[str, Scalar] = Field(default_factory=dict)
    pairs: list[ProposedPair] = Field(default_factory=list)
    unmatched: list[Unmatched] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
