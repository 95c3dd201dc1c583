"""`mentorkit due`: the week's work from the program calendar, each item with its command."""

import datetime as dt
import re

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


def test_the_waiting_list_is_due_when_a_place_is_free(tmp_path):
    """Ines waits because the mentor who fits her was full; while Zofia has a place free (and more once her pair
    with Tobiah ended), the week's list says a new match can place her; her not-matched e-mail says she waits."""
    from mentorkit.coordinator.messages import write_messages
    from test_intake import code
    from test_messages import bodies, with_templates

    root, private, out = season(tmp_path)
    with_templates(root)
    ines, tobiah, zofia = (code(private, e) for e in ("ines.mo@example.com", "tobiah.qm@example.com",
                                                      "zofia.kowalczyk@example.com"))
    path = root / "participants" / "matches" / "pilot.yaml"

    def proposal(status):
        path.write_text(f"program: pilot\nformat: one-to-one\npairs:\n  - mentee: {tobiah}\n    mentor: {zofia}\n"
                        f"    status: {status}\n    score: 50\n"
                        + ("    ended_on: 2026-02-01\n" if status == "ended" else "")
                        + f"unmatched:\n  - mentee: {ines}\n    reason: the only mentor who fits is fully booked\n")

    day = dt.date(2026, 2, 2)
    def free():
        item = next(i for i in due(root, day, private).items if "waiting list" in i.what)
        found = re.fullmatch(r"1 mentee on the waiting list and (\d+) mentor places? free: a new match can place "
                             r"them; in sign-up order: mk-[0-9a-f]{8} \(signed up [0-9-]+\)",
                             item.what)
        return int(found.group(1)), item

    proposal("approved")
    busy, _ = free()
    proposal("ended")
    places, item = free()
    assert places == busy + 1, "Tobiah's place with Zofia is free again"
    assert item.command.startswith("mentorkit match pilot")
    told = write_messages(root, "pilot", "not-matched", private, out / "nm", today=day)
    _, text, _ = bodies(told.written[0].path)
    assert "you are on the waiting list" in " ".join(text.split())
