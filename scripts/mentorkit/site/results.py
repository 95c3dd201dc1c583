"""The public results page of one program: measures against targets, charts, breakdowns.

Pure function of the Workspace (no clock, no MkDocs). Only aggregates reach
this page: the coordinator's list of pairs needing attention is never
computed here, figures on fewer than the program's min_group_size people are
hidden, and breakdown tables are suppressed so that no hidden figure can be
worked out from the totals.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from ..metrics import Measure, ProgramMetrics, format_value, program_metrics, status_of
from ..metrics.compute import context_metrics, normalize_target
from ..metrics.context import Context
from ..metrics.model import NO_DATA, SUPPRESSED, Breakdown, Cell
from ..metrics.render import (
    STATUS_TEXT,
    _measure_rows,
    cell_text,
    measure_label,
    measure_target,
    measure_unit,
    measure_value,
)
from ..model import Metric, Program, Workspace
from ..model.dates import month_end
from ..model.themes import SOURCE_WORDS
from ..repo.themes import rounds_of
from ..text.dates import MONTHS
from ..text.markdown import table
from . import charts
from . import text as t

METRICS_DOC = "metrics.md"
SHARE_CHART = (Metric.PARTICIPATION_RATE, Metric.MATCH_RATE, Metric.ACTIVE_PAIR_SHARE, Metric.COMPLETION_RATE,
               Metric.GOAL_ACHIEVEMENT_RATE, Metric.PROMOTION_RATE_12M, Metric.PROMOTION_RATE_18M)
NPS_LABELS = {"promoters": "Promoters (9 to 10)", "passives": "Passives (7 to 8)", "detractors": "Detractors (0 to 6)"}


def results_uri(pid: str) -> str:
    return f"programs/{pid}/results.md"


def render_results_page(ws: Workspace, program_id: str, page_uri: str | None = None,
                        context: Context | None = None) -> str:
    """Markdown of the results page; `page_uri` (docs-relative) makes the link to docs/metrics.md relative;
    `context`: the program's (`metrics.contexts`), when the caller has it already."""
    page = page_uri or results_uri(program_id)
    pm = (program_metrics(ws, program_id, attention=False) if context is None
          else context_metrics(context, attention=False))
    program = ws.program(program_id)
    k = pm.min_group_size
    out = [f"# Results: {t.plain(program.title)}", ""]
    if pm.as_of is None:
        out += ["No records have been added for this program yet: the figures appear once check-ins and "
                "survey answers are in the repository.", ""]
    else:
        out += [f'!!! info "Records up to {t.date(pm.as_of)}"', "",
                f"    These figures use the program's records up to {t.date(pm.as_of)}, the latest date in its "
                "check-ins, surveys, goals and outcomes. They change only when the records do. "
                f"Any figure about fewer than {k} people is hidden, to protect individuals. "
                f"[How each measure is calculated]({t.relative(METRICS_DOC, page)}).", ""]
    out += _headline(pm, program)
    out += _indicators("Leading indicators",
                       "Measured while the program runs; they show early where pairs need support.",
                       [m for m in pm.measures if m.leading], pm.currency)
    out += _indicators("Lagging indicators",
                       "Learning, behaviour and results: they show whether the program worked, and many are "
                       "final only after the program ends.",
                       [m for m in pm.measures if not m.leading], pm.currency)
    out += _retention(pm)
    out += _roi(pm, program)
    out += _themes(ws, program_id, k)
    out += _charts(pm)
    out += _breakdowns(pm)
    return "\n".join(out).rstrip() + "\n"


def _status(m: Measure) -> str:
    return STATUS_TEXT[m.status]


def _headline(pm: ProgramMetrics, program: Program) -> list[str]:
    """Each goal in words, with its result and status side by side (a list: goal statements are too long for a
    table on a phone)."""
    out = ["## Goals", ""]
    for n, g in enumerate(program.goals, start=1):
        m = pm.measure(g.metric.value)
        if m.goal != g.id:  # a second goal on the same measure: its own target and status
            target = normalize_target(g.metric, g.target)
            status = m.status if m.status in (NO_DATA, SUPPRESSED) else status_of(g.metric, m.value, target, m.interim)
            m = replace(m, target=target, status=status, goal=g.id)
        out += [f"{n}. {t.plain(' '.join(g.statement.split()))}", "",
                f"    {t.plain(m.label)}: **{_result(m, pm.currency)}**; target {_target(m, pm.currency)}, by "
                f"{t.date(g.due)}.", ""]
    return out


