"""From a plan to a `Result`, per format: places left, pairs excluded, and the solver that fits.

One-to-one, group, reverse and flash programs (and choice mode, where each place
can be suggested to several mentees) go to the capacity model (`capacity`); peer and
mosaic programs to exact integer programs (`exact`). Pairs fixed in advance take
their places first and are never proposed twice. Each function reports its steps
through `lap` ("score", "solve") for the timings.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InfeasibleMatching
from ..model import Format, PairStatus, Participant
from .candidates import CandidateIndex, Pair
from .capacity import Capacity, SideRules
from .exact import solve_mosaic, solve_peer
from .plan import Fixed, Plan, Result, fixed_indices
from .reasons import capacity_guarantee, infeasible_share, small_guarantee
from .solver import Infeasible, MatchOptions, Solver, Stage
from .teams import Team, TeamIndex, TeamResult, fixed_teams, pair_level, read_teams

Lap = Callable[[str], None]


def _positions(people: list[Participant]) -> dict[str, int]:
    return {p.pseudonym: i for i, p in enumerate(people)}


def _index(plan: Plan, mentees: list[Participant], mentors: list[Participant], exclude: dict[int, set[int]],
           lap: Lap) -> tuple[CandidateIndex, set[Pair]]:
    """Every eligible pair, scored; and the previous proposal's pairs, preferred on ties."""
    index = CandidateIndex(plan.criteria, mentees, mentors, plan.rules, exclude)
    lap("score")
    ie, je = _positions(mentees), _positions(mentors)
    keep = {(ie[x], je[y]) for x, y in plan.previous if x in ie and y in je}
    return index, keep


def _floor(stages: list[Stage]) -> int | None:
    return next((int(s.value) for s in stages if s.name == "lowest_score"), None)


def run_capacity(plan: Plan, solver: Solver, opt: MatchOptions, lap: Lap) -> Result:
    if plan.fmt == Format.TEAM:
        return run_team(plan, solver, opt, lap)
    m = plan.program.matching
    mentees, mentors = plan.mentees, plan.mentors
    fixed = fixed_indices(plan, _positions(mentees), _positions(mentors))
    cap = [p.mentor_capacity for p in mentors]
    a, b = _capacity_rooms(plan, fixed, cap)
    share = m.min_cross_department_share or None
    team_rule = m.one_mentee_per_team
    if plan.choice and (share is not None or team_rule):
        plan.notes.append("the cross-department share and one-mentee-per-team rules apply to assignments, "
                          "not to suggestions: check them when mentees choose")
        share, team_rule = None, False
    index, keep = _index(plan, mentees, mentors, _capacity_exclusions(mentees, fixed, team_rule), lap)
    side = SideRules(share=share, fixed_pairs=len(fixed),
                     fixed_cross=sum(1 for i, j, _ in fixed if mentees[i].department != mentors[j].department),
                     mentee_dept=[p.department for p in mentees], mentor_dept=[p.department for p in mentors],
                     team_rule=team_rule, mentee_team=[p.team for p in mentees])
    engine = Capacity(index, a, b, keep, side, solver)
    try:
        new = engine.solve(m.fairness_floor)
    except Infeasible:
        if plan.locked or not fixed:
            raise InfeasibleMatching(infeasible_share(plan, fixed)) from None
        # Approved pairs are commitments: when they alone put the share out of reach, the rule applies to the
        # new pairs, and the proposal says so.
        side.fixed_pairs = side.fixed_cross = 0
        plan.notes.append(f"the approved pairs keep the cross-department share below {share:.0%}; the rule is "
                          "applied to the new pairs only")
        engine = Capacity(index, a, b, keep, side, solver)
        try:
            new = engine.solve(m.fairness_floor)
        except Infeasible:
            raise InfeasibleMatching(infeasible_share(plan, fixed)) from None
    lap("solve")
    eligible = index.eligible_pairs()
    places = [m.suggestions * c for c in cap] if plan.choice else cap  # choice: places to be suggested
    guarantee = capacity_guarantee(engine.mip, eligible)
    return Result(index, fixed, new, engine.stages, guarantee, eligible,
                  engine.model_pairs, places, team_rule, share, _floor(engine.stages))


