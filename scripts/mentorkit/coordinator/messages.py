"""`mentorkit messages PROGRAM KIND`: the e-mails a program sends besides introductions, as a batch of .eml files.

Each kind has its template under templates/ (Markdown with front matter; see `mail`), which the coordinator
edits freely; an unknown placeholder is a problem naming file, line and name, which `mentorkit validate`
reports too (the names are the catalogue's, `model.templates`). Messages are written to a folder
outside the repository, one .eml file per message, from the private roster:

- ``suggestions`` (choice mode): each mentee gets the mentor profiles the proposal suggests for them, lettered
  A, B, C... in the proposal's order, built only from the fields the template's ``share:`` list names (what the
  sign-up form told people mentees would see), and how to answer; `mentorkit import-choices` reads the answers;
- ``nudge``: both people of each pair needing attention (`metrics.attention`): how long since they last met and
  goals past due, never another person's survey answer;
- ``not-matched``: each mentee the proposal leaves unmatched, with the reason in words and what happens next
  (a mentee waiting only for a place is told their place on the waiting list, kept first come first:
  `waiting_list`);
- ``closure``: everyone in an approved or ended pair: thanks, and how many meetings the pair recorded;
- ``partner-left``: the partners of everyone who left the program on the date (`mentorkit leave`).

Output is deterministic: the same files and date give the same bytes. Nothing is recorded in the private
folder; writing a batch again replaces its files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MentorkitError, Problem
from ..metrics import pairs_needing_attention
from ..model import Format, PairStatus, Program, ProposedPair, Workspace
from ..model.templates import MESSAGE_PLACEHOLDERS, PROFILE_FIELDS, Template
from ..repo.atomic import write_atomic
from ..repo.layout import proposal_file
from ..text.counts import counted
from ..text.dates import day_month_year
from .mail import Person, digest, first_name, message, names_in_words, render
from .people import Roster, profile
from .plain import for_participant, waiting
from .pseudonyms import check_outside
from .report import CommandReport
from .template_fill import escape_text, workspace_with_template

LETTERS = "ABCDEFGHIJ"  # matching.suggestions is at most 10
KINDS = MESSAGE_PLACEHOLDERS  # kind -> its own placeholders, besides MESSAGE_COMMON (model.templates)
MARKDOWN_VALUES = ("contacts", "profiles", "noticed")


def read_kind_template(root: Path, kind: str) -> Template:
    """The template of one kind, or `TemplateError` naming the line of every problem."""
    return workspace_with_template(root, kind)[1]


@dataclass
class Written:
    to: tuple[str, ...]  # pseudonyms
    path: Path


@dataclass(kw_only=True)
class MessagesReport(CommandReport):
    program: str
    kind: str
    written: list[Written] = field(default_factory=list)

    def as_text(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        n = len(self.written)
        lines = [f"{self.kind} messages for {self.program}" + (" (dry run: nothing written)" if self.dry_run else ""),
                 f"  {verb} {counted(n, 'message')}"]
        lines += [f"    {' + '.join(w.to)} -> {w.path.name}" for w in self.written]
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "kind": self.kind, "dry_run": self.dry_run, "ok": self.ok,
                "written": [{"to": list(w.to), "path": str(w.path)} for w in self.written],
                "problems": [p.to_dict() for p in self.problems], "notes": list(self.notes)}


@dataclass(frozen=True)
class Draft:
    """One message before rendering: who it goes to, its file stem, its kind's values."""

    to: tuple[Person, ...]
    stem: str
    values: dict[str, str]


def _common(program: Program, person: Person) -> dict[str, str]:
    contacts = "\n".join(f"- {escape_text(c.role)}: {escape_text(c.how)}"
                         for c in program.contacts) or "- Reply to this e-mail."
    return {"first_name": person.first_name, "name": person.name, "program_title": program.title,
            "program_purpose": " ".join(program.purpose.split()), "start_date": day_month_year(program.timeline.start),
            "end_date": day_month_year(program.timeline.end), "contacts": contacts}


