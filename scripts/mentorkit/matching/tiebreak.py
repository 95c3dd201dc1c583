"""The one tie-break of the integer programs (side rules, peer, mosaic), applied exactly.

Once every stage's optimum is held by a row, any solution left is an optimal
proposal. Among them the kit takes the lexicographically first: pair columns read
in (mentee, mentor) pseudonym order, each is 1 whenever some optimal proposal
keeping the decisions so far allows it. That is the rule of the flow core (`flow`):
mentees in pseudonym order, each taking the first mentors in pseudonym order that
still allow an optimal proposal. It depends on the pseudonyms only, so the same
input gives the same pairs whatever the solver, its version or the machine.

Fix and check: from a solution `x`, the next pair `x` uses is kept for good unless
some pair before it can be used instead; one integer program with the row "at
least one of those earlier pairs" answers that for all of them at once (infeasible:
none of them ever can; feasible: a solution using an earlier pair, preferring the
first). So the solves number the gaps between the pairs picked, not the pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from .solver import Row, Solver


def lexicographic_first(solver: Solver, ncols: int, rows: list[Row], order: Sequence[int],
                        values: list[float]) -> list[float]:
    """The lexicographically first solution over the columns `order` (pair columns in pseudonym order) of the
    integer program `rows`, starting from its solution `values`."""
    ones: list[int] = []
    zeros: list[int] = []
    x = values
    pos = 0
    while pos < len(order):
        first = next((t for t in range(pos, len(order)) if x[order[t]] > 0.5), len(order))
        earlier = order[pos:first]
        if earlier:
            prefer = [0.0] * ncols
            for r, k in enumerate(earlier):
                prefer[k] = float(len(earlier) - r)
            sol = solver.solve(prefer, rows + [Row("earlier", [(k, 1.0) for k in earlier], ">=", 1)],
                               integer=True, ones=ones, zeros=zeros)
            if sol.status == "Optimal" and any(sol.values[k] > 0.5 for k in earlier):
                x = sol.values
                continue
            zeros += earlier
        if first < len(order):
            ones.append(order[first])
        pos = first + 1
    return x