def _result(m: Measure, currency: str | None = None) -> str:
    """The value and its status together: "94.1% (met)", "hidden", "no data yet"; money in the program's currency."""
    if m.status == SUPPRESSED:
        return "hidden"
    if m.status == NO_DATA or m.value is None:
        return "no data yet"
    status = STATUS_TEXT[m.status]
    value = format_value(m.unit, m.value, currency)
    return value if m.status == "no-target" else f"{value} ({status})"


def _target(m: Measure, currency: str | None) -> str:
    return measure_target(m) if m.target is None else format_value(m.unit, m.target, currency)


_COMMAND = re.compile(r"(:| with| by)?[^;:]*`[^`]*`[^;]*")
_FIELD = re.compile(r"\s*\([a-z_]+:\)")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def plain_note(note: str) -> str:
    """A measure's note as participants and sponsors read it: no commands or field names (those are for the
    coordinator, in `mentorkit metrics`), dates written out."""
    text = _FIELD.sub("", _COMMAND.sub("", note)).strip().rstrip(":;,. ")
    text = _ISO.sub(lambda m: t.date(dt.date(int(m[1]), int(m[2]), int(m[3]))), text)
    text = text.replace("the program file gives no ", "no ").replace("the program file schedules no", "no")
    return text[:1].upper() + text[1:] + "." if text else ""


def _indicators(title: str, intro: str, measures: list[Measure], currency: str | None = None) -> list[str]:
    """A short table of what has a value (value and status side by side), the notes as a list below it,
    and one sentence for every measure without data or hidden."""
    shown = [m for m in measures if m.status not in (NO_DATA, SUPPRESSED) and m.value is not None]
    missing = [m for m in measures if m not in shown]
    out = [f"## {title}", "", intro, ""]
    if shown:
        rows = [[t.plain(m.label) + (f" [{i}]" if m.note else ""), _result(m, currency), _target(m, currency)]
                for i, m in _numbered(shown)]  # three columns: they fit a phone (the levels are in the report)
        out += [table(["Measure", "Result", "Target"], rows), ""]
        out += [f"{i}. {plain_note(m.note)}" for i, m in _numbered(shown) if m.note] + [""]
    hidden = [m for m in missing if m.status == SUPPRESSED]
    empty = [m for m in missing if m.status != SUPPRESSED]
    if hidden:
        out += [f"Hidden because they are about too few people, to protect individuals: {_names(hidden)}.", ""]
    if empty:
        out += [f"No data yet: {_names(empty)}.", ""]
    return out


def _numbered(measures: list[Measure]) -> list[tuple[int, Measure]]:
    """Measures with the number of their note (0 for none), notes counted in order."""
    out, n = [], 0
    for m in measures:
        n += bool(m.note)
        out.append((n if m.note else 0, m))
    return out


def _names(measures: list[Measure]) -> str:
    labels = [t.plain(m.label[0].lower() + m.label[1:]) if not m.label[:3].isupper() else t.plain(m.label)
              for m in measures]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _detail(m: Measure) -> dict[str, Any]:
    """A composite measure's parts by name; each caller knows which parts are numbers."""
    return dict(m.detail)


def _retention(pm: ProgramMetrics) -> list[str]:
    m = pm.measure(Metric.RETENTION_DIFFERENCE.value)
    d = _detail(m)
    if m.value is None or "participant_retention" not in d:
        return []
    rows = [["People mentored in the program", format_value("share", d["participant_retention"])],
            ["Colleagues who did not take part", format_value("share", d["comparison_retention"])],
            ["Difference", format_value("points", m.value)]]
    return ["### Retention", "",
            "Share of people still with the organisation over the comparison period"
            + (", so far" if "interim" in m.note else "") + ".", "",
            table(["Group", "Retained"], rows), ""]