def suggestions_by_mentee(proposal_pairs: Sequence[ProposedPair]) -> dict[str, list[ProposedPair]]:
    """Each mentee's suggestions in the order the messages letter them: by rank, then mentor."""
    out: dict[str, list[ProposedPair]] = {}
    for pair in proposal_pairs:
        if PairStatus(pair.status) != PairStatus.ENDED:
            out.setdefault(pair.mentee, []).append(pair)
    return {m: sorted(ps, key=lambda p: (p.rank if p.rank is not None else 99, p.mentor)) for m, ps in out.items()}


def share_fields(template: Template) -> tuple[str, ...]:
    """The fields a suggested mentor's profile shows: `share:` of the template, checked by the loader."""
    return template.settings.get("share", PROFILE_FIELDS)


def _suggestions(ws: Workspace, program_id: str, roster: Roster, template: Template, today: dt.date,
                 problems: list[Problem]) -> list[Draft]:
    program = ws.program(program_id)
    if program.matching.mode != "choice":
        raise MentorkitError(f"{program_id} matches in assign mode: suggestions are for programs with "
                             "matching.mode: choice (mentees choose among suggested mentors)")
    fields = share_fields(template)
    proposal = ws.proposals[program_id]
    drafts = []
    for mentee, pairs in suggestions_by_mentee(proposal.pairs).items():
        if any(PairStatus(p.status) == PairStatus.APPROVED for p in pairs):
            continue  # already chose
        person = roster.find(mentee, "mentee", proposal_file(program_id), f"pairs (mentee {mentee})", problems)
        if person is None:
            continue
        letters = LETTERS[:len(pairs)]
        lines = [f"- **Mentor {letter}**: "
                 + (escape_text(profile(ws, ws.participants.get(p.mentor), fields)) or "no details shared")
                 for letter, p in zip(letters, pairs, strict=False)]
        drafts.append(Draft((person,), f"{mentee}", {
            "profiles": "\n".join(lines), "letters": names_in_words(list(letters)).replace(" and ", " or "),
            "count": str(len(pairs)), "reply_by": day_month_year(today + dt.timedelta(days=7))}))
    return drafts


def _quiet(detail: str) -> str:
    days = re.search(r"(\d+) days", detail)
    if not days:
        return "We have no record of a meeting for a while."
    weeks = int(days.group(1)) // 7
    span = f"{weeks} weeks" if weeks >= 2 else f"{days.group(1)} days"
    if "never met" in detail:
        return f"We have no record of a meeting yet, {span} after your mentoring began."
    return f"We have no record of a meeting in the last {span}."


NOTICED: dict[str, Callable[[str], str]] = {
    "no-checkin": _quiet,
    "goals-overdue": lambda d: "A development goal has passed its due date: a good moment to review it together.",
}


def _nudges(ws: Workspace, program_id: str, roster: Roster, today: dt.date, problems: list[Problem]) -> list[Draft]:
    drafts = []
    rel = proposal_file(program_id)
    for item in pairs_needing_attention(ws, program_id, today):
        codes = [item.mentee] + ([item.mentor] if item.mentor else [])
        people = [roster.find(c, role, rel, f"pair {item.mentee}/{item.mentor}", problems)
                  for c, role in zip(codes, ("mentee", "mentor"), strict=False)]
        if any(p is None for p in people):
            continue
        found = [p for p in people if p is not None]
        noticed = []
        for reason, detail in zip(item.reasons, item.details, strict=False):
            say = NOTICED.get(reason)
            if say is not None and (line := say(detail)) not in noticed:
                noticed.append(line)
        # low satisfaction or health: someone's own answer, never told to the other person
        noticed.append("We would like to hear how it is going for you both, and whether we can help.")
        for person in found:
            others = [p.first_name for p in found if p is not person]
            drafts.append(Draft((person,), f"{person.pseudonym}-{'-'.join(codes)}", {
                "partner_names": names_in_words(others), "noticed": "\n".join(f"- {n}" for n in noticed)}))
    return drafts


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


