"""`mentorkit import-outcomes`: an HR employee list into outcomes.csv; everyone else is only counted."""

import datetime as dt

from click.testing import CliRunner

from mentorkit.coordinator.outcomes import import_outcomes
from mentorkit.metrics import program_metrics
from mentorkit.metrics.context import build
from mentorkit.repo.load import read_workspace
from test_imports import table, where
from test_intake import DAY, EXPORTS, code, intake, make_repo

HR = EXPORTS / "hr-outcomes.csv"


def enrolled(tmp_path):
    root, private, _ = make_repo(tmp_path)
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    return root, private


def test_participants_outcomes_are_recorded_and_the_rest_counted(tmp_path):
    root, private = enrolled(tmp_path)
    before = table(root, "outcomes")
    report = import_outcomes(root, HR, "pilot", private)
    zofia, tobiah, ines = (code(private, e) for e in
                           ("zofia.kowalczyk@example.com", "tobiah.qm@example.com", "ines.mo@example.com"))
    new = [r for r in table(root, "outcomes") if r not in before]
    assert sorted((r["pseudonym"], r["outcome"], r["date"]) for r in new) == sorted([
        (zofia, "promotion", "2026-03-01"),
        (tobiah, "role-change", "2026-05-11"),
        (tobiah, "departure", "2026-06-30"),
        (ines, "role-change", "2026-02-01"),  # her promotion date (31/02) is rejected, her role change kept
    ])
    assert where(report) == {(4, "Last promotion date", "invalid-answer"), (11, "Work email", "missing-value")}
    # pilot runs 2026-01-05 to 2026-06-30: colleagues one to three were employed, two left, one was promoted,
    # three moved to another role; four joined later and five had left before
    assert ("comparison group (employees in the export not enrolled in pilot), 2026-01-05 to 2026-06-30: "
            "headcount 3, leavers 1, promotions 1, role_changes 1;") in "\n".join(report.notes)
    assert "Full name" in report.dropped_columns
    assert "5 rows of people in no program: counted for the comparison group only, not stored" in report.notes


def test_nobody_outside_the_programs_is_stored(tmp_path):
    root, private = enrolled(tmp_path)
    import_outcomes(root, HR, "pilot", private)
    text = (root / "participants" / "outcomes.csv").read_text()
    for secret in ("colleague", "Colleague", "E2001", "2026-02-27", "2026-04-01", "@"):
        assert secret not in text
    ws, report = read_workspace(root)
    assert report.ok
    assert all(o.pseudonym in ws.participants for o in ws.outcomes)


def test_dry_run_writes_nothing_and_a_rerun_adds_nothing(tmp_path):
    root, private = enrolled(tmp_path)
    before = (root / "participants" / "outcomes.csv").read_text()
    dry = import_outcomes(root, HR, "pilot", private, dry_run=True)
    assert len(dry.added) == 4 and not dry.written
    assert (root / "participants" / "outcomes.csv").read_text() == before
    import_outcomes(root, HR, "pilot", private)
    again = import_outcomes(root, HR, "pilot", private)
    assert not again.added and len(again.unchanged) == 4


def test_an_export_without_event_dates_is_refused(tmp_path):
    root, private = enrolled(tmp_path)
    export = tmp_path / "roster.csv"
    export.write_text("Work email,Hire date\nzofia.kowalczyk@example.com,2019-04-01\n")
    report = import_outcomes(root, export, "pilot", private)
    assert not report.ok and not report.written
    assert {p.code for p in report.problems} == {"missing-column"}


def test_imported_outcomes_reach_the_measures(tmp_path):
    root, private = enrolled(tmp_path)
    import_outcomes(root, HR, "pilot", private)
    ws, _ = read_workspace(root)
    ctx = build(ws, "pilot")
    assert ctx.outcomes_to is not None and ctx.outcomes_to >= dt.date(2026, 6, 30)  # Tobiah's last day
    zofia = code(private, "zofia.kowalczyk@example.com")
    assert [(o.outcome, o.date) for o in ctx.outcomes[zofia]] == [("promotion", dt.date(2026, 3, 1))]
    # the promotion rate counts the mentees matched for the whole window (as far as the records go)
    start = ws.program("pilot").timeline.start
    mentored = ctx.mentored(start, min(dt.date(start.year + 1, start.month, start.day) - dt.timedelta(days=1),
                                       ctx.outcomes_to))
    assert mentored and mentored <= ctx.seekers
    assert program_metrics(ws, "pilot").measure("promotion_rate_12m").n == len(mentored)


def test_cli(tmp_path):
    from mentorkit.cli import main

    root, private = enrolled(tmp_path)
    result = CliRunner().invoke(main, ["import-outcomes", str(HR), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--dry-run"])
    assert result.exit_code == 1, result.output  # rows were rejected: the coordinator has something to fix
    assert "would be added: 4" in result.output and "comparison group" in result.output
