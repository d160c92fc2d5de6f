"""SQL literals and identifiers, escaped: no user-written text reaches SQL any other way."""

from __future__ import annotations

import datetime as dt
import math


def identifier(name: str) -> str:
    """A quoted identifier: `"job title"`, with embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def string(text: str) -> str:
    """A string literal. DuckDB strings take backslashes literally; quotes are doubled."""
    if "\x00" in text:
        raise ValueError("text with a NUL character cannot be a SQL literal")
    return "'" + text.replace("'", "''") + "'"


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
