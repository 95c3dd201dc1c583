"""The fairness report of a proposal in words: rows of strings for any reader, and Markdown for the CI comment.

The review packet (coordinator/review.py) lays the same rows out as HTML, so
the admin reads the same words in the pull request and in the packet.
"""

from __future__ import annotations

from ..text.counts import counted
from ..text.markdown import table
from .fairness import FairnessReport, FairnessWarning, GroupFairness
from .model import Cell
from .render import format_value

HIDDEN = "hidden"
HEADER = ("Group", "Mentees", "Matched", "Mean score", "Cross-department pairs", "Not matched because")
SETTING = "matching.fairness_warning_points"


def _value(cell: Cell, unit: str) -> str:
    if cell.hidden:
        return HIDDEN
    if cell.value is None:
        return "–"
    if unit == "count":
        return str(int(cell.value))
    return format_value("share", float(cell.value)) if unit == "share" else f"{float(cell.value):.1f}"


def _known_unmatched(g: GroupFairness) -> int | None:
    """The group's number of unmatched mentees, when its count and rate are shown (they give it)."""
    if g.mentees.value is None or g.match_rate.value is None:
        return None
    return round(int(g.mentees.value) * (1 - float(g.match_rate.value)))


def _reasons(g: GroupFairness) -> str:
    shown = [f"{int(c.value or 0)} {r}" for r, c in g.unmatched if not c.hidden and c.value]
    hidden = any(c.hidden for _, c in g.unmatched)
    if hidden and sum(int(c.value or 0) for _, c in g.unmatched if not c.hidden) != _known_unmatched(g):
        return "; ".join([*shown, "others hidden"]) if shown else HIDDEN
    return "; ".join(shown) or "–"


def row(g: GroupFairness, prefix: str = "") -> list[str]:
    return [prefix + g.label, _value(g.mentees, "count"), _value(g.match_rate, "share"),
            _value(g.mean_score, "score"), _value(g.cross_department, "share"), _reasons(g)]


def rows(report: FairnessReport) -> list[list[str]]:
    """The overall row, then every group of every dimension ("Gender: Woman")."""
    out = [row(report.overall)]
    for d in report.dimensions:
        out += [row(g, "" if g.label.startswith(d.label) else f"{d.label}: ") for g in d.groups]
    return out


def warning_text(w: FairnessWarning) -> str:
    return (f"{w.dimension}, {w.group}: {format_value('share', w.rate)} matched, {w.points:.0f} points below the "
            f"overall {format_value('share', w.overall)}")


def warnings_lead(report: FairnessReport) -> str:
    """What the warnings (or their absence) mean, in one sentence."""
    if report.threshold is None:
        return f"No warnings: `{SETTING}` is empty in the program file."
    if not report.warnings:
        return (f"No group's match rate is more than {report.threshold:g} points below the overall rate "
                f"(`{SETTING}`).")
    n = len(report.warnings)
    return (f"{counted(n, 'group')} {'are' if n != 1 else 'is'} matched more than {report.threshold:g} "
            f"points less often than the whole program (`{SETTING}`). The matching guide's \"Fairness report\" "
            "section says what to check before approving.")


def suppression_note(report: FairnessReport) -> str:
    if report.too_small:
        return (f"Fewer than {report.min_group_size} mentees: no figures by group are shown "
                "(reports.min_group_size).")
    return (f"Groups of fewer than {report.min_group_size} mentees are hidden, and further values with them where "
            "the totals would give a hidden one back (reports.min_group_size), as on the results page. Mean score "
            "and cross-department share are of the matched mentees' pairs.")


def fairness_markdown(report: FairnessReport, heading: str = "####") -> str:
    """The report as Markdown: warnings first, then one table of every group."""
    out = [f"{heading} Fairness by group", ""]
    if report.warnings:
        out += ["> [!WARNING]", f"> {warnings_lead(report)}"]
        out += [f"> - {warning_text(w)}" for w in report.warnings]
    else:
        out.append(warnings_lead(report))
    out += ["", table(list(HEADER), [row(report.overall)])]
    if not report.too_small:  # every group in a fold: the warnings above say what needs a look
        out += ["", "<details><summary>Every group</summary>", "", table(list(HEADER), rows(report)[1:]), "",
                "</details>"]
    out += ["", suppression_note(report)]
    return "\n".join(out)
