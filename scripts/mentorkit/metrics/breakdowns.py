"""Measures by group (department, level, self-reported demographics; format across programs), suppressed.

Each breakdown is two tables that share their rows: people by group, mentees
and mentors in separate columns with a total each (suppressed with
`suppression.suppress`; rows have no published total, so each column is
protected against its own total), and a few measures of each group's mentees
(hidden when computed on fewer than min_group_size people, when the group's
number of mentees is hidden, and where needed so that no hidden value follows
from the others). Pair measures follow the mentee's group. Measures are about
mentees: the equity question is whether the program works for everyone it
mentors; the mentor column shows who mentors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from ..model import Metric, Participant, Workspace
from . import measures as m
from .context import Context
from .model import DEFINITIONS, Breakdown, BreakdownRow, Cell, SkillChange, long_date
from .suppression import PRIMARY, SECONDARY, suppress_counts, suppress_measure

NOT_GIVEN = "not-given"
DIMENSIONS = {
    "department": "Department",
    "level": "Level",
    "gender": "Gender (self-reported)",
    "age_band": "Age band (self-reported)",
    "underrepresented": "Under-represented group (self-identified)",
}
SELF_REPORTED = ("gender", "age_band", "underrepresented")
ORDER = {  # the order of participants/datapackage.yaml
    "gender": ("woman", "man", "non-binary", "self-described", "prefer-not-to-say"),
    "age_band": ("under-25", "25-34", "35-44", "45-54", "55-plus", "prefer-not-to-say"),
    "underrepresented": ("yes", "no", "prefer-not-to-say"),
}
GROUP_LABELS = {
    "under-25": "Under 25", "55-plus": "55 and over", "prefer-not-to-say": "Prefer not to say",
    "non-binary": "Non-binary", "self-described": "Self-described", "yes": "Yes", "no": "No",
    "woman": "Woman", "man": "Man",
}
# The ends of each unit's range; a mean of changes on a 1-5 scale runs from -4 to +4, meetings have no upper end.
SCALE_ENDS: dict[str, tuple[float, ...]] = {
    "share": (0.0, 1.0), "score": (1.0, 5.0), "nps": (-100.0, 100.0), "change": (-4.0, 4.0), "per_month": (0.0,)}
OTHER = "other"  # the row of groups too small to show on their own
OTHER_LABELS = {"department": "Other departments", "level": "Other levels"}  # else "Other answers"
RETENTION = "retention"  # participants' own retention rate: the part of retention_difference a group has
LABELS = {RETENTION: "Retained over the comparison period"}

BREAKDOWN_MEASURES: tuple[str, ...] = (
    Metric.MATCH_RATE, Metric.SATISFACTION, Metric.NPS, Metric.GOAL_ACHIEVEMENT_RATE, Metric.PROFICIENCY_CHANGE,
    Metric.CONFIDENCE_CHANGE, Metric.PROMOTION_RATE_12M, RETENTION,
)
# Measures that pool across programs (weighted means); medians and program-level sums do not.
FORMAT_MEASURES: tuple[str, ...] = (
    Metric.MATCH_RATE, Metric.MEETINGS_PER_PAIR_MONTH, Metric.ACTIVE_PAIR_SHARE, Metric.COMPLETION_RATE,
    Metric.SATISFACTION, Metric.NPS, Metric.GOAL_ACHIEVEMENT_RATE, Metric.PROFICIENCY_CHANGE, Metric.CONFIDENCE_CHANGE,
)


def _function(measure: str) -> Callable[[Context, set[str] | None], m.Result]:
    return m.retention if measure == RETENTION else m.FUNCTIONS[Metric(measure)]


def _group_of(p: Participant, dim: str) -> str:
    value = getattr(p, dim)
    return NOT_GIVEN if value in (None, "") else str(value)


def _label(ws: Workspace, dim: str, group: str) -> str:
    if group == NOT_GIVEN:
        return "Not given"
    if dim == "department" and ws.vocabulary:
        for d in ws.vocabulary.departments:
            if d.id == group:
                return d.label
    if dim == "level":
        return f"Level {group}"
    return GROUP_LABELS.get(group, group) if dim in SELF_REPORTED else group


def _ordered(ws: Workspace, dim: str, groups: set[str]) -> list[str]:
    if dim == "level":
        known = sorted((g for g in groups if g != NOT_GIVEN), key=int)
    elif dim in ORDER:
        known = [g for g in ORDER[dim] if g in groups] + sorted(groups - set(ORDER[dim]) - {NOT_GIVEN})
    elif dim == "department" and ws.vocabulary:
        order = [d.id for d in ws.vocabulary.departments]
        known = [g for g in order if g in groups] + sorted(groups - set(order) - {NOT_GIVEN})
    else:
        known = sorted(groups - {NOT_GIVEN})
    return known + ([NOT_GIVEN] if NOT_GIVEN in groups else [])


def _scale(measure: str) -> tuple[float, ...]:
    """The ends a value of the measure can reach (a pooled value at an end gives every part of the pool away)."""
    unit = "share" if measure == RETENTION else DEFINITIONS[Metric(measure)].unit
    return SCALE_ENDS.get(unit, ())


def _table(dimension: str, label: str, groups: list[tuple[str, str]], seekers: list[int], others: list[int] | None,
           results: list[list[m.Result]], measure_ids: tuple[str, ...], k: int,
           hidden_elsewhere: list[set[str]] | None = None) -> Breakdown:
    """Assemble and suppress one breakdown.

    `seekers[i]` / `others[i]`: group i's mentees and mentors (others None in a
    peer program); `results[i][j]`: measure j of group i's mentees. Every
    column's total is treated as known (the program's own figures give it).
    `hidden_elsewhere[i]`: group i's figures that another table hides (measure
    ids, "count:<column>"): hidden here from the start.
    """
    elsewhere = hidden_elsewhere or [set() for _ in groups]
    columns = [seekers] if others is None else [seekers, others]
    hiddens = [suppress_counts(col, k, [PRIMARY if f"count:{c}" in elsewhere[i] else None for i in range(len(col))])
               for c, col in enumerate(columns)]
    counts = [[Cell(None if h[i] else col[i], h[i]) for col, h in zip(columns, hiddens, strict=True)]
              for i in range(len(groups))]
    measure_cells: list[list[Cell]] = [[] for _ in groups]
    giveaway = []
    for j, x in enumerate(measure_ids):
        cells, gives_away = _measure_cells([r[j] for r in results], x, hiddens[0], elsewhere, k)
        if gives_away:
            giveaway.append(x)
        for i, cell in enumerate(cells):
            measure_cells[i].append(cell)
    rows = tuple(BreakdownRow(group=g, label=lab, counts=tuple(counts[i]), measures=tuple(measure_cells[i]))
                 for i, (g, lab) in enumerate(groups))
    totals = _totals(columns, k)
    names = ("Participants",) if others is None else ("Mentees", "Mentors")
    return Breakdown(dimension=dimension, label=label, columns=names, measures=tuple(measure_ids), rows=rows,
                     totals=totals, overall_hidden=tuple(giveaway))


def _measure_cells(column: list[m.Result], x: str, seeker_hidden: list[str | None], elsewhere: list[set[str]],
                   k: int) -> tuple[list[Cell], bool]:
    """One measure's cell in each group's row, suppressed; and whether its overall value would give a hidden
    cell away."""
    sizes = [r.n if r.value is not None else 0 for r in column]
    # a rate on a hidden number of mentees could give that number back: hidden with it
    already = [(seeker_hidden[i] or (PRIMARY if x in elsewhere[i] else None)) if sizes[i] else None
               for i in range(len(column))]
    hidden, gives_away = suppress_measure(sizes, [r.value for r in column], [r.weight for r in column],
                                          k, _scale(x), already)
    cells = [Cell(None, hidden[i] or seeker_hidden[i]) if hidden[i] or (seeker_hidden[i] and r.value is None)
             else Cell(r.value) for i, r in enumerate(column)]
    return cells, gives_away


def merge_small(order: list[str], mentees: Mapping[str, int], k: int) -> tuple[list[str], list[str]]:
    """(groups shown as their own row, groups counted under "Other"): every row ends with k mentees or more.

    A group with fewer than k mentees goes into Other; while Other has fewer
    than k mentees (none included: a row of mentors only would still say its
    mentors are there), the shown group with the fewest mentees (the later
    one on ties) joins it. So every row a reader sees exists because of k or
    more mentees, and its existence says nothing about any smaller number.
    """
    shown = [g for g in order if mentees[g] >= k]
    other = [g for g in order if mentees[g] < k]
    while other and sum(mentees[g] for g in other) < k and shown:
        smallest = min(reversed(shown), key=lambda g: mentees[g])
        shown.remove(smallest)
        other.append(smallest)
    return shown, [g for g in order if g in other]


def _snapshot(ctx: Context, dim: str) -> tuple[dict[str, Participant], str] | None:
    """The people a breakdown counts, and a note: self-reported answers only of people enrolled by the start.

    One colleague joining later would otherwise change one group by one and
    give their answer away; before the start nothing is fixed yet, so nothing
    is shown.
    """
    if dim not in SELF_REPORTED:
        return ctx.members, ""
    start = ctx.program.timeline.start
    if ctx.as_of is None or ctx.as_of < start:
        return None
    people = {x: p for x, p in ctx.members.items() if p.joined is None or p.joined <= start}
    return people, f"Counts the people enrolled by the program start, {long_date(start)}."


def _totals(columns: list[list[int]], k: int) -> tuple[Cell, ...]:
    return tuple(Cell(sum(col)) if sum(col) >= k else Cell(None, PRIMARY if sum(col) else None) for col in columns)


def program_breakdowns(ctx: Context) -> tuple[Breakdown, ...]:
    k = ctx.min_group_size
    measure_ids = tuple(x for x in BREAKDOWN_MEASURES if x != RETENTION or ctx.program.comparison)
    out = []
    for dim, label in DIMENSIONS.items():
        snapshot = _snapshot(ctx, dim)
        if snapshot is None:
            continue
        people, note = snapshot
        by_group: dict[str, list[Participant]] = {}
        for p in people.values():
            by_group.setdefault(_group_of(p, dim), []).append(p)
        if not by_group or (dim in SELF_REPORTED and set(by_group) == {NOT_GIVEN}):
            continue
        out.append(_dimension_breakdown(ctx, dim, label, people, note, by_group, measure_ids, k))
    return tuple(out)


_Group = tuple[str, str, list[Participant]]  # (group, its label, its people)


def _dimension_breakdown(ctx: Context, dim: str, label: str, people: dict[str, Participant], note: str,
                         by_group: dict[str, list[Participant]], measure_ids: tuple[str, ...], k: int) -> Breakdown:
    """The breakdown of the program by one dimension: its groups of k mentees or more, the rest as Other."""
    groups, other, mentees = _groups(ctx, dim, by_group, k)
    seekers = [{p.pseudonym for p in members} & ctx.seekers for _, _, members in groups]
    others = None if ctx.peer else [len(members) - len(s) for (_, _, members), s in zip(groups, seekers, strict=True)]
    results = [[_function(x)(ctx, s) for x in measure_ids] for s in seekers]
    b = _table(dim, label, [(g, lab) for g, lab, _ in groups], [len(s) for s in seekers], others,
               results, measure_ids, k)
    if not groups:  # no rows; the totals still describe everyone counted
        counted = len(people.keys() & ctx.seekers)
        b = replace(b, totals=_totals([[counted]] if ctx.peer else [[counted], [len(people) - counted]], k))
    note = " ".join(x for x in (note, _other_note(dim, [mentees[g] for g in other], k)) if x)
    return replace(b, note=note)


def _groups(ctx: Context, dim: str, by_group: dict[str, list[Participant]],
            k: int) -> tuple[list[_Group], list[str], dict[str, int]]:
    """The rows (none when one row would be the whole program), the groups merged into Other, and each group's
    number of mentees."""
    order = _ordered(ctx.ws, dim, set(by_group))
    mentees = {g: len({p.pseudonym for p in by_group[g]} & ctx.seekers) for g in order}
    shown, other = merge_small(order, mentees, k)
    groups = [(g, _label(ctx.ws, dim, g), by_group[g]) for g in shown]
    if other:
        groups.append((OTHER, _other_label(dim), [p for g in other for p in by_group[g]]))
    if len(groups) < 2:  # one row is the whole program: nothing to compare
        groups, other = [], []
    return groups, other, mentees


def _other_label(dim: str) -> str:
    return OTHER_LABELS.get(dim, "Other answers")


def _other_note(dim: str, merged: list[int], k: int) -> str:
    """What the Other row holds; `merged`: the mentees of each group in it."""
    if not merged:
        return ""
    text = f'"{_other_label(dim)}" counts together every group of fewer than {k} mentees'
    if any(n >= k for n in merged):
        text += f", and the next smallest so that it holds at least {k}"
    return text + "."


def skill_changes(ctx: Context) -> tuple[SkillChange, ...]:
    """Pre/post proficiency per skill, hidden where fewer than min_group_size people rated it twice."""
    rows = m.skill_pairs(ctx) if ctx.ratings_closed() else []
    skills = sorted({r[1] for r in rows})
    if not skills:
        return ()
    labels = {s.id: s.label for s in ctx.ws.vocabulary.skills} if ctx.ws.vocabulary else {}
    per = {s: [r for r in rows if r[1] == s] for s in skills}
    sizes = [len(per[s]) for s in skills]
    changes = [sum(r[3] - r[2] for r in per[s]) / len(per[s]) for s in skills]
    # the overall proficiency change pools every skill: its ends would give hidden skills away
    hidden, _ = suppress_measure(sizes, changes, [float(n) for n in sizes], ctx.min_group_size, SCALE_ENDS["change"])
    out = []
    for s, n, h in zip(skills, sizes, hidden, strict=True):
        before = sum(r[2] for r in per[s]) / n
        after = sum(r[3] for r in per[s]) / n
        out.append(SkillChange(
            skill=s, label=labels.get(s, s),
            n=Cell(None if h else n, h), before=Cell(None if h else before, h),
            after=Cell(None if h else after, h), change=Cell(None if h else after - before, h)))
    return tuple(out)


def format_table(contexts: list[Context], hidden: Mapping[str, frozenset[str]]) -> Breakdown | None:
    """Programs compared by format (enrolments: a person in two programs counts twice), pooled and suppressed.

    `hidden[program]`: what that program's own page hides (measure ids, and
    "count:0" / "count:1" for its mentee or mentor total). A format's figure
    pools its programs', so a program's hidden figure would come back from it
    (minus the other programs' published figures, or alone when the format
    has one program): such a format cell is hidden too. `contexts`: every program's, by program id.
    """
    if not contexts:
        return None
    k = max(c.min_group_size for c in contexts)
    formats = sorted({c.program.format.value for c in contexts})
    seekers, others, results, already = [], [], [], []
    for f in formats:
        ctxs = [c for c in contexts if c.program.format.value == f]
        seekers.append(sum(len(c.seekers) for c in ctxs))
        others.append(sum(len(c.members) - len(c.seekers) for c in ctxs))
        already.append({x for c in ctxs for x in hidden.get(c.pid, frozenset())})
        results.append([_pooled(x, ctxs) for x in FORMAT_MEASURES])
    return _table("format", "Format", [(f, f) for f in formats], seekers, others, results, FORMAT_MEASURES, k,
                  already)


def _pooled(x: str, ctxs: list[Context]) -> m.Result:
    """Measure `x` over several programs: their values' mean, weighted as each program weighs its value."""
    parts = [(r.value, r) for r in (_function(x)(c, c.seekers) for c in ctxs) if r.value is not None and r.weight]
    weight = sum(r.weight for _, r in parts)
    if weight:
        mean = sum(value * r.weight for value, r in parts) / weight
        return m.Result(mean, sum(r.n for _, r in parts), weight)
    return m.NONE


__all__ = ["LABELS", "PRIMARY", "RETENTION", "SECONDARY", "format_table", "program_breakdowns", "skill_changes"]
