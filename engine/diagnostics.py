"""Diagnostics are data: a stable code, a severity, a message, where, and what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from engine.codes import CODES
from engine.span import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Note:
    """A second place that explains the first, e.g. where a duplicate id was first defined."""

    message: str
    span: Span


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    notes: tuple[Note, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


def diagnostic(
    code: str,
    message: str,
    span: Span,
    help: str | None = None,
    notes: Iterable[Note] = (),
) -> Diagnostic:
    """A diagnostic with the severity its code is catalogued with."""
    info = CODES[code]
    return Diagnostic(code, Severity(info.severity), message, span, help, tuple(notes))


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by position, without exact repeats (two passes may find the same problem)."""
    unique = {(d.code, d.span, d.message): d for d in diagnostics}
    return sorted(unique.values(), key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A `help:` text naming the closest candidate, or None when nothing is close."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    return f"did you mean `{close[0]}`?" if close else None


def known_list(candidates: Sequence[str], limit: int = 12) -> str:
    """`a`, `b` and `c` (or the first `limit` of them, then a count)."""
    names = [f"`{c}`" for c in sorted(set(candidates))]
    if not names:
        return "none are defined"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
