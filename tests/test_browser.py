"""The built site in a real browser: headless Chromium (Debian's package) driven by Playwright.

Serves the demo site on 127.0.0.1, follows the navigation to a handbook and an
agenda, searches for a word that only an agenda contains, downloads a calendar
and parses it, visits every page, and fails on any console error, any broken
internal link or anchor, and any request that leaves this machine. axe-core
(pinned in package.json, installed by `npm ci`) checks every page in the light
and the dark scheme, on a desktop and on a phone, and fails on any finding of
any impact, whoever's markup it is (the kit overrides Material's templates
where the finding is the theme's). On a phone no table is wider than the page.

CI installs Chromium (`apt-get install chromium`) and axe-core (`npm ci`), so
there a missing one is a failure; on a developer machine without them the test
is skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import subprocess
import sys
import threading
from collections import deque
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest

from mentorkit.repo.load import load_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
MAX_PAGES = 400
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _require_browser():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not AXE.is_file():
        missing.append("axe-core (npm ci at the repository root)")
    if missing:
        message = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Links(HTMLParser):
    """Links, sources and element ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[key])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _require_browser()
    out = tmp_path_factory.mktemp("browser") / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
                             "-d", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class Watch:
    """Everything that went wrong while a page was open."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text} ({page.url})"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e} ({page.url})"))
        page.on("requestfailed", lambda r: self._failed(r, base))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: not r.url.startswith((base, "data:", "blob:")) and self.outside.append(r.url))

    def _failed(self, request, base):
        if request.url.startswith(base) and "ERR_ABORTED" in (request.failure or ""):
            return  # cut short by the next navigation (a missing file shows up as an HTTP error instead)
        self.errors.append(f"request failed: {request.url} {request.failure}")

    def check(self):
        assert self.errors == []
        assert self.outside == [], "the site contacted another host"


@pytest.fixture
def page(browser, site):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(page, site[0])
    yield page, watch
    context.close()


def heading(page) -> str:
    return page.locator("article h1").first.inner_text().rstrip("¶").strip()


def _agenda_only_word(ws) -> str:
    """A long word that an agenda template uses and no hand-written page does."""
    handwritten = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md")).lower()
    words = set()
    for agenda in ws.agendas.values():
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{9,}", agenda.body)}
    candidates = sorted((w for w in words if w not in handwritten), key=lambda w: (-len(w), w))
    assert candidates, "the agendas use words of their own"
    return candidates[0]


def test_a_participant_finds_handbook_agenda_search_and_calendar(page, site):
    page, watch = page
    base, _ = site
    ws = load_workspace(REPO)
    grow = ws.programs["grow"]

    page.goto(base)
    assert "Mentoring at Example Org" in page.title()

    # navigation tabs -> a handbook (participants' pages apart from the coordinators')
    page.locator(".md-tabs__link", has_text="For participants").click()
    page.wait_for_url(re.compile(r"/handbooks/mentor/$"))
    assert heading(page) == "Mentor handbook"
    page.locator(".md-nav__link", has_text="Mentee handbook").first.click()
    page.wait_for_url(re.compile(r"/handbooks/mentee/$"))

    # navigation tabs -> programs -> Grow -> its first session agenda
    page.locator(".md-tabs__link", has_text="Programs").click()
    page.wait_for_url(re.compile(r"/programs/$"))
    page.locator(".md-sidebar--primary a.md-nav__link[href$='grow/']").first.click()
    page.wait_for_url(re.compile(r"/programs/grow/$"))
    assert heading(page) == grow.title
    first = grow.session_plan[0]
    title = ws.agendas[first].meta.title
    page.locator(f".md-sidebar--primary a.md-nav__link[href$='agendas/{first}/']").first.click()
    page.wait_for_url(re.compile(rf"/programs/grow/agendas/{first}/$"))
    assert heading(page) == f"{title} · Grow"
    assert page.title().startswith(f"{title} · Grow - "), "the browser tab names the program"
    assert f"{grow.cadence.session_minutes} minutes" in page.locator("article").inner_text()

    # search finds a word that only an agenda has
    word = _agenda_only_word(ws)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word, delay=20)  # Material searches as the reader types
    results = page.locator("a.md-search-result__link")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("/agendas/" in h for h in hrefs), (word, hrefs)
    results.first.click()
    page.wait_for_url(re.compile(r"/agendas/"))
    assert word in page.locator("article").inner_text().lower()

    # the calendar page links a calendar file that downloads and parses
    page.locator(".md-tabs__link", has_text="Calendar").click()
    page.wait_for_url(re.compile(r"/calendar/$"))
    link = page.locator("article a[href$='grow.ics']").first
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_text(encoding="utf-8")
    import vobject

    cal = vobject.readOne(data)
    from mentorkit import calendar as ical

    assert len(cal.vevent_list) == len(grow.milestones) + len(ical.sessions(grow).dates)
    assert {e.dtstart.value for e in cal.vevent_list} >= {m.date for m in grow.milestones}

    # light/dark palette toggle
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") != scheme

    watch.check()


def test_print_view_shows_only_the_content(page, site):
    page, watch = page
    page.goto(site[0] + "handbooks/mentor/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"):
        element = page.locator(selector).first
        assert element.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator("article h1").is_visible()
    watch.check()


def test_every_page_loads_cleanly_and_every_internal_link_resolves(page, site):
    page, watch = page
    base, root = site
    seen: set[str] = set()
    ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    broken: list[str] = []
    queue = deque([base])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as exc:
            broken.append(f"{url}: HTTP {exc.code}")
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            target = urljoin(url, link)
            if not target.startswith(base):
                if urlsplit(target).scheme in ("http", "https"):
                    continue  # external links are not followed (none are fetched by the browser: see Watch)
                continue
            target, fragment = urldefrag(target)
            if fragment:
                anchors.append((url, target, fragment))
            if target not in seen:
                queue.append(target)
    assert not broken, broken
    html_pages = sorted(u for u in seen if u in ids)
    assert len(html_pages) >= 10
    missing = [f"{src} -> {dst}#{frag}" for src, dst, frag in anchors if dst in ids and frag not in ids[dst]]
    assert not missing, missing[:10]
    # every generated page was reachable through the links
    for html in root.rglob("index.html"):
        rel = html.parent.relative_to(root).as_posix()
        assert base + ("" if rel == "." else rel + "/") in seen, rel
    # and each page opens in the browser without a console error
    for url in html_pages:
        page.goto(url, wait_until="load")
    watch.check()



def test_results_page_shows_charts_with_their_data_tables(page, site):
    page, watch = page
    page.goto(site[0] + "programs/grow/results/")
    assert heading(page)
    charts = page.locator("article svg")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, "the chart renders at a readable size"
        assert chart.locator("title").count() == 1, "each chart has a title for screen readers"
        assert chart.locator("rect").count() >= 1, "the chart draws its bars"
    assert page.locator("article table").count() > charts.count(), "each chart is followed by its data table"
    assert "Match rate" in page.locator("article").inner_text()
    watch.check()


def _site_pages(root: Path, base: str) -> list[str]:
    return sorted(base + ("" if p.parent == root else p.parent.relative_to(root).as_posix() + "/")
                  for p in root.rglob("index.html"))


def _findings(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}) {target}: {v['summary']}" for v in violations for target in v["targets"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_accessibility_finding(browser, site, scheme, viewport):
    """Every axe rule, every impact, every owner: Material's markup included."""
    base, root = site
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    findings: dict[str, list[str]] = {}
    try:
        for url in _site_pages(root, base):
            page.goto(url)
            assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
            # tables.js names the code blocks' button bars and marks scrolling boxes once Material has added them
            page.wait_for_function("""() => !document.querySelector("nav.md-code__nav:not([aria-label])")""")
            page.wait_for_timeout(250)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
                .violations.map(v => ({id: v.id, impact: v.impact, summary: v.help,
                                       targets: v.nodes.map(n => n.target.join(" "))}))""")
            if problems := _findings(violations):
                findings[url[len(base):] or "/"] = problems
    finally:
        context.close()
    assert findings == {}, f"{sum(map(len, findings.values()))} findings: " + repr(dict(list(findings.items())[:5]))


def test_on_a_phone_no_table_is_wider_than_the_page(browser, site):
    """A table that does not fit a 390 px screen is shown as stacked rows (every cell named by its column), or,
    for a table of figures, keeps its first column pinned while the rest scrolls in a keyboard-reachable region
    under a line that says so."""
    base, root = site
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    unusable: list[str] = []
    modes = {"stack": 0, "pin": 0}
    try:
        for url in _site_pages(root, base):
            page.goto(url)
            page.wait_for_timeout(200)
            for table in page.locator("article table").all():
                if not table.is_visible():
                    continue  # inside a closed <details>
                box = table.evaluate("""t => {
                    const wrap = t.closest(".md-typeset__scrollwrap"), first = t.querySelector("tbody td");
                    const before = first.nextElementSibling.getBoundingClientRect().left;
                    wrap.scrollLeft = wrap.scrollWidth;  // scrolled to the end, the first column is still in view
                    const pinned = wrap.scrollLeft > 0 && before - first.nextElementSibling.getBoundingClientRect().left > 50
                        && first.getBoundingClientRect().left >= wrap.getBoundingClientRect().left - 1;
                    wrap.scrollLeft = 0;
                    return {wide: wrap.scrollWidth > wrap.clientWidth + 1 || t.getBoundingClientRect().right > innerWidth,
                            width: t.scrollWidth, room: wrap.clientWidth,
                            stacked: t.hasAttribute("data-mk-stack"), pinned,
                            region: wrap.getAttribute("tabindex") === "0" && !!wrap.getAttribute("aria-label"),
                            cue: !!(wrap.previousElementSibling && wrap.previousElementSibling.matches(".mk-scroll-cue")),
                            unlabelled: [...t.querySelectorAll("tbody td")].filter(td => !td.dataset.label).length}}""")
                where = f"{url[len(base):]}: a table {box['width']} px wide in {box['room']} px"
                if box["stacked"]:
                    modes["stack"] += 1
                    if box["wide"] or box["unlabelled"]:
                        unusable.append(where + " (stacked, but still too wide or with unnamed cells)")
                elif box["wide"]:
                    modes["pin"] += 1
                    if not (box["pinned"] and box["region"] and box["cue"]):
                        unusable.append(where + f" (pinned first column {box['pinned']}, focusable region "
                                                f"{box['region']}, scroll cue {box['cue']})")
    finally:
        context.close()
    assert unusable == []
    assert modes["stack"] >= 3 and modes["pin"] >= 3, modes


def test_agenda_checkboxes_are_empty_until_ticked_on_screen_and_in_print(page, site):
    page, watch = page
    ws = load_workspace(REPO)
    first = ws.programs["grow"].session_plan[0]
    page.goto(site[0] + f"programs/grow/agendas/{first}/")
    boxes = page.locator("article ul.mk-checklist input[type=checkbox]")
    assert boxes.count() >= 2
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        assert boxes.first.is_visible(), "the browser's own checkbox is drawn"
        assert not boxes.first.is_checked()
        assert boxes.first.evaluate("b => getComputedStyle(b).appearance") in ("auto", "checkbox")
    boxes.first.check()
    assert boxes.first.is_checked()
    watch.check()


def test_on_a_phone_charts_are_legible_and_pages_do_not_overflow(browser, site):
    base, root = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(base + "programs/grow/results/")
        charts = page.locator("article svg.mk-chart")
        assert charts.count() >= 2
        for i in range(charts.count()):
            # rendered text size = font-size x (drawn width / viewBox width)
            size = charts.nth(i).evaluate("""s => parseFloat(s.querySelector("g").getAttribute("font-size"))
                                               * s.getBoundingClientRect().width / s.viewBox.baseVal.width""")
            assert size >= 11, f"chart {i} text renders at {size:.1f} px"
        assert "Target" in (charts.first.text_content() or ""), "the dashed target line has a legend"
        for url in _site_pages(root, base):
            page.goto(url)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} is {overflow} px wider than the phone"
            # any table wider than the phone scrolls inside a region the keyboard can reach
            for wrap in page.locator(".md-typeset__scrollwrap").all():
                if wrap.evaluate("w => w.scrollWidth > w.clientWidth + 1"):
                    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("aria-label"), url
    finally:
        context.close()


def test_desktop_charts_use_the_text_column_at_a_readable_size(page, site):
    page, watch = page
    page.goto(site[0] + "programs/grow/results/")
    chart = page.locator("article svg.mk-chart").first
    size = chart.evaluate("""s => parseFloat(s.querySelector("g").getAttribute("font-size"))
                                 * s.getBoundingClientRect().width / s.viewBox.baseVal.width""")
    assert 12 <= size <= 20, f"chart text renders at {size:.1f} px"
    watch.check()


def test_the_next_session_is_the_readers_own(browser, site):
    """dates.js picks the card for the reader's today; without scripts the first session shows, titled as the first."""
    base, _ = site
    url = base + "programs/grow/"
    for today, title, shown, label in (
        ("2026-03-01T10:00:00", "Your next session", "Thursday 12 March 2026", "Thu 12 Mar 2026 (next)"),
        ("2026-03-12T18:00:00", "Your next session", "Thursday 12 March 2026", "Thu 12 Mar 2026 (next)"),
        ("2027-02-01T10:00:00", "The program has ended", "ended on 18 December 2026", None),
    ):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        watch = Watch(page, base)
        page.clock.set_fixed_time(dt.datetime.fromisoformat(today))
        page.goto(url)
        visible = page.locator("[data-mk-next] > :not([hidden])")
        assert visible.count() == 1, today
        assert title in visible.inner_text() and shown in visible.inner_text(), today
        assert visible.bounding_box()["y"] < 844, "the card is on the first screen of a phone"
        labels = page.locator(".mk-next-label")
        if label:
            assert page.evaluate("() => document.querySelector('.mk-next-label').previousElementSibling.textContent"
                                 " + document.querySelector('.mk-next-label').textContent") == label
        else:
            assert labels.count() == 0
        watch.check()
        context.close()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url)
    visible = page.locator("[data-mk-next] > :not([hidden])")
    assert visible.count() == 1 and "Your first session" in visible.inner_text()
    assert "Tuesday 13 January 2026" in visible.inner_text()
    context.close()


def test_print_titles_are_black_and_tables_break_between_rows(page, site):
    page, watch = page
    page.emulate_media(media="print")
    page.goto(site[0] + "programs/grow/")
    colours = page.evaluate("() => [...document.querySelectorAll('article h1, article h2, article h3')]"
                            ".map(h => getComputedStyle(h).color)")
    assert colours and set(colours) == {"rgb(0, 0, 0)"}, "titles print black, not Material's grey"
    displays = page.evaluate("() => [...document.querySelectorAll('article table')].map(t => "
                             "[getComputedStyle(t).display, getComputedStyle(t.closest('.md-typeset__table')).display])")
    assert displays and all(d == ["table", "block"] for d in displays), "an inline-block table cannot break"
    watch.check()
