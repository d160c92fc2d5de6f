"""The impact report as versioned JSON for tools: every number, under stable snake_case keys.

Each dataclass becomes an object of its fields (enums as their values, dates ISO 8601, the
naive-UTC `as_of` with a `Z`), plus the numbers its properties derive, so a consumer never
recomputes a precision or a percent change its own way. Floats are rounded to 6 decimals:
the bytes stay the same whatever the last bits of a mean are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from functools import singledispatch

from engine.diff.report import Confusion, Count, Decision, Impact, SlaCounts
from engine.render.impact_format import timestamp

# Bumped whenever a field changes meaning or goes away; adding a field keeps the version.
FORMAT_VERSION = 1
DECIMALS = 6

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]

# The properties each type adds to its fields.
DERIVED: dict[type, tuple[str, ...]] = {
    Count: ("delta", "percent_change"),
    SlaCounts: ("compliance",),
    Confusion: (
        "leads",
        "positives",
        "precision",
        "recall",
        "lift",
        "base_rate",
        "unqualified_rate",
    ),
}


def render_json(impact: Impact) -> str:
    document = _json(impact)
    assert isinstance(document, dict)
    document["format_version"] = FORMAT_VERSION
    # allow_nan=False: a NaN or an infinity is a bug upstream, not something to publish.
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return text + "\n"


@singledispatch
def _json(value: object) -> JsonValue:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        derived = {name: _json(getattr(value, name)) for name in DERIVED.get(type(value), ())}
        return fields | derived
    raise TypeError(f"no JSON form for {type(value).__name__}")


@_json.register
def _decision(value: Decision) -> JsonValue:
    # (group, score) pairs as objects, in the order the groups are defined.
    fields = _json.dispatch(object)(value)
    assert isinstance(fields, dict)
    fields["groups"] = [{"group": g, "score": _json(s)} for g, s in value.groups]
    return fields


@_json.register(tuple)
def _sequence(value: tuple[object, ...]) -> JsonValue:
    return [_json(item) for item in value]


@_json.register(enum.Enum)
def _enum(value: enum.Enum) -> JsonValue:
    return _json(value.value)


@_json.register(str)
def _text(value: str) -> JsonValue:
    # A StrEnum is a str too, and str comes first in its MRO: take its value here.
    return value.value if isinstance(value, enum.Enum) else value


@_json.register(bool)
@_json.register(int)
def _integer(value: int) -> JsonValue:
    return value


@_json.register(float)
def _float(value: float) -> JsonValue:
    rounded = round(value, DECIMALS)
    return 0.0 if rounded == 0 else rounded  # never -0.0


@_json.register(type(None))
def _none(value: None) -> JsonValue:
    return None


@_json.register(dt.datetime)
def _datetime(value: dt.datetime) -> JsonValue:
    return timestamp(value)


@_json.register(dt.date)
def _date(value: dt.date) -> JsonValue:
    return value.isoformat()
