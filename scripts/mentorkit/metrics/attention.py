"""Pairs that need the coordinator's attention. Coordinator-only: this names pseudonyms, never publish it.

A current pair (approved, not ended) is listed when, on the as-of date:
- no-checkin: its last check-in (or, if it never met, the later of the pair's
  own start, the day it was approved, see `context.pair_start`, and the program's
  start) is more than 1.5 x the cadence interval ago; a single-session program flags a pair that has not met a month
  after its start;
- low-satisfaction: the mentee's or the mentor's latest satisfaction answer in
  this program, given since the pair started, is 2 or lower (1-5 scale): an
  answer about an earlier, ended pair stays with that pair;
- low-health: the mentee's or the mentor's latest relationship-health rating of the pair is 2 or lower (each
  partner rates their meetings in the check-in form; both ratings are kept, see `Checkin`);
- one-sided: both partners have rated the pair and their latest ratings are 2 or more apart (one thinks it is
  going well, the other does not: a warning sign of one-sided effort);
- goals-overdue: the mentee (in a peer program, either person) has an open goal
  whose due date has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..model import Checkin
from ..text.counts import counted
from .context import LOW_SCORE, Context, PairRecord
from .model import AttentionItem

ONE_SIDED_GAP = 2  # partners whose latest ratings are this far apart see the pair differently


def _latest_ratings(checkins: Iterable[Checkin]) -> dict[str, int]:
    """Each partner's latest rating of the pair ("mentee", "mentor"): the check-ins are in date order."""
    latest: dict[str, int] = {}
    for c in checkins:
        if c.mentee_health is not None:
            latest["mentee"] = c.mentee_health
        if c.mentor_health is not None:
            latest["mentor"] = c.mentor_health
    return latest


def attention(ctx: Context) -> tuple[AttentionItem, ...]:
    if ctx.as_of is None:
        return ()
    as_of = ctx.as_of
    items = []
    for pair in ctx.pairs:
        if not pair.current:
            continue
        reasons: list[str] = []
        details: list[str] = []
        for check in (_quiet, _low_satisfaction, _low_health, _goals_overdue):
            check(ctx, pair, as_of, reasons, details)
        if reasons:
            items.append(AttentionItem(pair.mentee, pair.mentor, tuple(reasons), tuple(details), pair.last))
    return tuple(sorted(items, key=lambda a: (a.mentee, a.mentor or "")))


# Each check adds its reason (once) and one detail per finding to the pair's lists, in the order shown.

def _quiet(ctx: Context, pair: PairRecord, as_of: dt.date, reasons: list[str], details: list[str]) -> None:
    since = pair.last or max(pair.start, ctx.program.timeline.start)  # a pair approved early starts with the program
    quiet = (as_of - since).days
    limit = ctx.quiet_after()
    once = ctx.program.cadence.every == "once"
    if as_of >= since and quiet > limit and not (once and pair.last):
        reasons.append("no-checkin")
        details.append(f"no check-in for {quiet} days" + ("" if pair.last else " (never met)")
                       + f"; the cadence allows {limit:.0f}")


def _low_satisfaction(ctx: Context, pair: PairRecord, as_of: dt.date, reasons: list[str], details: list[str]) -> None:
    for who, person in (("mentee", pair.mentee), ("mentor", pair.mentor)):
        answers = [r.satisfaction for r in ctx.surveys.get(person, ())
                   if r.satisfaction is not None and pair.covers(r.date)]
        if answers and answers[-1] <= LOW_SCORE:
            if "low-satisfaction" not in reasons:
                reasons.append("low-satisfaction")
            details.append(f"the {who}'s latest satisfaction is {answers[-1]} of 5")


def _low_health(ctx: Context, pair: PairRecord, as_of: dt.date, reasons: list[str], details: list[str]) -> None:
    """A low latest rating by either partner, and partners who rate the relationship far apart."""
    latest = _latest_ratings(pair.checkins)
    for who, rating in latest.items():
        if rating <= LOW_SCORE:
            if "low-health" not in reasons:
                reasons.append("low-health")
            details.append(f"the {who}'s latest relationship health is {rating} of 5")
    if len(latest) == 2 and abs(latest["mentee"] - latest["mentor"]) >= ONE_SIDED_GAP:
        reasons.append("one-sided")
        details.append(f"the partners rate the relationship differently: the mentee {latest['mentee']}, "
                       f"the mentor {latest['mentor']} of 5")


def _goals_overdue(ctx: Context, pair: PairRecord, as_of: dt.date, reasons: list[str], details: list[str]) -> None:
    owners = (pair.mentee, pair.mentor) if ctx.peer else (pair.mentee,)  # peers set goals on both sides
    overdue = sorted(g.goal_id for who in owners for g in ctx.goals.get(who, ())
                     if g.status == "open" and g.due < as_of)
    if overdue:
        reasons.append("goals-overdue")
        details.append(f"{counted(len(overdue), 'open goal')} past due: {', '.join(overdue)}")
