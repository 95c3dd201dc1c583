"""Measures by group (department, level, self-reported demographics; format across programs), suppressed.

Each breakdown is two tables that share their rows: people by role (counts,
suppressed with `suppression.suppress`), and a few measures per group (hidden
when computed on fewer than min_group_size people, when the group's count is
hidden, and where needed so that no hidden value follows from the others).
Pair measures follow the mentee's group.
"""

from __future__ import annotations

from typing import Callable

from ..config import Metric
from ..workspace import Participant, Workspace
from . import measures as m
from .context import Context, build
from .model import Breakdown, BreakdownRow, Cell, SkillChange
from .suppression import PRIMARY, SECONDARY, suppress, suppress_column

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
ROLES = {"mentee": "Mentees", "mentor": "Mentors", "both": "Mentor and mentee"}
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


def _function(measure: str) -> Callable:
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


def _table(dimension: str, label: str, groups: list[tuple[str, str]], people: list[list[Participant]],
           results: list[list[m.Result]], measure_ids: tuple[str, ...], k: int) -> Breakdown:
    """Assemble and suppress one breakdown: `people[i]` are group i's members, `results[i][j]` measure j for it."""
    roles = [r for r in ROLES if any(p.role == r for ps in people for p in ps)]
    counts = [[sum(1 for p in ps if p.role == r) for r in roles] for ps in people]
    table = suppress(counts, k)
    row_hidden = list(table.row_hidden)
    measure_cells: list[list[Cell]] = [[] for _ in groups]
    for j, _ in enumerate(measure_ids):
        sizes = [results[i][j].n if results[i][j].value is not None else 0 for i in range(len(groups))]
        already = [row_hidden[i] if sizes[i] else None for i in range(len(groups))]
        hidden = suppress_column(sizes, k, already)
        for i in range(len(groups)):
            r = results[i][j]
            if hidden[i] or (row_hidden[i] and r.value is None):
                measure_cells[i].append(Cell(None, hidden[i] or row_hidden[i]))
            else:
                measure_cells[i].append(Cell(r.value))
    rows = tuple(
        BreakdownRow(group=g, label=lab,
                     counts=tuple(Cell(None if h else v, h) for v, h in zip(table.cells[i], table.cell_hidden[i])),
                     total=Cell(None if row_hidden[i] else table.row_totals[i], row_hidden[i]),
                     measures=tuple(measure_cells[i]))
        for i, (g, lab) in enumerate(groups))
    return Breakdown(
        dimension=dimension, label=label, columns=tuple(ROLES[r] for r in roles), measures=tuple(measure_ids),
        rows=rows,
        totals=tuple(Cell(None if h else v, h) for v, h in zip(table.col_totals, table.col_hidden)),
        total=Cell(None if table.total_hidden else table.total, table.total_hidden))


def program_breakdowns(ctx: Context) -> tuple[Breakdown, ...]:
    ws, k = ctx.ws, ctx.min_group_size
    measure_ids = tuple(x for x in BREAKDOWN_MEASURES if x != RETENTION or ctx.program.comparison)
    out = []
    for dim, label in DIMENSIONS.items():
        by_group: dict[str, list[Participant]] = {}
        for p in ctx.members.values():
            by_group.setdefault(_group_of(p, dim), []).append(p)
        if not by_group or (dim in SELF_REPORTED and set(by_group) == {NOT_GIVEN}):
            continue
        order = _ordered(ws, dim, set(by_group))
        people = [by_group[g] for g in order]
        results = [[_function(x)(ctx, {p.pseudonym for p in ps}) for x in measure_ids] for ps in people]
        out.append(_table(dim, label, [(g, _label(ws, dim, g)) for g in order], people, results, measure_ids, k))
    return tuple(out)


def skill_changes(ctx: Context) -> tuple[SkillChange, ...]:
    """Pre/post proficiency per skill, hidden where fewer than min_group_size people rated it twice."""
    rows = m.skill_pairs(ctx)
    skills = sorted({r[1] for r in rows})
    if not skills:
        return ()
    labels = {s.id: s.label for s in ctx.ws.vocabulary.skills} if ctx.ws.vocabulary else {}
    per = {s: [r for r in rows if r[1] == s] for s in skills}
    sizes = [len(per[s]) for s in skills]
    hidden = suppress_column(sizes, ctx.min_group_size)
    out = []
    for s, n, h in zip(skills, sizes, hidden):
        before = sum(r[2] for r in per[s]) / n
        after = sum(r[3] for r in per[s]) / n
        out.append(SkillChange(
            skill=s, label=labels.get(s, s),
            n=Cell(None if h else n, h), before=Cell(None if h else before, h),
            after=Cell(None if h else after, h), change=Cell(None if h else after - before, h)))
    return tuple(out)


def format_breakdown(ws: Workspace) -> Breakdown | None:
    """Programs compared by format (enrolments, so a person in two programs counts twice), pooled and suppressed."""
    if not ws.programs:
        return None
    contexts = [build(ws, pid) for pid in sorted(ws.programs)]
    k = max(c.min_group_size for c in contexts)
    formats = sorted({c.program.format.value for c in contexts})
    people, results = [], []
    for f in formats:
        ctxs = [c for c in contexts if c.program.format.value == f]
        people.append([p for c in ctxs for p in c.members.values()])
        row = []
        for x in FORMAT_MEASURES:
            parts = [_function(x)(c) for c in ctxs]
            parts = [r for r in parts if r.value is not None and r.weight]
            weight = sum(r.weight for r in parts)
            if weight:
                row.append(m.Result(sum(r.value * r.weight for r in parts) / weight, sum(r.n for r in parts), weight))
            else:
                row.append(m.NONE)
        results.append(row)
    return _table("format", "Format", [(f, f) for f in formats], people, results, FORMAT_MEASURES, k)


__all__ = ["program_breakdowns", "skill_changes", "format_breakdown", "PRIMARY", "SECONDARY", "LABELS", "RETENTION"]
