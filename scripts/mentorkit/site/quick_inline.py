"""A Markdown extension: text with no inline Markdown in it is not searched for inline Markdown.

Python-Markdown tries each of its inline patterns (code, escapes, links,
images, autolinks, line breaks, raw HTML, entities, emphasis) on every piece of
text of a page, one regular expression after another: a table cell that reads
"12" or "Level 3" is searched fourteen times. Four pieces of text in five on the
kit's pages are plain, and skipping them takes a sixth off the site's Markdown
time. Every one of those patterns needs one of the characters in `TRIGGERS` (or
two spaces before a line break), so a text without any of them comes out of the
patterns as it went in; this extension returns it at once.

It only does so while the inline patterns are exactly Python-Markdown's own
(`KNOWN`, checked on every page by name, class and regular expression): an
extension that adds or changes one turns it off for the pages it is used on, and
each text is searched as before. tests/test_quick_inline.py converts the kit's
pages and hostile Markdown both ways and compares the HTML.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

# Every inline pattern Python-Markdown registers, by name: (its class, its regular expression); each needs one
# of `TRIGGERS`, or "  \n" (the line break), to match at all.
KNOWN: dict[str, tuple[type, str]] = {
    "backtick": (inlinepatterns.BacktickInlineProcessor, inlinepatterns.BACKTICK_RE),
    "escape": (inlinepatterns.EscapeInlineProcessor, inlinepatterns.ESCAPE_RE),
    "reference": (inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE),
    "link": (inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE),
    "image_link": (inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE),
    "image_reference": (inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE),
    "short_reference": (inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE),
    "short_image_ref": (inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE),
    "autolink": (inlinepatterns.AutolinkInlineProcessor, inlinepatterns.AUTOLINK_RE),
    "automail": (inlinepatterns.AutomailInlineProcessor, inlinepatterns.AUTOMAIL_RE),
    "linebreak": (inlinepatterns.SubstituteTagInlineProcessor, inlinepatterns.LINE_BREAK_RE),
    "html": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.HTML_RE),
    "entity": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.ENTITY_RE),
}
DELIMITERS = ("em_strong", "*", "_")  # the emphasis pattern's name and the delimiters it is made of
# `` ` `` and "\" (code, escapes), "[" (links, images, references), "<" (autolinks, raw HTML), "&" (entities),
# "*" and "_" (emphasis); STX and ETX mark text Markdown has put aside (never plain).
TRIGGERS = "`\\[<&*_" + util.STX + util.ETX
INLINE_PRIORITY = 20  # where Python-Markdown registers its inline processor (a test checks the order is kept)
_PLAIN = re.compile(f"[^{re.escape(TRIGGERS)}]*")


def only_known_patterns(md: Markdown) -> bool:
    """Whether the inline patterns are exactly Python-Markdown's own, in any order."""
    patterns = md.inlinePatterns
    if len(patterns) != len(KNOWN) + 1 or any(name not in patterns for name in (*KNOWN, DELIMITERS[0])):
        return False
    for name, (cls, regex) in KNOWN.items():
        p = patterns[name]
        if type(p) is not cls or getattr(p, "pattern", None) != regex or p.ANCESTOR_EXCLUDES:
            return False
    emphasis = patterns[DELIMITERS[0]]
    return getattr(emphasis, "pattern", None) == r"\*|_" and not emphasis.ANCESTOR_EXCLUDES


class QuickInlineProcessor(InlineProcessor):
    """Markdown's inline processor, returning plain text without trying each pattern on it."""

    quick = False  # set for each page by `run`

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self.quick = only_known_patterns(self.md)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # the name the parent class calls its own (private) method by
        if self.quick and _PLAIN.fullmatch(data) and "  \n" not in data:
            return data
        handle: Any = super()._InlineProcessor__handleInline  # type: ignore[misc]
        return handle(data, patternIndex)  # type: ignore[no-any-return]


class QuickInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
            md.treeprocessors.register(QuickInlineProcessor(md), "inline", INLINE_PRIORITY)
