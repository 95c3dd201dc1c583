"""Match proposals: provably optimal, explainable, stable.

`propose` and `match` are the entry points; the modules below hold one step each.
"""

from .solve import MatchOptions, MatchResult, default_solver, match, propose

__all__ = ["MatchOptions", "MatchResult", "default_solver", "match", "propose"]
