"""`mentorkit intros`: .eml files that parse with the email package, invitations that parse with vobject."""

import csv
import datetime as dt
import email
import re
import zoneinfo
from email import policy

import pytest
import vobject  # an iCalendar parser independent of the icalendar package that writes the invitations
from click.testing import CliRunner

from mentorkit.coordinator.intros import check_template, first_meeting_date, read_sent, write_intros
from mentorkit.errors import PrivateDataError, TemplateError, UnsafePath
from test_imports import enrolled
from test_intake import DAY, code, identifying_values, intake, key_of, leaks

TODAY = dt.date(2026, 1, 2)


def approve(root, private, *pairs):
    """Write a proposal where `pairs` are (mentee e-mail, mentor e-mail, status)."""
    lines = ["program: pilot", "format: one-to-one", "pairs:"]
    for mentee, mentor, status in pairs:
        lines += [f"  - mentee: {code(private, mentee)}", f"    mentor: {code(private, mentor)}",
                  f"    status: {status}", "    score: 50"]
    (root / "participants" / "matches" / "pilot.yaml").write_text("\n".join(lines) + "\n")


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


MARKDOWN_LEFT = re.compile(r"^\s*#{1,6}\s|^\s*\|.*\|\s*$|^\s*!!!|\*\*|__|^\s*```|\]\(", re.MULTILINE)


def assert_no_markdown(text):
    """Plain text as a person reads it: no heading marks, pipe tables, admonitions, bold marks or link syntax."""
    assert not MARKDOWN_LEFT.search(text), MARKDOWN_LEFT.search(text).group(0)


def assert_multipart(msg):
    """text/plain and text/html as alternatives of one another (what a mail client chooses between)."""
    alternative = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds[:2] == ["text/plain", "text/html"], kinds


def set_fields(root, code, **values):
    """Change participant `code`'s answers in participants/participants.csv."""
    path = root / "participants" / "participants.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["pseudonym"] == code:
            row.update(values)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_introduction_email_and_invitation(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    report = write_intros(root, "pilot", private, out, today=TODAY, sender="Mentoring team <mentoring@example.org>")
    assert report.ok and len(report.written) == 1, report.as_text()
    intro = report.written[0]
    msg = parse(intro.eml)
    assert_multipart(msg)
    assert [a.addr_spec for a in msg["To"].addresses] == ["tobiah.qm@example.com", "zofia.kowalczyk@example.com"]
    assert [a.display_name for a in msg["To"].addresses] == ["Tobiah Quennell-Marsh", "Zofia Kowalczyk-Brennan"]
    assert msg["From"].addresses[0].addr_spec == "mentoring@example.org"
    assert msg["Subject"] == "Pilot mentoring program: meet your mentoring partner"
    assert msg["Date"].datetime == dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)
    assert msg["Message-ID"].startswith("<intro-") and msg["X-Unsent"] == "1"
    body = msg.get_body(preferencelist=("plain",)).get_content()
    flat = " ".join(body.split())
    assert "Hello Tobiah and Zofia," in body
    assert "- Zofia Kowalczyk-Brennan will be the mentor," in body
    assert "Friday 9 January 2026 at 10:00 (Europe/London) / 11:00 (Europe/Berlin)" in flat
    assert "INTRODUCTIONS (15 MINUTES)" in body, "the first-meeting agenda is included, its heading in words"
    assert "- Zofia offers SQL, which Tobiah wants to develop." in body, "why the two were matched"
    assert "{" not in body
    assert_no_markdown(body)
    page = msg.get_body(preferencelist=("html",)).get_content()
    assert "<h2>Why we matched you</h2>" in page and "<strong>Friday 9 January 2026</strong>" in page
    assert '<html lang="en">' in page and "http" not in page, "a whole document, nothing fetched from the network"
    assert mentee not in intro.eml.read_text(errors="replace") and mentor not in intro.eml.read_text(errors="replace")

    calendar_part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == intro.ics.read_bytes()

    for text in (calendar_part.get_content(), intro.ics.read_text()):
        cal = vobject.readOne(text)
        assert cal.method.value == "REQUEST"
        event = cal.vevent
        assert event.dtstart.value.isoformat() == "2026-01-09T10:00:00+00:00"
        assert event.dtstart.value.tzinfo is not None
        assert event.dtend.value - event.dtstart.value == dt.timedelta(minutes=60)
        assert sorted(a.value for a in event.attendee_list) == ["mailto:tobiah.qm@example.com",
                                                                 "mailto:zofia.kowalczyk@example.com"]
        assert event.organizer.value == "mailto:mentoring@example.org"
        assert event.uid.value.endswith("@mentorkit") and mentee not in event.uid.value
        assert cal.vtimezone.tzid.value == "Europe/London"


