"""Measures of one program against its targets, with breakdowns, charts' data and the attention list."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import replace

from ..model import Metric, Program, Workspace
from .attention import attention as attention_items
from .breakdowns import RETENTION, format_table, program_breakdowns, skill_changes
from .context import RECORD_DATE, Context, build, rows_by_program
from .measures import FUNCTIONS
from .model import (
    DEFINITIONS,
    FRACTION_UNITS,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_MET,
    ON_TRACK,
    SUPPRESSED,
    TOO_EARLY,
    Breakdown,
    Measure,
    ProgramMetrics,
    Status,
    shown,
)

TOLERANCE = 1e-9
ONE_DAY = dt.timedelta(days=1)


def target_for(program: Program, metric: Metric) -> tuple[float | None, str | None]:
    """(target, goal id): the first goal measured by `metric`, else program.targets; shares accept 0.8 or 80."""
    target, goal = None, None
    for g in program.goals:
        if g.metric == metric:
            target, goal = g.target, g.id
            break
    else:
        target = program.targets.get(metric)
    return normalize_target(metric, target), goal


def normalize_target(metric: Metric, target: float | None) -> float | None:
    """Shares and percentage points as fractions: a target of 80 for a share means 0.8."""
    if target is not None and DEFINITIONS[metric].unit in FRACTION_UNITS and abs(target) > 1:
        return target / 100
    return target


def status_of(metric: Metric, value: float | None, target: float | None, interim: bool = False) -> Status:
    """met or not met, on the value as shown; for an interim value (not due yet) on track or too early."""
    if value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    value = shown(DEFINITIONS[metric].unit, value)
    if DEFINITIONS[metric].higher_is_better:
        met = value >= target - TOLERANCE
    else:
        met = value <= target + TOLERANCE
    if interim:
        return ON_TRACK if met else TOO_EARLY
    return MET if met else NOT_MET


# A group's own retention (a breakdown column) is part of these program figures.
GIVES_AWAY = {RETENTION: (Metric.RETENTION_DIFFERENCE.value, Metric.ROI_PERCENT.value)}
# Measures that bound each other: promoted within 12 months <= within 18 months, for every group. "18 months: 0%"
# gives a hidden 12-month figure away (0%), and "12 months: 100%" a hidden 18-month one: shown together or not at all.
NESTED: tuple[tuple[Metric, ...], ...] = ((Metric.PROMOTION_RATE_12M, Metric.PROMOTION_RATE_18M),)


# Measures computed from another one's count: hidden whenever it is (cost per promoted participant divides known
# costs by the promoted, so it would give away an 18-month promotion figure the page hides).
DERIVED: dict[Metric, Metric] = {Metric.COST_PER_PROMOTION: Metric.PROMOTION_RATE_18M}


def hide_nested(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """Hide every measure of a nested family when one of them is hidden, and a derived one with its source."""
    by_id = {m.id: m for m in measures}
    for family in NESTED:
        hidden = [by_id[x.value] for x in family if by_id[x.value].status == SUPPRESSED]
        if not hidden:
            continue
        for x in family:
            m = by_id[x.value]
            if m.status != SUPPRESSED and m.value is not None:
                by_id[x.value] = replace(m, value=None, detail=(), status=SUPPRESSED, note=(
                    f"hidden: it would give away \"{hidden[0].label}\", which is hidden (one bounds the other)"))
    for derived, source in DERIVED.items():
        dm, src = by_id.get(derived.value), by_id.get(source.value)
        if dm is not None and src is not None and src.status == SUPPRESSED and dm.value is not None:
            by_id[derived.value] = replace(dm, value=None, detail=(), status=SUPPRESSED, note=(
                f"hidden: it would give away \"{src.label}\", which is hidden"))
    return tuple(by_id[m.id] for m in measures)


def measure(ctx: Context, metric: Metric, gives_away: frozenset[str] = frozenset()) -> Measure:
    """One measure against its target; `gives_away`: measures whose value would reveal a hidden group."""
    d = DEFINITIONS[metric]
    r = FUNCTIONS[metric](ctx)
    target, goal = target_for(ctx.program, metric)
    value, note, detail = r.value, r.note, r.detail
    if value is not None and 0 < r.n < ctx.min_group_size:
        value, detail = None, ()
        status = SUPPRESSED
        note = f"hidden: fewer than {ctx.min_group_size} people"
    elif value is not None and metric.value in gives_away:
        value, detail = None, ()
        status = SUPPRESSED
        note = ("hidden: every group has the same value, so it would give away the value of the groups "
                f"under {ctx.min_group_size} people")
    else:
        status = status_of(metric, value, target, r.interim)
    return Measure(id=metric.value, label=d.label, value=value, unit=d.unit, target=target, status=status, n=r.n,
                   level=d.level, leading=d.leading, note=note, detail=detail, goal=goal, interim=r.interim)


def monthly_meetings(ctx: Context) -> tuple[tuple[str, int], ...]:
    """Check-ins per calendar month, from the program's first month to the as-of month (zeros included)."""
    if ctx.as_of is None or ctx.as_of < ctx.program.timeline.start:
        return ()
    def up_to(day: dt.date) -> int:  # check-ins dated before `day` (they are sorted by date)
        return bisect_left(ctx.checkins, day, key=RECORD_DATE)

    y, mo = ctx.program.timeline.start.year, ctx.program.timeline.start.month
    out = []
    while (y, mo) <= (ctx.as_of.year, ctx.as_of.month):
        following = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
        out.append((f"{y:04d}-{mo:02d}", up_to(min(following, ctx.as_of + ONE_DAY)) - up_to(dt.date(y, mo, 1))))
        y, mo = following.year, following.month
    return tuple(out)