def _capacity_rooms(plan: Plan, fixed: Fixed, cap: list[int]) -> tuple[list[int], list[int]]:
    """Places left per mentee and per mentor once the fixed pairs have theirs (choice: suggestion places)."""
    limit = plan.mentee_limit()
    a = [limit] * len(plan.mentees)
    b = list(cap)
    for i, j, status in fixed:
        a[i] -= 1
        if plan.choice and status == PairStatus.APPROVED:
            a[i] = -limit  # the mentee has chosen: no more suggestions
            b[j] -= 1
        elif not plan.choice:
            b[j] -= 1
    if plan.choice:  # suggestion places: each real place can be suggested to `suggestions` mentees
        b = [plan.program.matching.suggestions * x for x in b]
        for _, j, status in fixed:
            if status != PairStatus.APPROVED:
                b[j] -= 1
    return [max(0, x) for x in a], [max(0, x) for x in b]


def _capacity_exclusions(mentees: list[Participant], fixed: Fixed, team_rule: bool) -> dict[int, set[int]]:
    """Pairs never to propose: those fixed already, and (team rule) a mentor's fixed mentee's teammates."""
    exclude: dict[int, set[int]] = {}
    for i, j, _ in fixed:
        exclude.setdefault(i, set()).add(j)
    if team_rule:  # a mentor who already has a (fixed) mentee from a team takes no one else from it
        members_of: dict[str, list[int]] = {}
        for i, p in enumerate(mentees):
            if p.team:
                members_of.setdefault(p.team, []).append(i)
        for i, j, _ in fixed:
            for other in members_of.get(mentees[i].team or "", []):
                exclude.setdefault(other, set()).add(j)
    return exclude


def _take_places(fixed: Fixed, room_a: list[int], room_b: list[int], symmetric: bool) -> dict[int, set[int]]:
    """Fixed pairs take a place on each side (peers: room_a is room_b) and are never proposed again."""
    exclude: dict[int, set[int]] = {}
    for i, j, _ in fixed:
        room_a[i] -= 1
        room_b[j] -= 1
        exclude.setdefault(i, set()).add(j)
        if symmetric:
            exclude.setdefault(j, set()).add(i)
    return exclude


def run_peer(plan: Plan, solver: Solver, opt: MatchOptions, lap: Lap) -> Result:
    m = plan.program.matching
    pool = plan.mentees
    ie = _positions(pool)
    fixed = fixed_indices(plan, ie, ie)
    cap = [max(1, p.mentor_capacity) for p in pool]  # a peer takes part in at least one pair
    room = list(cap)
    exclude = _take_places(fixed, room, room, symmetric=True)
    room = [max(0, x) for x in room]
    team_taken: dict[int, set[str]] = {}  # teams a person already has a (fixed) partner from
    for i, j, _ in fixed:
        for me, other in ((i, pool[j].team), (j, pool[i].team)):
            if other:
                team_taken.setdefault(me, set()).add(other)
    if m.min_cross_department_share:
        plan.notes.append("min_cross_department_share applies to mentor-mentee programs; the department weight "
                          "steers peer pairs")
    index, keep = _index(plan, pool, pool, exclude, lap)
    matched_already = {k for i, j, _ in fixed for k in (i, j)}
    try:
        new, stages, cand = solve_peer(index, room, matched_already, keep, m.one_mentee_per_team, team_taken,
                                       m.fairness_floor, solver, opt)
    except Infeasible:
        raise InfeasibleMatching(infeasible_share(plan, [])) from None
    lap("solve")
    return Result(index, fixed, new, stages, small_guarantee(cand, "person"), cand.eligible, len(cand.cols), cap,
                  team_rule=m.one_mentee_per_team, floor=_floor(stages))


