"""The manager feedback form: managers' observations of their participants (Level 3), the manager never recorded."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.manager_feedback import import_manager_feedback
from mentorkit.metrics import program_metrics
from mentorkit.model import Metric
from mentorkit.repo.load import load_workspace, read_workspace
from test_imports import enrolled, table, where

HEADER = ("ID,Start time,Completion time,Email,Name,Your team member's work email address,"
          "How often do you see them apply what they learned in mentoring? (1-5),"
          "How has their effectiveness in their role changed since the program began? (1-5),"
          "How have the results of the team they work in changed since the program began? (1-5),"
          "\"Anything you would like to add? (optional, never imported)\"\n")


def test_the_shipped_form_imports_and_the_manager_is_not_recorded(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    export = tmp_path / "managers.csv"
    export.write_text(HEADER
                      + "1,2026-06-01 9:00,2026-06-01 9:03,boss.one@example.com,Bea Boss,tobiah.qm@example.com,"
                        "Often,More effective,Much better,Quietly brilliant\n"
                      + "2,2026-06-02 9:00,2026-06-02 9:03,boss.two@example.com,Cy Chief,zofia.kowalczyk@example.com,"
                        "5,sideways,,\n"
                      + "3,2026-06-02 9:00,2026-06-02 9:03,boss.two@example.com,Cy Chief,nobody@example.com,3,,,\n"
                      + "4,2026-06-03 9:00,2026-06-03 9:03,boss.one@example.com,Bea Boss,tobiah.qm@example.com,,,,\n")
    report = import_manager_feedback(root, export, "pilot", private)
    assert where(report) == {
        (3, "How has their effectiveness in their role changed since the program began? (1-5)", "invalid-answer"),
        (4, "Your team member's work email address", "unknown-person"),
        (5, "How often do you see them apply what they learned in mentoring? (1-5)", "missing-value")}
    assert "left out" in next(p.message for p in report.problems if p.row == 3)
    assert table(root, "manager_feedback") == [
        {"program": "pilot", "pseudonym": mentee, "date": "2026-06-01", "applies": "4", "effectiveness": "4",
         "team_performance": "5"},
        {"program": "pilot", "pseudonym": mentor, "date": "2026-06-02", "applies": "5", "effectiveness": "",
         "team_performance": ""}]
    assert set(report.dropped_columns) >= {"Email", "Name", "Anything you would like to add? (optional, never imported)"}
    text = "".join(p.read_text(errors="ignore") for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    for value in ("boss.one", "Bea Boss", "Cy Chief", "Quietly brilliant"):
        assert value not in text
    assert read_workspace(root)[1].ok


def test_the_level_3_measure_reads_the_latest_answer_per_participant(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    export = tmp_path / "managers.csv"
    export.write_text(HEADER
                      + "1,,2026-03-01 9:00,b@example.com,,tobiah.qm@example.com,Rarely,,Worse,\n"
                      + "2,,2026-06-01 9:00,b@example.com,,tobiah.qm@example.com,Always,,Better,\n"
                      + "3,,2026-06-01 9:00,c@example.com,,zofia.kowalczyk@example.com,Sometimes,,,\n")
    assert import_manager_feedback(root, export, "pilot", private).ok
    program = load_workspace(root).programs["pilot"]
    ws = load_workspace(root)
    ws.programs["pilot"] = program.model_copy(update={"reports": program.reports.model_copy(update={"min_group_size": 2})})
    m = program_metrics(ws, "pilot").measure(Metric.MANAGER_OBSERVED_BEHAVIOUR)
    assert m.value == pytest.approx((5 + 3) / 2) and m.n == 2 and m.level == "behaviour"
    team = program_metrics(ws, "pilot").measure(Metric.TEAM_PERFORMANCE)  # the latest answer; one person only
    assert team.value is None and team.status == "suppressed" and team.n == 1 and team.level == "results"
    ws.programs["pilot"] = program.model_copy(update={"reports": program.reports.model_copy(update={"min_group_size": 1})})
    team = program_metrics(ws, "pilot").measure(Metric.TEAM_PERFORMANCE)
    assert team.value == 4 and dict(team.detail) == {"better": 1.0}


def test_without_manager_feedback_the_measure_says_why(tmp_path):
    root, *_ = enrolled(tmp_path)
    pm = program_metrics(load_workspace(root), "pilot")
    for metric in (Metric.MANAGER_OBSERVED_BEHAVIOUR, Metric.MANAGER_OBSERVED_EFFECTIVENESS, Metric.TEAM_PERFORMANCE):
        m = pm.measure(metric)
        assert m.value is None and m.note == "no data yet: no manager has answered the feedback form"


def test_the_command_runs(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    export = tmp_path / "managers.csv"
    export.write_text(HEADER + "1,,2026-06-01 9:00,b@example.com,,tobiah.qm@example.com,4,,,\n")
    result = CliRunner().invoke(main, ["import-manager-feedback", str(export), "--program", "pilot", "--private",
                                       str(private), "--root", str(root), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would be added: 1" in result.output


def test_an_older_table_without_the_team_column_keeps_the_rest_and_says_so(tmp_path):
    root, private, _, mentee, _ = enrolled(tmp_path)
    descriptor = root / "participants" / "datapackage.yaml"
    lines = descriptor.read_text().splitlines(keepends=True)
    descriptor.write_text("".join(line for line in lines if "name: team_performance" not in line))
    (root / "participants" / "manager_feedback.csv").write_text("program,pseudonym,date,applies,effectiveness\n")
    export = tmp_path / "managers.csv"
    export.write_text(HEADER + "1,,2026-06-01 9:00,b@example.com,,tobiah.qm@example.com,Often,,Better,\n")
    report = import_manager_feedback(root, export, "pilot", private)
    assert report.ok and any("no team_performance column" in n for n in report.notes)
    assert table(root, "manager_feedback") == [
        {"program": "pilot", "pseudonym": mentee, "date": "2026-06-01", "applies": "4", "effectiveness": ""}]
