"""The SQL that types one source column as a lead field: the rules of engine.leads.text in DuckDB.

A field is typed in three steps, each a column of its own layer of the load query, so
DuckDB evaluates every expression once per row:

1. `source`: the column's value when present. Text that is empty once trimmed, or one of
   the null values, becomes NULL; typed (Parquet, DuckDB) values stay as they are.
2. `candidate`: the value read as the field's type, or NULL when it cannot be.
3. `value`: the candidate once checked where a cast is more lenient than the contract
   (floats must be finite; datetimes must fall in years 1-9999, as Python's do).

A present source with a NULL value is an unreadable value; `raw` is its text for examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from engine.ir import FieldType, LeadField
from engine.leads.text import PATTERNS, TRUE_PATTERN, WHITESPACE, WHITESPACE_CLASS
from engine.sql.literals import finite_or_null, string

SQL_TYPES: dict[FieldType, str] = {
    FieldType.STRING: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.NUMBER: "DOUBLE",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",  # naive, holding UTC
}

_DATE_RANGE = "DATE '0001-01-01' AND DATE '9999-12-31'"
_TIMESTAMP_RANGE = "TIMESTAMP '0001-01-01' AND TIMESTAMP '9999-12-31 23:59:59.999999'"


class SourceKind(Enum):
    """What a source column holds, as far as typing it goes."""

    TEXT = "text"
    INTEGER = "integer"  # fits BIGINT
    WIDE_INTEGER = "wide integer"  # UBIGINT, HUGEINT, UHUGEINT: may not fit
    DECIMAL = "decimal"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"  # without a time zone: taken as UTC
    TIMESTAMPTZ = "timestamptz"
    OTHER = "other"  # read through its text


_KINDS = {
    "VARCHAR": SourceKind.TEXT,
    "TINYINT": SourceKind.INTEGER,
    "SMALLINT": SourceKind.INTEGER,
    "INTEGER": SourceKind.INTEGER,
    "BIGINT": SourceKind.INTEGER,
    "UTINYINT": SourceKind.INTEGER,
    "USMALLINT": SourceKind.INTEGER,
    "UINTEGER": SourceKind.INTEGER,
    "UBIGINT": SourceKind.WIDE_INTEGER,
    "HUGEINT": SourceKind.WIDE_INTEGER,
    "UHUGEINT": SourceKind.WIDE_INTEGER,
    "FLOAT": SourceKind.FLOAT,
    "DOUBLE": SourceKind.FLOAT,
    "BOOLEAN": SourceKind.BOOLEAN,
    "DATE": SourceKind.DATE,
    "TIMESTAMP": SourceKind.TIMESTAMP,
    "TIMESTAMP_S": SourceKind.TIMESTAMP,
    "TIMESTAMP_MS": SourceKind.TIMESTAMP,
    "TIMESTAMP_NS": SourceKind.TIMESTAMP,
    "TIMESTAMP WITH TIME ZONE": SourceKind.TIMESTAMPTZ,
}


def source_kind(duckdb_type: str) -> SourceKind:
    """The kind of a column, from the type DuckDB describes it with (`DECIMAL(18,2)`)."""
    name = re.sub(r"\(.*", "", duckdb_type).strip().upper()
    if name == "DECIMAL":
        return SourceKind.DECIMAL
    if name == "ENUM":  # labels are text
        return SourceKind.TEXT
    return _KINDS.get(name, SourceKind.OTHER)


@dataclass(frozen=True)
class FieldCast:
    """The SQL of each step for one field; the later steps read the earlier ones' aliases."""

    source: str
    candidate: str
    value: str
    raw: str
    can_fail: bool = True  # False where every present value reads, so none is counted


def field_cast(
    field: LeadField,
    column: str,
    kind: SourceKind,
    null_values: tuple[str, ...],
    source_alias: str,
    candidate_alias: str,
) -> FieldCast:
    """How `field` is typed from the (quoted) `column` of the given kind."""
    native = _NATIVE.get((field.type, kind))
    if native is not None:
        candidate, check = native
        return FieldCast(
            source=column,
            candidate=candidate(source_alias),
            value=check(candidate_alias),
            raw=f"CAST({source_alias} AS VARCHAR)",
            can_fail=(field.type, kind) not in _ALWAYS_READ,
        )
    if kind is SourceKind.TEXT:
        source = _present_text(column, null_values)
    else:
        # Typed values are never placeholders: null values are text, and do not apply.
        source = f"TRY_CAST({column} AS VARCHAR)"
    return FieldCast(
        source=source,
        candidate=_TEXT_CANDIDATES[field.type](source_alias),
        value=_TEXT_CHECKS.get(field.type, _as_is)(candidate_alias),
        raw=source_alias,
        can_fail=not (field.type is FieldType.STRING and kind is SourceKind.TEXT),
    )


def missing_value(field: LeadField) -> str:
    """The value of a field whose column the file does not have."""
    return f"CAST(NULL AS {SQL_TYPES[field.type]})"


def _trimmed(text: str) -> str:
    # DuckDB's casts to BIGINT, DOUBLE and DATE skip surrounding white space themselves, but
    # its cast to TIMESTAMPTZ does not for every form; trimming only the texts that need it
    # is three times faster than trimming them all.
    edge = string(f"^{WHITESPACE_CLASS}|{WHITESPACE_CLASS}$")
    trimmed = f"trim({text}, {string(WHITESPACE)})"
    return f"CASE WHEN regexp_matches({text}, {edge}) THEN {trimmed} ELSE {text} END"


