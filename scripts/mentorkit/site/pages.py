"""Markdown for the generated pages: programs, agendas, calendar.

Pure functions of the Workspace (no MkDocs, no clock): the same files always
give the same text. Links are relative Markdown links between docs files, so
MkDocs checks every one of them in a --strict build.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from .. import calendar as ical
from ..errors import Problem
from ..model import Program, Workspace
from ..repo import site_files
from ..text import placeholders
from ..text.counts import counted
from ..text.markdown import table
from ..text.wording import CADENCE_PHRASE, FORMAT_DESCRIPTION, format_words
from . import text as t
from . import upcoming
from .values import (
    CALENDAR_PAGE,
    COMBINED_ICS,
    NO_CONTACTS,
    PROGRAMS_INDEX,
    AgendaUse,
    NavItem,
    agenda_uri,
    agenda_uses,
    agenda_values,
    commitment_minutes,
    ics_uri,
    ordered_programs,
    program_uri,
    programs_table,
    session_plan_list,
)

_H1 = re.compile(r"^#\s+\S")


def _indent(text: str, n: int = 4) -> str:
    pad = " " * n
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def program_page(ws: Workspace, pid: str) -> str:
    p = ws.programs[pid]
    page = program_uri(pid)
    tl, cad = p.timeline, p.cadence
    series = ical.sessions(p)
    sessions = len(series.dates)
    words = format_words(p.format)
    glance = [
        f"**Format:** {p.format.value}. {FORMAT_DESCRIPTION[p.format]}",
        f"**Who it is for:** {t.plain(' '.join(p.audience.split()))}",
        f"**Dates:** {t.date_range(tl.start, tl.end)} ({t.duration(tl.start, tl.end)})",
    ]
    if tl.enrolment_opens or tl.enrolment_closes:
        glance.append(f"**Enrolment:** opens {t.date(tl.enrolment_opens)}, closes {t.date(tl.enrolment_closes)}")
    if p.pilot:  # a small first cohort: readers should know their answers shape the full launch
        launch = f"; the full program follows from {t.date(p.pilot.launch)}" if p.pilot.launch else ""
        glance.append(f"**Pilot:** a first cohort of at most {p.pilot.max_participants} people, to learn what to "
                      f"change before the full launch{launch}")
    if cad.every == "once":
        glance.append(f"**Session:** one session of {t.minutes(cad.session_minutes)}")
    else:
        glance.append(f"**Sessions:** {CADENCE_PHRASE[cad.every]}, {t.minutes(cad.session_minutes)} each "
                      f"({sessions} sessions)")
    glance += [
        f"**Time commitment:** about {t.hours(commitment_minutes(p))} over the whole program, sessions and events "
        "together, plus a little preparation before each session",
        f"**{words.formed}:** {t.matching_sentence(p)}",
        f"**Calendar:** [{pid}.ics]({t.relative(ics_uri(pid), page)}) to add every date to your calendar",
    ]
    out = [f"# {t.plain(p.title)}", "", upcoming.coming_up(ws, pid, p, page), "", p.purpose.strip(), "",
           '!!! abstract "At a glance"', ""]
    out += [f"    - {line}" for line in glance]
    out += ["", f"## Dates {{ #{upcoming.DATES_ANCHOR} }}", "", _dates_intro(p, series.dates), "",
            upcoming.dates_table(ws, pid, p, page), ""]
    out += ["## Goals", "",
            f"The program is measured against {counted(len(p.goals), 'goal')}, "
            "each written in SMART-ER form: specific, measurable, achievable, relevant, time-bound, "
            "evaluated and readjusted. Your sessions, check-ins and survey answers are how the program "
            "knows whether it is on track.", ""]
    for n, g in enumerate(p.goals, start=1):
        reviews = ", ".join(t.date(d) for d in g.review_on) or "at the end of the program"
        rows = [
            ["Specific", t.plain(g.statement)],
            ["Measurable", t.goal_target(g.metric, g.target)],
            ["Achievable", g.achievable],
            ["Relevant", g.relevant],
            ["Time-bound", f"by {t.date(g.due)}"],
            ["Evaluated", f"reviewed on {reviews}"],
            ["Readjusted", g.readjust],
        ]
        out += [f"### Goal {n}: {g.id.replace('-', ' ').capitalize()}", "", table(["SMART-ER", "This goal"], rows), ""]
    out += ["## Sessions", "", "What to talk about, session by session. Each agenda has what to prepare, "
            "questions to use and what to write down afterwards.", "", session_plan_list(ws, pid, p, page), ""]
    events = [(aid, use) for aid, use in agenda_uses(ws, p).items() if use.milestones and not use.session_numbers]
    if events:
        out += ["Agendas of the program events:", ""]
        out += [f"- [{t.plain(use.agenda.meta.title)}]({t.relative(agenda_uri(pid, aid), page)}): "
                f"{t.plain(use.agenda.meta.summary)}" for aid, use in events]
        out += [""]
    out += ["## Contacts", ""]
    if p.contacts:
        out += [table(["Role", "How to reach"], [[t.plain(c.role), t.contact_how(c.how)] for c in p.contacts]), ""]
    else:
        out += [NO_CONTACTS, ""]
    return "\n".join(out)


def _dates_intro(p: Program, dates: tuple[dt.date, ...]) -> str:
    """What the dates table holds, in the program's format's words."""
    cad = p.cadence
    words = format_words(p.format)
    closed = ical.closed_days(p)
    holidays = " or a public holiday" if p.holidays and p.holidays.country else ""
    holidays += " or a closing day" if p.holidays and p.holidays.dates else ""
    if cad.every == "once":
        text = (f"The mentoring session itself ({t.minutes(cad.session_minutes)}) is arranged from "
                f"{t.date(dates[0])}, with {words.partners}.")
    else:
        meet = words.meet(CADENCE_PHRASE[cad.every])
        text = (f"Between the events, {meet[0].lower()}{meet[1:]} for {t.minutes(cad.session_minutes)}. A session's "
                f"date is when it is due (a working day, never on an event's day{holidays}); agree the exact day "
                f"and time with {words.partners}. The calendar reminds you {cad.reminder_days_before} days before.")
    if closed and p.holidays and p.holidays.country:
        text += " Sessions move off public holidays automatically."
    return text + " Surveys take a few minutes; the coordinator sends the link when one opens."


def agenda_page(ws: Workspace, pid: str, aid: str, use: AgendaUse,
                site_wide: dict[str, placeholders.Value] | None = None) -> tuple[str, list[Problem]]:
    """One agenda template rendered for one program; problems for unknown placeholders in the template.

    `site_wide`: the site's `mk.*` values (`values.site_values`), when the caller has them already."""
    p = ws.programs[pid]
    page = agenda_uri(pid, aid)
    meta = use.agenda.meta
    values = agenda_values(ws, pid, p, use, site_wide)
    file = f"agendas/{aid}.md"
    offset = _body_offset(ws, file, use.agenda.body)
    # sections for other formats are blanked line for line: messages still point at the file's lines
    body, problems = placeholders.render(use.agenda.body_for(p.format), values, file=file, page=page,
                                         line_offset=offset)
    kind = "Event" if meta.kind.value == "event" else "Session"
    facts = [
        f"**Program:** [{t.plain(p.title)}]({t.relative(program_uri(pid), page)}) ({p.format.value})",
        f"**Length:** {t.minutes(use.minutes(p))}",
    ]
    out: list[str] = []
    if not any(_H1.match(line) for line in body.splitlines()[:5]):
        out += [f"# {t.plain(meta.title)} · {t.plain_title(p.title)}", ""]
    out += [f"*{t.plain(meta.summary)}*", "", f'!!! info "{kind} · {t.plain_title(p.title)}"', ""]
    out += [f"    - {line}" for line in facts]
    dates = use.dates(p)
    if len(dates) == 1:
        out += [f"    - **When:** {upcoming.time_tag(dates[0][0])} ({dates[0][1].lower()})"]
    elif dates:
        out += ["    - **When:**", ""]
        out += [f"        - {upcoming.time_tag(d)}: {label}" for d, label in dates]
    out += [""]
    # "Before the session" goes after the template's introduction, before its first section
    lines = body.rstrip().splitlines()
    cut = next((i for i, line in enumerate(lines) if line.startswith("## ")), 0)
    out += lines[:cut]
    if meta.prepare:
        if cut:
            out += [""]
        out += ["## Before the session", "", checklist(meta.prepare), ""]
    out += lines[cut:] + [""]
    return "\n".join(out), problems


