"""How a lead value is read from text: the patterns SQL and Python share, and Python's readers.

docs/evaluation.md ("Lead values") is the contract. Each pattern is written in the common
subset of RE2 (DuckDB's `regexp_full_match`) and Python's `re`: explicit ASCII classes, no
`\\d` or `\\s` (which differ between the two), no case-insensitive flag (RE2 folds the
long s, U+017F, into `s`). A text is readable only when its pattern matches the whole of
it; the cast after the match decides only what the pattern cannot (day of month, 64-bit
range, float overflow).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable

from engine.ir import FieldType

Value = str | int | float | bool | dt.date | dt.datetime | None
"""A typed lead value; None is missing."""

WHITESPACE = " \t\n\v\f\r"
"""ASCII white space: what `trim` removes in the expression language, and here around values."""

WHITESPACE_CLASS = r"[ \t\n\v\f\r]"
_WS = WHITESPACE_CLASS + "*"
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # 0001-9999, as Python's date

INTEGER_PATTERN = _WS + r"[+-]?[0-9]+(?:\.0*)?" + _WS
NUMBER_PATTERN = _WS + r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?" + _WS
BOOLEAN_PATTERN = (
    _WS + r"(?:[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[yY][eE][sS]|[nN][oO]|[tTfFyYnN01])" + _WS
)
DATE_PATTERN = _WS + _YEAR + r"-[0-9]{2}-[0-9]{2}" + _WS
DATETIME_PATTERN = (
    _WS
    + rf"(?P<year>{_YEAR})-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}})"
    + r"(?:[T ](?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])"
    + r"(?::(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]+))?)?"
    + r"(?:Z|(?P<sign>[+-])(?P<offset_hours>[01][0-9]|2[0-3])"
    + r"(?::?(?P<offset_minutes>[0-5][0-9]))?)?)?"
    + _WS
)

TRUE_PATTERN = _WS + r"(?:[tT][rR][uU][eE]|[yY][eE][sS]|[tTyY1])" + _WS
"""The booleans that read as true; the others BOOLEAN_PATTERN admits read as false."""

PATTERNS: dict[FieldType, str] = {
    FieldType.INTEGER: INTEGER_PATTERN,
    FieldType.NUMBER: NUMBER_PATTERN,
    FieldType.BOOLEAN: BOOLEAN_PATTERN,
    FieldType.DATE: DATE_PATTERN,
    FieldType.DATETIME: DATETIME_PATTERN,
}
"""The whole-text pattern of every type but string."""

BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1
EARLIEST = dt.datetime(1, 1, 1)
LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, 999999)

_COMPILED = {kind: re.compile(pattern) for kind, pattern in PATTERNS.items()}
_TRUE = re.compile(TRUE_PATTERN)


def is_missing(text: str, null_values: Iterable[str]) -> bool:
    """Empty once trimmed, or (trimmed) one of the values that mean "missing"."""
    trimmed = text.strip(WHITESPACE)
    return trimmed == "" or any(trimmed == value.strip(WHITESPACE) for value in null_values)


def read_text(kind: FieldType, text: str) -> Value:
    """The value `text` reads as, or None when it cannot be read as `kind`."""
    if kind is FieldType.STRING:
        return text
    if _COMPILED[kind].fullmatch(text) is None:
        return None
    return _READERS[kind](text.strip(WHITESPACE))


def _integer(text: str) -> int | None:
    value = int(text.split(".")[0])
    return value if BIGINT_MIN <= value <= BIGINT_MAX else None


def _number(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def _boolean(text: str) -> bool:
    return _TRUE.fullmatch(text) is not None


def _date(text: str) -> dt.date | None:
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _datetime(text: str) -> dt.datetime | None:
    match = _COMPILED[FieldType.DATETIME].fullmatch(text)
    assert match is not None  # read_text matched it already
    part = match.groupdict()
    # DuckDB keeps microseconds and drops further digits (it truncates, never rounds).
    micro = int((part["fraction"] or "")[:6].ljust(6, "0"))
    offset = dt.timedelta(
        hours=int(part["offset_hours"] or 0), minutes=int(part["offset_minutes"] or 0)
    )
    try:
        local = dt.datetime(
            int(part["year"]),
            int(part["month"]),
            int(part["day"]),
            int(part["hour"] or 0),
            int(part["minute"] or 0),
            int(part["second"] or 0),
            micro,
        )
        return local + offset if part["sign"] == "-" else local - offset
    except (ValueError, OverflowError):  # no such day, or the offset leaves years 1-9999
        return None


_READERS: dict[FieldType, Callable[[str], Value]] = {
    FieldType.INTEGER: _integer,
    FieldType.NUMBER: _number,
    FieldType.BOOLEAN: _boolean,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
}
