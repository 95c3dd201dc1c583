"""An e-mail from a filled template: its two bodies and the message a coordinator sends.

- `render`: the filled Markdown (`template_fill`) as HTML (Python-Markdown, the renderer MkDocs uses, with
  tables and admonitions) and as plain text made from that HTML (`html_text`);
- `message`: both as a ``multipart/alternative`` e-mail (`email.message.EmailMessage`), with a calendar part and
  attachment when there is an invitation; `Person` and `sender_address`, who it goes to and comes from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import markdown

from ..errors import MentorkitError
from ..model.templates import Template
from ..repo.pii import EMAIL
from .html_text import to_text
from .template_fill import escape_values, fill

MARKDOWN_EXTENSIONS = ("tables", "admonition", "sane_lists")


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def names_in_words(names: Sequence[str]) -> str:
    """"Ada", "Ada and Ben", "Ada, Ben and Cy"."""
    names = [n for n in names if n]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


# --- bodies -----------------------------------------------------------------------------------------


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


__all__ = ["Bodies", "Person", "first_name", "message", "names_in_words", "render", "sender_address", "to_html"]
