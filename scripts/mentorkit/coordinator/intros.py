"""`mentorkit intros`: an introduction e-mail and a first-meeting invitation per newly approved pair or group.

For every pair that is `approved` in participants/matches/<program>.yaml and
not yet in the private folder's intros-sent.csv, this writes to the output
folder (which, like the private folder, must lie outside the repository):

- ``intro-<program>-<mentee>-<mentor>.eml``: a standard e-mail message (RFC 5322
  / MIME) to both people, ready to open in any mail client (Outlook opens it
  as an unsent draft): templates/intro-email.md (Markdown) as plain text and as
  HTML (``multipart/alternative``), why the two were matched, the first-meeting
  agenda, and the invitation both as a calendar part
  (``text/calendar; method=REQUEST``) and as an ``invite.ics`` attachment;
- ``intro-<program>-<mentee>-<mentor>.ics``: the same invitation on its own.

In a group or team program the mentees of one mentor (of one team) are introduced
together: one message and one invitation to the whole group
(``intro-<program>-group-<mentor>`` or ``intro-<program>-team-<team>``).

The first meeting is proposed a week after the e-mail's date (or on
``--meeting-date``), on the first of the program's meeting weekdays that is no
milestone's day, at the time nearest ``--meeting-time`` (in the mentee's time
zone) that lies inside every person's working hours (their own from the sign-up,
else ``cadence.working_hours``; each in their own time zone) and is free in every person's diary (`slots`): a mentor
with several mentees, or a "both" sign-up with two pairs, gets distinct times,
in one batch and across batches. When the working days do not overlap, the
e-mail and the report say so.

People are re-identified only from the private roster. Nothing in a message
shows a pseudonym (a participant could otherwise look up their partner's row
in the repository): Message-ID and UID are hashes. Output is deterministic:
the same pairs, program, date and options give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from .. import __version__
from ..errors import MentorkitError, Problem
from ..model import Format, PairStatus, Program, Proposal, ProposedPair, Workspace
from ..model.templates import CATALOGUE, INTRO, Template
from ..repo.atomic import write_atomic
from ..repo.layout import agenda_file, proposal_file
from ..text.counts import counted, plural
from ..text.dates import day_month_year, weekday_day_month_year
from ..text.wording import CADENCE_PHRASE
from .mail import Bodies, Person, digest, message, names_in_words, render, sender_address
from .meeting_time import time_in_zones
from .people import Roster, profile, why_matched
from .pseudonyms import check_outside, csv_text, read_private_csv
from .report import CommandReport
from .slots import DIARY_FILE, Booking, Diary, Slot, find_slot, workday
from .template_fill import escape_text, template_problems, workspace_with_template

FIRST_MEETING_AGENDA = "first-meeting"
SENT_FILE = "intros-sent.csv"
SENT_COLUMNS = ("program", "mentee", "mentor", "written_on")
PRODID = f"-//mentorkit//mentorkit {__version__}//EN"
GROUP_FORMATS = (Format.GROUP, Format.TEAM)  # one introduction per group of mentees

PLACEHOLDERS = CATALOGUE[INTRO].placeholders  # the catalogue's: `mentorkit validate` checks the same names
MARKDOWN_VALUES = ("roles", "why_matched", "profiles", "agenda_prepare", "agenda", "contacts")


def read_template(root: Path) -> Template:
    """The introduction template, or `TemplateError` naming the line of every problem."""
    return workspace_with_template(root, INTRO)[1]


def check_template(root: Path) -> list[Problem]:
    """Problems of the template, as `mentorkit validate` reports them: front matter, placeholders; none when missing."""
    return template_problems(root, INTRO)


# --- pairs and the record of introductions ------------------------------------------------


@dataclass
class Intro:
    mentees: tuple[str, ...]
    mentors: tuple[str, ...]
    eml: Path
    ics: Path
    meeting: dt.datetime
    warning: str = ""

    @property
    def mentee(self) -> str:
        return "+".join(self.mentees)

    @property
    def mentor(self) -> str:
        return "+".join(self.mentors)


@dataclass(kw_only=True)
class IntrosReport(CommandReport):
    """What `write_intros` wrote (or would write); `problems` are the pairs it could not introduce."""

    program: str
    written: list[Intro] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)
    waiting: int = 0  # pairs still proposed (not approved)

    def as_text(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"introductions for {self.program}" + (" (dry run: nothing written)" if self.dry_run else "")]
        lines.append(f"  {verb} {counted(len(self.written), 'introduction')}")
        for intro in self.written:
            lines.append(f"    {intro.mentee} + {intro.mentor}: first meeting {intro.meeting.isoformat()} -> "
                         f"{intro.eml.name}, {intro.ics.name}")
            if intro.warning:
                lines.append(f"      warning: {intro.warning}")
        if self.already:
            lines.append(f"  already introduced: {counted(len(self.already), 'pair')}")
        if self.waiting:
            lines.append(f"  not yet approved: {counted(self.waiting, 'pair')}")
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "dry_run": self.dry_run, "ok": self.ok,
                "written": [{"mentees": list(i.mentees), "mentors": list(i.mentors), "eml": str(i.eml),
                             "ics": str(i.ics), "meeting": i.meeting.isoformat(), "warning": i.warning}
                            for i in self.written],
                "already_introduced": [list(p) for p in self.already], "not_yet_approved": self.waiting,
                "problems": [p.to_dict() for p in self.problems], "notes": list(self.notes)}


def read_sent(private_dir: Path) -> set[tuple[str, str, str]]:
    path = private_dir / SENT_FILE
    if not path.is_file():
        return set()
    return {(r["program"], r["mentee"], r["mentor"]) for r in read_private_csv(path, SENT_COLUMNS)}


def _record_sent(private_dir: Path, entries: list[tuple[str, str, str, str]]) -> None:
    path = private_dir / SENT_FILE
    rows = [tuple(r[c] for c in SENT_COLUMNS) for r in read_private_csv(path, SENT_COLUMNS)] if path.is_file() else []
    known = {row[:3] for row in rows}
    rows += [e for e in entries if e[:3] not in known]
    write_atomic(path, csv_text(SENT_COLUMNS, rows), private=True)


# --- building one introduction ------------------------------------------------------------


def first_meeting_date(program: Program, today: dt.date) -> dt.date:
    """A week from `today` (not before the program starts), moved off the weekend to Monday."""
    day = max(today + dt.timedelta(days=7), program.timeline.start)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _agenda(ws: Workspace, program_id: str, program: Program) -> tuple[str, str, list[str], str, int | None]:
    """(title, summary, prepare items, body Markdown, minutes) of the first-meeting agenda, placeholders filled."""
    agenda = ws.agendas.get(FIRST_MEETING_AGENDA)
    if agenda is None:
        first = program.session_plan[0] if program.session_plan else None
        agenda = ws.agendas.get(first) if first else None
    if agenda is None:
        return ("First meeting", "Get to know each other and agree how you will work together.", [], "", None)
    body = agenda.body_for(program.format)
    try:
        from ..site.values import AgendaUse, agenda_uses, agenda_values
        from ..text.placeholders import render as render_page

        use = agenda_uses(ws, program).get(agenda.id) or AgendaUse(agenda)
        filled, problems = render_page(body, agenda_values(ws, program_id, program, use),
                                       file=agenda_file(agenda.id), page=f"programs/{program_id}/agendas/{agenda.id}.md")
        if not problems:
            body = filled
    except ImportError:  # the site package is optional for e-mails: keep the agenda as written
        pass
    body = re.sub(r"\n{3,}", "\n\n", body.strip())  # where sections for other formats were left out
    return agenda.meta.title, agenda.meta.summary, list(agenda.meta.prepare), body, agenda.meta.minutes


@dataclass(frozen=True)
class Group:
    """Who one introduction goes to: one pair, or a mentor (team) with several mentees."""

    key: str  # file stem after intro-<program>-
    mentees: tuple[Person, ...]
    mentors: tuple[Person, ...]
    pairs: tuple[ProposedPair, ...]


PROFILE_PROMISE = re.compile(r"\bprofiles?\b", re.IGNORECASE)
PROFILE_ANSWERS = ("skills_offered", "skills_sought", "goals", "interests")  # what makes a profile worth reading


def _has_profile(ws: Workspace, code: str) -> bool:
    """Whether the person told the program anything to read about them (skills, goals or interests)."""
    person = ws.participants.get(code)
    return person is not None and any(getattr(person, name) for name in PROFILE_ANSWERS)


_esc = escape_text


def intro_values(ws: Workspace, program_id: str, program: Program, group: Group, slot: Slot,
                 minutes: int) -> dict[str, str]:
    """Every placeholder's value for one introduction (people's names HTML-escaped in the Markdown values)."""
    title, summary, prepare, agenda_body, _ = _agenda(ws, program_id, program)
    mentees, mentors = group.mentees, group.mentors
    people = (*mentees, *mentors)
    why = _why_lines(ws, group, slot)
    profiles = _profiles(ws, mentees, mentors)
    if not all(_has_profile(ws, p.pseudonym) for p in mentees):  # promise nothing that does not exist
        prepare = [item for item in prepare if not PROFILE_PROMISE.search(item)]
    return {
        "mentee_name": names_in_words([p.name for p in mentees]),
        "mentor_name": names_in_words([p.name for p in mentors]),
        "mentee_first_name": names_in_words([p.first_name for p in mentees]),
        "mentor_first_name": names_in_words([p.first_name for p in mentors]),
        "everyone_first_names": names_in_words([p.first_name for p in people]),
        "roles": _roles(mentees, mentors), "why_matched": "\n".join(f"- {_esc(w[0].upper() + w[1:])}." for w in why),
        "profiles": "Your profiles, from the sign-up form:\n\n" + "\n".join(_esc(p) for p in profiles)
        if profiles else "",
        **_program_values(program),
        "first_meeting_date": weekday_day_month_year(slot.start.date()), "first_meeting_time": time_in_zones(slot.start, people),
        "first_meeting_note": "" if slot.fits and not slot.warning else f"Please note: {slot.warning}.",
        "first_meeting_minutes": str(minutes), "agenda_title": title, "agenda_summary": summary,
        "agenda_prepare": "\n".join(f"- {item}" for item in prepare) or "- Nothing special: come as you are.",
        "agenda": agenda_body,
        "contacts": "\n".join(f"- {_esc(c.role)}: {_esc(c.how)}" for c in program.contacts) or "- Reply to this e-mail.",
    }


def _roles(mentees: tuple[Person, ...], mentors: tuple[Person, ...]) -> str:
    """Who will be the mentor(s) and who the mentee(s), as two Markdown list items."""
    return "\n".join([
        f"- {_esc(names_in_words([p.name for p in mentors]))} will be the {plural(len(mentors), 'mentor')},",
        f"- {_esc(names_in_words([p.name for p in mentees]))} will be the {plural(len(mentees), 'mentee')}."])


def _why_lines(ws: Workspace, group: Group, slot: Slot) -> list[str]:
    """Why each pair of the group was matched, each reason once, in the pairs' order."""
    why: list[str] = []
    for pair in group.pairs:
        mentee = next(p for p in group.mentees if p.pseudonym == pair.mentee)
        mentor = next(p for p in group.mentors if p.pseudonym == pair.mentor)
        why += [line for line in why_matched(ws, ws.participants.get(pair.mentee), ws.participants.get(pair.mentor),
                                             mentee.first_name, mentor.first_name, slot.start.date())
                if line not in why]
    return why


