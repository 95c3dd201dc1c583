"""Ties in the integer programs (side rules, peer, mosaic): the most previous pairs, then a fixed preference.

The preference (a weight 1..1023 per pair, hashed from the two pseudonyms) depends
on the pseudonyms only, so the same input gives the same proposal whatever the row
order of participants.csv; two optimal proposals can tie on it. (The capacity
model without side rules has an exact, unique tie-break: `flow`.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from ..model import Participant
from .candidates import Pair
from .master import ExtraRow, Master, no_objective, sum_scores
from .solver import Sol, Solver

_MASK = 2**64 - 1


def person_hash(pseudonym: str) -> int:
    """A person's 64-bit hash (blake2b of the pseudonym): the raw material of their pairs' tie weights."""
    return int.from_bytes(hashlib.blake2b(pseudonym.encode(), digest_size=8).digest(), "big")


def mix(first: int, second: int) -> int:
    """A pair's 64-bit hash from its two people's (SplitMix64's finaliser, order-sensitive): one blake2b per
    person rather than per pair."""
    z = (first ^ (second * 0x9E3779B97F4A7C15)) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def tie_objective(pairs: Iterable[Pair], keep: set[Pair], first: Sequence[Participant],
                  second: Sequence[Participant], big: int) -> list[int]:
    """Per pair: `big` if the previous proposal had it (big must outweigh any sum of tie weights), plus its
    tie weight."""
    h1 = [person_hash(p.pseudonym) for p in first]
    h2 = h1 if first is second else [person_hash(p.pseudonym) for p in second]
    return [(big if p in keep else 0) + 1 + mix(h1[p[0]], h2[p[1]]) % 1023 for p in pairs]


def among_candidates(master: Master, solver: Solver, floor: int, total: float, sol: Sol, cols: list[Pair],
                     extra: list[ExtraRow], obj: list[int]) -> list[Pair]:
    """The integer program's tie-break: the score is fixed by a row."""
    score_row = ExtraRow("score", sum_scores, ">=", total)
    _, _, rows = master.model(floor, no_objective, extra + [score_row])
    final = solver.solve(obj, rows, integer=True)
    if final.status != "Optimal":  # cannot happen: the score solution is feasible
        final = sol
    return [c for c, v in zip(cols, final.values, strict=True) if v > 0.5]
