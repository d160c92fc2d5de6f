"""Points and caps have the right sign and fit together; commitment targets are in range."""

from __future__ import annotations

from collections.abc import Iterator

from engine.diagnostics import Diagnostic, diagnostic
from engine.expressions.logic import is_constant
from engine.ir import Cap, Measure, Project


def check(project: Project) -> Iterator[Diagnostic]:
    score_model = project.score_model
    if score_model is not None:
        if score_model.cap:
            yield from _cap("the total score", score_model.cap)
        for group in score_model.groups:
            cap_problems = list(_cap(f"group `{group.id}`", group.cap)) if group.cap else []
            yield from cap_problems
            # Rules are measured against the cap only once the cap itself makes sense.
            cap = None if cap_problems else group.cap
            for rule in group.rules:
                if rule.points == 0:
                    yield diagnostic(
                        "L104",
                        f"rule `{rule.id}` is worth 0 points and changes nothing",
                        rule.points_span,
                        help="give it points, or remove it",
                    )
                if cap and cap.max is not None and rule.points > cap.max:
                    yield diagnostic(
                        "L105",
                        f"rule `{rule.id}` is worth {rule.points} points but group `{group.id}` is capped at {cap.max}",
                        rule.points_span,
                        help="lower the points or raise the cap; points beyond the cap are lost",
                    )
                if cap and cap.min is not None and rule.points < cap.min:
                    yield diagnostic(
                        "L105",
                        f"rule `{rule.id}` takes {-rule.points} points but group `{group.id}` cannot fall below {cap.min}",
                        rule.points_span,
                        help="raise the points or lower the floor",
                    )
                if is_constant(rule.when.expr, False):
                    yield diagnostic(
                        "L106",
                        f"rule `{rule.id}` never fires: its condition is always false",
                        rule.when.span,
                    )
    for commitment in project.commitments:
        targets = [t for t in (commitment.at_least, commitment.at_most) if t is not None]
        if commitment.measure is Measure.SLA_COMPLIANCE:
            for target in targets:
                if target.value > 1:
                    yield diagnostic(
                        "S106",
                        f"commitment `{commitment.id}` measures a share, but its target is {target.value}",
                        target.span,
                        help="write compliance as a share between 0 and 1, e.g. 0.9 for 90%",
                    )
        low, high = commitment.at_least, commitment.at_most
        if low is not None and high is not None and low.value > high.value:
            yield diagnostic(
                "S106",
                f"commitment `{commitment.id}` asks for at least {low.value} and at most {high.value}",
                high.span,
                help="`at_least` must not be above `at_most`",
            )


def _cap(what: str, cap: Cap) -> Iterator[Diagnostic]:
    if cap.max is not None and cap.max < 1:
        yield diagnostic(
            "L104",
            f"{what} is capped at a maximum of {cap.max}",
            cap.span,
            help="a maximum must be positive; use `min` for a floor",
        )
    if cap.min is not None and cap.min > 0:
        yield diagnostic(
            "L104",
            f"{what} has a minimum of {cap.min}, which gives points to leads that earned none",
            cap.span,
            help="a minimum must be 0 or negative; it bounds how far negative points can go",
        )
    if cap.min is not None and cap.max is not None and cap.min >= cap.max:
        yield diagnostic(
            "L104",
            f"{what} has a minimum of {cap.min} and a maximum of {cap.max}",
            cap.span,
            help="the minimum must be below the maximum",
        )
