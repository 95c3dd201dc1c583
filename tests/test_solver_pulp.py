"""The solver boundary on every PuLP the kit supports (3.x bundles CBC; 4.x has a new modelling core and no CBC).

Small models whose answers are known by hand: values, status and row duals (in the kit's maximisation
convention) must come out the same from every solver installed, and the default solver must be one that runs.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from mentorkit.errors import MentorkitError
from mentorkit.matching import solver as solver_module
from mentorkit.matching.solver import Row, Solver, cbc_available, default_solver

SOLVERS = (["cbc"] if cbc_available() else []) + ["highs"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", SOLVERS)
def test_an_lp_gives_values_and_duals_in_the_maximisation_convention(name):
    """max x0 + 2 x1 + 3 x2 with x0 + x1 + x2 <= 1.5, x1 - x2 = 0, x0 + x2 >= 0.6 (bounds 0..1): x1 = x2 = 0.75,
    x0 = 0. x1 and x2 lie inside their bounds, so their reduced costs c - sum(dual x coefficient) are zero:
    2 - a - b = 0 and 3 - a + b = 0 give a = 2.5, b = -0.5; the third row is slack, its dual 0."""
    rows = [Row("a", [(0, 1.0), (1, 1.0), (2, 1.0)], "<=", 1.5), Row("b", [(1, 1.0), (2, -1.0)], "=", 0.0),
            Row("c", [(0, 1.0), (2, 1.0)], ">=", 0.6)]
    sol = Solver(name).solve([1.0, 2.0, 3.0], rows)
    assert sol.status == "Optimal"
    assert sol.values == pytest.approx([0.0, 0.75, 0.75], abs=1e-6)
    assert sol.objective == pytest.approx(3.75)
    assert sol.duals == pytest.approx({"a": 2.5, "b": -0.5, "c": 0.0}, abs=1e-6)


@pytest.mark.parametrize("name", SOLVERS)
def test_an_integer_program_with_a_column_fixed_out(name):
    """Pick at most two of four items (values 5, 4, 3, 1), item 0 fixed out: 4 + 3."""
    rows = [Row("two", [(k, 1.0) for k in range(4)], "<=", 2)]
    sol = Solver(name).solve([5.0, 4.0, 3.0, 1.0], rows, integer=True, zeros=[0])
    assert (sol.status, sol.values, sol.objective) == ("Optimal", [0.0, 1.0, 1.0, 0.0], 7.0)
    assert sol.duals == {}


@pytest.mark.parametrize("name", SOLVERS)
def test_an_infeasible_model_is_a_status_not_an_exception(name):
    sol = Solver(name).solve([1.0, 1.0], [Row("both", [(0, 1.0), (1, 1.0)], ">=", 3)], integer=True)
    assert sol.status == "Infeasible"


@pytest.mark.parametrize("name", SOLVERS)
def test_a_minimisation(name):
    """min 2 x0 + x1 with x0 + x1 >= 1.5: x1 = 1 (its bound), x0 = 0.5 inside, so 2 - dual = 0."""
    sol = Solver(name).solve([2.0, 1.0], [Row("one", [(0, 1.0), (1, 1.0)], ">=", 1.5)], sense=1)
    assert (sol.status, sol.objective) == ("Optimal", 2.0)
    assert sol.values == pytest.approx([0.5, 1.0], abs=1e-6)
    assert sol.duals == pytest.approx({"one": 2.0}, abs=1e-6)


def test_the_default_solver_is_highs_in_this_process(monkeypatch):
    monkeypatch.delenv("MENTORKIT_SOLVER", raising=False)
    name = default_solver()
    assert name == "highs"
    assert Solver(name).solve([1.0], [Row("r", [(0, 1.0)], "<=", 1)]).values == [1.0]
    monkeypatch.setenv("MENTORKIT_SOLVER", "HiGHS ")
    assert default_solver() == "highs"


def test_the_installed_pulps_major_version_is_read():
    import pulp

    assert solver_module.pulp_major() == int(pulp.__version__.split(".")[0])
    assert cbc_available() == (solver_module.pulp_major() < 4 or find_spec("cbcbox") is not None)


def test_cbc_is_there_on_pulp_3_and_only_with_its_extra_on_pulp_4(monkeypatch):
    monkeypatch.setattr(solver_module, "pulp_major", lambda: 3)
    assert cbc_available()
    monkeypatch.setattr(solver_module, "pulp_major", lambda: 4)
    monkeypatch.setattr(solver_module.importlib.util, "find_spec", lambda name: None if name == "cbcbox" else find_spec(name))
    assert not cbc_available()
    monkeypatch.delenv("MENTORKIT_SOLVER", raising=False)
    assert default_solver() == "highs"
    monkeypatch.setenv("MENTORKIT_SOLVER", "cbc")
    with pytest.raises(MentorkitError, match=r"pulp\[cbc\]"):
        default_solver()


def test_without_highspy_the_default_solver_says_what_to_install(monkeypatch):
    monkeypatch.delenv("MENTORKIT_SOLVER", raising=False)
    monkeypatch.setattr(solver_module.importlib.util, "find_spec", lambda name: None if name == "highspy" else find_spec(name))
    with pytest.raises(MentorkitError, match="pip install highspy"):
        default_solver()


def test_solving_with_highs_prints_nothing():
    """highspy prints a copyright banner on the process's stdout (once per process, whatever PuLP's msg=False
    says): `mentorkit match` must not show it to a coordinator. A fresh process, so the banner is not spent."""
    code = ("from mentorkit.matching.solver import Row, Solver\n"
            "print(Solver('highs').solve([1.0], [Row('r', [(0, 1.0)], '<=', 1)]).values)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    assert out.stdout == "[1.0]\n"
    assert "HiGHS" not in out.stderr


@pytest.mark.skipif(not cbc_available(), reason="PuLP 4 without its cbc extra has no CBC to run")
def test_cbc_runs_its_serial_search(monkeypatch):
    """Told "threads 1", CBC starts its threaded search with one worker, whose condition waits now and then
    sleep out a 10-second timeout on a model of twenty variables (a coordinator's `match` stalled so, and a
    quick test took 10-20 s one run in three). Without a thread count CBC searches serially: as deterministic."""
    import pulp.apis.coin_api as coin_api

    seen: list[list[str]] = []
    real = coin_api.subprocess.Popen

    def recording(args: list[str], *rest: object, **kwargs: object) -> object:
        seen.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(coin_api.subprocess, "Popen", recording)
    assert Solver("cbc").solve([1.0, 2.0], [Row("r", [(0, 1.0), (1, 1.0)], "<=", 1)], integer=True).values == [0.0, 1.0]
    assert seen and not any("-threads" in args for args in seen)


@pytest.mark.parametrize("name", SOLVERS)
def test_the_most_pairs_when_the_lp_bound_is_out_of_reach(name):
    """Four pair columns, any two in conflict (x_a + x_b <= 1): the LP takes each at 1/2, a bound of 2, while an
    integer solution holds one. The count must come from the integer program, not the bound."""
    from mentorkit.matching.capacity import most_pairs

    rows = [Row(f"c{a}{b}", [(a, 1.0), (b, 1.0)], "<=", 1) for a in range(4) for b in range(a + 1, 4)]
    solver = Solver(name)
    assert most_pairs(solver, 4, rows) == 1
    assert solver.solves == 3  # the LP, the check of its bound, the integer program


@pytest.mark.parametrize("name", SOLVERS)
def test_the_most_pairs_proven_by_the_lp_bound(name):
    """Two mentors with one place each (r0, r1), a mentee's place (e0) and a side rule (apart): the LP bound, 2, is
    reached (pairs 1 and 2), so one feasibility solve proves it and no count integer program runs. A row no
    solution meets gives -1 ("no solution")."""
    from mentorkit.matching.capacity import most_pairs

    rows = [Row("r0", [(0, 1.0), (1, 1.0)], "<=", 1), Row("r1", [(2, 1.0), (3, 1.0)], "<=", 1),
            Row("e0", [(0, 1.0), (2, 1.0)], "<=", 1), Row("apart", [(0, 1.0), (3, 1.0)], "<=", 1)]
    solver = Solver(name)
    assert most_pairs(solver, 4, rows) == 2
    assert solver.solves == 2
    assert most_pairs(Solver(name), 4, [*rows, Row("never", [(0, 1.0)], ">=", 2)]) == -1


@pytest.mark.skipif(not cbc_available(), reason="PuLP 4 without its cbc extra has no CBC to run")
@pytest.mark.parametrize("code", [0, -2, -3])
def test_a_solver_that_stops_short_is_an_error_not_an_infeasible_model(code, monkeypatch):
    """The tie-break and the count stages take "Infeasible" as proof (no earlier proposal, no more pairs): a solve
    that stopped without an answer (PuLP's Not Solved, Unbounded, Undefined) must not pass for one."""
    import pulp

    monkeypatch.setattr(pulp.LpProblem, "solve", lambda self, solver=None, **kw: code)
    with pytest.raises(MentorkitError, match="stopped without an answer"):
        Solver("cbc").solve([1.0], [Row("r", [(0, 1.0)], "<=", 1)], integer=True)


@pytest.mark.parametrize("state", ["kTimeLimit", "kSolveError", "kUnknown", "kUnbounded"])
def test_highs_stopping_short_is_an_error_not_an_infeasible_model(state, monkeypatch):
    """The same for HiGHS, run in this process: only its "optimal" and "infeasible" are answers."""
    import highspy

    monkeypatch.setattr(highspy.Highs, "getModelStatus", lambda self: getattr(highspy.HighsModelStatus, state))
    with pytest.raises(MentorkitError, match="stopped without an answer"):
        Solver("highs").solve([1.0], [Row("r", [(0, 1.0)], "<=", 1)], integer=True)


@pytest.mark.parametrize("name", SOLVERS)
def test_a_column_named_twice_in_a_row_counts_twice(name):
    """max x0 + x1 with x0 + x0 + x1 <= 1.5 and x1 <= 0.5 (bounds 0..1): 2 x0 <= 1, so x0 = 0.5 (not 1)."""
    rows = [Row("twice", [(0, 1.0), (0, 1.0), (1, 1.0)], "<=", 1.5), Row("half", [(1, 1.0)], "<=", 0.5)]
    sol = Solver(name).solve([1.0, 1.0], rows)
    assert sol.values == pytest.approx([0.5, 0.5], abs=1e-6)


def test_highs_searches_to_optimality_on_one_thread(monkeypatch):
    """HiGHS stops a search within 0.01% of the best by default: a stage's optimum, held as a row of the next
    stage, must be the optimum itself. One thread: the same model gives the same solution on every machine."""
    import highspy

    seen: dict[str, object] = {}
    real = highspy.Highs.setOptionValue

    def recording(self, option, value):
        seen[option] = value
        return real(self, option, value)

    monkeypatch.setattr(highspy.Highs, "setOptionValue", recording)
    assert Solver("highs").solve([3.0, 2.0], [Row("one", [(0, 1.0), (1, 1.0)], "<=", 1)], integer=True).values == [1.0, 0.0]
    assert seen["mip_rel_gap"] == 0.0 and seen["threads"] == 1 and seen["output_flag"] is False
