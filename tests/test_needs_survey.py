"""The anonymous staff needs survey: its export counted into needs_survey.csv, and its demand in `mentorkit skills`."""

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO, make_workspace
from matching_helpers import person, workspace
from mentorkit.cli import main
from mentorkit.coordinator.needs_survey import import_needs_survey
from mentorkit.errors import MentorkitError
from mentorkit.metrics.skills_audit import skills_audit
from mentorkit.metrics.skills_text import skills_markdown
from mentorkit.model.questions import NEEDS_CHOICES, NEEDS_SURVEY
from mentorkit.model.records import NeedsSurveyCount
from mentorkit.repo.load import load_workspace, read_workspace
from mentorkit.site.skills import render_skills_page

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
GOOGLE = EXPORTS / "google-forms-needs-survey.csv"
MICROSOFT = EXPORTS / "microsoft-forms-needs-survey.csv"
TABLE = Path("participants") / "needs_survey.csv"


def expected_counts(path: Path, rows: int | None = None, delimiter: str = ",", sep: str = ", ") -> dict:
    """The counts, worked out with the csv module alone from the form's labels."""
    vocab = yaml.safe_load((REPO / "participants" / "vocabulary.yaml").read_text())
    skill = {s["label"]: s["id"] for s in vocab["skills"]}
    dept = {d["label"]: d["id"] for d in vocab["departments"]}
    code = {name: {label: c for c, label in options.items()} for name, options in NEEDS_CHOICES.items()}
    t = {q.field: q.title for q in NEEDS_SURVEY.questions}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        answers = list(csv.DictReader(handle, delimiter=delimiter))[:rows]
    out = Counter({("responses", "all"): len(answers)})
    for a in answers:
        out[("department", dept[a[t["department"]]])] += 1
        out[("level_band", code["level_band"][a[t["level_band"]]])] += 1
        out.update(("skill", skill[s]) for s in a[t["skills_wanted"]].split(sep) if s)
        out.update(("format", code["formats"][f]) for f in a[t["formats"]].split(sep) if f)
        out[("hours", code["hours"][a[t["hours"]]])] += 1
        out[("would_mentor", code["would_mentor"][a[t["would_mentor"]]])] += 1
    return dict(out)


def stored(root: Path, program: str = "pilot") -> dict:
    with open(root / TABLE, newline="", encoding="utf-8") as handle:
        return {(r["question"], r["answer"]): int(r["count"]) for r in csv.DictReader(handle) if r["program"] == program}


def repo(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "repo")
    shutil.copy(REPO / "participants" / "vocabulary.yaml", root / "participants" / "vocabulary.yaml")
    return root


def test_a_google_forms_export_is_kept_as_counts_only(tmp_path):
    root = repo(tmp_path)
    report = import_needs_survey(root, GOOGLE, "pilot")
    assert report.ok, report.as_text()
    assert stored(root) == expected_counts(GOOGLE)
    assert report.dropped_columns == ["Timestamp", "Anything else we should know? (optional, never imported)"]
    text = (root / TABLE).read_text()
    assert "Priya" not in text and "example.com" not in text and "2026/11" not in text
    assert len(text.splitlines()) - 1 == len(stored(root)), "one row per question and answer"
    _, validation = read_workspace(root)
    assert validation.ok, validation.problems
    assert "48 answers counted for pilot" in report.as_text() and "added: 0" not in report.as_text()


def test_a_microsoft_forms_export_and_an_excel_one_give_the_same_counts(tmp_path):
    root = repo(tmp_path)
    report = import_needs_survey(root, MICROSOFT, "pilot")
    assert report.ok, report.as_text()
    same_answers = expected_counts(GOOGLE, rows=12)  # the Microsoft export holds the Google export's first 12 answers
    assert stored(root) == expected_counts(MICROSOFT, delimiter=";", sep=";") == same_answers
    assert {"Email", "Name", "Anything else?"} <= set(report.dropped_columns), "the tool's respondent columns"
    # Excel's plain 'CSV' on Western Windows: the same answers in Windows-1252
    excel = tmp_path / "excel.csv"
    excel.write_bytes(MICROSOFT.read_text(encoding="utf-8-sig").encode("cp1252"))
    again = import_needs_survey(repo(tmp_path / "second"), excel, "pilot", dry_run=True)
    assert again.ok and not again.written
    assert any("Windows-1252" in n for n in again.notes), again.notes


def test_a_new_export_replaces_the_programs_counts_and_leaves_others(tmp_path):
    root = repo(tmp_path)
    (root / TABLE).write_text("program,question,answer,count\nother,responses,all,9\n")
    text = (root / "program" / "pilot.yaml").read_text()
    (root / "program" / "other.yaml").write_text(text.replace("Pilot mentoring program", "Other"))
    import_needs_survey(root, GOOGLE, "pilot")
    import_needs_survey(root, MICROSOFT, "pilot")
    assert stored(root) == expected_counts(GOOGLE, rows=12)
    assert stored(root, "other") == {("responses", "all"): 9}


def test_too_few_answers_are_refused_and_nothing_is_written(tmp_path):
    root = repo(tmp_path)
    few = tmp_path / "few.csv"
    few.write_text("".join(GOOGLE.read_text().splitlines(keepends=True)[:4]))  # three answers
    before = (root / TABLE).read_bytes()
    with pytest.raises(MentorkitError, match=r"holds 3 answers: the needs survey is kept from 5 answers on"):
        import_needs_survey(root, few, "pilot")
    assert (root / TABLE).read_bytes() == before


