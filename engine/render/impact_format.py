"""How every impact format spells a number: counts, changes, percentages, rates and scores.

One spelling for all of them, so that the terminal, the PR comment and the HTML page show
the same figure the same way: counts with thousands separators, percentages with one
decimal, rates as percentages, lift with two decimals, a missing number as DASH.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from engine.diff.report import Count, Revision
from engine.instants import utc
from engine.render.explanation import number

DASH = "\u2013"  # en dash: a number that does not exist, e.g. the rate of no leads
RANGE = "\u2013"  # en dash between the bounds of a histogram bin
ARROW = "\u2192"

# Characters that act rather than show: control characters (an escape sequence recolours
# or rewrites a terminal), line and paragraph separators, and the bidirectional overrides
# and isolates that reorder what is shown (CVE-2021-42574, "Trojan Source").
_ACTING = frozenset(("Cc", "Zl", "Zp"))
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """Text from lead data or definitions on one line: each character that acts is a space."""
    return "".join(" " if c in _BIDI or unicodedata.category(c) in _ACTING else c for c in text)


def count(value: int) -> str:
    return f"{value:,}"


def signed(value: int) -> str:
    """A change in a count: `+150`, `-20`, `0`."""
    return "0" if value == 0 else f"{value:+,}"


def _fixed(value: float, decimals: int, sign: bool) -> str:
    text = f"{value:{'+' if sign else ''}.{decimals}f}"
    # Never "-0.0": a change that rounds to nothing has no direction.
    if float(text) == 0:
        text = f"{0.0:{'+' if sign else ''}.{decimals}f}"
    return text


def percent(value: float | None) -> str:
    """A value already in percent: `12.5%`."""
    return DASH if value is None else _fixed(value, 1, sign=False) + "%"


def signed_percent(value: float | None) -> str:
    return DASH if value is None else _fixed(value, 1, sign=True) + "%"


def rate(value: float | None) -> str:
    """A ratio between 0 and 1 as a percentage: `0.125` is `12.5%`."""
    return DASH if value is None else percent(100.0 * value)


def rate_change(before: float | None, after: float | None) -> str:
    """The difference of two rates in percentage points: `+2.5 pp`."""
    if before is None or after is None:
        return DASH
    return _fixed(100.0 * (after - before), 1, sign=True) + " pp"


def lift(value: float | None) -> str:
    return DASH if value is None else _fixed(value, 2, sign=False)


def lift_change(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return DASH
    return _fixed(after - before, 2, sign=True)


def score(value: float) -> str:
    """A score, or a mean of counts: two decimals at most, as `accord explain` shows it."""
    return number(value)


def score_change(before: float, after: float) -> str:
    text = number(after - before)
    return text if text.startswith("-") or text == "0" else "+" + text


def change(value: Count) -> str:
    """`+150 (+12.5%)`; `+150` alone when there was nothing before, `0` when nothing moved."""
    if value.percent_change is None or value.delta == 0:
        return signed(value.delta)
    return f"{signed(value.delta)} ({signed_percent(value.percent_change)})"


def before_after(before: str, after: str) -> str:
    return f"{before} {ARROW} {after}"


def count_change(value: Count) -> str:
    """`1,200 → 1,350 (+150, +12.5%)`."""
    moved = signed(value.delta)
    if value.percent_change is not None and value.delta != 0:
        moved += f", {signed_percent(value.percent_change)}"
    return f"{before_after(count(value.before), count(value.after))} ({moved})"


def fraction(part: int, whole: int, value: float | None) -> str:
    """A rate with the counts it comes from: `20.0% (240 of 1,200)`."""
    return f"{rate(value)} ({count(part)} of {count(whole)})"


def optional(value: str | None) -> str:
    return DASH if value is None else value


def bin_label(low: float, high: float) -> str:
    return f"{number(low)}{RANGE}{number(high)}"


def revision(value: Revision) -> str:
    """The ref the user asked for, with the commit it resolved to (once, when the ref was a
    commit id already)."""
    if value.commit is None:
        return value.label
    if value.commit.startswith(value.label):
        return value.commit[:12]
    return f"{value.label} ({value.commit[:12]})"


def timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`: `as_of` is naive UTC; an aware one is converted first."""
    return utc(value).isoformat() + "Z"