def test_output_is_deterministic_and_pairs_are_introduced_once(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    first = write_intros(root, "pilot", private, out, today=TODAY)
    eml, ics = first.written[0].eml.read_bytes(), first.written[0].ics.read_bytes()
    assert read_sent(private) == {("pilot", mentee, mentor)}
    second = write_intros(root, "pilot", private, out, today=TODAY)
    assert not second.written and second.already == [(mentee, mentor)]
    again = write_intros(root, "pilot", private, out, today=TODAY, again=True)
    assert again.written[0].eml.read_bytes() == eml and again.written[0].ics.read_bytes() == ics
    assert (private / "intros-sent.csv").read_text().count(mentee) == 1


def test_only_newly_approved_pairs(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    approve(root, private, ("tobiah.qm@example.com", "zofia.kowalczyk@example.com", "approved"),
            ("ines.mo@example.com", "zofia.kowalczyk@example.com", "proposed"))
    report = write_intros(root, "pilot", private, out, today=TODAY)
    assert len(report.written) == 1 and report.waiting == 1
    approve(root, private, ("tobiah.qm@example.com", "zofia.kowalczyk@example.com", "ended"),
            ("ines.mo@example.com", "zofia.kowalczyk@example.com", "approved"))
    report = write_intros(root, "pilot", private, out, today=TODAY)
    assert [(i.mentee, i.mentor) for i in report.written] == [(code(private, "ines.mo@example.com"),
                                                               code(private, "zofia.kowalczyk@example.com"))]
    assert len(list(out.glob("*.eml"))) == 2


def test_dry_run_writes_nothing(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    report = write_intros(root, "pilot", private, out, today=TODAY, dry_run=True)
    assert len(report.written) == 1 and "would write 1" in report.as_text()
    assert not out.exists() and not (private / "intros-sent.csv").exists()


def test_folders_inside_the_repository_are_refused(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with pytest.raises(UnsafePath, match="output folder"):
        write_intros(root, "pilot", private, root / "site" / "intros", today=TODAY)
    with pytest.raises(UnsafePath, match="private folder"):
        write_intros(root, "pilot", root / "private", out, today=TODAY)
    assert not (root / "site").exists() and not (private / "intros-sent.csv").exists()


def test_a_private_folder_without_roster_is_refused(tmp_path):
    root, _, out, *_ = enrolled(tmp_path)
    with pytest.raises(PrivateDataError, match=r"no roster\.csv"):
        write_intros(root, "pilot", tmp_path / "empty", out, today=TODAY)


def test_people_missing_from_the_roster(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        "program: pilot\nformat: one-to-one\npairs:\n"
        "  - {mentee: mk-0000000c, mentor: mk-0000000a, status: approved, score: 1}\n"
        f"  - {{mentee: {code(private, 'tobiah.qm@example.com')}, mentor: {code(private, 'zofia.kowalczyk@example.com')}, "
        "status: approved, score: 1}\n")
    report = write_intros(root, "pilot", private, out, today=TODAY)
    assert not report.ok and len(report.written) == 1
    assert {(p.field, p.code) for p in report.problems} == {("pairs[0].mentee", "not-in-roster"),
                                                           ("pairs[0].mentor", "not-in-roster")}


def test_template_mistakes_name_the_line(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    template = root / "templates" / "intro-email.md"
    template.write_text(template.read_text().replace("Hello {everyone_first_names}", "Hello {everyone_frist_names}"))
    problems = check_template(root)
    assert [(p.code, p.hint) for p in problems] == [("unknown-placeholder", "did you mean '{everyone_first_names}'?")]
    assert template.read_text().splitlines()[problems[0].line - 1].startswith("Hello {everyone_frist_names}")
    assert "'{everyone_frist_names}'" in problems[0].message and problems[0].file == "templates/intro-email.md"
    with pytest.raises(TemplateError, match=r"templates/intro-email\.md:"):
        write_intros(root, "pilot", private, out, today=TODAY)
    assert not out.exists()


def test_coordinators_can_reword_the_template(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    (root / "templates" / "intro-email.md").write_text(
        "---\nsubject: \"Hi {mentee_first_name} {{and}} {mentor_first_name}\"\n---\n"
        "Meet on {first_meeting_date}. Braces: {{literal}}\n")
    intro = write_intros(root, "pilot", private, out, today=TODAY, meeting_date=dt.date(2026, 2, 3),
                         meeting_time="14:30").written[0]
    msg = parse(intro.eml)
    assert_multipart(msg)
    assert msg["Subject"] == "Hi Tobiah {and} Zofia"
    assert msg.get_body(preferencelist=("plain",)).get_content().startswith(
        "Meet on Tuesday 3 February 2026. Braces: {literal}")
    assert vobject.readOne(intro.ics.read_text()).vevent.dtstart.value.isoformat() == "2026-02-03T14:30:00+00:00"


def test_names_cannot_inject_headers(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    export = tmp_path / "evil.csv"
    export.write_text('Email address,Name\ntobiah.qm@example.com,"Tobiah\r\nBcc: all@example.org"\n')
    intake(root, export, "pilot", private, today=DAY)
    msg = parse(write_intros(root, "pilot", private, out, today=TODAY).written[0].eml)
    assert msg["Bcc"] is None
    assert msg["To"].addresses[0].display_name == "Tobiah Bcc: all@example.org"


def test_first_meeting_defaults_to_a_weekday_a_week_ahead(tmp_path):
    root, *_ = enrolled(tmp_path)
    from mentorkit.repo.load import load_workspace

    program = load_workspace(root).programs["pilot"]
    assert first_meeting_date(program, dt.date(2026, 2, 5)) == dt.date(2026, 2, 12)  # Thursday -> Thursday
    assert first_meeting_date(program, dt.date(2026, 2, 7)) == dt.date(2026, 2, 16)  # Saturday -> Monday
    assert first_meeting_date(program, dt.date(2025, 11, 1)) == dt.date(2026, 1, 5)  # not before the start


def test_no_identifying_value_reaches_the_repository_after_intros(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    write_intros(root, "pilot", private, out, today=TODAY)
    assert leaks(root, identifying_values("google-forms-signup.csv")) == []
    assert leaks(root, {key_of(private).hex()}) == []
    assert leaks(out, {"tobiah.qm@example.com"}), "the introductions themselves do hold the addresses"


def _cli():
    from mentorkit.cli import main

    return main


def test_cli_intros(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    runner = CliRunner()
    inside = runner.invoke(_cli(), ["intros", "pilot", "--private", str(private), "--out", str(root / "mail"),
                                    "--root", str(root)])
    assert inside.exit_code == 1 and "inside the repository" in inside.output
    result = runner.invoke(_cli(), ["intros", "pilot", "--private", str(private), "--out", str(out), "--root", str(root),
                                    "--date", "2026-01-02", "--meeting-time", "09:30"])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.eml"))) == 1 and len(list(out.glob("*.ics"))) == 1
    assert "zofia" not in result.output.lower()


# --- a time both can make, never on a milestone day, one invitation per group -----------------------


def _local_hours(start, zone, minutes):
    local = start.astimezone(zoneinfo.ZoneInfo(zone))
    end = local + dt.timedelta(minutes=minutes)
    return local.time(), end.time(), local.date() == end.date()


def test_kolkata_and_london_meet_inside_both_working_days(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    set_fields(root, mentee, time_zone="Asia/Kolkata")
    set_fields(root, mentor, time_zone="Europe/London")
    intro = write_intros(root, "pilot", private, out, today=TODAY).written[0]
    event = vobject.readOne(intro.ics.read_text()).vevent
    start = event.dtstart.value
    for zone in ("Asia/Kolkata", "Europe/London"):
        begin, end, same_day = _local_hours(start, zone, 60)
        assert same_day and dt.time(9) <= begin and end <= dt.time(17), (zone, begin, end)
    assert start.astimezone(zoneinfo.ZoneInfo("Europe/London")).time() != dt.time(4, 30), "not 10:00 in Kolkata"
    assert not intro.warning
    body = " ".join(parse(intro.eml).get_body(preferencelist=("plain",)).get_content().split())
    shown = start.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata")).strftime("%H:%M")
    other = start.astimezone(zoneinfo.ZoneInfo("Europe/London")).strftime("%H:%M")
    assert f"{shown} (Asia/Kolkata) / {other} (Europe/London)" in body
    assert "Please note" not in body, "the warning line is left out when the time fits"


def test_no_overlap_gives_a_clear_warning(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    set_fields(root, mentee, time_zone="Europe/London")  # 9 hours apart: no hour of one working day is in the other
    set_fields(root, mentor, time_zone="Asia/Tokyo")
    report = write_intros(root, "pilot", private, out, today=TODAY)
    intro = report.written[0]
    assert "do not overlap" in intro.warning and "warning: the working days" in report.as_text()
    body = " ".join(parse(intro.eml).get_body(preferencelist=("plain",)).get_content().split())
    assert "Please note: the working days (09:00-17:00) in Europe/London, Asia/Tokyo do not overlap" in body


def test_the_first_meeting_is_never_on_a_milestone_day(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    # a week after 29 December is Monday 5 January, the kickoff milestone's day
    intro = write_intros(root, "pilot", private, out, today=dt.date(2025, 12, 29)).written[0]
    assert intro.meeting.date() == dt.date(2026, 1, 6)


def test_a_group_gets_one_invitation(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("format: one-to-one", "format: group"))
    approve(root, private, ("tobiah.qm@example.com", "zofia.kowalczyk@example.com", "approved"),
            ("ines.mo@example.com", "zofia.kowalczyk@example.com", "approved"))
    text = (root / "participants" / "matches" / "pilot.yaml").read_text().replace("one-to-one", "group")
    (root / "participants" / "matches" / "pilot.yaml").write_text(text)
    report = write_intros(root, "pilot", private, out, today=TODAY)
    assert report.ok, report.as_text()
    assert len(report.written) == 1 and len(list(out.glob("*.eml"))) == 1 and len(list(out.glob("*.ics"))) == 1
    msg = parse(report.written[0].eml)
    assert sorted(a.addr_spec.lower() for a in msg["To"].addresses) == [
        "ines.mo@example.com", "tobiah.qm@example.com", "zofia.kowalczyk@example.com"]
    event = vobject.readOne(report.written[0].ics.read_text()).vevent
    assert len(event.attendee_list) == 3
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "- Tobiah Quennell-Marsh and Ines Marchetti-Olsen will be the mentees." in body
    assert len(read_sent(private)) == 2, "both pairs are recorded as introduced"


def test_names_are_escaped_in_the_html(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    export = tmp_path / "evil.csv"
    export.write_text('Email address,Name\ntobiah.qm@example.com,"<script>alert(1)</script> **Tob**"\n')
    intake(root, export, "pilot", private, today=DAY)
    msg = parse(write_intros(root, "pilot", private, out, today=TODAY).written[0].eml)
    page = msg.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_the_kits_agenda_reads_as_plain_text_and_as_html(tmp_path):
    """The shipped first-meeting agenda has ## headings, pipe tables and a !!! tip: none of it stays as syntax."""
    from conftest import REPO

    root, private, out, *_ = enrolled(tmp_path)
    (root / "agendas" / "first-meeting.md").write_bytes((REPO / "agendas" / "first-meeting.md").read_bytes())
    msg = parse(write_intros(root, "pilot", private, out, today=TODAY).written[0].eml)
    assert_multipart(msg)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert_no_markdown(text)
    assert "TIMELINE" in text and "- Minutes: 0 – 5; Part: Arrive and set the scene" in text
    assert "For mentors:" in text, "the tip keeps its title, in words"
    page = msg.get_body(preferencelist=("html",)).get_content()
    assert "<h2>Timeline</h2>" in page and '<th scope="col"' in page and 'class="admonition tip"' in page


def test_the_agenda_keeps_only_the_sections_for_the_programs_format(tmp_path):
    """The kit's first-meeting agenda has tips for peer, group and reverse pairs (`format_sections`): a one-to-one
    pair reads none of them, a reverse pair only its own, and the rest of the agenda reads the same."""
    from conftest import REPO
    from mentorkit.coordinator.intros import _agenda
    from mentorkit.model import Format
    from mentorkit.repo.load import load_workspace

    root, private, out, *_ = enrolled(tmp_path)
    (root / "agendas" / "first-meeting.md").write_bytes((REPO / "agendas" / "first-meeting.md").read_bytes())
    text = parse(write_intros(root, "pilot", private, out, today=TODAY).written[0].eml).get_body(
        preferencelist=("plain",)).get_content()
    peer, group, reverse = "whose topic comes first", "story in four minutes", "junior mentor leads"
    assert "Close with one sentence each" in text
    assert not any(tip in text for tip in (peer, group, reverse))
    assert "\n\n\n" not in text  # no gap where the sections were
    ws = load_workspace(root)
    program = ws.programs["pilot"]
    one_to_one = _agenda(ws, "pilot", program)[3]
    body = _agenda(ws, "pilot", program.model_copy(update={"format": Format.REVERSE}))[3]
    assert reverse in body and "## For reverse mentoring" in body
    assert peer not in body and group not in body
    assert body.startswith(one_to_one)


def test_no_promise_of_a_profile_that_does_not_exist(tmp_path):
    from conftest import REPO

    root, private, out, mentee, _ = enrolled(tmp_path)
    (root / "agendas" / "first-meeting.md").write_bytes((REPO / "agendas" / "first-meeting.md").read_bytes())
    with_profile = write_intros(root, "pilot", private, out, today=TODAY).written[0]
    text = " ".join(parse(with_profile.eml).get_body(preferencelist=("plain",)).get_content().split())
    assert "read your mentee's profile" in text and "- Tobiah (mentee): works in Finance; wants to develop SQL" in text
    set_fields(root, mentee, skills_sought="")  # Tobiah told the program nothing to read about him
    without = write_intros(root, "pilot", private, tmp_path / "again", today=TODAY, again=True).written[0]
    text = " ".join(parse(without.eml).get_body(preferencelist=("plain",)).get_content().split())
    assert "profile" not in text.lower().replace("your profiles, from the sign-up form", "")
    assert "Tobiah (mentee):" not in text and "Zofia (mentor): works in Engineering" in text
