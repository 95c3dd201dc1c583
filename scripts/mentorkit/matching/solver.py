"""The solver boundary: one LP or integer program over "pair columns", solved by HiGHS or CBC.

Every model in the package is a list of columns (one per pair, values 0..1), an
objective per column and rows (`Row`) over them. `Solver` hands the model to HiGHS
in this process as arrays (highspy), or builds the PuLP problem for the CBC that
PuLP runs as a subprocess (MENTORKIT_SOLVER=cbc), and hands back values and row
duals (`Sol`) in one sign convention, whichever solver ran. `MatchOptions` are a run's knobs; `Stage` records
what one lexicographic objective achieved.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import MentorkitError

if TYPE_CHECKING:  # imported when CBC solves a model: HiGHS and the flow core (`flow`) never need PuLP
    import pulp

MAXIMIZE = -1  # pulp.LpMaximize

TOL = 1e-4  # data are integers (hundredths of points), duals are integral or near it: anything smaller is noise


def default_solver() -> str:
    """HiGHS, run in this process (highspy, a dependency); MENTORKIT_SOLVER=cbc picks the CBC that PuLP runs.

    Both give the same proposal (the tie-break is unique). HiGHS is the default because, handed the model as
    arrays in this process, it needs no subprocess, model file or solution file per solve: a small side-rule
    program solves in a millisecond where CBC took seven, and the large ones of bench/bench_side_rules.py
    were as fast or faster than with CBC (docs/matching.md, *Solver and speed*).
    """
    wanted = os.environ.get("MENTORKIT_SOLVER", "").strip().lower()
    if wanted == "cbc":
        if not cbc_available():
            raise MentorkitError("MENTORKIT_SOLVER=cbc needs CBC, which PuLP 4 no longer includes: "
                                 "pip install 'pulp[cbc]', or leave MENTORKIT_SOLVER unset to use HiGHS")
        return "cbc"
    if importlib.util.find_spec("highspy") is None:
        raise MentorkitError("the matcher needs the highspy package (a dependency of mentorkit): pip install "
                             "highspy, or set MENTORKIT_SOLVER=cbc to use the CBC that PuLP runs")
    return "highs"


def cbc_available() -> bool:
    """PuLP 3 bundles CBC; PuLP 4 runs it from the optional `cbcbox` wheel (`pulp[cbc]`)."""
    return pulp_major() < 4 or importlib.util.find_spec("cbcbox") is not None


def pulp_major() -> int:
    from importlib.metadata import version  # here: the default solver needs neither PuLP nor package metadata

    return int(version("pulp").split(".")[0])


@dataclass
class MatchOptions:
    solver: str | None = None  # "cbc" or "highs"; None: default_solver()
    exact_limit: int = 150_000  # peer and mosaic: more eligible pairs than this are pruned (and the proposal says so)


@dataclass
class Row:
    name: str
    coefs: list[tuple[int, float]]
    sense: str  # "<=", ">=", "="
    rhs: float


@dataclass
class Sol:
    status: str
    values: list[float]
    duals: dict[str, float]  # max-problem convention: reduced cost = c - sum(dual x coefficient)
    objective: float


@dataclass
class Stage:
    """What one lexicographic stage achieved: the value, and the LP bound over all eligible pairs."""

    name: str
    value: float
    bound: float

    @property
    def proven(self) -> bool:
        return self.value >= math.floor(self.bound + TOL) - TOL


class Infeasible(Exception):
    """A stage has no solution: the rules (with the pairs fixed in advance) cannot all hold."""

    def __init__(self, stage: str):
        self.stage = stage


def _infeasible_without_columns(rows: list[Row]) -> bool:
    """A row with no columns left that its right-hand side still breaks (e.g. a share rule that pairs fixed in
    advance break)."""
    return any((r.sense == "<=" and r.rhs < -TOL) or (r.sense == ">=" and r.rhs > TOL)
               or (r.sense == "=" and abs(r.rhs) > TOL) for r in rows if not r.coefs)


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """highspy prints a copyright banner on the process's standard output (from C, once per process), whatever
    PuLP's msg=False says: a coordinator's `mentorkit match` must not show it. Python's own output is flushed
    first, so nothing of ours is lost."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


