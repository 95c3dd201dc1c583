"""The skills page on the site (programs/<id>/skills): the audit for coordinators and sponsors, nobody named."""

import re
from pathlib import Path

from matching_helpers import person, vocabulary, workspace
from mentorkit.metrics.skills_audit import skills_audit
from mentorkit.model import Skill
from mentorkit.repo.load import load_workspace
from mentorkit.site.build import site_content
from mentorkit.site.skills import render_skills_page, skills_uri
from test_skills_audit import skewed

ROOT = Path(__file__).resolve().parents[1]


def people_counts(page: str) -> list[str]:
    """Every number of people in the table (the first figure of each cell after the skill)."""
    rows = [line for line in page.splitlines() if line.startswith("| ") and not line.startswith(("| Skill", "| ---"))]
    return [re.match(r"(\d+|fewer than \d+)", c.strip()).group(1) for r in rows for c in r.strip("|").split("|")[1:]]


def test_skewed_sign_ups_show_the_gaps_and_band_small_numbers():
    page = render_skills_page(skewed(), "pilot")
    assert page.startswith("# Skills: Pilot\n")
    assert "mk-" not in page, "nobody is named"
    assert "Signed up: 12 mentees and 5 mentors with 9 places." in page
    assert "| python | 8 | fewer than 5 |" in page, "two mentors: neither their number nor their places are shown"
    assert "| hiring | 0 | fewer than 5 |" in page
    counts = people_counts(page)
    assert counts and all(c.startswith("fewer than") or int(c) == 0 or int(c) >= 5 for c in counts), counts
    assert "## Skills sought and not offered\n\n**finance**, **design**." in page
    assert "**fewer than 5 mentees** have no mentor who offers any skill they seek" in page
    assert "- **design**: sought by fewer than 5 mentees, offered by no mentor. Recruit mentors who offer it." in page
    assert "Where to find mentors:" in page
    # no setting names or solver terms on a published page
    for term in ("shared_skill_required", "min_group_size", "the points", "half the points"):
        assert term not in page


def test_places_stand_beside_a_number_of_mentors_that_is_shown():
    mentors = [person(20 + i, "mentor", offered=("python",), capacity=2) for i in range(5)]
    ws = workspace([*(person(n, sought=("python",)) for n in range(1, 13)), *mentors])
    page = render_skills_page(ws, "pilot")
    assert "| python | 12 | 5, with 10 places |" in page
    assert "- **python**: sought by 12 mentees, 10 places among the mentors who offer it. Find at least 2 more " \
           "places" in page
    small = workspace([person(1, sought=("python",)), person(2, "mentor", offered=("python",), capacity=3)])
    page = render_skills_page(small, "pilot")
    assert "Signed up: fewer than 5 mentees and fewer than 5 mentors." in page, "one mentor's places are theirs"
    assert "3" not in page.split("## Supply", 1)[1]


def test_a_program_without_sign_ups_says_so():
    page = render_skills_page(workspace([]), "pilot")
    assert "Nobody has signed up for this program yet" in page and "|" not in page


def test_a_skill_label_is_shown_as_written_never_as_html():
    base = vocabulary()
    vocab = base.model_copy(update={"skills": [Skill(id="python", label="<b>Python</b>"),
                                               *[s for s in base.skills if s.id != "python"]]})
    ws = workspace([person(1, sought=("python",)), person(2, "mentor", offered=("python",))], vocab=vocab)
    page = render_skills_page(ws, "pilot")
    assert "&lt;b&gt;Python&lt;/b&gt;" in page and "<b>" not in page


def test_every_demo_program_has_a_skills_page_in_its_nav_before_the_results():
    ws = load_workspace(ROOT)
    content = site_content(ws)
    for pid, program in ws.programs.items():
        page = content.pages[skills_uri(pid)]
        assert "mk-" not in page
        audit = skills_audit(ws, pid)
        k = program.reports.min_group_size
        for s in audit.skills:  # the table agrees with the audit, banded where small
            sought = len(s.sought_by)
            shown = str(sought) if sought == 0 or sought >= k else f"fewer than {k}"
            assert f"| {s.label} | {shown} |" in page, (pid, s.label)
    sections = {k: v for item in content.nav[1:] for k, v in item.items()}
    for children in sections.values():
        labels = [next(iter(c)) for c in children if isinstance(c, dict)]
        assert labels[-2:] == ["Skills", "Results"]
    assert content.pages == site_content(ws).pages, "the same inputs give the same pages"
