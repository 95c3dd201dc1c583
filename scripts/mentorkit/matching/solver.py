"""The solver boundary: one LP or integer program over "pair columns", solved by HiGHS in this process.

Every integer program of the package (side rules, peer, mosaic) is a list of columns (one per pair, and a few
more, values 0..1), an objective per column and rows (`Row`) over them. `Solver` hands the model to HiGHS as
arrays through highspy's public API and hands back values and row duals (`Sol`) in the maximisation
convention. `MatchOptions` are a run's knobs; `Stage` records what one lexicographic objective achieved.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import MentorkitError

TOL = 1e-4  # data are integers (hundredths of points), duals are integral or near it: anything smaller is noise


@dataclass
class MatchOptions:
    exact_limit: int = 150_000  # peer and mosaic: more eligible pairs than this are pruned (and the proposal says so)


@dataclass
class Row:
    name: str
    coefs: list[tuple[int, float]]  # (column, coefficient), each column at most once
    sense: str  # "<=", ">=", "="
    rhs: float


@dataclass
class Sol:
    status: str  # "Optimal" or "Infeasible"
    values: list[float]
    duals: dict[str, float]  # max-problem convention: reduced cost = c - sum(dual x coefficient)
    objective: float


@dataclass
class Stage:
    """What one lexicographic stage achieved (its optimum: every stage is solved exactly)."""

    name: str
    value: float


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
    its output_flag says: a coordinator's `mentorkit match` must not show it. Python's own output is flushed
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
    """HiGHS in this process, searching serially (the same answers on every machine); counts the solves."""

    def __init__(self) -> None:
        self.solves = 0

    def solve(self, objective: Sequence[float], rows: list[Row], *, integer: bool = False,
              zeros: Iterable[int] = ()) -> Sol:
        """Maximise `objective` over columns in [0, 1] (`zeros` in [0, 0]; whole numbers when `integer`) subject
        to `rows`."""
        n = len(objective)
        if _infeasible_without_columns(rows):
            return Sol("Infeasible", [0.0] * n, {}, 0.0)
        rows = [r for r in rows if r.coefs]
        if n == 0:  # answered without a solver: nothing is imported for it
            return Sol("Optimal", [], {r.name: 0.0 for r in rows}, 0.0)
        self.solves += 1
        status, values, duals = _highs(list(objective), rows, integer, zeros)
        if status not in ("Optimal", "Infeasible"):
            raise MentorkitError(f"the HiGHS solver stopped without an answer ({status}); run the "
                                 "match again, and report it if it repeats")
        obj = sum(c * v for c, v in zip(objective, values, strict=True))
        return Sol(status, values, duals, obj)


Outcome = tuple[str, list[float], dict[str, float]]  # status, values, row duals (maximisation convention)


def _highs(objective: list[float], rows: list[Row], integer: bool, zeros: Iterable[int]) -> Outcome:
    """Solve in this process with highspy's public API, the model handed over as arrays (no file, no subprocess).

    "Optimal" or "Infeasible"; any other status is returned by its HiGHS name (a solver that stopped short).
    Every variable lies in [0, 1], so "unbounded or infeasible" is infeasible. The gaps are exact: a stage's
    optimum becomes a row of the next, so "within 0.01% of the best" would not do; one thread, so the same
    model gives the same answer on every machine. HiGHS minimises here (a maximisation as the minimisation of
    -objective) and its duals are turned into the kit's maximisation convention."""
    import highspy

    n = len(objective)
    with _stdout_silenced():  # the banner is printed when the first Highs is made
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy types its core, not this wrapper
    for option, setting in (("output_flag", False), ("threads", 1), ("mip_rel_gap", 0.0)):
        h.setOptionValue(option, setting)
    if h.passModel(_highs_model(objective, rows, integer, zeros)) == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS refused the model (a row naming a column twice?)")  # a bug of the kit's, not data
    h.run()
    state = h.getModelStatus()
    if state in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "Infeasible", [0.0] * n, {}
    if state != highspy.HighsModelStatus.kOptimal:
        return h.modelStatusToString(state), [0.0] * n, {}
    solution = h.getSolution()
    if integer:  # within HiGHS's feasibility tolerance of 0 or 1: the objective is then summed from exact values
        return "Optimal", [float(round(v)) for v in solution.col_value], {}
    return "Optimal", list(solution.col_value), {r.name: -d for r, d in zip(rows, solution.row_dual, strict=True)}


def _highs_model(objective: list[float], rows: list[Row], integer: bool, zeros: Iterable[int]) -> Any:
    """The model as HiGHS takes it: the objective negated (HiGHS minimises), columns in [0, 1] (`zeros` in
    [0, 0]), the rows row by row (compressed), integrality when `integer`."""
    import highspy
    import numpy as np

    n, inf = len(objective), highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rows)
    lp.col_cost_ = -np.asarray(objective, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    upper = np.ones(n)
    upper[list(zeros)] = 0.0
    lp.col_upper_ = upper
    lp.row_lower_ = np.array([r.rhs if r.sense != "<=" else -inf for r in rows], dtype=np.float64)
    lp.row_upper_ = np.array([r.rhs if r.sense != ">=" else inf for r in rows], dtype=np.float64)
    start, index, value = [0], [], []
    for row in rows:
        for k, c in row.coefs:  # each column once (HiGHS refuses a row naming one twice), no explicit zeros
            if c:
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
