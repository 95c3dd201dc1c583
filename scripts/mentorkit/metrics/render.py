"""Text, JSON and Markdown of measures, for the CLI and the CI summary.

Deterministic: measures in the order of `config.Metric`, groups in a fixed
order, JSON keys sorted, floats rounded to 4 decimals. The attention list
(pseudonyms) is included only when asked for: it is for the coordinator.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..text.markdown import table
from .breakdowns import LABELS
from .model import DEFINITIONS, SUPPRESSED, Breakdown, BreakdownRow, Cell, Measure, ProgramMetrics

DECIMALS = 4
LEVEL_TITLE = {"process": "Process", "reaction": "Level 1, reaction", "learning": "Level 2, learning",
               "behaviour": "Level 3, behaviour", "results": "Level 4, results"}
STATUS_TEXT = {"met": "met", "not-met": "not met", "on-track": "on track", "too-early": "too early",
               "no-target": "no target", "no-data": "no data", "suppressed": "hidden"}


def _trim(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") else text


def format_value(unit: str, value: float | None, currency: str | None = None) -> str:
    """A value as people read it: 92.5%, +0.85, +33, +5.2 points, 525%, 14 days."""
    if value is None:
        return "no data"
    if unit == "share":
        return f"{_trim(value * 100, 1)}%"
    if unit == "days":
        return f"{_trim(value, 1)} days"
    if unit in ("per_month", "score"):
        return f"{value:.2f}"
    if unit == "nps":
        v = round(value)
        return f"{v:+d}" if v else "0"
    if unit == "change":
        return f"{value:+.2f}" if round(value, 2) else "0.00"
    if unit == "points":
        points = value * 100
        return f"{points:+.1f} points" if round(points, 1) else "0.0 points"
    if unit == "percent":
        return f"{_trim(value, 0)}%"
    if unit == "money":
        sign = "-" if round(value) < 0 else ""
        return f"{sign}{currency + ' ' if currency else ''}{abs(value):,.0f}"
    return _trim(value, 2)


def measure_value(m: Measure, currency: str | None = None) -> str:
    """The value as shown; `currency` names the unit of a money measure (the program's `roi.currency`)."""
    return "hidden" if m.status == SUPPRESSED else format_value(m.unit, m.value, currency)


def measure_target(m: Measure, currency: str | None = None) -> str:
    return "—" if m.target is None else format_value(m.unit, m.target, currency)


def measure_label(measure_id: str) -> str:
    if measure_id in LABELS:
        return LABELS[measure_id]
    for metric, d in DEFINITIONS.items():
        if metric.value == measure_id:
            return d.label
    return measure_id


def measure_unit(measure_id: str) -> str:
    for metric, d in DEFINITIONS.items():
        if metric.value == measure_id:
            return d.unit
    return "share"


def cell_text(cell: Cell, unit: str = "count") -> str:
    if cell.hidden:
        return "hidden"
    if cell.value is None:
        return "no data"
    if unit == "count":
        return str(int(cell.value))
    return format_value(unit, cell.value)


def _as_list(results: ProgramMetrics | Sequence[ProgramMetrics]) -> list[ProgramMetrics]:
    return [results] if isinstance(results, ProgramMetrics) else list(results)


# --- text ---------------------------------------------------------------------------------------------------------


def to_text(results: ProgramMetrics | Sequence[ProgramMetrics], *, attention: bool = True,
            breakdowns: bool = False, formats: Breakdown | None = None) -> str:
    out: list[str] = []
    for pm in _as_list(results):
        out += _program_text(pm, attention, breakdowns) + [""]
    if formats is not None:
        out += ["Programs by format", ""] + _breakdown_text(formats) + [""]
    return "\n".join(out).rstrip() + "\n"


def _program_text(pm: ProgramMetrics, attention: bool, breakdowns: bool) -> list[str]:
    out = [f"{pm.title} ({pm.program})",
           f"Records up to {pm.as_of or 'no records yet'}; groups under {pm.min_group_size} people are hidden; "
           f"pairs from the {'match proposal' if pm.pairs_source == 'proposal' else 'check-ins'}."]
    width = max(len(m.label) for m in pm.measures)
    level = None
    for m in pm.measures:
        if m.level != level:
            level = m.level
            out += ["", LEVEL_TITLE[level]]
        line = (f"  {m.label:<{width}}  {measure_value(m, pm.currency):>14}  target "
                f"{measure_target(m, pm.currency):>12}  "
                f"{STATUS_TEXT[m.status]:<9}  n={m.n}")
        out.append(line.rstrip())
        if m.note:
            out.append(f"  {'':<{width}}  {m.note}")
    if breakdowns:
        for b in pm.breakdowns:
            out += ["", f"By {b.label.lower()}"] + _breakdown_text(b)
    if attention:
        out += ["", f"Pairs needing attention (coordinator only): {len(pm.attention)}"]
        for a in pm.attention:
            out.append(f"  {a.mentee} with {a.mentor or 'no mentor'}: " + "; ".join(a.details))
    return out


def _measure_rows(b: Breakdown) -> list[BreakdownRow]:
    """Rows of the measures table: groups with mentees (a group without any has nothing to measure)."""
    return [r for r in b.rows if not (r.counts[0].value == 0 and not r.counts[0].hidden)]


def _breakdown_text(b: Breakdown) -> list[str]:
    header = ["Group", *b.columns]
    rows = [[r.label, *(cell_text(c) for c in r.counts)] for r in b.rows]
    rows.append(["Total", *(cell_text(c) for c in b.totals)])
    out = ([f"  {b.note}"] if b.note else []) + _aligned(header, rows)
    if b.measures:
        header = ["Group (mentees)", *(measure_label(x) for x in b.measures)]
        rows = [[r.label, *(cell_text(c, measure_unit(x)) for c, x in zip(r.measures, b.measures, strict=True))]
                for r in _measure_rows(b)]
        out += [""] + _aligned(header, rows)
    return out


def _aligned(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    return ["  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]


# --- JSON ---------------------------------------------------------------------------------------------------------


def _num(x: float | str | None) -> float | str | None:
    if isinstance(x, float):
        r = round(x, DECIMALS)
        return 0.0 if r == 0 else r
    return x


def _cell(c: Cell) -> float | str | None:
    return "hidden" if c.hidden else _num(c.value)


def measure_dict(m: Measure) -> dict[str, Any]:
    return {"id": m.id, "label": m.label, "value": _num(m.value), "unit": m.unit, "target": _num(m.target),
            "status": m.status, "n": m.n, "level": m.level, "leading": m.leading, "note": m.note,
            "goal": m.goal, "interim": m.interim, "detail": {k: _num(v) for k, v in m.detail}}


def breakdown_dict(b: Breakdown) -> dict[str, Any]:
    return {
        "dimension": b.dimension, "label": b.label, "columns": list(b.columns), "measures": list(b.measures),
        "rows": [{"group": r.group, "label": r.label, "counts": [_cell(c) for c in r.counts],
                  "measures": {x: _cell(c) for x, c in zip(b.measures, r.measures, strict=True)}} for r in b.rows],
        "totals": [_cell(c) for c in b.totals], "note": b.note,
    }


def program_dict(pm: ProgramMetrics, attention: bool = True) -> dict[str, Any]:
    out = {
        "program": pm.program, "title": pm.title, "as_of": pm.as_of.isoformat() if pm.as_of else None,
        "min_group_size": pm.min_group_size, "currency": pm.currency, "pairs_source": pm.pairs_source,
        "measures": [measure_dict(m) for m in pm.measures],
        "breakdowns": [breakdown_dict(b) for b in pm.breakdowns],
        "skills": [{"skill": s.skill, "label": s.label, "n": _cell(s.n), "before": _cell(s.before),
                    "after": _cell(s.after), "change": _cell(s.change)} for s in pm.skills],
        "monthly_meetings": dict(pm.monthly_meetings),
        "nps_mix": {k: _num(v) for k, v in pm.nps_mix},
    }
    if attention:
        out["attention"] = [{"mentee": a.mentee, "mentor": a.mentor, "reasons": list(a.reasons),
                             "details": list(a.details),
                             "last_checkin": a.last_checkin.isoformat() if a.last_checkin else None}
                            for a in pm.attention]
    return out


def to_json(results: ProgramMetrics | Sequence[ProgramMetrics], *, attention: bool = True,
            formats: Breakdown | None = None) -> str:
    if isinstance(results, ProgramMetrics) and formats is None:
        data = program_dict(results, attention)
    else:
        data = {"programs": [program_dict(pm, attention) for pm in _as_list(results)]}
        if formats is not None:
            data["formats"] = breakdown_dict(formats)
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- Markdown (CI summary) ----------------------------------------------------------------------------------------


def to_markdown(results: ProgramMetrics | Sequence[ProgramMetrics], *, attention: bool = True,
                breakdowns: bool = False, formats: Breakdown | None = None) -> str:
    out: list[str] = []
    for pm in _as_list(results):
        out += [f"## {pm.title}", "",
                f"Records up to {pm.as_of or 'no records yet'}. Groups under {pm.min_group_size} people are hidden.", ""]
        rows = [[LEVEL_TITLE[m.level], m.label, measure_value(m, pm.currency), measure_target(m, pm.currency),
                 STATUS_TEXT[m.status], m.n, m.note]
                for m in pm.measures]
        out += [table(["Level", "Measure", "Value", "Target", "Status", "n", "Note"], rows), ""]
        if breakdowns:
            for b in pm.breakdowns:
                out += [f"### By {b.label.lower()}", "", breakdown_markdown(b), ""]
        if attention:
            out += [f"### Pairs needing attention ({len(pm.attention)})", ""]
            if pm.attention:
                out += [table(["Mentee", "Mentor", "Why", "Last check-in"],
                                 [[a.mentee, a.mentor or "—", "; ".join(a.details), a.last_checkin or "never"]
                                  for a in pm.attention]), ""]
            else:
                out += ["None: every current pair is meeting and on track.", ""]
    if formats is not None:
        out += ["## Programs by format", "", breakdown_markdown(formats), ""]
    return "\n".join(out).rstrip() + "\n"


def breakdown_markdown(b: Breakdown) -> str:
    """The count table (with column totals) and the measures table of one breakdown."""
    rows = [[r.label, *(cell_text(c) for c in r.counts)] for r in b.rows]
    rows.append(["Total", *(cell_text(c) for c in b.totals)])
    parts = ([b.note, ""] if b.note else []) + [table([b.label, *b.columns], rows)]
    mrows = [[r.label, *(cell_text(c, measure_unit(x)) for c, x in zip(r.measures, b.measures, strict=True))]
             for r in _measure_rows(b)]
    if b.measures and mrows:
        parts += ["", table([f"{b.label}: {b.columns[0].lower()}", *(measure_label(x) for x in b.measures)],
                               mrows)]
    return "\n".join(parts)


# The readable formats take the same options; JSON always carries the breakdowns and has no `breakdowns` switch.
READABLE_FORMATS = {"text": to_text, "markdown": to_markdown}
FORMATS = {"text": to_text, "json": to_json, "markdown": to_markdown}
