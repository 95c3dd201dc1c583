"""The quick inline extension (site/quick_inline.py) changes no page: the same HTML with it as without it.

Compared on every hand-written page of the kit, every generated page of the demo, and Markdown made to hit
each inline pattern at the edges (emphasis, code, escapes, links, autolinks, raw HTML, entities, line breaks);
and an extension that adds an inline pattern of its own turns the quick way off.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import markdown
import pytest
from markdown.inlinepatterns import SimpleTagInlineProcessor

from mentorkit.repo.load import load_workspace
from mentorkit.site.build import site_content
from mentorkit.site.quick_inline import QuickInlineExtension, QuickInlineProcessor, only_known_patterns

REPO = Path(__file__).resolve().parent.parent
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "def_list", "toc", "pymdownx.details",
              "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist"]  # as mkdocs.yml lists them
CONFIGS = {"toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True},
           "pymdownx.tasklist": {"custom_checkbox": False}}

EDGES = [
    "plain words, numbers 1,234.5 and punctuation: (a) {b} ; 'c' \"d\" ~ ^ = + | / ? ! # % $ @",
    "*em* **strong** ***both*** _em_ __strong__ a*b*c a_b_c snake_case_name 2*3*4 * not em *",
    "`code` ``co`de`` \\`not code\\` \\*not em\\* \\_ \\\\ \\[ back\\slash",
    "[link](https://example.org) [ref][r] [r] ![img](x.png) ![ref][r] [unclosed ![ \n\n[r]: https://r.example",
    "<https://example.org> <mailto:a@b.org> <a@b.org> <span class=\"x\">raw</span> a < b > c <b>bold</b>",
    "&amp; &copy; &#169; &#xA9; & alone AT&T &unknown; &;",
    "## Fish &amp; chips &copy; &#169;\n\nTitle &lt;b&gt; *x*\n===\n\n# Sharp &#35; sign { #s }",
    "line one  \nline two\\\nline three   \n  indented",
    "| a | b |\n|---|--:|\n| 1 | *2* |\n| `3` | [4](x.md) |\n| plain | cells |",
    "- item\n- *item*\n    - nested `code`\n\n1. one\n2. two_three",
    "!!! note \"Title *em*\"\n\n    body with **bold** and plain",
    "Term\n:   definition with _em_ and plain\n\n## Heading *em* { #id .cls }\n\nPara {: .x }",
    "- [ ] task\n- [x] done *em*",
    "=== \"Tab *one*\"\n\n    plain\n\n=== \"Two\"\n\n    `code`",
    "<div markdown=\"1\">\n*inside* html and plain\n</div>",
    "```python\nx = a * b_c  # not markdown\n```\n\nafter *fence*",
    "text with\x02 odd\x03 characters and \u2028 separators\xa0and é",
]


def _convert(text: str, quick: bool, extensions: list | None = None) -> tuple[str, object]:
    """The HTML and the table of contents (MkDocs and Material write the page's toc from it)."""
    exts: list = [*(extensions or EXTENSIONS)]
    if quick:
        exts.append(QuickInlineExtension())
    md = markdown.Markdown(extensions=exts, extension_configs=CONFIGS)
    return md.convert(text), getattr(md, "toc_tokens", None)


def _pages() -> list[str]:
    hand_written = [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").rglob("*.md"))]
    generated = list(site_content(load_workspace(REPO)).pages.values())
    return [*hand_written, *generated]


def test_every_page_of_the_demo_site_is_the_same_html_with_the_quick_way():
    pages = _pages()
    assert len(pages) > 40
    for text in pages:
        assert _convert(text, quick=True) == _convert(text, quick=False)


@pytest.mark.parametrize("text", EDGES)
def test_markdown_at_the_edges_of_each_inline_pattern_is_the_same_html(text):
    assert _convert(text, quick=True) == _convert(text, quick=False)


def test_random_mixtures_of_inline_markdown_are_the_same_html():
    pieces = [w for text in EDGES for w in re.split(r"(\s+)", text)] + ["*", "_", "`", "\\", "[", "]", "(", ")",
                                                                        "<", ">", "&", "  \n", "\n\n", "!", "|"]
    rng = random.Random(27)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert _convert(text, quick=True) == _convert(text, quick=False), text


def test_the_quick_way_is_taken_with_markdowns_own_patterns():
    md = markdown.Markdown(extensions=[*EXTENSIONS, QuickInlineExtension()], extension_configs=CONFIGS)
    assert isinstance(md.treeprocessors["inline"], QuickInlineProcessor)
    assert only_known_patterns(md) is not None
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    assert [type(t).__name__ for t in md.treeprocessors] == [
        "QuickInlineProcessor" if type(t).__name__ == "InlineProcessor" else type(t).__name__
        for t in plain.treeprocessors], "in the same place among the tree processors"


class _Mark(markdown.Extension):
    """An inline pattern the quick way does not know: ==marked== text, with no character it looks for."""

    def extendMarkdown(self, md):
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()==(.+?)==", "mark"), "mark", 65)


def test_an_extension_with_an_inline_pattern_of_its_own_turns_the_quick_way_off():
    md = markdown.Markdown(extensions=[*EXTENSIONS, _Mark(), QuickInlineExtension()], extension_configs=CONFIGS)
    assert only_known_patterns(md) is None
    assert md.convert("a ==marked== word") == "<p>a <mark>marked</mark> word</p>"
    assert _convert("==x== and *y*", quick=True, extensions=[*EXTENSIONS, _Mark()]) == _convert(
        "==x== and *y*", quick=False, extensions=[*EXTENSIONS, _Mark()])
