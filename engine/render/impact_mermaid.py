"""Mermaid charts of an impact report, for the PR comment: GitHub draws ```mermaid blocks.

Charts are `xychart-beta` bar charts (https://mermaid.js.org/syntax/xyChart.html): after
as bars, before as a line over them, since the chart has no legend and two bar series
would be drawn over each other. `xychart-beta`, not the newer spelling `xychart`, which
Mermaid releases before late 2025 do not know: GitHub does not say which release it runs,
and current ones (11.17, 12.x) still accept `xychart-beta`. tests/render/mermaid parses
every chart with Mermaid itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.diff.report import Count, Impact
from engine.render.impact_format import bin_label

LABEL_LENGTH = 20  # characters of a category shown on the x-axis

# Mermaid's entity codes (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters):
# `#quot;` for `"`; anything that could end the quoted label, open a directive (`%%`) or
# close the code fence (a backtick) is spelled by its code, and so is `#` itself.
_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "%": "#37;",
    "`": "#96;",
    ";": "#59;",
}


def quoted(text: str) -> str:
    """A quoted Mermaid string on one line, its special characters spelled as codes."""
    spelled = "".join(_ENTITIES.get(c, c if c.isprintable() else " ") for c in text)
    return f'"{spelled}"'


def label(text: str) -> str:
    """A category: quoted, and cut to LABEL_LENGTH characters so the axis stays legible."""
    if len(text) > LABEL_LENGTH:
        text = text[: LABEL_LENGTH - 1] + "\u2026"
    return quoted(text)


def _bars(title: str, x_title: str, categories: Sequence[str], counts: Sequence[Count]) -> str:
    lines = [
        "```mermaid",
        "xychart-beta",
        f"    title {quoted(title + ' (bars: after, line: before)')}",
        f"    x-axis {quoted(x_title)} [{', '.join(map(label, categories))}]",
        f"    y-axis {quoted('Leads')}",
        f"    bar [{', '.join(str(c.after) for c in counts)}]",
        f"    line [{', '.join(str(c.before) for c in counts)}]",
        "```",
    ]
    return "\n".join(lines)


def charts(impact: Impact) -> dict[str, str]:
    """The chart of each section that has one, by section key."""
    found = {}
    stages = impact.headline.stages
    if stages:
        found["stages"] = _bars(
            "Leads per stage",
            "Stage",
            [t.value for t in stages],
            [t.count for t in stages],
        )
    bins = impact.score.bins
    if bins:
        found["score"] = _bars(
            "Score histogram",
            "Score",
            [bin_label(b.low, b.high) for b in bins],
            [b.count for b in bins],
        )
    return found
