"""A loaded YAML document: plain values plus the source position of every key and value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.span import Span

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

        Exact for plain and quoted one-line scalars and for literal blocks (`|`); for
        folded or escaped text, where characters do not map one to one, the scalar's start.
        """
        source = self.scalars.get(path)
        if source is None:
            return self.span(path)
        start = source.span
        lines = self.text.splitlines()
        if source.style is None and start.line == start.end_line and line == 0:
            return start.shifted(0, start.column + column, width)
        if source.style in ("'", '"') and start.line == start.end_line and line == 0:
            raw = lines[start.line - 1][start.column : start.end_column - 2]
            if raw == self.get(path):
                return start.shifted(0, start.column + 1 + column, width)
        if source.style == "|":
            content = _literal_block_lines(lines, start)
            if line < len(content):
                number, indent = content[line]
                return Span(
                    self.path, number, indent + column + 1, number, indent + column + 1 + width
                )
        return start


def _literal_block_lines(lines: list[str], start: Span) -> list[tuple[int, int]]:
    """(1-based line number, indentation) of each content line of a literal block scalar."""
    first = start.line  # the header line (`when: |`); content starts on the next line
    body = lines[first : start.end_line]
    indent = min((len(t) - len(t.lstrip(" ")) for t in body if t.strip()), default=0)
    return [(first + 1 + i, indent) for i in range(len(body))]
