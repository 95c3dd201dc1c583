"""`mentorkit due`: the week's work from the program calendar, each item with its command."""

import datetime as dt

from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.due import due
from mentorkit.coordinator.intros import write_intros
from test_meeting_slots import TODAY, season


def whats(report, program="pilot"):
    return [i.what for i in report.items if i.program == program]


def test_introductions_are_due_until_written(tmp_path):
    root, private, out = season(tmp_path)
    before = due(root, TODAY, private)
    assert "introduce 2 newly approved pairs" in whats(before)
    assert any("mentorkit intros pilot" in i.command for i in before.items)
    write_intros(root, "pilot", private, out, today=TODAY)
    assert not any(w.startswith("introduce") for w in whats(due(root, TODAY, private)))
    blind = due(root, TODAY)
    assert not any(w.startswith("introduce") for w in whats(blind, "pilot2")) and "--private" in blind.notes[0], \
        "without the private folder nothing is claimed about introductions"


def test_nudges_events_and_the_end_fall_in_their_week(tmp_path):
    root, private, _ = season(tmp_path)
    program = (root / "program" / "pilot.yaml").read_text()
    quiet = due(root, dt.date(2026, 3, 2), private)  # eight weeks after the start, no check-in at all
    assert "2 pairs need a nudge" in whats(quiet)
    assert not any("ends" in w for w in whats(quiet))
    last = due(root, dt.date(2026, 6, 29), private)  # pilot ends on 30 June
    closure = next(i for i in last.items if i.program == "pilot" and "ends" in i.what)
    assert closure.day == dt.date(2026, 6, 30) and "closure" in closure.command and "--date 2026-06-30" in closure.command
    assert "date: 2026-01-05" in program  # the kickoff milestone of the fixture
    assert "Kickoff (program event)" in whats(due(root, dt.date(2026, 1, 5), private))
    assert "Kickoff (program event)" not in whats(due(root, dt.date(2026, 1, 6), private))
    assert whats(due(root, dt.date(2026, 9, 1), private)) == [], "a program over for weeks has nothing due"


def test_cli_due(tmp_path):
    root, private, _ = season(tmp_path)
    result = CliRunner().invoke(main, ["due", "--date", "2026-01-02", "--private", str(private), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "due from Friday 2 January 2026 to Thursday 8 January 2026" in result.output
    assert "run: mentorkit intros pilot" in result.output
