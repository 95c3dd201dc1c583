"""`mentorkit send`: a written batch delivered to a real SMTP server on the loopback address, each message once."""

import datetime as dt
import os
import smtplib

import keyring
import pytest
from click.testing import CliRunner
from keyring.backend import KeyringBackend

from mentorkit.cli import main
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.send import SENT_LOG, Server, send_batch
from mentorkit.errors import MentorkitError
from smtp_helpers import Mailbox, self_signed, start
from test_meeting_slots import TODAY, season

NOW = dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC)
SENDER = "Mentoring team <mentoring@example.org>"


@pytest.fixture
def batch(tmp_path):
    root, private, out = season(tmp_path)
    assert write_intros(root, "pilot", private, out, today=TODAY).written  # Zofia with Tobiah, and with Ines
    return root, private, out


def plain(server_port, **kwargs):
    return Server("127.0.0.1", server_port, "none", **kwargs)


def test_a_batch_is_delivered_once_with_its_invitation(batch, mailbox):
    root, private, out = batch
    box, controller = mailbox
    files = sorted(p.name for p in out.glob("*.eml"))
    report = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None,
                        clock=lambda: NOW)
    assert report.ok and report.sent == files and len(box.received) == 2
    for rcpt, msg in box.received:
        assert len(rcpt) == 2 and "X-Unsent" not in msg and msg["From"].addresses[0].addr_spec == "mentoring@example.org"
        assert msg["Date"].datetime == NOW, "dated when sent, not when written"
        calendar = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert calendar and calendar[0].get_param("method") == "REQUEST"
        assert "METHOD:REQUEST" in calendar[0].get_content() and "ORGANIZER" in calendar[0].get_content()
        assert any(p.get_filename() == "invite.ics" for p in msg.walk())
    again = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None)
    assert again.sent == [] and again.already == files and len(box.received) == 2, "nothing is sent twice"
    assert (private / SENT_LOG).read_text().count(",sent,") == 2


def test_an_interrupted_run_resumes_and_an_uncertain_message_waits(batch, mailbox):
    root, private, out = batch
    box, controller = mailbox

    def stop(seconds):
        raise KeyboardInterrupt  # the coordinator closes the laptop after the first message

    with pytest.raises(KeyboardInterrupt):
        send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=stop)
    assert len(box.received) == 1
    rest = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None)
    assert len(rest.sent) == 1 and len(rest.already) == 1 and len(box.received) == 2
    assert len({m["Message-ID"] for _, m in box.received}) == 2
    # a run that stopped while the server had a message: not sent again until the coordinator has checked
    log = private / SENT_LOG
    log.write_text(log.read_text().replace(",sent,", ",sending,", 1))
    wait = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None)
    assert len(wait.uncertain) == 1 and wait.sent == [] and len(box.received) == 2
    assert "check your Sent folder" in wait.as_text()


def test_the_rate_limit_spaces_the_messages(batch, mailbox):
    root, private, out = batch
    _, controller = mailbox
    waits = []
    send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, per_minute=12, sleep=waits.append)
    assert waits == [5.0], "12 a minute: 5 seconds before each message after the first"


def test_a_refused_recipient_is_reported_and_can_be_sent_later(batch, mailbox):
    root, private, out = batch
    box, controller = mailbox
    box.refuse = {"tobiah.qm@example.com", "zofia.kowalczyk@example.com"}
    report = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None)
    assert not report.ok and len(report.refused) == 1 and len(report.sent) == 1
    box.refuse = set()
    later = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, sleep=lambda s: None)
    assert later.sent == [report.refused[0][0]]


