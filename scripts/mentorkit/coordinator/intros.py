"""`mentorkit intros`: an introduction e-mail and a first-meeting invitation per newly approved pair.

For every pair that is `approved` in participants/matches/<program>.yaml and
not yet in the private folder's intros-sent.csv, this writes to the output
folder (which, like the private folder, must lie outside the repository):

- ``intro-<program>-<mentee>-<mentor>.eml``: a standard e-mail message (RFC 5322
  / MIME) to both people, ready to open in any mail client (Outlook opens it
  as an unsent draft), with the text of templates/intro-email.md, the
  first-meeting agenda, and the invitation both as a calendar part
  (``text/calendar; method=REQUEST``) and as an ``invite.ics`` attachment;
- ``intro-<program>-<mentee>-<mentor>.ics``: the same invitation on its own.

People are re-identified only from the private roster. Nothing in a message
shows a pseudonym (a participant could otherwise look up their partner's row
in the repository): Message-ID and UID are hashes. Output is deterministic:
the same pair, program, date and options give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText

from .. import __version__
from ..errors import MentorkitError, PrivateDataError, Problem, TemplateError
from ..model import PairStatus, Program, Workspace
from ..repo.atomic import write_atomic
from ..repo.layout import INTRO_TEMPLATE, agenda_file, proposal_file
from ..repo.load import load_workspace
from ..repo.pii import EMAIL
from ..repo.sources import Source
from ..repo.strict_yaml import parse_yaml
from ..text.wording import CADENCE_PHRASE
from .pseudonyms import ROSTER_FILE, PrivateStore, check_outside, csv_text, read_private_csv
from .report import CommandReport

FIRST_MEETING_AGENDA = "first-meeting"
SENT_FILE = "intros-sent.csv"
SENT_COLUMNS = ("program", "mentee", "mentor", "written_on")
PRODID = f"-//mentorkit//mentorkit {__version__}//EN"
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")

PLACEHOLDERS = {
    "mentee_name": "the mentee's full name", "mentor_name": "the mentor's full name",
    "mentee_first_name": "the mentee's first name", "mentor_first_name": "the mentor's first name",
    "program_title": "the program's title", "program_purpose": "why the program exists",
    "session_minutes": "length of a regular session in minutes", "cadence": "how often pairs meet",
    "start_date": "the program's first day", "end_date": "the program's last day",
    "first_meeting_date": "the proposed first meeting's date", "first_meeting_time": "its time in each time zone",
    "first_meeting_minutes": "its length in minutes", "agenda_title": "the first-meeting agenda's title",
    "agenda_summary": "its summary", "agenda_prepare": "what to prepare, one line each",
    "agenda": "the whole first-meeting agenda", "contacts": "the program's contacts, one line each",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- the template --------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    subject: str
    body: str
    body_line: int  # line of the body's first line in the file


def read_template(root: Path) -> Template:
    """The introduction template, or `TemplateError` naming the line of every problem."""
    template, problems = _load_template(root)
    if template is None:
        raise TemplateError(problems or [Problem(
            INTRO_TEMPLATE, "missing-file", "the introduction e-mail template is missing",
            hint=f"restore {INTRO_TEMPLATE} from the mentorkit template repository")])
    return template


def check_template(root: Path) -> list[Problem]:
    """Problems of the template (for `mentorkit validate`): front matter, unknown placeholders; none when missing."""
    return _load_template(root)[1]


def _load_template(root: Path) -> tuple[Template | None, list[Problem]]:
    """The template and its problems: no template when the file is missing or has a problem."""
    source = Source(Path(root))
    if not source.is_file(INTRO_TEMPLATE):
        return None, []
    try:
        text = source.read_bytes(INTRO_TEMPLATE).decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None, [Problem(INTRO_TEMPLATE, "encoding", "the template is not UTF-8",
                              hint="save it with UTF-8 encoding")]
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() == "---"), None)
    if not lines or lines[0].rstrip() != "---" or end is None:
        return None, [Problem(INTRO_TEMPLATE, "missing-front-matter", "the template starts with front matter between "
                                                                      "two '---' lines, holding the subject", line=1)]
    doc, problems = parse_yaml("\n".join(lines[1:end]), INTRO_TEMPLATE)
    problems = [replace(p, line=(p.line or 0) + 1) for p in problems]  # the file's line, after the first '---'
    if doc is None or problems:
        return None, problems
    subject = doc.data.get("subject") if isinstance(doc.data, dict) else None
    if not isinstance(doc.data, dict) or set(doc.data) != {"subject"} or not isinstance(subject, str):
        return None, [Problem(INTRO_TEMPLATE, "invalid-front-matter",
                              "the front matter holds exactly one key, subject: ...", line=2)]
    subject_line = doc.locate(("subject",))[0] or 1
    problems = _placeholder_problems(subject, subject_line + 1)
    for n, line in enumerate(lines[end + 1:], start=end + 2):
        problems += _placeholder_problems(line, n)
    if problems:
        return None, problems
    return Template(subject, "\n".join(lines[end + 1:]).strip("\n") + "\n", end + 2), []


def _placeholder_problems(text: str, line: int) -> list[Problem]:
    problems = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        name = m.group(1).strip()
        if name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, PLACEHOLDERS, n=1, cutoff=0.6)
            problems.append(Problem(INTRO_TEMPLATE, "unknown-placeholder", f"there is no value called '{{{name}}}'",
                                    line=line, column=m.start() + 1,
                                    hint=f"did you mean '{{{close[0]}}}'?" if close else
                                    "see the list at the top of the template; write {{ and }} for literal braces"))
    stray = PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        col = next(i for i, ch in enumerate(text) if ch in "{}") + 1
        problems.append(Problem(INTRO_TEMPLATE, "bad-placeholder", "a brace is not part of a placeholder", line=line,
                                column=col, hint="write {{ or }} for a literal brace"))
    return problems


def fill(text: str, values: dict[str, str]) -> str:
    """One pass: values are not scanned again, so a name containing braces stays as it is."""
    def replace(m):
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        return values[m.group(1).strip()]

    return PLACEHOLDER.sub(replace, text)


# --- pairs and the record of introductions ------------------------------------------------


@dataclass(frozen=True)
class Person:
    pseudonym: str
    name: str
    email: str
    time_zone: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    def address(self) -> Address:
        username, domain = self.email.rsplit("@", 1)
        return Address(display_name=self.name, username=username, domain=domain)


@dataclass
class Intro:
    mentee: str
    mentor: str
    eml: Path
    ics: Path
    meeting: dt.datetime


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
        lines.append(f"  {verb} {len(self.written)} introduction{'s' if len(self.written) != 1 else ''}")
        for intro in self.written:
            lines.append(f"    {intro.mentee} + {intro.mentor}: first meeting {intro.meeting.isoformat()} -> "
                         f"{intro.eml.name}, {intro.ics.name}")
        if self.already:
            lines.append(f"  already introduced: {len(self.already)} pair{'s' if len(self.already) != 1 else ''}")
        if self.waiting:
            lines.append(f"  not yet approved: {self.waiting} pair{'s' if self.waiting != 1 else ''}")
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        return {"program": self.program, "dry_run": self.dry_run, "ok": self.ok,
                "written": [{"mentee": i.mentee, "mentor": i.mentor, "eml": str(i.eml), "ics": str(i.ics),
                             "meeting": i.meeting.isoformat()} for i in self.written],
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


def _long_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def _short_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _agenda(ws: Workspace, program_id: str, program: Program) -> tuple[str, str, list[str], str]:
    """(title, summary, prepare items, body text) of the first-meeting agenda, placeholders filled."""
    agenda = ws.agendas.get(FIRST_MEETING_AGENDA)
    if agenda is None:
        first = program.session_plan[0] if program.session_plan else None
        agenda = ws.agendas.get(first) if first else None
    if agenda is None:
        return ("First meeting", "Get to know each other and agree how you will work together.", [], "")
    body = agenda.body
    try:
        from ..site.values import AgendaUse, agenda_uses, agenda_values
        from ..text.placeholders import render

        use = agenda_uses(ws, program).get(agenda.id) or AgendaUse(agenda)
        filled, problems = render(body, agenda_values(ws, program_id, program, use), file=agenda_file(agenda.id),
                                  page=f"programs/{program_id}/agendas/{agenda.id}.md")
        if not problems:
            body = filled
    except ImportError:  # the site package is optional for e-mails: keep the agenda as written
        pass
    return agenda.meta.title, agenda.meta.summary, list(agenda.meta.prepare), body.strip()


def _person(store: PrivateStore, ws: Workspace, code: str, role: str, problems: list[Problem], rel: str,
            index: int) -> Person | None:
    entry = store.lookup(code)
    if entry is None or not EMAIL.fullmatch(entry.email or ""):
        problems.append(Problem(rel, "not-in-roster", f"the {role} {code} is not in the private roster"
                                + (" with an e-mail address" if entry else ""), field=f"pairs[{index}].{role}",
                                hint="use the private folder that `mentorkit intake` used for this program"))
        return None
    participant = ws.participants.get(code)
    zone = participant.time_zone if participant else "UTC"
    return Person(code, entry.name or entry.email, entry.email, zone)


def build_intro(ws: Workspace, program_id: str, program: Program, template: Template, mentee: Person,
                mentor: Person, *, today: dt.date, meeting_date: dt.date, meeting_time: dt.time,
                sender: str | None = None) -> tuple[bytes, bytes, dt.datetime]:
    """The .eml and .ics bytes for one pair, and the meeting's start (in the mentee's time zone)."""
    zone = zoneinfo.ZoneInfo(mentee.time_zone)
    start = dt.datetime.combine(meeting_date, meeting_time, tzinfo=zone)
    minutes = program.cadence.session_minutes
    agenda_meta = ws.agendas.get(FIRST_MEETING_AGENDA)
    if agenda_meta and agenda_meta.meta.minutes:
        minutes = agenda_meta.meta.minutes
    title, summary, prepare, agenda_body = _agenda(ws, program_id, program)
    times = [f"{start.strftime('%H:%M')} ({mentee.time_zone})"]
    if mentor.time_zone != mentee.time_zone:
        other = start.astimezone(zoneinfo.ZoneInfo(mentor.time_zone))
        times.append(f"{other.strftime('%H:%M')} ({mentor.time_zone})"
                     + ("" if other.date() == start.date() else f" on {_short_date(other.date())}"))
    contacts = "\n".join(f"- {c.role}: {c.how}" for c in program.contacts) or "- Reply to this e-mail."
    values = {
        "mentee_name": mentee.name, "mentor_name": mentor.name,
        "mentee_first_name": mentee.first_name, "mentor_first_name": mentor.first_name,
        "program_title": program.title, "program_purpose": " ".join(program.purpose.split()),
        "session_minutes": str(program.cadence.session_minutes),
        "cadence": CADENCE_PHRASE.get(program.cadence.every, program.cadence.every),
        "start_date": _short_date(program.timeline.start), "end_date": _short_date(program.timeline.end),
        "first_meeting_date": _long_date(meeting_date), "first_meeting_time": " / ".join(times),
        "first_meeting_minutes": str(minutes), "agenda_title": title, "agenda_summary": summary,
        "agenda_prepare": "\n".join(f"- {item}" for item in prepare) or "- Nothing special: come as you are.",
        "agenda": agenda_body, "contacts": contacts,
    }
    subject = " ".join(fill(template.subject, values).split())
    body = fill(template.body, values)
    digest = _digest(program_id, mentee.pseudonym, mentor.pseudonym, today.isoformat())
    ics = _invitation(program, mentee, mentor, start, minutes, subject, summary, prepare, digest, today, sender)

    msg = EmailMessage(policy=policy.SMTP)
    if sender:
        msg["From"] = _sender_address(sender)
    msg["To"] = [mentee.address(), mentor.address()]
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC))
    msg["Message-ID"] = f"<intro-{digest[:24]}@mentorkit>"
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft, ready to send
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(ics.decode("utf-8"), subtype="calendar", charset="utf-8", cte="base64",
                        params={"method": "REQUEST"})
    msg.make_mixed()
    msg.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_mentorkit_{digest[:16]}_{n}")
    return msg.as_bytes(policy=policy.SMTP), ics, start


def _sender_address(sender: str) -> Address:
    name, addr = parseaddr(sender)
    if not addr or "@" not in addr or not EMAIL.fullmatch(addr):
        raise MentorkitError(f"'{sender}' is not an e-mail address for the sender")
    username, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def _invitation(program: Program, mentee: Person, mentor: Person, start: dt.datetime, minutes: int, subject: str,
                summary: str, prepare: list[str], digest: str, today: dt.date, sender: str | None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"intro-{digest[:24]}@mentorkit")
    event.add("dtstamp", dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", f"First mentoring meeting: {mentee.name} and {mentor.name}")
    lines = [f"{program.title}: your first meeting ({minutes} minutes).", "", summary]
    if prepare:
        lines += ["", "To prepare:"] + [f"- {item}" for item in prepare]
    lines += ["", f"Details are in the e-mail \"{subject}\"."]
    event.add("description", "\n".join(lines))
    if sender:
        name, addr = parseaddr(sender)
        organizer = vCalAddress(f"mailto:{addr}")
        if name:
            organizer.params["CN"] = vText(name)
    else:
        organizer = vCalAddress(f"mailto:{mentor.email}")
        organizer.params["CN"] = vText(mentor.name)
    event.add("organizer", organizer)
    for person in (mentee, mentor):
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
    return cal.to_ical()


# --- the command -----------------------------------------------------------------------------


def _parse_time(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise MentorkitError(f"'{value}' is not a time of day: write it as HH:MM, e.g. 10:00")
    return dt.time(int(m.group(1)), int(m.group(2)))


def write_intros(root: Path, program_id: str, private_dir: Path, out_dir: Path, *, today: dt.date | None = None,
                 meeting_date: dt.date | None = None, meeting_time: str | dt.time = "10:00",
                 sender: str | None = None, again: bool = False, dry_run: bool = False) -> IntrosReport:
    """Write introductions for the program's newly approved pairs; record them in the private folder.

    `again` rewrites the introductions of pairs already recorded (for lost
    files); they are not recorded twice.
    """
    root = Path(root).resolve()
    ws = load_workspace(root)
    program = ws.program(program_id)
    store = PrivateStore(private_dir, root, create=False)
    if not (store.directory / ROSTER_FILE).is_file():
        raise PrivateDataError(f"there is no {ROSTER_FILE} in {store.directory}: use the private folder that "
                               "`mentorkit intake` used for this program's participants")
    out = check_outside(out_dir, root, "output folder")
    template = read_template(root)
    today = today or dt.date.today()
    time_of_day = _parse_time(meeting_time)
    if sender:
        _sender_address(sender)
    day = meeting_date or first_meeting_date(program, today)
    report = IntrosReport(program=program_id, dry_run=dry_run)
    if day > program.timeline.end:
        raise MentorkitError(f"the first meeting ({day}) would be after the program ends ({program.timeline.end})")
    proposal = ws.proposals.get(program_id)
    rel = proposal_file(program_id)
    if proposal is None:
        report.notes.append(f"there is no match proposal for {program_id} yet ({rel}): run `mentorkit match`")
        return report
    sent = read_sent(store.directory)
    records = []
    for index, pair in enumerate(proposal.pairs):
        if pair.status == PairStatus.PROPOSED:
            report.waiting += 1
            continue
        if pair.status != PairStatus.APPROVED:
            continue
        if (program_id, pair.mentee, pair.mentor) in sent and not again:
            report.already.append((pair.mentee, pair.mentor))
            continue
        mentee = _person(store, ws, pair.mentee, "mentee", report.problems, rel, index)
        mentor = _person(store, ws, pair.mentor, "mentor", report.problems, rel, index)
        if mentee is None or mentor is None:
            continue
        eml, ics, start = build_intro(ws, program_id, program, template, mentee, mentor, today=today,
                                      meeting_date=day, meeting_time=time_of_day, sender=sender)
        stem = f"intro-{program_id}-{pair.mentee}-{pair.mentor}"
        intro = Intro(pair.mentee, pair.mentor, out / f"{stem}.eml", out / f"{stem}.ics", start)
        report.written.append(intro)
        if not dry_run:  # owner-only files (see write_atomic): they hold names and e-mail addresses
            write_atomic(intro.eml, eml, private=True)
            write_atomic(intro.ics, ics, private=True)
            records.append((program_id, pair.mentee, pair.mentor, today.isoformat()))
    if records:
        _record_sent(store.directory, records)
    if report.written and not dry_run:
        report.notes.append(f"open each .eml file in your mail client, check it and send it; "
                            f"{SENT_FILE} in the private folder records these pairs as introduced")
    return report


__all__ = ["PLACEHOLDERS", "IntrosReport", "Template", "build_intro", "check_template",
           "first_meeting_date", "read_sent", "read_template", "write_intros"]
