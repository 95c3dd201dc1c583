"""The proposal's sentences: how optimal it is, why a run cannot hold, why someone is unmatched.

Solving happens elsewhere; this module only puts its outcome in a coordinator's
words, so the wording can be read (and changed) in one place.
"""

from __future__ import annotations

from .candidates import EXCLUDED
from .exact import Pairs
from .plan import Fixed, Plan, Result
from .scoring import Criteria, hours
from .solver import Stage


def fmt_stage(name: str, value: float) -> str:
    return f"{value:g}" if name == "matched" else f"{value / 100:.2f}"


def capacity_guarantee(mip: bool, stages: list[Stage], eligible: int, exact_prices: bool) -> str:
    """What the capacity model proved, naming the proof: integer prices checked exactly (complementary
    slackness over every eligible pair), or the LP's duals to the solver's tolerance (column generation)."""
    if not mip:
        if exact_prices:
            return (f"proven optimal over all {eligible} eligible pairs: integer prices for every mentee and mentor "
                    "leave no eligible pair a positive reduced cost and are complementary to the solution, "
                    "checked in exact integer arithmetic (LP duality; the model is totally unimodular, so the "
                    "LP optimum is the integer optimum)")
        return (f"proven optimal over all {eligible} eligible pairs, to the LP solver's tolerance (1e-4 on "
                "scores in cents): pairs left out of the model were priced against the LP duals until none "
                "could improve it (column generation), and the model is totally unimodular, so the LP optimum "
                "is the integer optimum")
    if all(s.proven for s in stages):
        return (f"proven optimal over all {eligible} eligible pairs: the integer optimum on the generated "
                "candidate pairs meets the LP bound over all pairs")
    gaps = [f"{s.name.replace('_', ' ')} {fmt_stage(s.name, s.value)} (bound {fmt_stage(s.name, s.bound)})"
            for s in stages if not s.proven]
    return (f"optimal among the generated candidate pairs; over all {eligible} eligible pairs the "
            "LP bound leaves room for: " + "; ".join(gaps))


def small_guarantee(cand: Pairs, who: str) -> str:
    """What an exact integer program (peer, mosaic) proved."""
    if cand.pruned:
        return (f"optimal among each {who}'s {cand.per_person} best candidates ({len(cand.cols)} of "
                f"{cand.eligible} eligible pairs): too many pairs for an exact integer program")
    return f"proven optimal: an integer program over all {cand.eligible} eligible pairs, solved to optimality"


def infeasible_share(plan: Plan, fixed: Fixed) -> str:
    """Why the program's side rules cannot all hold (with the pairs fixed in advance)."""
    m = plan.program.matching
    people_a, people_b = plan.mentees, plan.mentors
    same = [f"{people_a[i].pseudonym} – {people_b[j].pseudonym}" for i, j, _ in fixed
            if people_a[i].department == people_b[j].department]
    rules = []
    if m.min_cross_department_share:
        rules.append(f"at least {m.min_cross_department_share:.0%} of pairs cross-department "
                     "(matching.min_cross_department_share)")
    if m.one_mentee_per_team:
        rules.append("one mentee per team (matching.one_mentee_per_team)")
    msg = "the program's rules cannot all hold: " + " and ".join(rules or ["its rules"])
    if same:
        msg += (f"; the locked and approved pairs include {len(same)} within one department ({', '.join(same)}) and "
                "too few cross-department pairs are possible to make up for them")
    return msg + f". Relax a rule or remove a lock in program/{plan.program_id}.yaml"


def unmatched_reason(plan: Plan, r: Result, i: int, load: list[int]) -> str:
    """Why mentee (person) i has no pair in the proposal."""
    ix = r.index
    who = "peer" if plan.peer else "mentor"
    if not len(ix.rows[i]):
        if not ix.mentors or (plan.peer and len(ix.mentors) == 1):
            return f"no eligible {who}: the program has no {who}s"
        return f"no eligible {who}: " + "; ".join(f"{label} ({n})" for label, n in ineligible(r, i))
    js = [ix.decode(k)[1] for k in ix.rows[i]]
    if r.floor is not None:
        js = [j for j, k in zip(js, ix.rows[i], strict=True) if ix.decode(k)[0] >= r.floor]
    open_ = [j for j in js if load[j] < r.capacity[j]]
    if not open_:
        return (f"capacity exhausted: {'the' if len(js) == 1 else 'all'} {len(js)} eligible {who}"
                f"{'' if len(js) == 1 else 's'} {'is' if len(js) == 1 else 'are'} fully booked")
    if r.team_rule and ix.mentees[i].team:
        return (f"one mentee per team: every eligible {who} with room already has someone from team "
                f"{ix.mentees[i].team}, or taking this pair would leave another mentee without a {who}")
    if r.share is not None:
        return (f"the cross-department rule (at least {r.share:.0%} of pairs): pairing them with an eligible "
                f"{who} with room would break it")
    return f"not matched: every eligible {who} with room is needed to match as many people as possible"


def ineligible(r: Result, i: int) -> list[tuple[str, int]]:
    """Why no mentor is eligible for mentee i: (rule in words, number of mentors), most common first."""
    counts = [(rule_label(rule, r.index.criteria), n) for rule, n in r.index.ineligible_reasons(i)]
    return sorted(counts, key=lambda kv: (-kv[1], kv[0]))


def rule_label(rule: str, criteria: Criteria) -> str:
    """A hard rule in words, for unmatched reasons."""
    g = criteria.gap
    return {
        "same_person": "same person",
        "level_gap": f"level gap outside {g.min}..{g.max}",
        "time_zone": ("time zones more than " + hours(criteria.max_tz) + " h apart") if criteria.max_tz is not None
        else "unknown time zone",
        "language": "no shared language",
        "reporting_line": "same reporting line",
        "forbidden": "forbidden in the program file",
        "cooldown": "paired in an earlier program (cooldown)",
        "ended": "pair ended earlier in this program",
        EXCLUDED: "already paired with them, or they mentor someone from the same team",
    }.get(rule, rule)
