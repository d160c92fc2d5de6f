"""Span-free descriptions of definitions: what engine.diff.definitions compares.

`describe` turns one IR node into a `Definition`: its kind, id, where it is written and
named facets. A facet's `key` is what two revisions are compared on: values with every
span, position and YAML layout stripped (conditions by their parsed tree, prose with its
whitespace collapsed). Its `text` is what a reviewer reads in the change's details.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from functools import singledispatch

from engine.build.service_levels import WEEKDAYS
from engine.expressions.nodes import Expr
from engine.ir import (
    Calendar,
    Cap,
    Commitment,
    Condition,
    Decay,
    Disqualifier,
    Duration,
    Grade,
    IdRef,
    LeadField,
    LeadModel,
    Member,
    Party,
    Qualification,
    Queue,
    Route,
    Rule,
    ScoreGroup,
    ScoreModel,
    Sla,
    Stage,
    Team,
    Term,
)
from engine.span import Span

NONE = "(none)"


@dataclass(frozen=True)
class Facet:
    """One compared aspect of a definition, e.g. a rule's points."""

    name: str  # how details name it: "points", "condition:"
    key: object  # compared across revisions; never holds a span
    text: str  # shown in details


@dataclass(frozen=True)
class Item:
    """One element of a collection inside a definition: a team's member, a term's alias."""

    id: str
    facets: tuple[Facet, ...] = ()
    summary: str = ""  # shown when the item is added or removed


@dataclass(frozen=True)
class Items:
    """A collection matched by item id, e.g. a team's members."""

    name: str  # singular, as details name one item: "member"
    items: tuple[Item, ...]
    ordered: bool = False  # whether the order of the items means something


@dataclass(frozen=True)
class Definition:
    kind: str
    id: str
    span: Span
    facets: tuple[Facet | Items, ...]
    owners: tuple[str, ...] = ()  # the definition's own owners, besides its file's
    summary: str = ""  # one line for an added or removed definition