def _roi(pm: ProgramMetrics, program: Program) -> list[str]:
    m = pm.measure(Metric.ROI_PERCENT.value)
    d = _detail(m)
    if program.roi is None:
        return []
    if m.value is None or not d:  # say what is missing rather than leave the section out
        return ["### Return on investment", "", plain_note(m.note) or "No data yet.", "", *_cost_per_promotion(pm)]
    cur = pm.currency

    def money(x: float) -> str:
        return format_value("money", x, cur)

    rows = [
        ["Benefit: fewer leavers to replace", money(d["benefit_retention"])],
        ["Benefit: productivity of participants who completed", money(d["benefit_productivity"])],
        ["**Total benefits**", f"**{money(d['benefits'])}**"],
        ["Cost: staff time, platform, materials and events", money(d["cost_fixed"])],
        ["Cost: participants' time in meetings", money(d["cost_participant_time"])],
        ["**Total costs**", f"**{money(d['costs'])}**"],
        ["**Return on investment**", f"**{measure_value(m)}**"],
    ]
    return ["### Return on investment", "",
            f"ROI = (benefits − costs) ÷ costs × 100, with the program file's assumptions: replacing one leaver "
            f"costs {money(program.roi.replacement_cost)}, and each participant who completes is worth "
            f"{money(program.roi.productivity_value)} in productivity.", "",
            table(["Part", "Amount"], rows), "", *_cost_per_promotion(pm)]


def _cost_per_promotion(pm: ProgramMetrics) -> list[str]:
    """The program's costs per promoted participant, under ROI: the same costs, read against promotions."""
    m = pm.measure(Metric.COST_PER_PROMOTION.value)
    if m.status == SUPPRESSED:
        value = f"hidden, because fewer than {pm.min_group_size} mentees were promoted or the promotion figures are hidden"
    elif m.value is None:
        value = (plain_note(m.note) or "No data yet.").rstrip(".")
    else:
        note = plain_note(m.note).rstrip(".")
        value = f"**{format_value('money', m.value, pm.currency)}**" + (f" ({note[:1].lower()}{note[1:]})" if note
                                                                         else "")
    return [f"**Cost per promoted participant**: {value}. The program's costs divided by the mentees promoted within "
            "18 months of the start.", ""]


def _themes(ws: Workspace, program_id: str, k: int) -> list[str]:
    """The coordinator's reviewed summaries of what people said, the latest round first, each with its source."""
    rounds = rounds_of(ws, program_id)
    if not rounds:
        return []
    out = ["## What participants said", "",
           "Themes the coordinator drew from conversations and open answers, summed up in their own words and "
           f"reviewed before they were published. Each round heard at least {k} people, so that no theme points to "
           "one person.", ""]
    for r in rounds:
        m = r.meta
        out += [f"### {t.plain(m.round.replace('-', ' ').capitalize())}: {SOURCE_WORDS[m.source]}, {t.date(m.date)}",
                "", f"{m.participants} people took part; reviewed by the {t.plain(m.reviewed_by)} on "
                f"{t.date(m.reviewed_on)}.", ""]
        for theme in r.themes:
            out += [f"> **{_literal(theme.title)}.** {_literal(theme.text)}", ""]
    return out


_MARKUP = re.compile(r"([\\`*_\[\]{}!|~])")


def _literal(text: str) -> str:
    """A coordinator's sentence shown exactly as written: no HTML, and no Markdown (emphasis, links, code)."""
    return _MARKUP.sub(r"\\\1", t.plain(text))


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1][:3]} {year}"


def _unfinished_month(pm: ProgramMetrics) -> str | None:
    """The "YYYY-MM" of the last charted month when the records stop before its last day, else None."""
    if pm.as_of is None or not pm.monthly_meetings:
        return None
    key = pm.monthly_meetings[-1][0]
    if key != f"{pm.as_of.year:04d}-{pm.as_of.month:02d}" or pm.as_of == month_end(pm.as_of):
        return None
    return key


