"""An LP kept alive between solves, through HiGHS's own API (highspy): the fast path of column generation.

The restricted master of the pure b-matching core (no side rules) grows by a few
columns a round. Through PuLP every round rebuilt the model, wrote an MPS file and
started the solver cold; here the rows are made once, columns are added to the live
model, and each solve starts from the previous basis (added columns enter at zero,
so the old basis stays primal feasible). One thread and no presolve: the same
answers on every machine. Values and duals come back as numpy arrays, duals in the
maximisation convention of `solver.Sol` (reduced cost = c - sum of dual x
coefficient). Callers prove what they claim in exact integer arithmetic
(`livecore.verify`): the solver's tolerances never decide a guarantee.

This module and `solver` are the only ones that talk to a solver.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np

INF = float("inf")


def available() -> bool:
    """Does highspy offer the bare solver object this module drives? (A dependency of the package; checked, as
    `_core._Highs` is not highspy's documented API, so a missing or changed install falls back to PuLP.)"""
    if importlib.util.find_spec("highspy") is None:
        return False
    try:
        from highspy import _core
    except ImportError:
        return False
    return all(hasattr(_core, name) for name in ("_Highs", "ObjSense", "HighsModelStatus"))


@dataclass
class LiveSol:
    optimal: bool
    values: np.ndarray  # per column, in the order columns were added
    row_dual: np.ndarray  # per row, maximisation convention
    objective: float


class LiveLP:
    """A maximisation LP: rows fixed at creation (lower <= A x <= upper), columns added between solves."""

    def __init__(self, row_lower: np.ndarray, row_upper: np.ndarray):
        from highspy import _core  # the bare solver object: highspy.Highs prints a banner on stdout

        self._core = _core
        h = _core._Highs()
        for name, value in (("output_flag", False), ("threads", 1), ("presolve", "off"), ("random_seed", 0)):
            h.setOptionValue(name, value)
        h.changeObjectiveSense(_core.ObjSense.kMaximize)
        inf = h.getInfinity()
        lo = np.where(np.isinf(row_lower), -inf, row_lower).astype(np.float64)
        up = np.where(np.isinf(row_upper), inf, row_upper).astype(np.float64)
        empty = np.zeros(0, dtype=np.int32)
        h.addRows(len(lo), lo, up, 0, empty, empty, np.zeros(0))
        self._h = h
        self._inf = inf
        self.n_cols = 0
        self.solves = 0

    def add_columns(self, cost: np.ndarray, upper: np.ndarray, starts: np.ndarray, index: np.ndarray,
                    value: np.ndarray) -> None:
        """Columns with bounds 0..upper (inf allowed); column k's entries are index/value[starts[k]:starts[k+1]]."""
        n = len(cost)
        if n == 0:
            return
        up = np.where(np.isinf(upper), self._inf, upper).astype(np.float64)
        self._h.addCols(n, np.asarray(cost, dtype=np.float64), np.zeros(n), up, len(index),
                        np.asarray(starts[:-1], dtype=np.int32), np.asarray(index, dtype=np.int32),
                        np.asarray(value, dtype=np.float64))
        self.n_cols += n

    def solve(self) -> LiveSol:
        self.solves += 1
        self._h.run()
        ok = self._h.getModelStatus() == self._core.HighsModelStatus.kOptimal
        sol = self._h.getSolution()
        values = np.asarray(sol.col_value, dtype=np.float64)
        duals = np.asarray(sol.row_dual, dtype=np.float64)
        objective = float(self._h.getInfo().objective_function_value) if ok else 0.0
        return LiveSol(ok, values, duals, objective)
