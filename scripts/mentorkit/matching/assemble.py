"""The proposal: pairs with their why, unmatched people with a reason, and the figures.

`assemble` turns a `Result` (indices) back into pseudonyms: each pair with its score
parts and the mentee's next best option, suggestions ranked in choice mode, the
previous proposal's ended pairs kept as history, a reason for everyone left out,
and the summary and objective figures the proposal file shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import Format, PairStatus, Proposal, ProposedPair, Unmatched, UnusedPlaces
from .candidates import CandidateIndex
from .explain import pair_fit, pair_reasons
from .plan import Fixed, Plan, Result
from .reasons import team_unmatched, team_unused, unmatched_reason, unused_places
from .teams import team_next_best


def assemble(plan: Plan, r: Result) -> Proposal:
    ix = r.index
    people_a, people_b = ix.mentees, ix.mentors
    active: Fixed = r.fixed + [(i, j, PairStatus.PROPOSED) for i, j in r.new]
    partners, load = _partners_and_load(plan, active, len(people_b))
    pairs, scores = _pairs(plan, r, active, partners, load)
    pairs = _ordered(plan, pairs)
    as_mentor = _mentoring_instead(plan, r, active, partners)
    tr = r.teams
    room = np.asarray(load, dtype=np.int64) < np.asarray(r.capacity, dtype=np.int64)
    mentoring = set(as_mentor)
    unmatched = [Unmatched(mentee=p.pseudonym, reason=why, would_match=hint)
                 for i, p in enumerate(people_a) if i not in partners and i not in mentoring
                 for why, hint in [team_unmatched(tr, i) if tr else unmatched_reason(plan, r, i, room)]]
    unused = [UnusedPlaces(mentor=m, places=n, reason=why)
              for m, n, why in (team_unused(tr, people_b) if tr else unused_places(plan, r, load, partners))]
    summary = _summary(plan, r, active, [scores[(i, j)] for i, j, _ in active], len(as_mentor), len(unmatched))
    if plan.fmt in (Format.MOSAIC, Format.TEAM):
        summary["skills_covered"] = _coverage(plan, ix, partners)
    if tr is not None:
        summary["teams"] = len(tr.index.teams)
        summary["places"] = sum(t.capacity for t in tr.index.teams)
    # The solver's name stays out of the file: CBC and HiGHS reach the same optimum and the same tie-breaks,
    # so the file must not change with the machine that wrote it (MatchResult.stats names the solver).
    solver_info = {"status": "optimal", "guarantee": r.guarantee, "objective": _objective(r, summary),
                   "eligible_pairs": r.eligible}  # how many pairs the model needed depends on the solver: not here
    return Proposal(program=plan.program_id, format=plan.fmt, solver=solver_info, summary=summary, pairs=pairs,
                    unmatched=unmatched, unused=unused, notes=list(dict.fromkeys(plan.notes)))


def _partners_and_load(plan: Plan, active: Fixed, n_mentors: int) -> tuple[dict[int, set[int]], list[int]]:
    """Each person's partners in the active pairs, and each mentor's load (in peer mode both sides count)."""
    partners: dict[int, set[int]] = {}
    load = [0] * n_mentors
    for i, j, _ in active:
        partners.setdefault(i, set()).add(j)
        load[j] += 1
        if plan.peer:
            partners.setdefault(j, set()).add(i)
            load[i] += 1
    return partners, load


def _ordered(plan: Plan, pairs: list[ProposedPair]) -> list[ProposedPair]:
    """The pairs in the file's order (ranked first in choice mode), then the previous proposal's ended pairs."""
    if plan.choice:
        pairs = _ranked(pairs)
    by_mentor_first = plan.fmt in (Format.ONE_TO_ONE, Format.GROUP, Format.REVERSE, Format.FLASH) and not plan.choice
    if plan.fmt == Format.TEAM:  # each team's mentees and mentors together
        pairs.sort(key=lambda p: (p.team or "", p.mentee, p.mentor))
    else:
        pairs.sort(key=lambda p: (p.mentor, p.mentee) if by_mentor_first else (p.mentee, p.rank or 0, p.mentor))
    return pairs + sorted(plan.ended, key=lambda p: (p.mentee, p.mentor))


def _mentoring_instead(plan: Plan, r: Result, active: Fixed, partners: dict[int, set[int]]) -> list[int]:
    """Someone signed up as both mentee and mentor who mentors here and has no mentor is not left out: they
    take part as a mentor (in a reverse program the juniors are "both" and mentor the seniors)."""
    people_a, people_b = r.index.mentees, r.index.mentors
    mentoring = set() if plan.peer else {people_b[j].pseudonym for _, j, _ in active}
    return [i for i, p in enumerate(people_a)
            if i not in partners and p.role == "both" and p.pseudonym in mentoring]


def _objective(r: Result, summary: dict[str, Any]) -> dict[str, Any]:
    """What the solver optimised, stage by stage, in the summary's units."""
    objective: dict[str, Any] = {"matched": summary["matched"]}
    for s in r.stages:
        if s.name == "lowest_score":
            objective["lowest_score"] = s.value / 100
        if s.name == "coverage":
            objective["skills_covered"] = summary.get("skills_covered", 0.0)
    objective["total_score"] = summary["total_score"]
    tr = r.teams
    if tr is not None:  # what was maximised: each mentee's score with their team as a whole
        objective["total_score"] = round(sum(tr.index.score(i, t)[0] for i, t in tr.joined.items()) / 100, 2)
    return objective


