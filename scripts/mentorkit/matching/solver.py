"""The solver boundary: one LP or integer program over "pair columns", solved through PuLP.

Every model in the package is a list of columns (one per pair, values 0..1), an
objective per column and rows (`Row`) over them. `Solver` builds the PuLP problem,
runs CBC or HiGHS and hands back values and row duals (`Sol`) in one sign
convention, whichever solver ran. `MatchOptions` are a run's knobs; `Stage` records
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
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from ..errors import MentorkitError

if TYPE_CHECKING:  # imported when a model is solved: the flow core (`flow`) never needs PuLP
    import pulp

MAXIMIZE = -1  # pulp.LpMaximize

TOL = 1e-4  # data are integers (hundredths of points), duals are integral or near it: anything smaller is noise


def default_solver() -> str:
    """The CBC that ships with PuLP; MENTORKIT_SOLVER=highs picks HiGHS (needs `highspy`).

    Both give the same proposal. CBC is the default because, through PuLP, it solved these LPs faster here
    (bench/bench_matching.py times either, with MENTORKIT_SOLVER=cbc or highs).
    """
    wanted = os.environ.get("MENTORKIT_SOLVER", "").strip().lower()
    if wanted == "highs" and importlib.util.find_spec("highspy") is None:
        raise MentorkitError("MENTORKIT_SOLVER=highs needs the highspy package: pip install highspy")
    if wanted == "cbc" and not cbc_available():
        raise MentorkitError("MENTORKIT_SOLVER=cbc needs CBC, which PuLP 4 no longer includes: "
                             "pip install 'pulp[cbc]', or leave MENTORKIT_SOLVER unset to use HiGHS")
    return "highs" if wanted == "highs" or not cbc_available() else "cbc"


def cbc_available() -> bool:
    """PuLP 3 bundles CBC; PuLP 4 runs it from the optional `cbcbox` wheel (`pulp[cbc]`). Without it the matcher
    uses HiGHS (a dependency): the proposal is the same, the tie-break being unique."""
    return pulp_major() < 4 or importlib.util.find_spec("cbcbox") is not None


def pulp_major() -> int:
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
    """CBC or HiGHS through PuLP, each searching serially (same answers on every machine); counts the solves."""

    def __init__(self, name: str):
        self.name = name
        self.solves = 0

    def _backend(self) -> pulp.LpSolver:
        import pulp

        with warnings.catch_warnings():  # PuLP 3 announces PuLP 4 renames; the bundled CBC is what we want here
            warnings.simplefilter("ignore", DeprecationWarning)
            if self.name == "highs":
                return pulp.HiGHS(msg=False, threads=1)
            # CBC is serial unless told a thread count: "threads 1" starts its threaded search with one
            # worker, whose condition waits now and then sleep out a 10-second timeout on a tiny model.
            if hasattr(pulp, "PULP_CBC_CMD"):  # PuLP 3; PuLP 4 has COIN_CMD alone, finding the CBC of `cbcbox`
                return pulp.PULP_CBC_CMD(msg=False)
            return pulp.COIN_CMD(msg=False)

    def solve(self, objective: Sequence[float], rows: list[Row], *, integer: bool = False,
              zeros: Iterable[int] = (), sense: int = MAXIMIZE) -> Sol:
        import pulp

        n = len(objective)
        prob = pulp.LpProblem("mentorkit", sense)
        xs = _variables(prob, n, integer, zeros)
        # An expression from (variable, coefficient) pairs: PuLP 4's from_list, PuLP 3's constructor.
        affine = getattr(pulp.LpAffineExpression, "from_list", pulp.LpAffineExpression)
        prob.setObjective(affine([(xs[k], c) for k, c in enumerate(objective)]))
        if _infeasible_without_columns(rows):
            return Sol("Infeasible", [0.0] * n, {}, 0.0)
        rows = [r for r in rows if r.coefs]
        cons = [_add_row(prob, affine, xs, row) for row in rows]
        if n == 0:
            return Sol("Optimal", [], {r.name: 0.0 for r in rows}, 0.0)
        status = self._run(prob)
        values = [x.varValue or 0.0 for x in xs]
        # PuLP 3 hands HiGHS a maximisation as the minimisation of -objective, so its duals come negated
        sign = -1.0 if self.name == "highs" and sense == MAXIMIZE and pulp_major() < 4 else 1.0
        duals = {} if integer else {r.name: sign * (c.pi or 0.0) for r, c in zip(rows, cons, strict=True)}
        obj = sum(c * v for c, v in zip(objective, values, strict=True))
        return Sol(status, values, duals, obj)

    def _run(self, prob: Any) -> str:
        """Solve `prob` quietly: "Optimal" or "Infeasible". Every variable lies in [0, 1] and no solve has a time
        limit, so any other status is a solver that stopped short: an error, never read as "no solution" (the
        tie-break and the count stages take an infeasible model as proof)."""
        import pulp

        self.solves += 1
        try:
            with _stdout_silenced():
                outcome = prob.solve(self._backend())
        except pulp.PulpSolverError as exc:  # a broken solver install: say so, without the solver's dump
            raise MentorkitError(f"the {self.name} solver could not run ({type(exc).__name__}); "
                                 "leave MENTORKIT_SOLVER unset to use the default solver") from None
        # PuLP 3 returns the status code, PuLP 4 an LpSolveStats holding it (an IntEnum of the same codes).
        code = int(getattr(outcome, "status", outcome))
        status = {1: "Optimal", -1: "Infeasible"}.get(code)
        if status is None:
            raise MentorkitError(f"the {self.name} solver stopped without an answer (PuLP status {code}); run the "
                                 "match again, and report it if it repeats")
        return status


def _variables(prob: Any, n: int, integer: bool, zeros: Iterable[int]) -> list[Any]:
    """x0000000.. between 0 and 1 (continuous or integer); those in `zeros` fixed at 0."""
    import pulp

    cat = pulp.LpInteger if integer else pulp.LpContinuous
    make = getattr(prob, "add_variable", None) or (lambda name, lo, up, cat: pulp.LpVariable(name, lo, up, cat))
    xs = [make(f"x{k:07d}", 0, 1, cat) for k in range(n)]
    for k in zeros:
        xs[k].upBound = 0
    return xs


def _add_row(prob: Any, affine: Any, xs: list[Any], row: Row) -> Any:
    """Add one row to `prob`; the constraint whose dual the solve fills in."""
    expr = affine([(xs[k], c) for k, c in row.coefs])
    con = expr <= row.rhs if row.sense == "<=" else expr >= row.rhs if row.sense == ">=" else expr == row.rhs
    stored = prob.addConstraint(con, row.name)  # PuLP 4 returns the row it stored (its duals); PuLP 3 None
    return con if stored is None else stored
