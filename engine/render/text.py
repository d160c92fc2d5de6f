"""Compiler-style text output: location and message, the source line with carets, help, notes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from engine.diagnostics import Diagnostic, Severity
from engine.span import Span, source_lines

# Tabs become a fixed run of spaces (as rustc does), so a segment's width never depends on
# where it starts and the caret line stays aligned with the source line above it.
TAB = "    "
# Lines longer than LONG_LINE characters are cut to a WINDOW around the span, keeping up to
# CONTEXT characters before it; ELLIPSIS marks each cut.
LONG_LINE = 200
WINDOW = 160
CONTEXT = 40
ELLIPSIS = "…"

# ANSI SGR parameters, used only when `color` is on.
_BOLD = "1"
_BLUE = "34"
_SEVERITY_COLOR = {Severity.ERROR: "31", Severity.WARNING: "33"}


def render_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    summary: str,
    *,
    color: bool = False,
) -> str:
    """Each diagnostic as a block, a blank line between blocks, then the summary line."""
    blocks = ["\n".join(_block(d, sources, color)) for d in diagnostics]
    return "\n\n".join([*blocks, summary]) + "\n"


def _block(d: Diagnostic, sources: Mapping[str, str], color: bool) -> list[str]:
    span = d.span
    pad = " " * len(str(span.line))
    severity_color = _SEVERITY_COLOR[d.severity]
    lines = [
        _paint(f"{span.file}:{span.line}:{span.column}: ", color, _BOLD)
        + _paint(f"{d.severity}[{d.code}]", color, _BOLD, severity_color)
        + _paint(f" {d.message}", color, _BOLD)
    ]
    excerpt = _excerpt(sources.get(span.file), span)
    if excerpt is not None:
        shown, offset, width = excerpt
        gutter = _paint(f"{pad} |", color, _BLUE)
        numbered = _paint(f"{span.line} |", color, _BLUE)
        carets = _paint("^" * width, color, _BOLD, severity_color)
        lines += [
            gutter,
            numbered + (f" {shown}" if shown else ""),
            f"{gutter} {' ' * offset}{carets}",
        ]
    equals = _paint(f"{pad} =", color, _BLUE)
    if d.help:
        lines.append(f"{equals} {_paint('help:', color, _BOLD)} {d.help}")
    for note in d.notes:
        where = f"{note.span.file}:{note.span.line}:{note.span.column}"
        lines.append(f"{equals} {_paint('note:', color, _BOLD)} {note.message}: {where}")
    return lines


def _excerpt(text: str | None, span: Span) -> tuple[str, int, int] | None:
    """The span's first line as shown, and the display offset and width of its carets."""
    if text is None:
        return None
    lines = source_lines(text)
    if not 1 <= span.line <= len(lines):
        return None
    line = lines[span.line - 1]
    start = min(max(span.column - 1, 0), len(line))
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = min(max(end, start), len(line))
    low, high = _window(len(line), start)
    head = ELLIPSIS if low > 0 else ""
    tail = ELLIPSIS if high < len(line) else ""
    shown = head + _expand(line[low:high]) + tail
    offset = _width(head + _expand(line[low:start]))
    width = max(_width(_expand(line[start : min(end, high)])), 1)
    return shown, offset, width


def _window(length: int, start: int) -> tuple[int, int]:
    """The slice of a line to show: all of it, or WINDOW characters that include `start`."""
    if length <= LONG_LINE:
        return 0, length
    low = max(0, start - CONTEXT)
    high = min(length, low + WINDOW)
    # Near the end of the line, show more of what comes before instead of a short window.
    return max(0, min(low, high - WINDOW)), high


def _expand(text: str) -> str:
    return text.replace("\t", TAB)


def _width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _paint(text: str, color: bool, *parameters: str) -> str:
    if not color:
        return text
    return f"\x1b[{';'.join(parameters)}m{text}\x1b[0m"
