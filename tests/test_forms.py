"""The forms the kit ships: one catalogue of questions, the forms/ files written from it, recognised at import.

A coordinator recreates forms/*.md in Google or Microsoft Forms; an export of
that form must import with no mapping at all. Where an organisation's titles
differ, forms/mappings.yaml says so once for every program.
"""

import csv
import io
import re

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from mentorkit.cli import main
from mentorkit.coordinator.answers import CHOICES, Terms, choose, normalise_answer
from mentorkit.coordinator.checkins import CHECKIN_HEADERS, import_checkins
from mentorkit.coordinator.exports import Export, match_columns, normalise_header
from mentorkit.coordinator.feedback_360 import RATER_HEADERS
from mentorkit.coordinator.goals import GOAL_HEADERS, _status
from mentorkit.coordinator.imports import score
from mentorkit.coordinator.intake import SIGN_UP_HEADERS
from mentorkit.coordinator.manager_feedback import MANAGER_HEADERS
from mentorkit.coordinator.needs_survey import NEEDS_HEADERS
from mentorkit.coordinator.new_repo import default_answers, repository_files
from mentorkit.coordinator.surveys import SURVEY_HEADERS, _rating_guess, import_survey
from mentorkit.model import CheckinMapping, FormColumn, SignUpMapping, SurveyMapping, Vocabulary
from mentorkit.model.forms import Feedback360Mapping, GoalMapping, ManagerFeedbackMapping, NeedsSurveyMapping
from mentorkit.model.questions import CHECK_IN, FORMS, GOALS, SIGN_UP, SURVEYS
from mentorkit.repo import forms as form_files
from mentorkit.repo.load import read_workspace
from test_imports import enrolled, table, where
from test_intake import DAY, code, intake, make_repo

IMPORTERS = {"sign_up": (SIGN_UP_HEADERS, SignUpMapping), "check_in": (CHECKIN_HEADERS, CheckinMapping),
             "survey": (SURVEY_HEADERS, SurveyMapping), "goals": (GOAL_HEADERS, GoalMapping),
             "manager_feedback": (MANAGER_HEADERS, ManagerFeedbackMapping),
             "feedback_360": (RATER_HEADERS, Feedback360Mapping),
             "needs_survey": (NEEDS_HEADERS, NeedsSurveyMapping)}


def vocabulary():
    return Vocabulary.model_validate(yaml.safe_load((REPO / "participants" / "vocabulary.yaml").read_text()))


def export_of(header):
    return Export("form.csv", list(header), [], ",")


def test_the_committed_forms_are_written_from_the_catalogue():
    ws, _ = read_workspace(REPO)
    assert form_files.stale(REPO, ws.vocabulary) == [], "run `mentorkit forms` and commit forms/"
    text = (REPO / "forms" / "check-in.md").read_text()
    for q in CHECK_IN.questions:
        assert f". {q.title}\n" in text
    baseline = (REPO / "forms" / "baseline.md").read_text()
    assert all(s.label in baseline for s in ws.vocabulary.skills), "the skill grid lists the vocabulary's skills"


def test_every_answer_a_form_offers_is_on_a_line_of_its_own():
    """The coordinator copies the answers into the form tool; joined with any separator, a label holding it
    could not be told from two answers (as 'Reflective; time to think' once could not)."""
    vocab = vocabulary()
    text = form_files.render(SIGN_UP, vocab)
    for q in SIGN_UP.questions:
        offered = [t.label for t in getattr(vocab, q.vocabulary)] if q.vocabulary else list(q.choices)
        if not offered:
            continue
        block = text.split(f". {q.title}\n", 1)[1].split("\n### ", 1)[0]
        assert [line[len("    - "):] for line in block.splitlines() if line.startswith("    - ")] == offered
    assert not re.search(r"^- (Answers|Rows|Columns)[^:]*:.*;", text, re.M)


