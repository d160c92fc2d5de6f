"""Platform text typed as the lead model says: what a history pull writes into each column.

Both APIs answer in text (Bulk API 2.0 CSV; HubSpot property strings): booleans as
`true`/`false`, datetimes in ISO 8601 with an offset or as epoch milliseconds (HubSpot), dates
as `YYYY-MM-DD`. Datetimes are kept as naive UTC, as the lead loader holds them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from engine.instants import utc
from engine.ir import FieldType

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
JsonValue = str | int | float | bool | None


class UnreadableValue(ValueError):
    """Text that is not a value of the field's type."""


def instant(text: str) -> dt.datetime:
    """ISO 8601 (any offset, `Z`) or epoch milliseconds, as naive UTC."""
    text = text.strip()
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC).replace(tzinfo=None)
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UnreadableValue(text) from None
    return utc(parsed)


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UnreadableValue(text) from None
    if not value.is_finite():
        raise UnreadableValue(text)
    return value


def typed(kind: FieldType, raw: str | None) -> JsonValue:
    """The JSON value a column of `kind` holds for `raw`; None for empty text.

    Raises UnreadableValue for text that is not of the type.
    """
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    match kind:
        case FieldType.STRING:
            return raw
        case FieldType.INTEGER:
            number = _number(text)
            if number != number.to_integral_value():
                raise UnreadableValue(text)
            return int(number)
        case FieldType.NUMBER:
            return float(_number(text))
        case FieldType.BOOLEAN:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise UnreadableValue(text)
        case FieldType.DATE:
            if text.isdigit():
                return instant(text).date().isoformat()
            try:
                return dt.date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                raise UnreadableValue(text) from None
        case FieldType.DATETIME:
            return instant(text).isoformat(sep=" ")


def iso_utc(at: dt.datetime) -> str:
    """A naive-UTC instant as ISO 8601 with `Z`, to the second."""
    return at.replace(microsecond=0).isoformat() + "Z"
