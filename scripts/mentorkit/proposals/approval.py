"""Approving proposed pairs: the reviewer's decision, recorded in the proposal file."""

from __future__ import annotations

import datetime as dt

from ..errors import MentorkitError
from ..model import PairStatus, Proposal, Workspace


def approve_in(ws: Workspace, program_id: str, pairs: list[tuple[str, str]] | None = None,
               on: dt.date | None = None) -> tuple[Proposal, int]:
    """Approve (mentee, mentor) pairs, or every proposed pair, of a program's current proposal (on the day `on`)."""
    ws.program(program_id)  # a clear error for an unknown program
    if program_id not in ws.proposals:
        raise MentorkitError(f"there is no proposal for {program_id} yet: run `mentorkit match {program_id}` first")
    return approve(ws.proposals[program_id], pairs, on)


def approve(proposal: Proposal, pairs: list[tuple[str, str]] | None = None,
            on: dt.date | None = None) -> tuple[Proposal, int]:
    """Mark the given (mentee, mentor) pairs, or every proposed pair, as approved.

    Returns the new proposal and how many pairs changed status. A pair that is not
    in the proposal is an error (a typo must not pass silently); approving an
    already approved pair changes nothing; an ended pair stays ended. With `on`, a newly
    approved pair records it as approved_on: the day its own clock starts (check-ins due,
    attention), which a later re-match of the program does not move.
    """
    wanted = set(pairs) if pairs is not None else None
    present = {(p.mentee, p.mentor) for p in proposal.pairs}
    if wanted is not None and (missing := sorted(wanted - present)):
        listed = ", ".join(f"{a}:{b}" for a, b in missing)
        raise MentorkitError(f"not in the {proposal.program} proposal: {listed} (give pairs as MENTEE:MENTOR)")
    changed = 0
    new_pairs = []
    for p in proposal.pairs:
        if p.status == PairStatus.PROPOSED and (wanted is None or (p.mentee, p.mentor) in wanted):
            stamp = {"approved_on": on} if on is not None and p.approved_on is None else {}
            p = p.model_copy(update={"status": PairStatus.APPROVED, **stamp})
            changed += 1
        new_pairs.append(p)
    summary = dict(proposal.summary)
    if "approved" in summary:  # the summary counts approved pairs: keep it true without a re-run
        summary["approved"] = sum(1 for p in new_pairs if p.status == PairStatus.APPROVED)
    return proposal.model_copy(update={"pairs": new_pairs, "summary": summary}), changed
