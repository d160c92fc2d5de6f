"""Inline SVG charts of an impact report for the HTML page: grouped bars, drawn in Python.

No script and no external file: the page must work offline. Every text node and attribute
value is escaped here (labels are stage ids, team ids and bins, which PR authors choose),
so the charts are handed to the template as Markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from engine.diff.report import Count, Impact
from engine.render.impact_format import bin_label, count, printable, score

HEIGHT = 240
PLOT_TOP = 40  # room for the legend
PLOT_BOTTOM = 200  # category labels below
LEFT = 56  # room for the y-axis labels
BAR = 14
GAP = 18  # between groups
LABEL_LENGTH = 16


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    color: str


BEFORE = "#9aa5b1"
AFTER = "#2f6fdf"
PEAK_BEFORE = "#c7ced6"
PEAK_AFTER = "#8fb2ee"
CAPACITY = "#d64545"
GRID = "#d0d7de"
_DASHED = f'stroke="{CAPACITY}" stroke-width="2" stroke-dasharray="4 3"'


def _nice(top: float) -> float:
    """The axis maximum: the first of 1, 2, 5 times a power of ten at or above `top`."""
    if top <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(top))
    return next(step * power for step in (1.0, 2.0, 5.0, 10.0) if step * power >= top)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "\u2026"


def _text(x: float, y: float, text: str, anchor: str = "middle") -> str:
    shown = escape(printable(text))
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{shown}</text>'


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    limits: Sequence[int | None] = (),
) -> Markup:
    """Bars of each series side by side per category; `limits`, when given, draws a dashed
    line across a category's group at that value (a team's capacity)."""
    categories = [printable(c) for c in categories]
    # A group is wide enough for its bars and for its label, at about 7 pixels a character.
    widest = max((len(_short(c)) for c in categories), default=0)
    group = max(BAR * len(series) + GAP, 7 * widest + 8)
    drawn_limits = any(v is not None for v in limits)
    # A legend entry is a swatch and its name.
    legend = [24 + 7 * len(s.name) for s in series] + ([80] if drawn_limits else [])
    width = max(LEFT + GAP + group * len(categories), LEFT + sum(legend)) + 10
    values = [v for s in series for v in s.values] + [v for v in limits if v is not None]
    top = _nice(max(values, default=0))

    def y(value: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}"'
        f' viewBox="0 0 {width} {HEIGHT}" font-family="sans-serif" font-size="11"'
        f' role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0.0, top / 2, top):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{width - 10}" y2="{y(tick):.1f}"'
            f' stroke="{GRID}"/>'
        )
        tick_label = count(int(tick)) if tick.is_integer() else score(tick)
        parts.append(_text(LEFT - 6, y(tick) + 4, tick_label, anchor="end"))
    legend_x = float(LEFT)
    for s, room in zip(series, legend, strict=False):
        parts.append(f'<rect x="{legend_x:.1f}" y="8" width="10" height="10" fill="{s.color}"/>')
        parts.append(_text(legend_x + 14, 17, s.name, anchor="start"))
        legend_x += room
    if drawn_limits:
        parts.append(
            f'<line x1="{legend_x:.1f}" y1="13" x2="{legend_x + 12:.1f}" y2="13" {_DASHED}/>'
        )
        parts.append(_text(legend_x + 16, 17, "capacity", anchor="start"))
    for index, category in enumerate(categories):
        x0 = LEFT + GAP + index * group
        for offset, s in enumerate(series):
            value = s.values[index]
            x = x0 + offset * BAR
            parts.append(
                f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{BAR - 2}"'
                f' height="{PLOT_BOTTOM - y(value):.1f}" fill="{s.color}">'
                f"<title>{escape(f'{category}, {s.name}: {score(value)}')}</title></rect>"
            )
        limit = limits[index] if index < len(limits) else None
        if limit is not None:
            tip = escape(f"{category}, capacity: {count(limit)}")
            x1, x2 = x0 - 3, x0 + BAR * len(series) + 1
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y(limit):.1f}" x2="{x2:.1f}" y2="{y(limit):.1f}"'
                f" {_DASHED}><title>{tip}</title></line>"
            )
        parts.append(_text(x0 + BAR * len(series) / 2, PLOT_BOTTOM + 16, _short(category)))
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _before_after(title: str, labels: list[str], counts: list[Count]) -> Markup:
    """Bars of a count before and after, per label."""
    return bar_chart(
        title,
        labels,
        [
            Series("before", tuple(c.before for c in counts), BEFORE),
            Series("after", tuple(c.after for c in counts), AFTER),
        ],
    )


def charts(impact: Impact) -> dict[str, tuple[Markup, ...]]:
    """The charts of each section that has some, by section key."""
    found: dict[str, tuple[Markup, ...]] = {}
    stages = impact.headline.stages
    if stages:
        found["stages"] = (
            _before_after(
                "Leads per stage, before and after",
                [t.value for t in stages],
                [t.count for t in stages],
            ),
        )
    bins = impact.score.bins
    if bins:
        found["score"] = (
            _before_after(
                "Score histogram, before and after",
                [bin_label(b.low, b.high) for b in bins],
                [b.count for b in bins],
            ),
        )
    teams = [
        load for load in (impact.routing.load if impact.routing else ()) if load.member is None
    ]
    if teams:
        found["routing"] = (
            bar_chart(
                "Leads per week and team: mean and peak, before and after",
                [load.team for load in teams],
                [
                    Series("mean before", tuple(t.before.mean for t in teams), BEFORE),
                    Series("mean after", tuple(t.after.mean for t in teams), AFTER),
                    Series("peak before", tuple(t.before.peak for t in teams), PEAK_BEFORE),
                    Series("peak after", tuple(t.after.peak for t in teams), PEAK_AFTER),
                ],
                [load.capacity for load in teams],
            ),
        )
    return found
