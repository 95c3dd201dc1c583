"""What the coordinator's monthly reminder is about: dates coming up, and pairs needing attention.

Pure rules on a workspace and a day (the caller chooses the day; nothing here
reads the clock). `mentorkit.ci.text.reminder` writes them as the issue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import metrics
from ..model import Program, Workspace
from ..model.schedule import survey_dates
from ..text.markdown import code

HORIZON_DAYS = 45  # the reminder runs monthly: look a little further than the next run


@dataclass(frozen=True)
class Upcoming:
    date: dt.date
    program: str
    what: str


@dataclass(frozen=True)
class Attention:
    program: str
    mentee: str  # "" when the item is about the whole program
    mentor: str | None  # None: the mentee has no mentor
    why: str


def _dates(program: Program) -> list[tuple[dt.date | None, str]]:
    """Every dated event of one program, in the order they are told on the same day."""
    tl = program.timeline
    dated: list[tuple[dt.date | None, str]] = [
        (tl.enrolment_opens, "Enrolment opens"),
        (tl.enrolment_closes, "Enrolment closes: propose matches for the new participants"),
        (tl.start, "Program starts"), (tl.end, "Program ends: final survey and results")]
    dated += [(m.date, m.title + (f" ({m.minutes} min)" if m.minutes else "")) for m in program.milestones]
    dated += [(s.opens, f"{s.title} opens: send the form (forms/{s.survey}.md) to everyone enrolled; it closes on "
                        f"{s.closes}, then import the answers with `mentorkit import-survey --survey {s.survey}`")
              for s in survey_dates(program)]
    for g in program.goals:
        dated += [(d, f"Review goal {code(g.id)}: compare {g.metric.value} with its target {g.target:g}")
                  for d in g.review_on if d != g.due]
        dated.append((g.due, f"Goal {code(g.id)} is due: {g.metric.value} target {g.target:g}"))
    return dated


def upcoming(ws: Workspace, as_of: dt.date, horizon_days: int = HORIZON_DAYS) -> list[Upcoming]:
    """Milestones, timeline dates and goal reviews from `as_of` to `as_of + horizon_days`, by date."""
    until = as_of + dt.timedelta(days=horizon_days)
    items = [(d, pid, order, what) for pid, p in ws.programs.items()
             for order, (d, what) in enumerate(_dates(p)) if d is not None and as_of <= d <= until]
    return [Upcoming(d, pid, what) for d, pid, _, what in sorted(items)]


def attention(ws: Workspace, as_of: dt.date) -> list[Attention]:
    """What the coordinator should follow up on `as_of`, for every program that has not ended.

    Pairs come from the metrics' one definition of "needs attention"
    (`mentorkit.metrics.pairs_needing_attention`: quiet for 1.5 cadence
    intervals, low satisfaction or relationship health, goals overdue),
    evaluated on `as_of` rather than on the latest record, so a program whose
    check-ins stopped arriving shows up too. Added here: mentees the proposal
    left without a mentor, and programs that have started without a proposal.
    """
    out: list[Attention] = []
    for pid in sorted(ws.programs):
        p = ws.programs[pid]
        if as_of > p.timeline.end:
            continue
        proposal = ws.proposals.get(pid)
        if proposal is None and p.timeline.start <= as_of and any(m.can_be_mentee for m in ws.members(pid)):
            out.append(Attention(pid, "", None, "the program has started but has no match proposal: "
                                                "run the Propose matches workflow"))
        for item in metrics.pairs_needing_attention(ws, pid, as_of):
            out.append(Attention(pid, item.mentee, item.mentor, "; ".join(item.details)))
        for u in proposal.unmatched if proposal else ():
            out.append(Attention(pid, u.mentee, None, f"no mentor yet: {u.reason}"))
    return out
