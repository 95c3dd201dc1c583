"""A match proposal (participants/matches/<program>.yaml): written by `mentorkit match`, read back by the loader."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from .base import Format, Pseudonym, Slug, Strict


class PairStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ENDED = "ended"


# Values the matcher writes in free-form sections (proposal files are read with YAML's core types).
Scalar = int | float | bool | str | None


class PairFit(Strict):
    """What the two people of a pair have in common, as vocabulary ids and numbers (pseudonymous-safe)."""

    skills: list[str] = Field(default_factory=list, description="Sought skills the mentor offers.")
    related_skills: dict[str, str] = Field(
        default_factory=dict, description="Sought skill -> the related skill the mentor offers for it (half credit).")
    missing_skills: list[str] = Field(default_factory=list, description="Sought skills the mentor does not cover.")
    goals: list[str] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list)
    communication_style: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    level_gap: int | None = None
    shared_hours: float | None = Field(None, description="Hours of a 09:00-17:00 working day both are at work.")
    shared_hours_utc: str | None = Field(None, description="Those hours in UTC, e.g. '08:00-14:00'.")
    meet: list[str] = Field(default_factory=list, description="How they can meet: virtual, in-person at <location>.")


class ProposedPair(Strict):
    mentee: Pseudonym
    mentor: Pseudonym
    status: PairStatus = PairStatus.PROPOSED
    approved_on: dt.date | None = Field(
        None, description="The day the pair was approved: its check-in clock starts here (else the later of the "
                          "program start and both sign-ups, or, after the mentee's ended pair, its last check-in).")
    ended_on: dt.date | None = Field(None, description="The day an ended pair ended (else its last check-in).")
    score: float
    team: Slug | None = Field(None, description="Team format: the mentor team the mentee joins.")
    why: dict[str, float] = Field(default_factory=dict)
    reasons: dict[str, str] = Field(default_factory=dict, description="The points of `why`, in words.")
    fit: PairFit | None = None
    rank: int | None = Field(None, description="Choice mode: 1 = best suggestion.")
    next_best: dict[str, Scalar] | None = None

    @model_validator(mode="after")
    def _own_time(self) -> Self:
        if self.ended_on is not None and self.status != PairStatus.ENDED:
            raise ValueError("ended_on is for a pair whose status is ended")
        if self.approved_on and self.ended_on and self.ended_on < self.approved_on:
            raise ValueError(f"the pair ends ({self.ended_on}) before it was approved ({self.approved_on})")
        return self


class Unmatched(Strict):
    mentee: Pseudonym
    reason: str
    would_match: str | None = Field(None, description="What would match them, in words.")


class UnusedPlaces(Strict):
    """A mentor with places left after matching, and why no one took them."""

    mentor: Pseudonym
    places: int
    reason: str


class Proposal(Strict):
    program: Slug
    format: Format
    solver: dict[str, Scalar | dict[str, Scalar]] = Field(default_factory=dict)
    summary: dict[str, Scalar] = Field(default_factory=dict)
    pairs: list[ProposedPair] = Field(default_factory=list)
    unmatched: list[Unmatched] = Field(default_factory=list)
    unused: list[UnusedPlaces] = Field(default_factory=list, description="Mentors with places left.")
    notes: list[str] = Field(default_factory=list)
