"""HTML to plain text for an e-mail's text part: headings, lists, tables and tips in words.

No ``##``, pipes, ``!!!`` or ``**`` are left; paragraphs are wrapped at 72 characters and a link keeps its
address in brackets.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}


class _Text(HTMLParser):
    """HTML to plain text: headings on their own line, list items as "- ", table rows as "header: value" lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is ordered, items so far]
        self.prefix = ""
        self.heading: str | None = None
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.title = False
        self.href: str | None = None
        self.link_text: list[str] = []

    def flush(self, *, raw: bool = False) -> None:
        text = "".join(self.current)
        self.current = []
        if not raw:
            text = " ".join(text.split())
        if not text.strip():
            return
        if self.heading in ("h1", "h2"):
            text = text.upper()
        if self.title:
            text = text.rstrip(":") + ":"
        if raw:
            self.blocks.append(text.rstrip("\n"))
        elif self.prefix:
            self.blocks.append(textwrap.fill(text, 72, initial_indent=self.prefix,
                                             subsequent_indent=" " * len(self.prefix)))
        else:
            self.blocks.append(textwrap.fill(text, 72))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cell is not None:
            if tag == "br":
                self.cell.append(" ")
            return
        if tag in BLOCKS or tag == "li":
            self.flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            ordered, n = self.lists[-1]
            self.prefix = "  " * (len(self.lists) - 1) + (f"{n}. " if ordered else "- ")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = tag
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "p" and dict(attrs).get("class") == "admonition-title":
            self.title = True
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.table is not None and self.table:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
            return
        if self.cell is not None:
            return
        if tag == "table" and self.table is not None:
            self.blocks.extend(_table_lines(self.table))
            self.table = None
            return
        if tag == "a":  # plain text keeps where a link goes
            shown = "".join(self.link_text).strip()
            if self.href and self.href not in (shown, f"mailto:{shown}"):
                self.current.append(f" ({self.href.removeprefix('mailto:')})")
            self.href = None
            return
        if tag == "pre":
            self.flush(raw=True)
            return
        if tag in BLOCKS or tag == "li":
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.prefix = ""
        elif tag == "li":
            self.prefix = ""
        elif tag.startswith("h") and tag[1:].isdigit():
            self.heading = None
        elif tag == "p":
            self.title = False

    def handle_data(self, data: str) -> None:
        (self.cell if self.cell is not None else self.current).append(data)
        if self.href is not None:
            self.link_text.append(data)


def _table_lines(rows: list[list[str]]) -> list[str]:
    """A table as one line per row: "- header: value; header: value" (the header row names the values)."""
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    if not body:
        return ["- " + "; ".join(c for c in header if c)]
    lines = []
    for row in body:
        cells = [f"{h}: {c}" if h else c for h, c in zip(header, row, strict=False) if c]
        lines.append("- " + "; ".join(cells))
    return ["\n".join(lines)]


def to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (see `_Text`): paragraphs wrapped at 72 characters, a blank line apart."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    parser.flush()
    out: list[str] = []
    for block in parser.blocks:
        item = block.lstrip().startswith(("- ", "1. ")) or re.match(r"\s*\d+\. ", block)
        if out and item and (out[-1].lstrip().startswith("- ") or re.match(r"\s*\d+\. ", out[-1])):
            out[-1] += "\n" + block  # items of one list stay together
        else:
            out.append(block)
    return "\n\n".join(out).strip() + "\n"
