"""`mentorkit validate`: output formats and exit codes, never a traceback."""

import json

from click.testing import CliRunner

from conftest import make_workspace
from mentorkit.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {"GITHUB_ACTIONS": ""}, catch_exceptions=False)


def test_clean_workspace_exits_0(base_workspace):
    result = run("validate", "--root", str(base_workspace))
    assert result.exit_code == 0
    assert result.output == "No problems found.\n"


def test_problems_exit_1_with_file_line_and_hint(tmp_path):
    ws = make_workspace(tmp_path / "ws", "yaml-unknown-key")
    result = run("validate", "--root", str(ws))
    assert result.exit_code == 1
    assert "program/pilot.yaml:8:1, field 'cadance': unknown key 'cadance' [unknown-key]" in result.output
    assert "hint: did you mean 'cadence'?" in result.output
    assert "Traceback" not in result.output


def test_json_format(tmp_path):
    ws = make_workspace(tmp_path / "ws", "csv-email")
    result = run("validate", "--root", str(ws), "--format", "json")
    data = json.loads(result.output)
    assert data["ok"] is False
    assert data["problems"] == [{
        "file": "participants/participants.csv", "code": "pii-email", "row": 3, "field": "team",
        "message": "the value looks like an e-mail address; the repository holds pseudonyms only",
        "hint": "replace it with the person's pseudonym (mentorkit intake does this for form exports)",
    }]


def test_github_annotations_are_the_default_inside_actions(tmp_path):
    ws = make_workspace(tmp_path / "ws", "yaml-wrong-type")
    result = run("validate", "--root", str(ws), env={"GITHUB_ACTIONS": "true"})
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=program/pilot.yaml,line=10,col=")
    assert "title=wrong-type::" in first
    assert "(field cadence.session_minutes)" in first


def test_annotation_text_is_escaped(tmp_path):
    from mentorkit.errors import Problem, Report
    from mentorkit.text.report import as_github

    out = as_github(Report([Problem("a,b:c.yaml", "yaml-syntax", "50% done\nnext", line=3)]))
    assert out.splitlines()[0] == "::error file=a%2Cb%3Ac.yaml,line=3,title=yaml-syntax::50%25 done%0Anext"


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["validate", "--format", "xml"])
    assert result.exit_code == 2


def test_downstream_commands_refuse_an_invalid_workspace(tmp_path):
    from mentorkit.errors import InvalidWorkspace
    from mentorkit.repo.load import load_workspace

    ws = make_workspace(tmp_path / "ws", "csv-wrong-type")
    try:
        load_workspace(ws)
    except InvalidWorkspace as exc:
        assert len(exc.report.problems) == 1
    else:
        raise AssertionError("an invalid workspace loaded")
