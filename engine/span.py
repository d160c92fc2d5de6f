"""Source positions: every IR node and diagnostic points back at file, line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""The line breaks YAML 1.1 reads, and so the ones libyaml's and PyYAML's marks count: every
Span's line is counted by them, and every stage that turns a line number back into text
splits with `source_lines`."""


def source_lines(text: str) -> list[str]:
    """The text's lines as spans number them (from 1: `source_lines(text)[line - 1]`)."""
    return LINE_BREAK.split(text)


def offset_position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `offset`."""
    breaks = list(LINE_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


@dataclass(frozen=True, order=True)
class Span:
    """A range in a source file; lines and columns are 1-based, the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> Span:
        return cls(file, line, column, line, column + max(width, 1))

    @classmethod
    def whole_file(cls, file: str) -> Span:
        return cls(file, 1, 1, 1, 1)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