class Solver:
    """HiGHS in this process or CBC through PuLP, each searching serially (same answers on every machine);
    counts the solves."""

    def __init__(self, name: str):
        self.name = name
        self.solves = 0

    def solve(self, objective: Sequence[float], rows: list[Row], *, integer: bool = False,
              zeros: Iterable[int] = (), sense: int = MAXIMIZE) -> Sol:
        n = len(objective)
        if _infeasible_without_columns(rows):
            return Sol("Infeasible", [0.0] * n, {}, 0.0)
        rows = [r for r in rows if r.coefs]
        if n == 0:  # answered without a solver: nothing is imported for it
            return Sol("Optimal", [], {r.name: 0.0 for r in rows}, 0.0)
        self.solves += 1
        run = _highs if self.name == "highs" else _cbc
        status, values, duals = run(list(objective), rows, integer, zeros, sense)
        if status not in ("Optimal", "Infeasible"):
            raise MentorkitError(f"the {self.name} solver stopped without an answer ({status}); run the "
                                 "match again, and report it if it repeats")
        if integer:
            duals = {}
        obj = sum(c * v for c, v in zip(objective, values, strict=True))
        return Sol(status, values, duals, obj)


Outcome = tuple[str, list[float], dict[str, float]]  # status, values, row duals (maximisation convention)


def _highs(objective: list[float], rows: list[Row], integer: bool, zeros: Iterable[int], sense: int) -> Outcome:
    """Solve in this process with highspy, the model handed over as arrays (no PuLP, no subprocess, no file).

    "Optimal" or "Infeasible"; any other status is returned by its HiGHS name (a solver that stopped short).
    Every variable lies in [0, 1], so "unbounded or infeasible" is infeasible. The gaps are exact: a stage's
    optimum becomes a row of the next, so "within 0.01% of the best" would not do; one thread, so the same
    model gives the same answer on every machine. HiGHS minimises here (a maximisation as the minimisation of
    -objective) and its duals are turned into the kit's maximisation convention."""
    import highspy

    n = len(objective)
    flip = -1.0 if sense == MAXIMIZE else 1.0
    with _stdout_silenced():  # the banner is printed when the first Highs is made
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy types its core, not this wrapper
    for option, setting in (("output_flag", False), ("threads", 1), ("mip_rel_gap", 0.0)):
        h.setOptionValue(option, setting)
    h.passModel(_highs_model(objective, flip, rows, integer, zeros))
    h.run()
    state = h.getModelStatus()
    if state in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "Infeasible", [0.0] * n, {}
    if state != highspy.HighsModelStatus.kOptimal:
        return h.modelStatusToString(state), [0.0] * n, {}
    solution = h.getSolution()
    if integer:  # within HiGHS's feasibility tolerance of 0 or 1: the objective is then summed from exact values
        return "Optimal", [float(round(v)) for v in solution.col_value], {}
    return "Optimal", list(solution.col_value), {r.name: flip * d for r, d in zip(rows, solution.row_dual, strict=True)}


def _highs_model(objective: list[float], flip: float, rows: list[Row], integer: bool, zeros: Iterable[int]) -> Any:
    """The model as HiGHS takes it: the objective times `flip`, columns in [0, 1] (`zeros` in [0, 0]), the rows
    row by row (compressed), integrality when `integer`."""
    import highspy
    import numpy as np

    n, inf = len(objective), highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rows)
    lp.col_cost_ = np.asarray(objective, dtype=np.float64) * flip
    lp.col_lower_ = np.zeros(n)
    upper = np.ones(n)
    upper[list(zeros)] = 0.0
    lp.col_upper_ = upper
    lp.row_lower_ = np.array([r.rhs if r.sense != "<=" else -inf for r in rows], dtype=np.float64)
    lp.row_upper_ = np.array([r.rhs if r.sense != ">=" else inf for r in rows], dtype=np.float64)
    start, index, value = [0], [], []
    for row in rows:
        for k, c in _merged(row.coefs):
            if c:  # HiGHS takes no explicit zeros
                index.append(k)
                value.append(c)
        start.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(rows)
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=np.float64)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


