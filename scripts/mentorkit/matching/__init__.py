"""Match proposals: provably optimal, explainable, stable.

`propose(workspace, program_id, previous)` returns a `model.Proposal`; `match`
returns it with timings and statistics (`run`). In order:

1. `plan`: pools by format, mentees and mentors (one-to-one, group, flash,
   reverse, mosaic) or one pool (peer), in pseudonym order. Pairs fixed in
   advance come out first: approved pairs of the previous proposal (kept as they
   are) and pairs locked in the program file, checked against every hard rule by
   `locks` (a lock that cannot hold raises `InfeasibleMatching` naming the rule,
   never a solver message).
2. `candidates.CandidateIndex` scores every eligible pair (`scoring` for the
   criteria, `rules` for the hard rules, among them the quality rules: a shared
   sought skill and `min_score`). Hard rules never enter the model: no
   proposal can break one.
3. Objectives, lexicographic: most mentees matched; then (with a fairness
   floor) the best lowest pair score; then the highest total; then the most
   pairs kept from the previous proposal; then one tie-break: mentees in
   pseudonym order, each taking the first mentor in pseudonym order that still
   allows an optimal proposal. Each stage keeps the optimum of the ones before.
4. `formats` hands each format to its solver. The capacity model (all formats
   but peer and mosaic, `capacity`) is a bipartite b-matching, a network flow:
   `flow` solves it exactly with OR-Tools (maximum flow for the count and the
   floor search, min-cost flow for score and previous pairs, integer costs) and
   applies the tie-break by searching for cycles of zero reduced cost, so the
   pick is the rule's, not a solver's. When people are much alike, `groups`
   runs the same flow and tie-break on groups of interchangeable people.
5. Rules that break the flow structure (a cross-department share, one mentee
   per team) make each stage an integer program over every eligible pair
   (`capacity.side_model`), solved to optimality by HiGHS (`solver`), stage by
   stage (`stages`). The same tie-break is applied exactly among the optimal
   proposals (`tiebreak`).

Peer and mosaic programs are small exact integer programs over all eligible
pairs (`exact`), solved by the same `stages`. Team programs (several mentors with one group of mentees)
are mentees x mentor teams, the same b-matching over `teams.TeamIndex`.
`assemble` writes the proposal; `explain` says what each pair shares (its
`reasons` and `fit`), `reasons` holds the other sentences (why someone is
unmatched, what would match them, unused places). `solver` is the one place
that talks to HiGHS; `flow` and `groups` the ones that talk to OR-Tools.
"""

from .run import MatchResult, match, propose
from .solver import MatchOptions

__all__ = ["MatchOptions", "MatchResult", "match", "propose"]
