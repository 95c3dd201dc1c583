"""The values `{{ ... }}` placeholders can show, computed from the Workspace.

- `mk.<program>.<field>` in any hand-written page or agenda (see FIELDS),
- `mk.contacts`, `mk.programs`, `mk.programs_table`, `mk.milestones`, `mk.calendar`,
  `mk.program_count` for the whole site,
- `program.<field>` and `agenda.<field>` inside an agenda template, for the
  program the agenda is rendered for.

Values that hold links are functions of the page they appear on, because a
Markdown link is relative to its page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeAlias

from .. import calendar as ical
from ..model import Agenda, Milestone, Program, Workspace
from ..text.markdown import table
from ..text.placeholders import Value
from ..text.wording import CADENCE_PHRASE, FORMAT_DESCRIPTION, format_words
from . import text as t

PROGRAMS_INDEX = "programs/index.md"
CALENDAR_PAGE = "calendar.md"
COMBINED_ICS = "calendar/all_programs.ics"  # '_' cannot occur in a program id, so no clash

NavItem: TypeAlias = "str | list[NavItem] | dict[str, NavItem]"  # an entry of mkdocs.yml's nav, as YAML gives it


def program_uri(pid: str) -> str:
    return f"programs/{pid}/index.md"


def agenda_uri(pid: str, aid: str) -> str:
    return f"programs/{pid}/agendas/{aid}.md"


def ics_uri(pid: str) -> str:
    return f"calendar/{pid}.ics"


def link(label: str, target_uri: str) -> Value:
    return lambda page: f"[{label}]({t.relative(target_uri, page)})"


# Every field of mk.<program>.<field> / program.<field>, with what it shows.
FIELDS = {
    "title": "the program's title",
    "short_title": "the title up to a dash, e.g. Grow",
    "id": "the program's id (its file name)",
    "purpose": "why the program exists",
    "audience": "who it is for",
    "format": "the format in words, e.g. one-to-one",
    "format_description": "one sentence explaining the format",
    "cadence": "how often pairs meet, e.g. monthly",
    "cadence_phrase": "the same as a phrase, e.g. once a month",
    "session_minutes": "length of a regular session in minutes, e.g. 60",
    "session_length": "the same with the unit, e.g. 60 minutes",
    "reminder_days": "days before a session that the calendar reminds",
    "start": "first day, e.g. 12 January 2026",
    "end": "last day",
    "dates": "first to last day",
    "enrolment_opens": "date enrolment opens",
    "enrolment_closes": "date enrolment closes",
    "duration": "length of the program, e.g. 12 months",
    "sessions": "number of regular sessions",
    "commitment": "estimated total time, sessions and events, e.g. 16 hours",
    "matching": "how pairs (or groups, teams) are formed, as a sentence",
    "meet": "who meets how often, in the format's words, e.g. Groups meet once a month",
    "partners": "who a participant meets, in the format's words, e.g. your mentor or mentee, your group",
    "goals": "the program's goals as a list",
    "milestones": "table of milestones with dates and agendas",
    "session_plan": "numbered list of the regular sessions' agendas",
    "contacts": "table of contacts by role",
    "link": "link to the program's page",
    "calendar": "link to the program's .ics calendar",
    "milestone.<id>": "date of that milestone",
    "contact.<role>": "how to reach that role, e.g. contact.program-coordinator",
}

SITE_FIELDS = {
    "mk.contacts": "table of contacts by role, all programs",
    "mk.programs": "links to every program (short titles), as a list in a sentence",
    "mk.programs_table": "table of programs: format, cadence, session length, dates",
    "mk.milestones": "table of every milestone of every program, by date",
    "mk.calendar": "link to the calendar page",
    "mk.program_count": "number of programs",
    "mk.programs_sentence": "\"We run one mentoring program: ...\" or \"We run 3 mentoring programs: ...\", with links",
    "mk.coming_up": "each program's next session and next event, for the reader's today (the home page's first box)",
    "mk.commitment_table": "table of what each program asks of a participant's time",
    "mk.placeholders": "this reference: every placeholder and what it shows",
}


@dataclass
class AgendaUse:
    """Where an agenda appears in a program: as milestones and/or as numbered regular sessions."""

    agenda: Agenda
    milestones: list[Milestone] = field(default_factory=list)
    session_numbers: list[int] = field(default_factory=list)
    session_dates: list[dt.date] = field(default_factory=list)
    session_count: int = 0  # the program's number of regular sessions, for "session 2 of 12"

    def minutes(self, program: Program) -> int:
        for m in self.milestones:
            if m.minutes:
                return m.minutes
        return self.agenda.meta.minutes or program.cadence.session_minutes

    def first_date(self) -> dt.date:
        return min([*self.session_dates, *(m.date for m in self.milestones)])

    def when(self, program: Program) -> str:
        """"sessions 2 (12 February 2026), 4 (13 April 2026) and 6 (12 June 2026) of 12; Kickoff, 12 January 2026"."""
        parts = []
        if self.session_numbers:
            noun = "session" if len(self.session_numbers) == 1 else "sessions"
            dated = [f"{n} ({t.date(d)})" for n, d in zip(self.session_numbers, self.session_dates, strict=True)]
            if program.cadence.every == "once":
                parts.append(f"the mentoring session, due around {t.date(self.session_dates[0])}")
            else:
                parts.append(f"{noun} {_sentence_list(dated)} of {self.session_count}")
        for m in self.milestones:
            parts.append(f"{t.plain(m.title)}, {t.date(m.date)}")
        return "; ".join(parts) if parts else f"when {format_words(program.format).partners} choose"

    def dates(self, program: Program) -> list[tuple[dt.date, str]]:
        """Every date this agenda is used on, in order: (date, "Session 2 of 12" or the event's title)."""
        out = [(d, "Mentoring session" if program.cadence.every == "once" else f"Session {n} of {self.session_count}")
               for n, d in zip(self.session_numbers, self.session_dates, strict=True)]
        out += [(m.date, m.title) for m in self.milestones]
        return sorted(out)


def session_schedule(ws: Workspace, program: Program) -> list[tuple[int, dt.date, Agenda | None, str | None]]:
    """Every regular session: (number, due date, agenda or None, agenda id), from the one source of dates."""
    dates = ical.sessions(program).dates
    out = []
    for n, (d, aid) in enumerate(zip(dates, ical.session_agendas(program, len(dates)), strict=True), start=1):
        out.append((n, d, ws.agendas.get(aid) if aid else None, aid))
    return out


def agenda_uses(ws: Workspace, program: Program) -> dict[str, AgendaUse]:
    """The agendas a program uses, in the order they first happen (sessions and events by date)."""
    schedule = session_schedule(ws, program)
    uses: dict[str, AgendaUse] = {}
    for n, d, agenda, aid in schedule:
        if agenda is not None and aid is not None:
            use = uses.setdefault(aid, AgendaUse(agenda, session_count=len(schedule)))
            use.session_numbers.append(n)
            use.session_dates.append(d)
    for m in sorted(program.milestones, key=lambda m: (m.date, m.id)):
        if m.agenda and m.agenda in ws.agendas:
            uses.setdefault(m.agenda, AgendaUse(ws.agendas[m.agenda], session_count=len(schedule))).milestones.append(m)
    return dict(sorted(uses.items(), key=lambda item: (item[1].first_date(), item[0])))


def commitment_minutes(program: Program) -> int:
    series = ical.sessions(program)
    return len(series.dates) * program.cadence.session_minutes + sum(m.minutes or 0 for m in program.milestones)


def milestones_table(ws: Workspace, pid: str, program: Program, page: str) -> str:
    rows = []
    for m in sorted(program.milestones, key=lambda m: (m.date, m.id)):
        agenda = "—"
        if m.agenda and m.agenda in ws.agendas:
            agenda = f"[{t.plain(ws.agendas[m.agenda].meta.title)}]({t.relative(agenda_uri(pid, m.agenda), page)})"
        length = t.minutes(m.minutes) if m.minutes else "—"
        rows.append([t.date(m.date), t.plain(m.title), t.KIND_LABEL.get(m.kind, m.kind.value), length, agenda])
    if not rows:
        return "*No milestones are planned yet.*"
    return table(["Date", "Milestone", "Kind", "Length", "Agenda"], rows)


def session_plan_list(ws: Workspace, pid: str, program: Program, page: str) -> str:
    """The session plan as a numbered list, and which agendas serve the sessions after it."""
    items = []
    for n, aid in enumerate(program.session_plan, start=1):
        if aid in ws.agendas:
            a = ws.agendas[aid]
            items.append(f"{n}. [{t.plain(a.meta.title)}]({t.relative(agenda_uri(pid, aid), page)}): {t.plain(a.meta.summary)}")
    if not items:
        return f"*{format_words(program.format).units.capitalize()} plan their own sessions.*"
    later = later_sessions_sentence(ws, pid, program, page)
    return "\n".join(items) + (f"\n\n{later}" if later else "")


def later_sessions_sentence(ws: Workspace, pid: str, program: Program, page: str) -> str:
    """"Sessions 4 to 12 use ... in turn." for the sessions after the plan; "" when the plan covers them all."""
    schedule = session_schedule(ws, program)
    planned = len(program.session_plan)
    if len(schedule) <= planned:
        return ""
    later: list[str] = []
    for _, _, agenda, aid in schedule[planned:]:
        if agenda is not None and aid is not None:
            entry = f"[{t.plain(agenda.meta.title)}]({t.relative(agenda_uri(pid, aid), page)})"
            if entry not in later:
                later.append(entry)
    if not later:
        return ""
    span = (f"Session {planned + 1}" if len(schedule) == planned + 1
            else f"Sessions {planned + 1} to {len(schedule)}")
    verb = "uses" if len(schedule) == planned + 1 else "use"
    agendas = later[0] if len(later) == 1 else _sentence_list(later) + " in turn"
    dates = f"[the program's dates]({t.relative(program_uri(pid), page)}#dates)"
    return f"{span} of {len(schedule)} {verb} {agendas}; {dates} give the agenda of every session."


# What a participant reads where a program names no contact yet: where to turn, never "none listed".
NO_CONTACTS = "Questions about a program go to the coordinator who invited you to it."


def contacts_table(rows: list[tuple[str, str, list[str]]], page: str, with_programs: bool) -> str:
    if not rows:
        return NO_CONTACTS
    if with_programs:
        return table(["Role", "How to reach", "Programs"], [[t.plain(r), t.contact_how(h), ", ".join(ps)] for r, h, ps in rows])
    return table(["Role", "How to reach"], [[t.plain(r), t.contact_how(h)] for r, h, _ in rows])


def program_values(ws: Workspace, pid: str, program: Program) -> dict[str, Value]:
    """Fields of one program (without the `mk.<id>.` or `program.` prefix)."""
    tl, cad = program.timeline, program.cadence
    series = ical.sessions(program)
    v: dict[str, Value] = {
        "title": t.plain(program.title),
        "short_title": t.plain_title(program.title),
        "id": pid,
        "purpose": program.purpose.strip(),
        "audience": t.plain(program.audience.strip()),
        "format": program.format.value,
        "format_description": FORMAT_DESCRIPTION[program.format],
        "cadence": cad.every,
        "cadence_phrase": CADENCE_PHRASE.get(cad.every, cad.every),
        "session_minutes": str(cad.session_minutes),
        "session_length": t.minutes(cad.session_minutes),
        "reminder_days": str(cad.reminder_days_before),
        "start": t.date(tl.start),
        "end": t.date(tl.end),
        "dates": t.date_range(tl.start, tl.end),
        "enrolment_opens": t.date(tl.enrolment_opens),
        "enrolment_closes": t.date(tl.enrolment_closes),
        "duration": t.duration(tl.start, tl.end),
        "sessions": str(len(series.dates)),
        "commitment": t.hours(commitment_minutes(program)),
        "matching": t.matching_sentence(program),
        "meet": format_words(program.format).meet(CADENCE_PHRASE.get(cad.every, cad.every)),
        "partners": format_words(program.format).partners,
        "goals": "\n".join(f"- {t.plain(g.statement.strip())}" for g in program.goals),
        "milestones": lambda page: milestones_table(ws, pid, program, page),
        "session_plan": lambda page: session_plan_list(ws, pid, program, page),
        "contacts": lambda page: contacts_table([(c.role, c.how, [program.title]) for c in program.contacts], page,
                                                with_programs=False),
        "link": link(t.plain(program.title), program_uri(pid)),
        "calendar": link(f"{pid}.ics", ics_uri(pid)),
    }
    for m in program.milestones:
        v[f"milestone.{m.id}"] = t.date(m.date)
    for c in program.contacts:
        v.setdefault(f"contact.{t.slug(c.role)}", t.contact_how(c.how))
    return v


def site_values(ws: Workspace) -> dict[str, Value]:
    """Every `mk.` value: per program and site-wide."""
    values: dict[str, Value] = {}
    for pid in sorted(ws.programs):
        for key, value in program_values(ws, pid, ws.programs[pid]).items():
            values[f"mk.{pid}.{key}"] = value
    values["mk.contacts"] = lambda page: contacts_table(all_contacts(ws), page, with_programs=True)
    values["mk.programs"] = lambda page: _sentence_list(
        [f"[{t.plain_title(ws.programs[pid].title)}]({t.relative(program_uri(pid), page)})" for pid in _ordered(ws)])
    values["mk.programs_table"] = lambda page: programs_table(ws, page)
    values["mk.milestones"] = lambda page: all_milestones_table(ws, page)
    values["mk.calendar"] = link("calendar", CALENDAR_PAGE)
    values["mk.program_count"] = str(len(ws.programs))
    values["mk.programs_sentence"] = lambda page: programs_sentence(ws, page)
    values["mk.coming_up"] = lambda page: _coming_up(ws, page)
    values["mk.commitment_table"] = lambda page: commitment_table(ws, page)
    values["mk.placeholders"] = placeholder_reference(ws)
    return values


def programs_sentence(ws: Workspace, page: str) -> str:
    """"We run one mentoring program: [Grow]." / "We run 3 mentoring programs: ..." (never "program(s)")."""
    links = [f"[{t.plain_title(ws.programs[pid].title)}]({t.relative(program_uri(pid), page)})" for pid in _ordered(ws)]
    if not links:
        return "Our first mentoring program is being prepared."
    if len(links) == 1:
        return f"We run one mentoring program: {links[0]}."
    return f"We run {len(links)} mentoring programs: {_sentence_list(links)}."


def _coming_up(ws: Workspace, page: str) -> str:
    from .upcoming import site_coming_up  # upcoming.py imports this module

    return site_coming_up(ws, page)


def commitment_table(ws: Workspace, page: str) -> str:
    rows = []
    for pid in _ordered(ws):
        p = ws.programs[pid]
        every = CADENCE_PHRASE.get(p.cadence.every, p.cadence.every)
        sessions = len(ical.sessions(p).dates)
        rows.append([f"[{t.plain_title(p.title)}]({t.relative(program_uri(pid), page)})", p.format.value,
                     f"{every}, {t.minutes(p.cadence.session_minutes)}", str(sessions),
                     str(len(p.milestones)), t.duration(p.timeline.start, p.timeline.end),
                     f"about {t.hours(commitment_minutes(p))}"])
    return table(["Program", "Format", "Sessions", "Number of sessions", "Events", "Duration", "Total time"], rows)


def placeholder_reference(ws: Workspace) -> str:
    """A table of every placeholder name, with an example program's value where it is short."""
    example = _ordered(ws)[0] if ws.programs else "grow"
    rows = [[f"`{{{{ mk.{example}.{name} }}}}`", what] for name, what in FIELDS.items()]
    rows += [[f"`{{{{ {name} }}}}`", what] for name, what in SITE_FIELDS.items()]
    rows += [["`{{ program.<field> }}`", "in an agenda: a field of the program the agenda is shown for"],
             ["`{{ agenda.minutes }}`", "in an agenda: this session's length in minutes (also agenda.length)"],
             ["`{{ agenda.when }}`", "in an agenda: when it happens in the program"],
             ["`{{ agenda.title }}`", "in an agenda: its title (also agenda.summary)"]]
    return table(["Placeholder", "Shows"], rows)


def agenda_values(ws: Workspace, pid: str, program: Program, use: AgendaUse,
                  site_wide: dict[str, Value] | None = None) -> dict[str, Value]:
    """What an agenda template may use: `program.*`, `agenda.*` and every `mk.*` (`site_values`, when the caller
    has them already: the same for every agenda of the site)."""
    values = dict(site_values(ws) if site_wide is None else site_wide)
    for key, value in program_values(ws, pid, program).items():
        values[f"program.{key}"] = value
    minutes = use.minutes(program)
    values.update({
        "agenda.title": t.plain(use.agenda.meta.title),
        "agenda.summary": t.plain(use.agenda.meta.summary),
        "agenda.minutes": str(minutes),
        "agenda.length": t.minutes(minutes),
        "agenda.when": use.when(program),
    })
    return values


def _ordered(ws: Workspace) -> list[str]:
    """Programs in the order participants meet them: by start date, then id."""
    return sorted(ws.programs, key=lambda pid: (ws.programs[pid].timeline.start, pid))


ordered_programs = _ordered


def _sentence_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def all_contacts(ws: Workspace) -> list[tuple[str, str, list[str]]]:
    merged: dict[tuple[str, str], list[str]] = {}
    for pid in _ordered(ws):
        p = ws.programs[pid]
        for c in p.contacts:
            merged.setdefault((c.role, c.how), []).append(t.plain_title(p.title))
    return [(role, how, programs) for (role, how), programs in merged.items()]


def programs_table(ws: Workspace, page: str) -> str:
    rows = []
    for pid in _ordered(ws):
        p = ws.programs[pid]
        # short titles and dates, so the five columns fit a phone's width
        rows.append([f"[{t.plain_title(p.title)}]({t.relative(program_uri(pid), page)})", p.format.value,
                     CADENCE_PHRASE.get(p.cadence.every, p.cadence.every), t.minutes(p.cadence.session_minutes),
                     f"{t.short_date(p.timeline.start)} to {t.short_date(p.timeline.end)}"])
    return table(["Program", "Format", "Sessions", "Session length", "Dates"], rows)


def all_milestones(ws: Workspace) -> list[tuple[dt.date, str, Milestone]]:
    out = [(m.date, pid, m) for pid, p in ws.programs.items() for m in p.milestones]
    return sorted(out, key=lambda x: (x[0], x[1], x[2].id))


def all_milestones_table(ws: Workspace, page: str) -> str:
    rows = []
    for d, pid, m in all_milestones(ws):
        p = ws.programs[pid]
        name = t.plain(m.title)
        if m.agenda and m.agenda in ws.agendas:
            name = f"[{t.plain(m.title)}]({t.relative(agenda_uri(pid, m.agenda), page)})"
        rows.append([t.date(d), f"[{t.plain_title(p.title)}]({t.relative(program_uri(pid), page)})", name])
    if not rows:
        return "*No milestones are planned yet.*"
    return table(["Date", "Program", "Milestone"], rows)
