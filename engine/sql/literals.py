"""SQL literals and identifiers, escaped: no user-written text reaches SQL any other way."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


def identifier(name: str) -> str:
    """A quoted identifier: `"job title"`, with embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


# What opens a Jinja tag, expression or comment. SQL that Accord exports may be read by a
# template engine first (a dbt model is a Jinja template), so these never appear whole in a
# literal: the text is split between the two characters and concatenated back.
JINJA_OPENERS = ("{{", "{%", "{#")


def string(text: str) -> str:
    """A string literal. DuckDB strings take backslashes literally; quotes are doubled."""
    if "\x00" in text:
        raise ValueError("text with a NUL character cannot be a SQL literal")
    quoted = "'" + text.replace("'", "''") + "'"
    if not any(opener in quoted for opener in JINJA_OPENERS):
        return quoted
    for opener in JINJA_OPENERS:
        quoted = quoted.replace(opener, f"{opener[0]}' || '{opener[1]}")
    return f"({quoted})"


def inert_line(text: str) -> str:
    """`text` on one line, with every Jinja opener spaced apart (`{ {`), for files a template
    engine reads: a SQL comment, a dbt description."""
    flat = " ".join(text.split())
    for opener in JINJA_OPENERS:
        flat = flat.replace(opener, f"{opener[0]} {opener[1]}")
    return flat


def comment(text: str) -> str:
    """A one-line SQL comment: the text cannot end it, start a statement or open Jinja."""
    return "-- " + inert_line(text)


def number(value: int | float) -> str:
    """An integer literal, or a DOUBLE one (`0.5e0`: a plain `0.5` would be a DECIMAL)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        text = str(value)
    elif not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    else:
        text = repr(value)
        text = text if "e" in text else f"{text}e0"
    # Parenthesised when negative, so that `a - -5` never reads as `a -` and a `--` comment.
    return f"({text})" if text.startswith("-") else text


def boolean(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def timestamp(value: dt.datetime) -> str:
    return f"TIMESTAMP '{value.isoformat(sep=' ')}'"


def date(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'"


@dataclass(frozen=True)
class RunTimeClock:
    """A clock the SQL reads when it runs (a dbt variable, the warehouse's current time)
    instead of a fixed instant: `sql` is an expression of type TIMESTAMP (UTC, no zone)."""

    sql: str


Clock = dt.datetime | RunTimeClock


def clock(as_of: Clock) -> tuple[str, str]:
    """The SQL of the evaluation instant and of its date."""
    if isinstance(as_of, RunTimeClock):
        return f"({as_of.sql})", f"CAST({as_of.sql} AS DATE)"
    return timestamp(as_of), date(as_of.date())


# The largest finite DOUBLE: a value is finite when its magnitude is at most this. Spelt as a
# comparison rather than DuckDB's isfinite(), it means the same on every SQL engine (NaN
# compares false, or above every number), so the SQL transpiles as it is.
_LARGEST_DOUBLE = number(1.7976931348623157e308)


def finite_or_null(sql: str) -> str:
    """The DOUBLE `sql`, or NULL when it is infinite or not a number."""
    return f"CASE WHEN abs({sql}) <= {_LARGEST_DOUBLE} THEN {sql} END"
