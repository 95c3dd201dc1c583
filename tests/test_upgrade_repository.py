"""`mentorkit upgrade` keeps a repository made by `mentorkit new` whole, and every command checks the pin.

A newer kit is simulated by changing the starter files `repo.starter` reads (and the installed kit's
version `repo.kit` reports); the repository is a real `mentorkit new` one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.new_repo import create_repository, default_answers
from mentorkit.repo import kit, starter
from mentorkit.repo.kit import Installed
from mentorkit.repo.migrations import set_version

TODAY = dt.date(2026, 12, 2)
CHECK = ".github/workflows/check.yml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def acme(tmp_path) -> Path:
    return create_repository(tmp_path / "acme", "Acme", default_answers(TODAY), "mentorkit==0.1.0").path


def installed_as(monkeypatch, version: str, spec: str | None = None, commit: str | None = None) -> None:
    monkeypatch.setattr(kit, "installed", lambda: Installed(version, spec, "as an editable checkout", commit))


def newer_kit(monkeypatch, **changes: str | None) -> None:
    """The starter files of a later kit: `changes` maps a path (with / as __) to its new text, or None (gone)."""
    original = starter.starter_files()

    def files():
        out = dict(original)
        for key, text in changes.items():
            rel = key.replace("__", "/").replace("DOT", ".")
            if text is None:
                out.pop(rel, None)
            else:
                out[rel] = text
        return out

    monkeypatch.setattr(starter, "starter_files", files)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_new_repository_records_every_kit_file_and_is_already_upgraded(acme):
    manifest = json.loads((acme / starter.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["organisation"] == "Acme"
    on_disk = {rel for rel in snapshot(acme) if starter.kit_owned(rel)}
    assert set(manifest["files"]) == on_disk and {CHECK, "mkdocs.yml", "constraints.txt", ".gitattributes",
                                                  "docs/handbooks/mentor.md", "templates/intro-email.md"} <= on_disk
    for rel, digest in manifest["files"].items():
        assert starter.digest((acme / rel).read_text(encoding="utf-8")) == digest, rel
    assert not {"README.md", "docs/index.md", "participants/vocabulary.yaml"} & set(manifest["files"])
    result = run("upgrade", "--check", "--root", str(acme))
    assert result.exit_code == 0 and "nothing to do" in result.output


def test_kit_files_left_alone_are_brought_to_the_new_kit_and_edited_ones_kept_with_a_diff(acme, monkeypatch):
    check = (acme / CHECK).read_text(encoding="utf-8")
    mkdocs = (acme / "mkdocs.yml").read_text(encoding="utf-8")
    edited_mkdocs = mkdocs.replace("site_name: Mentoring at Acme", "site_name: Grow at Acme")
    (acme / "mkdocs.yml").write_text(edited_mkdocs, encoding="utf-8")
    (acme / ".gitattributes").unlink()
    manifest = json.loads((acme / starter.MANIFEST).read_text(encoding="utf-8"))
    del manifest["files"][".gitattributes"]  # as in a repository made before the kit shipped it
    (acme / starter.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    new_check = check.replace("name: Check\n", "name: Check\n# a later kit's line\n")
    new_mkdocs = starter.starter_files()["mkdocs.yml"] + "# a later kit's setting\n"
    newer_kit(monkeypatch, DOTgithub__workflows__checkDOTyml=new_check, mkdocsDOTyml=new_mkdocs)
    installed_as(monkeypatch, "0.2.0", "mentorkit==0.2.0")

    checked = run("upgrade", "--check", "--root", str(acme))
    assert checked.exit_code == 1
    result = run("upgrade", "--root", str(acme))
    assert result.exit_code == 0, result.output
    assert (acme / CHECK).read_text(encoding="utf-8") == new_check  # untouched here: replaced
    assert (acme / ".gitattributes").is_file()  # new to this repository: added
    assert (acme / "mkdocs.yml").read_text(encoding="utf-8") == edited_mkdocs  # edited here: kept
    assert "mkdocs.yml: kept, because it was changed here" in result.output
    assert "-site_name: Grow at Acme\n+site_name: Mentoring at Acme\n" in result.output
    assert "+# a later kit's setting\n" in result.output and "--take mkdocs.yml" in result.output
    assert (acme / kit.PIN_FILE).read_text(encoding="utf-8").splitlines()[-1] == "mentorkit==0.2.0"
    manifest = json.loads((acme / starter.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["kit"] == "0.2.0" and manifest["files"][CHECK] == starter.digest(new_check)
    assert manifest["files"]["mkdocs.yml"] == starter.digest(mkdocs)  # still the kit's old text: still edited

    again = run("upgrade", "--check", "--root", str(acme))  # an edited file alone does not fail the check
    assert again.exit_code == 0 and "mkdocs.yml: kept" in again.output
    taken = run("upgrade", "--take", "mkdocs.yml", "--root", str(acme))
    assert taken.exit_code == 0, taken.output
    assert (acme / "mkdocs.yml").read_text(encoding="utf-8") == new_mkdocs.replace("__ORG__", "Acme")
    assert "nothing to do" in run("upgrade", "--root", str(acme)).output


def test_take_names_only_kit_files(acme):
    before = snapshot(acme)
    result = CliRunner().invoke(main, ["upgrade", "--take", "README.md", "--root", str(acme)])
    assert result.exit_code == 1 and "not one of the kit's files" in result.output and "Traceback" not in result.output
    assert snapshot(acme) == before


def test_a_file_removed_here_is_not_put_back(acme, monkeypatch):
    (acme / ".github" / "workflows" / "remind.yml").unlink()
    newer_kit(monkeypatch, DOTgithub__workflows__remindDOTyml="# a later kit's remind\n" +
              starter.starter_files()[".github/workflows/remind.yml"])
    result = run("upgrade", "--root", str(acme))
    assert result.exit_code == 0 and "remind.yml was removed here" in result.output
    assert not (acme / ".github" / "workflows" / "remind.yml").exists()


def test_stale_schemas_and_forms_are_rewritten_and_check_fails_until_then(acme):
    schema = acme / "schemas" / "program.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"title"', '"old-title"', 1), encoding="utf-8")
    vocabulary = yaml.safe_load((acme / "participants" / "vocabulary.yaml").read_text(encoding="utf-8"))
    (acme / "forms" / "mappings.md").unlink()
    assert run("schema", "--check", "--root", str(acme)).exit_code == 1
    assert run("forms", "--check", "--root", str(acme)).exit_code == 1
    result = run("upgrade", "--root", str(acme))
    assert result.exit_code == 0, result.output
    assert "schemas/program.schema.json: rewritten" in result.output and "forms/mappings.md: rewritten" in result.output
    assert run("schema", "--check", "--root", str(acme)).exit_code == 0
    assert run("forms", "--check", "--root", str(acme)).exit_code == 0
    assert vocabulary  # the organisation's vocabulary is read, never rewritten
    assert yaml.safe_load((acme / "participants" / "vocabulary.yaml").read_text(encoding="utf-8")) == vocabulary


def test_the_starter_check_workflow_fails_on_stale_schemas_or_forms(acme):
    steps = yaml.safe_load((acme / CHECK).read_text(encoding="utf-8"))["jobs"]["check"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert "mentorkit schema --check" in runs and "mentorkit forms --check" in runs
    assert runs.index("mentorkit schema --check") < runs.index("mentorkit site build --strict")


def test_an_older_repository_without_a_manifest_gets_one_and_keeps_what_differs(acme, monkeypatch):
    (acme / starter.MANIFEST).unlink()
    faq = acme / "docs" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\nOur own answer.\n", encoding="utf-8")
    result = run("upgrade", "--root", str(acme))
    assert result.exit_code == 0, result.output
    assert "docs/faq.md: kept" in result.output and "Our own answer." in faq.read_text(encoding="utf-8")
    manifest = json.loads((acme / starter.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["organisation"] == "Acme"  # read from mkdocs.yml's site name
    assert "docs/faq.md" not in manifest["files"] and CHECK in manifest["files"]


def test_the_kits_own_repository_gets_no_starter_files(tmp_path):
    """A repository without requirements.txt (this kit's demo) is not one `new` made: no workflows are added."""
    root = tmp_path / "demo"
    acme = create_repository(tmp_path / "acme", "Acme", default_answers(TODAY), "mentorkit==0.1.0").path
    acme.rename(root)
    (root / kit.PIN_FILE).unlink()
    (root / ".github" / "workflows" / "check.yml").unlink()
    result = run("upgrade", "--root", str(root))
    assert result.exit_code == 0 and not (root / ".github" / "workflows" / "check.yml").exists()


def test_the_pin_follows_the_installed_kit_or_kit_spec(acme, monkeypatch):
    git = "mentorkit @ git+https://github.com/acme/mentorkit@" + "c" * 40
    installed_as(monkeypatch, "0.1.0", git, "c" * 40)
    assert run("upgrade", "--root", str(acme)).exit_code == 0
    assert (acme / kit.PIN_FILE).read_text(encoding="utf-8").splitlines()[-1] == git
    installed_as(monkeypatch, "0.1.0", None)
    result = run("upgrade", "--kit-spec", "mentorkit==0.1.0", "--root", str(acme))
    assert result.exit_code == 0 and "the pin becomes mentorkit==0.1.0" in result.output
    assert (acme / kit.PIN_FILE).read_text(encoding="utf-8").splitlines()[-1] == "mentorkit==0.1.0"


@pytest.mark.parametrize(("marker", "command"), [
    (None, "python -m pip install mentorkit==0.3.0"),
    ("pipx_metadata.json", "pipx install --force mentorkit==0.3.0"),
    ("uv-receipt.toml", "uv tool install --force mentorkit==0.3.0"),
])
def test_every_command_warns_once_when_the_installed_kit_is_not_the_pin(acme, tmp_path, monkeypatch, marker, command):
    prefix = tmp_path / "env"
    prefix.mkdir()
    if marker:
        (prefix / marker).write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(prefix))
    installed_as(monkeypatch, "0.2.0", "mentorkit==0.2.0")
    (acme / kit.PIN_FILE).write_text(kit.pin_text("mentorkit==0.3.0"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(acme)])
    assert result.exit_code == 0
    assert result.stderr.count("Warning: the repository pins mentorkit 0.3.0, but mentorkit 0.2.0 is installed") == 1
    assert command in result.stderr and "No problems found" in result.stdout
    monkeypatch.chdir(acme / "program")  # found from a subfolder too, without --root
    assert CliRunner().invoke(main, ["metrics"]).stderr.count("Warning: the repository pins") == 1
    installed_as(monkeypatch, "0.3.0", "mentorkit==0.3.0")
    assert "Warning" not in CliRunner().invoke(main, ["validate", "--root", str(acme)]).stderr