def _profiles(ws: Workspace, mentees: tuple[Person, ...], mentors: tuple[Person, ...]) -> list[str]:
    """Each person's profile from the sign-up form, mentees first; none for a person who answered nothing."""
    return [f"- {p.first_name} ({role}): {profile(ws, ws.participants.get(p.pseudonym))}"
            for role, group_of in (("mentee", mentees), ("mentor", mentors)) for p in group_of
            if _has_profile(ws, p.pseudonym)]


def _program_values(program: Program) -> dict[str, str]:
    """The program's own placeholders: its title, purpose, cadence and dates."""
    return {
        "program_title": program.title, "program_purpose": " ".join(program.purpose.split()),
        "session_minutes": str(program.cadence.session_minutes),
        "cadence": CADENCE_PHRASE.get(program.cadence.every, program.cadence.every),
        "start_date": day_month_year(program.timeline.start), "end_date": day_month_year(program.timeline.end),
    }


def meeting_minutes(ws: Workspace, program_id: str, program: Program) -> int:
    """How long the first meeting is: its agenda's minutes, else the program's session length."""
    return _agenda(ws, program_id, program)[4] or program.cadence.session_minutes


def build_intro(ws: Workspace, program_id: str, program: Program, template: Template, group: Group, *,
                today: dt.date, slot: Slot, sender: str | None = None) -> tuple[bytes, bytes]:
    """The .eml and .ics bytes for one pair or group meeting at `slot` (see `slots.find_slot`)."""
    minutes = meeting_minutes(ws, program_id, program)
    people = (*group.mentees, *group.mentors)
    values = intro_values(ws, program_id, program, group, slot, minutes)
    bodies = render(template, values, MARKDOWN_VALUES)
    key = digest(program_id, *(p.pseudonym for p in people), today.isoformat())
    ics = _invitation(program, group, slot.start, minutes, bodies, values, key, today, sender)
    eml = message(bodies, [*group.mentees, *group.mentors], today=today, key=f"intro-{key[:24]}", sender=sender,
                  ics=ics)
    return eml, ics


