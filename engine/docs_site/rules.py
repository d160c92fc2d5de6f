"""The views of the rules pages: score groups with their rules, qualification, routing.

Each view is a frozen dataclass of display text and links, built from the IR alone; the
templates only lay them out. Definitions keep the order they are written in, since that
order is policy (routes: first match wins; stages: the last that holds).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.docs_site.facts import Link, TestView, one_line, owners_of, tests_naming, where
from engine.docs_site.links import Locator, anchor, group_page
from engine.ir import Assignment, AssignmentKind, Cap, Condition, Decay, Project, Routing
from engine.span import Span

ASSIGNMENT_LABEL = {
    AssignmentKind.TEAM: "team",
    AssignmentKind.QUEUE: "queue",
    AssignmentKind.USER: "user",
    AssignmentKind.OWNER_FIELD: "the owner in field",
}


@dataclass(frozen=True)
class RuleView:
    id: str
    anchor: str
    condition: str
    points: str
    why: str | None
    where: str
    owners: str
    tests: tuple[TestView, ...]


@dataclass(frozen=True)
class GroupView:
    id: str
    page: str
    description: str | None
    cap: str | None
    decay: str | None
    where: str
    owners: str
    rules: tuple[RuleView, ...]
    tests: tuple[TestView, ...]


@dataclass(frozen=True)
class ConditionView:
    """A grade, disqualifier or stage: an id, its condition and what it is for."""

    kind: str
    id: str
    anchor: str
    condition: str
    note: str | None
    where: str
    owners: str
    tests: tuple[TestView, ...]


@dataclass(frozen=True)
class QualificationView:
    grades: tuple[ConditionView, ...]
    disqualifiers: tuple[ConditionView, ...]
    stages: tuple[ConditionView, ...]
    qualifying_stage: Link | None


@dataclass(frozen=True)
class RouteView:
    number: int
    id: str
    anchor: str
    condition: str | None  # None: written without a condition
    always: bool  # takes every lead that reaches it
    target: Link
    why: str | None
    where: str
    owners: str
    tests: tuple[TestView, ...]


@dataclass(frozen=True)
class AssigneeView:
    """A team or a queue: who works the leads a route assigns."""

    kind: str
    id: str
    anchor: str
    name: str | None
    calendar: Link
    strategy: str | None
    capacity: str | None
    members: tuple[str, ...]
    where: str
    routed_by: tuple[Link, ...]


@dataclass(frozen=True)
class RoutingView:
    routes: tuple[RouteView, ...]
    assignees: tuple[AssigneeView, ...]


def _condition(condition: Condition) -> str:
    return one_line(condition.text) or ""


def _cap(cap: Cap | None) -> str | None:
    if cap is None:
        return None
    low = "no floor" if cap.min is None else f"at least {cap.min}"
    high = "no ceiling" if cap.max is None else f"at most {cap.max}"
    return f"{low}, {high}"


def _decay(decay: Decay | None) -> str | None:
    if decay is None:
        return None
    days = f"{decay.days:g}"
    return f"{decay.method.value.replace('_', ' ')} of {days} days from {decay.from_field.id}"


def score_groups(project: Project) -> tuple[GroupView, ...]:
    if project.score_model is None:
        return ()
    views = []
    for group in project.score_model.groups:
        rules = tuple(
            RuleView(
                rule.id,
                anchor("rule", rule.id),
                _condition(rule.when),
                f"{rule.points:+d}",
                one_line(rule.why),
                where(rule.span),
                owners_of(project, rule.span.file),
                tests_naming(project, "rule", rule.id),
            )
            for rule in group.rules
        )
        views.append(
            GroupView(
                group.id,
                group_page(group.id),
                one_line(group.description),
                _cap(group.cap),
                _decay(group.decay),
                where(group.span),
                owners_of(project, group.span.file),
                rules,
                tests_naming(project, "group", group.id),
            )
        )
    return tuple(views)


def qualification(project: Project) -> QualificationView | None:
    q = project.qualification
    if q is None:
        return None

    def view(kind: str, id_: str, when: Condition, note: str | None, span: Span) -> ConditionView:
        return ConditionView(
            kind,
            id_,
            anchor(kind, id_),
            _condition(when),
            one_line(note),
            where(span),
            owners_of(project, span.file),
            tests_naming(project, kind, id_),
        )

    grades = tuple(view("grade", g.id, g.when, g.description, g.span) for g in q.grades)
    disqualifiers = tuple(
        view("disqualifier", d.id, d.when, d.why, d.span) for d in q.disqualifiers
    )
    stages = tuple(view("stage", s.id, s.when, s.description, s.span) for s in q.stages)
    qualifying = q.qualifying_stage.id if q.qualifying_stage else None
    if qualifying is None and len(q.stages) > 1:
        qualifying = q.stages[1].id  # the first stage after the entry stage
    link = Link(qualifying, f"#{anchor('stage', qualifying)}") if qualifying else None
    return QualificationView(grades, disqualifiers, stages, link)


def assignment_link(locator: Locator, assign: Assignment) -> Link:
    text = f"{ASSIGNMENT_LABEL[assign.kind]} {assign.target}"
    kind = assign.kind.value
    return Link(text, locator.href(kind, assign.target))


def routing(project: Project, locator: Locator) -> RoutingView | None:
    if project.routing is None:
        return None
    r: Routing = project.routing
    routes = tuple(
        RouteView(
            number,
            route.id,
            anchor("route", route.id),
            None if route.when is None else _condition(route.when),
            route.always,
            assignment_link(locator, route.assign),
            one_line(route.why),
            where(route.span),
            owners_of(project, route.span.file),
            tests_naming(project, "route", route.id),
        )
        for number, route in enumerate(r.routes, 1)
    )

    def routed_by(kind: AssignmentKind, id_: str) -> tuple[Link, ...]:
        return tuple(
            Link(route.id, f"#{anchor('route', route.id)}")
            for route in r.routes
            if route.assign.kind is kind and route.assign.target == id_
        )

    assignees = [
        AssigneeView(
            "team",
            team.id,
            anchor("team", team.id),
            team.name,
            Link(team.calendar.id, locator.href("calendar", team.calendar.id)),
            team.strategy.value.replace("_", " "),
            None if team.capacity_per_week is None else f"{team.capacity_per_week} a week",
            tuple(
                member.id
                + (f" ({member.capacity_per_week} a week)" if member.capacity_per_week else "")
                for member in team.members
            ),
            where(team.span),
            routed_by(AssignmentKind.TEAM, team.id),
        )
        for team in r.teams
    ]
    assignees += [
        AssigneeView(
            "queue",
            queue.id,
            anchor("queue", queue.id),
            queue.name,
            Link(queue.calendar.id, locator.href("calendar", queue.calendar.id)),
            None,
            None,
            (),
            where(queue.span),
            routed_by(AssignmentKind.QUEUE, queue.id),
        )
        for queue in r.queues
    ]
    return RoutingView(routes, tuple(assignees))
