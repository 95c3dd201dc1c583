"""`mentorkit send FOLDER`: deliver a written batch of .eml files over the organisation's SMTP server, once each.

The commands that write e-mails (`intros`, `messages`) leave ready-made messages in a folder outside the
repository. This sends them:

- over SMTP with STARTTLS (port 587, the default) or implicit TLS (``ssl``, port 465); an unencrypted
  connection (``none``) only to a server on this computer (the loopback address), so a password never crosses
  a network in clear;
- signed in with a user from ``--user`` or ``MENTORKIT_SMTP_USER`` and a password from
  ``MENTORKIT_SMTP_PASSWORD`` or the system keyring (service ``mentorkit-smtp``, through the `keyring`
  package): never from a file of the repository;
- at most ``--per-minute`` messages a minute (mail servers throttle or block bursts);
- at most once: the private folder's ``mail-sent.csv`` records each message (by its Message-ID) as ``sending``
  before it is handed to the server and ``sent`` once the server accepted it. A message recorded ``sent`` is
  never sent again; an interrupted run is simply run again and sends the rest. A message left ``sending`` (the
  run stopped while the server had it) may or may not have gone out: it is listed, not resent, until the
  coordinator has checked the Sent folder and removed its line.

An introduction's invitation travels as the mail clients expect an iTIP REQUEST (RFC 6047): a
``text/calendar; method=REQUEST`` alternative beside the plain text and HTML, and the same invitation as an
``invite.ics`` attachment (the structure Google Calendar itself sends), so Outlook and Google show Accept and
Decline. Before sending, the draft marker ``X-Unsent`` is removed, ``From`` is set from ``--sender`` when the
file has none, and ``Date`` becomes the moment of sending.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.errors

from ..errors import MentorkitError
from ..repo.atomic import write_atomic
from ..text.counts import counted
from .mail import sender_address
from .pseudonyms import check_outside, csv_text, read_private_csv
from .report import CommandReport

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SENT_LOG = "mail-sent.csv"
SENT_COLUMNS = ("message_id", "file", "recipients", "status", "at")
KEYRING_SERVICE = "mentorkit-smtp"
USER_VARIABLE, PASSWORD_VARIABLE = "MENTORKIT_SMTP_USER", "MENTORKIT_SMTP_PASSWORD"


@dataclass(frozen=True)
class Server:
    host: str
    port: int | None = None
    security: Security = "starttls"
    user: str | None = None
    ca_file: Path | None = None  # an organisation's own certificate authority, besides the system's
    timeout: float = 30.0

    @property
    def the_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


@dataclass(kw_only=True)
class SendReport(CommandReport):
    folder: str
    sent: list[str] = field(default_factory=list)  # file names
    already: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.refused

    def as_text(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        n = len(self.sent)
        lines = [f"e-mails in {self.folder}" + (" (dry run: nothing sent)" if self.dry_run else ""),
                 f"  {verb} {counted(n, 'message')}"]
        lines += [f"    {name}" for name in self.sent]
        if self.already:
            lines.append(f"  already sent: {len(self.already)} (recorded in {SENT_LOG})")
        for name in self.uncertain:
            lines.append(f"  not sent again: {name} (a run stopped while the server had it: check your Sent folder, "
                         f"then remove its line from {SENT_LOG} to send it)")
        for name, why in self.refused:
            lines.append(f"  refused: {name}: {why}")
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "dry_run": self.dry_run, "ok": self.ok, "sent": self.sent,
                "already_sent": self.already, "uncertain": self.uncertain,
                "refused": [{"file": f, "why": w} for f, w in self.refused], "notes": list(self.notes)}


# --- the record -----------------------------------------------------------------------------------------------


class SentLog:
    """mail-sent.csv in the private folder: every message handed to the server, rewritten after each change."""

    def __init__(self, private_dir: Path):
        self.path = private_dir / SENT_LOG
        self.rows = read_private_csv(self.path, SENT_COLUMNS) if self.path.is_file() else []

    def status(self, message_id: str) -> str | None:
        found = [r["status"] for r in self.rows if r["message_id"] == message_id]
        return "sent" if "sent" in found else (found[-1] if found else None)

    def mark(self, message_id: str, file: str, recipients: int, status: str, now: dt.datetime) -> None:
        self.rows = [r for r in self.rows if r["message_id"] != message_id]
        self.rows.append({"message_id": message_id, "file": file, "recipients": str(recipients), "status": status,
                          "at": now.isoformat(timespec="seconds")})
        write_atomic(self.path, csv_text(SENT_COLUMNS, ([r[c] for c in SENT_COLUMNS] for r in self.rows)),
                     private=True)


# --- credentials and the connection ---------------------------------------------------------------------------


def _password(user: str, environ: Mapping[str, str]) -> str:
    if environ.get(PASSWORD_VARIABLE):
        return environ[PASSWORD_VARIABLE]
    try:
        secret = keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringError:  # no keyring on this computer (a server without a desktop session)
        secret = None
    if secret:
        return secret
    raise MentorkitError(
        f"no password for the mail server user {user}: keep it in the system keyring (`keyring set "
        f"{KEYRING_SERVICE} {user}` asks for it once), or set the environment variable {PASSWORD_VARIABLE} for this "
        "session. Never put it in a file of the repository")


def _is_loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM))
    except (OSError, ValueError):
        return False


def connect(server: Server, environ: Mapping[str, str]) -> smtplib.SMTP:
    """A signed-in SMTP connection; `MentorkitError` in words when the server cannot be reached or refuses."""
    if server.security == "none" and not _is_loopback(server.host):
        raise MentorkitError(f"--security none sends everything unencrypted: only for a server on this computer, "
                             f"not {server.host}. Use starttls (port 587) or ssl (port 465)")
    user = server.user or environ.get(USER_VARIABLE) or None
    password = _password(user, environ) if user else None
    context = ssl.create_default_context()  # verifies the server's certificate and name
    if server.ca_file:
        context.load_verify_locations(cafile=str(server.ca_file))
    try:
        if server.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.the_port, timeout=server.timeout, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.the_port, timeout=server.timeout)
            if server.security == "starttls":
                smtp.starttls(context=context)
        if user and password:
            smtp.login(user, password)
    except smtplib.SMTPAuthenticationError as exc:
        raise MentorkitError(f"the mail server {server.host} refused the user {user} ({exc.smtp_code}): check the "
                             f"user and the password in {PASSWORD_VARIABLE} or the keyring") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MentorkitError(f"could not reach the mail server {server.host}:{server.the_port} "
                             f"({server.security}): {exc}. Check --host, --port and --security") from exc
    return smtp


# --- the batch --------------------------------------------------------------------------------------------------


def _prepared(path: Path, sender: str | None, now: dt.datetime) -> EmailMessage:
    msg = BytesParser(policy=policy.SMTP).parsebytes(path.read_bytes())
    if not isinstance(msg, EmailMessage) or not msg["Message-ID"] or not msg["To"]:
        raise MentorkitError(f"{path} is not an e-mail written by mentorkit (it has no Message-ID or no To): "
                             "write the batch again with `mentorkit intros` or `mentorkit messages`")
    del msg["X-Unsent"]
    if sender and not msg["From"]:
        msg["From"] = sender_address(sender)
    if not msg["From"]:
        raise MentorkitError(f"{path.name} has no From address: give --sender 'Mentoring team <mentoring@...>'")
    del msg["Date"]
    msg["Date"] = format_datetime(now)
    return msg


ORGANIZER = re.compile(r"^ORGANIZER[^:\r\n]*(?:\r?\n[ \t][^\r\n]*)*:mailto:([^\r\n]+)", re.MULTILINE | re.IGNORECASE)


def _organizer_differs(msg: EmailMessage) -> bool:
    """Whether the invitation's organiser is not the sender: Outlook and Google then treat the mentor (the
    organiser when intros had no --sender) as the one who invited everyone, themselves included."""
    sender = getaddresses([str(msg["From"])])[0][1].lower()
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            text = part.get_content()
            found = ORGANIZER.search(re.sub(r"\r?\n[ \t]", "", text))
            return found is not None and found.group(1).strip().lower() != sender
    return False


def send_batch(folder: Path, private_dir: Path, root: Path, server: Server, *, sender: str | None = None,
               per_minute: float = 30, dry_run: bool = False, environ: Mapping[str, str] | None = None,
               sleep: Callable[[float], None] = time.sleep,
               clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> SendReport:
    """Send every .eml file of `folder` not yet recorded as sent in the private folder, in file-name order."""
    root = Path(root).resolve()
    folder = check_outside(folder, root, "folder of e-mails")
    private = check_outside(private_dir, root, "private folder")
    if not folder.is_dir():
        raise MentorkitError(f"there is no folder {folder}: give the --out folder of `mentorkit intros` or "
                             "`mentorkit messages`")
    if per_minute <= 0:
        raise MentorkitError("--per-minute must be above 0")
    if sender:
        sender_address(sender)
    environ = os.environ if environ is None else environ
    report = SendReport(folder=str(folder), dry_run=dry_run)
    log = SentLog(private)
    todo = _to_send(folder, sender, clock, log, report)
    if dry_run or not todo:
        report.sent = [p.name for p, _ in todo]
        if not todo and not report.already and not report.uncertain:
            report.notes.append(f"no .eml file in {folder}")
        return report
    smtp = connect(server, environ)
    try:
        for n, (path, msg) in enumerate(todo):
            if n:
                sleep(60.0 / per_minute)
            _send_one(smtp, path, msg, log, clock, report)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report


def _to_send(folder: Path, sender: str | None, clock: Callable[[], dt.datetime], log: SentLog,
             report: SendReport) -> list[tuple[Path, EmailMessage]]:
    """The folder's messages not recorded as sent or being sent, in file-name order; the report lists the others."""
    todo: list[tuple[Path, EmailMessage]] = []
    for path in sorted(folder.glob("*.eml")):
        msg = _prepared(path, sender, clock())
        status = log.status(str(msg["Message-ID"]))
        if status == "sent":
            report.already.append(path.name)
        elif status == "sending":
            report.uncertain.append(path.name)
        else:
            todo.append((path, msg))
            if _organizer_differs(msg):
                report.notes.append(f"{path.name}: the invitation's organiser is not the sender; write introductions "
                                    "with --sender set to the address you send from, so the invitation comes from it")
    return todo


def _send_one(smtp: smtplib.SMTP, path: Path, msg: EmailMessage, log: SentLog, clock: Callable[[], dt.datetime],
              report: SendReport) -> None:
    """Send one message, recorded as being sent before and as sent (or refused) after."""
    message_id = str(msg["Message-ID"])
    recipients = [addr for _, addr in getaddresses([str(v) for v in msg.get_all("To", [])])]
    log.mark(message_id, path.name, len(recipients), "sending", clock())
    try:
        some_refused = smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:  # nothing went out: it may be sent again once fixed
        log.mark(message_id, path.name, len(recipients), "refused", clock())
        report.refused.append((path.name, "the server refused " + ", ".join(exc.recipients)))
        return
    except (OSError, smtplib.SMTPException) as exc:
        raise MentorkitError(f"sending {path.name} failed ({exc}); {len(report.sent)} sent before it. Run "
                             "the same command again: it sends the rest") from exc
    log.mark(message_id, path.name, len(recipients), "sent", clock())
    report.sent.append(path.name)
    if some_refused:
        report.notes.append(f"{path.name}: sent, but the server refused {', '.join(some_refused)}")


__all__ = ["SENT_LOG", "SendReport", "Server", "connect", "send_batch"]
