"""Program calendars: RFC 5545 text, checked with an independent parser (vobject), not the writer."""

from __future__ import annotations

import datetime as dt

import pytest

vobject = pytest.importorskip("vobject", reason="vobject is a test dependency: pip install -e '.[test]'")

from mentorkit import calendar as ical  # noqa: E402
from mentorkit.model import Program  # noqa: E402

D = dt.date

WHIT_MONDAY = {"Whit Monday", "Pentecost Monday"}  # the holidays library renamed it between releases


def program(start="2026-01-12", end="2026-12-18", every="monthly", minutes=60, reminder=3, milestones=None,
            title="Grow — one-to-one mentoring"):
    if milestones is None:
        milestones = [
            {"id": "kickoff", "title": "Kickoff", "kind": "kickoff", "date": start, "minutes": 90, "agenda": "kickoff"},
            {"id": "mid", "title": "Mid-program check-in", "kind": "check-in", "date": "2026-06-17"},
            {"id": "party", "title": "Celebration, with cake; and speeches", "kind": "celebration", "date": end},
        ]
    return Program.model_validate({
        "title": title, "purpose": "p", "audience": "a", "format": "one-to-one",
        "timeline": {"start": start, "end": end},
        "cadence": {"every": every, "session_minutes": minutes, "reminder_days_before": reminder},
        "goals": [{"id": "g", "statement": "s", "metric": "nps", "target": 30, "achievable": "a", "relevant": "r",
                   "due": end, "readjust": "r"}],
        "milestones": milestones,
    })


def parse(data: bytes):
    return vobject.readOne(data.decode("utf-8"))


