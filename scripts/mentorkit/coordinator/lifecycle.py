"""`mentorkit leave EMAIL --program P --date D`: a participant withdraws from a program, or leaves the organisation.

From the day given:

- their pairs in the program end (`approved` becomes `ended` with ``ended_on: D``; a pair still only proposed is
  dropped), so check-ins, nudges and the pair's measures stop there, and the matcher never pairs them again;
- participants/outcomes.csv records ``withdrawal`` (they left the program) or, with ``left_organisation``,
  ``departure`` (they left the organisation: retention counts it). `Workspace.leavers` reads these rows:
  the matcher leaves the person out of the program from then on;
- the report names the partners whose mentoring ended with them, and `messages PROGRAM partner-left` writes
  them a message with what happens next.

The person is found by their e-mail address through the private roster; the repository only ever holds the
pseudonym. Both files are validated as they would be, then written together (all or nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MentorkitError
from ..model import PairStatus, Proposal
from ..repo.atomic import write_together
from ..repo.layout import proposal_file
from ..repo.load import load_workspace
from ..repo.proposal_files import proposal_to_yaml
from ..repo.table_rows import read_table
from .candidate import validate_candidate
from .pseudonyms import PENDING_FILE, PrivateStore
from .report import CommandReport


@dataclass(kw_only=True)
class LeaveReport(CommandReport):
    program: str
    who: str  # pseudonym
    outcome: str
    on: dt.date
    ended: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)

    def as_text(self) -> str:
        verb = "would record" if self.dry_run else "recorded"
        lines = [f"{self.who} in {self.program}: {verb} {self.outcome} on {self.on.isoformat()}"]
        lines += [f"  pair ended: {a} + {b}" for a, b in self.ended]
        lines += [f"  proposed pair dropped: {a} + {b}" for a, b in self.dropped]
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "pseudonym": self.who, "outcome": self.outcome, "date": self.on.isoformat(),
                "dry_run": self.dry_run, "ok": self.ok, "ended": [list(p) for p in self.ended],
                "dropped": [list(p) for p in self.dropped], "problems": [p.to_dict() for p in self.problems],
                "notes": list(self.notes)}


def end_pairs(proposal: Proposal, who: str, on: dt.date) -> tuple[Proposal, list[tuple[str, str]],
                                                                    list[tuple[str, str]]]:
    """The proposal with `who`'s current pairs ended on `on` (proposed ones dropped), and those pairs."""
    ended, dropped, kept = [], [], []
    for p in proposal.pairs:
        if who not in (p.mentee, p.mentor) or p.status == PairStatus.ENDED:
            kept.append(p)
        elif p.status == PairStatus.PROPOSED:
            dropped.append((p.mentee, p.mentor))
        else:
            if p.approved_on is not None and on < p.approved_on:
                raise MentorkitError(f"the pair {p.mentee} + {p.mentor} was approved on {p.approved_on}, after "
                                     f"{on}: give the day they left (--date)")
            kept.append(p.model_copy(update={"status": PairStatus.ENDED, "ended_on": on}))
            ended.append((p.mentee, p.mentor))
    summary = dict(proposal.summary)
    if "approved" in summary:
        summary["approved"] = sum(1 for p in kept if p.status == PairStatus.APPROVED)
    if "pairs" in summary:
        summary["pairs"] = sum(1 for p in kept if p.status != PairStatus.ENDED)
    return proposal.model_copy(update={"pairs": kept, "summary": summary}), ended, dropped


def leave(root: Path, email: str, program_id: str, private_dir: Path, *, on: dt.date,
          left_organisation: bool = False, dry_run: bool = False) -> LeaveReport:
    """Record that the person with `email` left `program_id` (or the organisation) on `on`, ending their pairs."""
    root = Path(root).resolve()
    ws = load_workspace(root)
    program = ws.program(program_id)
    store = PrivateStore(private_dir, root, create=not dry_run)  # finishes a save a crash cut short
    code = store.pseudonym_of(email)
    if store.lookup(code) is None or code not in ws.participants:
        raise MentorkitError(f"{email} is not in the private roster of {private_dir}: check the address, and that "
                             "--private names the folder intake used")
    if program_id not in ws.participants[code].programs:
        raise MentorkitError(f"{email} is not enrolled in {program_id}")
    if on > program.timeline.end:
        raise MentorkitError(f"{on} is after {program_id} ended ({program.timeline.end})")
    outcome = "departure" if left_organisation else "withdrawal"
    report = LeaveReport(program=program_id, who=code, outcome=outcome, on=on, dry_run=dry_run)
    files: dict[str, str] = {}
    proposal = ws.proposals.get(program_id)
    if proposal is not None:
        proposal, report.ended, report.dropped = end_pairs(proposal, code, on)
        files[proposal_file(program_id)] = proposal_to_yaml(proposal)
    table = read_table(root, "outcomes")
    row = {"pseudonym": code, "outcome": outcome, "date": on.isoformat()}
    if row not in table.rows:
        table.rows.append(row)
        files[table.file] = table.text()
    report.extend(validate_candidate(root, files))
    if not report.ok or dry_run:
        return report
    # the journal lives in the private folder: the next command that opens it completes a save cut short
    write_together([(root / rel, text, False) for rel, text in files.items()], store.directory / PENDING_FILE)
    partners = sorted({b if a == code else a for a, b in report.ended})
    if partners:
        report.notes.append(f"tell {'their partner' if len(partners) == 1 else 'their partners'} what happens next: "
                            f"mentorkit messages {program_id} partner-left --date {on.isoformat()}")
    report.notes.append("commit the changed files in a pull request; then `mentorkit match` finds the partners a new "
                        "match if there is one")
    return report


__all__ = ["LeaveReport", "end_pairs", "leave"]
