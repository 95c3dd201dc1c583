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
   pairs kept from the previous proposal; then a fixed pseudo-random tie-break
   from the pseudonyms (`tiebreak`). Each stage keeps the optimum of the ones
   before.
4. `formats` hands each format to its solver. The capacity model (all formats
   but peer and mosaic, `capacity`) is a bipartite b-matching, whose LP is
   totally unimodular, so the LP optimum is the integer optimum. The count is
   exact and needs no solver (`bmatching`: no augmenting path over all eligible
   pairs, Berge and König); count and score go into one LP, each pair earning its
   score plus a bonus larger than any score. Only each mentee's best few
   candidates start in the model (`master`); LP duals price every left-out pair
   and those that could improve the optimum are added (`pricing`, column
   generation). The LP's duals are degenerate, so near the end they keep flagging
   pairs that cannot help; an exact integer certificate (`certificate`) closes
   that tail. Either way the result is proven optimal over *all* eligible pairs.
5. Rules that break total unimodularity (a cross-department share, one mentee
   per team) make it an integer program on the generated candidates; the LP
   over all pairs bounds any solution, and the proposal says whether the bound
   is met (proven optimal) or how far off it could be.
6. Ties: the final stage optimises the tie-break on the optimal face of the
   score LP (pairs with zero reduced cost), so the same input gives the same
   proposal whatever the solver and the row order of participants.csv. When
   scores tie massively that face holds most eligible pairs, so the tie-break
   LP is column-generated too (`tiebreak`).

Peer and mosaic programs are small exact integer programs over all eligible
pairs (`exact`). Team programs (several mentors with one group of mentees)
are mentees x mentor teams, the same b-matching over `teams.TeamIndex`.
`assemble` writes the proposal; `explain` says what each pair shares (its
`reasons` and `fit`), `reasons` holds the other sentences (why someone is
unmatched, what would match them, unused places). `solver` is the one place
that talks to PuLP; `live` the one that talks to HiGHS
directly: without side rules the score stage and the tie-break run on a live,
warm-started LP, every pair priced in one numpy pass and the optimum proven in
exact integer arithmetic (`livecore`).
"""

from .run import MatchResult, match, propose
from .solver import MatchOptions, default_solver

__all__ = ["MatchOptions", "MatchResult", "default_solver", "match", "propose"]
