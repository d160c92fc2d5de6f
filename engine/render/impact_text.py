"""The impact report for a terminal: the summary, then each section as aligned plain tables."""

from __future__ import annotations

import unicodedata

from engine.diff.report import Impact
from engine.render.impact_format import printable
from engine.render.impact_tables import Table, heading, sections, summary

GAP = "  "  # between columns


def render_text(impact: Impact) -> str:
    lines = [*map(printable, heading(impact)), ""]
    lines += _table(summary(impact), header=False)
    for section in sections(impact):
        lines += ["", section.title, "=" * _width(section.title)]
        lines += map(printable, section.notes)
        for table in section.tables:
            lines.append("")
            if table.title:
                lines.append(printable(table.title))
            lines += _table(table)
            if table.note:
                lines.append(printable(table.note))
    return "\n".join(lines) + "\n"


def _table(table: Table, header: bool = True) -> list[str]:
    rows = [[printable(cell) for cell in row] for row in table.rows]
    if header:
        names = [printable(c.name) for c in table.columns]
        rows = [names, ["-" * _width(n) for n in names], *rows]
    widths = [max((_width(row[i]) for row in rows), default=0) for i in range(len(table.columns))]
    lines = []
    for row in rows:
        cells = []
        for cell, column, width in zip(row, table.columns, widths, strict=True):
            pad = " " * (width - _width(cell))
            cells.append(pad + cell if column.numeric else cell + pad)
        lines.append(GAP.join(cells).rstrip())
    return lines


def _width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
        for c in text
    )
