"""Build RuleTests (`*.tests.yaml`): a lead, a frozen clock, and what must be decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.build.context import BuildContext
from engine.diagnostics import did_you_mean, known_list
from engine.document import Path
from engine.ir import Expectation, Expected, FieldType, LeadModel, LeadValue, RuleTest

LeadScalar = str | int | float | bool | dt.date | dt.datetime | None


def parse_datetime(text: str) -> dt.datetime | None:
    """An ISO 8601 time with its offset, or None when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def build_rule_tests(ctx: BuildContext, lead_model: LeadModel | None) -> tuple[RuleTest, ...]:
    tests = []
    file_as_of = ctx.value(("as_of",))
    for index, spec in enumerate(ctx.value(("tests",))):
        at: Path = ("tests", index)
        if "as_of" in spec:
            as_of = _datetime(ctx, (*at, "as_of"))
        elif file_as_of is not None:
            as_of = _datetime(ctx, ("as_of",))
        else:
            ctx.report(
                "S102",
                f"test `{spec['id']}` has no `as_of` clock",
                ctx.span(at),
                help="add `as_of:` to the test, or once at the top of the file for all its tests",
            )
            continue
        given = tuple(
            _lead_value(ctx, (*at, "given", name), name, value, lead_model)
            for name, value in spec["given"].items()
        )
        if as_of is None:
            continue
        tests.append(
            RuleTest(
                id=spec["id"],
                description=spec.get("description"),
                as_of=as_of,
                given=given,
                expect=_expectation(ctx, (*at, "expect"), spec["expect"]),
                span=ctx.span(at),
            )
        )
    return tuple(tests)


def _datetime(ctx: BuildContext, at: Path) -> dt.datetime | None:
    value = parse_datetime(ctx.value(at))
    if value is None:
        ctx.report(
            "L108",
            f"`{ctx.value(at)}` is not a valid time",
            ctx.span(at),
            help="write an existing ISO 8601 time with its offset",
        )
    return value


def _lead_value(
    ctx: BuildContext, at: Path, name: str, value: Any, lead_model: LeadModel | None
) -> LeadValue:
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


def _expectation(ctx: BuildContext, at: Path, spec: dict[str, Any]) -> Expectation:
    def one(key: str) -> Expected[Any] | None:
        # Present with null counts too: `grade: null` expects no grade at all.
        return Expected(spec[key], ctx.span((*at, key))) if key in spec else None

    def keys(key: str) -> list[tuple[Expected[str], Path]]:
        return [
            (Expected(name, ctx.key_span((*at, key, name))), (*at, key, name))
            for name in spec.get(key, {})
        ]

    due = [(name, _datetime(ctx, path), ctx.span(path)) for name, path in keys("sla_due")]
    rules = spec.get("rules_fired")
    return Expectation(
        score=one("score"),
        groups=tuple(
            (name, Expected(ctx.value(path), ctx.span(path))) for name, path in keys("groups")
        ),
        rules_fired=None
        if rules is None
        else tuple(
            Expected(rule, ctx.span((*at, "rules_fired", i))) for i, rule in enumerate(rules)
        ),
        grade=one("grade"),
        stage=one("stage"),
        disqualified_by=one("disqualified_by"),
        route=one("route"),
        assignee=one("assignee"),
        sla_due=tuple(
            (name, Expected(moment, span)) for name, moment, span in due if moment is not None
        ),
    )
