"""The one tie-break of the integer programs (side rules, peer, mosaic), applied exactly.

Once every stage's optimum is held by a row, any solution left is an optimal
proposal. Among them the kit takes the lexicographically first: pair columns read
in (mentee, mentor) pseudonym order, each is 1 whenever some optimal proposal
keeping the decisions before it allows it. That is the rule of the flow core
(`flow`): mentees in pseudonym order, each taking the first mentors in pseudonym
order that still allow an optimal proposal. It depends on the pseudonyms only, so
the same input gives the same pairs whatever the solver, its version or the machine.

Improve and prove: a solution y comes after x in that order when, at the first
pair where they differ, y has the pair and x not. "Some y comes after x" is one
integer program: a selector z_p picks that first pair p (a pair x does not use, y
must), and y must equal x on every pair before p (s_q, the pairs after q, says
whether q is before the pick). When it has a solution (the earliest p preferred),
y replaces x; when it has none, x is the first. So the solves number the
improvements plus one, not the pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from .solver import Row, Solver


def lexicographic_first(solver: Solver, ncols: int, rows: list[Row], order: Sequence[int],
                        values: list[float], zeros: Sequence[int] = ()) -> list[float]:
    """The lexicographically first solution over the columns `order` (pair columns in pseudonym order) of the
    integer program `rows`, starting from its solution `values`; `zeros` are columns no solution uses."""
    off = set(zeros)
    order = [k for k in order if k not in off]
    x = values
    n = len(order)
    while True:
        free = [p for p in range(n) if x[order[p]] < 0.5]  # where a later solution can first differ
        if not free:
            return x
        z = {p: ncols + t for t, p in enumerate(free)}  # selector: the first pair where y differs is p
        s = [ncols + len(free) + q for q in range(n)]  # s_q = 1: the pick is after q, so y_q = x_q
        extra = [Row("tb_pick", [(c, 1.0) for c in z.values()], "=", 1)]
        for q, k in enumerate(order):
            after = [(s[q + 1], -1.0)] if q + 1 < n else []
            if q + 1 in z:
                after.append((z[q + 1], -1.0))
            extra.append(Row(f"tb_s{q}", [(s[q], 1.0), *after], "=", 0))
            if q in z:
                extra.append(Row(f"tb_z{q}", [(k, 1.0), (z[q], -1.0)], ">=", 0))
            extra.append(Row(f"tb_y{q}", [(k, 1.0), (s[q], -1.0)], ">=", 0) if x[k] > 0.5
                         else Row(f"tb_y{q}", [(k, 1.0), (s[q], 1.0)], "<=", 1))
        prefer = [0.0] * (ncols + len(free) + n)
        for p, c in z.items():
            prefer[c] = float(n - p)
        sol = solver.solve(prefer, rows + extra, integer=True, zeros=sorted(off))
        if sol.status != "Optimal":
            return x
        x = sol.values[:ncols]
