"""A pilot (`init --pilot`, `new --pilot`): a small first cohort with its own timeline, a cap and a review."""

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from mentorkit.cli import main
from mentorkit.coordinator.new_repo import create_repository, default_answers, kit_version
from mentorkit.coordinator.scaffold import PILOT_MAX_PARTICIPANTS, ProgramAnswers, check_answers, init_program
from mentorkit.errors import MentorkitError
from mentorkit.model import Program
from mentorkit.model.schedule import survey_dates
from mentorkit.repo.load import read_workspace
from test_intake import DAY, EXPORTS, intake, make_repo

SPEC = f"mentorkit=={kit_version()}"


def pilot_answers(**changes):
    values = dict(program_id="pilot-2027", title="Mentoring pilot", start=dt.date(2027, 1, 4),
                  end=dt.date(2027, 4, 1), pilot=True)
    values.update(changes)
    return ProgramAnswers(**values)


def test_init_pilot_is_a_short_cohort_with_a_cap_a_review_and_learning_goals(base_workspace):
    result = CliRunner().invoke(main, ["init", "spring-pilot", "--pilot", "--start", "2027-01-04", "--no-input",
                                       "--root", str(base_workspace)])
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    program = ws.programs["spring-pilot"]
    assert program.title == "Spring pilot mentoring"
    assert program.pilot is not None and program.pilot.max_participants == PILOT_MAX_PARTICIPANTS
    t = program.timeline
    assert 80 <= (t.end - t.start).days <= 95, "three months, not the full program's twelve"
    assert program.pilot.launch > t.end and program.pilot.launch.weekday() == 0, "the launch follows the pilot"
    review = next(m for m in program.milestones if m.id == "pilot-review")
    assert review.title == "Pilot review: decide what to change before the launch"
    assert t.start < review.date < t.end and review.date.weekday() < 5
    final = next(r for r in survey_dates(program) if r.survey == "final")
    assert final.closes < review.date, "the review reads the final survey"
    assert all(g.statement.startswith("Learn") and g.due == review.date for g in program.goals)
    assert "pilot" in program.purpose.lower()


def test_a_full_program_has_no_pilot_block(base_workspace):
    init_program(base_workspace, pilot_answers(program_id="full", pilot=False, end=dt.date(2027, 12, 17)))
    ws, report = read_workspace(base_workspace)
    assert report.ok, report.problems
    assert ws.programs["full"].pilot is None
    assert "pilot-review" not in {m.id for m in ws.programs["full"].milestones}


def test_old_program_files_load_without_the_setting():
    text = (REPO / "tests" / "data" / "base" / "program" / "pilot.yaml").read_text()
    assert "pilot:" not in text
    assert Program.model_validate(yaml.safe_load(text)).pilot is None


def test_the_cap_option_needs_the_pilot_and_a_sensible_size(base_workspace):
    assert any("add --pilot" in e for e in check_answers(pilot_answers(pilot=False, max_participants=20)))
    with pytest.raises(MentorkitError, match="2 to 500"):
        init_program(base_workspace, pilot_answers(max_participants=1))
    result = CliRunner().invoke(main, ["init", "x", "--max-participants", "20", "--no-input",
                                       "--root", str(base_workspace)])
    assert result.exit_code == 1 and "add --pilot" in result.output and "Traceback" not in result.output
    init_program(base_workspace, pilot_answers(max_participants=24))
    ws, _ = read_workspace(base_workspace)
    assert ws.programs["pilot-2027"].pilot.max_participants == 24


def _cap(root, program: str, cap: int) -> None:
    path = root / "program" / f"{program}.yaml"
    path.write_text(path.read_text() + f"pilot:\n  max_participants: {cap}\n")


def test_validate_refuses_a_pilot_over_its_cap(base_workspace):
    _cap(base_workspace, "pilot", 3)
    result = CliRunner().invoke(main, ["validate", "--root", str(base_workspace)], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 1
    assert "pilot.max_participants" in result.output
    assert "the pilot takes at most 3 people, and 4 are enrolled in pilot" in result.output
    assert "take 1 of them out of pilot" in result.output
    text = (base_workspace / "program" / "pilot.yaml").read_text().replace("pilot:\n  max_participants: 3\n", "")
    (base_workspace / "program" / "pilot.yaml").write_text(text)
    _, report = read_workspace(base_workspace)
    assert report.ok, report.problems


def test_intake_refuses_sign_ups_beyond_the_cap_and_writes_nothing(tmp_path):
    root, private, _ = make_repo(tmp_path)
    _cap(root, "pilot", 6)  # four enrolled; the export brings three more
    before = (root / "participants" / "participants.csv").read_bytes()
    report = intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY)
    assert not report.ok
    assert [(p.code, p.field) for p in report.problems] == [("pilot-full", "pilot.max_participants")]
    assert "at most 6 people, and 7 are enrolled" in report.problems[0].message
    assert (root / "participants" / "participants.csv").read_bytes() == before
    # within the cap, the same sign-ups go in
    path = root / "program" / "pilot.yaml"
    path.write_text(path.read_text().replace("max_participants: 6", "max_participants: 7"))
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok


def test_new_pilot_defaults():
    answers = default_answers(dt.date(2026, 12, 2), pilot=True)
    assert (answers.program_id, answers.title, answers.pilot) == ("pilot-2027", "Mentoring pilot 2027", True)
    assert (answers.end - answers.start).days < 100


def test_new_pilot_repository_validates_and_builds_strict(tmp_path):
    target = tmp_path / "acme"
    result = CliRunner().invoke(main, ["new", str(target), "--kit-spec", SPEC, "--org", "Acme", "--pilot",
                                       "--max-participants", "40", "--no-input"])
    assert result.exit_code == 0, result.output
    programs = sorted(p.name for p in (target / "program").iterdir())
    assert len(programs) == 1 and programs[0].startswith("pilot-")
    ws, report = read_workspace(target)
    assert report.ok, report.problems
    program = next(iter(ws.programs.values()))
    assert program.pilot.max_participants == 40
    build = CliRunner().invoke(main, ["site", "build", "--strict", "--root", str(target)])
    assert build.exit_code == 0, build.output
    pid = next(iter(ws.programs))
    for page in ("calendar/index.html", f"programs/{pid}/index.html", f"calendar/{pid}.ics"):
        assert "Pilot review" in (target / "site" / page).read_text(encoding="utf-8"), page
    home = (target / "site" / "programs" / pid / "index.html").read_text(encoding="utf-8")
    assert "a first cohort of at most 40 people, to learn what to change before the full launch" in home
    assert (target / "site" / "programs" / pid / "skills" / "index.html").is_file(), "the skills page, before sign-up"


def test_create_repository_with_a_pilot(tmp_path):
    made = create_repository(tmp_path / "org", "Org", pilot_answers(max_participants=20), SPEC)
    ws, report = read_workspace(made.path)
    assert report.ok, report.problems
    assert ws.programs["pilot-2027"].pilot.max_participants == 20
