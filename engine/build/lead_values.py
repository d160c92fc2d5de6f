"""Lead values written in YAML, read as their fields' types: rule tests' `given` and the
leads of glossary term examples, checked against the lead model the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.build.context import BuildContext
from engine.diagnostics import did_you_mean, known_list
from engine.document import Path
from engine.ir import FieldType, LeadModel, LeadValue

LeadScalar = str | int | float | bool | dt.date | dt.datetime | None


def parse_datetime(text: str) -> dt.datetime | None:
    """An ISO 8601 time with its offset, or None when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def datetime_at(ctx: BuildContext, at: Path) -> dt.datetime | None:
    """The time written at `at`, or None (and an L108 diagnostic) when it does not exist."""
    value = parse_datetime(ctx.value(at))
    if value is None:
        ctx.report(
            "L108",
            f"`{ctx.value(at)}` is not a valid time",
            ctx.span(at),
            help="write an existing ISO 8601 time with its offset",
        )
    return value


def lead_value(
    ctx: BuildContext, at: Path, name: str, value: Any, lead_model: LeadModel | None
) -> LeadValue:
    """The value written for field `name` at `at`, as the field's type. An unknown field
    (R102) or a value that does not fit its field (R109) is reported."""
    span = ctx.span(at)
    field = lead_model.field(name) if lead_model else None
    if lead_model is not None and field is None:
        ctx.report(
            "R102",
            f"the lead model has no field `{name}`",
            ctx.key_span(at),
            help=did_you_mean(name, [f.id for f in lead_model.fields])
            or "use the ids under `fields` in the lead model",
        )
    if field is None or value is None or at in ctx.document.coerced:
        return LeadValue(name, value, span)
    converted, problem = _convert(value, field.type, field.values)
    if problem:
        ctx.report(
            "R109",
            f"`{name}` is {field.type.value}, {problem}",
            span,
            help=_value_help(value, field.type, field.values),
        )
    return LeadValue(name, converted, span)


def _convert(
    value: Any, kind: FieldType, values: tuple[str, ...] | None
) -> tuple[LeadScalar, str | None]:
    """The value as the field's type, or None and what is wrong with it."""
    if kind is FieldType.STRING:
        if not isinstance(value, str):
            return None, f"but this is {_describe(value)}"
        if values is not None and value not in values:
            return None, f'and "{value}" is not one of its values'
        return value, None
    if kind is FieldType.BOOLEAN:
        return (
            (value, None) if isinstance(value, bool) else (None, f"but this is {_describe(value)}")
        )
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"but this is {_describe(value)}"
        if kind is FieldType.INTEGER and not isinstance(value, int):
            return None, "but this is not a whole number"
        return value, None
    if not isinstance(value, str):
        return None, f"but this is {_describe(value)}"
    if kind is FieldType.DATE:
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            return None, f'but "{value}" is not a date'
    moment = parse_datetime(value)
    return (
        (moment, None)
        if moment
        else (None, f'but "{value}" is not an ISO 8601 time with an offset')
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f'the text "{value}"'


def _value_help(value: Any, kind: FieldType, values: tuple[str, ...] | None) -> str:
    if kind is FieldType.STRING and not isinstance(value, str):
        return f'quote it: "{value}"'
    if kind is FieldType.STRING and values is not None:
        return did_you_mean(str(value), values) or f"its values are {known_list(list(values))}"
    if kind is FieldType.DATETIME:
        return "write e.g. 2026-03-02T09:30:00Z or 2026-03-02T10:30:00+01:00"
    if kind is FieldType.DATE:
        return "write e.g. 2026-03-02"
    return f"write {kind.value} values without quotes"
