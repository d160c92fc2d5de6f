"""Say what loading a lead file found, one line per finding, for the command line."""

from __future__ import annotations

import json
import re

from engine.ir import FieldType
from engine.leads.columns import squashed
from engine.leads.report import LoadReport, Recoded, UnreadableField


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def describe_load(report: LoadReport) -> list[str]:
    """Lines such as `employees: 3 values could not be read as integer (row 7: "lots")`."""
    lines = [f"read {_plural(report.rows, 'lead')} from {report.path.name} ({report.format.value})"]
    if report.missing_columns:
        lines.append(
            f"{_plural(len(report.missing_columns), 'field')} missing from the file, evaluated as"
            f" missing: {', '.join(report.missing_columns)}"
        )
    for field, column in _look_alike_columns(report):
        lines.append(
            f"{field}: the file's column {column!r} looks like it; to read the field from it,"
            f" add `column: {json.dumps(column)}` to the field in the lead model"
        )
    for unreadable in report.unreadable:
        examples = ", ".join(f"row {row}: {text!r}" for row, text in unreadable.examples)
        verb = "value could" if unreadable.count == 1 else "values could"
        lines.append(
            f"{unreadable.field}: {unreadable.count:,} {verb} not be read as"
            f" {unreadable.type.value} and count as missing ({examples}){_hint(unreadable)}"
        )
    if report.duplicate_ids:
        examples = ", ".join(
            f"row {d.row} repeats {d.id!r} of row {d.first_row}" for d in report.duplicate_examples
        )
        repeat = "repeats" if report.duplicate_ids == 1 else "repeat"
        lines.append(f"{_plural(report.duplicate_ids, 'row')} {repeat} an earlier id ({examples})")
    if report.recoded is not None:
        lines.append(_recoded(report.recoded))
    if report.null_ids:
        have = "has" if report.null_ids == 1 else "have"
        lines.append(f"{_plural(report.null_ids, 'row')} {have} no id")
    return lines


def _recoded(recoded: Recoded) -> str:
    if not recoded.lines:
        return (
            f"read as {recoded.encoding}: the file starts with a {recoded.encoding} byte-order mark"
        )
    examples = ", ".join(f"line {line}: {text!r}" for line, text in recoded.examples)
    are = "is" if recoded.lines == 1 else "are"
    return (
        f"{_plural(recoded.lines, 'line')} {are} not UTF-8: their other bytes were read as"
        f" Windows-1252 (Latin-1); check those values, or save the file as UTF-8 ({examples})"
    )


_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:[,.' \u00a0][0-9]{3})+(?:[.,][0-9]+)?")
_LOCAL_DATE = re.compile(r"[0-9]{1,4}[/.][0-9]{1,2}[/.][0-9]{1,4}(?:[ T,].*)?")
_HINTS: dict[FieldType, tuple[re.Pattern[str], str]] = {
    FieldType.INTEGER: (_GROUPED_NUMBER, "write numbers without thousands separators"),
    FieldType.NUMBER: (
        _GROUPED_NUMBER,
        "write numbers without thousands separators, with `.` before the decimals",
    ),
    FieldType.DATE: (_LOCAL_DATE, "write dates as ISO 8601: 2026-03-15"),
    FieldType.DATETIME: (
        _LOCAL_DATE,
        "write times as ISO 8601, with an offset unless UTC: 2026-03-15T10:00:00+01:00",
    ),
}


def _hint(unreadable: UnreadableField) -> str:
    """What to do, when the examples look like a locale's spelling of the type."""
    found = _HINTS.get(unreadable.type)
    if found is None:
        return ""
    pattern, advice = found
    if any(pattern.fullmatch(text.strip()) for _, text in unreadable.examples):
        return f"; {advice}"
    return ""


def _look_alike_columns(report: LoadReport) -> list[tuple[str, str]]:
    """Missing fields and the ignored column spelt like each (`Lead Source`, `lead_source`):
    exports name columns by label, the lead model by id."""
    by_name = {squashed(column): column for column in reversed(report.ignored_columns)}
    return [
        (field, by_name[squashed(field)])
        for field in report.missing_columns
        if squashed(field) in by_name
    ]