def run_mosaic(plan: Plan, solver: Solver, opt: MatchOptions, lap: Lap) -> Result:
    m = plan.program.matching
    mentees, mentors = plan.mentees, plan.mentors
    fixed = fixed_indices(plan, _positions(mentees), _positions(mentors))
    room_a = [m.mentors_per_mentee] * len(mentees)
    cap = [p.mentor_capacity for p in mentors]
    room_b = list(cap)
    exclude = _take_places(fixed, room_a, room_b, symmetric=False)
    fixed_mentors: dict[int, list[int]] = {}
    for i, j, _ in fixed:
        fixed_mentors.setdefault(i, []).append(j)
    room_a = [max(0, x) for x in room_a]
    room_b = [max(0, x) for x in room_b]
    if m.min_cross_department_share or m.one_mentee_per_team:
        plan.notes.append("the cross-department share and one-mentee-per-team rules are not applied to mosaic "
                          "programs; the department weight steers pairs")
    index, keep = _index(plan, mentees, mentors, exclude, lap)
    new, stages, cand = solve_mosaic(index, room_a, room_b, set(fixed_mentors), fixed_mentors, keep,
                                     m.fairness_floor, solver, opt)
    lap("solve")
    return Result(index, fixed, new, stages, small_guarantee(cand, "mentee"), cand.eligible, len(cand.cols), cap,
                  floor=_floor(stages))


def run_team(plan: Plan, solver: Solver, opt: MatchOptions, lap: Lap) -> Result:
    """Mentees x mentor teams as a b-matching (see `teams`), then each mentee paired with every mentor of their team."""
    m = plan.program.matching
    mentees, mentors = plan.mentees, plan.mentors
    teams, notes = read_teams(plan.program_id, m.teams, mentors)
    plan.notes += notes
    team_of = {j: t for t, team in enumerate(teams) for j in team.members}
    ie, je = _positions(mentees), _positions(mentors)
    fixed = fixed_indices(plan, ie, je)
    placed = fixed_teams(fixed, team_of)
    if m.min_cross_department_share or m.one_mentee_per_team:
        plan.notes.append("the cross-department share and one-mentee-per-team rules are not applied to team "
                          "programs; the department weight steers teams")
    index = TeamIndex(plan.criteria, mentees, mentors, teams, plan.rules,
                      {i: set(range(len(teams))) for i in placed})
    lap("score")
    a, b = _team_room(placed, teams, len(mentees))
    keep = {(ie[x], team_of[je[y]]) for x, y in plan.previous if x in ie and y in je and je[y] in team_of}
    engine = Capacity(index, a, b, keep, SideRules(), solver)
    chosen = engine.solve(m.fairness_floor)
    lap("solve")
    joined = {i: t for i, (t, _) in placed.items()} | dict(chosen)
    load = [0] * len(teams)
    for t in joined.values():
        load[t] += 1
    new = _team_pairs(joined, teams, fixed)
    capacity = [teams[team_of[j]].capacity if j in team_of else p.mentor_capacity for j, p in enumerate(mentors)]
    pairs = CandidateIndex(pair_level(plan.criteria), mentees, mentors, plan.rules)
    guarantee = capacity_guarantee(engine.mip, index.eligible_pairs())
    return Result(pairs, fixed, new, engine.stages, guarantee.replace("eligible pairs", "eligible mentee-team pairs"),
                  index.eligible_pairs(), engine.model_pairs, capacity, floor=_floor(engine.stages),
                  teams=TeamResult(index, team_of, joined, load))


def _team_room(placed: dict[int, tuple[int, PairStatus]], teams: list[Team], n_mentees: int
               ) -> tuple[list[int], list[int]]:
    """Room left for each mentee (none once placed in a team) and each team (its capacity less those placed)."""
    a = [0 if i in placed else 1 for i in range(n_mentees)]
    b = [team.capacity for team in teams]
    for t, _ in placed.values():
        b[t] -= 1
    return a, [max(0, x) for x in b]


def _team_pairs(joined: dict[int, int], teams: list[Team], fixed: Fixed) -> list[Pair]:
    """Each mentee paired with every mentor of the team they joined, but for the pairs fixed in advance."""
    have = {(i, j) for i, j, _ in fixed}
    return [(i, j) for i, t in sorted(joined.items()) for j in teams[t].members if (i, j) not in have]