def _invitation(program: Program, group: Group, start: dt.datetime, minutes: int, bodies: Bodies,
                values: dict[str, str], key: str, today: dt.date, sender: str | None) -> bytes:
    summary, prepare = values["agenda_summary"], values["agenda_prepare"]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"intro-{key[:24]}@mentorkit")
    event.add("dtstamp", dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    everyone = names_in_words([p.name for p in (*group.mentees, *group.mentors)])
    event.add("summary", f"First mentoring meeting: {everyone}")
    lines = [f"{program.title}: your first meeting ({minutes} minutes).", "", summary]
    if prepare.strip():
        lines += ["", "To prepare:", prepare]
    lines += ["", f"Details are in the e-mail \"{bodies.subject}\"."]
    event.add("description", "\n".join(lines))
    mentor = group.mentors[0]
    if sender:
        name, addr = parseaddr(sender)
        organizer = vCalAddress(f"mailto:{addr}")
        if name:
            organizer.params["CN"] = vText(name)
    else:
        organizer = vCalAddress(f"mailto:{mentor.email}")
        organizer.params["CN"] = vText(mentor.name)
    event.add("organizer", organizer)
    for person in (*group.mentees, *group.mentors):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = vText(person.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    event.add("sequence", 0)
    event.add("status", "TENTATIVE")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    # the time zone's rules around the meeting only (a client needs nothing else)
    cal.add_missing_timezones(first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(start.year + 2, 1, 1))
    text: bytes = cal.to_ical()  # icalendar declares no return type
    return text


# --- the command -----------------------------------------------------------------------------


def parse_time(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise MentorkitError(f"'{value}' is not a time of day: write it as HH:MM, e.g. 10:00")
    return dt.time(int(m.group(1)), int(m.group(2)))


def _groups(program: Program, pairs: Sequence[tuple[int, ProposedPair]], roster: Roster, rel: str,
            problems: list[Problem]) -> list[Group]:
    """The introductions to write: a pair each, or in group formats one per mentor (per team)."""
    people: dict[str, Person] = {}
    usable: list[ProposedPair] = []
    for index, pair in pairs:
        mentee = roster.find(pair.mentee, "mentee", rel, f"pairs[{index}].mentee", problems)
        mentor = roster.find(pair.mentor, "mentor", rel, f"pairs[{index}].mentor", problems)
        if mentee is None or mentor is None:
            continue
        people[pair.mentee], people[pair.mentor] = mentee, mentor
        usable.append(pair)
    together = program.format in GROUP_FORMATS
    buckets: dict[str, list[ProposedPair]] = {}
    for pair in usable:
        if not together:
            stem = f"{pair.mentee}-{pair.mentor}"
        else:
            stem = f"team-{pair.team}" if pair.team else f"group-{pair.mentor}"
        buckets.setdefault(stem, []).append(pair)
    return [Group(stem, tuple(people[c] for c in dict.fromkeys(p.mentee for p in group)),
                  tuple(people[c] for c in dict.fromkeys(p.mentor for p in group)), tuple(group))
            for stem, group in buckets.items()]


def write_intros(root: Path, program_id: str, private_dir: Path, out_dir: Path, *, today: dt.date | None = None,
                 meeting_date: dt.date | None = None, meeting_time: str | dt.time = "10:00",
                 sender: str | None = None, again: bool = False, dry_run: bool = False) -> IntrosReport:
    """Write introductions for the program's newly approved pairs; record them in the private folder.

    `again` rewrites the introductions of pairs already recorded (for lost
    files); they are not recorded twice. A `meeting_date` given is kept as it
    is (only the time moves into everyone's working day).
    """
    root = Path(root).resolve()
    ws, template = workspace_with_template(root, INTRO)
    program = ws.program(program_id)
    roster = Roster(private_dir, root, ws)
    out = check_outside(out_dir, root, "output folder")
    today = today or dt.date.today()
    time_of_day = parse_time(meeting_time)
    if sender:
        sender_address(sender)
    day = max(meeting_date or first_meeting_date(program, today), program.timeline.start)
    report = IntrosReport(program=program_id, dry_run=dry_run)
    if day > program.timeline.end:
        raise MentorkitError(f"the first meeting ({day}) would be after the program ends ({program.timeline.end})")
    proposal = ws.proposals.get(program_id)
    rel = proposal_file(program_id)
    if proposal is None:
        report.notes.append(f"there is no match proposal for {program_id} yet ({rel}): run `mentorkit match`")
        return report
    todo = _to_introduce(proposal, program_id, read_sent(roster.store.directory), again, report)
    records = []
    diary = Diary.read(roster.store.directory)
    minutes = meeting_minutes(ws, program_id, program)
    for group in _groups(program, todo, roster, rel, report.problems):
        stem = f"intro-{program_id}-{group.key}"
        slot = _book(ws, program_id, program, group, stem, diary, day, minutes, time_of_day)
        eml, ics = build_intro(ws, program_id, program, template, group, today=today, slot=slot, sender=sender)
        intro = Intro(tuple(p.pseudonym for p in group.mentees), tuple(p.pseudonym for p in group.mentors),
                      out / f"{stem}.eml", out / f"{stem}.ics", slot.start, slot.warning)
        report.written.append(intro)
        if not dry_run:  # owner-only files (see write_atomic): they hold names and e-mail addresses
            write_atomic(intro.eml, eml, private=True)
            write_atomic(intro.ics, ics, private=True)
            records += [(program_id, pair.mentee, pair.mentor, today.isoformat()) for pair in group.pairs]
    if records:
        _record_sent(roster.store.directory, records)
        diary.write(roster.store.directory)
    if report.written and not dry_run:
        report.notes.append(f"send them with `mentorkit send` (or open each .eml file in your mail client); "
                            f"{SENT_FILE} in the private folder records these pairs as introduced, "
                            f"{DIARY_FILE} their meeting times (no one gets two meetings at one time)")
    return report


def _to_introduce(proposal: Proposal, program_id: str, sent: set[tuple[str, str, str]], again: bool,
                  report: IntrosReport) -> list[tuple[int, ProposedPair]]:
    """The approved pairs to introduce (with their place in the proposal); the report counts the pairs still
    proposed and lists those introduced before (introduced again with `again`)."""
    todo = []
    for index, pair in enumerate(proposal.pairs):
        if pair.status == PairStatus.PROPOSED:
            report.waiting += 1
        elif pair.status != PairStatus.APPROVED:
            continue
        elif (program_id, pair.mentee, pair.mentor) in sent and not again:
            report.already.append((pair.mentee, pair.mentor))
        else:
            todo.append((index, pair))
    return todo


def _book(ws: Workspace, program_id: str, program: Program, group: Group, stem: str, diary: Diary, day: dt.date,
          minutes: int, time_of_day: dt.time) -> Slot:
    """The group's first meeting: a time in everyone's working day on or after `day`, booked in the diary when
    it fits."""
    people = (*group.mentees, *group.mentors)
    codes = tuple(p.pseudonym for p in people)
    diary.forget(stem)  # written again (--again): its old time is free again
    hours = [workday(program, ws.participants.get(p.pseudonym), p.time_zone) for p in people]
    slot = find_slot(program, day, hours, minutes, time_of_day, diary.busy(codes))
    if slot.fits:
        start = slot.start.astimezone(dt.UTC)
        diary.book(Booking(program_id, stem, codes, start, start + dt.timedelta(minutes=minutes)))
    return slot


__all__ = ["PLACEHOLDERS", "Group", "IntrosReport", "build_intro", "check_template", "first_meeting_date",
           "parse_time", "read_sent", "read_template", "write_intros"]
