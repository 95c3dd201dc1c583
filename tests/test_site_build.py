"""The program site: generated pages, placeholders, reproducible --strict builds, and no participant data.

The slow tests build the demo with `mkdocs build --strict` in a subprocess,
exactly as the README and CI do; the fast ones call the page generator directly.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mentorkit import calendar as ical
from mentorkit.model.schedule import survey_dates
from mentorkit.repo.load import load_workspace, read_workspace
from mentorkit.site.build import ASSETS, site_content
from mentorkit.site.session import expand_nav, format_problems
from mentorkit.site.values import COMBINED_ICS, agenda_uses, ics_uri

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z; the README takes it from the last commit
# Made up, used as examples in the coordinator handbook and the matching page (never a demo participant).
EXAMPLE_PSEUDONYMS = {"mk-0a1b2c3d", "mk-4e5f6a7b", "mk-8c9d0e1f",
                      "mk-1a2b3c4d", "mk-3b4c5d6e", "mk-5e6f7a8b", "mk-7f8a9b0c", "mk-9c0d1e2f"}


def test_example_pseudonyms_are_not_participants():
    text = (REPO / "participants" / "participants.csv").read_text(encoding="utf-8")
    assert not any(p in text for p in EXAMPLE_PSEUDONYMS)
PSEUDONYM = re.compile(r"mk-[0-9a-f]{8}")


def mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], cwd=root, env=env, capture_output=True, text=True, timeout=600)


def copy_workspace(dest: Path) -> Path:
    """The demo's program files, agendas, participant tables, docs and mkdocs.yml (nothing else)."""
    for name in ("program", "agendas", "participants", "docs"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def text_of(data: bytes, name: str) -> str:
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def without_code(html: str) -> str:
    html = re.sub(r"<pre.*?</pre>", "", html, flags=re.S)
    return re.sub(r"<code.*?</code>", "", html, flags=re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(REPO, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


# --- the demo site, built as the README builds it ---------------------------------------------------------


@pytest.mark.slow
def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    result = mkdocs_build(REPO, again)
    assert result.returncode == 0, result.stderr
    first, second = tree(built), tree(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


@pytest.mark.slow
def test_every_generated_page_and_calendar_is_there(built, demo):
    assert (built / "index.html").is_file()
    assert (built / "programs" / "index.html").is_file()
    assert (built / "calendar" / "index.html").is_file()
    assert (built / COMBINED_ICS).is_file()
    for handbook in ("mentor", "mentee", "coordinator"):
        assert (built / "handbooks" / handbook / "index.html").is_file()
    home = (built / "index.html").read_text(encoding="utf-8")
    for pid, program in demo.programs.items():
        page = built / "programs" / pid / "index.html"
        assert page.is_file(), pid
        assert program.title in page.read_text(encoding="utf-8")
        assert f"programs/{pid}/" in home, "each program is in the navigation"
        assert (built / ics_uri(pid)).is_file()
        for aid in agenda_uses(demo, program):
            agenda = built / "programs" / pid / "agendas" / aid / "index.html"
            assert agenda.is_file(), (pid, aid)
    for name in ("search/search_index.json", "sitemap.xml", "assets/logo.svg", "stylesheets/print.css"):
        assert (built / name).is_file(), name


@pytest.mark.slow
def test_agenda_pages_carry_the_program_values(built, demo):
    program = demo.programs["grow"]
    html = (built / "programs/grow/agendas/first-meeting/index.html").read_text(encoding="utf-8")
    assert f"{program.cadence.session_minutes} minutes" in html
    assert program.title in html


@pytest.mark.slow
def test_no_placeholder_is_left_unfilled(built):
    for page in built.rglob("*.html"):
        html = without_code(page.read_text(encoding="utf-8"))
        assert "{{" not in html, page.relative_to(built)


def published_texts(built: Path):
    """(name, text) of every output file; the search index is split into its pages, so each is judged alone."""
    for name, data in tree(built).items():
        text = text_of(data, name)
        if name.endswith("search_index.json"):
            for doc in json.loads(text)["docs"]:
                yield f"{name}#{doc['location']}", doc["title"] + "\n" + doc["text"]
        yield name, text


@pytest.mark.slow
def test_site_holds_no_participant_data(built):
    """No pseudonym or reporting line anywhere; no team code; no demographic answer outside aggregate results.

    Results pages (programs/<id>/results) may name demographic *groups* in breakdowns with small groups
    suppressed; that is aggregate data, checked by the results tests. Nothing else may hold such a value.
    """
    with open(REPO / "participants" / "participants.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "the demo has participants"
    pseudonyms = {r["pseudonym"] for r in rows} | {r["reports_to"] for r in rows if r["reports_to"]}
    assert not pseudonyms & EXAMPLE_PSEUDONYMS, "the handbook's examples must not be real pseudonyms"
    teams = {r["team"] for r in rows if r["team"]}
    # Demographic values, except plain words ("man", "yes") that any English page contains.
    demographic = {r[c] for r in rows for c in ("gender", "age_band", "underrepresented") if r[c]}
    demographic -= {"man", "woman", "yes", "no"}
    assert demographic, "the demo has demographic answers to look for"

    def tokens(values: set[str]) -> re.Pattern:
        """Any of the values as a whole token (not inside a longer word or hyphenated id)."""
        alternatives = "|".join(re.escape(v) for v in sorted(values, key=lambda v: (-len(v), v)))
        return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)

    team_pattern = tokens(teams)
    demographic_pattern = tokens(demographic)
    names = list(tree(built))
    assert not [n for n in names if n.endswith((".csv", ".tsv", ".xlsx"))], "no table is published"
    checked = 0
    for name, text in published_texts(built):
        found = set(PSEUDONYM.findall(text))
        assert found <= EXAMPLE_PSEUDONYMS, (name, sorted(found - EXAMPLE_PSEUDONYMS)[:5])
        assert not team_pattern.findall(text), (name, sorted(set(team_pattern.findall(text)))[:5])
        assert "pseudonym,role,programs" not in text, name
        if "/results/" in f"/{name}" or name.endswith("search_index.json"):
            continue  # aggregate results pages; the index as a whole was split into pages above
        assert not demographic_pattern.findall(text), (name, sorted(set(demographic_pattern.findall(text)))[:5])
        checked += 1
    assert checked > 20


@pytest.mark.slow
def test_site_calendars_parse_and_hold_every_date(built, demo):
    vobject = pytest.importorskip("vobject")
    total = 0
    for pid, program in demo.programs.items():
        cal = vobject.readOne((built / ics_uri(pid)).read_text(encoding="utf-8"))
        events = {e.uid.value: e for e in cal.vevent_list}
        dates = ical.sessions(program).dates
        surveys = survey_dates(program)
        assert len(events) == len(program.milestones) + len(surveys) + len(dates)
        for s in surveys:
            assert events[f"{pid}-{s.id}@mentoring-at-example-org.mentorkit.invalid"].dtstart.value == s.opens
        for m in program.milestones:
            assert events[f"{pid}-{m.id}@mentoring-at-example-org.mentorkit.invalid"].dtstart.value == m.date
        sessions = sorted(e.dtstart.value for e in cal.vevent_list if e.categories.value == ["session"])
        assert sessions == list(dates)
        assert all(d.weekday() < 5 for d in sessions), "sessions fall on working days"
        assert not set(sessions) & {m.date for m in program.milestones}, "never on an event's day"
        assert {e.dtstamp.value for e in cal.vevent_list} == {dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)}
        total += len(events)
    combined = vobject.readOne((built / COMBINED_ICS).read_text(encoding="utf-8"))
    assert len(combined.vevent_list) == total


# --- the build follows the files, and fails loudly on bad ones -----------------------------------------------


@pytest.mark.slow
def test_editing_the_program_file_updates_handbook_agendas_and_calendar(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    grow = root / "program" / "grow.yaml"
    text = grow.read_text(encoding="utf-8")
    assert re.search(r"(?m)^  session_minutes: 60\b", text)
    grow.write_text(re.sub(r"(?m)^  session_minutes: 60\b", "  session_minutes: 75", text), encoding="utf-8")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    faq = (tmp_path / "site" / "faq" / "index.html").read_text(encoding="utf-8")
    assert "75 minutes" in faq  # {{ mk.grow.session_length }} in docs/faq.md
    agenda = (tmp_path / "site" / "programs/grow/agendas/first-meeting/index.html").read_text(encoding="utf-8")
    assert "75 minutes" in agenda
    ics = (tmp_path / "site" / "calendar" / "grow.ics").read_text(encoding="utf-8")
    assert "(75 min)" in ics


def test_invalid_workspace_fails_the_build_with_the_validators_messages(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    grow = root / "program" / "grow.yaml"
    grow.write_text(grow.read_text(encoding="utf-8").replace("\ncadence:\n", "\ncadance:\n", 1), encoding="utf-8")
    _, report = read_workspace(root)
    assert not report.ok
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for problem in report.problems:
        assert f"{problem.where}: {problem.message}" in output
    assert "program/grow.yaml:" in output and "cadance" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.slow
def test_unknown_placeholder_fails_the_build_with_file_line_and_hint(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    faq = root / "docs" / "faq.md"
    lines = ["---", "description: Questions and answers", "---"] + faq.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "Sessions are {{ mk.grow.cadance }}, and {{ mk.grwo.start }} is the start.")  # line 6
    faq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "docs/faq.md:6:14: there is no value called 'mk.grow.cadance' (did you mean '{{ mk.grow.cadence }}'?)" in output
    assert "docs/faq.md:6:" in output and "mk.grwo.start" in output
    assert "Traceback" not in output


# --- the generator without MkDocs (fast) --------------------------------------------------------------------


def test_site_content_on_the_small_workspace(base_workspace):
    ws = load_workspace(base_workspace)
    content = site_content(ws, base_url="https://mentoring.example.org/")
    assert content.problems == []
    assert set(content.pages) == {"programs/index.md", "programs/pilot/index.md",
                                  "programs/pilot/agendas/first-meeting.md", "programs/pilot/skills.md",
                                  "programs/pilot/results.md", "calendar.md"}
    assert set(content.files) == {"calendar/pilot.ics", "calendar/all_programs.ics", "stylesheets/brand.css", *ASSETS}
    assert content.nav == ["programs/index.md",
                           {"Pilot mentoring program": ["programs/pilot/index.md",
                                                        {"First meeting": "programs/pilot/agendas/first-meeting.md"},
                                                        {"Skills": "programs/pilot/skills.md"},
                                                        {"Results": "programs/pilot/results.md"}]}]
    page = content.pages["programs/pilot/index.md"]
    assert "5 January 2026 to 30 June 2026" in page
    assert "[pilot.ics](../../calendar/pilot.ics)" in page
    assert "`https://mentoring.example.org/calendar/pilot.ics`" not in page
    calendar = content.pages["calendar.md"]
    assert "[https://mentoring.example.org/calendar/pilot.ics](calendar/pilot.ics)" in calendar
    # deterministic: the same workspace gives the same text
    again = site_content(load_workspace(base_workspace), base_url="https://mentoring.example.org/")
    assert again.pages == content.pages and again.files == content.files


def test_agenda_placeholders_are_filled_per_program_and_unknown_ones_reported(base_workspace):
    agenda = base_workspace / "agendas" / "first-meeting.md"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\nMeet {{ program.cadence }} for {{ agenda.minutes }} "
                      "minutes in {{ program.title }}.\n\nBring {{ program.sesion_minutes }}.\n", encoding="utf-8")
    ws = load_workspace(base_workspace)
    content = site_content(ws)
    page = content.pages["programs/pilot/agendas/first-meeting.md"]
    assert "Meet monthly for 60 minutes in Pilot mentoring program." in page
    [problem] = content.problems
    lines = agenda.read_text(encoding="utf-8").splitlines()
    assert problem.file == "agendas/first-meeting.md"
    assert "{{ program.sesion_minutes }}" in lines[problem.line - 1]
    assert problem.hint == "did you mean '{{ program.session_minutes }}'?"


def test_expand_nav_replaces_the_programs_entry():
    section = ["programs/index.md", {"Grow": ["programs/grow/index.md"]}]
    nav = [{"Home": "index.md"}, {"Programs": "programs/index.md"}, {"Calendar": "calendar.md"}]
    expanded, found = expand_nav(nav, "programs/index.md", section)
    assert found and expanded[1] == {"Programs": section} and expanded[0] == {"Home": "index.md"}
    assert expand_nav(["index.md", "programs/index.md"], "programs/index.md", section)[0][1] == {"Programs": section}
    assert expand_nav([{"Home": "index.md"}], "programs/index.md", section) == ([{"Home": "index.md"}], False)


def test_problem_list_names_every_problem(base_workspace):
    from mentorkit.errors import Problem

    text = format_problems([Problem("program/x.yaml", "invalid-value", "bad value", line=3, field="a.b", hint="fix it"),
                            Problem("participants/participants.csv", "blank-row", "bad row", row=4)], "the program data has")
    assert text.splitlines() == [
        "mentorkit: the program data has 2 problems; the site was not built.",
        "  program/x.yaml:3, field 'a.b': bad value (fix it)",
        "  participants/participants.csv, row 4: bad row",
    ]


def test_export_prerenders_the_site_for_generators_without_plugins(base_workspace, tmp_path):
    """`python -m mentorkit.site export` (for Zensical): filled-in pages, generated pages, a plugin-free config."""
    import yaml

    from mentorkit.errors import SiteProblems as ExportError
    from mentorkit.site.export import export

    docs = base_workspace / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ntitle: Home\n---\n# Home\n\nWe meet {{ mk.pilot.cadence }}; "
                                   "see {{ mk.pilot.link }}. Literally: `{{ mk.pilot.cadence }}`.\n", encoding="utf-8")
    (base_workspace / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Test", "plugins": ["search", {"mentorkit": {"brand_colour": "#ffeb3b"}}],
        "theme": {"name": "material"},
        "nav": [{"Home": "index.md"}, {"Programs": "programs/index.md"}, {"Calendar": "calendar.md"}]}),
        encoding="utf-8")
    written = export(base_workspace, tmp_path / "out")
    config = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"] and config["docs_dir"] == "docs"
    assert config["theme"]["variant"] == "classic", "Zensical looks like Material only in its classic variant"
    brand = (tmp_path / "out" / "docs" / "stylesheets" / "brand.css").read_text(encoding="utf-8")
    assert "brand_colour #ffeb3b" in brand, "the plugin's colour option reaches the pre-rendered stylesheet"
    assert config["nav"][1] == {"Programs": site_content(load_workspace(base_workspace)).nav}
    out = tmp_path / "out" / "docs"
    assert (out / "index.md").read_text(encoding="utf-8") == (
        "---\ntitle: Home\n---\n# Home\n\nWe meet monthly; see [Pilot mentoring program](programs/pilot/index.md). "
        "Literally: `{{ mk.pilot.cadence }}`.\n")
    assert (out / "programs/pilot/agendas/first-meeting.md").is_file()
    assert (out / "calendar/pilot.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    (docs / "index.md").write_text("---\ntitle: Home\n---\n\n{{ mk.pilot.cadense }}\n", encoding="utf-8")
    with pytest.raises(ExportError) as exc:
        export(base_workspace, tmp_path / "again")
    assert "docs/index.md:5:1: there is no value called 'mk.pilot.cadense'" in str(exc.value)


def test_plugin_hooks_before_on_config_raise_a_clear_error():
    """The plugin's session is a property: a hook that MkDocs calls before on_config opened it fails with a
    sentence that says so, not an AttributeError on None."""
    from mkdocs.exceptions import PluginError

    from mentorkit.site.plugin import MentorkitPlugin

    plugin = MentorkitPlugin()
    with pytest.raises(PluginError, match="before on_config opened the site session"):
        plugin.on_env(None, None, None)  # type: ignore[arg-type]