def mentoring_only(ws: Workspace, program_id: str) -> dict[str, list[str]]:
    """"Both" sign-ups who mentor in the proposal but have no mentor of their own: pseudonym -> their mentees."""
    proposal = ws.proposals[program_id]
    current = [p for p in proposal.pairs if PairStatus(p.status) != PairStatus.ENDED]
    mentored = {p.mentee for p in current}
    unmatched = {u.mentee for u in proposal.unmatched}
    out: dict[str, list[str]] = {}
    for pair in current:
        person = ws.participants.get(pair.mentor)
        if person is not None and person.role == "both" and pair.mentor not in mentored | unmatched:
            out.setdefault(pair.mentor, []).append(pair.mentee)
    return dict(sorted(out.items()))


def waiting_list(ws: Workspace, program_id: str) -> list[str]:
    """The mentees waiting for a place (the proposal left them out only because the mentors who fit them were
    full), first come first: by sign-up date, then pseudonym so that a day's sign-ups keep one stable order.
    People who have left the program are not on it."""
    proposal = ws.proposals[program_id]
    leavers = ws.leavers(program_id)
    codes = {u.mentee for u in proposal.unmatched if waiting(u.reason) and u.mentee not in leavers}

    def signed_up(code: str) -> tuple[dt.date, str]:
        person = ws.participants.get(code)
        return (person.joined if person is not None and person.joined else dt.date.max), code

    return sorted(codes, key=signed_up)


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def place_in_words(position: int) -> str:
    """A place on the waiting list as a person reads it: 'second', or 'number 12'."""
    return ORDINALS[position - 1] if position <= len(ORDINALS) else f"number {position}"


def _not_matched(ws: Workspace, program_id: str, roster: Roster, problems: list[Problem]) -> list[Draft]:
    drafts = []
    proposal = ws.proposals[program_id]
    who = "peer" if ws.program(program_id).format == Format.PEER else "mentor"
    queue = {code: i for i, code in enumerate(waiting_list(ws, program_id), start=1)}
    for index, item in enumerate(proposal.unmatched):
        person = roster.find(item.mentee, "mentee", proposal_file(program_id), f"unmatched[{index}].mentee", problems)
        if person is None:
            continue
        why, helps = for_participant(item.reason, item.would_match, who)
        place = queue.get(item.mentee)
        drafts.append(Draft((person,), item.mentee, {
            "reason": _sentence(why), "would_match": _sentence(helps),
            "waiting_list": "" if place is None else (
                f"You are {place_in_words(place)} on the waiting list, which we keep in the order people signed "
                f"up. When a place opens with a {who} who fits you, we will propose you and write to you again.")}))
    for code, mentees in mentoring_only(ws, program_id).items():
        person = roster.find(code, "participant", proposal_file(program_id), f"pairs (mentor {code})", problems)
        if person is None:
            continue
        names = names_in_words([first_name(roster.name(m)) for m in mentees])
        drafts.append(Draft((person,), code, {
            "reason": f"You signed up both to mentor and to be mentored. This round you will mentor {names}, and "
                      "no mentor who fits you had a place left for you as well",
            "would_match": "A mentor who fits you taking on one more person, or a new mentor joining",
            "waiting_list": ""}))
    return drafts


def _closure(ws: Workspace, program_id: str, roster: Roster, problems: list[Problem]) -> list[Draft]:
    proposal = ws.proposals[program_id]
    partners: dict[str, list[str]] = {}
    for pair in proposal.pairs:
        if PairStatus(pair.status) in (PairStatus.APPROVED, PairStatus.ENDED):
            partners.setdefault(pair.mentee, []).append(pair.mentor)
            partners.setdefault(pair.mentor, []).append(pair.mentee)
    met: dict[frozenset[str], int] = {}
    for c in ws.checkins:
        if c.program == program_id:
            key = frozenset((c.mentee, c.mentor))
            met[key] = met.get(key, 0) + 1
    drafts = []
    gone = ws.leavers(program_id)  # told when they left (and a leaver's address may no longer work)
    for code in sorted(partners):
        if code in gone:
            continue
        person = roster.find(code, "participant", proposal_file(program_id), f"pairs ({code})", problems)
        if person is None:
            continue
        others = sorted(dict.fromkeys(partners[code]))
        meetings = sum(met.get(frozenset((code, o)), 0) for o in others)
        drafts.append(Draft((person,), code, {"partner_names": names_in_words([first_name(roster.name(o)) for o in others]),
                                               "meetings": str(meetings),
                                               "meetings_recorded": f"{counted(meetings, 'meeting')}"
                                               if meetings else ""}))
    return drafts


