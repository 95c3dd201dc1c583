"""Hard rules: what makes a pair ineligible whatever its score.

Rules about what two people are like (level gap, time zones, a shared language) are checked by
`scoring.Criteria.violations`, next to the criteria that read the same fields. Rules about particular
people (reporting lines, forbidden pairs, cooldown after earlier programs, pairs that ended) are held here,
in `PairRules`. A pair that breaks a rule is never proposed; `Violation` says which rule, in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Hard rules, in the order they are checked and reported.
RULES = ("same_person", "level_gap", "time_zone", "language", "shared_skill", "reporting_line", "forbidden", "cooldown",
         "ended", "min_score")


@dataclass(frozen=True)
class Violation:
    rule: str  # one of RULES: stable, for code and tests
    text: str  # in a coordinator's words, e.g. "level gap 5 outside 1..4"


class PairRules:
    """Hard rules about particular people: reporting lines, exclusions, earlier pairings.

    Pairs are unordered: a rule about (a, b) also holds for (b, a), so it works for
    peer and reverse programs too.
    """

    def __init__(self, *, forbidden: Iterable[tuple[str, str]] = (),
                 cooldown: Mapping[tuple[str, str], str] | None = None,
                 ended: Iterable[tuple[str, str]] = (), managers: Mapping[str, str | None] | None = None,
                 exclude_reporting_line: bool = True):
        self._blocked: dict[str, dict[str, Violation]] = {}
        for a, b in ended:
            self._block(a, b, Violation("ended", "this pair ended earlier in this program"))
        for (a, b), program in sorted((cooldown or {}).items()):
            self._block(a, b, Violation("cooldown", f"cooldown: paired in {program}"))
        for a, b in forbidden:
            self._block(a, b, Violation("forbidden", "forbidden in the program file"))
        self._above: dict[str, frozenset[str]] = {}
        self._below: dict[str, set[str]] = {}
        if exclude_reporting_line and managers:
            for person in managers:
                chain: list[str] = []
                boss = managers.get(person)
                while boss and boss not in chain and boss != person:  # a cycle in bad data must not loop
                    chain.append(boss)
                    boss = managers.get(boss)
                self._above[person] = frozenset(chain)
                for boss in chain:
                    self._below.setdefault(boss, set()).add(person)

    def _block(self, a: str, b: str, v: Violation) -> None:
        # the strongest reason wins: forbidden (written last) over cooldown over ended
        self._blocked.setdefault(a, {})[b] = v
        self._blocked.setdefault(b, {})[a] = v

    def line(self, a: str) -> set[str]:
        """Everyone above or below `a` in the reporting line."""
        return set(self._above.get(a, ())) | self._below.get(a, set())

    def blocked(self, a: str) -> dict[str, Violation]:
        """Everyone `a` must not be paired with, and why (reporting line included)."""
        out = {b: Violation("reporting_line", "same reporting line") for b in sorted(self.line(a))}
        out.update(self._blocked.get(a, {}))
        return out

    def check(self, a: str, b: str) -> list[Violation]:
        out = []
        if b in self._above.get(a, ()) or a in self._above.get(b, ()):
            out.append(Violation("reporting_line", "same reporting line"))
        v = self._blocked.get(a, {}).get(b)
        if v:
            out.append(v)
        return out
