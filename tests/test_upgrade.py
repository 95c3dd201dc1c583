"""`mentorkit upgrade` and program-file schema versions: older files keep working, upgrading keeps what people wrote.

`data/upgrade/grow-schema-1.yaml` is the demo's grow program exactly as it was written under schema 1 (before
`schema_version` existed); the tests upgrade it inside a copy of the demo repository.
"""

import difflib
import shutil

import pytest
from click.testing import CliRunner

from conftest import DATA, REPO
from mentorkit.cli import main
from mentorkit.errors import InvalidWorkspace
from mentorkit.model import SCHEMA_VERSION
from mentorkit.repo import migrations, upgrade
from mentorkit.repo.load import read_workspace
from mentorkit.repo.migrations import Step, set_version, upgrade_text

SCHEMA_1 = DATA / "upgrade" / "grow-schema-1.yaml"


@pytest.fixture
def repo(tmp_path):
    """A copy of the demo repository whose grow program is the schema-1 file."""
    root = tmp_path / "repo"
    for folder in ("program", "participants", "agendas"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(SCHEMA_1, root / "program" / "grow.yaml")
    return root


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_schema_1_file_still_validates_and_reads_as_schema_1(repo):
    ws, report = read_workspace(repo)
    assert report.ok, report.problems
    assert ws.programs["grow"].schema_version is None  # absent: 1


def test_upgrade_migrates_a_schema_1_file_keeping_every_line_written(repo):
    before = (repo / "program" / "grow.yaml").read_text(encoding="utf-8")
    result = run("upgrade", "--root", str(repo))
    assert result.exit_code == 0, result.output
    assert f"program/grow.yaml: schema 1 -> {SCHEMA_VERSION}" in result.output
    after = (repo / "program" / "grow.yaml").read_text(encoding="utf-8")
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert added == [f"+ schema_version: {SCHEMA_VERSION}  # the program-file schema (mentorkit upgrade raises it)"]
    assert after.startswith(before.split("\ntitle:")[0])  # the header comments stay first
    ws, report = read_workspace(repo)
    assert report.ok, report.problems
    assert ws.programs["grow"].schema_version == SCHEMA_VERSION
    original = read_workspace(REPO)[0].programs["grow"]
    assert ws.programs["grow"].model_dump(exclude={"schema_version"}) == \
        original.model_dump(exclude={"schema_version"})  # the same program, only the version stated


def test_upgrade_is_idempotent_and_check_changes_nothing(repo):
    checked = run("upgrade", "--check", "--root", str(repo))
    assert checked.exit_code == 1 and "program/grow.yaml" in checked.output
    untouched = snapshot(repo)
    assert run("upgrade", "--root", str(repo)).exit_code == 0
    assert snapshot(repo) != untouched
    once = snapshot(repo)
    again = run("upgrade", "--root", str(repo))
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert snapshot(repo) == once
    assert run("upgrade", "--check", "--root", str(repo)).exit_code == 0


def test_a_file_from_a_newer_kit_is_refused_with_the_fix(repo):
    path = repo / "program" / "connect.yaml"
    path.write_text(set_version(path.read_text(encoding="utf-8"), SCHEMA_VERSION + 1), encoding="utf-8")
    _, report = read_workspace(repo)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("schema_version"))
    assert report.tuples() == {("program/connect.yaml", line, "schema_version", "schema-too-new")}
    assert "requirements.txt" in report.problems[0].hint
    untouched = snapshot(repo)
    result = run("upgrade", "--root", str(repo))
    assert result.exit_code == 1 and "schema-too-new" in result.output and "Traceback" not in result.output
    assert snapshot(repo) == untouched  # grow.yaml, which could be upgraded, is not written either


def test_an_unreadable_program_file_stops_the_whole_upgrade(repo):
    (repo / "program" / "connect.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    untouched = snapshot(repo)
    result = run("upgrade", "--root", str(repo))
    assert result.exit_code == 1 and "yaml-syntax" in result.output
    assert snapshot(repo) == untouched


def test_a_step_that_would_break_a_file_is_refused_before_writing(repo, monkeypatch):
    def breaks(text, doc):
        return text.replace("format: one-to-one", "format: solo"), ["format renamed"]

    monkeypatch.setattr(migrations, "STEPS", (Step(SCHEMA_VERSION, "a broken step", breaks),))
    monkeypatch.setattr(upgrade, "upgrade_text", lambda text, rel: upgrade_text(text, rel, migrations.STEPS))
    untouched = snapshot(repo)
    with pytest.raises(InvalidWorkspace) as raised:
        upgrade.plan_upgrade(repo)
    assert {(p.file, p.field, p.code) for p in raised.value.report.problems} == \
        {("program/grow.yaml", "format", "invalid-choice")}
    assert snapshot(repo) == untouched


def test_steps_run_in_order_each_on_the_text_the_last_one_wrote(monkeypatch):
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 4)
    seen = []

    def step(to):
        def rewrite(text, doc):
            seen.append((to, doc.data.get("schema_version", "absent")))
            return text + f"# step {to}\n", [f"step {to} ran"]
        return Step(to, f"to {to}", rewrite)

    text = SCHEMA_1.read_text(encoding="utf-8")
    new, before, after, changes = upgrade_text(text, "program/grow.yaml", (step(2), step(3), step(4)))
    assert (before, after) == (1, 4)
    assert seen == [(2, "absent"), (3, "2"), (4, "3")]
    assert changes == ["step 2 ran", "schema 1 -> 2: to 2", "step 3 ran", "schema 2 -> 3: to 3",
                       "step 4 ran", "schema 3 -> 4: to 4"]
    assert new.endswith("# step 2\n# step 3\n# step 4\n") and new.count("schema_version:") == 1
    stated = set_version(new, 3)  # a file at 3 runs only the last step
    _, before, after, changes = upgrade_text(stated, "program/grow.yaml", (step(2), step(3), step(4)))
    assert (before, after, changes[-1]) == (3, 4, "schema 3 -> 4: to 4")


def test_set_version_keeps_line_endings_and_a_comment_on_the_line():
    crlf = "# header\r\n\r\nschema_version: 1   # stated by hand\r\ntitle: x\r\n"
    assert set_version(crlf, 2) == "# header\r\n\r\nschema_version: 2   # stated by hand\r\ntitle: x\r\n"
    assert set_version("title: x\n", 2).startswith("schema_version: 2  #")


def test_an_interrupted_upgrade_is_completed_by_the_next_one(repo, monkeypatch):
    plan = upgrade.plan_upgrade(repo)
    staged = {}

    def die_after_commit(journal):  # the journal is written, the renames have not happened yet
        staged["journal"] = journal
        raise KeyboardInterrupt

    monkeypatch.setattr("mentorkit.repo.atomic.finish_pending", die_after_commit)
    with pytest.raises(KeyboardInterrupt):
        upgrade.apply_upgrade(repo, plan)
    assert "schema_version" not in (repo / "program" / "grow.yaml").read_text()  # still old, never partial
    monkeypatch.undo()
    again = upgrade.plan_upgrade(repo)  # completes the renames first
    assert not again.needed and not (repo / upgrade.JOURNAL).exists()
    assert f"schema_version: {SCHEMA_VERSION}" in (repo / "program" / "grow.yaml").read_text()