def checklist(items: list[str]) -> str:
    """A list of real checkboxes, each labelled by its own text (a Markdown task list leaves the box unnamed).

    The browser draws the box (extra.css: `mk-checklist`): empty until ticked, on screen and in print.
    """
    rows = ['<ul class="mk-checklist">']
    rows += [f'<li><label><input type="checkbox"> {html.escape(item)}</label></li>' for item in items]
    return "\n".join([*rows, "</ul>"])


def _body_offset(ws: Workspace, rel: str, body: str) -> int:
    source = site_files.source_text(ws.root / rel)
    return 0 if source is None else placeholders.body_line_offset(source, body)


def programs_index(ws: Workspace) -> str:
    page = PROGRAMS_INDEX
    n = len(ws.programs)
    out = ["# Programs", "",
           f"{'There is one mentoring program' if n == 1 else f'There are {n} mentoring programs'} this year. "
           "Each page below says what the program is for, who it is for, what it asks of you and when "
           "everything happens; its agendas say what to talk about in each session.", "",
           programs_table(ws, page), ""]
    for pid in ordered_programs(ws):
        p = ws.programs[pid]
        out += [f"## [{t.plain(p.title)}]({t.relative(program_uri(pid), page)})", "", p.purpose.strip(), "",
                f"**Who it is for:** {t.plain(' '.join(p.audience.split()))}", ""]
    return "\n".join(out)


