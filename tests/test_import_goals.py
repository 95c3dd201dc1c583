"""`mentorkit import-goals`: goals set and reviewed, one goal per mentee and skill, free text never kept."""

from mentorkit.coordinator.goals import import_goals
from mentorkit.metrics.context import build
from mentorkit.metrics.measures import goal_achievement_rate
from mentorkit.repo.load import read_workspace
from test_imports import table, where
from test_intake import DAY, EXPORTS, code, intake, make_repo

GOALS = EXPORTS / "microsoft-forms-goals.csv"


def enrolled(tmp_path):
    root, private, _ = make_repo(tmp_path)
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    return root, private


def test_goals_are_set_and_reviewed(tmp_path):
    root, private = enrolled(tmp_path)
    report = import_goals(root, GOALS, "pilot", private)
    tobiah, ines = code(private, "tobiah.qm@example.com"), code(private, "ines.mo@example.com")
    rows = {r["goal_id"]: r for r in table(root, "goals") if r["pseudonym"] in (tobiah, ines)}
    t_id, i_id = f"g-pilot-{tobiah[3:]}-sql", f"g-pilot-{ines[3:]}-data-analysis"
    # row 3 reviews row 1's goal: achieved on 28 May, keeping the dates it was set and due
    assert rows[t_id] == {"goal_id": t_id, "program": "pilot", "pseudonym": tobiah, "skill": "sql",
                          "set_on": "2026-01-20", "due": "2026-05-29", "status": "achieved",
                          "closed_on": "2026-05-28"}
    assert rows[i_id]["status"] == "open" and rows[i_id]["closed_on"] == ""
    assert [d.row for d in report.duplicates] == [2]  # superseded by its review in row 4
    assert where(report) == {
        (5, "Which skill is this goal about?", "invalid-answer"),  # not a skill of the vocabulary
        (6, "How far is this goal?", "invalid-answer"),
        (7, "Email", "unknown-person"),
    }
    assert "What is the goal?" in report.dropped_columns
    text = (root / "participants" / "goals.csv").read_text()
    assert "report" not in text and "churn" not in text and "@" not in text
    assert read_workspace(root)[1].ok


def test_a_rerun_changes_nothing_and_reaches_the_measure(tmp_path):
    root, private = enrolled(tmp_path)
    import_goals(root, GOALS, "pilot", private)
    again = import_goals(root, GOALS, "pilot", private)
    assert not again.added and not again.updated
    ws, _ = read_workspace(root)
    tobiah = code(private, "tobiah.qm@example.com")
    assert goal_achievement_rate(build(ws, "pilot"), {tobiah}).value == 1.0  # his one goal, achieved


def test_a_new_goal_needs_its_due_date(tmp_path):
    root, private = enrolled(tmp_path)
    export = tmp_path / "goals.csv"
    export.write_text("Email,Which skill is this goal about?,How far is this goal?\n"
                      "tobiah.qm@example.com,SQL,Open\n")
    report = import_goals(root, export, "pilot", private)
    assert {(p.row, p.code) for p in report.problems} == {(2, "missing-value")}
    assert not report.added
