"""The proposal's sentences: how optimal it is, why a run cannot hold, why someone is unmatched.

Solving happens elsewhere; this module only puts its outcome in a coordinator's
words, so the wording can be read (and changed) in one place.
"""

from __future__ import annotations

import numpy as np

from ..model import Participant
from ..text.counts import counted, plural
from .candidates import EXCLUDED
from .exact import Pairs
from .plan import Fixed, Plan, Result
from .rules import RULES
from .scoring import Criteria, Features, hours
from .teams import TEAM_RULES, TeamResult


def capacity_guarantee(mip: bool, eligible: int) -> str:
    """What the capacity model proved, naming the method: a network flow in whole numbers, or (with side rules)
    integer programs over every eligible pair, each solved to optimality."""
    if not mip:
        return (f"proven optimal over all {eligible} eligible pairs: solved exactly as a network flow (the most "
                "pairs, then the best total score) in whole numbers, with no rounding")
    return (f"proven optimal over all {eligible} eligible pairs: solved exactly as integer programs over all of "
            "them (the most pairs, then the best total score), each to optimality")


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
    msg = "the program rules cannot all hold: " + " and ".join(rules or ["its rules"])
    if same:
        msg += (f"; the locked and approved pairs include {len(same)} within one department ({', '.join(same)}) and "
                "too few cross-department pairs are possible to make up for them")
    return msg + f". Relax a rule or remove a lock in program/{plan.program_id}.yaml"


def unmatched_reason(plan: Plan, r: Result, i: int, room: np.ndarray) -> tuple[str, str | None]:
    """Why mentee (person) i has no pair in the proposal, and what would match them, in words (`room`: whether
    each mentor has a place left)."""
    ix = r.index
    who = "peer" if plan.peer else "mentor"
    if not len(ix.rows[i]):
        return _none_fits(plan, r, i, who)
    q, js = np.divmod(np.asarray(ix.rows[i]), ix.m)  # a row holds score-and-mentor keys (`CandidateIndex.key`)
    if r.floor is not None:
        js = js[q <= ix.smax - r.floor]
    hint = _one_more_place(r, i, who)
    if not room[js].any():
        return ((f"the only {who} who fits is fully booked" if len(js) == 1
                 else f"all {len(js)} {who}s who fit are fully booked"), hint)
    if r.team_rule and ix.mentees[i].team:
        return (f"one mentee per team: every {who} who fits and has room already has someone from team "
                f"{ix.mentees[i].team}, or taking them would leave another mentee without a {who}", hint)
    if r.share is not None:
        return (f"the cross-department rule (at least {r.share:.0%} of pairs): pairing them with a {who} who "
                "has room would break it", hint)
    return (f"every {who} who fits and has room is needed to match as many people as possible", hint)


def _none_fits(plan: Plan, r: Result, i: int, who: str) -> tuple[str, str | None]:
    """Why no one fits mentee i at all (by hard rule), and what would match them."""
    ix = r.index
    if not ix.mentors or (plan.peer and len(ix.mentors) == 1):
        return f"no eligible {who}: the program has no {who}s", None
    counts = ineligible(r, i)
    total = sum(n for _, n in counts)
    said = "; ".join(rule_phrase(rule, n, r.index.criteria, r.index.criteria.features(ix.mentees[i]))
                     for rule, n in counts)
    if total == 1:
        said = f"the only {who}" + said[1:]
    else:
        said = f"of {counted(total, who)}, {said}"
    return f"no {who} fits the program rules: {said}", near_miss(plan, r, i)


def _one_more_place(r: Result, i: int, who: str) -> str:
    """What would match mentee i, who has eligible partners: a place more with the best, or another partner."""
    ix = r.index
    best = ix.decode(ix.rows[i][0])
    sought = ix.criteria.features(ix.mentees[i]).sought
    another = f"another {who} who offers {_or(sought)}" if sought else f"another {who}"
    return (f"one more place with {ix.mentors[best[1]].pseudonym} (their best option, {best[0] / 100:g} points), "
            f"or {another}")


