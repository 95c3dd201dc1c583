"""Qualitative themes: a reviewed summary per program round, checked by validate, quoted on the results page."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import make_workspace
from mentorkit.repo.load import load_workspace, read_workspace
from mentorkit.site.results import render_results_page

REPO = Path(__file__).resolve().parent.parent
FRONT = ("---\nprogram: {program}\nround: {round}\ndate: {date}\nsource: {source}\nparticipants: {n}\n"
         "reviewed_by: program coordinator\nreviewed_on: {reviewed}\n---\n\n")


def _write(root: Path, name: str, body: str, *, program="pilot", round="final", date="2026-06-20",
           source="interviews", n=8, reviewed="2026-06-30") -> str:
    (root / "themes").mkdir(exist_ok=True)
    (root / "themes" / name).write_text(FRONT.format(program=program, round=round, date=date, source=source, n=n,
                                                     reviewed=reviewed) + body)
    return f"themes/{name}"


def test_the_demo_results_page_quotes_the_reviewed_themes_with_source_and_date():
    ws = load_workspace(REPO)
    (grow,) = [r for r in ws.themes if r.meta.program == "grow"]
    page = render_results_page(ws, "grow")
    section = page[page.index("## What participants said"):]
    assert "### Mid program: focus groups, 10 July 2026" in section
    assert "14 people took part; reviewed by the program sponsor on 24 July 2026." in section
    for theme in grow.themes:
        assert f"> **{theme.title}.** {theme.text}" in section
    assert len(grow.themes) == 4 and "## What participants said" not in render_results_page(ws, "connect")


def test_rounds_are_quoted_latest_first_and_only_on_their_programs_page(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _write(root, "pilot-start.md", "## Hopes\n\nPeople hoped to learn SQL.\n", round="start", date="2026-01-20",
           reviewed="2026-01-25")
    _write(root, "pilot-final.md", "## Time\n\nPairs wanted protected time.\n", source="exit-interviews")
    ws, report = read_workspace(root)
    assert report.ok, report.problems
    page = render_results_page(ws, "pilot")
    assert page.index("### Final: exit interviews, 20 June 2026") < page.index("### Start: interviews, 20 January 2026")
    assert "> **Hopes.** People hoped to learn SQL." in page


def test_a_theme_is_escaped_on_the_page(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _write(root, "pilot-final.md", "## Time *matters* <b>\n\nPairs wanted [protected](http://x.test) time <i>.\n")
    ws, report = read_workspace(root)
    assert report.ok, report.problems
    page = render_results_page(ws, "pilot")
    line = next(x for x in page.splitlines() if x.startswith("> **Time"))
    assert line == ("> **Time \\*matters\\* &lt;b&gt;.** Pairs wanted \\[protected\\](http://x.test) time "
                    "&lt;i&gt;.")  # shown as written: no HTML, no emphasis, no link


def test_contacts_are_found_by_the_privacy_scan_and_the_folder_readme_is_no_round(tmp_path):
    root = make_workspace(tmp_path / "ws")
    rel = _write(root, "pilot-final.md", "## Time\n\nAsk jane.doe@acme-corp.de for more.\n\n## Calls\n\n"
                                         "Or call +44 20 7946 0958 for more.\n")
    shutil.copy(REPO / "themes" / "README.md", root / "themes" / "README.md")
    _, report = read_workspace(root)
    assert report.tuples() == {(rel, 13, None, "pii-email"), (rel, 17, None, "pii-phone")}


def test_the_front_matter_is_checked_against_the_programs(tmp_path):
    root = make_workspace(tmp_path / "ws")
    body = "## Time\n\nPairs wanted protected time.\n"
    unknown = _write(root, "other-final.md", body, program="other")
    misnamed = _write(root, "final.md", body)
    early = _write(root, "pilot-early.md", body, reviewed="2026-06-01")
    named = _write(root, "pilot-named.md", body)
    (root / named).write_text((root / named).read_text().replace("program coordinator", "Jane 2nd"))
    _, report = read_workspace(root)
    assert report.tuples() == {(unknown, None, "program", "dangling-reference"),
                               (misnamed, None, "program", "themes-format"),
                               (early, 2, None, "invalid-value"),  # reviewed before the round ended
                               (named, 7, "reviewed_by", "invalid-format")}  # a role, never a name
