"""Static SVG bar charts, written by hand: deterministic, no JavaScript, readable by screen readers.

Each chart is an inline `<svg role="img">` with a `<title>` and a `<desc>`,
inside a `<figure>`, followed by a Markdown table of the same numbers, so the
figures never exist only as a picture. Colours follow the page (`currentColor`)
so the charts work in light and dark mode and in print.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

BAR_COLOUR = "#5c6bc0"  # readable on white and on Material's slate
FONT_SIZE = 12
CHAR_WIDTH = 7.0  # rough width of one character at FONT_SIZE, for laying out labels
BAR_HEIGHT = 20
GAP = 8
PLOT_WIDTH = 360
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown at the end of the bar and in the table
    target: float | None = None
    target_text: str = ""


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], scale: tuple[float, float] | None = None) -> str:
    """One horizontal bar chart as an SVG element (no blank lines, so Markdown keeps it as one HTML block).

    The axis runs from the smallest to the largest value (0 always included),
    or over `scale` (e.g. 0 to 100 for percentages) when given.
    """
    label_width = max([len(b.label) for b in bars] + [4]) * CHAR_WIDTH + 12
    values = [b.value for b in bars] + [b.target for b in bars if b.target is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if scale is not None:
        lo, hi = min(lo, scale[0]), max(hi, scale[1])
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return label_width + (v - lo) / span * PLOT_WIDTH

    width = label_width + PLOT_WIDTH + VALUE_WIDTH
    height = GAP + len(bars) * (BAR_HEIGHT + GAP) + GAP
    zero = x(0.0)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-chart" role="img" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="100%" style="max-width:{_f(width)}px" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(description)}</desc>',
        f'<g font-family="sans-serif" font-size="{FONT_SIZE}" fill="currentColor">',
    ]
    for i, b in enumerate(bars):
        top = GAP + i * (BAR_HEIGHT + GAP)
        mid = top + BAR_HEIGHT / 2 + FONT_SIZE / 3
        left, right = sorted((zero, x(b.value)))
        lines.append(f'<text x="{_f(label_width - 8)}" y="{_f(mid)}" text-anchor="end">{_esc(b.label)}</text>')
        if right > left:
            lines.append(f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(right - left)}" height="{BAR_HEIGHT}" '
                         f'fill="{BAR_COLOUR}"/>')
        end = max(right, zero)
        lines.append(f'<text x="{_f(end + 6)}" y="{_f(mid)}">{_esc(b.text)}</text>')
        if b.target is not None:
            tx = x(b.target)
            lines.append(f'<line x1="{_f(tx)}" y1="{_f(top - 3)}" x2="{_f(tx)}" y2="{_f(top + BAR_HEIGHT + 3)}" '
                         f'stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"/>')
    lines.append(f'<line x1="{_f(zero)}" y1="{GAP / 2:g}" x2="{_f(zero)}" y2="{_f(height - GAP / 2)}" '
                 f'stroke="currentColor" stroke-width="1"/>')
    lines += ["</g>", "</svg>"]
    return "\n".join(lines)


def figure(chart_id: str, title: str, description: str, bars: list[Bar], columns: tuple[str, str],
           scale: tuple[float, float] | None = None) -> str:
    """Markdown: the chart in a <figure> with its caption, then the same numbers as a table."""
    has_target = any(b.target is not None for b in bars)
    head = [columns[0], columns[1]] + (["Target"] if has_target else [])
    rows = [[b.label, b.text] + ([b.target_text or "—"] if has_target else []) for b in bars]
    table = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    table += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join([
        f'<figure class="mk-figure" id="{chart_id}">',
        bar_chart(chart_id, title, description, bars, scale),
        f"<figcaption>{_esc(title)}. The table below gives the same figures.</figcaption>",
        "</figure>",
        "",
        *table,
    ])
