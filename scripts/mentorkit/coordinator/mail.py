"""What every message a program sends shares: its template, its two bodies and a meeting time people can make.

- `workspace_with_template`: the workspace and one of its e-mail templates, Markdown files under templates/ with
  front matter (``subject:`` and, for some kinds, other keys). The loader checks every template once, against
  the catalogue of `model.templates` (the names each kind fills in): an unknown placeholder is a problem with
  file, line and column, reported by `mentorkit validate` and refused here (`TemplateError`). `fill` leaves out
  a line whose placeholders are all empty for one message, so a template never promises what a pair does not
  have.
- `render`: the filled Markdown as HTML (Python-Markdown, the renderer MkDocs uses, with tables and
  admonitions) and as plain text made from that HTML (headings, lists, tables and tips in words: no ``##``,
  pipes, ``!!!`` or ``**`` left), and `message`: both as a ``multipart/alternative`` e-mail
  (`email.message.EmailMessage`), with a calendar part and attachment when there is an invitation.
- `time_in_zones`: a meeting's time as each person reads it (the time itself is found by `slots`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import textwrap
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html.parser import HTMLParser
from pathlib import Path

import markdown

from ..errors import InvalidWorkspace, MentorkitError, Problem, TemplateError
from ..model import Workspace
from ..model.templates import PLACEHOLDER, Template
from ..repo.layout import template_file
from ..repo.load import read_workspace
from ..repo.pii import EMAIL

WORKDAY = (dt.time(9, 0), dt.time(17, 0))  # a working day, in one's own time zone, where the program says nothing
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MARKDOWN_EXTENSIONS = ("tables", "admonition", "sane_lists")


def long_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def names_in_words(names: Sequence[str]) -> str:
    """"Ada", "Ada and Ben", "Ada, Ben and Cy"."""
    names = [n for n in names if n]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


# --- templates ------------------------------------------------------------------------------------


def workspace_with_template(root: Path, name: str) -> tuple[Workspace, Template]:
    """The workspace and its template `name` (see `model.templates.CATALOGUE`), checked once by the loader.

    `TemplateError` when the template is missing or when its own problems are the only ones (each with its
    line); `InvalidWorkspace` when other files have problems too (the report lists the template's as well).
    """
    rel = template_file(name)
    ws, report = read_workspace(root)
    own = [p for p in report.problems if p.file == rel]
    if own and len(own) == len(report.problems):
        raise TemplateError(own)
    if not report.ok:
        raise InvalidWorkspace(report)
    template = ws.templates.get(name)
    if template is None:
        raise TemplateError([Problem(
            rel, "missing-file", f"the message template {rel} is missing",
            hint=f"restore {rel} from the mentorkit template repository (mentorkit new writes every template)")])
    return ws, template


def template_problems(root: Path, name: str) -> list[Problem]:
    """The problems `mentorkit validate` reports for one template (none when it is missing)."""
    rel = template_file(name)
    return [p for p in read_workspace(root)[1].problems if p.file == rel]


def fill(text: str, values: Mapping[str, str], *, drop_empty: bool = True) -> str:
    """One pass (values are not scanned again); a line whose placeholders are all empty is left out."""
    def one(m: re.Match[str]) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        return values[m.group(1).strip()]

    out = []
    for line in text.split("\n"):
        names = [m.group(1) for m in PLACEHOLDER.finditer(line) if m.group(1) is not None]
        if drop_empty and names and all(not values[n.strip()].strip() for n in names):
            continue
        out.append(PLACEHOLDER.sub(one, line))
    return "\n".join(out)


# --- bodies -----------------------------------------------------------------------------------------


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")  # a name like "Ann_Lee" must not turn into emphasis


def escape_text(value: str) -> str:
    """A person's answer, to be shown as it is inside Markdown: HTML and Markdown syntax escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def escape_values(values: Mapping[str, str], markdown_names: Iterable[str]) -> dict[str, str]:
    """Values for the Markdown source: people's answers HTML-escaped, the repository's Markdown as it is."""
    keep = set(markdown_names)
    return {k: v if k in keep else escape_text(v) for k, v in values.items()}


def to_html(source: str) -> str:
    """The Markdown source as an HTML fragment (Python-Markdown: the renderer MkDocs uses)."""
    fragment: str = markdown.markdown(source, extensions=list(MARKDOWN_EXTENSIONS), output_format="html")  # untyped library
    return fragment


INLINE_STYLES = {  # mail clients drop style sheets: the few styled elements carry their style
    '<div class="admonition': '<div style="border-left: 4px solid #1b5e20; background: #f1f8f1; padding: 0.1em 1em;" '
                              'class="admonition',
    '<p class="admonition-title">': '<p class="admonition-title" style="font-weight: bold;">',
    "<table>": '<table style="border-collapse: collapse;">',
    "<th>": '<th scope="col" style="border: 1px solid #999; padding: 0.2em 0.5em; text-align: left;">',
    "<td>": '<td style="border: 1px solid #999; padding: 0.2em 0.5em;">',
}


def html_document(fragment: str, title: str) -> str:
    """A whole HTML document around a message's body: language, title, readable inline style, no remote content."""
    for plain, styled in INLINE_STYLES.items():
        fragment = fragment.replace(plain, styled)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n</head>\n"
            "<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; "
            "color: #1a1a1a; max-width: 40em;\">\n" + fragment + "\n</body>\n</html>\n")


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
        self.pre = False
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
        elif tag == "pre":
            self.pre = True
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
            self.pre = False
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