def test_forms_check_fails_on_a_stale_file_and_names_it(tmp_path):
    root = tmp_path / "repo"
    for rel, text in repository_files("Example Org", default_answers(DAY), "1.0").items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    runner = CliRunner()
    assert runner.invoke(main, ["forms", "--check", "--root", str(root)]).exit_code == 0, "new ships current forms"
    (root / "forms" / "pulse.md").write_text("# edited by hand\n")
    result = runner.invoke(main, ["forms", "--check", "--root", str(root)])
    assert result.exit_code == 1 and "forms/pulse.md is out of date" in result.output
    assert runner.invoke(main, ["forms", "--root", str(root)]).exit_code == 0
    assert form_files.stale(root, read_workspace(root)[0].vocabulary) == []


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
def test_every_title_of_a_shipped_form_is_recognised_without_a_mapping(form):
    headers, mapping = IMPORTERS[form.mapping]
    vocab = vocabulary()
    header, expected = ["Timestamp"], {}
    for q in form.questions:
        if q.kind == "grid":
            for skill in vocab.skills[:3]:
                header.append(f"{q.title} [{skill.label}]")
                expected[f"rating:{skill.id}"] = header[-1]
        else:
            header.append(q.title)
            if q.field != "ignore":
                expected[q.field] = q.title
    guess = _rating_guess(Terms(vocab.skills, "skills")) if form.mapping == "survey" else None
    columns = match_columns(export_of(header), mapping(), headers, guess)
    assert not columns.problems
    got = columns.titles()
    if form.mapping != "needs_survey":  # anonymous: not even the time of an answer is read
        got.pop("submitted" if form.mapping != "sign_up" else "joined")
    assert got == expected
    ignored = ["Timestamp"] * (form.mapping == "needs_survey") + [q.title for q in form.questions if q.field == "ignore"]
    assert columns.dropped == ignored


@pytest.mark.parametrize("name", IMPORTERS)
def test_no_title_means_two_fields(name):
    headers, _ = IMPORTERS[name]
    seen = {}
    for target, titles in headers.items():
        for title in titles:
            key = normalise_header(title)
            assert seen.setdefault(key, target) == target, f"'{title}' is recognised as {seen[key]} and {target}"


def test_every_offered_answer_is_one_the_importer_reads():
    for form in (SIGN_UP, CHECK_IN):
        for q in form.questions:
            if q.field in CHOICES and q.choices:  # each offered answer is read, and no two mean the same
                stored = [choose(c, q.field, FormColumn(field=q.field)) for c in q.choices]
                assert len(set(stored)) == len(stored) and set(stored) <= set(CHOICES[q.field]), q.field
    role = next(q for q in SIGN_UP.questions if q.field == "role")
    assert [choose(c, "role", FormColumn(field="role")) for c in role.choices] == ["mentee", "mentor", "both"]
    status = next(q for q in GOALS.questions if q.field == "status")
    assert [_status(c, FormColumn(field="status")) for c in status.choices] == [
        "open", "achieved", "partly-achieved", "not-achieved", "dropped"]
    for form in SURVEYS:
        for q in form.questions:
            if q.kind == "scale":
                numbers = [score(c, q.field, FormColumn(field=q.field)) for c in q.choices]
                assert numbers == list(range(numbers[0], numbers[0] + len(q.choices)))
            if q.kind == "grid":
                assert [score(c, "proficiency", FormColumn(field="x")) for c in q.choices] == [1, 2, 3, 4, 5]
    health = next(q for q in CHECK_IN.questions if q.field == "health")
    assert [score(c, "health", FormColumn(field="health")) for c in health.choices] == [1, 2, 3, 4, 5]


def write_csv(path, header, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue())
    return path


def form_header(form):
    return ["Timestamp"] + [q.title for q in form.questions if q.kind != "grid"]