def program_metrics(ws: Workspace, program_id: str, *, attention: bool = True) -> ProgramMetrics:
    """Every measure of one program. `attention=False` leaves out the coordinator-only list of pairs."""
    return context_metrics(build(ws, program_id), attention=attention)


def context_metrics(ctx: Context, *, attention: bool = True) -> ProgramMetrics:
    """Every measure of the program whose context is `ctx` (`program_metrics`)."""
    program_id = ctx.pid
    breakdowns = program_breakdowns(ctx)
    gives_away = frozenset(y for b in breakdowns for x in b.overall_hidden for y in GIVES_AWAY.get(x, (x,)))
    measures = hide_nested(tuple(measure(ctx, metric, gives_away) for metric in Metric))
    nps = next(x for x in measures if x.id == Metric.NPS.value)
    return ProgramMetrics(
        program=program_id,
        title=ctx.program.title,
        as_of=ctx.as_of,
        min_group_size=ctx.min_group_size,
        currency=ctx.program.roi.currency if ctx.program.roi else None,
        measures=measures,
        breakdowns=breakdowns,
        skills=skill_changes(ctx),
        monthly_meetings=monthly_meetings(ctx),
        nps_mix=tuple((part, float(share)) for part, share in nps.detail) if nps.value is not None else (),
        attention=attention_items(ctx) if attention else (),
        pairs_source=ctx.pairs_source,
    )


def all_metrics(ws: Workspace, *, attention: bool = True) -> list[ProgramMetrics]:
    return [context_metrics(ctx, attention=attention) for ctx in contexts(ws)]


def contexts(ws: Workspace) -> list[Context]:
    """Every program's context, by program id: built once for a report's measures and its format breakdown."""
    by_program = rows_by_program(ws)
    return [build(ws, pid, by_program) for pid in sorted(ws.programs)]


def hidden_figures(pm: ProgramMetrics) -> frozenset[str]:
    """What a program's own page hides: measure ids, and "count:<column>" for a hidden column total."""
    out = {m.id for m in pm.measures if m.status == SUPPRESSED}
    if pm.breakdowns:
        out |= {f"count:{c}" for c, cell in enumerate(pm.breakdowns[0].totals) if cell.hidden}
    return frozenset(out)


def format_breakdown(ws: Workspace, results: list[ProgramMetrics] | None = None,
                     built: list[Context] | None = None) -> Breakdown | None:
    """Programs compared by format, hiding what would give back a figure a program's own page hides.

    `built`: every program's context (`contexts`), when the caller has them already.
    """
    built = built if built is not None else contexts(ws)
    results = results if results is not None else [context_metrics(ctx, attention=False) for ctx in built]
    return format_table(built, {pm.program: hidden_figures(pm) for pm in results})
