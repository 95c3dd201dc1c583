"""Per-person working hours from the sign-up: read from Google and Microsoft Forms exports, refused with the row
and the column when unreadable, and used for meeting times (the part of the day both partners share)."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest

from mentorkit.coordinator.answers import CellError, parse_working_hours
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.slots import Workday, find_slot
from mentorkit.repo.load import read_workspace
from test_imports import table, where
from test_intake import DAY, EXPORTS, code, intake, make_repo
from test_intros import set_fields
from test_meeting_slots import INES, TOBIAH, TODAY, ZOFIA, assert_no_clash, meetings, season

# (time zone, personal hours) of the season's people: Zofia mentors Tobiah and Ines; Ines ("both") is narrow
HOURS = {ZOFIA: ("Europe/Berlin", "10:00-16:00"), TOBIAH: ("Europe/London", "08:00-14:00"),
         INES.lower(): ("Europe/Berlin", "14:00-15:30")}


@pytest.mark.parametrize(("answer", "stored"), [
    ("9:00-17:00", "09:00-17:00"), ("09:00 – 17:30", "09:00-17:30"), ("9-17", "09:00-17:00"),
    ("8.30 to 16.30", "08:30-16:30"), ("9am - 5:30pm", "09:00-17:30"), ("07:00—24:00", "07:00-23:59")])
def test_common_ways_of_writing_hours_are_read(answer, stored):
    assert parse_working_hours(answer) == stored


@pytest.mark.parametrize(("answer", "says"), [
    ("17:00-09:00", "does not end after it starts"), ("9:00-9:00", "does not end after it starts"),
    ("flexible", "is not a working day"), ("25:00-26:00", "not a time of day"), ("13pm-2pm", "not a time")])
def test_unreadable_hours_say_what_is_wrong(answer, says):
    with pytest.raises(CellError, match=says) as caught:
        parse_working_hours(answer)
    assert "09:00-17:00" in caught.value.hint or "08:30-16:30" in caught.value.hint


def with_column(path, title, answers, delimiter=","):
    """The export at `path` with a column `title` added: answers by e-mail (lower-cased), else empty."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    email = next(i for i, t in enumerate(rows[0]) if t.lower() in ("email", "email address"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*rows[0], title])
    for row in rows[1:]:
        writer.writerow([*row, answers.get(row[email].strip().lower(), "")])
    return ("\ufeff" if bom else "") + out.getvalue()


def test_google_and_microsoft_exports_bring_the_hours_in(tmp_path):
    root, private, _ = make_repo(tmp_path)
    google = tmp_path / "google.csv"
    google.write_text(with_column(EXPORTS / "google-forms-signup.csv", "Your working hours (optional)",
                                  {ZOFIA: "9:00-17:00", TOBIAH: "08:30 – 16:00"}), encoding="utf-8")
    assert intake(root, google, "pilot", private, today=DAY).ok
    microsoft = tmp_path / "microsoft.csv"
    microsoft.write_text(with_column(EXPORTS / "microsoft-forms-signup.csv", "Working hours",
                                     {"zofia.kowalczyk@example.com": "10:00 – 15:30"}, ";"), encoding="utf-8")
    assert intake(root, microsoft, "pilot", private, today=DAY).ok
    hours = {r["pseudonym"]: r["working_hours"] for r in table(root, "participants")}
    assert hours[code(private, TOBIAH)] == "08:30-16:00"
    assert hours[code(private, ZOFIA)] == "10:00-15:30", "the later sign-up's answer replaces the earlier one"
    assert hours[code(private, INES)] == "", "no answer: the program's working hours"
    ws, report = read_workspace(root)
    assert report.ok, report.problems
    assert ws.participants[code(private, TOBIAH)].working_hours == "08:30-16:00"


def test_bad_hours_in_an_export_are_refused_with_row_and_column(tmp_path):
    root, private, _ = make_repo(tmp_path)
    before = (root / "participants" / "participants.csv").read_bytes()
    export = tmp_path / "google.csv"
    export.write_text(with_column(EXPORTS / "google-forms-signup.csv", "Working hours",
                                  {ZOFIA: "17:00-09:00", TOBIAH: "whenever"}), encoding="utf-8")
    report = intake(root, export, "pilot", private, today=DAY)
    assert {(row, column) for row, column, _ in where(report)} == {(2, "Working hours"), (3, "Working hours")}
    messages = " ".join(p.message for p in report.problems)
    assert "does not end after it starts" in messages and "'whenever' is not a working day" in messages
    assert (root / "participants" / "participants.csv").read_bytes() == before, "nothing written"