def test_starttls_and_a_login_from_the_environment(batch, tmp_path):
    root, private, out = batch
    cert, key = self_signed(tmp_path)
    box = Mailbox()
    controller = start(box, tls=(cert, key), login=("coordinator", "s3cret"))
    try:
        server = Server("localhost", controller.port, "starttls", "coordinator", ca_file=cert)
        with pytest.raises(MentorkitError, match="MENTORKIT_SMTP_PASSWORD"):
            send_batch(out, private, root, server, sender=SENDER, environ={}, sleep=lambda s: None)
        with pytest.raises(MentorkitError, match="refused the user coordinator"):
            send_batch(out, private, root, server, sender=SENDER, environ={"MENTORKIT_SMTP_PASSWORD": "wrong"},
                       sleep=lambda s: None)
        with pytest.raises(MentorkitError, match="could not reach"):  # the system's authorities do not know it
            send_batch(out, private, root, Server("localhost", controller.port, "starttls", "coordinator"),
                       sender=SENDER, environ={"MENTORKIT_SMTP_PASSWORD": "s3cret"}, sleep=lambda s: None)
        assert box.received == [] and not (private / SENT_LOG).exists(), "nothing recorded before a connection"
        report = send_batch(out, private, root, server, sender=SENDER, environ={"MENTORKIT_SMTP_PASSWORD": "s3cret"},
                            sleep=lambda s: None)
        assert len(report.sent) == 2 and len(box.received) == 2
    finally:
        controller.stop()


def test_no_password_in_clear_over_a_network(batch):
    root, private, out = batch
    with pytest.raises(MentorkitError, match="only for a server on this computer"):
        send_batch(out, private, root, Server("smtp.example.org", 25, "none"), sender=SENDER, environ={},
                   sleep=lambda s: None)


def test_cli_send_dry_run_and_delivery(batch, mailbox):
    root, private, out = batch
    box, controller = mailbox
    args = ["send", str(out), "--private", str(private), "--root", str(root), "--host", "127.0.0.1", "--port",
            str(controller.port), "--security", "none", "--sender", SENDER]
    dry = CliRunner().invoke(main, [*args, "--dry-run"], env={k: v for k, v in os.environ.items()
                                                               if not k.startswith("MENTORKIT_SMTP")})
    assert dry.exit_code == 0 and "would send 2 messages" in dry.output and box.received == []
    sent = CliRunner().invoke(main, [*args, "--per-minute", "600"])
    assert sent.exit_code == 0, sent.output
    assert "sent 2 messages" in sent.output and len(box.received) == 2
    inside = CliRunner().invoke(main, ["send", str(root / "participants"), "--private", str(private), "--root",
                                       str(root), "--host", "127.0.0.1", "--security", "none"])
    assert inside.exit_code == 1 and "inside the repository" in inside.output


class _MemoryKeyring(KeyringBackend):
    """A keyring held in memory, standing in for the system's (macOS Keychain, Windows Credential Locker, ...)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


def test_the_password_comes_from_the_system_keyring(batch, mailbox, monkeypatch):
    root, private, out = batch
    box, controller = mailbox
    memory = _MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        with pytest.raises(MentorkitError, match="keyring set mentorkit-smtp relay"):
            send_batch(out, private, root, plain(controller.port, user="relay"), sender=SENDER, environ={},
                       sleep=lambda s: None)
        memory.set_password("mentorkit-smtp", "relay", "from-the-keyring")
        logins = []
        real_login = smtplib.SMTP.login
        monkeypatch.setattr(smtplib.SMTP, "login", lambda self, user, password: logins.append((user, password)))
        report = send_batch(out, private, root, plain(controller.port, user="relay"), sender=SENDER, environ={},
                            sleep=lambda s: None)
        monkeypatch.setattr(smtplib.SMTP, "login", real_login)
        assert logins == [("relay", "from-the-keyring")] and len(report.sent) == 2 and len(box.received) == 2
    finally:
        keyring.set_keyring(previous)


def test_an_invitation_organised_by_someone_else_is_noted(tmp_path, mailbox):
    """Introductions written without --sender name the mentor as organiser; sent from the team's address, the
    report says so (the invitation should come from the address that sends it)."""
    root, private, out = season(tmp_path)
    write_intros(root, "pilot", private, out, today=TODAY)  # no sender: the mentor organises
    _, controller = mailbox
    report = send_batch(out, private, root, plain(controller.port), sender=SENDER, environ={}, dry_run=True)
    assert len([n for n in report.notes if "organiser is not the sender" in n]) == 2
    written = tmp_path / "with-sender"
    write_intros(root, "pilot", private, written, today=TODAY, sender=SENDER, again=True)
    same = send_batch(written, private, root, plain(controller.port), environ={}, dry_run=True)
    assert not any("organiser" in n for n in same.notes) and len(same.sent) == 2
