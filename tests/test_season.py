"""A whole season on a new repository, as a coordinator runs it: intake, match, approve, introductions, check-ins,
nudges, closure, every batch sent to a real SMTP server on the loopback address. No one gets two meetings at
once, no message arrives twice, and every count in the e-mails is the records' count."""

import datetime as dt
import re
from importlib import metadata
from itertools import combinations

import pytest
import vobject
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.checkins import import_checkins
from mentorkit.coordinator.intake import intake
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.messages import write_messages
from mentorkit.coordinator.send import Server, send_batch
from mentorkit.errors import MentorkitError
from mentorkit.repo.load import load_workspace
from test_intake import code

KIT_SPEC = f"mentorkit=={metadata.version('mentorkit')}"  # a checkout or a local wheel: `new` needs the pin given

SENDER = "Mentoring team <mentoring@acme.example>"
HEADER = ("Timestamp,Email address,Name,I want to join as,Department,Level,Time zone,Which languages do you speak?,"
          "Which skills can you offer?,Which skills do you want to develop?,How would you like to meet?,"
          "How many mentees can you take on?,Your manager's email address,Gender,Age range,"
          "Anything else you would like us to know?")
PEOPLE = [  # name, role, department, level, zone, offers, seeks, capacity
    ("Ada Lovelace", "Mentor", "Engineering", 7, "Europe/London", "SQL; Data analysis", "", 3),
    ("Bruno Costa", "Mentor", "Finance", 7, "Europe/Lisbon", "Financial acumen; Stakeholder management", "", 2),
    ("Chen Wei", "Mentor", "Product", 7, "Europe/Berlin", "Coaching; Public speaking", "", 2),
    ("Dana Fischer", "Both", "Sales", 5, "Europe/Berlin", "Negotiation", "Public speaking", 1),
    ("Emil Novak", "Both", "Operations", 5, "Europe/London", "Python", "Stakeholder management", 1),
    ("Fay Osei", "Mentee", "Marketing", 3, "Europe/London", "", "SQL", ""),
    ("Gus Lind", "Mentee", "Customer support", 3, "Europe/Berlin", "", "Data analysis", ""),
    ("Hana Sato", "Mentee", "Sales", 3, "Europe/Lisbon", "", "Financial acumen", ""),
    ("Ivo Petrov", "Mentee", "Engineering", 3, "Europe/Berlin", "", "Coaching", ""),
    ("Jo Martin", "Mentee", "Finance", 3, "Europe/London", "", "Negotiation", ""),
    ("Kim Berg", "Mentee", "People", 3, "Europe/London", "", "Python", ""),
    ("Lea Moreau", "Mentee", "Marketing", 3, "Europe/Paris", "", "Cybersecurity awareness", ""),
]


def email(name):
    return name.lower().replace(" ", ".") + "@acme.example"


