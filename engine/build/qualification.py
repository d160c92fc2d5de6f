"""Build the Qualification (rules/qualification.yaml): grades, disqualifiers and stages."""

from __future__ import annotations

from engine.build.context import BuildContext
from engine.diagnostics import did_you_mean
from engine.expressions.scope import Context
from engine.ir import Disqualifier, Grade, Qualification, Stage


def build_qualification(ctx: BuildContext) -> Qualification:
    grades = []
    for index, spec in enumerate(ctx.value(("grades",), [])):
        when = ctx.condition(("grades", index, "when"), Context.GRADE)
        if when is not None:
            grades.append(
                Grade(spec["id"], when, spec.get("description"), ctx.span(("grades", index)))
            )
    disqualifiers = []
    for index, spec in enumerate(ctx.value(("disqualifiers",), [])):
        when = ctx.condition(("disqualifiers", index, "when"), Context.DISQUALIFIER)
        if when is not None:
            disqualifiers.append(
                Disqualifier(spec["id"], when, spec.get("why"), ctx.span(("disqualifiers", index)))
            )
    stages = []
    for index, spec in enumerate(ctx.value(("stages",))):
        when = ctx.condition(("stages", index, "when"), Context.STAGE)
        if when is not None:
            stages.append(
                Stage(spec["id"], when, spec.get("description"), ctx.span(("stages", index)))
            )
    qualifying = ctx.optional_ref(("qualifying_stage",))
    ids = [spec["id"] for spec in ctx.value(("stages",))]
    if qualifying is not None and qualifying.id not in ids:
        ctx.report(
            "R102",
            f"`qualifying_stage` names `{qualifying.id}`, which is not a stage",
            qualifying.span,
            help=did_you_mean(qualifying.id, ids) or f"name one of: {', '.join(ids)}",
        )
    return Qualification(
        tuple(grades), tuple(disqualifiers), tuple(stages), ctx.span(()), qualifying
    )
