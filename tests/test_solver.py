"""The solver boundary: HiGHS in this process, on small models whose answers are known by hand (values, status
and row duals in the kit's maximisation convention), and the stages' count of people matched and LP pricing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mentorkit.errors import MentorkitError
from mentorkit.matching.solver import Row, Solver
from mentorkit.matching.stages import most, off_face

ROOT = Path(__file__).resolve().parents[1]


def test_an_lp_gives_values_and_duals_in_the_maximisation_convention():
    """max x0 + 2 x1 + 3 x2 with x0 + x1 + x2 <= 1.5, x1 - x2 = 0, x0 + x2 >= 0.6 (bounds 0..1): x1 = x2 = 0.75,
    x0 = 0. x1 and x2 lie inside their bounds, so their reduced costs c - sum(dual x coefficient) are zero:
    2 - a - b = 0 and 3 - a + b = 0 give a = 2.5, b = -0.5; the third row is slack, its dual 0."""
    rows = [Row("a", [(0, 1.0), (1, 1.0), (2, 1.0)], "<=", 1.5), Row("b", [(1, 1.0), (2, -1.0)], "=", 0.0),
            Row("c", [(0, 1.0), (2, 1.0)], ">=", 0.6)]
    sol = Solver().solve([1.0, 2.0, 3.0], rows)
    assert sol.status == "Optimal"
    assert sol.values == pytest.approx([0.0, 0.75, 0.75], abs=1e-6)
    assert sol.objective == pytest.approx(3.75)
    assert sol.duals == pytest.approx({"a": 2.5, "b": -0.5, "c": 0.0}, abs=1e-6)


def test_an_integer_program_with_a_column_fixed_out():
    """Pick at most two of four items (values 5, 4, 3, 1), item 0 fixed out: 4 + 3."""
    rows = [Row("two", [(k, 1.0) for k in range(4)], "<=", 2)]
    sol = Solver().solve([5.0, 4.0, 3.0, 1.0], rows, integer=True, zeros=[0])
    assert (sol.status, sol.values, sol.objective) == ("Optimal", [0.0, 1.0, 1.0, 0.0], 7.0)
    assert sol.duals == {}


def test_an_infeasible_model_is_a_status_not_an_exception():
    sol = Solver().solve([1.0, 1.0], [Row("both", [(0, 1.0), (1, 1.0)], ">=", 3)], integer=True)
    assert sol.status == "Infeasible"


def test_solving_with_highs_prints_nothing():
    """highspy prints a copyright banner on the process's stdout (once per process, whatever its output_flag
    says): `mentorkit match` must not show it to a coordinator. A fresh process, so the banner is not spent."""
    code = ("from mentorkit.matching.solver import Row, Solver\n"
            "print(Solver().solve([1.0], [Row('r', [(0, 1.0)], '<=', 1)]).values)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    assert out.stdout == "[1.0]\n"
    assert "HiGHS" not in out.stderr


def test_the_most_pairs_when_the_lp_bound_is_out_of_reach():
    """Four pair columns, any two in conflict (x_a + x_b <= 1): the LP takes each at 1/2, a bound of 2, while an
    integer solution holds one. The count must come from the integer program, not the bound."""
    rows = [Row(f"c{a}{b}", [(a, 1.0), (b, 1.0)], "<=", 1) for a in range(4) for b in range(a + 1, 4)]
    solver = Solver()
    assert most(solver, [1.0] * 4, rows) == 1
    assert solver.solves == 3  # the LP, the check of its bound, the integer program


def test_the_most_pairs_proven_by_the_lp_bound():
    """Two mentors with one place each (r0, r1), a mentee's place (e0) and a side rule (apart): the LP bound, 2, is
    reached (pairs 1 and 2), so one feasibility solve proves it and no count integer program runs. A row no
    solution meets gives -1 ("no solution")."""
    rows = [Row("r0", [(0, 1.0), (1, 1.0)], "<=", 1), Row("r1", [(2, 1.0), (3, 1.0)], "<=", 1),
            Row("e0", [(0, 1.0), (2, 1.0)], "<=", 1), Row("apart", [(0, 1.0), (3, 1.0)], "<=", 1)]
    solver = Solver()
    assert most(solver, [1.0] * 4, rows) == 2
    assert solver.solves == 2
    assert most(Solver(), [1.0] * 4, [*rows, Row("never", [(0, 1.0)], ">=", 2)]) == -1


@pytest.mark.parametrize("state", ["kTimeLimit", "kSolveError", "kUnknown", "kUnbounded"])
def test_highs_stopping_short_is_an_error_not_an_infeasible_model(state, monkeypatch):
    """The tie-break and the count stages take "Infeasible" as proof (no earlier proposal, no more pairs): a solve
    that stopped without an answer (a time limit, an error, an unknown status) must not pass for one."""
    import highspy

    monkeypatch.setattr(highspy.Highs, "getModelStatus", lambda self: getattr(highspy.HighsModelStatus, state))
    with pytest.raises(MentorkitError, match="stopped without an answer"):
        Solver().solve([1.0], [Row("r", [(0, 1.0)], "<=", 1)], integer=True)


def test_a_row_naming_a_column_twice_is_refused_not_solved_as_something_else():
    """Rows name each column once (every model of the kit builds them so); HiGHS refuses a row that does not, and
    that must stop the run loudly rather than solve an empty or different model."""
    rows = [Row("twice", [(0, 1.0), (0, 1.0), (1, 1.0)], "<=", 1.5)]
    with pytest.raises(RuntimeError, match="refused the model"):
        Solver().solve([1.0, 1.0], rows)


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
    assert Solver().solve([3.0, 2.0], [Row("one", [(0, 1.0), (1, 1.0)], "<=", 1)], integer=True).values == [1.0, 0.0]
    assert seen["mip_rel_gap"] == 0.0 and seen["threads"] == 1 and seen["output_flag"] is False


def test_the_lp_prices_rule_out_only_columns_in_no_optimal_integer_solution():
    """max 5 x0 + 4 x1 + 3 x2 + x3 with 3 x0 + 2 x1 + 2 x2 + 2 x3 <= 4: the LP takes x1 and two thirds of x0 (7.33,
    its price 5/3 a unit); the integer optimum is x1 + x2 = 7, a gap of 1/3. x2's reduced cost, 3 - 2 x 5/3 = -1/3,
    is within the gap, and x2 is in the optimum: it must stay. x3's, 1 - 10/3, is not: no optimal solution uses it."""
    objective = [5.0, 4.0, 3.0, 1.0]
    rows = [Row("room", [(0, 3.0), (1, 2.0), (2, 2.0), (3, 2.0)], "<=", 4)]
    lp = Solver().solve(objective, rows)
    best = Solver().solve(objective, rows, integer=True)
    assert (round(best.objective), best.values) == (7, [0.0, 1.0, 1.0, 0.0])
    assert off_face(objective, rows, lp.duals, lp.objective - best.objective) == [3]
