"""A Markdown extension: text with no inline Markdown in it is not searched for inline Markdown.

Python-Markdown tries each of its inline patterns (code, escapes, links,
images, autolinks, line breaks, raw HTML, entities, emphasis) on every piece of
text of a page, one regular expression after another: a table cell that reads
"12" or "Level 3" is searched fourteen times. Four pieces of text in five on the
kit's pages are plain, and skipping them takes a sixth off the site's Markdown
time. Every one of those patterns needs one of the characters in `TRIGGERS` (or
two spaces before a line break), so a text without any of them comes out of the
patterns as it went in; this extension returns it at once. Likewise a pattern is
not tried on text without what every match of it holds (a link's "[", an
entity's "&": `KNOWN`).

It only does so while the inline patterns are exactly Python-Markdown's own
(`KNOWN`, checked on every page by name, class and regular expression): an
extension that adds or changes one turns it off for the pages it is used on, and
each text is searched as before. It overrides two private methods of
Python-Markdown's inline processor by the names the processor calls them by; were
they renamed, it would do nothing. tests/test_quick_inline.py converts the kit's
pages and hostile Markdown both ways and compares the HTML.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# Every inline pattern Python-Markdown registers, by name: its class, its regular expression, and what every
# match of it holds (a regular expression too): one of `TRIGGERS`, or "  \n" (the line break).
KNOWN: dict[str, tuple[type, str, str]] = {
    "backtick": (inlinepatterns.BacktickInlineProcessor, inlinepatterns.BACKTICK_RE, r"[`\\]"),
    "escape": (inlinepatterns.EscapeInlineProcessor, inlinepatterns.ESCAPE_RE, r"\\"),
    "reference": (inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, r"\["),
    "link": (inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, r"\["),
    "image_link": (inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, r"\["),
    "image_reference": (inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, r"\["),
    "short_reference": (inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, r"\["),
    "short_image_ref": (inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE,
                        r"\["),
    "autolink": (inlinepatterns.AutolinkInlineProcessor, inlinepatterns.AUTOLINK_RE, "<"),
    "automail": (inlinepatterns.AutomailInlineProcessor, inlinepatterns.AUTOMAIL_RE, "<"),
    "linebreak": (inlinepatterns.SubstituteTagInlineProcessor, inlinepatterns.LINE_BREAK_RE, "  \n"),
    "html": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.HTML_RE, "<"),
    "entity": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.ENTITY_RE, "&"),
}
EMPHASIS = ("em_strong", r"\*|_", r"[*_]")  # the emphasis pattern: its name, expression and what it holds
# `` ` `` and "\" (code, escapes), "[" (links, images, references), "<" (autolinks, raw HTML), "&" (entities),
# "*" and "_" (emphasis); STX and ETX mark text Markdown has put aside (never plain).
TRIGGERS = "`\\[<&*_" + util.STX + util.ETX
INLINE_PRIORITY = 20  # where Python-Markdown registers its inline processor (a test checks the order is kept)
_PLAIN = re.compile(f"[^{re.escape(TRIGGERS)}]*")
_HOLDS = {name: re.compile(holds) for name, (_, _, holds) in KNOWN.items()}
_HOLDS[EMPHASIS[0]] = re.compile(EMPHASIS[2])


def only_known_patterns(md: Markdown) -> dict[int, re.Pattern[str]] | None:
    """When the inline patterns are exactly Python-Markdown's own (in any order): what each one's matches hold,
    by the pattern's id; else None."""
    patterns = md.inlinePatterns
    if len(patterns) != len(KNOWN) + 1 or any(name not in patterns for name in (*KNOWN, EMPHASIS[0])):
        return None
    for name, (cls, regex, _) in KNOWN.items():
        p = patterns[name]
        if type(p) is not cls or getattr(p, "pattern", None) != regex or p.ANCESTOR_EXCLUDES:
            return None
    emphasis = patterns[EMPHASIS[0]]
    if getattr(emphasis, "pattern", None) != EMPHASIS[1] or emphasis.ANCESTOR_EXCLUDES:
        return None
    return {id(patterns[name]): holds for name, holds in _HOLDS.items()}


class QuickInlineProcessor(InlineProcessor):
    """Markdown's inline processor, not trying a pattern on text that lacks what every match of it holds (and so
    returning plain text at once)."""

    holds: dict[int, re.Pattern[str]] | None = None  # set for each page by `run`

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self.holds = only_known_patterns(self.md)
        return super().run(tree, ancestors)

    # The names the parent class calls its own (private) methods by.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if self.holds is not None and _PLAIN.fullmatch(data) and "  \n" not in data:
            return data
        handle: Any = super()._InlineProcessor__handleInline  # type: ignore[misc]
        return handle(data, patternIndex)  # type: ignore[no-any-return]

    def _InlineProcessor__applyPattern(self, pattern: Any, data: str, patternIndex: int,
                                       startIndex: int = 0) -> tuple[str, bool, int]:
        if self.holds is not None and self.holds[id(pattern)].search(data, startIndex) is None:
            return data, False, 0  # what the parent returns when the pattern does not match
        apply: Any = super()._InlineProcessor__applyPattern  # type: ignore[misc]
        return apply(pattern, data, patternIndex, startIndex)  # type: ignore[no-any-return]


class QuickInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
            md.treeprocessors.register(QuickInlineProcessor(md), "inline", INLINE_PRIORITY)