def meaning(expr: Expr) -> object:
    """The expression tree without spans or inferred types: equal exactly when two
    conditions say the same thing, however they are laid out."""
    return _plain(expr)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(
                (f.name, _plain(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.name not in ("span", "type")
            ),
        )
    if isinstance(value, bool):  # True == 1 in Python; not in a condition
        return ("bool", value)
    return value


def collapse(text: str) -> str:
    return " ".join(text.split())


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def show(value: object) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def _value(name: str, value: object) -> Facet:
    return Facet(name, _plain(value), show(value))


def _prose(name: str, text: str | None) -> Facet:
    collapsed = None if text is None else collapse(text)
    return Facet(name, collapsed, NONE if collapsed is None else collapsed)


def _condition(name: str, when: Condition | None, absent: str = NONE) -> Facet:
    if when is None:
        return Facet(name, None, absent)
    return Facet(name, meaning(when.expr), collapse(when.text))


def _ref(name: str, ref: IdRef | None) -> Facet:
    return _value(name, None if ref is None else ref.id)


def _duration(name: str, duration: Duration | None) -> Facet:
    if duration is None:
        return Facet(name, None, NONE)
    clock = "business " if duration.business else ""
    text = f"{number(duration.amount)} {clock}{duration.unit.value}"
    return Facet(name, (duration.amount, duration.unit, duration.business), text)


def _ids(name: str, ids: tuple[str, ...], ordered: bool = False) -> Items:
    return Items(name, tuple(Item(i) for i in ids), ordered)


@singledispatch
def describe(node: object) -> Definition:
    raise TypeError(f"no description for {type(node).__name__}")


@describe.register
def _rule(rule: Rule) -> Definition:
    facets = (
        _value("group", rule.group),
        _condition("condition:", rule.when),
        _value("points", rule.points),
        _prose("why:", rule.why),
    )
    summary = f"{rule.points} points in {rule.group} when {collapse(rule.when.text)}"
    return Definition("rule", rule.id, rule.span, facets, summary=summary)


def _cap(cap: Cap | None) -> tuple[Facet, Facet]:
    return (
        _value("cap min", cap.min if cap else None),
        _value("cap max", cap.max if cap else None),
    )


def _decay(decay: Decay | None) -> Facet:
    if decay is None:
        return Facet("decay", None, NONE)
    text = f"{decay.method.value} {number(decay.days)} days from {decay.from_field.id}"
    return Facet("decay", (decay.method, decay.days, decay.from_field.id), text)


@describe.register
def _group(group: ScoreGroup) -> Definition:
    facets = (
        _prose("description:", group.description),
        *_cap(group.cap),
        _decay(group.decay),
    )
    return Definition("group", group.id, group.span, facets)


@describe.register
def _score(model: ScoreModel) -> Definition:
    span = model.cap.span if model.cap else model.span
    return Definition("score", "total", span, _cap(model.cap))


@describe.register
def _grade(grade: Grade) -> Definition:
    facets = (_condition("condition:", grade.when), _prose("description:", grade.description))
    return Definition("grade", grade.id, grade.span, facets)


@describe.register
def _disqualifier(disqualifier: Disqualifier) -> Definition:
    facets = (_condition("condition:", disqualifier.when), _prose("why:", disqualifier.why))
    return Definition("disqualifier", disqualifier.id, disqualifier.span, facets)


@describe.register
def _stage(stage: Stage) -> Definition:
    facets = (_condition("condition:", stage.when), _prose("description:", stage.description))
    return Definition("stage", stage.id, stage.span, facets)


@describe.register
def _qualifying_stage(qualification: Qualification) -> Definition:
    chosen = qualification.qualifying_stage
    facet = Facet(
        "qualifying stage",
        chosen.id if chosen else None,
        chosen.id if chosen else "(the first stage after the entry stage)",
    )
    span = chosen.span if chosen else qualification.span
    return Definition("qualifying_stage", "qualification", span, (facet,))


@describe.register
def _route(route: Route) -> Definition:
    assigns = f"{route.assign.kind.value}:{route.assign.target}"
    when = None if route.always else route.when
    facets = (
        _condition("condition:", when, absent="(every lead)"),
        Facet("assigns", (route.assign.kind, route.assign.target), assigns),
        _prose("why:", route.why),
    )
    summary = f"assigns {assigns}" + (f" when {collapse(when.text)}" if when else "")
    return Definition("route", route.id, route.span, facets, summary=summary)


def _member(member: Member) -> Item:
    facets = (
        _prose("name:", member.name),
        _value("weight", member.weight),
        _value("capacity_per_week", member.capacity_per_week),
    )
    return Item(member.id, facets)


@describe.register
def _team(team: Team) -> Definition:
    facets = (
        _prose("name:", team.name),
        _ref("calendar", team.calendar),
        _value("strategy", team.strategy),
        _value("capacity_per_week", team.capacity_per_week),
        # Round robin hands leads out in member order, so the order is part of the policy.
        Items("member", tuple(_member(m) for m in team.members), ordered=True),
    )
    return Definition("team", team.id, team.span, facets)


@describe.register
def _queue(queue: Queue) -> Definition:
    facets = (_prose("name:", queue.name), _ref("calendar", queue.calendar))
    return Definition("queue", queue.id, queue.span, facets)


@describe.register
def _term(term: Term) -> Definition:
    means = term.means
    if isinstance(means, Condition):
        means_facet = _condition("means:", means)
    elif means is None:
        means_facet = Facet("means:", None, NONE)
    else:
        binding = f"{means.path}#{means.target}"
        means_facet = Facet("means:", ("binding", binding), binding)
    owners = tuple(o.id for o in term.owners)
    facets = (
        _prose("name:", term.name),
        _prose("definition:", term.definition),
        means_facet,
        _ids("alias", tuple(f"{a.party}: {collapse(a.text)}" for a in term.aliases)),
        _ids("owner", owners),
        _ids("see also", tuple(ref.id for ref in term.see_also)),
    )
    return Definition("term", term.id, term.span, facets, owners=owners)


@describe.register
def _sla(sla: Sla) -> Definition:
    breach = sla.on_breach
    facets = (
        _ref("owner", sla.owner),
        _prose("description:", sla.description),
        _condition("applies_to:", sla.applies_to),
        _ref("start", sla.start),
        _ref("stop", sla.stop),
        _duration("within", sla.within),
        _ref("calendar", sla.calendar),
        _ref("fallback_calendar", sla.fallback_calendar),
        _ref("escalate_to", breach.escalate_to if breach else None),
        _duration("recycle_after", breach.recycle_after if breach else None),
    )
    return Definition("sla", sla.id, sla.span, facets)


@describe.register
def _commitment(commitment: Commitment) -> Definition:
    facets = (
        _ref("owner", commitment.owner),
        _ref("to", commitment.to),
        _prose("description:", commitment.description),
        _value("measure", commitment.measure),
        _condition("of:", commitment.of),
        _ref("dated_by", commitment.dated_by),
        _ref("sla", commitment.sla),
        _value("per", commitment.per),
        _value("at_least", commitment.at_least.value if commitment.at_least else None),
        _value("at_most", commitment.at_most.value if commitment.at_most else None),
    )
    return Definition("commitment", commitment.id, commitment.span, facets)


def _clock(time: dt.time) -> str:
    return "24:00" if time == dt.time.max else time.strftime("%H:%M")


@describe.register
def _calendar(calendar: Calendar) -> Definition:
    days: dict[int, list[str]] = {}
    for hours in sorted(calendar.hours, key=lambda h: (h.weekday, h.start)):
        days.setdefault(hours.weekday, []).append(f"{_clock(hours.start)}-{_clock(hours.end)}")
    week = tuple(
        Item(WEEKDAYS[day], (Facet("", tuple(spans), ", ".join(spans)),), ", ".join(spans))
        for day, spans in sorted(days.items())
    )
    holidays = calendar.holidays
    region = None
    if holidays is not None:
        region = "-".join(filter(None, (holidays.country, holidays.subdivision)))
    facets = (
        _value("timezone", calendar.timezone),
        Items("hours", week),
        _value("holidays", region),
        _ids("closed", tuple(sorted(day.isoformat() for day in calendar.closed))),
    )
    return Definition("calendar", calendar.id, calendar.span, facets)


@describe.register
def _field(field: LeadField) -> Definition:
    facets = (
        _value("type", field.type),
        _value("role", field.role),
        _value("column", field.source_column),
        _prose("description:", field.description),
        _ids("value", field.values or ()),
        _ids("null value", field.null_values),
        _value("salesforce", field.salesforce),
        _value("hubspot", field.hubspot),
    )
    summary = f"{field.type.value}, {field.role.value}"
    return Definition("field", field.id, field.span, facets, summary=summary)


@describe.register
def _lead_model(model: LeadModel) -> Definition:
    facets = (
        _ref("id_field", model.id_field),
        _ref("arrival_field", model.arrival_field),
        # Reports break counts down in this order.
        _ids("report_by", tuple(ref.id for ref in model.report_by), ordered=True),
        _ids(
            "segment",
            tuple(f"{s.name} = {' | '.join(r.id for r in s.terms)}" for s in model.segments),
            ordered=True,
        ),
        _ids("null value", model.null_values),
    )
    return Definition("field", "lead model", model.span, facets)


@describe.register
def _party(party: Party) -> Definition:
    facets = (_prose("name:", party.name), _value("github", party.github))
    return Definition("party", party.id, party.span, facets)
