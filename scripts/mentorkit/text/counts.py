"""A count in words: "1 pair", "3 pairs", "2 people" (the one home of the plural rule)."""

from __future__ import annotations


def plural(n: float, one: str, many: str | None = None) -> str:
    """The word for `n` things: `one` for exactly 1, else `many` (by default `one` with an s)."""
    return one if n == 1 else (many or one + "s")


def counted(n: float, one: str, many: str | None = None) -> str:
    """`n` and the word for `n` things: "1 pair", "3 pairs" (`n` as Python writes it, e.g. 2.5)."""
    return f"{n} {plural(n, one, many)}"
