"""Routing order: a fallback at the end, and no route hidden behind an earlier one."""

from __future__ import annotations

from collections.abc import Iterator

from engine.diagnostics import Diagnostic, Note, diagnostic
from engine.expressions.logic import first_preempting, is_constant
from engine.ir import Project


def check(project: Project) -> Iterator[Diagnostic]:
    routing = project.routing
    if routing is None or not routing.routes:
        return
    routes = routing.routes
    last = routes[-1]
    if not last.always:
        yield diagnostic(
            "L101",
            f"the last route `{last.id}` has a condition, so a lead that matches no route goes nowhere",
            last.span,
            help="end with a fallback route without `when:`, e.g. `- {id: fallback, assign: {queue: unassigned-leads}}`",
        )
    for position, route in enumerate(routes):
        if route.when is not None and is_constant(route.when.expr, False):
            yield diagnostic(
                "L106",
                f"route `{route.id}` can never match: its condition is always false",
                route.when.span,
                help="remove the route or fix its condition",
            )
            continue
        found = first_preempting(route.condition, [r.condition for r in routes[:position]])
        if found is not None:
            earlier = routes[found]
            reason = (
                "takes every lead" if earlier.always else "matches every lead this route matches"
            )
            yield diagnostic(
                "L102",
                f"route `{route.id}` can never match: the earlier route `{earlier.id}` {reason}",
                route.span,
                help="move this route above it, or narrow the earlier route's condition",
                notes=[Note(f"route `{earlier.id}` is here", earlier.span)],
            )