@dataclass(frozen=True)
class Bodies:
    subject: str
    text: str
    html: str


def render(template: Template, values: Mapping[str, str], markdown_names: Iterable[str] = ()) -> Bodies:
    """The subject, plain text and HTML of one message from its template and values."""
    subject = " ".join(fill(template.subject, values, drop_empty=False).split())
    fragment = to_html(fill(template.body, escape_values(values, markdown_names)))
    return Bodies(subject, to_text(fragment), html_document(fragment, subject))


# --- the message ----------------------------------------------------------------------------------


def first_name(name: str) -> str:
    """How an e-mail greets a person: the first word of their name (the name itself when it has none)."""
    words = name.split()
    return words[0] if words else name


@dataclass(frozen=True)
class Person:
    pseudonym: str
    name: str
    email: str
    time_zone: str

    @property
    def first_name(self) -> str:
        return first_name(self.name)

    def address(self) -> Address:
        username, domain = self.email.rsplit("@", 1)
        return Address(display_name=self.name, username=username, domain=domain)


def sender_address(sender: str) -> Address:
    name, addr = parseaddr(sender)
    if not addr or "@" not in addr or not EMAIL.fullmatch(addr):
        raise MentorkitError(f"'{sender}' is not an e-mail address for the sender")
    username, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def message(bodies: Bodies, to: Sequence[Person], *, today: dt.date, key: str, sender: str | None = None,
            ics: bytes | None = None) -> bytes:
    """An unsent e-mail: multipart/alternative plain text and HTML (and the invitation, if any); deterministic."""
    msg = EmailMessage(policy=policy.SMTP)
    if sender:
        msg["From"] = sender_address(sender)
    msg["To"] = [p.address() for p in to]
    msg["Subject"] = bodies.subject
    msg["Date"] = format_datetime(dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC))
    msg["Message-ID"] = f"<{key}@mentorkit>"
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft, ready to send
    msg.set_content(bodies.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(bodies.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if ics is not None:
        msg.add_alternative(ics.decode("utf-8"), subtype="calendar", charset="utf-8", cte="base64",
                            params={"method": "REQUEST"})
        msg.make_mixed()
        msg.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_mentorkit_{digest(key)[:16]}_{n}")
    return msg.as_bytes(policy=policy.SMTP)


# --- times -----------------------------------------------------------------------------------------


def time_in_zones(start: dt.datetime, people: Sequence[Person]) -> str:
    """"14:30 (Asia/Kolkata) / 09:00 (Europe/London)", each zone once, with the date where it differs."""
    shown = []
    for zone in dict.fromkeys(p.time_zone for p in people):
        local = start.astimezone(zoneinfo.ZoneInfo(zone))
        shown.append(f"{local.strftime('%H:%M')} ({zone})"
                     + ("" if local.date() == start.date() else f" on {short_date(local.date())}"))
    return " / ".join(shown)


__all__ = [
    "Bodies",
    "Person",
    "Template",
    "fill",
    "first_name",
    "message",
    "names_in_words",
    "render",
    "sender_address",
    "template_problems",
    "time_in_zones",
    "to_html",
    "to_text",
    "workspace_with_template",
]
