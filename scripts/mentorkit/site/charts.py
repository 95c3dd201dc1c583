"""Static SVG bar charts, written by hand: deterministic, no JavaScript, readable by screen readers.

Each chart is an inline `<svg role="img">` with a `<title>` and a `<desc>`,
inside a `<figure>`, followed by a Markdown table of the same numbers, so the
figures never exist only as a picture. Text follows the page (`currentColor`)
and bars take the scheme's link colour (extra.css), so the charts work in
light and dark mode and in print.

The layout is narrow on purpose: each label sits on its own line above its
bar, with the bar's value at the right end of that line, so the drawing is
only WIDTH units wide and its 13-unit text stays about 12 px on a 390 px
phone, where a wide chart scaled down to 6 px. The value never meets the
dashed target line, which has the bar's row to itself. The title is the
figure's caption, above the drawing; an axis with ticks runs under the bars;
a legend explains the target line and the hatched bars of partial months.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

BAR_COLOUR = "#00695f"  # without the site's stylesheet (print preview of a saved file); extra.css sets the scheme's
FONT_SIZE = 13
CHAR_WIDTH = 7.2  # rough width of one character at FONT_SIZE, for laying out the legend
WIDTH = 360
PAD = 4
AXIS_HEIGHT = 22  # the ticks and their numbers under the bars
LABEL_HEIGHT = 16
BAR_HEIGHT = 16
GAP = 10
LEGEND_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown at the end of the bar and in the table
    target: float | None = None
    target_text: str = ""
    partial: bool = False  # a period that is not over yet (the current month): drawn hatched


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _legend(chart_id: str, has_target: bool, has_partial: bool) -> list[str]:
    out: list[str] = []
    x = float(PAD)
    y = LEGEND_HEIGHT / 2
    if has_target:
        out.append(f'<line x1="{_f(x + 4)}" y1="{_f(y - 7)}" x2="{_f(x + 4)}" y2="{_f(y + 7)}" stroke="currentColor" '
                   'stroke-width="2" stroke-dasharray="3 2"/>')
        out.append(f'<text x="{_f(x + 14)}" y="{_f(y + FONT_SIZE / 3)}">Target</text>')
        x += 14 + len("Target") * CHAR_WIDTH + 18
    if has_partial:
        out.append(f'<rect x="{_f(x)}" y="{_f(y - 7)}" width="14" height="14" fill="url(#{chart_id}-partial)" '
                   'stroke="currentColor" stroke-width="1"/>')
        out.append(f'<text x="{_f(x + 20)}" y="{_f(y + FONT_SIZE / 3)}">Month not over yet</text>')
    return out


def ticks(lo: float, hi: float) -> list[float]:
    """Round values from lo to hi for the axis: steps of 1, 2, 2.5 or 5 times a power of ten, about four of them."""
    span = (hi - lo) or 1.0
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) + 0.0 for i in range(int((hi - first) / step + 1e-9) + 1)]


def _axis(x: Callable[[float], float], lo: float, hi: float, top: float, suffix: str) -> list[str]:
    out = [f'<line x1="{_f(x(lo))}" y1="{_f(top)}" x2="{_f(x(hi))}" y2="{_f(top)}" stroke="currentColor" '
           'stroke-width="1"/>']
    values = ticks(lo, hi)
    for i, v in enumerate(values):
        anchor = "start" if i == 0 and x(v) < PAD + 12 else "end" if i == len(values) - 1 else "middle"
        out.append(f'<line x1="{_f(x(v))}" y1="{_f(top)}" x2="{_f(x(v))}" y2="{_f(top + 4)}" stroke="currentColor" '
                   'stroke-width="1"/>')
        out.append(f'<text x="{_f(x(v))}" y="{_f(top + 4 + FONT_SIZE)}" text-anchor="{anchor}">{_f(v)}{suffix}</text>')
    return out


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], scale: tuple[float, float] | None = None,
              suffix: str = "") -> str:
    """One horizontal bar chart as an SVG element (no blank lines, so Markdown keeps it as one HTML block).

    The axis runs from the smallest to the largest value (0 always included),
    or over `scale` (e.g. 0 to 100 for percentages) when given; `suffix` follows each tick's number ("%").
    """
    values = [b.value for b in bars] + [b.target for b in bars if b.target is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if scale is not None:
        lo, hi = min(lo, scale[0]), max(hi, scale[1])
    span = (hi - lo) or 1.0
    has_target = any(b.target is not None for b in bars)
    has_partial = any(b.partial for b in bars)
    plot = WIDTH - 2 * PAD - 8  # room for the last tick's number

    def x(v: float) -> float:
        return PAD + 4 + (v - lo) / span * plot

    legend = LEGEND_HEIGHT if has_target or has_partial else 0
    row = LABEL_HEIGHT + BAR_HEIGHT + GAP
    axis_top = legend + len(bars) * row
    height = axis_top + AXIS_HEIGHT
    zero = x(0.0)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-chart" role="img" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(description)}</desc>',
    ]
    if has_partial:
        lines.append(f'<defs><pattern id="{chart_id}-partial" width="6" height="6" patternUnits="userSpaceOnUse" '
                     f'patternTransform="rotate(45)"><rect class="mk-bar" width="3" height="6" fill="{BAR_COLOUR}"/>'
                     '</pattern></defs>')
    lines.append(f'<g font-family="sans-serif" font-size="{FONT_SIZE}" fill="currentColor">')
    lines += _legend(chart_id, has_target, has_partial)
    for i, b in enumerate(bars):
        top = legend + i * row
        bar_top = top + LABEL_HEIGHT
        lines.append(f'<text x="{_f(PAD + 8)}" y="{_f(top + FONT_SIZE)}">{_esc(b.label)}</text>')  # clear of the axis
        lines.append(f'<text x="{_f(WIDTH - PAD)}" y="{_f(top + FONT_SIZE)}" text-anchor="end" '
                     f'font-weight="bold">{_esc(b.text)}</text>')
        left, right = sorted((zero, x(b.value)))
        if right > left:
            fill = f"url(#{chart_id}-partial)" if b.partial else BAR_COLOUR
            css = "" if b.partial else ' class="mk-bar"'
            outline = ' stroke="currentColor" stroke-width="1"' if b.partial else ""
            lines.append(f'<rect{css} x="{_f(left)}" y="{_f(bar_top)}" width="{_f(right - left)}" '
                         f'height="{BAR_HEIGHT}" fill="{fill}"{outline}/>')
        if b.target is not None:
            tx = x(b.target)
            lines.append(f'<line x1="{_f(tx)}" y1="{_f(bar_top - 1)}" x2="{_f(tx)}" y2="{_f(bar_top + BAR_HEIGHT + 1)}" '
                         'stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"/>')
    lines.append(f'<line x1="{_f(zero)}" y1="{_f(legend + LABEL_HEIGHT - 2)}" x2="{_f(zero)}" '
                 f'y2="{_f(axis_top)}" stroke="currentColor" stroke-width="1"/>')
    lines += _axis(x, lo, hi, axis_top, suffix)
    lines += ["</g>", "</svg>"]
    return "\n".join(lines)


def figure(chart_id: str, title: str, description: str, bars: list[Bar], columns: tuple[str, str],
           scale: tuple[float, float] | None = None, suffix: str = "") -> str:
    """Markdown: the chart in a <figure> with its title as the caption above it, then the same numbers as a table."""
    has_target = any(b.target is not None for b in bars)
    head = [columns[0], columns[1]] + (["Target"] if has_target else [])
    rows = [[b.label + (" (not over yet)" if b.partial else ""), b.text] + ([b.target_text or "—"] if has_target else [])
            for b in bars]
    table = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    table += ["| " + " | ".join(html.escape(c, quote=False).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join([
        f'<figure class="mk-figure" id="{chart_id}">',
        f"<figcaption><strong>{_esc(title)}</strong></figcaption>",
        bar_chart(chart_id, title, description, bars, scale, suffix),
        "</figure>",
        "",
        *table,
    ])
