"""Which column of a lead file each lead field is read from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.diagnostics import did_you_mean, known_list
from engine.ir import LeadField, LeadModel
from engine.leads.errors import LeadDataError
from engine.leads.text import WHITESPACE


@dataclass(frozen=True)
class ColumnMap:
    read_from: tuple[tuple[LeadField, str | None], ...]  # each field and its column, if any
    missing: tuple[str, ...]  # field ids
    ignored: tuple[str, ...]  # column names, in file order


def loose(name: str) -> str:
    """A name as matched when no name is exactly equal: case and surrounding space ignored."""
    return name.strip(WHITESPACE + "\ufeff").casefold()


def squashed(name: str) -> str:
    """A name with case, white space, `_`, `-` and `.` ignored (`Lead Source`, `lead_source`):
    not used to read a column, only to point one out for a field that found none."""
    return re.sub(r"[\s_\-.]+", "", name).casefold()


def find_column(wanted: str, names: Sequence[str]) -> str | None:
    """The exactly equal name, else the first loosely equal one (`Email ` for `email`)."""
    if wanted in names:
        return wanted
    return next((name for name in names if loose(name) == loose(wanted)), None)


def map_columns(path: Path, model: LeadModel, names: Sequence[str]) -> ColumnMap:
    """Each field's column; a file without the id field's column cannot be loaded."""
    read_from = tuple((f, find_column(f.source_column, names)) for f in model.fields)
    for field, column in read_from:
        if field.id == model.id_field.id and column is None:
            advice = did_you_mean(field.source_column, names) or (
                "add the column, or name it with `column:` on the field in the lead model"
            )
            raise LeadDataError(
                f"{path}: no column `{field.source_column}` holds the lead id `{field.id}`; "
                f"the file's columns are {known_list(names)}; {advice}"
            )
    used = {column for _, column in read_from}
    return ColumnMap(
        read_from=read_from,
        missing=tuple(field.id for field, column in read_from if column is None),
        ignored=tuple(name for name in names if name not in used),
    )
