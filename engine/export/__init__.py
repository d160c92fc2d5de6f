"""Exporters: the project as the files each platform takes (engine.export.targets lists them).

Every exporter is pure: `Project → Export`, the files as text keyed by relative path, plus
a diagnostic for each part the platform cannot express (X codes, at the definition's file
and line) and a coverage line for every definition it was asked to carry. Nothing is
dropped silently: a definition is either carried or has a diagnostic saying why not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.diagnostics import Diagnostic
from engine.span import Span


@dataclass(frozen=True)
class Coverage:
    """What one definition became on a target: one line of the export report."""

    definition: str  # a stable id: "rule:senior_buyer", "route:named_accounts", "stage:mql"
    carried: bool  # whether the target carries it (in full)
    how: str  # what it became ("criteria items", "a formula", …) or why it was left out
    span: Span


@dataclass(frozen=True)
class ExportOptions:
    dialect: str = "duckdb"  # the `sql` target's SQL dialect


@dataclass(frozen=True)
class Export:
    target: str
    files: Mapping[str, str]  # relative path → text (LF line ends, a final newline)
    diagnostics: tuple[Diagnostic, ...]
    coverage: tuple[Coverage, ...]
