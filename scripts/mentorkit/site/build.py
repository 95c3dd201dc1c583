"""Everything the plugin adds to the site, computed from a Workspace.

`site_content` is pure: it returns the generated Markdown pages, the generated
static files (.ics calendars), the "Programs" nav section and any problem found
while rendering agenda templates. The MkDocs plugin only hands these to MkDocs;
another generator (or a pre-render step for Zensical) can do the same.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field

from .. import calendar as ical
from ..calendar import short_title
from ..errors import Problem
from ..metrics.compute import contexts
from ..model import Workspace
from ..repo import site_files
from . import pages
from .palette import DEFAULT_BRAND, palette
from .results import render_results_page, results_uri
from .skills import render_skills_page, skills_uri
from .values import (
    CALENDAR_PAGE,
    COMBINED_ICS,
    PROGRAMS_INDEX,
    NavItem,
    agenda_uri,
    agenda_uses,
    ics_uri,
    program_uri,
    site_values,
)

BRAND_CSS = "stylesheets/brand.css"  # listed in mkdocs.yml's extra_css
# The kit's own stylesheets and scripts (package data in site/assets/), served at these paths so that the demo
# and every program repository made by `mentorkit new` use the same files; mkdocs.yml lists them.
ASSETS = {"stylesheets/extra.css": "extra.css", "stylesheets/print.css": "print.css",
          "javascripts/print.js": "print.js", "javascripts/tables.js": "tables.js",
          "javascripts/dates.js": "dates.js"}  # marks the reader's next date (site/upcoming.py)


@dataclass
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)  # docs-relative path (src_uri) -> Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # docs-relative path -> bytes (calendars)
    nav: list[NavItem] = field(default_factory=list)  # the Programs section, as mkdocs.yml nav entries
    problems: list[Problem] = field(default_factory=list)


def site_content(ws: Workspace, base_url: str | None = None, directory_urls: bool = True, *,
                 brand_colour: str = DEFAULT_BRAND, stamp: dt.datetime | None = None,
                 site_name: str | None = None) -> SiteContent:
    """Generated pages and files for the whole workspace.

    `base_url` is the site's public address, if known (calendar events then link to their pages);
    `site_name` names the site in calendar UIDs (never the address: see `calendar.uid_domain`);
    `directory_urls` follows MkDocs' `use_directory_urls`; `brand_colour` is the colour the AA palette
    is derived from (ValueError if it is not #rrggbb); `stamp` is the build time the calendars carry.
    """
    out = SiteContent()
    out.files[BRAND_CSS] = palette(brand_colour).css().encode("utf-8")
    out.files.update(site_files.kit_assets(ASSETS))
    domain = ical.uid_domain(site_name)
    out.pages[PROGRAMS_INDEX] = pages.programs_index(ws)
    calendar_options: dict[str, ical.EventOptions] = {}
    site_wide = site_values(ws)  # the same `mk.*` values for every agenda
    measured = {ctx.pid: ctx for ctx in contexts(ws)}  # every program's records, gone through once
    for pid in sorted(ws.programs):
        program = ws.programs[pid]
        name = short_title(program.title)
        out.pages[program_uri(pid)] = with_title(pages.program_page(ws, pid), program.title)
        uses = agenda_uses(ws, program)
        for aid, use in uses.items():
            markdown, problems = pages.agenda_page(ws, pid, aid, use, site_wide)
            out.pages[agenda_uri(pid, aid)] = with_title(markdown, f"{use.agenda.meta.title} · {name}")
            out.problems.extend(problems)
        out.pages[skills_uri(pid)] = with_title(render_skills_page(ws, pid), f"Skills · {name}")
        out.pages[results_uri(pid)] = with_title(render_results_page(ws, pid, results_uri(pid), measured[pid]),
                                                 f"Results · {name}")
        page_urls = {"program": _url_path(program_uri(pid), directory_urls)}
        page_urls.update({aid: _url_path(agenda_uri(pid, aid), directory_urls) for aid in uses})
        calendar_options[pid] = {
            "agenda_titles": {aid: a.meta.title for aid, a in ws.agendas.items()},
            "base_url": base_url,
            "page_urls": page_urls,
            "stamp": stamp,
            "uid_domain": domain,
        }
        out.files[ics_uri(pid)] = ical.to_ics(ical.program_calendar(pid, program, **calendar_options[pid]))
    out.files[COMBINED_ICS] = ical.to_ics(ical.combined_calendar(ws.programs, options=calendar_options))
    out.pages[CALENDAR_PAGE] = pages.calendar_page(ws, base_url)
    out.nav = pages.program_nav(ws)
    out.problems = sorted(set(out.problems), key=Problem.sort_key)
    return out


def with_title(markdown: str, title: str) -> str:
    """The page with a front-matter title: the browser tab and search name the program, the nav stays short."""
    # Material writes the title into <title> and the navigation as HTML: escaped here, shown as written there.
    return f"---\ntitle: {json.dumps(html.escape(title, quote=False), ensure_ascii=False)}\n---\n\n{markdown}"


def _url_path(src_uri: str, directory_urls: bool = True) -> str:
    """The URL path MkDocs gives a page."""
    if not directory_urls:
        return src_uri[: -len(".md")] + ".html"
    if src_uri.endswith("index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/"
