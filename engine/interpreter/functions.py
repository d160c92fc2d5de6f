"""The allow-listed functions in Python, with the meaning docs/evaluation.md gives them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

import re2

from engine.interpreter.values import Value

_ASCII_SPACE = " \t\n\x0b\x0c\r"
_MICROSECONDS_PER_DAY = 86_400_000_000
_MICROSECONDS_PER_HOUR = 3_600_000_000
_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_UNANCHORED = re2._Anchor.UNANCHORED

# Cut after the last `@` (an e-mail address) or a leading `scheme://` (a URL), drop `www.`,
# keep everything up to the first `/`, `?`, `#` or `:`. The SQL backend runs the same two RE2
# patterns one after the other (engine.sql.expressions.domain_sql); since the host pattern
# matches at any position, the prefix the combined pattern strips is the prefix alone.
DOMAIN_PREFIX = r"(?s)^(?:.*@|[a-z][a-z0-9+.\-]*://)?(?:www\.)?"
DOMAIN_HOST = r"[^/?#:]*"
DOMAIN_PATTERN = f"{DOMAIN_PREFIX}({DOMAIN_HOST})"
_DOMAIN = re2._re2.RE2(DOMAIN_PATTERN.encode(), re2.Options())


@lru_cache(maxsize=4096)
def _lower_char(char: str) -> str:
    lowered = char.lower()
    if len(lowered) == 1:
        return lowered
    return "i" if char == "\u0130" else char


@lru_cache(maxsize=4096)
def _upper_char(char: str) -> str:
    # Python's str.upper applies the full case mapping ("ß" → "SS"); DuckDB, like Unicode's
    # simple case mapping, maps one character to one: its titlecase form where that is a
    # single character (U+1F80 → U+1F88), capital sharp s for "ß", else the character.
    upper = char.upper()
    if len(upper) == 1:
        return upper
    if char == "ß":
        return "\u1e9e"
    title = char.title()
    return title if len(title) == 1 else char


def lower(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(map(_lower_char, text))


def upper(text: str) -> str:
    if text.isascii():
        return text.upper()
    return "".join(map(_upper_char, text))


def trim(text: str) -> str:
    return text.strip(_ASCII_SPACE)


def domain(text: str) -> str | None:
    encoded = lower(text).encode()
    # The pattern matches every text (all its parts are optional); group 1 is the domain.
    start, end = _DOMAIN.Match(_UNANCHORED, encoded, 0, len(encoded))[1]
    return encoded[start:end].decode() or None


def days_since(value: dt.date | dt.datetime, as_of: dt.datetime) -> float:
    if isinstance(value, dt.datetime):
        return ((as_of - value) // _ONE_MICROSECOND) / _MICROSECONDS_PER_DAY
    return (as_of.date() - value).days


def hours_since(value: dt.datetime, as_of: dt.datetime) -> float:
    return ((as_of - value) // _ONE_MICROSECOND) / _MICROSECONDS_PER_HOUR


def regex_search(pattern: str) -> Callable[[str], bool]:
    """Whether the RE2 regex matches somewhere in the text.

    Calls the RE2 binding under google-re2's `re`-style wrapper: the wrapper maps byte
    offsets back to characters on every call, which costs five times the match itself,
    and a yes/no answer needs no offsets.
    """
    match = re2._re2.RE2(pattern.encode(), re2.Options()).Match

    def search(text: str) -> bool:
        encoded = text.encode()
        return bool(match(_UNANCHORED, encoded, 0, len(encoded))[0][0] >= 0)

    return search


# Text functions that give a value; a missing argument gives a missing value.
TEXT_FUNCTIONS: dict[str, Callable[[str], Value]] = {
    "lower": lower,
    "upper": upper,
    "trim": trim,
    "length": len,
    "domain": domain,
}

# Predicates on two texts; a missing argument makes them false.
TEXT_PREDICATES: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda text, part: part in text,
    "startswith": str.startswith,
    "endswith": str.endswith,
}
