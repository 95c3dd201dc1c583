"""Each pair's own time: from the day it started to the day it ended (records outside it are another pair's).

One definition for the measures (`metrics.context`: attention counts "no
check-in for N days" from here) and for the check-in import (a respondent in
several pairs is attributed to the one running on the meeting's date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .program import Program
from .proposal import PairStatus, Proposal
from .records import Participant

PairTimes = dict[tuple[str, str], tuple[dt.date, dt.date | None]]  # (mentee, mentor) -> (start, end or None)


def pair_start(program: Program, members: Mapping[str, Participant], mentee: str, mentor: str) -> dt.date:
    """Without an approval date: the program start or the later sign-up of the two, whichever is later."""
    days = [program.timeline.start]
    days += [d for who in (mentee, mentor) if who in members and (d := members[who].joined) is not None]
    return max(days)


def pair_times(program: Program, members: Mapping[str, Participant], proposal: Proposal,
               last_checkin: Mapping[tuple[str, str], dt.date]) -> PairTimes:
    """The time of every approved and ended pair of a proposal.

    A pair starts on its `approved_on`, else as `pair_start` says; a current
    pair without `approved_on` whose mentee has an ended pair starts no earlier
    than that pair's end (a re-match follows the pair it replaces). An ended
    pair ends on its `ended_on`, else on its last check-in (else its start).
    """
    times: PairTimes = {}
    ended_until: dict[str, dt.date] = {}
    undated: list[tuple[str, str]] = []
    for p in proposal.pairs:
        key = (p.mentee, p.mentor)
        if p.status == PairStatus.PROPOSED or key in times:
            continue
        start = p.approved_on or pair_start(program, members, p.mentee, p.mentor)
        end = None
        if p.status == PairStatus.ENDED:
            end = p.ended_on or last_checkin.get(key) or start
            ended_until[p.mentee] = max(end, ended_until.get(p.mentee, end))
        elif p.approved_on is None:
            undated.append(key)
        times[key] = (start, end)
    for key in undated:
        start, end = times[key]
        times[key] = (max(start, ended_until.get(key[0], start)), end)
    return times
