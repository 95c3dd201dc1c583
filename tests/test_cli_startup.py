"""Everyday commands start at once: `--help` and `--version` load no model, solver, table reader or YAML parser.

Each check runs a fresh interpreter (the test process has long imported everything) and lists what the
command loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
HEAVY = ("pydantic", "frictionless", "pulp", "highspy", "numpy", "scipy", "ortools", "yaml", "mkdocs", "holidays",
         "icalendar", "jinja2", "markdown", "mentorkit.model", "mentorkit.repo", "mentorkit.matching",
         "mentorkit.metrics", "mentorkit.ci.github")

PROBE = """
import sys
sys.argv = ["mentorkit", *{args!r}]
try:
    from mentorkit.cli import main
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.startswith({heavy!r}))
print("LOADED", heavy, file=sys.stderr)
"""


def _loaded(*args: str) -> tuple[list[str], str]:
    env = {"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args), heavy=HEAVY)], env=env,
                          capture_output=True, text=True, check=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED"))
    return ast.literal_eval(line.removeprefix("LOADED ")), done.stdout


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["match", "--help"], ["ci", "--help"],
                                  ["init", "--help"]])
def test_help_and_version_load_nothing_heavy(args):
    loaded, out = _loaded(*args)
    assert loaded == []
    assert out  # the command did answer


def test_the_help_still_lists_every_command():
    _, out = _loaded("--help")
    for command in ("validate", "match", "metrics", "diff", "approve", "intake", "ci"):
        assert f"  {command} " in out


def test_a_real_command_does_load_the_library(tmp_path):
    loaded, _ = _loaded("validate", "--root", str(tmp_path))
    assert "mentorkit.repo.load" in loaded and "pydantic" in loaded  # the probe sees imports at all


def test_the_cadence_choices_are_the_models():
    from mentorkit.cli.coordinator import CADENCES
    from mentorkit.model import CADENCES as MODEL_CADENCES

    assert CADENCES == MODEL_CADENCES


# What the everyday commands load on the kit's own repository: the descriptor the kit ships is read without
# frictionless (0.2 s), and validating or measuring loads no solver.
EVERYDAY = {"validate": ("frictionless", "mentorkit.matching", "pulp", "numpy", "ortools", "mkdocs"),
            "metrics": ("frictionless", "mentorkit.matching", "pulp", "numpy", "ortools", "mkdocs")}


@pytest.mark.parametrize("command", sorted(EVERYDAY))
def test_everyday_commands_on_the_kits_descriptor_load_no_frictionless_or_solver(tmp_path, command):
    from conftest import make_workspace

    root = make_workspace(tmp_path / "ws")
    loaded, out = _loaded(command, "--root", str(root))
    assert "mentorkit.repo.tables" in loaded and out  # the tables were read and the command answered
    assert [m for m in loaded if m.startswith(EVERYDAY[command])] == []


def test_everyday_commands_on_the_demo_load_one_countrys_holidays():
    """The demo's peer program avoids Berlin's holidays: its load reads Germany's rules, not the package of all 250
    countries (0.08 s at every validate, match and metrics), and validating loads no solver."""
    from conftest import REPO

    loaded, out = _loaded("validate", "--root", str(REPO))
    assert "holidays" in loaded and "No problems found" in out  # the region was checked, and the demo is valid
    assert [m for m in loaded if m.startswith(("holidays.countries", "numpy", "pulp", "ortools", "frictionless"))] == []


EXIT_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("FROZEN", gc.get_freeze_count(), file=sys.stderr))  # registered first: runs last
sys.argv = ["mentorkit", "validate", "--root", {root!r}]
from mentorkit.cli import main
main()
"""


def test_a_command_ends_without_a_last_collection_over_its_objects(tmp_path):
    """At exit the interpreter collects once more over every object left; for a command about to end that is a tenth
    of its time. The run's objects are frozen out of that pass by then; the command's answer is the same."""
    from conftest import make_workspace

    root = make_workspace(tmp_path / "ws")
    done = subprocess.run([sys.executable, "-c", EXIT_PROBE.format(root=str(root))], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0 and "No problems found" in done.stdout, done.stderr
    frozen = int(next(x for x in done.stderr.splitlines() if x.startswith("FROZEN")).split()[1])
    assert frozen > 10_000  # the models, rows and modules of the run, not a handful


def test_match_on_a_repository_with_problems_loads_no_solver(tmp_path):
    from conftest import make_workspace

    root = make_workspace(tmp_path / "ws", "yaml-huge-value")
    loaded, _ = _loaded("match", "--all", "--root", str(root))
    assert "mentorkit.repo.load" in loaded  # the repository was read (and refused: the case holds a problem)
    assert [m for m in loaded if m.startswith(("mentorkit.matching", "numpy", "pulp", "ortools", "highspy"))] == []


def test_match_on_the_demo_solves_its_side_rule_program_in_process(tmp_path):
    """The demo's grow program has a cross-department share: its integer programs go to HiGHS in this process
    (no PuLP, no CBC subprocess). Every proposal comes out byte-identical; a proposal made afresh says what
    changed."""
    import re
    import shutil

    from conftest import REPO

    root = tmp_path / "demo"
    for name in ("program", "participants", "agendas", "docs", "templates", "schemas", "forms", "mkdocs.yml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    matches = root / "participants" / "matches"
    before = {p.name: p.read_bytes() for p in matches.glob("*.yaml")}
    loaded, out = _loaded("match", "--all", "--root", str(root))
    assert "participants/matches/grow.yaml: unchanged (solver: highs)" in out
    assert {p.name: p.read_bytes() for p in matches.glob("*.yaml")} == before
    assert "highspy" in loaded and [m for m in loaded if m.startswith("pulp")] == []
    (matches / "grow.yaml").unlink()
    _, out = _loaded("match", "grow", "--root", str(root))
    assert re.fullmatch(r"participants/matches/grow\.yaml: \d+ pairs added\. \(solver: highs\)\n", out), out


BLAS_PROBE = """
import os, sys
sys.argv = ["mentorkit", "--version"]
from mentorkit.cli import main  # what the console script and `python -m mentorkit` import first
print("BLAS", os.environ.get("OPENBLAS_NUM_THREADS"), "numpy" in sys.modules, file=sys.stderr)
try:
    main()
except SystemExit:
    pass
"""


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_numpy_starts_without_a_blas_thread_pool_unless_the_user_asks(given, expected):
    """OpenBLAS's thread pool costs a tenth of `match` at numpy's import, for linear algebra the kit never does:
    the shell asks for one thread before any command can import numpy, and keeps a value the user set."""
    env = {"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin", **({"OPENBLAS_NUM_THREADS": given} if given else {})}
    done = subprocess.run([sys.executable, "-c", BLAS_PROBE], env=env, capture_output=True, text=True, check=True)
    assert f"BLAS {expected} False" in done.stderr.splitlines()  # set, and numpy not yet imported