def signup_export(path):
    rows = [HEADER]
    for n, (name, role, dept, level, zone, offers, seeks, cap) in enumerate(PEOPLE):
        rows.append(f"2026/12/0{1 + n % 5} 10:0{n % 10}:00 AM GMT+1,{email(name)},{name},{role},{dept},{level},{zone},"
                    f"English,\"{offers}\",\"{seeks}\",Online,{cap},,Prefer not to say,Prefer not to say,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_season_on_a_new_repository(tmp_path, mailbox):
    box, controller = mailbox
    runner = CliRunner()
    root = tmp_path / "acme"
    assert runner.invoke(main, ["new", str(root), "--org", "Acme", "--no-input", "--kit-spec", KIT_SPEC]).exit_code == 0
    (pid,) = (p.stem for p in (root / "program").glob("*.yaml"))
    program = load_workspace(root).program(pid)
    private, mail = tmp_path / "private", tmp_path / "mail"
    server = Server("127.0.0.1", controller.port, "none")

    def send(folder):
        return send_batch(folder, private, root, server, sender=SENDER, environ={}, sleep=lambda s: None)

    # intake and match: a new repository needs no --new-population
    report = intake(root, signup_export(tmp_path / "signup.csv"), pid, private, today=dt.date(2026, 12, 10))
    assert report.ok and len(report.added) == len(PEOPLE), report.as_text()
    assert runner.invoke(main, ["match", pid, "--root", str(root)]).exit_code == 0
    assert runner.invoke(main, ["approve", pid, "--date", "2026-12-21", "--root", str(root)]).exit_code == 0
    proposal = load_workspace(root).proposals[pid]
    pairs = [(p.mentee, p.mentor) for p in proposal.pairs]
    mentors = {m for _, m in pairs}
    assert len(pairs) >= 8 and any(sum(m == x for _, m in pairs) > 1 for x in mentors), "a mentor with two mentees"
    both = {code(private, email(n)) for n, role, *_ in PEOPLE if role == "Both"}
    assert both & mentors, "a 'both' sign-up mentors"

    # introductions and not-matched, sent
    intros = write_intros(root, pid, private, mail / "intros", today=dt.date(2026, 12, 21), sender=SENDER)
    assert len(intros.written) == len(pairs) and not intros.problems
    told = write_messages(root, pid, "not-matched", private, mail / "not-matched", today=dt.date(2026, 12, 21))
    assert len(told.written) >= 1
    assert send(mail / "intros").sent and send(mail / "not-matched").sent

    # no one has two meetings at once, every meeting inside both people's working day, on a weekday
    busy = {}
    for _, msg in box.received:
        cal = next((p for p in msg.walk() if p.get_content_type() == "text/calendar"), None)
        if cal is None:
            continue
        event = vobject.readOne(cal.get_content()).vevent
        start_, end_ = event.dtstart.value, event.dtend.value
        assert start_.weekday() < 5 and start_.date() >= program.timeline.start
        assert start_.date() not in {m.date for m in program.milestones}
        for attendee in event.contents["attendee"]:
            busy.setdefault(attendee.value.lower(), []).append((start_, end_))
    assert len(busy) >= 10
    for who, meetings in busy.items():
        for (a0, a1), (b0, b1) in combinations(meetings, 2):
            assert a1 <= b0 or b1 <= a0, f"{who} has two meetings at once: {a0} and {b0}"

    # check-ins: half the pairs meet on 1 March 2027, one meeting logged by both partners
    ws = load_workspace(root)
    roster = {p.pseudonym: p for p in ws.participants.values()}
    assert roster
    names = {code(private, email(n)): email(n) for n, *_ in PEOPLE}
    active = pairs[: len(pairs) // 2]
    lines = ["Email address,Your partner's email,Date of the meeting,Duration (minutes),Mode,"
             "How is your mentoring relationship going? (1-5)"]
    lines += [f"{names[a]},{names[b]},2027-03-01,60,Video call,4" for a, b in active]
    lines.append(f"{names[active[0][1]]},{names[active[0][0]]},2027-03-01,60,Video call,5")  # the partner's report
    (tmp_path / "checkins.csv").write_text("\n".join(lines) + "\n")
    imported = import_checkins(root, tmp_path / "checkins.csv", pid, private)
    assert imported.ok and len(imported.added) == len(active), imported.as_text()

    # nudges on 15 March: exactly the pairs that never met (70 days since the start), both people each
    nudges = write_messages(root, pid, "nudge", private, mail / "nudge", today=dt.date(2027, 3, 15))
    quiet = set(pairs) - set(active)
    assert sorted(w.to[0] for w in nudges.written) == sorted(p for pair in quiet for p in pair)
    assert len(send(mail / "nudge").sent) == 2 * len(quiet)

    # closure waits for the end, then thanks everyone with the meetings the records hold
    with pytest.raises(MentorkitError, match=f"ends on {program.timeline.end.isoformat()}"):
        write_messages(root, pid, "closure", private, mail / "closure", today=dt.date(2027, 3, 15))
    closure = write_messages(root, pid, "closure", private, mail / "closure", today=program.timeline.end)
    people_in_pairs = {p for pair in pairs for p in pair}
    assert {w.to[0] for w in closure.written} == people_in_pairs
    assert len(send(mail / "closure").sent) == len(people_in_pairs)

    # nothing twice: every folder again sends nothing; every Message-ID arrived once
    for folder in ("intros", "not-matched", "nudge", "closure"):
        again = send(mail / folder)
        assert again.sent == [] and again.already
    ids = [m["Message-ID"] for _, m in box.received]
    assert len(ids) == len(set(ids)) == len(pairs) + len(told.written) + 2 * len(quiet) + len(people_in_pairs)

    # the counts in the closure e-mails are the records' counts
    met = {p for pair in active for p in pair}
    for rcpt, msg in box.received:
        if "thank you" not in msg["Subject"]:
            continue
        text = " ".join(msg.get_body(("plain",)).get_content().split())
        who = next(c for c, e in names.items() if e == rcpt[0])
        expected = sum(1 for pair in active if who in pair)
        said = re.search(r"Together you recorded (\d+) (meetings?)\.", text)
        assert (int(said.group(1)), said.group(2)) == (expected, "meeting" if expected == 1 else "meetings") \
            if expected else said is None, (rcpt, text)
        assert " 0 meetings" not in text and "1 meetings" not in text
        assert (who in met) == (expected > 0)
