"""Level 1-4 measures of a program, ROI, breakdowns with small-cell suppression, and pairs needing attention.

    from mentorkit.metrics import program_metrics, to_text
    pm = program_metrics(ws, "grow")           # ProgramMetrics: measures, breakdowns, attention
    print(to_text(pm))

Every measure is defined once, in `measures`, and explained in docs/metrics.md.
The attention list names pseudonyms: it is for the coordinator (CLI, CI
summary), never for the published site; `program_metrics(..., attention=False)`
leaves it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..model import Workspace
from .compute import (
    all_metrics,
    context_metrics,
    contexts,
    format_breakdown,
    normalize_target,
    program_metrics,
    status_of,
    target_for,
)
from .context import DAYS_PER_MONTH, INTERVAL_DAYS, QUIET_FACTOR
from .model import (
    DEFINITIONS,
    AttentionItem,
    Breakdown,
    BreakdownRow,
    Cell,
    Definition,
    Measure,
    ProgramMetrics,
    SkillChange,
)
from .render import FORMATS, READABLE_FORMATS, format_value, to_json, to_markdown, to_text
from .suppression import SuppressedTable, suppress, suppress_column


def report(ws: Workspace, program: str | None = None, fmt: str = "text", *, attention: bool = True,
           breakdowns: bool = False) -> str:
    """What `mentorkit metrics [PROGRAM] --format text|json|markdown` prints.

    Without a program: every program, then programs compared by format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(sorted(FORMATS))}")
    results: ProgramMetrics | list[ProgramMetrics]
    if program is not None:
        results = program_metrics(ws, program, attention=attention)
        formats = None
    else:
        built = contexts(ws)
        results = [context_metrics(ctx, attention=attention) for ctx in built]
        formats = format_breakdown(ws, results, built)
    if fmt == "json":
        return to_json(results, attention=attention, formats=formats)
    return READABLE_FORMATS[fmt](results, attention=attention, breakdowns=breakdowns, formats=formats)


def needs_attention(ws: Workspace, program: str | None = None) -> int:
    """How many pairs need attention, in one program or all (cheap: no measures computed; for an exit code)."""
    pids = [program] if program else sorted(ws.programs)
    return sum(len(pairs_needing_attention(ws, pid)) for pid in pids)


def pairs_needing_attention(ws: Workspace, program: str, as_of: dt.date | None = None) -> tuple[AttentionItem, ...]:
    """The pairs of one program that need attention on `as_of` (default: its latest record); no measures computed."""
    from .attention import attention
    from .context import build

    ctx = build(ws, program)
    return attention(ctx if as_of is None else replace(ctx, as_of=as_of))


__all__ = [
    "DAYS_PER_MONTH",
    "DEFINITIONS",
    "FORMATS",
    "INTERVAL_DAYS",
    "QUIET_FACTOR",
    "AttentionItem",
    "Breakdown",
    "BreakdownRow",
    "Cell",
    "Definition",
    "Measure",
    "ProgramMetrics",
    "SkillChange",
    "SuppressedTable",
    "all_metrics",
    "format_breakdown",
    "format_value",
    "needs_attention",
    "normalize_target",
    "pairs_needing_attention",
    "program_metrics",
    "report",
    "status_of",
    "suppress",
    "suppress_column",
    "target_for",
    "to_json",
    "to_markdown",
    "to_text",
]
