"""Checks over the whole project, one module per concern, applied in the order listed here."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.checks import calendars, dependencies, grades, ids, points, references, routes
from engine.diagnostics import Diagnostic
from engine.ir import Project

Check = Callable[[Project], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    ids.check,
    references.check,
    dependencies.check,
    routes.check,
    grades.check,
    points.check,
    calendars.check,
)


def run_checks(project: Project) -> list[Diagnostic]:
    return [problem for check in CHECKS for problem in check(project)]
