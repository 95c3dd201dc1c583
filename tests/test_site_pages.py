"""The participant site's pages: session counts, dates shared with the calendar, titles, order, colours.

Fast: these call the page generator on the demo workspace (no MkDocs); the
browser test checks the built pages with axe-core, and the calendar test the
.ics fields. Contrast ratios are checked against WCAG's formula with values
axe-core reported for Material's teal (3.76:1 for white on #009485).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from mentorkit import calendar as ical
from mentorkit.errors import SiteProblems
from mentorkit.repo.load import load_workspace
from mentorkit.site import palette as pal
from mentorkit.site.build import BRAND_CSS, site_content
from mentorkit.site.charts import Bar, figure
from mentorkit.site.session import SiteSession, build_time
from mentorkit.site.values import agenda_uri, agenda_uses, ics_uri, program_uri

REPO = Path(__file__).resolve().parent.parent
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


@pytest.fixture(scope="module")
def content(demo):
    return site_content(demo, base_url="https://mentoring.example.org/", stamp=STAMP)


def configured_brand() -> str:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))
    [options] = [p["mentorkit"] for p in config["plugins"] if isinstance(p, dict) and "mentorkit" in p]
    return options["brand_colour"]


# --- colours -------------------------------------------------------------------------------------------------


def test_contrast_follows_wcag_and_matches_axe():
    assert pal.contrast("#ffffff", "#000000") == pytest.approx(21)
    assert pal.contrast("#ffffff", "#009485") == pytest.approx(3.76, abs=0.01)  # axe on Material's teal header
    assert pal.contrast("#b3dfda", "#009485") == pytest.approx(2.59, abs=0.01)  # its inactive tabs


@pytest.mark.parametrize("brand", [configured_brand(), pal.DEFAULT_BRAND, "#ffeb3b", "#3f51b5", "#000000",
                                   "#ffffff", "#e91e63", "#8bc34a", "#777", "#00bcd4"])
def test_every_pairing_of_the_palette_reaches_aa(brand):
    colours = pal.palette(brand)
    low = {name: round(r, 2) for name, r in colours.ratios().items() if r < pal.AA}
    assert low == {}
    assert len(colours.ratios()) == 9


def test_the_palette_keeps_the_brand_hue_and_the_site_uses_it(content):
    teal = pal.palette("#009485")
    r, g, b = (int(teal.header[i:i + 2], 16) for i in (1, 3, 5))
    assert g > r and b > r, "the header stays teal, only darker"
    css = content.files[BRAND_CSS].decode()
    assert f"--md-primary-fg-color: {pal.palette(pal.DEFAULT_BRAND).header};" in css
    assert "filter: brightness(0) invert(1)" in css, "a white header text colour makes the logo white too"
    assert "filter: brightness(0);" in pal.palette("#ffeb3b").css(), "on a yellow header text and logo are dark"
    assert "stylesheets/brand.css" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_bad_brand_colour_fails_the_build_naming_the_setting(tmp_path):
    with pytest.raises(ValueError, match="#rrggbb"):
        pal.palette("teal")
    with pytest.raises(SiteProblems) as exc:
        SiteSession.load(REPO, brand_colour="teal")
    [problem] = exc.value.problems
    assert (problem.file, problem.field, problem.code) == ("mkdocs.yml", "brand_colour", "invalid-format")


def test_build_time_comes_from_source_date_epoch():
    assert build_time({"SOURCE_DATE_EPOCH": "1767225600"}) == STAMP
    with pytest.raises(SiteProblems, match="SOURCE_DATE_EPOCH"):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})
    now = build_time({})
    assert now.tzinfo is not None and now.microsecond == 0


# --- sessions: "N of M", which agenda serves later sessions, the same dates as the calendar ----------------


def agenda_dates(page: str) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in re.findall(r'<time class="mk-date" datetime="([\d-]+)">', page)]


def test_agenda_pages_list_the_dates_they_are_used_on(demo, content):
    grow = demo.programs["grow"]
    dates = ical.sessions(grow).dates
    assert len(dates) == 12
    first = content.pages[agenda_uri("grow", "first-meeting")]
    assert ('- **When:** <time class="mk-date" datetime="2026-01-13">Tuesday 13 January 2026</time> '
            "(session 1 of 12)") in first
    career = content.pages[agenda_uri("grow", "career-development")]
    assert agenda_dates(career) == [dates[n] for n in (1, 3, 5, 7, 9, 11)]
    assert '        - <time class="mk-date" datetime="2026-02-12">Thursday 12 February 2026</time>: Session 2 of 12' \
        in career
    assert "regular sessions 2, 4" not in career
    assert agenda_dates(content.pages[agenda_uri("grow", "problem-solving")]) == [dates[n] for n in (2, 4, 6, 8, 10)]
    kickoff = content.pages[agenda_uri("grow", "kickoff")]
    assert agenda_dates(kickoff) == [grow.timeline.start]


def test_the_program_page_says_which_agendas_serve_later_sessions(content):
    page = content.pages[program_uri("grow")]
    assert ("Sessions 4 to 12 of 12 use [Career development conversation](agendas/career-development.md) and "
            "[Working through a real challenge](agendas/problem-solving.md) in turn") in page


def test_session_dates_on_the_page_are_the_calendars(demo, content):
    vobject = pytest.importorskip("vobject")
    for pid, program in demo.programs.items():
        page = content.pages[program_uri(pid)]
        dates = page[page.index("## Dates"):page.index("## Goals")]
        rows = re.findall(r'^\| <time class="mk-date" datetime="([\d-]+)">\w{3} \d+ \w{3} \d{4}</time> \| (.*?) \|',
                          dates, flags=re.M)
        listed = [dt.date.fromisoformat(d) for d, what in rows if what.startswith("Session ")]
        cal = vobject.readOne(content.files[ics_uri(pid)].decode())
        in_ics = sorted(e.dtstart.value for e in cal.vevent_list if e.categories.value == ["session"])
        assert listed == in_ics and listed, pid
        every = sorted(e.dtstart.value for e in cal.vevent_list)
        assert [dt.date.fromisoformat(d) for d, _ in rows] == every, "events and surveys too, in date order"
        assert all(d.weekday() < 5 for d in listed), pid
        milestone_days = {m.date for m in program.milestones}
        assert not milestone_days & set(listed), pid
        assert listed[0] != program.timeline.start or program.timeline.start not in milestone_days
        assert "??? " not in page, "no folded block hides the dates"


# --- findable: titles, navigation ------------------------------------------------------------------------------


def front_matter_title(markdown: str) -> str | None:
    match = re.match(r'---\ntitle: "(.*)"\n---\n', markdown)
    return match.group(1) if match else None


def test_generated_pages_have_unique_titles_naming_their_program(demo, content):
    titles = {}
    for uri, markdown in content.pages.items():
        heading = re.search(r"^# (.+)$", markdown, flags=re.M)
        titles[uri] = front_matter_title(markdown) or (heading.group(1) if heading else uri)
    assert len(set(titles.values())) == len(titles), sorted(titles.values())
    for pid, program in demo.programs.items():
        short = ical.short_title(program.title)
        for aid in agenda_uses(demo, program):
            assert titles[agenda_uri(pid, aid)].endswith(f" · {short}")
            assert re.search(rf"^# .+ · {re.escape(short)}$", content.pages[agenda_uri(pid, aid)], flags=re.M), \
                "the heading names the program too: search shows the heading"
        assert titles[f"programs/{pid}/results.md"] == f"Results · {short}"


def test_the_sidebar_lists_each_programs_agendas_in_the_order_they_happen(demo, content):
    sections = {k: v for item in content.nav[1:] for k, v in item.items()}
    grow = sections["Grow"]
    titles = [next(iter(entry)) for entry in grow[1:]]
    assert titles[0] == demo.agendas["kickoff"].meta.title, "the kickoff comes before the first session"
    assert titles[1] == demo.agendas["first-meeting"].meta.title
    assert titles[-1] == "Results"
    for pid, program in demo.programs.items():
        firsts = [use.first_date() for use in agenda_uses(demo, program).values()]
        assert firsts == sorted(firsts), pid


def test_navigation_is_split_by_audience():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    tabs = {next(iter(item)): next(iter(item.values())) for item in config["nav"]}
    participants = [next(iter(p.values())) for p in tabs["For participants"]]
    coordinators = [next(iter(p.values())) for p in tabs["For coordinators"]]
    assert participants == ["handbooks/mentor.md", "handbooks/mentee.md", "handbooks/manager.md",
                            "handbooks/colleagues.md", "faq.md"]
    assert "handbooks/coordinator.md" in coordinators and "cli.md" in coordinators
    assert list(tabs).index("For participants") < list(tabs).index("For coordinators")


# --- pages a phone can read ---------------------------------------------------------------------------------


def test_prepare_checkboxes_are_labelled_by_their_text(content):
    page = content.pages[agenda_uri("grow", "first-meeting")]
    boxes = re.findall(r'<li><label><input type="checkbox"> ([^<]+)</label></li>', page)
    assert boxes and all(text.strip() for text in boxes)
    assert "- [ ]" not in page, "no Markdown task list: its checkboxes would have no name"


def test_charts_have_a_target_legend_and_mark_the_unfinished_month():
    bars = [Bar("Jan 2026", 4, "4"), Bar("Feb 2026", 2, "2", partial=True)]
    markdown = figure("c", "Meetings", "Bars.", bars, ("Month", "Meetings"))
    assert 'fill="url(#c-partial)"' in markdown and '<pattern id="c-partial"' in markdown
    assert "Month not over yet</text>" in markdown
    assert "| Feb 2026 (not over yet) | 2 |" in markdown
    target = figure("t", "Rates", "Bars.", [Bar("Match rate", 67.3, "67.3%", target=80, target_text="80%")],
                    ("Measure", "Result"), scale=(0, 100))
    assert ">Target</text>" in target and "Month not over yet" not in target
    value_x = float(re.search(r'<text x="([\d.]+)"[^>]*>67.3%</text>', target).group(1))
    line_x = float(re.search(r'<line x1="([\d.]+)"[^>]*stroke-dasharray="3 2"/>\n<line', target).group(1))
    assert value_x > line_x, "the value is written right of the target line, not under it"


def test_the_code_colours_extra_css_sets_reach_aa_on_the_code_background():
    css = (REPO / "scripts" / "mentorkit" / "site" / "assets" / "extra.css").read_text(encoding="utf-8")
    for scheme, background in (("default", pal.LIGHT_BACKGROUNDS["code"]), ("slate", pal.DARK_BACKGROUNDS["code"])):
        block = re.search(rf'\[data-md-color-scheme="{scheme}"\] \{{(.*?)\}}', css, flags=re.S)
        assert block, scheme
        colours = re.findall(r"--md-code-hl-[a-z]+-color: (#[0-9a-f]{6});", block.group(1))
        assert len(colours) >= 3
        assert all(pal.contrast(c, background) >= pal.AA for c in colours), (scheme, colours)


def test_agendas_rendered_with_the_sites_values_made_once_are_the_agendas_made_alone(demo):
    from mentorkit.site.pages import agenda_page
    from mentorkit.site.values import site_values

    shared = site_values(demo)
    keys = set(shared)
    rendered = 0
    for pid in sorted(demo.programs):
        for aid, use in agenda_uses(demo, demo.programs[pid]).items():
            assert agenda_page(demo, pid, aid, use, shared) == agenda_page(demo, pid, aid, use)
            rendered += 1
    assert set(shared) == keys, "no agenda's own values leak into the next one's"
    assert rendered > 10


def test_an_agenda_page_keeps_the_sections_for_its_programs_format(demo):
    """The first-meeting agenda's tips for peer pairs, group circles and reverse mentoring (`format_sections`):
    each program's page has its own format's tip, if any, and none of the others'."""
    from mentorkit.site.pages import agenda_page

    tips = {"peer": "whose topic comes first", "group": "story in four minutes", "reverse": "junior mentor leads"}
    seen = set()
    for pid, program in sorted(demo.programs.items()):
        page, problems = agenda_page(demo, pid, "first-meeting", agenda_uses(demo, program)["first-meeting"])
        assert problems == []
        assert "Close with one sentence each" in page
        assert {f for f, tip in tips.items() if tip in page} == ({program.format.value} & tips.keys()), pid
        seen.add(program.format.value)
    assert {"one-to-one", "peer", "group", "reverse"} <= seen
