"""The impact report as one self-contained HTML page: every row, inline CSS and SVG charts.

The page loads nothing (no script, font, stylesheet or image from elsewhere), so it can be
kept as a CI artifact and opened offline. The template (templates/impact.html.j2) escapes
every value: autoescape is on, and StrictUndefined turns a misspelt name into an error
instead of an empty cell.
"""

from __future__ import annotations

from engine.diff.report import Impact
from engine.render.html_templates import html_environment
from engine.render.impact_svg import charts
from engine.render.impact_tables import heading, sections, summary

TEMPLATE = "impact.html.j2"


_ENVIRONMENT = html_environment("engine.render")


def render_html(impact: Impact) -> str:
    page = _ENVIRONMENT.get_template(TEMPLATE).render(
        heading=heading(impact),
        summary=summary(impact),
        sections=sections(impact),
        charts=charts(impact),
    )
    return page if page.endswith("\n") else page + "\n"