def test_an_export_of_the_shipped_check_in_form_imports_with_no_mapping(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    answers = {"email": "zofia.kowalczyk@example.com", "partner_email": "tobiah.qm@example.com",
               "date": "2026-02-10", "minutes": "45", "mode": "In person", "health": "Very good"}
    export = write_csv(tmp_path / "checkin.csv", form_header(CHECK_IN),
                       [["2026/02/10 9:00:00 AM GMT+1"] + [answers[q.field] for q in CHECK_IN.questions]])
    report = import_checkins(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert table(root, "checkins")[-1] == {"program": "pilot", "mentee": mentee, "mentor": mentor,
                                           "date": "2026-02-10", "minutes": "45", "mode": "in-person",
                                           "mentee_health": "", "mentor_health": "4"}  # Zofia, the mentor, answered


def test_an_export_of_the_shipped_final_survey_imports_with_no_mapping(tmp_path):
    root, private, _, mentee, _ = enrolled(tmp_path)
    header = ["Timestamp", "Your work email address", "How satisfied are you with the program? (1-5)",
              "How likely are you to recommend the program to a colleague? (0-10)",
              "How confident do you feel in your role? (1-5)", "How would you rate your skills today? [SQL]"]
    export = write_csv(tmp_path / "final.csv", header,
                       [["2026-06-20 10:00", "tobiah.qm@example.com", "Very satisfied", "9", "4", "3 Intermediate"]])
    report = import_survey(root, export, "pilot", private, survey="final")
    assert report.ok, report.as_text()
    assert table(root, "survey_responses")[-1]["satisfaction"] == "5"
    assert {(r["pseudonym"], r["skill"], r["proficiency"]) for r in table(root, "skill_ratings")} >= {
        (mentee, "sql", "3")}


SHARED = """\
check_in:
  columns:
    "Whom did you see?": partner_email
    "Length (min)": minutes
  defaults:
    mode: virtual
"""


def test_one_shared_mapping_serves_every_program(tmp_path):
    root, private, _, mentee, mentor = enrolled(tmp_path)
    (root / "forms").mkdir()
    (root / "forms" / "mappings.yaml").write_text(SHARED)
    ws, rep = read_workspace(root)
    assert rep.ok, rep.problems
    assert ws.form_mapping("pilot", "check_in").columns == ws.form_mapping("pilot2", "check_in").columns
    export = write_csv(tmp_path / "own.csv", ["Email address", "Whom did you see?", "Date of the meeting",
                                              "Length (min)"],
                       [["tobiah.qm@example.com", "zofia.kowalczyk@example.com", "2026-02-10", "50"]])
    report = import_checkins(root, export, "pilot", private)
    assert report.ok, report.as_text()
    assert table(root, "checkins")[-1] == {"program": "pilot", "mentee": mentee, "mentor": mentor,
                                           "date": "2026-02-10", "minutes": "50", "mode": "virtual", "mentee_health": "",
                                           "mentor_health": ""}


def test_a_programs_own_mapping_is_laid_over_the_shared_one(tmp_path):
    root, *_ = enrolled(tmp_path)
    (root / "forms").mkdir()
    (root / "forms" / "mappings.yaml").write_text(SHARED)
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text() + "intake:\n  check_in:\n    defaults:\n      mode: in-person\n")
    ws, rep = read_workspace(root)
    assert rep.ok, rep.problems
    mine, other = ws.form_mapping("pilot", "check_in"), ws.form_mapping("pilot2", "check_in")
    assert mine.defaults == {"mode": "in-person"} and other.defaults == {"mode": "virtual"}
    assert mine.columns == other.columns == {"Whom did you see?": "partner_email", "Length (min)": "minutes"}


def test_a_bad_shared_mapping_is_reported_with_its_line(tmp_path):
    root, *_ = enrolled(tmp_path)
    (root / "forms").mkdir()
    (root / "forms" / "mappings.yaml").write_text("check_in:\n  columns:\n    \"Length\": length_in_minutes\n")
    _, rep = read_workspace(root)
    assert [(p.file, p.line) for p in rep.problems] == [("forms/mappings.yaml", 2)]
    assert re.search(r"'length_in_minutes' is not a field of this form", rep.problems[0].message)


def test_sign_up_export_of_the_shipped_form_is_taken_whole(tmp_path):
    root, private, _ = make_repo(tmp_path)
    vocab = read_workspace(root)[0].vocabulary
    values = {"email": "new.person@example.com", "name": "New Person", "role": "I want a mentor",
              "department": vocab.departments[0].label, "level": "3", "time_zone": "Berlin", "languages": "English",
              "working_hours": "8:30 – 16:30",
              "skills_offered": "", "skills_sought": vocab.skills[0].label, "interests": "", "goals": "",
              "communication_style": "", "meeting_mode": "Either is fine", "location": "", "mentor_capacity": "",
              "reports_to": "", "gender": "Prefer not to say", "age_band": "25-34", "underrepresented": "No"}
    header = form_header(SIGN_UP)
    export = write_csv(tmp_path / "signup.csv", header,
                       [["2025-12-01 10:00"] + [values[q.field] for q in SIGN_UP.questions]])
    report = intake(root, export, "pilot", private, today=DAY)
    assert report.ok, report.as_text()
    assert report.dropped_columns == []
    person = next(r for r in table(root, "participants") if r["pseudonym"] == code(private, "new.person@example.com"))
    assert (person["role"], person["meeting_mode"], person["age_band"]) == ("mentee", "either", "25-34")
    assert person["working_hours"] == "08:30-16:30"
    assert normalise_answer("Either is fine") in CHOICES["meeting_mode"]["either"]
    assert not where(report)
