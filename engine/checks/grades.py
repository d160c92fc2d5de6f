"""Grade bands are ordered best first: a band hidden behind an earlier band is an error."""

from __future__ import annotations

from collections.abc import Iterator

from engine.diagnostics import Diagnostic, Note, diagnostic
from engine.expressions.logic import first_preempting, is_constant
from engine.ir import Project


def check(project: Project) -> Iterator[Diagnostic]:
    qualification = project.qualification
    if qualification is None:
        return
    grades = qualification.grades
    for position, grade in enumerate(grades):
        if is_constant(grade.when.expr, False):
            yield diagnostic(
                "L106",
                f"grade `{grade.id}` is never given: its condition is always false",
                grade.when.span,
            )
            continue
        found = first_preempting(grade.when.expr, [g.when.expr for g in grades[:position]])
        if found is not None:
            earlier = grades[found]
            yield diagnostic(
                "L103",
                f"grade `{grade.id}` is never given: every lead it matches already gets `{earlier.id}`",
                grade.span,
                help="list bands best first, with thresholds that fall from one band to the next",
                notes=[Note(f"grade `{earlier.id}` is here", earlier.span)],
            )
    for kind, items in (
        ("stage", qualification.stages),
        ("disqualifier", qualification.disqualifiers),
    ):
        for item in items:
            if is_constant(item.when.expr, False):
                yield diagnostic(
                    "L106",
                    f"{kind} `{item.id}` never applies: its condition is always false",
                    item.when.span,
                )
