"""A new organisation's site as `mentorkit new` makes it: worth publishing before anyone edits a line.

Slow: it builds the fresh repository's site with the real `mkdocs build --strict`, twice (before and
after `site_url` is filled in, with different build times), and reads the built files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mentorkit.cli import main

KIT_SPEC = f"mentorkit=={metadata.version('mentorkit')}"  # a checkout or a local wheel: `new` needs the pin given

pytestmark = pytest.mark.slow
SITE_URL = "https://example.github.io/mentoring/"


def build(root: Path, out: Path, epoch: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("starter")
    target = tmp / "acme"
    result = CliRunner().invoke(main, ["new", str(target), "--org", "Acme", "--no-input", "--kit-spec", KIT_SPEC])
    assert result.exit_code == 0, result.output
    build(target, tmp / "before", "1767225600")
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "# site_url: https://example.github.io/mentoring/" in text
    config.write_text(text.replace("# site_url: ", "site_url: "), encoding="utf-8")
    build(target, tmp / "after", "1767312000")  # a day later
    pid = next((target / "program").glob("*.yaml")).stem
    return target, tmp / "before", tmp / "after", pid


def visible_text(html: str) -> str:
    body = html[html.index('<article'):html.index('</article>')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_home_page_opens_with_the_next_session_and_reads_well(fresh):
    _, before, _, pid = fresh
    html = (before / "index.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert html.index("Coming up") < html.index("Mentoring here means")
    assert "We run one mentoring program:" in text
    for wrong in ("program(s)", "No contacts are listed yet", "none listed", "{{"):
        assert wrong not in text, wrong
    program = visible_text((before / "programs" / pid / "index.html").read_text(encoding="utf-8"))
    assert "Your first session" in program and "To prepare:" in program
    assert re.search(r"Sessions 4 to \d+ of \d+ use Career development conversation and Working through a real "
                     r"challenge in turn", program), "a rotation over the kit's agendas, not one agenda repeated"
    for survey in ("Baseline survey", "Pulse survey 1", "Pulse survey 3", "Final survey", "Goal-setting workshop",
                   "Mid-program check-in"):
        assert survey in program, survey
    assert "(12 months)" in program
    calendar = visible_text((before / "calendar" / "index.html").read_text(encoding="utf-8"))
    assert "right-click its link" not in calendar


def test_coordinator_pages_are_apart_from_participant_navigation(fresh):
    target, _, _, _ = fresh
    nav = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    sections = {next(iter(item)): next(iter(item.values())) for item in nav}
    participants = [next(iter(page.values())) for page in sections["For participants"]]
    assert "handbooks/coordinator.md" not in participants
    assert [next(iter(page.values())) for page in sections["For coordinators"]] == ["handbooks/coordinator.md",
                                                                                   "metrics.md"]


def test_the_sitemap_lists_every_page_once_site_url_is_set(fresh):
    _, before, after, pid = fresh
    assert "<loc>" not in (before / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", (after / "sitemap.xml").read_text(encoding="utf-8"))
    pages = sorted(p.parent.relative_to(after).as_posix() for p in after.rglob("index.html"))
    assert len(locs) == len(pages) and all(loc.startswith(SITE_URL) for loc in locs)
    assert f"{SITE_URL}programs/{pid}/" in locs and f"{SITE_URL}calendar/" in locs


def test_the_404_page_links_to_every_section_from_any_address(fresh):
    _, before, after, pid = fresh
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', (after / "404.html").read_text(encoding="utf-8"))
    targets = dict((label, href) for href, label in links)
    assert targets["Calendar"] == "/mentoring/calendar/" and targets["Mentee handbook"] == "/mentoring/handbooks/mentee/"
    assert f"/mentoring/programs/{pid}/" in targets.values()
    page = (before / "404.html").read_text(encoding="utf-8")
    assert 'href="/calendar/"' in page, "without a site_url, links start at the server's root"


def test_calendar_events_keep_their_identity_across_builds_and_site_url(fresh):
    vobject = pytest.importorskip("vobject")
    _, before, after, pid = fresh
    first = vobject.readOne((before / "calendar" / f"{pid}.ics").read_text(encoding="utf-8"))
    second = vobject.readOne((after / "calendar" / f"{pid}.ics").read_text(encoding="utf-8"))
    assert first.contents["x-wr-calname"][0].value == "Mentoring 2027", "not 'Mentoring 2027 mentoring'"
    uids = [e.uid.value for e in first.vevent_list]
    assert uids == [e.uid.value for e in second.vevent_list], "setting site_url later makes no duplicates"
    assert all(uid.endswith("@mentoring-at-acme.mentorkit.invalid") for uid in uids)
    assert {e.dtstamp.value for e in first.vevent_list} != {e.dtstamp.value for e in second.vevent_list}
    # the events now carry a link (they changed, so their SEQUENCE did); without that change it stays put
    changed = [e.uid.value for e, f in zip(first.vevent_list, second.vevent_list, strict=True)
               if e.sequence.value != f.sequence.value]
    assert changed == [e.uid.value for e in second.vevent_list if "url" in e.contents]