def _or(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def ineligible(r: Result, i: int) -> list[tuple[str, int]]:
    """Why no mentor is eligible for mentee i: (rule, number of mentors), most common first."""
    return sorted(r.index.ineligible_reasons(i), key=lambda kv: (-kv[1], RULE_ORDER.get(kv[0], 99)))


RULE_ORDER = {rule: k for k, rule in enumerate((*RULES, EXCLUDED))}


def rule_phrase(rule: str, n: int, c: Criteria, a: Features | None = None, mentor_side: bool = False) -> str:
    """`n` people ruled out by a hard rule, in words: "3 are more than 6 hours away" (`mentor_side`: the `n` are
    mentees a mentor cannot take)."""
    if mentor_side and rule == "shared_skill":
        return f"{n} {plural(n, 'seeks', 'seek')} only skills they do not offer (nor a related one)"
    one = n == 1
    g = c.gap
    sought = f" ({', '.join(a.sought)})" if a is not None and a.sought else ""
    limit = hours(c.max_tz) if c.max_tz is not None else ""
    phrase = {
        "same_person": ("is", "are", "the same person"),
        "level_gap": ("is", "are", f"outside the career-stage window (level gap {g.min} to {g.max})"),
        "time_zone": ("is", "are", f"more than {limit} hours away or in an unknown time zone"),
        "language": ("shares", "share", "no language with them"),
        "shared_skill": ("offers", "offer", f"none of the skills they seek{sought}, nor a related one"),
        "reporting_line": ("is", "are", "in their reporting line"),
        "forbidden": ("is", "are", "ruled out in the program file (matching.forbidden)"),
        "cooldown": ("was", "were", "paired with them in an earlier program (matching.cooldown)"),
        "ended": ("had", "had", "a pair with them that ended"),
        "min_score": ("would", "would", f"score below the minimum of {(c.min_cents or 0) / 100:g} points "
                                        "(matching.min_score)"),
        EXCLUDED: ("is", "are", "already paired with them, or mentor someone from the same team"),
    }.get(rule, ("breaks", "break", rule))
    return f"{n} {phrase[0] if one else phrase[1]} {phrase[2]}"


def rule_label(rule: str, criteria: Criteria) -> str:
    """A hard rule in a few words (without a count)."""
    return rule_phrase(rule, 2, criteria).split(" ", 2)[2]


NEAR_MISS_SCAN = 2000  # people looked at for "what would match them", in pseudonym order
NEAR_MISS_BUDGET = 200_000  # pairs looked at in one proposal for those hints, so huge programs stay fast


def near_miss(plan: Plan, r: Result, i: int) -> str | None:
    """What would match a mentee whom no mentor fits: the mentors who break exactly one rule, by rule."""
    ix = r.index
    c = ix.criteria
    a = c.features(ix.mentees[i])
    teachers = ix.teachers(a) if not c.symmetric else None
    pool = sorted(teachers) if teachers else range(len(ix.mentors))
    who = "peer" if plan.peer else "mentor"
    by_rule: dict[str, list[int]] = {}
    look = list(pool)[:NEAR_MISS_SCAN]
    if r.scanned + len(look) > NEAR_MISS_BUDGET:  # deterministic: the mentees first in pseudonym order get hints
        return None
    r.scanned += len(look)
    for j in look:
        broken = ix.explain(i, j).violations
        if len(broken) == 1:
            by_rule.setdefault(broken[0].rule, []).append(j)
    skills = _or(a.sought) if a.sought else ""
    if teachers is not None and not teachers:
        return (f"no {who} in this program offers {skills} or a related skill: recruit one who does, or list "
                "related skills in participants/vocabulary.yaml")
    for rule in ("time_zone", "level_gap", "language", "min_score", "shared_skill"):
        js = by_rule.get(rule)
        if js:
            return _near(rule, js, plan, r, i, a, skills, who)
    if by_rule:
        rule, js = min(by_rule.items(), key=lambda kv: (-len(kv[1]), RULE_ORDER.get(kv[0], 99)))
        return f"{counted(len(js), who)} would fit but {plural(len(js), 'is', 'are')} {rule_label(rule, c)}"
    return f"no {who} comes within one rule of fitting: recruit a {who}" + (f" who offers {skills}" if skills else "")


def _near(rule: str, js: list[int], plan: Plan, r: Result, i: int, a: Features, skills: str, who: str) -> str:
    ix = r.index
    c = ix.criteria
    n = len(js)
    them = counted(n, who)
    offering = f" who {plural(n, 'offers', 'offer')} {skills}" if skills else ""
    if rule == "time_zone":
        return _near_time_zone(js, r, a, skills, who, offering)
    if rule == "level_gap":
        return _near_level_gap(js, r, a, who, offering)
    if rule == "language":
        spoken = sorted({x for j in js for x in c.features(ix.mentors[j]).languages})
        return (f"{them}{offering} would fit but {plural(n, 'speaks', 'speak')} {', '.join(spoken)}, not "
                f"{', '.join(a.languages)} (matching.shared_language_required)")
    if rule == "min_score":
        best = max(ix.explain(i, j).cents for j in js) / 100
        return (f"{them} would fit with a lower minimum score: the best scores {best:g} points "
                f"(matching.min_score is {(c.min_cents or 0) / 100:g})")
    return (f"{them} would fit but {plural(n, 'offers', 'offer')} none of the skills sought ({skills}): recruit a "
            f"{who} who does, or list related skills in participants/vocabulary.yaml")


def _near_time_zone(js: list[int], r: Result, a: Features, skills: str, who: str, offering: str) -> str:
    """The mentors `js`, who would fit mentee `a` but for the time-zone window, in words."""
    ix = r.index
    c = ix.criteria
    n = len(js)
    them = counted(n, who)
    gaps = sorted(d for j in js if (d := c.tz_minutes(a.offset, c.features(ix.mentors[j]).offset)) is not None)
    if not gaps:
        return f"{them}{offering} would fit, but a time zone is unknown: check time_zone in participants.csv"
    far = hours(gaps[0]) if gaps[0] == gaps[-1] else f"{hours(gaps[0])} to {hours(gaps[-1])}"
    what = f"offers {skills}" if skills else "fits"
    return (f"no {who} {what} within {hours(c.max_tz or 0)} hours of {a.time_zone}; {n} "
            f"{plural(n, 'offers', 'offer') if skills else plural(n, 'fits', 'fit')} "
            f"{'it ' if skills else ''}{far} hours away (matching.max_time_zone_difference)")


def _near_level_gap(js: list[int], r: Result, a: Features, who: str, offering: str) -> str:
    """The mentors `js`, who would fit mentee `a` but for the career-stage window, in words."""
    ix = r.index
    c = ix.criteria
    them = counted(len(js), who)
    gaps = sorted(c.level_gap(a, c.features(ix.mentors[j])) for j in js)
    span = str(gaps[0]) if gaps[0] == gaps[-1] else f"{gaps[0]} to {gaps[-1]}"
    if gaps[-1] < 0 <= c.gap.min:  # the career stages are the wrong way round for this program
        return (f"{them}{offering} would fit, but on the wrong side of the career-stage gap (level gap {span}; "
                f"allowed {c.gap.min} to {c.gap.max}): this mentee needs a {who} at another level")
    return f"{them}{offering} would fit with a level gap of {span} (allowed now: {c.gap.min} to {c.gap.max}, " \
           "matching.level_gap)"


def unused_places(plan: Plan, r: Result, load: list[int], partners: dict[int, set[int]]
                  ) -> list[tuple[str, int, str]]:
    """Mentors with places left: (pseudonym, places, why no one took them)."""
    if plan.peer or plan.choice:
        return []
    ix = r.index
    c = ix.criteria
    fits = np.zeros(ix.m, dtype=np.int64)  # mentees who fit with the mentor and are not theirs
    for i, row in enumerate(ix.rows):
        if not len(row):
            continue
        js = np.asarray(row) % ix.m  # a row holds score-and-mentor keys (`CandidateIndex.key`)
        fits += np.bincount(js, minlength=ix.m)
        for j in partners.get(i, ()):
            if (js == j).any():
                fits[j] -= 1
    eligible: list[int] = fits.tolist()
    out = []
    for j, b in enumerate(ix.mentors):
        free = r.capacity[j] - load[j]
        if free <= 0:
            continue
        if eligible[j]:
            why = (f"the {counted(eligible[j], 'other mentee')} who {plural(eligible[j], 'fits', 'fit')} with them "
                   f"{plural(eligible[j], 'is', 'are')} matched with someone else (that matches more people, "
                   "or scores higher in total)")
        elif load[j]:
            why = "no other mentee fits the program rules with them"
        else:
            counts: dict[str, int] = {}
            fb = c.features(b)
            look = min(len(ix.mentees), NEAR_MISS_SCAN)
            if r.scanned + look > NEAR_MISS_BUDGET:
                look = 0
            r.scanned += look
            for i in range(look):
                broken = c.violations(c.features(ix.mentees[i]), fb, ix.rules) or ix.explain(i, j).violations
                if broken:
                    counts[broken[0].rule] = counts.get(broken[0].rule, 0) + 1
            said = "; ".join(rule_phrase(rule, n, c, mentor_side=True) for rule, n in
                             sorted(counts.items(), key=lambda kv: (-kv[1], RULE_ORDER.get(kv[0], 99))))
            why = "no mentee fits the program rules with them" + (f": of the mentees, {said}" if said else "")
        out.append((b.pseudonym, free, why))
    return out


def team_unmatched(tr: TeamResult, i: int) -> tuple[str, str | None]:
    """Why mentee i joined no team, and what would place them."""
    ix = tr.index
    if not ix.teams:
        return "no team: the program file lists no mentor teams", None
    if not len(ix.rows[i]):
        counts = sorted(ix.ineligible_reasons(i), key=lambda kv: (-kv[1], kv[0]))
        said = "; ".join(f"{counted(n, 'team')}: "
                         + (f"a mentor {rule_phrase(rule, 1, ix.criteria)[2:]}" if rule not in TEAM_RULES
                            else f"the team would {rule_label(rule, ix.criteria)}" if rule == "min_score"
                            else "no mentor offers any of the sought skills, nor a related one")
                         for rule, n in counts)
        return (f"no team fits the program rules: {said}",
                "a team whose mentors all fit them (add or move a mentor in matching.teams)")
    s, t = ix.decode(ix.rows[i][0])
    return ("every team that fits is full",
            f"one more place in team {ix.teams[t].id} (their best option, {s / 100:g} points)")


def team_unused(tr: TeamResult, mentors: list[Participant]) -> list[tuple[str, int, str]]:
    """Mentors with places left: their team's free places, or all their places when they are in no team."""
    ix = tr.index
    fits = [0] * len(ix.teams)
    for row in ix.rows:
        for key in row:
            fits[ix.decode(key)[1]] += 1
    out = []
    for j, p in enumerate(mentors):
        t = tr.team_of.get(j)
        if t is None:
            out.append((p.pseudonym, p.mentor_capacity, "in no team of matching.teams"))
            continue
        free = ix.teams[t].capacity - tr.load[t]
        if free > 0:
            why = (f"team {ix.teams[t].id} has {counted(free, 'place')} left: "
                   + (f"the {counted(fits[t], 'mentee')} it fits joined other teams or are "
                      "needed elsewhere" if fits[t] else "no mentee fits the program rules with all its mentors"))
            out.append((p.pseudonym, free, why))
    return out
