"""What became of each definition on a platform: the export's coverage and X diagnostics.

An exporter records an `Outcome` per definition it was asked to carry, with a `Gap` for each
part the platform cannot take; both the coverage line and the diagnostics (at the
definition, with a note at the part itself) come from it. Shared with the Marketo exporter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.diagnostics import Diagnostic, Note, diagnostic
from engine.export import Coverage
from engine.export.conditions import Unsupported
from engine.span import Span


@dataclass(frozen=True)
class Gap:
    code: str
    message: str
    help: str
    part: Span | None = None  # where the part is written, when not at the definition itself
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    definition: str  # "rule:enterprise_size"
    span: Span
    how: str  # what it became, or (with gaps) what was left out
    gaps: tuple[Gap, ...] = ()

    @property
    def carried(self) -> bool:
        return not self.gaps

    def coverage(self) -> Coverage:
        return Coverage(self.definition, self.carried, self.how, self.span)

    def diagnostics(self) -> list[Diagnostic]:
        return [
            diagnostic(
                gap.code,
                gap.message,
                self.span,
                help=gap.help,
                notes=[Note(gap.note, gap.part)] if gap.part else [],
            )
            for gap in self.gaps
        ]


def condition_gaps(
    unsupported: Iterable[Unsupported], definition: str, platform: str, helps: dict[str, str]
) -> tuple[Gap, ...]:
    """A gap per part of a condition the platform cannot express, each with its code's help."""
    return tuple(
        Gap(
            u.code,
            f"{platform} cannot express {u.what}, used by {definition}",
            helps[u.code],
            u.span,
            "used here",
        )
        for u in dict.fromkeys(unsupported)
    )