def _cbc(objective: list[float], rows: list[Row], integer: bool, zeros: Iterable[int], sense: int) -> Outcome:
    """Solve with the CBC that PuLP runs (a subprocess, the model written to a file): "Optimal", "Infeasible",
    or PuLP's status code of a solver that stopped short."""
    import pulp

    prob = pulp.LpProblem("mentorkit", sense)
    xs = _variables(prob, len(objective), integer, zeros)
    # An expression from (variable, coefficient) pairs: PuLP 4's from_list, PuLP 3's constructor.
    affine = getattr(pulp.LpAffineExpression, "from_list", pulp.LpAffineExpression)
    prob.setObjective(affine([(xs[k], c) for k, c in enumerate(objective)]))
    cons = [_add_row(prob, affine, xs, row) for row in rows]
    try:
        with _stdout_silenced():
            outcome = prob.solve(_cbc_backend())
    except pulp.PulpSolverError as exc:  # a broken solver install: say so, without the solver's dump
        raise MentorkitError(f"the cbc solver could not run ({type(exc).__name__}); "
                             "leave MENTORKIT_SOLVER unset to use the default solver") from None
    # PuLP 3 returns the status code, PuLP 4 an LpSolveStats holding it (an IntEnum of the same codes).
    code = int(getattr(outcome, "status", outcome))
    status = {1: "Optimal", -1: "Infeasible"}.get(code, f"PuLP status {code}")
    values = [x.varValue or 0.0 for x in xs]
    return status, values, {r.name: c.pi or 0.0 for r, c in zip(rows, cons, strict=True)}


def _cbc_backend() -> pulp.LpSolver:
    import pulp

    with warnings.catch_warnings():  # PuLP 3 announces PuLP 4 renames; the bundled CBC is what we want here
        warnings.simplefilter("ignore", DeprecationWarning)
        # CBC is serial unless told a thread count: "threads 1" starts its threaded search with one
        # worker, whose condition waits now and then sleep out a 10-second timeout on a tiny model.
        if hasattr(pulp, "PULP_CBC_CMD"):  # PuLP 3; PuLP 4 has COIN_CMD alone, finding the CBC of `cbcbox`
            return pulp.PULP_CBC_CMD(msg=False)
        return pulp.COIN_CMD(msg=False)


def _variables(prob: Any, n: int, integer: bool, zeros: Iterable[int]) -> list[Any]:
    """x0000000.. between 0 and 1 (continuous or integer); those in `zeros` fixed at 0."""
    import pulp

    cat = pulp.LpInteger if integer else pulp.LpContinuous
    make = getattr(prob, "add_variable", None) or (lambda name, lo, up, cat: pulp.LpVariable(name, lo, up, cat))
    xs = [make(f"x{k:07d}", 0, 1, cat) for k in range(n)]
    for k in zeros:
        xs[k].upBound = 0
    return xs


def _merged(coefs: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """A row's coefficients by column, a column named twice counted with both (PuLP 3 would keep the last one,
    HiGHS refuses the row)."""
    merged: dict[int, float] = {}
    for k, c in coefs:
        merged[k] = merged.get(k, 0.0) + c
    return sorted(merged.items())


def _add_row(prob: Any, affine: Any, xs: list[Any], row: Row) -> Any:
    """Add one row to `prob`; the constraint whose dual the solve fills in."""
    expr = affine([(xs[k], c) for k, c in _merged(row.coefs)])
    con = expr <= row.rhs if row.sense == "<=" else expr >= row.rhs if row.sense == ">=" else expr == row.rhs
    stored = prob.addConstraint(con, row.name)  # PuLP 4 returns the row it stored (its duals); PuLP 3 None
    return con if stored is None else stored
