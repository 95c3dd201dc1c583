"""The one tie-break of the integer programs (side rules, peer, mosaic), applied exactly.

Once every stage's optimum is held by a row, any solution left is an optimal
proposal. Among them the kit takes the lexicographically first: pair columns read
in (mentee, mentor) pseudonym order, each is 1 whenever some optimal proposal
keeping the decisions before it allows it. That is the rule of the flow core
(`flow`): mentees in pseudonym order, each taking the first mentors in pseudonym
order that still allow an optimal proposal. It depends on the pseudonyms only, so
the same input gives the same pairs whatever the solver, its version or the machine.

The search (every step exact; the route depends only on the program, never on time):

1. The greedy guess takes, in order, every pair whose place rows (a mentee's, a
   mentor's, a team rule's) still have room with the pairs taken before it; a
   pair it skips cannot be 1, a full row proves it. When some optimal proposal
   holds every guessed pair, the guess is the pick: one feasibility solve. Right
   when (nearly) every pair ties.
2. Otherwise, when the pairs the tie-break must consider are few (at most
   `FEW_TIES` per pair of the proposal: the LP's prices left out the rest),
   improve and prove: one integer program asks whether an optimal proposal comes
   earlier than the one in hand (`_improve`); it replaces the one in hand until
   none does. Uniform 1,000 x 500 with a share rule: 6 rounds, about 30 s; popular
   200 x 100: 5 rounds, 5 s, where three rounds and then guess and check took
   1,668 solves and 264 s.
3. Otherwise (many ties, and the rules bite somewhere) guess and check: the
   longest run of guessed pairs some optimal proposal holds is found by
   galloping back from the end and bisecting (a probe is one solve), the first
   guessed pair after it is proven impossible (0), and the guess resumes after
   it. Improving there is slow: on a tied 200 x 100 team program each round took
   20-45 s, over ten rounds.

One route for every program was measured and refused: improve and prove alone
takes minutes on tied programs, guess and check alone on untied ones
(bench/bench_side_rules.py; docs/matching.md has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence

from .solver import TOL, Row, Solver

FEW_TIES = 8  # improve and prove when the pairs some optimal proposal can use are at most this many per pair


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


def _improve(solver: Solver, ncols: int, rows: list[Row], cols: list[int], x: list[float], zeros: list[int]
             ) -> list[float]:
    """Improve and prove: one integer program asks whether a solution comes earlier than x (a selector z picks the
    first pair p where they differ, one x does not use; s_q = 1, the pick is after q, makes them agree on q); the
    earliest such solution replaces x, until none comes earlier."""
    n = len(cols)
    while True:
        free = [p for p in range(n) if x[cols[p]] < 0.5]  # where an earlier solution can first differ
        if not free:
            return x
        z = {p: ncols + t for t, p in enumerate(free)}
        s = [ncols + len(free) + q for q in range(n)]
        extra = [Row("tb_pick", [(c, 1.0) for c in z.values()], "=", 1)]
        for q, k in enumerate(cols):
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
        sol = solver.solve(prefer, rows + extra, integer=True, zeros=zeros)
        if sol.status != "Optimal":
            return x
        x = sol.values[:ncols]


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

    guess = _guess(places, cols, 0)
    if holds(guess, len(guess)):  # the greedy is right: (nearly) every pair ties
        return x
    pairs = sum(1 for k in cols if x[k] > 0.5)
    if len(cols) <= FEW_TIES * max(1, pairs):  # few pairs tie: improve the solution in hand until proven first
        return _improve(solver, ncols, rows, cols, x, fixed_zero)
    while True:  # many ties, and the rules bite somewhere: guess and check
        lo = next((k for k, p in enumerate(guess) if x[cols[p]] < 0.5), len(guess))  # x holds guess[:lo]
        if lo == len(guess):  # x holds every guessed pair (whatever the earlier probe said): it is the pick
            return x
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
        guess = _guess(places, cols, t)
        if holds(guess, len(guess)):
            return x