def test_bad_hours_in_the_table_are_refused_with_row_and_field(tmp_path):
    root, private, _ = make_repo(tmp_path)
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    set_fields(root, code(private, ZOFIA), working_hours="17:00-09:00")
    set_fields(root, code(private, TOBIAH), working_hours="9-5")
    rows = {r["pseudonym"]: i for i, r in enumerate(table(root, "participants"), start=2)}
    _, report = read_workspace(root)
    found = {(p.row, p.field, p.code): p for p in report.problems}
    assert set(found) == {(rows[code(private, ZOFIA)], "working_hours", "invalid-value"),
                          (rows[code(private, TOBIAH)], "working_hours", "invalid-format")}
    assert all("08:30-16:30" in (p.hint or "") for p in found.values())


def personal_season(tmp_path, hours=HOURS):
    root, private, out = season(tmp_path)
    for email, (_, span) in hours.items():
        set_fields(root, code(private, email), working_hours=span)
    return root, private, out


def test_a_mentor_of_two_and_a_narrow_both_sign_up_get_distinct_slots_inside_everyones_hours(tmp_path):
    root, private, out = personal_season(tmp_path)
    first = write_intros(root, "pilot", private, out, today=TODAY)  # Zofia with Tobiah, Zofia with Ines
    second = write_intros(root, "pilot2", private, out, today=TODAY)  # Ines with Tobiah
    found = meetings(first) + meetings(second)
    assert len(found) == 3 and all(not i.warning for i in first.written + second.written)
    assert_no_clash(found)
    for people, start, end in found:
        assert start.weekday() < 5
        for person in people:
            zone, span = HOURS[person]
            tz = zoneinfo.ZoneInfo(zone)
            lo, hi = (dt.time.fromisoformat(t) for t in span.split("-"))
            assert start.astimezone(tz).date() == end.astimezone(tz).date()
            assert lo <= start.astimezone(tz).time() and end.astimezone(tz).time() <= hi, (person, start, end)
    ines = sorted(start for people, start, _ in found if INES.lower() in people)
    assert ines[0].date() != ines[1].date(), "Ines's 90 minutes a day hold one of her two meetings"


def test_partners_whose_hours_never_meet_are_told_to_agree_a_time(tmp_path):
    root, private, out = personal_season(tmp_path, {ZOFIA: ("Europe/Berlin", "08:00-09:00"),
                                                    TOBIAH: ("Europe/London", "13:00-17:00"),
                                                    INES.lower(): ("Europe/Berlin", "13:00-17:00")})
    report = write_intros(root, "pilot", private, out, today=TODAY)
    warnings = {i.mentees: i.warning for i in report.written}
    assert warnings[(code(private, TOBIAH),)] == (  # the mentee's hours first: the time is shown in their zone
        "the working hours 13:00-17:00 in Europe/London and 08:00-09:00 in Europe/Berlin do not overlap by 60 "
        "minutes: agree a time that suits everyone")
    assert "warning: the working hours" in report.as_text()
    assert not (private / "meetings-booked.csv").is_file() or "intro-pilot-" not in (
        private / "meetings-booked.csv").read_text(), "a meeting that does not fit is not booked"


def test_find_slot_uses_the_intersection_of_each_persons_own_day(tmp_path):
    root, _, _ = make_repo(tmp_path)
    program = read_workspace(root)[0].programs["pilot"]
    day = dt.date(2026, 2, 2)  # a Monday
    people = [Workday("America/New_York", dt.time(8), dt.time(12)), Workday("Europe/Berlin", dt.time(13), dt.time(18))]
    slot = find_slot(program, day, people, 60, dt.time(8))
    # New York 08:00-12:00 is Berlin 14:00-18:00; Berlin's 13:00-18:00: the shared part is 14:00-18:00 Berlin
    assert slot.fits and slot.start == dt.datetime(2026, 2, 2, 8, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    late = find_slot(program, day, people, 60, dt.time(23))
    assert late.start == dt.datetime(2026, 2, 2, 11, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
