"""The e-mail templates under templates/: checked by the loader, so `mentorkit validate` reports their problems.

One catalogue (`model.templates.CATALOGUE`) and one check (`repo.templates`): the problems `read_workspace`
reports for a template are exactly the ones `mentorkit intros` and `mentorkit messages` refuse it for.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import REPO, make_workspace
from mentorkit.cli import main
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.messages import _common, write_messages
from mentorkit.coordinator.people import Person
from mentorkit.errors import InvalidWorkspace, TemplateError
from mentorkit.model.templates import CATALOGUE, MESSAGE_COMMON
from mentorkit.repo.load import read_workspace
from mentorkit.repo.templates import check_template
from test_imports import enrolled
from test_messages import with_templates

STARTER = REPO / "scripts" / "mentorkit" / "starter"
NUDGE = "templates/nudge.md"


def kit_templates(root):
    """The demo's five templates, copied into `root`."""
    shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    return root


def where(problems):
    """(file, line, code) of each problem: what these tests compare."""
    return {(p.file, p.line, p.code) for p in problems}


def line_of(path, text):
    """The 1-based line of the file that holds `text` (the comments at the top list every placeholder: not those)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (n,) = [i for i, line in enumerate(lines, start=1) if text in line and not line.startswith("#")]
    return n


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def ws(tmp_path):
    """The small valid workspace with the kit's templates."""
    return kit_templates(make_workspace(tmp_path / "ws"))


def test_the_workspace_with_the_kit_templates_is_valid(ws):
    loaded, report = read_workspace(ws)
    assert report.ok, report.problems
    assert sorted(loaded.templates) == sorted(CATALOGUE)
    assert loaded.templates["suggestions"].settings == {"share": ("skills_offered", "languages", "time_zone",
                                                                  "meeting_mode")}


def test_an_unknown_placeholder_in_nudge_is_reported_with_its_line(ws):
    path = ws / NUDGE
    edit(path, "between you and {partner_names}.", "between you and {partner_name}.")
    _, report = read_workspace(ws)
    line = line_of(path, "{partner_name}.")
    assert where(report.problems) == {(NUDGE, line, "unknown-placeholder")}
    (problem,) = report.problems
    assert problem.column == len("We are checking in on the mentoring between you and ") + 1
    assert problem.hint == "did you mean '{partner_names}'?" and "'{partner_name}'" in problem.message


def test_a_placeholder_in_the_subject_is_checked_at_the_subject_line(ws):
    path = ws / NUDGE
    edit(path, 'subject: "{program_title}:', 'subject: "{program}:')
    _, report = read_workspace(ws)
    assert where(report.problems) == {(NUDGE, line_of(path, "subject:"), "unknown-placeholder")}


def test_a_stray_brace_is_reported(ws):
    path = ws / NUDGE
    edit(path, "Hello {first_name},", "Hello {first_name},}")
    _, report = read_workspace(ws)
    (problem,) = report.problems
    assert (problem.file, problem.line, problem.column, problem.code) == (
        NUDGE, line_of(path, "Hello {first_name},}"), len("Hello {first_name},") + 1, "bad-placeholder")


def test_every_template_of_the_catalogue_is_checked_with_its_own_names(ws):
    """A name one kind fills in is unknown to another: {partner_names} means nothing in not-matched.md."""
    for name in ("intro-email", "suggestions", "not-matched", "closure"):
        path = ws / "templates" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nSee {noticed}.\n", encoding="utf-8")
    _, report = read_workspace(ws)
    assert {(p.file, p.code) for p in report.problems} == {
        (f"templates/{name}.md", "unknown-placeholder") for name in ("intro-email", "suggestions", "not-matched",
                                                                    "closure")}


@pytest.mark.parametrize(("old", "new", "at", "code"), [
    ("---\n# The e-mail", "# The e-mail", None, "missing-front-matter"),  # no opening '---'
    ('subject: "{program_title}: how is your mentoring going?"',
     'subject: "{program_title}: how is your mentoring going?', "subject:", "yaml-syntax"),
    ('subject: "{program_title}:', 'subjet: "{program_title}:', None, "invalid-front-matter"),  # no subject
    ('subject: "{program_title}: how is your mentoring going?"',
     'subject: "{program_title}: how is your mentoring going?"\nsend_to: everyone', "send_to:",
     "invalid-front-matter"),
    ('subject: "{program_title}: how is your mentoring going?"', "subject: [a, list]", "subject:",
     "invalid-front-matter"),
])
def test_broken_front_matter_is_reported_with_its_line(ws, old, new, at, code):
    path = ws / NUDGE
    edit(path, old, new)
    _, report = read_workspace(ws)
    line = line_of(path, at) if at else (1 if code == "missing-front-matter" else 2)
    assert where(report.problems) == {(NUDGE, line, code)}
    assert all(p.hint for p in report.problems)


def test_an_unknown_setting_suggests_the_right_one(ws):
    path = ws / "templates" / "suggestions.md"
    edit(path, "share: [", "shares: [")
    _, report = read_workspace(ws)
    (problem,) = report.problems
    assert (problem.line, problem.field, problem.code) == (line_of(path, "shares:"), "shares", "invalid-front-matter")
    assert problem.hint == "did you mean 'share'?"


