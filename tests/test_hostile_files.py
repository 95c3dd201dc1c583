"""Hostile and broken checkouts: links out of the repository, folders and unreadable files, text that misleads.

Every case must give problems (file, line or row, field, code), never a traceback, and no message may carry
more of a file than a short, escaped excerpt of the offending value.
"""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest
from click.testing import CliRunner

from conftest import make_workspace
from mentorkit.cli import main
from mentorkit.errors import Problem, Report
from mentorkit.repo.excerpt import MAX_EXCERPT, excerpt, visible
from mentorkit.repo.load import read_workspace
from mentorkit.text.report import ANNOTATIONS_PER_STEP, as_github, as_json, as_text

SECRET = "root:x:0:0:TOP-SECRET-LINE"


def validate(root: pathlib.Path, fmt: str = "text"):
    result = CliRunner().invoke(main, ["validate", "--root", str(root), "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def outside(tmp_path) -> pathlib.Path:
    """A file outside the repository whose content must never be echoed."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n[unclosed: {SECRET}\n")
    return path


# --- links that leave the repository ---------------------------------------------------------


@pytest.mark.parametrize("rel", ["program/pilot.yaml", "agendas/first-meeting.md", "participants/vocabulary.yaml",
                                 "participants/participants.csv", "participants/datapackage.yaml",
                                 "program/extra.yaml", "participants/matches/pilot.yaml"])
def test_a_link_out_of_the_repository_is_refused_unread(tmp_path, outside, rel):
    root = make_workspace(tmp_path / "ws")
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(outside)
    _, report = read_workspace(root)
    assert (rel, 1, None, "link-outside") in report.tuples()
    for fmt in ("text", "json", "github"):
        assert SECRET not in validate(root, fmt).output


def test_a_linked_folder_that_leaves_the_repository_is_refused(tmp_path, outside):
    root = make_workspace(tmp_path / "ws")
    (outside.parent / "pilot2.yaml").write_text(f"title: {SECRET}\n")
    (root / "program" / "linked").symlink_to(outside.parent)
    (root / "program" / "pilot2.yaml").symlink_to(outside.parent / "pilot2.yaml")
    _, report = read_workspace(root)
    assert ("program/pilot2.yaml", 1, None, "link-outside") in report.tuples()
    assert SECRET not in validate(root).output


def test_a_link_inside_the_repository_is_followed(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "program" / "pilot.yaml").rename(root / "pilot.yaml")
    (root / "program" / "pilot.yaml").symlink_to(root / "pilot.yaml")
    _, report = read_workspace(root)
    assert report.ok, report.tuples()


def test_a_resource_path_that_leaves_the_repository_is_refused(tmp_path, outside):
    root = make_workspace(tmp_path / "ws")
    descriptor = root / "participants" / "datapackage.yaml"
    rel = os.path.relpath(outside, root / "participants")
    descriptor.write_text(descriptor.read_text().replace("path: outcomes.csv", f"path: {rel}", 1))
    result = validate(root)
    assert SECRET not in result.output
    assert "Traceback" not in result.output


# --- filesystem faults -------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["program/pilot.yaml", "participants/participants.csv", "participants/vocabulary.yaml",
                                 "agendas/first-meeting.md", "participants/datapackage.yaml"])
def test_a_folder_where_a_file_belongs(tmp_path, rel):
    root = make_workspace(tmp_path / "ws")
    (root / rel).unlink()
    (root / rel).mkdir()
    _, report = read_workspace(root)
    assert (rel, 1, None, "unreadable-file") in report.tuples()
    result = validate(root)
    assert result.exit_code == 1 and "this is a folder where a file belongs" in result.output


def test_an_unreadable_table_names_its_file(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")
    real = pathlib.Path.read_bytes

    def refuse(self):  # the tests run as root, where chmod 000 does not stop reading
        if self.name == "checkins.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    _, report = read_workspace(root)
    [problem] = [p for p in report.problems if p.code == "unreadable-file"]
    assert (problem.file, problem.line) == ("participants/checkins.csv", 1)
    assert "permission denied" in problem.message
    result = validate(root)
    assert "participants/checkins.csv:1: the file cannot be read (permission denied)" in result.output


def test_a_command_that_cannot_write_says_so_without_a_traceback(tmp_path, monkeypatch):
    root = make_workspace(tmp_path / "ws")

    def read_only(*args, **kwargs):
        raise PermissionError(30, "Read-only file system", str(root / "participants" / "matches"))

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    result = CliRunner().invoke(main, ["match", "--root", str(root), "--", "pilot"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "the file system refused" in result.output and "participants/matches" in result.output
    assert "read-only file system" in result.output
    assert not (root / "participants" / "matches" / "pilot.yaml").exists()


@pytest.mark.slow  # the pure-Python scanner takes over a second on 1,000 levels of brackets
def test_deep_nesting_gives_a_problem_in_either_parser(monkeypatch):
    from mentorkit.repo import strict_yaml

    text = "a: " + "[" * 20000 + "]" * 20000 + "\n"
    for loader in (strict_yaml.FAST_LOADER, None):
        monkeypatch.setattr(strict_yaml, "FAST_LOADER", loader)
        doc, problems = strict_yaml.parse_yaml(text, "x.yaml")
        assert doc is None and [p.code for p in problems] == ["too-deep"]
    doc, problems = strict_yaml.parse_yaml("a: " + "[" * 40 + "]" * 40 + "\n", "x.yaml")  # deep, not too deep for C
    assert [p.code for p in problems] == ["too-deep"]


# --- text that misleads, values no one meant -----------------------------------------------------


def test_huge_values_are_quoted_in_part_in_every_format(tmp_path):
    for case in ("yaml-huge-value", "csv-huge-team"):
        root = make_workspace(tmp_path / case, case)
        for fmt in ("text", "json", "github"):
            out = validate(root, fmt).output
            assert len(out) < 3_000, (case, fmt, len(out))
            assert "characters long" in out


def test_an_excerpt_is_short_escaped_and_says_how_long_the_value_was():
    assert excerpt("abc") == "'abc'"
    long = excerpt("x" * 5000)
    assert long.startswith("'" + "x" * MAX_EXCERPT + "…'") and "5,000 characters" in long
    assert visible("a\u202eb\u200bc\x00d\ne") == "a<U+202E>b<U+200B>c<U+0000>d<U+000A>e"
    assert visible("Zoë 👩\u200d💻 café") == "Zoë 👩<U+200D>💻 café"  # printable text stays as it is


def test_a_joiner_in_an_emoji_title_is_allowed(tmp_path):
    root = make_workspace(tmp_path / "ws")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("title: Pilot mentoring program", "title: Pilot 👩\u200d💻 program"))
    _, report = read_workspace(root)
    assert report.ok, report.tuples()


def test_a_problem_in_a_value_is_reported_on_its_own_line_and_field(tmp_path):
    root = make_workspace(tmp_path / "ws")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("audience: Analysts", "audience: Analysts\u2067 reversed\u2069"))
    _, report = read_workspace(root)
    assert report.tuples() == {("program/pilot.yaml", 3, "audience", "invisible-character")}
    assert "U+2067 (right-to-left isolate)" in report.problems[0].message


def test_a_nul_byte_in_a_table_is_reported_at_its_line(tmp_path):
    root = make_workspace(tmp_path / "ws")
    checkins = root / "participants" / "checkins.csv"
    checkins.write_bytes(checkins.read_bytes() + b"pilot,mk-0000000c,mk-0000000b,2026-03-02\x00,45,virtual,5\n")
    _, report = read_workspace(root)
    [problem] = report.problems
    lines = checkins.read_bytes().count(b"\n")
    assert (problem.file, problem.line, problem.code) == ("participants/checkins.csv", lines, "control-character")


# --- annotations: GitHub shows 10 per step ------------------------------------------------------


def test_annotations_beyond_githubs_ten_are_counted_and_located():
    problems = [Problem(f"program/p{i % 3}.yaml", "yaml-syntax", f"problem {i}", line=i + 1) for i in range(14)]
    out = as_github(Report(problems))
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    warnings = [line for line in out.splitlines() if line.startswith("::warning ")]
    assert len(errors) == ANNOTATIONS_PER_STEP
    [note] = warnings
    assert "4 more problems than GitHub shows as annotations (10 per step)" in note
    assert "program/p0.yaml, program/p1.yaml, program/p2.yaml" in note and "all 14 are listed" in note
    assert all(f"problem {i}" in out for i in range(14))  # the log below the annotations has every one
    assert "::warning" not in as_github(Report(problems[:10]))


def test_an_annotation_is_capped():
    out = as_github(Report([Problem("a.yaml", "yaml-syntax", "y" * 50_000, line=1)]))
    assert len(out.splitlines()[0]) < 1_200
    assert len(as_text(Report([]))) < 100 and as_json(Report([])).startswith("{")


# --- the proposal artifact the privileged workflow job receives -----------------------------------


def test_the_artifact_check_refuses_links_folders_and_strangers(tmp_path, outside):
    from mentorkit.repo.proposal_files import receive_proposals

    root = make_workspace(tmp_path / "ws")
    assert CliRunner().invoke(main, ["match", "--root", str(root)]).exit_code == 0
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    shutil.copyfile(root / "participants" / "matches" / "pilot.yaml", artifact / "pilot.yaml")
    (root / "participants" / "matches" / "pilot.yaml").unlink()
    assert receive_proposals(artifact, root) == []
    assert (root / "participants" / "matches" / "pilot.yaml").read_bytes() == (artifact / "pilot.yaml").read_bytes()
    (artifact / "linked.yaml").symlink_to(outside)
    (artifact / "folder.yaml").mkdir()
    (artifact / ".hidden").write_text("x")
    before = (root / "participants" / "matches" / "pilot.yaml").stat().st_mtime_ns
    wrong = receive_proposals(artifact, root)
    assert wrong == [".hidden in the artifact is not the proposal of a program in program/ of the branch",
                     "folder.yaml in the artifact is not a plain file",
                     "linked.yaml in the artifact is not a plain file"]
    assert not any(SECRET in w for w in wrong)
    assert (root / "participants" / "matches" / "pilot.yaml").stat().st_mtime_ns == before  # nothing written


def test_a_proposal_is_never_written_through_a_link_of_the_branch(tmp_path, outside):
    from mentorkit.repo.proposal_files import receive_proposals

    root = make_workspace(tmp_path / "ws")
    assert CliRunner().invoke(main, ["match", "--root", str(root)]).exit_code == 0
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    target = root / "participants" / "matches" / "pilot.yaml"
    shutil.copyfile(target, artifact / "pilot.yaml")
    target.unlink()
    target.symlink_to(outside)  # committed by the branch: a link to a file of the installed kit, say
    before = outside.read_bytes()
    assert receive_proposals(artifact, root) == [
        "participants/matches/pilot.yaml in the branch is a link: the proposal is not written through it"]
    assert outside.read_bytes() == before and target.is_symlink()


def test_a_huge_key_or_column_label_is_never_echoed_whole(tmp_path):
    root = make_workspace(tmp_path / "ws")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text() + "k" * 1_000 + ": 1\n")  # YAML caps plain keys at 1024
    checkins = root / "participants" / "checkins.csv"
    lines = checkins.read_text().splitlines(keepends=True)
    checkins.write_text(lines[0].rstrip("\n") + "," + "c" * 50_000 + "\n" + "".join(lines[1:]))
    _, report = read_workspace(root)
    assert ("program/pilot.yaml", 28, None, "value-too-long") in report.tuples()
    assert any(p.code == "unknown-column" and p.file == "participants/checkins.csv" for p in report.problems)
    for fmt in ("text", "json", "github"):
        assert len(validate(root, fmt).output) < 4_000
