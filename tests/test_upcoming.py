"""The program and home pages' "Coming up", the dates table, and wording that fits each format.

The cards are chosen in the reader's browser (site/assets/dates.js); here the
same rule is applied to the Markdown ("the first card whose date is today or
later"), for every day of every demo program, and the result is compared with
the schedule itself (calendar.sessions), not with the generator's own lists.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mentorkit import calendar as ical
from mentorkit.model import Format, Program
from mentorkit.repo.load import load_workspace
from mentorkit.site import text as t
from mentorkit.site.build import site_content
from mentorkit.site.upcoming import coming_up, site_coming_up
from mentorkit.site.values import contacts_table, program_uri, programs_sentence
from mentorkit.text.wording import FORMAT_WORDS

REPO = Path(__file__).resolve().parent.parent
CARD = re.compile(r'<div data-mk-date="([\d-]+)" hidden data-search-exclude markdown>\n(.*?)\n</div>\n\n</div>', re.S)
LINE = re.compile(r'<div data-mk-date="([\d-]+)" hidden data-search-exclude markdown>\n\n(.*?)\n\n</div>', re.S)


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


def chosen(markdown: str, today: dt.date, pattern: re.Pattern = CARD) -> str | None:
    """What dates.js shows on `today`: the first card whose date is today or later (None: the ended card)."""
    for day, card in pattern.findall(markdown):
        if dt.date.fromisoformat(day) >= today:
            return card
    return None


def bold_date(card: str) -> dt.date | None:
    match = re.search(r"\*\*\w+day (\d+) (\w+) (\d{4})\*\*", card)
    if not match:
        return None
    return dt.date(int(match.group(3)), t.MONTHS.index(match.group(2)) + 1, int(match.group(1)))


@pytest.mark.parametrize("pid", ["grow", "connect", "lead-circles", "career-mosaic", "digital-reverse"])
def test_the_card_for_any_day_shows_the_next_session_of_the_schedule(demo, pid):
    program = demo.programs[pid]
    markdown = coming_up(demo, pid, program, program_uri(pid))
    sessions = ical.sessions(program).dates
    day = program.timeline.start - dt.timedelta(days=30)
    while day <= program.timeline.end + dt.timedelta(days=10):
        card = chosen(markdown, day)
        upcoming = [d for d in sessions if d >= day]
        later = [m for m in program.milestones if m.date >= day]
        if card is None:
            assert not upcoming and not later, (pid, day)
        elif upcoming:
            assert bold_date(card) == upcoming[0], (pid, day)
            assert "Your next session" in card
        else:
            assert "The regular sessions are done." in card, (pid, day)
        day += dt.timedelta(days=1)
    # readers without scripts see the first session, titled as the first, and the program's ended card exists
    default = markdown[markdown.index("<div data-mk-default markdown>"):markdown.index('<div data-mk-date="')]
    assert "Your first session" in default and bold_date(default) == sessions[0]
    assert "<div data-mk-ended hidden data-search-exclude markdown>" in markdown
    assert f"ended on {t.date(program.timeline.end)}" in markdown


def test_a_card_names_the_agenda_and_what_to_prepare(demo):
    grow = demo.programs["grow"]
    card = chosen(coming_up(demo, "grow", grow, program_uri("grow")), dt.date(2026, 3, 1))
    assert bold_date(card) == dt.date(2026, 3, 12)
    assert "**Agenda:** [Working through a real challenge](agendas/problem-solving.md)" in card
    prepare = demo.agendas["problem-solving"].meta.prepare
    assert all(f"- {line}" in card for line in prepare)
    assert "**Also coming up:**" in card and "Wednesday 18 March 2026: Skills module" in card
    # identical neighbours share one card: fewer cards than dates, none repeated
    cards = [c for _, c in CARD.findall(coming_up(demo, "grow", grow, program_uri("grow")))]
    assert len(cards) == len(set(cards))


def test_the_home_page_shows_each_programs_next_session(demo):
    markdown = site_coming_up(demo, "index.md")
    groups = markdown.split("<div data-mk-next markdown>")[1:]
    assert len(groups) == len(demo.programs)
    grow = next(g for g in groups if "[Grow](programs/grow/index.md)" in g)
    line = chosen(grow, dt.date(2026, 3, 1), LINE)
    assert "Next: session **Thursday 12 March 2026**, [Working through a real challenge]" in line
    assert "Then: Skills module: storytelling with data, Wednesday 18 March 2026." in line
    assert chosen(grow, dt.date(2027, 1, 1), LINE) is None
    # a kickoff the day before the first session comes first
    default = grow[grow.index("<div data-mk-default markdown>"):grow.index('<div data-mk-date="')]
    assert default.index("First: Kickoff for mentors and mentees, Monday 12 January 2026") < default.index(
        "Then: session **Tuesday 13 January 2026**")


def test_the_dates_are_shown_not_folded_and_the_calendar_page_lists_them(demo):
    content = site_content(demo)
    page = content.pages[program_uri("grow")]
    assert page.index("data-mk-next") < page.index("!!! abstract"), "the page opens with the next session"
    assert "??? note" not in page
    calendar = content.pages["calendar.md"]
    for pid, program in demo.programs.items():
        for d in ical.sessions(program).dates:
            assert f'datetime="{d.isoformat()}"' in calendar, (pid, d)
    assert "right-click its link" not in calendar and "press and hold" in calendar


def with_format(program: Program, fmt: str) -> Program:
    return program.model_copy(update={"format": Format(fmt)})


@pytest.mark.parametrize("fmt", ["group", "team", "peer", "mosaic"])
def test_a_program_page_is_worded_for_its_format(demo, fmt):
    programs = {**demo.programs, "grow": with_format(demo.programs["grow"], fmt)}
    ws = demo.__class__(**{**demo.__dict__, "programs": programs})
    page = site_content(ws).pages[program_uri("grow")]
    words = FORMAT_WORDS[fmt]
    assert "How pairs are formed" not in page and not re.search(r"(?<!peer )pairs meet", page.lower())
    assert f"**{words.formed}:**" in page
    assert words.session_note in page
    if fmt == "mosaic":
        assert "each mentee meets one of their mentors once a month, in turn" in page


def test_duration_counts_months_as_people_do():
    d = dt.date
    assert t.duration(d(2026, 1, 12), d(2026, 12, 18)) == "12 months"  # "for a year", not 11
    assert t.duration(d(2026, 2, 9), d(2026, 11, 6)) == "9 months"
    assert t.duration(d(2026, 3, 2), d(2026, 5, 29)) == "3 months"
    assert t.duration(d(2026, 3, 2), d(2026, 3, 31)) == "4 weeks"


def test_participant_placeholders_never_show_brackets_or_none_listed(demo):
    assert programs_sentence(demo, "index.md").startswith("We run 5 mentoring programs: [")
    one = demo.__class__(**{**demo.__dict__, "programs": {"grow": demo.programs["grow"]}})
    assert programs_sentence(one, "index.md") == "We run one mentoring program: [Grow](programs/grow/index.md)."
    assert "(s)" not in programs_sentence(one, "index.md")
    empty = contacts_table([], "index.md", with_programs=True)
    assert "No contacts" not in empty and "coordinator" in empty


def test_every_format_has_its_wording_in_one_home():
    from mentorkit.model import Format
    from mentorkit.text import wording

    for fmt in Format:
        words = wording.format_words(fmt)
        assert wording.FORMAT_DESCRIPTION[fmt]  # a format's label is its value ("one-to-one")
        assert "{often}" in words.meets and words.meet("once a month").endswith(("once a month", "in turn"))
    from mentorkit.site import pages, values

    assert pages.FORMAT_DESCRIPTION is values.FORMAT_DESCRIPTION is wording.FORMAT_DESCRIPTION, "one table"
    assert not hasattr(t, "FORMAT_DESCRIPTION"), "site/text.py re-exports nothing: the pages import from text/"