def test_an_unreadable_answer_names_its_row_and_column_and_nothing_is_written(tmp_path):
    root = repo(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOGLE.read_text().replace("More than 4 hours a month", "Whenever", 1))
    before = (root / TABLE).read_bytes()
    result = CliRunner().invoke(main, ["import-needs-survey", str(bad), "--program", "pilot", "--root", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad.csv, row 3, field 'How much time could you give to mentoring?': 'Whenever' is not one of the " \
           "answers to this question" in result.output
    assert (root / TABLE).read_bytes() == before


def test_an_export_without_the_skills_question_is_refused(tmp_path):
    root = repo(tmp_path)
    export = tmp_path / "no-skills.csv"
    export.write_text("Timestamp,Which department are you in?\n2026/11/01 09:00:00,Sales\n")
    report = import_needs_survey(root, export, "pilot")
    assert [(p.code, p.row) for p in report.problems] == [("missing-column", 1)]


def test_a_repository_without_the_table_is_told_how_to_add_it(tmp_path):
    root = repo(tmp_path)
    package = root / "participants" / "datapackage.yaml"
    package.write_text(package.read_text().split("  - name: needs_survey\n")[0])
    (root / TABLE).unlink()
    with pytest.raises(MentorkitError, match=r"has no 'needs_survey' table yet .*`mentorkit upgrade`"):
        import_needs_survey(root, GOOGLE, "pilot")
    upgraded = CliRunner().invoke(main, ["upgrade", "--root", str(root)])
    assert upgraded.exit_code == 0 and "the table needs_survey added" in upgraded.output, upgraded.output
    assert (root / TABLE).read_text() == "program,question,answer,count\n"
    assert import_needs_survey(root, GOOGLE, "pilot").ok


def needs(program="pilot", **counts):
    rows = [NeedsSurveyCount(program, "responses", "all", counts.pop("responses"))]
    for key, n in counts.items():
        question, answer = key.split("__")
        rows.append(NeedsSurveyCount(program, question, answer.replace("_", "-"), n))
    return rows


def test_skills_shows_the_surveys_demand_beside_the_sign_ups():
    ws = workspace([*(person(n, sought=("python",)) for n in range(1, 7)),
                    *(person(20 + n, "mentor", offered=("python",), capacity=2) for n in range(5))])
    ws.needs_survey = needs(responses=40, skill__python=12, skill__design=9, skill__sql=2, would_mentor__yes=20,
                            would_mentor__maybe=18, would_mentor__no=2, format__peer=3, format__group=15,
                            department__eng=40)
    audit = skills_audit(ws, "pilot")
    assert {s.skill: s.wanted for s in audit.skills} == {"python": 12, "sql": 2, "design": 9}
    assert [s.skill for s in audit.survey_gaps] == ["sql", "design"]
    page = skills_markdown(audit)
    assert "40 colleagues answered the anonymous needs survey" in page
    assert "| python | 12 | 6 |" in page and "| design | 9 | 0 |" in page and "| sql | fewer than 5 | 0 |" in page
    # 'no' (2) is small; 'maybe' is hidden too, else 40 - 20 - 18 would give it back
    assert "- **Would mentor:** Yes: 20; Maybe, with some support: a hidden number; Not now: fewer than 5." in page
    assert "18" not in page
    assert "- **design**: 9 colleagues want to grow it (needs survey), no sign-up seeks it yet" in page
    assert "In the needs survey, 20 said they would mentor and a hidden number maybe" in page
    exact = skills_markdown(audit, pseudonyms=True)
    assert "Maybe, with some support: 18; Not now: 2." in exact
    site = render_skills_page(ws, "pilot")
    assert "## Demand from the staff needs survey" in site and "18" not in site and "| design | 9 | 0 |" in site


def test_without_a_survey_nothing_changes():
    ws = workspace([person(1, sought=("python",)), person(2, "mentor", offered=("python",))])
    audit = skills_audit(ws, "pilot")
    assert audit.needs is None and all(s.wanted is None for s in audit.skills)
    assert "needs survey" not in skills_markdown(audit)


def test_the_demo_shows_its_needs_survey():
    ws = load_workspace(REPO)
    page = render_skills_page(ws, "grow")
    responses = next(r.count for r in ws.needs_survey if r.program == "grow" and r.question == "responses")
    assert f"{responses} colleagues answered the anonymous needs survey" in page
    assert "mk-" not in page
    result = CliRunner().invoke(main, ["skills", "grow", "--root", str(REPO)])
    assert result.exit_code == 0 and "## Demand from the staff needs survey" in result.output


def test_before_anyone_signs_up_the_page_shows_the_survey_and_what_to_recruit():
    ws = workspace([])
    ws.needs_survey = needs(responses=30, skill__design=11, would_mentor__yes=9, would_mentor__maybe=12,
                            would_mentor__no=9)
    page = render_skills_page(ws, "pilot")
    assert "Nobody has signed up for this program yet" in page
    assert "30 colleagues answered the anonymous needs survey" in page and "| design | 11 | 0 |" in page
    assert "- **design**: 11 colleagues want to grow it (needs survey), no sign-up seeks it yet" in page
    assert "9 said they would mentor and 12 maybe" in page
