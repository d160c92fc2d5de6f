"""Build the Routing (rules/routing.yaml): queues, teams with members, and ordered routes."""

from __future__ import annotations

from typing import Any

from engine.build.context import BuildContext
from engine.document import Path
from engine.expressions.scope import Context
from engine.ir import Assignment, AssignmentKind, Member, Queue, Route, Routing, Strategy, Team


def build_routing(ctx: BuildContext) -> Routing:
    queues = tuple(
        Queue(
            id=queue_id,
            name=spec["name"],
            calendar=ctx.ref(("queues", queue_id, "calendar")),
            span=ctx.key_span(("queues", queue_id)),
        )
        for queue_id, spec in ctx.value(("queues",), {}).items()
    )
    teams = tuple(_team(ctx, team_id, spec) for team_id, spec in ctx.value(("teams",)).items())
    routes = []
    for index, spec in enumerate(ctx.value(("routes",))):
        at: Path = ("routes", index)
        when = None
        if "when" in spec:
            when = ctx.condition((*at, "when"), Context.ROUTE)
            if when is None:
                continue
        ((kind, target),) = spec["assign"].items()
        assignment = Assignment(AssignmentKind(kind), target, ctx.span((*at, "assign", kind)))
        routes.append(Route(spec["id"], when, assignment, spec.get("why"), ctx.span(at)))
    return Routing(queues=queues, teams=teams, routes=tuple(routes), span=ctx.span(()))


def _team(ctx: BuildContext, team_id: str, spec: dict[str, Any]) -> Team:
    at: Path = ("teams", team_id)
    members = []
    for index, member in enumerate(spec["members"]):
        span = ctx.span((*at, "members", index))
        if isinstance(member, str):
            members.append(Member(member, None, 1.0, None, span))
        else:
            members.append(
                Member(
                    id=member["id"],
                    name=member.get("name"),
                    weight=float(member.get("weight", 1)),
                    capacity_per_week=member.get("capacity_per_week"),
                    span=span,
                )
            )
    return Team(
        id=team_id,
        name=spec.get("name"),
        calendar=ctx.ref((*at, "calendar")),
        strategy=Strategy(spec["strategy"]),
        capacity_per_week=spec.get("capacity_per_week"),
        members=tuple(members),
        span=ctx.key_span(at),
    )
