"""Build the ScoreModel (rules/scoring.yaml): groups, their rules, caps and decay."""

from __future__ import annotations

from typing import Any

from engine.build.context import BuildContext
from engine.document import Path
from engine.expressions.scope import Context
from engine.ir import Cap, Decay, DecayMethod, Rule, ScoreGroup, ScoreModel


def build_score_model(ctx: BuildContext) -> ScoreModel:
    groups = []
    for group_id, spec in ctx.value(("groups",)).items():
        at = ("groups", group_id)
        rules = []
        for index, rule in enumerate(spec["rules"]):
            rule_at = (*at, "rules", index)
            when = ctx.condition((*rule_at, "when"), Context.RULE)
            if when is None:
                continue
            rules.append(
                Rule(
                    id=rule["id"],
                    group=group_id,
                    when=when,
                    points=rule["points"],
                    why=rule.get("why"),
                    span=ctx.span(rule_at),
                    points_span=ctx.span((*rule_at, "points")),
                )
            )
        groups.append(
            ScoreGroup(
                id=group_id,
                description=spec.get("description"),
                rules=tuple(rules),
                cap=_cap(ctx, (*at, "cap"), spec.get("cap")),
                decay=_decay(ctx, (*at, "decay"), spec.get("decay")),
                span=ctx.key_span(at),
            )
        )
    return ScoreModel(
        groups=tuple(groups), cap=_cap(ctx, ("cap",), ctx.value(("cap",))), span=ctx.span(())
    )


def _cap(ctx: BuildContext, at: Path, spec: Any) -> Cap | None:
    if spec is None:
        return None
    return Cap(min=spec.get("min"), max=spec.get("max"), span=ctx.key_span(at))


def _decay(ctx: BuildContext, at: Path, spec: Any) -> Decay | None:
    if spec is None:
        return None
    return Decay(
        method=DecayMethod(spec["method"]),
        days=float(spec["days"]),
        from_field=ctx.ref((*at, "from")),
        span=ctx.key_span(at),
    )