def _charts(pm: ProgramMetrics) -> list[str]:
    pid = pm.program
    figures = []
    bars = []
    for metric in SHARE_CHART:
        m = pm.measure(metric.value)
        if m.value is None:
            continue
        bars.append(charts.Bar(m.label, m.value * 100, measure_value(m),
                               target=m.target * 100 if m.target is not None else None,
                               target_text=measure_target(m) if m.target is not None else ""))
    if bars:
        figures.append(charts.figure(
            f"chart-{pid}-rates", "Rates against their targets",
            "Horizontal bars, one per measure, from 0 to 100 percent; a dashed line marks each target.",
            bars, ("Measure", "Result"), scale=(0, 100), suffix="%"))
    meetings = pm.measure(Metric.MEETINGS_PER_PAIR_MONTH.value)
    if meetings.value is not None and any(n for _, n in pm.monthly_meetings):  # not for fewer than k pairs
        current = _unfinished_month(pm)
        bars = [charts.Bar(_month_label(k), n, str(n), partial=k == current) for k, n in pm.monthly_meetings]
        note = (f" The last month, {_month_label(current)}, is not over yet (records up to {t.date(pm.as_of)}), "
                "so its bar is hatched." if current else "")
        figures.append(charts.figure(
            f"chart-{pid}-meetings", "Meetings recorded per month",
            "Horizontal bars, one per month of the program so far, showing the number of check-ins recorded."
            + note, bars, ("Month", "Meetings")))
    changes = [(s.label, s.change.value) for s in pm.skills if s.change.value is not None]
    if changes:
        bars = [charts.Bar(label, change, format_value("change", change)) for label, change in changes]
        figures.append(charts.figure(
            f"chart-{pid}-skills", "Change in self-rated proficiency by skill",
            "Horizontal bars, one per skill, showing the average change from the baseline to the final skills "
            "survey on the 1 to 5 scale; bars to the left of the axis are decreases.",
            bars, ("Skill", "Change")))
    if pm.nps_mix:
        bars = [charts.Bar(NPS_LABELS[k], v * 100, format_value("share", v)) for k, v in pm.nps_mix]
        figures.append(charts.figure(
            f"chart-{pid}-nps", "How likely participants are to recommend the program",
            "Horizontal bars showing the share of promoters, passives and detractors among respondents.",
            bars, ("Answer", "Share of respondents"), scale=(0, 100), suffix="%"))
    if not figures:
        return []
    out = ["## Charts", ""]
    for f in figures:
        out += [f, ""]
    return out


def _breakdowns(pm: ProgramMetrics) -> list[str]:
    k = pm.min_group_size
    if not pm.breakdowns and not pm.skills:
        return []
    out = ["## By group", "",
           "Who takes part, and the same measures for each group of mentees, to see whether the program works "
           "equally well for everyone it mentors. Self-reported fields (gender, age band, under-represented "
           "group) are optional; people who left them empty are counted under 'Not given'.", "",
           '!!! note "Hidden figures"', "",
           f"    A figure marked *hidden* is about fewer than {k} people, or is hidden so that another hidden "
           "figure cannot be worked out from the totals.", ""]
    for b in pm.breakdowns:
        out += [f"### By {b.label[0].lower() + b.label[1:]}", ""]
        out += _breakdown(b, k)
    if pm.skills and all(c.hidden or c.value is None for s in pm.skills for c in (s.before, s.after, s.change)):
        out += ["### Skill proficiency, before and after", "",
                "The skills' figures are all hidden or without data yet, so they are not shown.", ""]
    elif pm.skills:
        rows = [[t.plain(s.label), cell_text(s.n), cell_text(s.before, "score"), cell_text(s.after, "score"),
                 cell_text(s.change, "change")] for s in pm.skills]
        out += ["### Skill proficiency, before and after", "",
                "Self-rated proficiency (1 novice to 5 expert) of people who rated a skill in both the baseline "
                "and the final survey.", "",
                table(["Skill", "People", "Before", "After", "Change"], rows), ""]
    return out


def _all_empty(cells: list[Cell]) -> bool:
    return all(c.hidden or not c.value for c in cells)


def _breakdown(b: Breakdown, k: int) -> list[str]:
    """The count table, then the measures table; a table with nothing to show is one sentence instead."""
    if _all_empty([c for r in b.rows for c in r.counts]):
        return [f"Every group is smaller than {k} people, so this breakdown is not shown.", ""]
    rows = [[t.plain(r.label), *(cell_text(c) for c in r.counts)] for r in b.rows]
    rows.append(["Total", *(cell_text(c) for c in b.totals)])
    out = [table([t.plain(b.label), *b.columns], rows), ""]
    listed = _measure_rows(b)
    if not b.measures or not listed:
        return out
    if all(c.hidden or c.value is None for r in listed for c in r.measures):
        return [*out, "The measures by group are all hidden or without data yet, so they are not shown.", ""]
    mrows = [[t.plain(r.label), *(cell_text(c, measure_unit(x)) for c, x in zip(r.measures, b.measures, strict=True))]
             for r in listed]
    head = [f"{t.plain(b.label)}: {b.columns[0].lower()}", *(measure_label(x) for x in b.measures)]
    return [*out, table(head, mrows), ""]