def test_a_git_pin_is_compared_by_commit(acme, monkeypatch):
    (acme / kit.PIN_FILE).write_text(kit.pin_text("mentorkit @ git+https://github.com/acme/mentorkit@" + "d" * 40))
    installed_as(monkeypatch, "0.1.0", "mentorkit @ git+https://github.com/acme/mentorkit@" + "e" * 40, "e" * 40)
    warned = CliRunner().invoke(main, ["validate", "--root", str(acme)]).stderr
    assert "commit dddddddddddd" in warned and "eeeeeeeeeeee" in warned
    installed_as(monkeypatch, "0.1.0", "mentorkit @ git+https://github.com/acme/mentorkit@" + "d" * 40, "d" * 40)
    assert "Warning" not in CliRunner().invoke(main, ["validate", "--root", str(acme)]).stderr


def test_schema_too_new_names_the_upgrade_command_of_the_install(acme, tmp_path, monkeypatch):
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "uv-receipt.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "env"))
    (program,) = (acme / "program").glob("*.yaml")
    program.write_text(set_version(program.read_text(encoding="utf-8"), 99), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(acme)])
    assert result.exit_code == 1 and "schema-too-new" in result.output
    assert "uv tool upgrade mentorkit" in result.output and "pip install --upgrade" not in result.output
