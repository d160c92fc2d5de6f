"""The impact report as a GitHub pull request comment: the summary, then collapsed details.

The summary (what was compared, the headline numbers, each outcome's precision) is always
shown in full. The details follow in `<details>` blocks; when the comment would pass
GitHub's size limit, rows are dropped from the longest tables first, then whole sections
from the last one up, each cut saying what it left out. Every text from the report (lead
data, ids, paths, owners) goes through `escape_markdown`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence

from engine.diff.report import Impact
from engine.render.impact_format import count
from engine.render.impact_mermaid import charts
from engine.render.impact_tables import Section, Table, heading, sections, summary
from engine.render.markdown_escape import escape_markdown

# GitHub rejects a comment body longer than 65,536 characters; `accord comment` puts its
# hidden marker line (engine.github.comment.MARKER) in front, so the report leaves room.
LIMIT = 65_536 - 64
MIN_ROWS = 10  # a cut table keeps at least this many rows, before sections are dropped
ELSEWHERE = "run `accord diff --format html` for all"


def render_markdown(impact: Impact, limit: int = LIMIT) -> str:
    """The comment, shorter than `limit` characters (counted in UTF-16 code units, as the
    browser counts them) unless the summary alone is longer: the summary is never cut."""
    top = _summary(impact)
    parts = sections(impact)
    drawn = charts(impact)
    # Each table's rows as Markdown lines, escaped once.
    lines = [[[_row(r) for r in t.rows] for t in s.tables] for s in parts]
    text = top + "\n"
    for shown in range(len(parts), -1, -1):  # drop sections from the last one up
        keep = [[len(rows) for rows in section] for section in lines[:shown]]
        while True:
            text = _assemble(top, parts, shown, drawn, lines, keep)
            excess = _length(text) - limit + 1
            if excess <= 0:
                return text
            if not _cut(lines[:shown], keep, excess):
                break
    return text


def _assemble(
    top: str,
    parts: Sequence[Section],
    shown: int,
    drawn: dict[str, str],
    lines: list[list[list[str]]],
    keep: list[list[int]],
) -> str:
    blocks = [_details(parts[i], drawn.get(parts[i].key), lines[i], keep[i]) for i in range(shown)]
    if shown < len(parts):
        left_out = ", ".join(s.title for s in parts[shown:])
        blocks.append(f"_Not shown, to fit in one comment: {left_out}; {ELSEWHERE}_")
    return "\n\n".join([top, *blocks]) + "\n"


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(lines: Sequence[list[list[str]]], keep: list[list[int]], excess: int) -> bool:
    """Shorten the longest tables to one common size, enough to save `excess` characters
    where it can, each keeping MIN_ROWS rows at least; False when none can be shortened.

    The size is found by bisection on a cap of characters per table (water-filling): a
    table keeps the rows that fit under the cap, so the longest ones give up rows first.
    """
    tables = [(i, j) for i in range(len(lines)) for j in range(len(lines[i]))]
    prefix = {t: _prefix_sizes(lines[t[0]][t[1]][: keep[t[0]][t[1]]]) for t in tables}
    current = sum(sizes[-1] for sizes in prefix.values())

    def kept(cap: int) -> dict[tuple[int, int], int]:
        return {
            t: max(min(MIN_ROWS, len(sizes) - 1), bisect.bisect_right(sizes, cap) - 1)
            for t, sizes in prefix.items()
        }

    def size(cap: int) -> int:
        return sum(prefix[t][n] for t, n in kept(cap).items())

    low, high = 0, max((sizes[-1] for sizes in prefix.values()), default=0)
    while low < high:  # the largest cap whose tables save `excess`, else cap 0
        middle = (low + high + 1) // 2
        if current - size(middle) >= excess:
            low = middle
        else:
            high = middle - 1
    changed = False
    for (i, j), n in kept(low).items():
        changed |= n < keep[i][j]
        keep[i][j] = n
    return changed


def _prefix_sizes(rows: Sequence[str]) -> list[int]:
    """`sizes[n]`: the characters of the first `n` rows, each with its line break."""
    return list(itertools.accumulate((len(r) + 1 for r in rows), initial=0))


def _summary(impact: Impact) -> str:
    first, *rest = heading(impact)
    table = summary(impact)
    rows = [_row(r) for r in table.rows]
    return "\n\n".join(
        [f"### {escape_markdown(first)}", *map(escape_markdown, rest), _table(table, rows, None)]
    )


def _details(section: Section, chart: str | None, lines: list[list[str]], keep: list[int]) -> str:
    # Blank lines inside <details> let GitHub render the Markdown in it.
    body = [f"<details><summary>{escape_markdown(section.title)}</summary>"]
    body += map(escape_markdown, section.notes)
    if chart is not None:
        body.append(chart)
    for table, rows, shown in zip(section.tables, lines, keep, strict=True):
        if table.title:
            body.append(f"**{escape_markdown(table.title)}**")
        body.append(_table(table, rows, shown))
    body.append("</details>")
    return "\n\n".join(body)


def _table(table: Table, rows: list[str], shown: int | None) -> str:
    shown = len(rows) if shown is None else shown
    header = _row(c.name for c in table.columns)
    rule = "|" + "|".join(" ---: " if c.numeric else " --- " for c in table.columns) + "|"
    text = "\n".join([header, rule, *rows[:shown]])
    if shown < len(rows):
        text += f"\n\n_… {count(len(rows) - shown)} more rows not shown; {ELSEWHERE}_"
    if table.note:
        text += f"\n\n_{escape_markdown(table.note)}_"
    return text


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(map(escape_markdown, cells)) + " |"
