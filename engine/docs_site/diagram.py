"""The routing order as an inline SVG flow chart: one box per route in evaluation order.

A lead enters at the top; at each box, if the condition holds ("yes") it goes right to
the box's team, queue or user, otherwise ("no") down to the next route. Drawn in Python
with no script or font, so the page works offline; every text node and attribute is
escaped here (ids and conditions are written by the teams), and the result is Markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from engine.docs_site.rules import RouteView
from engine.render.impact_format import printable

WIDTH = 780
BOX_X = 16
BOX_WIDTH = 460
BOX_HEIGHT = 52
STEP = 88  # from one box's top to the next: the box and its "no" arrow
TOP = 56  # room for the start node
TARGET_X = BOX_X + BOX_WIDTH + 56
CONDITION_CHARS = 62  # about what fits a box at 7 pixels a character
TARGET_CHARS = 36
BOX = 'fill="#f6f8fa" stroke="#57606a"'
CATCH_ALL = 'fill="#eef4ff" stroke="#2f6fdf"'
LINE = 'stroke="#57606a" stroke-width="1.5" marker-end="url(#routing-arrow)"'


def _short(text: str, limit: int) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _text(x: float, y: float, text: str, extra: str = "") -> str:
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(text)}</text>'


def _linked(href: str | None, body: str) -> str:
    return body if href is None else f'<a href="{escape(href)}">{body}</a>'


def routing_diagram(routes: Sequence[RouteView]) -> Markup:
    ends_open = not routes or not routes[-1].always
    height = TOP + STEP * len(routes) + (STEP if ends_open else 0) - (STEP - BOX_HEIGHT) + 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12"'
        ' role="img" aria-labelledby="routing-diagram-title">',
        '<title id="routing-diagram-title">Routing order: the first route whose condition'
        " holds assigns the lead</title>",
        '<defs><marker id="routing-arrow" viewBox="0 0 10 10" refX="10" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#57606a"/></marker></defs>',
        f'<rect x="{BOX_X + BOX_WIDTH / 2 - 60:.0f}" y="4" width="120" height="26" rx="13"'
        ' fill="#ffffff" stroke="#57606a"/>',
        _text(BOX_X + BOX_WIDTH / 2, 21, "a lead arrives", ' text-anchor="middle"'),
        f'<line x1="{BOX_X + BOX_WIDTH / 2:.0f}" y1="30" x2="{BOX_X + BOX_WIDTH / 2:.0f}"'
        f' y2="{TOP - 2}" {LINE}/>',
    ]
    for index, route in enumerate(routes):
        top = TOP + index * STEP
        middle = top + BOX_HEIGHT / 2
        condition = "every lead" if route.condition is None else route.condition
        style = CATCH_ALL if route.always else BOX
        box = (
            f'<rect x="{BOX_X}" y="{top}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="4"'
            f" {style}><title>{escape(printable(f'{route.id}: {condition}'))}</title></rect>"
            + _text(BOX_X + 10, top + 20, f"{route.number}. {route.id}", ' font-weight="bold"')
            + _text(
                BOX_X + 10,
                top + 40,
                _short(condition, CONDITION_CHARS),
                ' font-family="monospace" font-size="11"',
            )
        )
        parts.append(_linked(f"#{route.anchor}", box))
        parts.append(
            f'<line x1="{BOX_X + BOX_WIDTH}" y1="{middle:.0f}" x2="{TARGET_X - 6}"'
            f' y2="{middle:.0f}" {LINE}/>'
        )
        parts.append(_text(BOX_X + BOX_WIDTH + 14, middle - 6, "yes", ' fill="#1a7f37"'))
        color = ' fill="#0969da" text-decoration="underline"' if route.target.href else ""
        target = _text(TARGET_X, middle + 4, _short(route.target.text, TARGET_CHARS), color)
        parts.append(_linked(route.target.href, target))
        last = index == len(routes) - 1
        if not last or ends_open:
            x = BOX_X + BOX_WIDTH / 2
            parts.append(
                f'<line x1="{x:.0f}" y1="{top + BOX_HEIGHT}" x2="{x:.0f}"'
                f' y2="{top + STEP - 2}" {LINE}/>'
            )
            parts.append(_text(x + 8, top + BOX_HEIGHT + 22, "no", ' fill="#cf222e"'))
    if ends_open:
        top = TOP + len(routes) * STEP
        parts.append(
            f'<rect x="{BOX_X}" y="{top}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="4"'
            ' fill="#fff8f0" stroke="#cf222e"/>'
        )
        parts.append(_text(BOX_X + 10, top + 30, "no route holds: the lead is not assigned"))
    parts.append("</svg>")
    return Markup("\n".join(parts))
