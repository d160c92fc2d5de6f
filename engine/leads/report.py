"""What loading a lead file found: rows, columns missing or ignored, unreadable values, ids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.ir import FieldType
from engine.leads.formats import LeadFormat

EXAMPLES = 3
"""How many examples a report keeps of each problem: the first rows, in file order."""


@dataclass(frozen=True)
class UnreadableField:
    """Present values of one field that could not be read as its type (they load as missing)."""

    field: str
    column: str
    type: FieldType
    count: int
    examples: tuple[tuple[int, str], ...]  # (row, the value as written)


@dataclass(frozen=True)
class DuplicateId:
    """A row whose id an earlier row already has."""

    row: int
    id: str
    first_row: int


@dataclass(frozen=True)
class Recoded:
    """How the text of a file DuckDB refused as not UTF-8 was read instead."""

    encoding: str  # "UTF-16", or "UTF-8 and Windows-1252"
    lines: int  # lines with bytes read as Windows-1252
    examples: tuple[tuple[int, str], ...]  # (line number, the line as read, shortened)


@dataclass(frozen=True)
class LoadReport:
    """Every row is loaded, as the table's `__row`: numbered from 1 in file order, not
    counting a header. In the table, each field's values, its NULLs that were missing in
    the file and its `unreadable` count add up to `rows`; so do the distinct ids,
    `duplicate_ids` and `null_ids`.
    """

    path: Path
    format: LeadFormat
    rows: int
    missing_columns: tuple[str, ...]  # ids of fields whose column the file lacks
    ignored_columns: tuple[str, ...]  # the file's columns no field reads, in file order
    unreadable: tuple[UnreadableField, ...]  # in lead-model order, only fields with some
    duplicate_ids: int
    duplicate_examples: tuple[DuplicateId, ...]
    null_ids: int
    recoded: Recoded | None = None  # None for a file read as UTF-8 (with or without a BOM)

    @property
    def unreadable_values(self) -> int:
        return sum(u.count for u in self.unreadable)
