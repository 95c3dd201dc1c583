"""First-meeting invitations never clash: distinct slots inside everyone's working hours, on meeting days."""

import datetime as dt
import email
import zoneinfo
from email import policy
from itertools import combinations

import vobject  # an iCalendar parser the kit does not write with

from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.slots import DIARY_FILE
from test_imports import enrolled
from test_intake import DAY, EXPORTS, code, intake

TODAY = dt.date(2026, 1, 2)
ZOFIA, TOBIAH, INES = "zofia.kowalczyk@example.com", "tobiah.qm@example.com", "INES.MO@Example.com"
ZONES = {ZOFIA: "Europe/Berlin", TOBIAH: "Europe/London", INES.lower(): "Europe/Berlin"}  # from the sign-ups


def proposal(root, private, program, *pairs):
    lines = [f"program: {program}", "format: one-to-one", "pairs:"]
    for mentee, mentor in pairs:
        lines += [f"  - mentee: {code(private, mentee)}", f"    mentor: {code(private, mentor)}",
                  "    status: approved", "    score: 50"]
    (root / "participants" / "matches" / f"{program}.yaml").write_text("\n".join(lines) + "\n")


def meetings(report):
    """(people's e-mail addresses, start, end) of every invitation written, read back with vobject."""
    out = []
    for intro in report.written:
        event = vobject.readOne(intro.ics.read_text()).vevent
        people = {a.value.removeprefix("mailto:").lower() for a in event.contents["attendee"]}
        out.append((people, event.dtstart.value, event.dtend.value))
    return out


def season(tmp_path, **program_lines):
    """Zofia mentors Tobiah and Ines in pilot; Ines ("both") mentors Tobiah in pilot2."""
    root, private, out, _, _ = enrolled(tmp_path)
    for name, value in program_lines.items():
        path = root / "program" / f"{name}.yaml"
        path.write_text(path.read_text().replace("session_minutes: 60", value, 1))
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot2", private, today=DAY).ok
    proposal(root, private, "pilot", (TOBIAH, ZOFIA), (INES, ZOFIA))
    proposal(root, private, "pilot2", (TOBIAH, INES))
    return root, private, out


def assert_no_clash(found):
    for (a, a0, a1), (b, b0, b1) in combinations(found, 2):
        if a & b:
            assert a1 <= b0 or b1 <= a0, f"{sorted(a & b)} have two meetings at once: {a0} and {b0}"


def test_a_mentor_with_two_mentees_and_a_both_sign_up_get_distinct_times(tmp_path):
    root, private, out = season(tmp_path)
    first = write_intros(root, "pilot", private, out, today=TODAY)
    second = write_intros(root, "pilot2", private, out, today=TODAY)  # another batch: the diary remembers the first
    found = meetings(first) + meetings(second)
    assert len(found) == 3
    assert_no_clash(found)
    starts = {start for _, start, _ in found}
    assert len(starts) == 3, "the same preferred time cannot go to three meetings that share people"
    for people, start, end in found:
        assert start.date().weekday() < 5
        for zone in {ZONES[p] for p in people}:
            local0, local1 = start.astimezone(zoneinfo.ZoneInfo(zone)), end.astimezone(zoneinfo.ZoneInfo(zone))
            assert dt.time(9) <= local0.time() and local1.time() <= dt.time(17), (people, local0, local1)
    assert (private / DIARY_FILE).is_file()


def test_the_e_mail_states_the_time_of_its_invitation(tmp_path):
    root, private, out = season(tmp_path)
    report = write_intros(root, "pilot", private, out, today=TODAY)
    for intro in report.written:
        text = email.message_from_bytes(intro.eml.read_bytes(), policy=policy.default).get_body(
            ("plain",)).get_content()
        assert f"{intro.meeting:%H:%M} ({intro.meeting.tzinfo.key})" in text


def test_program_working_hours_and_events_are_respected(tmp_path):
    root, private, out = season(tmp_path, pilot='session_minutes: 60\n  working_hours: "13:00-16:00"')
    text = (root / "program" / "pilot.yaml").read_text()
    report = write_intros(root, "pilot", private, out, today=TODAY, meeting_time="09:00")
    found = meetings(report)
    assert_no_clash(found)
    for _, start, end in found:
        berlin = start.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")), end.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
        london = start.astimezone(zoneinfo.ZoneInfo("Europe/London")), end.astimezone(zoneinfo.ZoneInfo("Europe/London"))
        assert berlin[0].time() >= dt.time(13) and london[1].time() <= dt.time(16), (berlin, london)
        assert f"date: {start.date().isoformat()}" not in text, "never on a milestone's day"


def test_a_full_day_moves_the_next_meeting_to_another_day(tmp_path):
    """Hours that fit one of Zofia's hour-long meetings a day (with a quarter of an hour between two): her second
    first meeting goes to the next meeting day."""
    root, private, out = season(tmp_path, pilot='session_minutes: 60\n  working_hours: "10:00-12:30"')
    report = write_intros(root, "pilot", private, out, today=TODAY)
    found = meetings(report)
    assert_no_clash(found)
    assert len({start.date() for _, start, _ in found}) == 2


def test_writing_again_keeps_one_booking_per_meeting(tmp_path):
    root, private, out = season(tmp_path)
    first = [i.meeting for i in write_intros(root, "pilot", private, out, today=TODAY).written]
    again = [i.meeting for i in write_intros(root, "pilot", private, out, today=TODAY, again=True).written]
    assert first == again, "a meeting written again keeps its time (its own booking does not block it)"
    assert (private / DIARY_FILE).read_text().count("intro-pilot-") == 2
