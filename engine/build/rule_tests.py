"""Build RuleTests (`*.tests.yaml`): a lead, a frozen clock, and what must be decided."""

from __future__ import annotations

from typing import Any

from engine.build.context import BuildContext
from engine.build.lead_values import datetime_at, lead_value
from engine.document import Path
from engine.ir import Expectation, Expected, LeadModel, RuleTest


def build_rule_tests(ctx: BuildContext, lead_model: LeadModel | None) -> tuple[RuleTest, ...]:
    tests = []
    file_as_of = ctx.value(("as_of",))
    for index, spec in enumerate(ctx.value(("tests",))):
        at: Path = ("tests", index)
        if "as_of" in spec:
            as_of = datetime_at(ctx, (*at, "as_of"))
        elif file_as_of is not None:
            as_of = datetime_at(ctx, ("as_of",))
        else:
            ctx.report(
                "S102",
                f"test `{spec['id']}` has no `as_of` clock",
                ctx.span(at),
                help="add `as_of:` to the test, or once at the top of the file for all its tests",
            )
            continue
        given = tuple(
            lead_value(ctx, (*at, "given", name), name, value, lead_model)
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


def _expectation(ctx: BuildContext, at: Path, spec: dict[str, Any]) -> Expectation:
    def one(key: str) -> Expected[Any] | None:
        # Present with null counts too: `grade: null` expects no grade at all.
        return Expected(spec[key], ctx.span((*at, key))) if key in spec else None

    def keys(key: str) -> list[tuple[Expected[str], Path]]:
        return [
            (Expected(name, ctx.key_span((*at, key, name))), (*at, key, name))
            for name in spec.get(key, {})
        ]

    due = [(name, datetime_at(ctx, path), ctx.span(path)) for name, path in keys("sla_due")]
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
