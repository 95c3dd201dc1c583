"""Nothing a coordinator writes runs in a reader's browser: escaped titles and labels, safe links, stripped HTML.

The slow test builds the demo with the attack strings of issue 24 planted in a
program title, an agenda's front-matter title, a contact, a vocabulary label,
an agenda body and a handbook page, then reads every published page with the
standard library's HTML parser (not the kit's) and looks for anything that
would run.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mentorkit.site.sanitize import clean, safe_url
from mentorkit.site.text import contact_how
from test_site_build import copy_workspace, mkdocs_build


@pytest.mark.parametrize(("dirty", "kept", "gone"), [
    ("<p>Hi</p><script>alert(1)</script>", "<p>Hi</p>", "alert"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>", "script:"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>", "alert"),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "<svg><a>x</a></svg>", "javascript"),
    ('<iframe src="https://example.org"></iframe><p>after</p>', "<p>after</p>", "iframe"),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "<svg></svg>", "animate"),
    ("<scr<script>ipt>alert(1)</script>", "&lt;scr&lt;script&gt;ipt&gt;alert(1)", "<script"),
    ('<form action="javascript:alert(1)"><button formaction="x">b</button></form>', "<form><button>b</button></form>",
     "action"),
])
def test_clean_strips_what_would_run_and_keeps_the_rest(dirty, kept, gone):
    cleaned, removed = clean(dirty)
    assert cleaned == kept
    assert gone not in cleaned
    assert removed, "what was removed is reported"


def test_clean_keeps_the_kits_own_markup():
    page = ('<figure class="mk-figure" id="c"><svg viewBox="0 0 10 10" role="img"><title>A &amp; B</title>'
            '<rect x="1" width="2"/></svg></figure><table><tr><td data-label="Goal">1 &lt; 2</td></tr></table>'
            '<ul class="mk-checklist"><li><label><input type="checkbox"> Read</label></li></ul>'
            '<a href="../grow/">Grow</a> <a href="mailto:hr@example.org">HR</a><style>a>b{color:red}</style>')
    cleaned, removed = clean(page)
    assert removed == []
    assert cleaned.replace("viewbox", "viewBox").replace("<rect x=\"1\" width=\"2\" />", '<rect x="1" width="2"/>') == page


def test_only_http_mailto_and_relative_links_are_safe():
    assert all(safe_url(u) for u in ("https://x.org", "http://x.org", "mailto:a@b.org", "../x/", "#top", "tel:+491"))
    assert not any(safe_url(u) for u in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "JAVASCRIPT:x"))


def test_contacts_keep_only_http_and_mailto_links():
    assert contact_how("[the team](mailto:team@example.org)") == "[the team](mailto:team@example.org)"
    assert contact_how("[intranet](https://intra.example.org/hr)") == "[intranet](https://intra.example.org/hr)"
    assert contact_how("[Click me](javascript:alert(3))") == "Click me"
    assert contact_how("[x](&#106;avascript:alert(1))") == "x"
    assert contact_how("![tracker](https://evil.example/t.png)") == "tracker"
    assert contact_how("<img src=x onerror=alert(4)>") == "&lt;img src=x onerror=alert(4)&gt;"
    assert contact_how('Post in the #mentoring channel "Mentoring"') == 'Post in the #mentoring channel "Mentoring"'


class _Runnable(HTMLParser):
    """Anything in a page that would run: a script with the attack's code, a handler, a script link, an image."""

    def __init__(self, name: str, found: list[str]):
        super().__init__()
        self.name, self.found, self.in_script = name, found, False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for key, value in attrs:
            if key.startswith("on"):
                self.found.append(f"{self.name}: <{tag} {key}>")
            if value and key in ("href", "src", "action") and not safe_url(value):
                self.found.append(f"{self.name}: <{tag} {key}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append(f"{self.name}: the attacker's <img>")

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(f"{self.name}: <script>{data[:40]}")


ATTACKS = {
    "program/grow.yaml": [("title: Grow — one-to-one mentoring for upskilling",
                           'title: "Grow <script>alert(1)</script> </title><script>alert(2)</script>"'),
                          ("how: Raise it through the coordinator for the monthly people-leadership forum",
                           'how: "[Click me](javascript:alert(3)) or <img src=x onerror=alert(4)>"')],
    "agendas/first-meeting.md": [("title: First meeting", 'title: "First <img src=x onerror=alert(5)> meeting"'),
                                 ("\n## ", "\n<script>alert(6)</script>\n\n## ")],
    "docs/handbooks/mentor.md": [("\n## ", '\n<script>alert(7)</script>\n<a href="javascript:alert(8)" '
                                           'onclick="alert(9)">x</a>\n\n## ')],
    "participants/vocabulary.yaml": [("label: Leading change\n", 'label: "Leading <img src=x onerror=alert(10)> change"\n')],
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("attacked"))
    for rel, edits in ATTACKS.items():
        text = (root / rel).read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        (root / rel).write_text(text, encoding="utf-8")
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.mark.slow
def test_the_built_site_runs_none_of_the_attack_strings(attacked):
    found: list[str] = []
    pages = sorted(attacked.rglob("*.html"))
    assert len(pages) > 40
    for html_file in pages:
        _Runnable(str(html_file.relative_to(attacked)), found).feed(html_file.read_text(encoding="utf-8"))
    assert found == []
    index = json.loads((attacked / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if re.search(r"<(script|img)\b", d["title"] + d["text"])]


@pytest.mark.slow
def test_the_attack_strings_show_as_text_where_they_were_written(attacked):
    grow = (attacked / "programs" / "grow" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", grow, re.S)
    assert title and title.group(1).startswith("Grow &lt;script&gt;alert(1)&lt;/script&gt; &lt;/title&gt;")
    assert "Click me" in grow and "javascript:" not in grow  # the contact's text stays, its link does not
    agenda = (attacked / "programs" / "grow" / "agendas" / "first-meeting" / "index.html").read_text(encoding="utf-8")
    assert "First &lt;img src=x onerror=alert(5)&gt; meeting" in agenda  # the heading, nav and tab show the title
    before = (attacked / "programs" / "grow" / "agendas" / "kickoff" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Next: First &lt;img src=x onerror=alert(5)&gt; meeting"' in before, "escaped once"
    results = (attacked / "programs" / "lead-circles" / "results" / "index.html").read_text(encoding="utf-8")
    assert results.count("Leading &lt;img src=x onerror=alert(10)&gt; change") >= 2, "in the skills table and chart"


@pytest.mark.slow
def test_calendar_text_keeps_the_title_as_text_and_its_structure(attacked):
    import vobject

    raw = (attacked / "calendar" / "grow.ics").read_text(encoding="utf-8")
    cal = vobject.readOne(raw)
    assert raw.count("BEGIN:VEVENT") == len(cal.vevent_list) > 0, "no text opens an event of its own"
    kickoff = cal.vevent_list[0]
    # a calendar is not HTML: the title is there as written (escaped as iCalendar text, read back unchanged)
    assert "Grow <script>alert(1)</script>" in kickoff.summary.value + kickoff.description.value


@pytest.mark.slow
def test_a_handwritten_heading_is_escaped_once_in_the_browser_tab(tmp_path):
    root = copy_workspace(tmp_path)
    faq = root / "docs" / "faq.md"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(re.sub(r"^# .*$", "# Q&amp;A &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;", text, count=1,
                          flags=re.M), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("- FAQ: faq.md", "- faq.md"), encoding="utf-8")
    assert mkdocs_build(root, root / "site").returncode == 0  # the page's title now comes from its heading
    page = (root / "site" / "faq" / "index.html").read_text(encoding="utf-8")
    assert "<title>Q&amp;A &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - " in page
