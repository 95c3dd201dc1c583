"""`mentorkit due --date D`: what the program calendar says is due in the week from D, with the command for each.

A coordinator runs this once a week and then the commands it lists. For every program that has not ended more
than a week before D:

- introductions: approved pairs not yet introduced (with ``--private``: the private folder's record says which);
- not-matched: people the proposal leaves without a mentor, in the week before the program starts;
- survey rounds that open in the week (`model.schedule`);
- the waiting list: mentees left out only because places were full, while a mentor place is free now, first come
  first (by sign-up date);
- nudges: pairs needing attention on D (`metrics.pairs_needing_attention`, the rule the messages use);
- milestones (program events) in the week;
- closure: when the program ends in the week, or ended in the week before.

It only reads: nothing is written and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..metrics import pairs_needing_attention
from ..model import PairStatus, Program, Workspace
from ..model.schedule import survey_dates
from ..repo.load import load_workspace
from ..text.counts import counted, plural
from ..text.dates import weekday_day_month_year
from .intros import read_sent
from .messages import mentoring_only, waiting_list
from .pseudonyms import check_outside
from .report import CommandReport

WEEK = dt.timedelta(days=7)
WAITING_SHOWN = 5  # the waiting list's first mentees named in `due` (the review packet lists them all)


@dataclass(frozen=True)
class Due:
    program: str
    day: dt.date  # when it falls due (the week's first day for what is due now)
    what: str
    command: str = ""  # what to run, if a command does it


@dataclass(kw_only=True)
class DueReport(CommandReport):
    start: dt.date
    items: list[Due] = field(default_factory=list)

    def as_text(self) -> str:
        end = self.start + WEEK - dt.timedelta(days=1)
        lines = [f"due from {weekday_day_month_year(self.start)} to {weekday_day_month_year(end)}"]
        if not self.items:
            lines.append("  nothing is due")
        for program in dict.fromkeys(i.program for i in self.items):
            lines.append(f"  {program}:")
            for item in (i for i in self.items if i.program == program):
                lines.append(f"    {item.day.isoformat()}  {item.what}")
                if item.command:
                    lines.append(f"                run: {item.command}")
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": (self.start + WEEK - dt.timedelta(days=1)).isoformat(),
                "items": [{"program": i.program, "date": i.day.isoformat(), "what": i.what, "command": i.command}
                          for i in self.items], "notes": list(self.notes)}


def _signed_up(ws: Workspace, code: str) -> str:
    person = ws.participants.get(code)
    return f"{code} (signed up {person.joined.isoformat()})" if person is not None and person.joined else code


def _waiting_list(ws: Workspace, pid: str, today: dt.date) -> list[Due]:
    """Mentees waiting for a place (the proposal left them out only because mentors who fit were full) while a
    mentor place is free now (someone left, or a mentor joined): a new match can place them. They are listed
    first come first (`messages.waiting_list`), as their not-matched e-mails told them."""
    proposal = ws.proposals[pid]
    leavers = ws.leavers(pid)
    waiting_now = waiting_list(ws, pid)
    load: dict[str, int] = {}
    for p in proposal.pairs:
        if p.status != PairStatus.ENDED:
            load[p.mentor] = load.get(p.mentor, 0) + 1
    free = sum(max(0, m.mentor_capacity - load.get(m.pseudonym, 0)) for m in ws.members(pid)
               if m.can_mentor and m.pseudonym not in leavers)
    if not waiting_now or not free:
        return []
    shown = [_signed_up(ws, code) for code in waiting_now[:WAITING_SHOWN]]
    more = len(waiting_now) - len(shown)
    return [Due(pid, today, f"{counted(len(waiting_now), 'mentee')} on the waiting list and "
                            f"{counted(free, 'mentor place')} free: a new match can place them; in sign-up order: "
                            + ", ".join(shown) + (f" and {more} more" if more else ""),
                f"mentorkit match {pid}, review and approve, then mentorkit intros {pid} ...")]


def _program_items(ws: Workspace, pid: str, program: Program, today: dt.date,
                   sent: set[tuple[str, str, str]] | None) -> list[Due]:
    end_of_week = today + WEEK - dt.timedelta(days=1)
    date = f"--date {today.isoformat()}"
    items: list[Due] = []
    proposal = ws.proposals.get(pid)
    if proposal is not None and sent is not None:
        new = [p for p in proposal.pairs if p.status == PairStatus.APPROVED and (pid, p.mentee, p.mentor) not in sent]
        if new:
            items.append(Due(pid, today, f"introduce {counted(len(new), 'newly approved pair')}",
                             f"mentorkit intros {pid} --private DIR --out DIR {date}, then mentorkit send DIR ..."))
    if proposal is not None and today <= program.timeline.start <= end_of_week + WEEK:
        left = len(proposal.unmatched) + len(mentoring_only(ws, pid))
        if left:
            items.append(Due(pid, today, f"tell {counted(left, 'person')} without a mentor why, before the start",
                             f"mentorkit messages {pid} not-matched --private DIR --out DIR {date}"))
    if proposal is not None and program.timeline.start <= today <= program.timeline.end:
        items += _waiting_list(ws, pid, today)
    items += [Due(pid, s.opens, f"{s.title} opens: send the form (forms/{s.survey}.md) to everyone enrolled; "
                                f"when it closes on {s.closes.isoformat()}, import the answers",
                  f"mentorkit import-survey EXPORT --program {pid} --survey {s.survey} --private DIR")
              for s in survey_dates(program) if today <= s.opens <= end_of_week]
    if program.timeline.start <= today <= program.timeline.end:
        quiet = pairs_needing_attention(ws, pid, today)
        if quiet:
            items.append(Due(pid, today, f"{counted(len(quiet), 'pair')} {plural(len(quiet), 'needs', 'need')} a nudge",
                             f"mentorkit messages {pid} nudge --private DIR --out DIR {date}"))
    items += [Due(pid, m.date, f"{m.title} (program event)") for m in program.milestones
              if today <= m.date <= end_of_week]
    end = program.timeline.end
    if today - WEEK < end <= end_of_week:
        items.append(Due(pid, end, "the program ends: thank everyone",
                         f"mentorkit messages {pid} closure --private DIR --out DIR --date {end.isoformat()}"))
    return sorted(items, key=lambda i: (i.day, i.what))


def due(root: Path, today: dt.date, private_dir: Path | None = None) -> DueReport:
    """What is due in the week from `today`, program by program."""
    root = Path(root).resolve()
    ws = load_workspace(root)
    sent = read_sent(check_outside(private_dir, root, "private folder")) if private_dir is not None else None
    report = DueReport(start=today)
    for pid in sorted(ws.programs):
        program = ws.programs[pid]
        if program.timeline.end < today - WEEK:
            continue
        report.items += _program_items(ws, pid, program, today, sent)
    if sent is None:
        report.notes.append("add --private DIR to see which approved pairs are still to be introduced")
    return report


__all__ = ["Due", "DueReport", "due"]
