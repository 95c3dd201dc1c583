"""Pairs locked in the program file: checked against every rule before anything is solved.

A lock that cannot hold raises `InfeasibleMatching` naming the rule it breaks, in the
coordinator's words, never a solver message: the people must be in the right pools,
the pair must break no hard rule, and together with the approved pairs the locks must
fit each person's places, each mentor's capacity and the one-mentee-per-team rule.
"""

from __future__ import annotations

from ..errors import InfeasibleMatching
from ..model import Format, Participant
from ..text.counts import counted, plural
from .plan import Key, Plan
from .teams import pair_level


def check_locks(plan: Plan) -> None:
    """Locked pairs must satisfy every hard rule and fit the capacities; otherwise say which rule, and stop.
    The locks that hold are added to `plan.locked` (and named in a note)."""
    where = f"program/{plan.program_id}.yaml (matching.locked)"
    people = {p.pseudonym: p for p in plan.mentees + plan.mentors}
    _check_each(plan, people, where)
    if plan.locked:
        n = len(plan.locked)
        plan.notes.append(f"{counted(n, 'pair')} {plural(n, 'is', 'are')} locked in {where}: "
                          + ", ".join(f"{a} – {b}" for a, b in plan.locked))
    _check_per_person(plan, people, where)
    if not plan.peer:
        _check_per_mentor(plan, people, where)


def _check_each(plan: Plan, people: dict[str, Participant], where: str) -> None:
    """Each lock on its own: people in the right pools, and no hard rule broken."""
    mentee_ids = {p.pseudonym for p in plan.mentees}
    mentor_ids = {p.pseudonym for p in plan.mentors}
    approved = set(plan.approved)
    for lk in plan.program.matching.locked:
        a, b = lk.mentee, lk.mentor
        role = "person" if plan.peer else "mentee"
        if a not in mentee_ids:
            raise InfeasibleMatching(f"locked pair {a} – {b} in {where}: {a} is not a {role} of this program")
        if b not in mentor_ids:
            what = "person" if plan.peer else "mentor with capacity"
            raise InfeasibleMatching(f"locked pair {a} – {b} in {where}: {b} is not a {what} in this program")
        criteria = pair_level(plan.criteria) if plan.fmt == Format.TEAM else plan.criteria  # team rules: per team
        broken = criteria.score(people[a], people[b], plan.rules).violations
        if any(v.rule == "forbidden" for v in broken):
            raise InfeasibleMatching(f"the pair {a} – {b} is both locked and forbidden in "
                                     f"program/{plan.program_id}.yaml: remove it from one of the two lists")
        if broken:
            raise InfeasibleMatching(f"locked pair {a} (mentee) – {b} (mentor) in {where} breaks "
                                     f"{plural(len(broken), 'a hard rule', 'hard rules')}: "
                                     + "; ".join(v.text for v in broken)
                                     + ". Remove the lock, or change the rule in the program file")
        key = plan.key(a, b)
        if key not in approved and key not in plan.locked:
            plan.locked.append(key)


def _check_per_person(plan: Plan, people: dict[str, Participant], where: str) -> None:
    """Per mentee (per person for peers): no more fixed pairs than the format allows."""
    approved, locked = set(plan.approved), set(plan.locked)
    per: dict[str, list[Key]] = {}
    for key in plan.approved + plan.locked:
        for who in (key if plan.peer else key[:1]):
            per.setdefault(who, []).append(key)
    for who, keys in sorted(per.items()):
        limit = max(1, people[who].mentor_capacity) if plan.peer else plan.mentee_limit()
        if plan.choice and any(k in approved for k in keys) and len(keys) > 1:
            limit = 1  # a mentee who approved a suggestion has made their choice
        if len(keys) > limit and any(k in locked for k in keys):
            partners = ", ".join(k[1] if k[0] == who else k[0] for k in keys)
            if any(k in approved for k in keys):
                raise InfeasibleMatching(f"{who} is locked in {where} but already has an approved pair "
                                         f"(partners: {partners}); at most {limit} allowed")
            raise InfeasibleMatching(f"{who} is locked to {len(keys)} partners in {where} ({partners}) "
                                     f"but can have at most {limit}")


def _check_per_mentor(plan: Plan, people: dict[str, Participant], where: str) -> None:
    """Per mentor: capacity, and one mentee per team."""
    locked = set(plan.locked)
    by_mentor: dict[str, list[Key]] = {}
    for key in plan.approved + plan.locked:
        by_mentor.setdefault(key[1], []).append(key)
    for mentor, keys in sorted(by_mentor.items()):
        cap = people[mentor].mentor_capacity
        involved = any(k in locked for k in keys)
        if len(keys) > cap:
            if involved:
                raise InfeasibleMatching(
                    f"mentor {mentor} can take {counted(cap, 'mentee')} (mentor_capacity) but has "
                    f"{len(keys)} locked or approved pairs ({', '.join(k[0] for k in keys)}): remove a lock in {where}")
            plan.notes.append(f"mentor {mentor} has {len(keys)} approved pairs but capacity {cap}: "
                              "no new mentees are proposed to them")
        if plan.program.matching.one_mentee_per_team and not plan.choice and involved:
            _check_teams(mentor, keys, people, where)


def _check_teams(mentor: str, keys: list[Key], people: dict[str, Participant], where: str) -> None:
    teams: dict[str, list[str]] = {}
    for k in keys:
        t = people[k[0]].team
        if t:
            teams.setdefault(t, []).append(k[0])
    for t, who in sorted(teams.items()):
        if len(who) > 1:
            raise InfeasibleMatching(
                f"locked pairs give mentor {mentor} two mentees from team {t} ({', '.join(who)}), but the "
                "program allows one mentee per team (matching.one_mentee_per_team): remove a lock in " + where)
