"""360 feedback (Level 2): the form's import, raters never recorded, and the measure that counts only 3+ raters."""

from __future__ import annotations

from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.feedback_360 import import_360
from mentorkit.metrics import program_metrics
from mentorkit.model import Metric
from mentorkit.repo.load import load_workspace, read_workspace
from test_imports import enrolled, table, where

HEADER = ("ID,Completion time,Email,Name,Your colleague's work email address,How do you work with them?,"
          "They communicate clearly (1-5),They listen and ask before deciding (1-5),"
          "They work well with people outside their own team (1-5),They help others learn and grow (1-5),"
          "\"Anything you would like to add? (optional, never imported)\"\n")


def _row(n: int, rater: str, person: str, relation: str, scores: str, day: str = "2026-01-20") -> str:
    return f"{n},{day} 9:00,{rater}@example.com,Rater {rater.title()},{person},{relation},{scores},Kind words\n"


def test_the_shipped_form_imports_and_the_rater_is_not_recorded(tmp_path):
    root, private, _, mentee, _ = enrolled(tmp_path)
    export = tmp_path / "360.csv"
    export.write_text(HEADER
                      + _row(1, "ann", "tobiah.qm@example.com", "Peer", "Often,4,Always,3")
                      + _row(2, "bob", "tobiah.qm@example.com", "They manage me", "2,2,2,2")
                      + _row(3, "cyd", "tobiah.qm@example.com", "Neighbour", "3,3,3,3")
                      + _row(4, "dee", "tobiah.qm@example.com", "I manage them", "3,,3,3")
                      + _row(5, "eve", "nobody@example.com", "Peer", "3,3,3,3"))
    report = import_360(root, export, "pilot", private, "baseline")
    assert where(report) == {
        (4, "How do you work with them?", "unknown-relation"),
        (5, "They listen and ask before deciding (1-5)", "missing-value"),
        (6, "Your colleague's work email address", "unknown-person")}
    rows = table(root, "feedback_360")
    assert [(r["pseudonym"], r["survey"], r["relation"], r["communicates"], r["listens"], r["collaborates"],
             r["develops_others"]) for r in rows] == [
        (mentee, "baseline", "peer", "4", "4", "5", "3"), (mentee, "baseline", "direct-report", "2", "2", "2", "2")]
    assert len({r["response"] for r in rows}) == 2
    text = "".join(p.read_text(errors="ignore") for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    for value in ("ann@", "Rater Ann", "bob@", "Kind words"):
        assert value not in text
    assert read_workspace(root)[1].ok
    again = import_360(root, export, "pilot", private, "baseline")  # the same export again: replaced, not doubled
    assert not again.added and len(table(root, "feedback_360")) == 2


def _metrics(root, min_group_size=1):
    ws = load_workspace(root)
    program = ws.programs["pilot"]
    ws.programs["pilot"] = program.model_copy(update={"reports": program.reports.model_copy(
        update={"min_group_size": min_group_size})})
    return program_metrics(ws, "pilot")


def _import(root, private, tmp_path, survey, rows):
    export = tmp_path / f"360-{survey}.csv"
    export.write_text(HEADER + "".join(rows))
    report = import_360(root, export, "pilot", private, survey)
    assert report.ok, report.as_text()


def test_a_person_counts_only_with_three_raters_in_each_round(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    tob, zof = "tobiah.qm@example.com", "zofia.kowalczyk@example.com"
    _import(root, private, tmp_path, "baseline", [
        _row(1, "a", tob, "Peer", "2,2,2,2"), _row(2, "b", tob, "Peer", "3,3,3,3"), _row(3, "c", tob, "Other", "1,1,1,1"),
        _row(4, "a", zof, "Peer", "1,1,1,1"), _row(5, "b", zof, "Peer", "1,1,1,1")])
    _import(root, private, tmp_path, "final", [
        _row(1, "a", tob, "Peer", "4,4,4,4", "2026-06-20"), _row(2, "b", tob, "Peer", "3,3,3,4", "2026-06-20"),
        _row(3, "c", tob, "Other", "3,3,3,3", "2026-06-20"),
        *(_row(n, r, zof, "Peer", "5,5,5,5", "2026-06-20") for n, r in ((4, "a"), (5, "b"), (6, "c")))])
    m = _metrics(root).measure(Metric.FEEDBACK_360_CHANGE)
    # Tobiah: baseline mean 2.0, final (4 + 3.25 + 3) / 3; Zofia had two raters at the start: not counted
    assert m.n == 1 and abs(m.value - ((4 + 3.25 + 3) / 3 - 2.0)) < 1e-9 and m.level == "learning"
    assert "at least 3 colleagues" in m.note
    hidden = _metrics(root, min_group_size=2).measure(Metric.FEEDBACK_360_CHANGE)
    assert hidden.value is None and hidden.status == "suppressed"


def test_too_few_raters_is_no_data_that_says_why(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    m = _metrics(root).measure(Metric.FEEDBACK_360_CHANGE)
    assert m.value is None and m.note == "no data yet: no colleague has answered the 360 feedback form"
    tob = "tobiah.qm@example.com"
    _import(root, private, tmp_path, "baseline", [_row(n, r, tob, "Peer", "3,3,3,3") for n, r in enumerate("abc")])
    _import(root, private, tmp_path, "final", [_row(1, "a", tob, "Peer", "4,4,4,4", "2026-06-20"),
                                               _row(2, "b", tob, "Peer", "4,4,4,4", "2026-06-20")])
    m = _metrics(root).measure(Metric.FEEDBACK_360_CHANGE)
    assert m.value is None and m.status == "no-data" and "at least 3 colleagues" in m.note


def test_the_command_runs_and_needs_the_round(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    export = tmp_path / "360.csv"
    export.write_text(HEADER + _row(1, "a", "tobiah.qm@example.com", "Peer", "3,3,3,3"))
    args = ["import-360", str(export), "--program", "pilot", "--private", str(private), "--root", str(root)]
    result = CliRunner().invoke(main, [*args, "--dry-run"])
    assert result.exit_code == 2 and "--survey" in result.output
    result = CliRunner().invoke(main, [*args, "--survey", "final", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would be added: 1" in result.output


def test_a_repository_without_the_table_is_told_how_to_add_it(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    descriptor = root / "participants" / "datapackage.yaml"
    text = descriptor.read_text()
    descriptor.write_text(text[:text.index("  - name: feedback_360")])  # made before the table existed
    (root / "participants" / "feedback_360.csv").unlink()
    export = tmp_path / "360.csv"
    export.write_text(HEADER + _row(1, "a", "tobiah.qm@example.com", "Peer", "3,3,3,3"))
    result = CliRunner().invoke(main, ["import-360", str(export), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--survey", "final"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "has no feedback_360 table" in result.output and "mentorkit upgrade" in result.output
    assert not (root / "participants" / "feedback_360.csv").exists()
    upgraded = CliRunner().invoke(main, ["upgrade", "--root", str(root)])
    assert upgraded.exit_code == 0, upgraded.output
    assert "the table feedback_360 added" in upgraded.output
    assert descriptor.read_text() == text  # declared exactly as the kit declares it
    header = (root / "participants" / "feedback_360.csv").read_text()
    assert header.count("\n") == 1 and header.startswith("program,pseudonym,survey,response,")
    result = CliRunner().invoke(main, ["import-360", str(export), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--survey", "final"])
    assert result.exit_code == 0, result.output