def _partner_left(ws: Workspace, program_id: str, roster: Roster, today: dt.date, problems: list[Problem]
                  ) -> list[Draft]:
    """The partners of everyone who left the program on `today` (`mentorkit leave`), one message each."""
    left = {who for who, day in ws.leavers(program_id).items() if day == today}
    drafts = []
    for pair in ws.proposals[program_id].pairs:
        if PairStatus(pair.status) != PairStatus.ENDED or pair.ended_on != today:
            continue
        for gone, stays in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee)):
            if gone in left and stays not in left:
                person = roster.find(stays, "participant", proposal_file(program_id), f"pairs ({stays})", problems)
                if person is not None:
                    drafts.append(Draft((person,), f"{stays}-{gone}", {
                        "partner_names": first_name(roster.name(gone)), "left_on": day_month_year(today)}))
    return drafts


def _check_closure_date(program_id: str, program: Program, today: dt.date, force: bool) -> None:
    if today < program.timeline.end and not force:
        raise MentorkitError(
            f"{program_id} ends on {program.timeline.end}: closure messages thank people at the end, and on "
            f"{today} the pairs are still meeting. Run it on or after {program.timeline.end} (--date), or add "
            "--force to write them now (for example when the program closes early)")


def write_messages(root: Path, program_id: str, kind: str, private_dir: Path, out_dir: Path, *,
                   today: dt.date | None = None, sender: str | None = None, dry_run: bool = False,
                   force: bool = False) -> MessagesReport:
    """Write one batch of `kind` messages for the program to `out_dir` (outside the repository), as on `today`.

    `force` writes closure messages before the program's end."""
    if kind not in KINDS:
        raise MentorkitError(f"there is no message kind '{kind}': choose {', '.join(KINDS)}")
    root = Path(root).resolve()
    ws, template = workspace_with_template(root, kind)
    program = ws.program(program_id)
    roster = Roster(private_dir, root, ws)
    out = check_outside(out_dir, root, "output folder")
    today = today or dt.date.today()
    if kind != "nudge" and program_id not in ws.proposals:
        raise MentorkitError(f"there is no proposal for {program_id} yet ({proposal_file(program_id)}): "
                             f"run `mentorkit match {program_id}` first")
    if kind == "closure":
        _check_closure_date(program_id, program, today, force)
    report = MessagesReport(program=program_id, kind=kind, dry_run=dry_run)
    builders: Mapping[str, Callable[[], list[Draft]]] = {
        "suggestions": lambda: _suggestions(ws, program_id, roster, template, today, report.problems),
        "nudge": lambda: _nudges(ws, program_id, roster, today, report.problems),
        "not-matched": lambda: _not_matched(ws, program_id, roster, report.problems),
        "closure": lambda: _closure(ws, program_id, roster, report.problems),
        "partner-left": lambda: _partner_left(ws, program_id, roster, today, report.problems),
    }
    for draft in builders[kind]():
        values = {**_common(program, draft.to[0]), **draft.values}
        bodies = render(template, values, MARKDOWN_VALUES)
        key = f"{kind}-{digest(program_id, kind, draft.stem, today.isoformat())[:24]}"
        data = message(bodies, draft.to, today=today, key=key, sender=sender)
        path = out / f"{kind}-{program_id}-{draft.stem}.eml"
        report.written.append(Written(tuple(p.pseudonym for p in draft.to), path))
        if not dry_run:  # owner-only: they hold names and addresses
            write_atomic(path, data, private=True)
    if not report.written:
        report.notes.append(f"no {kind} message to write for {program_id}")
    elif not dry_run:
        report.notes.append("open each .eml file in your mail client, check it and send it")
    return report


__all__ = ["KINDS", "MessagesReport", "read_kind_template", "share_fields",
           "suggestions_by_mentee", "write_messages"]
