"""The one policy for raw HTML on the site: scripts, event handlers and script URLs are stripped.

Coordinators write agendas and handbook pages in Markdown, and Markdown lets
raw HTML through. Every page's rendered HTML passes through `clean` before
MkDocs writes it, so whatever reached it (a `<script>` in a handbook page, an
`onerror` in an agenda, a `javascript:` link in a contact, or a value the kit
forgot to escape) cannot run in a reader's browser.

Why strip rather than refuse: the check runs on the HTML the browser will
read, after Markdown, placeholders and the kit's own pages have all been
turned into HTML, so there is no second parser whose reading could differ
from the one that is checked; a harmless embed a coordinator pasted keeps the
rest of its page published. What was removed is listed in the build log.

The HTML is parsed with the standard library's parser and written out again
from what it parsed (every attribute quoted and escaped, every text escaped),
so what the browser reads is exactly what was checked.

The parser is slow for a page of tables (a third of a second per site), so `clean` first reads the page
with one regular expression that accepts only the plain HTML Markdown writes (text, and start and end tags
with lower- or upper-case names and double-quoted attributes), hands each piece to the same handlers the parser
would call with the same arguments, and leaves anything else (comments, <script> and <style> whose content
the parser reads raw, unquoted attributes, a stray "<") to the parser, for the whole page.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements dropped with everything inside them: they run code, load other documents or change where links go.
DROPPED = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
                     "noscript", "template", "animate", "set", "animatetransform", "animatemotion", "handler",
                     "listener"})
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background",
                            "cite", "longdesc", "usemap", "srcset", "ping", "lowsrc", "dynsrc", "manifest",
                            "codebase", "archive", "classid", "profile"})
ALWAYS_DROPPED_ATTRIBUTES = frozenset({"srcdoc", "formaction"})
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_TAG = re.compile(r"[a-z][a-z0-9\-]*")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]+")


def safe_url(value: str) -> bool:
    """True for relative links and http(s), mailto and tel links; False for javascript:, data: and the rest."""
    compact = _INVISIBLE.sub("", html.unescape(value)).lower()
    match = _SCHEME.match(compact)
    return match is None or (match.group(0) in SAFE_SCHEMES)


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []
        self.dropping: list[str] = []  # open dropped elements (their content goes too)
        self.in_style = False  # the parser hands over a <style>'s text raw, up to its end tag

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if name.startswith("on") or name in ALWAYS_DROPPED_ATTRIBUTES:
                self.removed.append(f"the {name} attribute of <{tag}>")
                continue
            if value is not None and name in URL_ATTRIBUTES and not all(
                    safe_url(v.strip().split(" ")[0]) for v in (value.split(",") if name == "srcset" else [value])):
                self.removed.append(f"a script link in <{tag} {name}>")
                continue
            if not re.fullmatch(r"[a-z_:][a-z0-9_.:\-]*", name):
                self.removed.append(f"the attribute {name!r} of <{tag}>")
                continue
            parts.append(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"')
        return "".join(parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag in DROPPED and not closed and tag not in VOID:
                self.dropping.append(tag)
            return
        if not _TAG.fullmatch(tag):  # not a tag a browser would read the same way: shown as text
            self.out.append(html.escape(self.get_starttag_text() or "", quote=False))
            self.removed.append(f"a malformed tag <{tag}> (shown as text)")
            return
        if tag in DROPPED:
            self.removed.append(f"<{tag}>")
            if not closed and tag not in VOID and tag not in {"base", "meta", "link"}:
                self.dropping.append(tag)
            return
        self.out.append(f"<{tag}{self._attributes(tag, attrs)}{' /' if closed else ''}>")
        self.in_style = tag == "style" and not closed

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in DROPPED or not _TAG.fullmatch(tag):
            return
        self.in_style = False
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        self.out.append(data if self.in_style else html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass  # comments are dropped: browsers end them in more ways than one parser knows

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


# One step through plain HTML: the text up to the next "<", then a start tag (name, attributes, "/" of a
# self-closing tag), an end tag, or the end of the page. A subset of what html.parser reads, which it reads
# the same way: names it lower-cases, values in double quotes (unescaped), text between tags (unescaped).
_STEP = re.compile(r'([^<]*)(?:<(?:([a-zA-Z][a-zA-Z0-9-]*)((?: +[a-zA-Z_:][a-zA-Z0-9_.:-]*(?:="[^"]*")?)*) *(/?)>'
                   r'|/([a-zA-Z][a-zA-Z0-9-]*)>)|\Z)')
_ATTRIBUTE = re.compile(r' +([a-zA-Z_:][a-zA-Z0-9_.:-]*)(?:(=")([^"]*)")?')
# Elements whose content html.parser reads raw, or as text (which ones depends on the Python version): the
# parser's way.
_RAW = frozenset({*HTMLParser.CDATA_CONTENT_ELEMENTS, *getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()), "plaintext"})


def _attribute_list(text: str) -> list[tuple[str, str | None]]:
    """The attributes of a start tag matched by `_STEP`, as html.parser hands them over."""
    return [(name.lower(), html.unescape(value) if quoted else None)
            for name, quoted, value in _ATTRIBUTE.findall(text)]


def _feed_plain(cleaner: _Cleaner, fragment: str) -> bool:
    """Hand the fragment to the cleaner's handlers as html.parser would; False (and nothing sure about the cleaner)
    at the first thing that is not plain HTML."""
    step, unescape = _STEP.match, html.unescape
    data, start, end = cleaner.handle_data, cleaner._start, cleaner.handle_endtag
    pos = 0
    while (m := step(fragment, pos)) is not None:
        text, tag, attributes, closed, end_tag = m.groups()
        if text:
            data(unescape(text) if "&" in text else text)
        if tag:
            tag = tag.lower()
            if tag in _RAW:
                return False
            start(tag, _attribute_list(attributes) if attributes else [], bool(closed))
        elif end_tag:
            end(end_tag.lower())
        else:
            return True
        pos = m.end()
    return False


def clean(fragment: str) -> tuple[str, list[str]]:
    """The HTML fragment without scripts, event handlers and script links, and a list of what was removed."""
    cleaner = _Cleaner()
    if not _feed_plain(cleaner, fragment):
        cleaner = parsed(fragment)
    return "".join(cleaner.out), sorted(set(cleaner.removed))


def parsed(fragment: str) -> _Cleaner:
    """The fragment read by html.parser: what `clean` does with anything but plain HTML (and what tests compare
    its quick way with)."""
    cleaner = _Cleaner()
    cleaner.feed(fragment)
    cleaner.close()
    return cleaner
