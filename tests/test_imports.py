"""Check-in and survey exports: pseudonymized, validated, duplicates detected, nothing silently dropped."""

import csv

import pytest
from click.testing import CliRunner

from mentorkit.coordinator.checkins import import_checkins
from mentorkit.coordinator.surveys import import_survey
from mentorkit.errors import PrivateDataError
from mentorkit.model import CheckinMapping
from mentorkit.repo.load import read_workspace
from test_intake import DAY, EXPORTS, code, identifying_values, intake, key_of, leaks, make_repo


def enrolled(tmp_path, approve=True):
    """A repository with the Google Forms sign-ups in pilot and, if `approve`, Tobiah and Zofia an approved pair."""
    root, private, out = make_repo(tmp_path)
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    mentee, mentor = code(private, "tobiah.qm@example.com"), code(private, "zofia.kowalczyk@example.com")
    (root / "participants" / "matches").mkdir(exist_ok=True)
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        f"program: pilot\nformat: one-to-one\npairs:\n  - mentee: {mentee}\n    mentor: {mentor}\n"
        f"    status: {'approved' if approve else 'proposed'}\n    score: 50\n")
    return root, private, out, mentee, mentor


def table(root, name):
    with open(root / "participants" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def where(report):
    return {(p.row, p.field, p.code) for p in report.problems}


def test_checkins_are_imported_and_every_row_is_accounted_for(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    report = import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    assert [(c.row, c.key) for c in report.added] == [(3, f"pilot/{mentee}/{mentor}/2026-02-10"),
                                                      (4, f"pilot/{mentee}/{mentor}/2026-03-12")]
    assert [d.row for d in report.duplicates] == [2]  # mentee and mentor both reported the meeting of 10 February
    assert where(report) == {
        (5, "Email address", "unknown-person"),
        (6, "Date of the meeting", "date-outside-timeline"),
        (7, "How long did you meet? (minutes)", "invalid-answer"),
        (7, "How is your mentoring relationship going? (1-5)", "invalid-answer"),
    }
    assert report.dropped_columns == ["What did you talk about?"]
    every_row = {c.row for c in report.added + report.duplicates} | {p.row for p in report.problems}
    assert every_row == {2, 3, 4, 5, 6, 7}, "nothing silently dropped"
    assert "(the other rows were imported)" in report.as_text()
    new = [r for r in table(root, "checkins") if r["mentee"] == mentee]
    assert new == [  # one row per meeting: the meeting both reported holds both ratings
        {"program": "pilot", "mentee": mentee, "mentor": mentor, "date": "2026-02-10", "minutes": "60", "mode": "virtual",
         "mentee_health": "4", "mentor_health": "4"},
        {"program": "pilot", "mentee": mentee, "mentor": mentor, "date": "2026-03-12", "minutes": "45", "mode": "in-person",
         "mentee_health": "5", "mentor_health": ""},
    ]
    assert "one by each partner: it is counted once, with both ratings" in report.duplicates[0].detail
    _, rep = read_workspace(root)
    assert rep.ok, rep.problems


def test_importing_again_finds_the_rows_already_there(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    before = (root / "participants" / "checkins.csv").read_bytes()
    report = import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    assert not report.added and not report.updated and [c.row for c in report.unchanged] == [3, 4]
    assert (root / "participants" / "checkins.csv").read_bytes() == before


def test_a_changed_answer_updates_the_record(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    export = tmp_path / "fix.csv"
    export.write_text("Timestamp,Email address,Date of the meeting,How long did you meet?,How did you meet?\n"
                      "2026/03/12 9:00:00 AM GMT+1,zofia.kowalczyk@example.com,2026-03-12,1.5 hours,in person\n")
    report = import_checkins(root, export, "pilot", private)
    assert [(c.row, c.detail) for c in report.updated] == [(2, "minutes")]
    row = next(r for r in table(root, "checkins") if r["date"] == "2026-03-12")
    assert (row["minutes"], row["mentee_health"], row["mentor_health"]) == ("90", "5", ""), \
        "the mentor's report without a rating keeps the mentee's"


def test_check_in_without_an_approved_pair_is_rejected(tmp_path):
    root, private, *_ = enrolled(tmp_path, approve=False)
    report = import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    assert (2, "Email address", "unknown-pair") in where(report)
    assert not report.added


def test_partner_question_decides_the_pair(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    export = tmp_path / "partner.csv"
    export.write_text("Email address,Your partner's email,Date of the meeting,Duration (minutes),Mode\n"
                      "zofia.kowalczyk@example.com,tobiah.qm@example.com,2026-02-10,60,Online\n")
    report = import_checkins(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert (table(root, "checkins")[-1]["mentee"], table(root, "checkins")[-1]["mentor"]) == (mentee, mentor)


def test_a_check_in_between_people_who_are_not_partners_is_refused(tmp_path):
    """Tobiah and Zofia are the approved pair; Ines (a "both" sign-up) is no one's partner: her meetings with
    either are refused with the row and the partner's column, and nothing is stored or counted."""
    root, private, *_ = enrolled(tmp_path)
    before = (root / "participants" / "checkins.csv").read_bytes()
    export = tmp_path / "strangers.csv"
    export.write_text("Email address,Your partner's email,Date of the meeting,Duration (minutes),Mode\n"
                      "ines.mo@example.com,zofia.kowalczyk@example.com,2026-02-10,60,Online\n"
                      "zofia.kowalczyk@example.com,ines.mo@example.com,2026-02-11,60,Online\n")
    report = import_checkins(root, export, "pilot", private)
    assert where(report) == {(2, "Your partner's email", "unknown-pair"), (3, "Your partner's email", "unknown-pair")}
    assert "not a pair" in report.problems[0].message and not report.added
    assert (root / "participants" / "checkins.csv").read_bytes() == before


def test_dry_run_and_missing_columns(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    before = (root / "participants" / "checkins.csv").read_bytes()
    report = import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private, dry_run=True)
    assert len(report.added) == 2 and not report.written
    assert (root / "participants" / "checkins.csv").read_bytes() == before
    export = tmp_path / "thin.csv"
    export.write_text("Email address,Date of the meeting\ntobiah.qm@example.com,2026-02-10\n")
    report = import_checkins(root, export, "pilot", private)
    assert {(1, None, "missing-column")} <= where(report)
    report = import_checkins(root, export, "pilot", private,
                             mapping=CheckinMapping(defaults={"minutes": "60", "mode": "virtual"}))
    assert report.ok and len(report.added) == 1


def test_imports_need_the_key_of_intake(tmp_path):
    root, _, *_ = enrolled(tmp_path)
    with pytest.raises(PrivateDataError, match=r"no mentorkit\.key"):
        import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", tmp_path / "elsewhere")


def test_survey_with_skill_grid(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    report = import_survey(root, EXPORTS / "microsoft-forms-survey.csv", "pilot", private, survey="baseline")
    assert where(report) == {(4, "Email", "unknown-person")}
    assert sorted(c.key for c in report.added) == sorted([
        f"pilot/{mentee}/baseline/2026-01-12", f"pilot/{mentor}/baseline/2026-01-12",
        f"pilot/{mentee}/baseline/data-analysis", f"pilot/{mentee}/baseline/sql"])
    assert "Any comments?" in report.dropped_columns and "Name" in report.dropped_columns
    responses = {r["pseudonym"]: r for r in table(root, "survey_responses") if r["date"] == "2026-01-12"}
    assert (responses[mentee]["satisfaction"], responses[mentee]["nps"], responses[mentee]["confidence"]) == ("4", "8", "3")
    assert responses[mentor]["satisfaction"] == "5"
    ratings = {(r["pseudonym"], r["skill"]): r["proficiency"] for r in table(root, "skill_ratings")}
    assert ratings[(mentee, "data-analysis")] == "2" and ratings[(mentee, "sql")] == "1"  # "Beginner"
    _, rep = read_workspace(root)
    assert rep.ok, rep.problems


def test_survey_kind_is_required_and_pulse_has_no_ratings(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    report = import_survey(root, EXPORTS / "microsoft-forms-survey.csv", "pilot", private)
    assert (1, None, "missing-column") in where(report)
    report = import_survey(root, EXPORTS / "microsoft-forms-survey.csv", "pilot", private, survey="pulse")
    assert (2, None, "invalid-value") in where(report)
    assert "left out; the row's other answers were imported" in report.problems[0].message
    assert sorted(c.row for c in report.added) == [2, 3], "the pulse answers stay, the grid is left out"
    assert not [r for r in table(root, "skill_ratings") if r["survey"] == "pulse"]


def test_survey_column_gives_the_kind(tmp_path):
    root, private, _, mentee, _ = enrolled(tmp_path)
    export = tmp_path / "kind.csv"
    export.write_text("Timestamp,Email address,Which survey is this?,How satisfied are you?\n"
                      "2026-06-29 10:00,tobiah.qm@example.com,End of the program,Very satisfied\n")
    report = import_survey(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert table(root, "survey_responses")[-1] == {"program": "pilot", "pseudonym": mentee, "survey": "final",
                                                   "date": "2026-06-29", "satisfaction": "5", "nps": "", "confidence": ""}


def test_no_identifying_value_reaches_the_repository_after_imports(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    import_survey(root, EXPORTS / "microsoft-forms-survey.csv", "pilot", private, survey="baseline")
    values = identifying_values("google-forms-signup.csv", "google-forms-checkins.csv", "microsoft-forms-survey.csv")
    assert leaks(root, values) == []
    assert leaks(root, {key_of(private).hex()}) == []


def _cli():
    from mentorkit.cli import main

    return main


@pytest.mark.skipif("import-checkins" not in _cli().commands, reason="imports are not wired into the CLI yet")
def test_cli_imports(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    runner = CliRunner()
    result = runner.invoke(_cli(), ["import-checkins", str(EXPORTS / "google-forms-checkins.csv"), "--program", "pilot",
                                    "--private", str(private), "--root", str(root)])
    assert result.exit_code == 1, result.output  # rows were rejected (and the good ones imported)
    assert "added: 2" in result.output and "row 5, field 'Email address'" in result.output
    result = runner.invoke(_cli(), ["import-survey", str(EXPORTS / "microsoft-forms-survey.csv"), "--program", "pilot",
                                    "--private", str(private), "--root", str(root), "--survey", "baseline",
                                    "--format", "json"])
    assert result.exit_code == 1
    assert '"added"' in result.output and "Traceback" not in result.output


def test_the_handbooks_relationship_question_is_recognised(tmp_path):
    """"How is the relationship going? (1-5)", as the issue quotes the handbook, needs no mapping."""
    root, private, _, mentee, _ = enrolled(tmp_path)
    text = (EXPORTS / "google-forms-checkins.csv").read_text(encoding="utf-8")
    export = tmp_path / "checkins.csv"
    export.write_text(text.replace("How is your mentoring relationship going? (1-5)",
                                   "How is the relationship going? (1-5)"), encoding="utf-8")
    report = import_checkins(root, export, "pilot", private)
    assert "How is the relationship going? (1-5)" not in report.dropped_columns
    assert [(r["mentee_health"], r["mentor_health"]) for r in table(root, "checkins") if r["mentee"] == mentee] == [
        ("4", "4"), ("5", "")]


def two_mentees(tmp_path, ines="approved", extra=""):
    """Zofia mentors Tobiah (approved) and Ines (`ines`: approved or ended, `extra` lines added to her pair)."""
    root, private, _, tobiah, zofia = enrolled(tmp_path)
    ines_code = code(private, "ines.mo@example.com")
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        f"program: pilot\nformat: one-to-one\npairs:\n"
        f"  - mentee: {ines_code}\n    mentor: {zofia}\n    status: {ines}\n    score: 50\n{extra}"
        f"  - mentee: {tobiah}\n    mentor: {zofia}\n    status: approved\n    score: 50\n")
    assert read_workspace(root)[1].ok
    return root, private, tobiah, zofia, ines_code


def test_a_mentor_of_two_mentees_says_whom_they_met(tmp_path):
    root, private, tobiah, zofia, ines = two_mentees(tmp_path)
    export = tmp_path / "mentor.csv"
    export.write_text("Your work email address,Who did you meet? (your mentee's or mentor's work email),"
                      "Date of the meeting,How long did you meet? (minutes),How did you meet?\n"
                      "zofia.kowalczyk@example.com,ines.mo@example.com,2026-02-10,30,Online\n"
                      "zofia.kowalczyk@example.com,tobiah.qm@example.com,2026-02-11,30,Online\n")
    report = import_checkins(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert [(r["mentee"], r["mentor"], r["date"]) for r in table(root, "checkins")[-2:]] == [
        (ines, zofia, "2026-02-10"), (tobiah, zofia, "2026-02-11")]
    export.write_text("Email address,Date of the meeting,Minutes,Mode\n"
                      "zofia.kowalczyk@example.com,2026-02-12,30,Online\n")
    report = import_checkins(root, export, "pilot", private)
    assert where(report) == {(2, "Email address", "ambiguous-pair")}, "without the question, no guess"
    assert "Who did you meet?" in report.problems[0].hint


def test_the_meetings_date_picks_the_pair_that_was_running(tmp_path):
    root, private, tobiah, _, _ = two_mentees(tmp_path, "ended", "    ended_on: 2026-02-01\n")
    export = tmp_path / "mentor.csv"
    export.write_text("Email address,Date of the meeting,Minutes,Mode\n"
                      "zofia.kowalczyk@example.com,2026-03-02,30,Online\n")
    report = import_checkins(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert (table(root, "checkins")[-1]["mentee"], table(root, "checkins")[-1]["date"]) == (tobiah, "2026-03-02")


def test_an_unreadable_optional_answer_is_left_out_and_the_row_kept(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    export = tmp_path / "health.csv"
    export.write_text("Email address,Date of the meeting,Minutes,Mode,How is the relationship going? (1-5)\n"
                      "tobiah.qm@example.com,2026-02-10,45,Online,splendid\n")
    report = import_checkins(root, export, "pilot", private)
    assert where(report) == {(2, "How is the relationship going? (1-5)", "invalid-answer")}
    assert report.problems[0].message.endswith("(this answer was left out; the row's other answers were imported)")
    assert [c.row for c in report.added] == [2]
    assert table(root, "checkins")[-1]["mentee_health"] == "" and table(root, "checkins")[-1]["minutes"] == "45"


def test_one_bad_cell_of_a_survey_leaves_the_rest(tmp_path):
    root, private, _, mentee, _ = enrolled(tmp_path)
    export = tmp_path / "final.csv"
    export.write_text("Timestamp,Email address,How satisfied are you with the program?,"
                      "How likely are you to recommend the program to a colleague?,Rate your skills [SQL],"
                      "Rate your skills [Data analysis]\n"
                      "2026-06-20 10:00,tobiah.qm@example.com,Very satisfied,eleven,Expert,12\n")
    report = import_survey(root, export, "pilot", private, survey="final")
    assert {(p.field, p.code) for p in report.problems} == {
        ("How likely are you to recommend the program to a colleague?", "invalid-answer"),
        ("Rate your skills [Data analysis]", "invalid-answer")}
    response = table(root, "survey_responses")[-1]
    assert (response["pseudonym"], response["satisfaction"], response["nps"]) == (mentee, "5", "")
    assert [(r["skill"], r["proficiency"]) for r in table(root, "skill_ratings") if r["pseudonym"] == mentee
            and r["survey"] == "final"] == [("sql", "5")]