def calendar_page(ws: Workspace, base_url: str | None = None) -> str:
    page = CALENDAR_PAGE
    out = ["# Calendar", "",
           "Every milestone of every program, and a reminder for each regular session. Subscribe to a "
           "program's calendar and your calendar app keeps itself up to date when the program changes.", ""]
    out += ["## Subscribe", "", _subscribe_tabs(base_url), ""]
    out += [_calendar_links(ws, page, base_url), ""]
    for pid in ordered_programs(ws):
        p = ws.programs[pid]
        out += [f"## {t.plain_title(p.title)}", "", f"{t.plain(p.title)}: "
                f"[program page]({t.relative(program_uri(pid), page)}) · "
                f"[{pid}.ics]({t.relative(ics_uri(pid), page)})", ""]
        out += [upcoming.dates_table(ws, pid, p, page), ""]
    return "\n".join(out)


def _calendar_links(ws: Workspace, page: str, base_url: str | None) -> str:
    """One row per calendar; with a known site address the link text is the address to subscribe to."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    rows = [["All programs", f"[{base}{COMBINED_ICS}]({t.relative(COMBINED_ICS, page)})"]]
    for pid in ordered_programs(ws):
        rows.append([t.plain_title(ws.programs[pid].title), f"[{base}{ics_uri(pid)}]({t.relative(ics_uri(pid), page)})"])
    return table(["Calendar", "Address to subscribe to" if base_url else "Calendar file"], rows)


def _subscribe_tabs(base_url: str | None) -> str:
    address = ("the address of your program's calendar from the table below" if base_url
               else "the address of your program's calendar file: copy its link below (on a phone, press and hold "
                    "the link; on a computer, right-click it) and choose to copy the link address")
    tabs = {
        "Outlook": f"In Outlook, choose **Add calendar**, then **Subscribe from web**, and paste {address}.",
        "Google Calendar": f"In Google Calendar, next to **Other calendars** choose **+**, then **From URL**, "
                           f"and paste {address}.",
        "Apple Calendar": f"In Calendar on a Mac, choose **File**, then **New Calendar Subscription**, and paste "
                          f"{address}. On an iPhone, open the link and confirm the subscription.",
        "Download once": "Download the `.ics` file and open it: your calendar app imports the dates once. "
                         "Later changes to the program do not reach an imported calendar, so prefer subscribing.",
    }
    out = []
    for label, body in tabs.items():
        out += [f'=== "{label}"', "", _indent(body), ""]
    return "\n".join(out).rstrip()


def program_nav(ws: Workspace) -> list[NavItem]:
    """The "Programs" part of the MkDocs nav: the index, then each program with its agendas."""
    from .results import results_uri  # results.py imports this module
    from .skills import skills_uri

    nav: list[NavItem] = [PROGRAMS_INDEX]
    for pid in ordered_programs(ws):
        p: Program = ws.programs[pid]
        children: list[NavItem] = [program_uri(pid)]
        for aid, use in agenda_uses(ws, p).items():
            children.append({t.plain(use.agenda.meta.title): agenda_uri(pid, aid)})
        children.append({"Skills": skills_uri(pid)})  # before the match; the results come after
        children.append({"Results": results_uri(pid)})
        nav.append({t.plain_title(p.title): children})
    return nav