def _present_text(column: str, null_values: tuple[str, ...]) -> str:
    # One pattern for "empty, or a null value, once trimmed" (text.is_missing): matching it
    # is several times faster than trimming every cell into a new string.
    listed = sorted({value.strip(WHITESPACE) for value in null_values} - {""})
    alternatives = "|".join("".join(_literal(char) for char in value) for value in listed)
    ws = WHITESPACE_CLASS
    pattern = f"{ws}*(?:{alternatives})?{ws}*" if listed else f"{ws}*"
    return f"CASE WHEN regexp_full_match({column}, {string(pattern)}) THEN NULL ELSE {column} END"


def _literal(char: str) -> str:
    """One character as an RE2 pattern matching just it."""
    return char if char.isascii() and char.isalnum() else f"\\x{{{ord(char):x}}}"


def _matching(kind: FieldType, text: str, then: str) -> str:
    return f"CASE WHEN regexp_full_match({text}, {string(PATTERNS[kind])}) THEN {then} END"


Sql = Callable[[str], str]


def _as_is(alias: str) -> str:
    return alias


_TEXT_CANDIDATES: dict[FieldType, Sql] = {
    FieldType.STRING: _as_is,
    # The pattern admits only zeros after a point, which the cast reads exactly.
    FieldType.INTEGER: lambda s: _matching(FieldType.INTEGER, s, f"TRY_CAST({s} AS BIGINT)"),
    FieldType.NUMBER: lambda s: _matching(FieldType.NUMBER, s, f"TRY_CAST({s} AS DOUBLE)"),
    FieldType.BOOLEAN: lambda s: _matching(
        FieldType.BOOLEAN, s, f"regexp_full_match({s}, {string(TRUE_PATTERN)})"
    ),
    FieldType.DATE: lambda s: _matching(FieldType.DATE, s, f"TRY_CAST({s} AS DATE)"),
    # TIMESTAMPTZ keeps the written offset (a cast straight to TIMESTAMP drops it); text
    # without one is read in the connection's TimeZone, which load_leads sets to UTC.
    FieldType.DATETIME: lambda s: _matching(
        FieldType.DATETIME, s, f"timezone('UTC', TRY_CAST({_trimmed(s)} AS TIMESTAMPTZ))"
    ),
}


def _finite(c: str) -> str:
    # '1e400' casts to infinity rather than failing.
    return finite_or_null(c)


def _in_years_1_to_9999(c: str) -> str:
    # An offset can carry 0001-01-01T00:00+01:00 out of the range Python can hold.
    return f"CASE WHEN {c} BETWEEN {_TIMESTAMP_RANGE} THEN {c} END"


_TEXT_CHECKS: dict[FieldType, Sql] = {
    FieldType.NUMBER: _finite,
    FieldType.DATETIME: _in_years_1_to_9999,
}


def _whole_float(s: str) -> str:
    in_range = f"{s} >= -9.223372036854775808e18 AND {s} < 9.223372036854775808e18"  # 2 ** 63
    fits = f"isfinite({s}) AND {s} = trunc({s}) AND {in_range}"
    return f"CASE WHEN {fits} THEN CAST({s} AS BIGINT) END"


def _cast(sql_type: str) -> Sql:
    return lambda s: f"CAST({s} AS {sql_type})"


def _date_in_range(c: str) -> str:
    return f"CASE WHEN {c} BETWEEN {_DATE_RANGE} THEN {c} END"


_NATIVE: dict[tuple[FieldType, SourceKind], tuple[Sql, Sql]] = {
    (FieldType.INTEGER, SourceKind.INTEGER): (_cast("BIGINT"), _as_is),
    (FieldType.INTEGER, SourceKind.WIDE_INTEGER): (lambda s: f"TRY_CAST({s} AS BIGINT)", _as_is),
    (FieldType.INTEGER, SourceKind.DECIMAL): (
        lambda s: f"CASE WHEN {s} = trunc({s}) THEN TRY_CAST({s} AS BIGINT) END",
        _as_is,
    ),
    (FieldType.INTEGER, SourceKind.FLOAT): (_whole_float, _as_is),
    (FieldType.NUMBER, SourceKind.INTEGER): (_cast("DOUBLE"), _as_is),
    (FieldType.NUMBER, SourceKind.WIDE_INTEGER): (_cast("DOUBLE"), _as_is),
    (FieldType.NUMBER, SourceKind.DECIMAL): (_cast("DOUBLE"), _as_is),
    (FieldType.NUMBER, SourceKind.FLOAT): (_cast("DOUBLE"), _finite),
    (FieldType.BOOLEAN, SourceKind.BOOLEAN): (_as_is, _as_is),
    (FieldType.DATE, SourceKind.DATE): (_as_is, _date_in_range),
    (FieldType.DATETIME, SourceKind.DATE): (_cast("TIMESTAMP"), _in_years_1_to_9999),
    (FieldType.DATETIME, SourceKind.TIMESTAMP): (_cast("TIMESTAMP"), _in_years_1_to_9999),
    (FieldType.DATETIME, SourceKind.TIMESTAMPTZ): (
        lambda s: f"timezone('UTC', {s})",
        _in_years_1_to_9999,
    ),
}
"""Typed columns whose values fit the field are converted as values, not through text."""

_ALWAYS_READ = {
    (FieldType.INTEGER, SourceKind.INTEGER),
    (FieldType.NUMBER, SourceKind.INTEGER),
    (FieldType.NUMBER, SourceKind.WIDE_INTEGER),
    (FieldType.NUMBER, SourceKind.DECIMAL),
    (FieldType.BOOLEAN, SourceKind.BOOLEAN),
}
