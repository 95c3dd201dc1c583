"""Program calendars: RFC 5545 text, checked with an independent parser (vobject), not the writer."""

from __future__ import annotations

import datetime as dt

import pytest

vobject = pytest.importorskip("vobject", reason="vobject is a test dependency: pip install -e '.[test]'")

from mentorkit import calendar as ical  # noqa: E402
from mentorkit.model import Program  # noqa: E402

D = dt.date


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


def expand(event) -> list[dt.date]:
    rules = event.getrruleset()
    if rules is None:
        return [event.dtstart.value]
    return [d.date() if isinstance(d, dt.datetime) else d for d in rules]


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
        if "rrule" in event.contents:
            rule = event.rrule.value
            assert rule.startswith("FREQ=")
            until = next(part for part in rule.split(";") if part.startswith("UNTIL="))[6:]
            assert len(until) == 8, "UNTIL is a DATE when DTSTART is a DATE"
        for alarm in event.contents.get("valarm", []):
            assert alarm.action.value == "DISPLAY" and alarm.description.value and alarm.trigger.value


def test_program_calendar_has_every_milestone_and_the_session_series():
    p = program()
    data = ical.to_ics(ical.program_calendar("grow", p))
    check_rfc5545(data)
    cal = parse(data)
    events = {e.uid.value: e for e in cal.vevent_list}
    assert len(cal.vevent_list) == ical.event_count(p) == 4
    assert set(events) == {"grow-kickoff@mentorkit", "grow-mid@mentorkit", "grow-party@mentorkit",
                           "grow-sessions@mentorkit"}
    assert events["grow-kickoff@mentorkit"].dtstart.value == D(2026, 1, 12)
    assert events["grow-kickoff@mentorkit"].dtend.value == D(2026, 1, 13)
    assert events["grow-mid@mentorkit"].dtstart.value == D(2026, 6, 17)
    assert events["grow-party@mentorkit"].summary.value == "Grow: Celebration, with cake; and speeches"
    assert cal.contents["x-wr-calname"][0].value == "Grow mentoring"
    sessions = events["grow-sessions@mentorkit"]
    assert sessions.summary.value == "Grow: monthly mentoring session (60 min)"
    assert expand(sessions) == [D(2026, m, 12) for m in range(1, 13)]
    assert sessions.valarm.trigger.value == -dt.timedelta(days=3)


@pytest.mark.parametrize(("every", "start", "end", "expected"), [
    ("weekly", "2026-03-02", "2026-03-30", [D(2026, 3, d) for d in (2, 9, 16, 23, 30)]),
    ("fortnightly", "2026-03-02", "2026-05-29", [D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 30), D(2026, 4, 13),
                                                 D(2026, 4, 27), D(2026, 5, 11), D(2026, 5, 25)]),
    ("monthly", "2026-01-12", "2026-04-11", [D(2026, 1, 12), D(2026, 2, 12), D(2026, 3, 12)]),
    ("quarterly", "2026-01-15", "2026-12-31", [D(2026, 1, 15), D(2026, 4, 15), D(2026, 7, 15), D(2026, 10, 15)]),
    # a start on the 31st would make a plain monthly rule skip short months: the last day of each month instead
    ("monthly", "2026-01-31", "2026-05-31", [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30),
                                             D(2026, 5, 31)]),
    ("once", "2026-02-02", "2026-02-27", [D(2026, 2, 2)]),
])
def test_session_dates_match_an_independent_rrule_expansion(every, start, end, expected):
    p = program(start=start, end=end, every=every, milestones=[])
    assert list(ical.sessions(p).dates) == expected
    data = ical.to_ics(ical.program_calendar("x", p))
    check_rfc5545(data)
    [event] = parse(data).vevent_list
    assert expand(event) == expected
    assert ("rrule" in event.contents) == (every != "once")


def test_output_is_deterministic_and_clock_free():
    p = program()
    first = ical.to_ics(ical.program_calendar("grow", p))
    assert first == ical.to_ics(ical.program_calendar("grow", program()))
    cal = parse(first)
    assert {e.dtstamp.value for e in cal.vevent_list} == {dt.datetime(2026, 1, 12, tzinfo=dt.UTC)}
    # another program start moves DTSTAMP with it: it comes from the data, never from the clock
    later = parse(ical.to_ics(ical.program_calendar("grow", program(start="2026-02-02", milestones=[]))))
    assert later.vevent.dtstamp.value == dt.datetime(2026, 2, 2, tzinfo=dt.UTC)


def test_links_are_absolute_only_when_the_site_address_is_known():
    p = program()
    plain = parse(ical.to_ics(ical.program_calendar("grow", p, page_urls={"program": "programs/grow/"})))
    assert all("url" not in e.contents for e in plain.vevent_list)
    linked = parse(ical.to_ics(ical.program_calendar(
        "grow", p, base_url="https://mentoring.example.org/", agenda_titles={"kickoff": "Kickoff agenda"},
        page_urls={"program": "programs/grow/", "kickoff": "programs/grow/agendas/kickoff/"})))
    events = {e.uid.value: e for e in linked.vevent_list}
    kickoff = events["grow-kickoff@mentorkit"]
    assert kickoff.url.value == "https://mentoring.example.org/programs/grow/agendas/kickoff/"
    assert "Agenda: Kickoff agenda." in kickoff.description.value
    assert events["grow-mid@mentorkit"].url.value == "https://mentoring.example.org/programs/grow/"


def test_combined_calendar_holds_every_program_with_unique_uids():
    programs = {"grow": program(), "connect": program(start="2026-03-02", end="2026-05-29", every="fortnightly",
                                                      milestones=[], title="Connect")}
    data = ical.to_ics(ical.combined_calendar(programs))
    check_rfc5545(data)
    events = parse(data).vevent_list
    uids = [e.uid.value for e in events]
    assert len(uids) == len(set(uids)) == ical.event_count(programs["grow"]) + ical.event_count(programs["connect"])
    assert uids[-1] == "grow-sessions@mentorkit" and "connect-sessions@mentorkit" in uids
