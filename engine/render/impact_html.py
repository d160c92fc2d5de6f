"""The impact report as one self-contained HTML page: every row, inline CSS and SVG charts.

The page loads nothing (no script, font, stylesheet or image from elsewhere), so it can be
kept as a CI artifact and opened offline. The template (templates/impact.html.j2) escapes
every value: autoescape is on, and StrictUndefined turns a misspelt name into an error
instead of an empty cell.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from engine.diff.report import Impact
from engine.render.impact_format import printable
from engine.render.impact_svg import charts
from engine.render.impact_tables import heading, sections, summary

TEMPLATE = "impact.html.j2"


def _one_line(value: object) -> object:
    """Every text the template prints, on one line without characters that reorder it; the
    charts (Markup, built and escaped by impact_svg) as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


_ENVIRONMENT = Environment(
    loader=PackageLoader("engine.render", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    finalize=_one_line,
)


def render_html(impact: Impact) -> str:
    page = _ENVIRONMENT.get_template(TEMPLATE).render(
        heading=heading(impact),
        summary=summary(impact),
        sections=sections(impact),
        charts=charts(impact),
    )
    return page if page.endswith("\n") else page + "\n"
