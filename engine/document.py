"""A loaded YAML document: plain values plus the source position of every key and value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from engine.span import Span, source_lines

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ScalarSource:
    """How a string scalar was written, so positions inside it map back to the file."""

    style: str | None  # None for plain, "'", '"', "|" or ">"
    span: Span


@dataclass(frozen=True)
class Document:
    """One definition file: `data` holds only dicts, lists, str, int, float, bool and None."""

    path: str
    text: str
    data: Any
    value_spans: Mapping[Path, Span]
    key_spans: Mapping[Path, Span]
    scalars: Mapping[Path, ScalarSource]
    # Values YAML 1.1 read as something the author likely did not mean (`NO` as false); the
    # loader has reported each, so later stages do not report the same value again.
    coerced: frozenset[Path] = frozenset()

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split once: every expression node is located through them."""
        return source_lines(self.text)

    def span(self, path: Path) -> Span:
        """The span of the value at `path`, or of its nearest located ancestor."""
        while path not in self.value_spans and path:
            path = path[:-1]
        return self.value_spans.get(path, Span.whole_file(self.path))

    def key_span(self, path: Path) -> Span:
        """The span of the key that holds `path` (the value's span for list items)."""
        return self.key_spans.get(path) or self.span(path)

    def get(self, path: Path) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def position_in_string(self, path: Path, line: int, column: int, width: int) -> Span:
        """The file span of a 0-based (line, column) inside the string at `path`.

        Exact for plain, quoted, literal (`|`) and folded (`>`) scalars as conditions are
        written; where characters do not map one to one (escapes in double quotes, blank
        lines inside a folded block), the scalar's start.
        """
        source = self.scalars.get(path)
        if source is None:
            return self.span(path)
        value = self.get(path)
        pieces = _pieces(self.lines, source, value)
        if pieces is None or line >= len(pieces):
            return source.span
        offset = column
        for file_line, file_column, length in pieces[line]:
            if offset <= length:
                return Span(
                    self.path,
                    file_line,
                    file_column + offset,
                    file_line,
                    file_column + offset + width,
                )
            offset -= length + 1  # the space a line break was folded into
        return source.span


# Where each line of a string value stands in the file: for every value line, the source
# pieces it is made of (folding joins several lines with one space), each as
# (1-based file line, 1-based column of its first character, length).
_Pieces = list[list[tuple[int, int, int]]]


def _pieces(lines: list[str], source: ScalarSource, value: str) -> _Pieces | None:
    start = source.span
    if source.style in (None, "'", '"'):
        quote = 0 if source.style is None else 1
        first = lines[start.line - 1][start.column - 1 + quote :]
        rest = lines[start.line : start.end_line]
        if start.line == start.end_line:
            first = lines[start.line - 1][start.column - 1 + quote : start.end_column - 1 - quote]
            rest = []
        elif rest:
            rest[-1] = rest[-1][: start.end_column - 1 - quote]
        parts = [(start.line, start.column + quote, first.rstrip())]
        parts += [(start.line + 1 + i, _indent(t) + 1, t.strip()) for i, t in enumerate(rest)]
        return _folded(parts, value)
    body = lines[start.line : start.end_line]  # the lines after the `|` or `>` header
    while body and not body[-1].strip():
        body.pop()
    indent = next((_indent(t) for t in body if t.strip()), 0)
    if any(t.strip() and _indent(t) < indent for t in body):
        body = body[: next(i for i, t in enumerate(body) if t.strip() and _indent(t) < indent)]
    parts = [(start.line + 1 + i, indent + 1, t[indent:].rstrip()) for i, t in enumerate(body)]
    if source.style == "|":
        if [text for _, _, text in parts] != value.rstrip("\n").split("\n"):
            return None
        return [[(number, column, len(text))] for number, column, text in parts]
    return _folded(parts, value)


def _folded(parts: list[tuple[int, int, str]], value: str) -> _Pieces | None:
    """One value line made of source lines joined by single spaces, if that is what it is."""
    if " ".join(text for _, _, text in parts) != value.rstrip("\n"):
        return None
    return [[(number, column, len(text)) for number, column, text in parts]]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))