def _pairs(plan: Plan, r: Result, active: Fixed, partners: dict[int, set[int]], load: list[int]
           ) -> tuple[list[ProposedPair], dict[tuple[int, int], int]]:
    """Each active pair with its score parts and next best option; and each pair's score in cents."""
    ix = r.index
    people_a, people_b = ix.mentees, ix.mentors
    pairs: list[ProposedPair] = []
    scores: dict[tuple[int, int], int] = {}
    for i, j, status in active:
        sc = ix.explain(i, j)
        scores[(i, j)] = sc.cents
        if status == PairStatus.APPROVED and sc.violations:
            plan.notes.append(f"approved pair {people_a[i].pseudonym} – {people_b[j].pseudonym} now breaks: "
                              + "; ".join(v.text for v in sc.violations)
                              + ". It is kept (a re-run never changes approved pairs); set its status to ended "
                                "if it should stop")
        fa, fb = plan.criteria.features(people_a[i]), plan.criteria.features(people_b[j])
        fit = pair_fit(plan.criteria, fa, fb)
        tr = r.teams
        next_best = (None if plan.choice else team_next_best(tr, i) if tr
                     else _next_best(ix, i, partners, load, r.capacity, plan.peer))
        before = plan.kept.get(plan.key(people_a[i].pseudonym, people_b[j].pseudonym)) \
            if status == PairStatus.APPROVED else None
        dates = {name: getattr(before, name) for name in ("approved_on", "ended_on")
                 if getattr(before, name, None) is not None}  # the pair's own dates, kept as the reviewer wrote them
        pairs.append(ProposedPair(mentee=people_a[i].pseudonym, mentor=people_b[j].pseudonym, status=status,
                                  **dates, score=sc.cents / 100, team=tr.team_id(j) if tr else None, why=sc.parts,
                                  reasons=pair_reasons(plan.criteria, fit, fa, fb, list(sc.parts)), fit=fit,
                                  next_best=next_best))
    return pairs, scores


def _ranked(pairs: list[ProposedPair]) -> list[ProposedPair]:
    """Choice mode: each mentee's suggestions ranked, best first; an approved pair is the mentee's choice."""
    by_mentee: dict[str, list[ProposedPair]] = {}
    for p in pairs:
        by_mentee.setdefault(p.mentee, []).append(p)
    ranked = []
    for ps in by_mentee.values():
        if any(p.status == PairStatus.APPROVED for p in ps):
            ranked += ps
            continue
        ps.sort(key=lambda p: (-p.score, p.mentor))
        ranked += [p.model_copy(update={"rank": n}) for n, p in enumerate(ps, 1)]
    return ranked


def _summary(plan: Plan, r: Result, active: Fixed, active_scores: list[int], mentoring_instead: int,
             unmatched: int) -> dict[str, Any]:
    people_a, people_b = r.index.mentees, r.index.mentors
    cross = sum(1 for i, j, _ in active if people_a[i].department != people_b[j].department)
    n_pool = len(people_a) - mentoring_instead
    matched = n_pool - unmatched
    summary: dict[str, Any] = {"mentees" if not plan.peer else "people": n_pool}
    if not plan.peer:
        summary["mentors"] = len(people_b)
        summary["places"] = sum(p.mentor_capacity for p in people_b)
        if mentoring_instead:
            summary["mentoring_instead"] = mentoring_instead
    summary.update({
        "matched": matched,
        "unmatched": unmatched,
        "match_rate": round(matched / n_pool, 4) if n_pool else 0.0,
        "pairs": len(active),
        "approved": sum(1 for _, _, s in active if s == PairStatus.APPROVED),
        "locked": len(plan.locked),
        "total_score": round(sum(active_scores) / 100, 2),
        "mean_score": round(sum(active_scores) / len(active_scores) / 100, 2) if active_scores else 0.0,
        "lowest_score": min(active_scores) / 100 if active_scores else 0.0,
        "cross_department_share": round(cross / len(active), 4) if active else 0.0,
    })
    if plan.choice:
        summary["suggestions_per_mentee"] = plan.program.matching.suggestions
    return summary


def _next_best(ix: CandidateIndex, i: int, partners: dict[int, set[int]], load: list[int], capacity: list[int],
               peer: bool) -> dict[str, Any] | None:
    """The mentee's best eligible alternative, and whether it is fully booked in this proposal."""
    mine = partners.get(i, set())
    for key in ix.rows[i]:
        s, j = ix.decode(key)
        if j not in mine:
            return {"peer" if peer else "mentor": ix.mentors[j].pseudonym, "score": s / 100,
                    "fully_booked": load[j] >= capacity[j]}
    return None


def _coverage(plan: Plan, ix: CandidateIndex, partners: dict[int, set[int]]) -> float:
    """Mean share of each mentee's sought skills that their mentors cover together (related skills: half)."""
    c = plan.criteria
    shares = []
    for i, p in enumerate(ix.mentees):
        sought = c.features(p).sought
        if not sought:
            continue
        mentors = [c.features(ix.mentors[j]) for j in partners.get(i, ())]
        got = sum(max((f.credit.get(s, 0) for f in mentors), default=0) for s in sought)
        shares.append(got / (2 * len(sought)))
    return round(sum(shares) / len(shares), 4) if shares else 0.0
