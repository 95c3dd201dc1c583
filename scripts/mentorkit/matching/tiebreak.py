"""The one tie-break of the integer programs (side rules, peer, mosaic), applied exactly.

Once every stage's optimum is held by a row, any solution left is an optimal
proposal. Among them the kit takes the lexicographically first: pair columns read
in (mentee, mentor) pseudonym order, each is 1 whenever some optimal proposal
keeping the decisions before it allows it. That is the rule of the flow core
(`flow`): mentees in pseudonym order, each taking the first mentors in pseudonym
order that still allow an optimal proposal. It depends on the pseudonyms only, so
the same input gives the same pairs whatever the solver, its version or the machine.

Guess and check: the greedy guess takes, in order, every pair whose place rows
(a mentee's, a mentor's, a team rule's) still have room with the pairs taken
before it; a pair it skips cannot be 1, a full row proves it. When some optimal
proposal holds all the guessed pairs, the guess is the pick: one feasibility
solve. Otherwise the longest feasible run of guessed pairs is found by galloping
and bisection (each probe one solve, a solution it returns showing how far it
agrees), the first pair after it is proven impossible (0) and the guess resumes
after it. Solves: one, plus about two logarithms per pair the greedy gets
wrong. (Asking instead "is there an earlier optimal proposal?" until none is
took one large solve per improvement: a minute on 60 fully tied mentees with a
share rule, where this takes half a second.)
"""

from __future__ import annotations

from collections.abc import Sequence

from .solver import TOL, Row, Solver


class _Places:
    """The rows whose coefficients are all non-negative and capped ("<="): places and team rules. A pair whose
    row is already full with the pairs taken cannot be 1 (proof without a solve)."""

    def __init__(self, rows: list[Row], cols: Sequence[int]):
        wanted = set(cols)
        self.rhs: list[float] = []
        self.load: list[float] = []
        self.of: dict[int, list[tuple[int, float]]] = {}
        for row in rows:
            if row.sense != "<=" or any(c < 0 for _, c in row.coefs):
                continue
            r = len(self.rhs)
            self.rhs.append(row.rhs)
            self.load.append(0.0)
            for k, c in row.coefs:
                if c and k in wanted:
                    self.of.setdefault(k, []).append((r, c))

    def take(self, k: int) -> None:
        for r, c in self.of.get(k, ()):
            self.load[r] += c


def _guess(places: _Places, cols: list[int], t: int) -> list[int]:
    """Positions from `t` on that the greedy takes: each pair whose place rows have room with those before it."""
    load = list(places.load)
    out = []
    for p in range(t, len(cols)):
        of = places.of.get(cols[p], ())
        if all(load[r] + c <= places.rhs[r] + TOL for r, c in of):
            out.append(p)
            for r, c in of:
                load[r] += c
    return out


def lexicographic_first(solver: Solver, ncols: int, rows: list[Row], order: Sequence[int],
                        values: list[float], zeros: Sequence[int] = ()) -> list[float]:
    """The lexicographically first solution over the columns `order` (pair columns in pseudonym order) of the
    integer program `rows`, starting from its solution `values`; `zeros` are columns no solution uses."""
    off = set(zeros)
    cols = [k for k in order if k not in off]
    places = _Places(rows, cols)
    fixed_zero = sorted(off)
    ones: list[int] = []
    x, t = values, 0
    nothing = [0.0] * ncols

    def holds(guess: list[int], k: int) -> bool:
        """Whether an optimal proposal holds the pairs taken and the first `k` guessed; keeps it as `x`."""
        nonlocal x
        if all(x[cols[p]] > 0.5 for p in guess[:k]):
            return True
        fix = [Row(f"tb_one{c}", [(c, 1.0)], ">=", 1) for c in ones + [cols[p] for p in guess[:k]]]
        sol = solver.solve(nothing, rows + fix, integer=True, zeros=fixed_zero)
        if sol.status == "Optimal":
            x = sol.values
        return sol.status == "Optimal"

    while True:
        guess = _guess(places, cols, t)
        if holds(guess, len(guess)):
            return x
        lo = next((k for k, p in enumerate(guess) if x[cols[p]] < 0.5), len(guess))  # x holds guess[:lo]
        hi, step = len(guess), 1  # guess[:hi] is held by none
        while hi - step > lo:  # gallop back from the end (a share rule bites late), then bisect
            if not holds(guess, hi - step):
                hi -= step
                step *= 2
            else:
                lo = hi - step
                break
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if holds(guess, mid):
                lo = mid
            else:
                hi = mid
        for p in guess[:lo]:
            ones.append(cols[p])
            places.take(cols[p])
        fixed_zero.append(cols[guess[lo]])  # impossible after the pairs taken
        t = guess[lo] + 1