def check_rfc5545(data: bytes) -> None:
    """The structural rules of RFC 5545 that a parser may forgive but a calendar client may not."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in "".join(lines), "every line ends with CRLF"
    assert all(len(line.encode("utf-8")) <= 75 for line in lines), "lines are folded at 75 octets"
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    cal = parse(data)
    assert cal.version.value == "2.0"
    assert cal.prodid.value
    for event in cal.vevent_list:
        for name in ("uid", "dtstamp", "dtstart", "dtend", "summary"):
            assert len(event.contents.get(name, [])) == 1, name
        assert event.dtstamp.value.tzinfo is not None and event.dtstamp.value.utcoffset() == dt.timedelta(0)
        assert type(event.dtstart.value) is dt.date, "milestones and sessions have a date, not a time"
        assert event.dtend.value > event.dtstart.value
        assert "rrule" not in event.contents, "each session is an event of its own, on its computed date"
        assert 0 <= int(event.sequence.value) < 2**31
        assert "last-modified" not in event.contents, "the site does not know when an event last changed"
        for alarm in event.contents.get("valarm", []):
            assert alarm.action.value == "DISPLAY" and alarm.description.value and alarm.trigger.value


STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # SOURCE_DATE_EPOCH 1767225600
GROW_SESSIONS = [D(2026, 1, 13), D(2026, 2, 12), D(2026, 3, 12), D(2026, 4, 13), D(2026, 5, 12), D(2026, 6, 12),
                 D(2026, 7, 13), D(2026, 8, 12), D(2026, 9, 14), D(2026, 10, 12), D(2026, 11, 12), D(2026, 12, 14)]


def sessions_of(cal) -> list:
    return sorted((e for e in cal.vevent_list if e.categories.value == ["session"]), key=lambda e: e.dtstart.value)


def test_program_calendar_has_every_milestone_and_every_session():
    p = program()
    data = ical.to_ics(ical.program_calendar("grow", p, stamp=STAMP, uid_domain="mentoring.example.org"))
    check_rfc5545(data)
    cal = parse(data)
    events = {e.uid.value: e for e in cal.vevent_list}
    assert len(cal.vevent_list) == ical.event_count(p) == 3 + 12
    assert {"grow-kickoff@mentoring.example.org", "grow-mid@mentoring.example.org",
            "grow-party@mentoring.example.org"} <= set(events)
    assert events["grow-kickoff@mentoring.example.org"].dtstart.value == D(2026, 1, 12)
    assert events["grow-kickoff@mentoring.example.org"].dtend.value == D(2026, 1, 13)
    assert events["grow-party@mentoring.example.org"].summary.value == "Grow: Celebration, with cake; and speeches"
    assert cal.contents["x-wr-calname"][0].value == "Grow mentoring"
    sessions = sessions_of(cal)
    assert [e.dtstart.value for e in sessions] == GROW_SESSIONS
    assert [e.uid.value for e in sessions] == [f"grow-session-{n}@mentoring.example.org" for n in range(1, 13)]
    assert sessions[2].summary.value == "Grow: mentoring session 3 of 12 (60 min)"
    # 09:00 three days ahead: the trigger counts from the all-day event's midnight
    assert sessions[0].valarm.trigger.value == -dt.timedelta(days=3) + dt.timedelta(hours=9)
    assert "TRIGGER:-P2DT15H\r\n" in data.decode()


@pytest.mark.parametrize(("every", "start", "end", "weekdays", "milestones", "expected"), [
    # Saturdays and Sundays move to the Monday; the kickoff day moves the first session to the next day
    ("monthly", "2026-01-12", "2026-12-18", None, None, GROW_SESSIONS),
    # a single allowed weekday: every session on a Wednesday; the one moved past the end is dropped
    ("weekly", "2026-03-02", "2026-03-31", ["wednesday"], [], [D(2026, 3, d) for d in (4, 11, 18, 25)]),
    # an event on the Wednesday takes it: that week's session moves onto the next one's and is dropped
    ("weekly", "2026-03-02", "2026-03-31", ["wednesday"],
     [{"id": "m", "title": "Module", "kind": "module", "date": "2026-03-11"}], [D(2026, 3, d) for d in (4, 18, 25)]),
    ("fortnightly", "2026-03-02", "2026-05-29", None, [], [D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 30),
                                                           D(2026, 4, 13), D(2026, 4, 27), D(2026, 5, 11),
                                                           D(2026, 5, 25)]),
    ("quarterly", "2026-01-15", "2026-12-31", None, [], [D(2026, 1, 15), D(2026, 4, 15), D(2026, 7, 15),
                                                         D(2026, 10, 15)]),
    # the 31st keeps to the month's last day (28 February is a Saturday: 2 March); 31 May is a Sunday past the end
    ("monthly", "2026-01-31", "2026-05-31", None, [], [D(2026, 2, 2), D(2026, 3, 2), D(2026, 3, 31), D(2026, 4, 30)]),
    ("once", "2026-02-02", "2026-02-27", None, [], [D(2026, 2, 2)]),
    ("weekly", "2026-03-07", "2026-03-21", ["saturday", "sunday"], [], [D(2026, 3, 7), D(2026, 3, 14), D(2026, 3, 21)]),
])
def test_session_dates_fall_on_allowed_days_and_never_on_an_event(every, start, end, weekdays, milestones, expected):
    p = program(start=start, end=end, every=every, milestones=milestones)
    if weekdays:
        p = p.model_copy(update={"cadence": p.cadence.model_copy(update={"weekdays": weekdays})})
    dates = list(ical.sessions(p).dates)
    assert dates == expected
    allowed = {("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday").index(w)
               for w in (weekdays or ["monday", "tuesday", "wednesday", "thursday", "friday"])}
    assert all(d.weekday() in allowed for d in dates)
    assert not set(dates) & {m.date for m in p.milestones}
    data = ical.to_ics(ical.program_calendar("x", p, stamp=STAMP))
    check_rfc5545(data)
    assert [e.dtstart.value for e in sessions_of(parse(data))] == expected, "the calendar has the same dates"


def test_weekdays_must_be_named_days():
    with pytest.raises(ValueError, match="weekdays"):
        program().cadence.model_validate({"weekdays": ["funday"]})
    with pytest.raises(ValueError, match="weekdays"):
        program().cadence.model_validate({"weekdays": []})


def test_later_sessions_cycle_through_the_plan_after_its_first_agenda():
    p = program().model_copy(update={"session_plan": ["first", "career", "problems"]})
    assert ical.session_agendas(p, 7) == ["first", "career", "problems", "career", "problems", "career", "problems"]
    one = p.model_copy(update={"session_plan": ["only"]})
    assert ical.session_agendas(one, 3) == ["only", "only", "only"]
    assert ical.session_agendas(p.model_copy(update={"session_plan": []}), 2) == [None, None]
    assert ical.session_agendas(p, 2) == ["first", "career"]


def test_output_is_deterministic_and_stamped_with_the_build_time():
    p = program()
    first = ical.to_ics(ical.program_calendar("grow", p, stamp=STAMP))
    assert first == ical.to_ics(ical.program_calendar("grow", program(), stamp=STAMP))
    cal = parse(first)
    assert {e.dtstamp.value for e in cal.vevent_list} == {STAMP}
    # without a build time: a fixed stamp, never the clock
    assert parse(ical.to_ics(ical.program_calendar("grow", p))).vevent.dtstamp.value == ical.EPOCH


def sequences(p, **options) -> dict[str, int]:
    cal = parse(ical.to_ics(ical.program_calendar("grow", p, **options)))
    return {e.uid.value: int(e.sequence.value) for e in cal.vevent_list}


def test_sequence_changes_only_when_the_event_changes():
    p = program()
    before = sequences(p, stamp=STAMP)
    assert len(set(before.values())) == len(before), "each event has its own fingerprint"
    # a later build of the same program: every SEQUENCE stays, only DTSTAMP moves
    assert sequences(p, stamp=STAMP + dt.timedelta(days=40)) == before
    # the mid-program check-in moves a day: that event (and the session that then moves off it) change, no other
    moved = program(milestones=[
        {"id": "kickoff", "title": "Kickoff", "kind": "kickoff", "date": "2026-01-12", "minutes": 90,
         "agenda": "kickoff"},
        {"id": "mid", "title": "Mid-program check-in", "kind": "check-in", "date": "2026-06-18"},
        {"id": "party", "title": "Celebration, with cake; and speeches", "kind": "celebration", "date": "2026-12-18"},
    ])
    after = sequences(moved, stamp=STAMP)
    changed = {uid for uid in before if before[uid] != after[uid]}
    assert changed == {"grow-mid@mentorkit.invalid"}
    # a new title for the program changes every event's summary, so every SEQUENCE
    renamed = sequences(program(title="Grow further — one-to-one mentoring"), stamp=STAMP)
    assert all(renamed[uid] != before[uid] for uid in before)


def test_uids_do_not_depend_on_the_site_address():
    p = program().model_copy(update={"session_plan": ["first-meeting"]})
    domain = ical.uid_domain("Mentoring at Example Org")
    assert domain == "mentoring-at-example-org.mentorkit.invalid"
    assert ical.uid_domain(None) == ical.uid_domain("  ") == "mentorkit.invalid"
    without = parse(ical.to_ics(ical.program_calendar("grow", p, uid_domain=domain)))
    with_url = parse(ical.to_ics(ical.program_calendar("grow", p, uid_domain=domain,
                                                       base_url="https://mentoring.example.org/",
                                                       page_urls={"program": "programs/grow/"})))
    assert [e.uid.value for e in without.vevent_list] == [e.uid.value for e in with_url.vevent_list]
    assert without.vevent.uid.value == "grow-kickoff@mentoring-at-example-org.mentorkit.invalid"
    # the event did change (it now links to its page), so its SEQUENCE does
    assert without.vevent.sequence.value != with_url.vevent.sequence.value


def test_calendar_name_does_not_repeat_mentoring():
    assert ical.calendar_name(program(title="Mentoring 2027")) == "Mentoring 2027"
    assert ical.calendar_name(program(title="Grow — one-to-one mentoring")) == "Grow mentoring"


def with_holidays(p, **holidays):
    return Program.model_validate({**p.model_dump(mode="json", exclude_none=True), "holidays": holidays})


def test_sessions_avoid_public_holidays_of_the_region_and_closing_days():
    # weekly on Mondays from 11 May 2026: Whit Monday (25 May) is a holiday in all of Germany
    p = program(start="2026-05-04", end="2026-06-12", every="weekly", milestones=[])
    p = p.model_copy(update={"cadence": p.cadence.model_copy(update={"weekdays": ["monday", "tuesday"]})})
    plain = list(ical.sessions(p).dates)
    assert D(2026, 5, 25) in plain
    german = with_holidays(p, country="DE")
    assert list(ical.sessions(german).dates) == [D(2026, 5, 4), D(2026, 5, 11), D(2026, 5, 18), D(2026, 5, 26),
                                                 D(2026, 6, 1), D(2026, 6, 8)]
    assert ical.closed_days(german)[D(2026, 5, 25)] in WHIT_MONDAY  # the library's name for it
    # Berlin adds International Women's Day (8 March; a Monday in 2027) to the national days; Bavaria does not
    march = program(start="2027-03-01", end="2027-03-19", every="weekly", milestones=[])
    berlin = with_holidays(march, country="DE", subdivision="BE")
    bavaria = with_holidays(march, country="DE", subdivision="BY")
    assert D(2027, 3, 8) not in ical.sessions(berlin).dates and D(2027, 3, 9) in ical.sessions(berlin).dates
    assert D(2027, 3, 8) in ical.sessions(bavaria).dates
    # explicit dates, with or without a country; the calendar has the same dates as the schedule
    closing = with_holidays(p, dates=["2026-05-11"])
    assert D(2026, 5, 11) not in ical.sessions(closing).dates and D(2026, 5, 12) in ical.sessions(closing).dates
    events = sessions_of(parse(ical.to_ics(ical.program_calendar("x", german))))
    assert [e.dtstart.value for e in events] == list(ical.sessions(german).dates)


@pytest.mark.parametrize(("setting", "message"), [
    ({"country": "XX"}, "has no public-holiday calendar"),
    ({"country": "DE", "subdivision": "ZZ"}, "'ZZ' is not a region of DE"),
    ({"subdivision": "BE"}, "a subdivision needs its country"),
    ({"country": "de"}, "pattern"),
])
def test_holiday_settings_are_checked(setting, message):
    with pytest.raises(ValueError, match=message):
        with_holidays(program(), **setting)


def test_session_reminders_are_worded_for_the_format():
    notes = {}
    for fmt in ("one-to-one", "group", "peer", "mosaic", "team"):
        p = program().model_copy(update={"format": fmt})
        session = sessions_of(parse(ical.to_ics(ical.program_calendar("x", p))))[0]
        notes[fmt] = session.description.value
    assert "with your mentor or mentee" in notes["one-to-one"]
    assert all("mentor or mentee" not in notes[f] for f in ("group", "peer", "team"))
    assert "your group" in notes["group"].lower() and "your peer" in notes["peer"]
    assert "in turn" in notes["mosaic"]


def test_links_are_absolute_only_when_the_site_address_is_known():
    p = program().model_copy(update={"session_plan": ["first-meeting"]})
    plain = parse(ical.to_ics(ical.program_calendar("grow", p, page_urls={"program": "programs/grow/"})))
    assert all("url" not in e.contents for e in plain.vevent_list)
    assert all(e.uid.value.endswith("@mentorkit.invalid") for e in plain.vevent_list)
    linked = parse(ical.to_ics(ical.program_calendar(
        "grow", p, base_url="https://mentoring.example.org/",
        agenda_titles={"kickoff": "Kickoff agenda", "first-meeting": "First meeting"},
        page_urls={"program": "programs/grow/", "kickoff": "programs/grow/agendas/kickoff/",
                   "first-meeting": "programs/grow/agendas/first-meeting/"})))
    events = {e.uid.value.split("@")[0]: e for e in linked.vevent_list}
    kickoff = events["grow-kickoff"]
    assert kickoff.url.value == "https://mentoring.example.org/programs/grow/agendas/kickoff/"
    assert "Agenda: Kickoff agenda." in kickoff.description.value
    assert events["grow-mid"].url.value == "https://mentoring.example.org/programs/grow/"
    first, second = events["grow-session-1"], events["grow-session-2"]
    assert first.url.value == "https://mentoring.example.org/programs/grow/agendas/first-meeting/"
    assert "mentoring session 1 of 12, 60 minutes" in first.description.value
    assert "Agenda: First meeting." in first.description.value
    assert "Agenda: First meeting." in second.description.value, "a one-agenda plan serves every later session"


def test_combined_calendar_holds_every_program_with_unique_uids():
    programs = {"grow": program(), "connect": program(start="2026-03-02", end="2026-05-29", every="fortnightly",
                                                      milestones=[], title="Connect")}
    data = ical.to_ics(ical.combined_calendar(programs))
    check_rfc5545(data)
    events = parse(data).vevent_list
    uids = [e.uid.value for e in events]
    assert len(uids) == len(set(uids)) == ical.event_count(programs["grow"]) + ical.event_count(programs["connect"])
    assert uids[0].startswith("connect-") and uids[-1] == "grow-session-12@mentorkit.invalid"


def test_the_demo_peer_program_keeps_berlin_holidays():
    from pathlib import Path

    from mentorkit.repo.load import load_workspace

    connect = load_workspace(Path(__file__).resolve().parent.parent).programs["connect"]
    dates = ical.sessions(connect).dates
    assert D(2026, 5, 25) not in dates and D(2026, 5, 26) in dates, "Whit Monday moves to the Tuesday"
    assert ical.closed_days(connect)[D(2026, 5, 25)] in WHIT_MONDAY