def test_share_names_only_fields_a_profile_can_show(ws):
    path = ws / "templates" / "suggestions.md"
    edit(path, "share: [skills_offered, languages,", "share: [skills_offered, gender,")
    _, report = read_workspace(ws)
    (problem,) = report.problems
    assert (problem.file, problem.line, problem.field, problem.code) == (
        "templates/suggestions.md", line_of(path, "share:"), "share[1]", "invalid-choice")
    assert "gender, which a profile cannot show" in problem.message and "meeting_mode" in problem.hint
    edit(path, "share: [skills_offered, gender, time_zone, meeting_mode]", "share: department")
    _, report = read_workspace(ws)
    assert where(report.problems) == {("templates/suggestions.md", line_of(path, "share:"), "wrong-type")}


def test_a_template_that_is_not_utf8_is_reported(ws):
    (ws / NUDGE).write_bytes((ws / NUDGE).read_bytes().replace(b"Hello", b"Hall\xf6"))
    _, report = read_workspace(ws)
    assert where(report.problems) == {(NUDGE, line_of(REPO / NUDGE, "Hello {first_name}"), "encoding")}


def test_a_missing_template_is_no_problem(tmp_path):
    root = make_workspace(tmp_path / "ws")  # no templates/ at all
    loaded, report = read_workspace(root)
    assert report.ok, report.problems
    assert loaded.templates == {}
    (root / "templates").mkdir()
    shutil.copy(REPO / NUDGE, root / NUDGE)
    loaded, report = read_workspace(root)
    assert report.ok and list(loaded.templates) == ["nudge"]


def test_other_files_under_templates_are_not_checked(ws):
    (ws / "templates" / "notes.md").write_text("Ideas for {whatever}\n", encoding="utf-8")
    assert read_workspace(ws)[1].ok


def test_an_overlay_is_checked_like_a_file(ws):
    text = (ws / NUDGE).read_text(encoding="utf-8").replace("{noticed}", "{notice}")
    _, report = read_workspace(ws, overlay={NUDGE: text})
    assert {(p.file, p.code) for p in report.problems} == {(NUDGE, "unknown-placeholder")}


@pytest.mark.parametrize("folder", [REPO, STARTER], ids=["demo", "starter"])
def test_the_kit_templates_have_no_problems(folder):
    for name, kind in CATALOGUE.items():
        rel = f"templates/{name}.md"
        template, problems = check_template(rel, (folder / rel).read_text(encoding="utf-8"), kind)
        assert problems == [] and template is not None, rel
        header = (folder / rel).read_text(encoding="utf-8").split("\n---\n")[0]
        unlisted = [n for n in kind.placeholders if f"{{{n}}}" not in header]
        assert not unlisted, f"{rel}: list {unlisted} in the comment at its top"


def test_the_demo_repository_reports_no_template_problem():
    _, report = read_workspace(REPO)
    assert [p for p in report.problems if p.file.startswith("templates/")] == []


def test_validate_reports_the_template_with_file_line_and_code(ws):
    path = ws / NUDGE
    edit(path, "between you and {partner_names}.", "between you and {partner_name}.")
    result = CliRunner().invoke(main, ["validate", "--root", str(ws), "--format", "text"])
    assert result.exit_code == 1
    assert f"{NUDGE}:{line_of(path, '{partner_name}.')}:" in result.output
    assert "[unknown-placeholder]" in result.output


def test_messages_refuse_the_template_validate_reports(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    edit(root / NUDGE, "between you and {partner_names}.", "between you and {partner_name}.")
    _, report = read_workspace(root)
    with pytest.raises(TemplateError) as caught:
        write_messages(root, "pilot", "nudge", private, out)
    assert where(caught.value.problems) == where(report.problems) == {
        (NUDGE, line_of(root / NUDGE, "{partner_name}."), "unknown-placeholder")}
    assert not out.exists()


def test_intros_refuse_the_template_validate_reports(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    rel = "templates/intro-email.md"
    path = root / rel
    edit(path, "subject:", "subjet:")
    _, report = read_workspace(root)
    with pytest.raises(TemplateError) as caught:
        write_intros(root, "pilot", private, out)
    assert where(caught.value.problems) == where(report.problems) == {(rel, 2, "invalid-front-matter")}
    assert not out.exists()


def test_with_other_problems_too_the_whole_report_is_shown(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    edit(root / NUDGE, "\n{noticed}\n", "\n{notice}\n")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "cadance: weekly\n", encoding="utf-8")
    with pytest.raises(InvalidWorkspace) as caught:
        write_messages(root, "pilot", "nudge", private, out)
    assert {(p.file, p.code) for p in caught.value.problems} == {(NUDGE, "unknown-placeholder"),
                                                                 ("program/pilot.yaml", "unknown-key")}


def test_a_missing_template_is_refused_only_by_its_command(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)  # the introduction template only
    assert read_workspace(root)[1].ok
    with pytest.raises(TemplateError, match=r"templates/closure\.md is missing") as caught:
        write_messages(root, "pilot", "closure", private, out)
    assert where(caught.value.problems) == {("templates/closure.md", None, "missing-file")}


def test_messages_fill_in_every_common_name_of_the_catalogue(ws):
    loaded, _ = read_workspace(ws)
    person = Person("mk-0000000a", "Ada Lovelace", "ada@example.com", "Europe/London")
    assert set(_common(loaded.program("pilot"), person)) == set(MESSAGE_COMMON)
