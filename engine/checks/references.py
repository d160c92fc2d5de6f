"""Every reference by id resolves, to a definition of the right kind and type."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from engine.diagnostics import Diagnostic, diagnostic, did_you_mean, known_list
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import (
    ROUTED_CALENDAR,
    AssignmentKind,
    Expectation,
    FieldRole,
    FieldType,
    IdRef,
    Project,
)
from engine.span import Span


def unknown(
    what: str,
    name: str,
    span: Span,
    known: Iterable[str],
    where: str = "",
    *,
    plural: str | None = None,
) -> Diagnostic:
    """R102 with a did-you-mean, or the list of what exists."""
    pool = sorted(set(known))
    shown = ", ".join(f"`{k}`" for k in pool[:12]) + (" …" if len(pool) > 12 else "")
    many = plural or f"{what}s"
    return diagnostic(
        "R102",
        f"unknown {what} `{name}`",
        span,
        help=did_you_mean(name, pool)
        or (f"the {many}{where} are {shown}" if pool else f"no {many} are defined{where}"),
    )


def check(project: Project) -> Iterator[Diagnostic]:
    yield from _owners(project)
    yield from _routing(project)
    yield from _fields(project)
    yield from _service_levels(project)
    yield from _glossary(project)
    yield from _tests(project)


def _owners(project: Project) -> Iterator[Diagnostic]:
    parties = {p.id for p in project.parties}
    refs: list[IdRef] = [ref for source in project.sources for ref in source.owners]
    refs += [ref for term in project.terms for ref in term.owners]
    refs += [IdRef(alias.party, alias.span) for term in project.terms for alias in term.aliases]
    refs += [s.owner for s in project.slas]
    refs += [c.owner for c in project.commitments]
    refs += [c.to for c in project.commitments if c.to]
    seen: set[tuple[str, Span]] = set()
    for ref in refs:
        if ref.id not in parties and (ref.id, ref.span) not in seen:
            seen.add((ref.id, ref.span))
            yield unknown(
                "party",
                ref.id,
                ref.span,
                parties,
                " (under `parties` in accord.yaml)",
                plural="parties",
            )


def _routing(project: Project) -> Iterator[Diagnostic]:
    routing = project.routing
    if routing is None:
        return
    calendars = {c.id for c in project.calendars}
    if project.complete("ServiceLevels"):
        for ref in [*(t.calendar for t in routing.teams), *(q.calendar for q in routing.queues)]:
            if ref.id not in calendars:
                yield unknown("calendar", ref.id, ref.span, calendars)
    teams = {t.id for t in routing.teams}
    queues = {q.id for q in routing.queues}
    members = {m.id for t in routing.teams for m in t.members}
    for route in routing.routes:
        target, span = route.assign.target, route.assign.span
        match route.assign.kind:
            case AssignmentKind.TEAM if target not in teams:
                yield unknown("team", target, span, teams)
            case AssignmentKind.QUEUE if target not in queues:
                yield unknown("queue", target, span, queues)
            case AssignmentKind.USER if target not in members:
                yield unknown("user", target, span, members, " (members of a team)")
            case AssignmentKind.OWNER_FIELD:
                yield from _field_of_type(
                    project, IdRef(target, span), {FieldType.STRING}, "an owner field"
                )


def _field_of_type(
    project: Project,
    ref: IdRef,
    types: set[FieldType],
    role: str,
    *,
    attribute_only: bool = False,
    measures: bool = False,
) -> Iterator[Diagnostic]:
    """The field exists and has one of `types`. Fields that drive a decision may not be
    outcomes (scoring ones must be attributes); fields an SLA or commitment only measures
    (`start`, `stop`, `dated_by`) may be, e.g. the time a deal was won."""
    if project.lead_model is None:
        return
    name, span = ref.id, ref.span
    field = project.lead_model.field(name)
    if field is None:
        yield unknown("field", name, span, (f.id for f in project.lead_model.fields))
        return
    wanted = " or ".join(sorted(t.value for t in types))
    if field.type not in types:
        fitting = sorted(f.id for f in project.lead_model.fields if f.type in types)
        yield diagnostic(
            "R103",
            f"{role} must be a {wanted} field, but `{name}` is {field.type.value}",
            span,
            help=f"the {wanted} fields are {known_list(fitting)}"
            if fitting
            else f"add a {wanted} field to the lead model",
        )
    elif field.role is FieldRole.OUTCOME and not measures:
        yield diagnostic(
            "E109",
            f"`{name}` is an outcome field and cannot be {role}",
            span,
            help="outcomes judge the rules on history; they never drive them",
        )
    elif attribute_only and field.role is not FieldRole.ATTRIBUTE:
        yield diagnostic(
            "E110",
            f"{role} may not be the {field.role.value} field `{name}`",
            span,
            help="scoring may use attribute fields only; see docs/language.md",
        )


def _fields(project: Project) -> Iterator[Diagnostic]:
    if project.score_model is None:
        return
    for group in project.score_model.groups:
        if group.decay:
            yield from _field_of_type(
                project,
                group.decay.from_field,
                {FieldType.DATETIME, FieldType.DATE},
                "decay's `from`",
                attribute_only=True,
            )


def _service_levels(project: Project) -> Iterator[Diagnostic]:
    if not project.complete("ServiceLevels"):
        return  # a broken file may hold the calendar or SLA referred to
    calendars = {c.id for c in project.calendars}
    escalation_targets: set[str] = set()
    if project.routing:
        escalation_targets = {t.id for t in project.routing.teams} | {
            q.id for q in project.routing.queues
        }
    times = {FieldType.DATETIME}
    for sla in project.slas:
        yield from _field_of_type(project, sla.start, times, "an SLA's `start`", measures=True)
        yield from _field_of_type(project, sla.stop, times, "an SLA's `stop`", measures=True)
        if sla.calendar.id != ROUTED_CALENDAR and sla.calendar.id not in calendars:
            yield unknown(
                "calendar", sla.calendar.id, sla.calendar.span, calendars, " (or `routed`)"
            )
        fallback = sla.fallback_calendar
        if fallback and fallback.id not in calendars:
            yield unknown("calendar", fallback.id, fallback.span, calendars)
        if (
            sla.calendar.id == ROUTED_CALENDAR
            and sla.fallback_calendar is None
            and _routes_to_people(project)
        ):
            yield diagnostic(
                "S102",
                f"SLA `{sla.id}` counts on the routed calendar but has no `fallback_calendar`",
                sla.calendar.span,
                help="leads routed to a person (a user or an owner field) have no team calendar; name one with `fallback_calendar:`",
            )
        breach = sla.on_breach
        target = breach.escalate_to if breach else None
        if target and project.complete("Routing") and target.id not in escalation_targets:
            yield unknown(
                "team or queue",
                target.id,
                target.span,
                escalation_targets,
                plural="teams and queues",
            )
    slas = {s.id for s in project.slas}
    for commitment in project.commitments:
        if commitment.dated_by:
            yield from _field_of_type(
                project, commitment.dated_by, times, "`dated_by`", measures=True
            )
        if commitment.sla and commitment.sla.id not in slas:
            yield unknown("SLA", commitment.sla.id, commitment.sla.span, slas)


def _routes_to_people(project: Project) -> bool:
    routing = project.routing
    people = (AssignmentKind.USER, AssignmentKind.OWNER_FIELD)
    return routing is not None and any(r.assign.kind in people for r in routing.routes)


def _glossary(project: Project) -> Iterator[Diagnostic]:
    terms = {t.id for t in project.terms}
    claimed: dict[str, str] = {}
    for term in project.terms:
        for ref in term.see_also:
            if ref.id not in terms and project.complete("Glossary"):
                yield unknown("term", ref.id, ref.span, terms)
        for alias in term.aliases:
            key = alias.text.casefold()
            if key in claimed and claimed[key] != term.id:
                yield diagnostic(
                    "R108",
                    f"alias `{alias.text}` already belongs to the term `{claimed[key]}`",
                    alias.span,
                    help="an alias must lead to one term; drop it here or there",
                )
            claimed.setdefault(key, term.id)
    # Bindings (`means: file#id`) are resolved with the dependencies, where they matter.
    if project.lead_model is None or not project.complete("Glossary"):
        return
    meanings = {t.id: t.means for t in project.terms}
    for segment in project.lead_model.segments:
        for ref in segment.terms:
            if ref.id not in meanings:
                yield unknown("term", ref.id, ref.span, terms)
            elif meanings[ref.id] is None:
                yield diagnostic(
                    "E113",
                    f"the segment `{segment.name}` needs terms that decide, but the glossary"
                    f" term `{ref.id}` has no `means`",
                    ref.span,
                    help="give the term a `means:` (a condition or a binding), or leave it out",
                )


def _tests(project: Project) -> Iterator[Diagnostic]:
    """What the rule tests expect names real groups, rules, grades, stages and routes."""
    known: dict[str, set[str]] = {}
    if project.score_model and project.complete("ScoreModel"):
        known["score group"] = {g.id for g in project.score_model.groups}
        known["rule"] = {r.id for r in project.score_model.rules}
    if project.qualification and project.complete("Qualification"):
        known["grade"] = {g.id for g in project.qualification.grades}
        known["stage"] = {s.id for s in project.qualification.stages} | {DISQUALIFIED_STAGE}
        known["disqualifier"] = {d.id for d in project.qualification.disqualifiers}
    if project.routing and project.complete("Routing"):
        known["route"] = {r.id for r in project.routing.routes}
        known["team"] = {t.id for t in project.routing.teams}
        known["queue"] = {q.id for q in project.routing.queues}
    if project.complete("ServiceLevels"):
        known["SLA"] = {s.id for s in project.slas}
    for test in project.tests:
        for what, ref in _expected_references(test.expect):
            if what in known and ref.id not in known[what]:
                yield unknown(what, ref.id, ref.span, known[what])


def _expected_references(expect: Expectation) -> Iterator[tuple[str, IdRef]]:
    for name, _ in expect.groups:
        yield "score group", IdRef(name.value, name.span)
    for rule in expect.rules_fired or ():
        yield "rule", IdRef(rule.value, rule.span)
    for what, expected in (
        ("grade", expect.grade),
        ("stage", expect.stage),
        ("disqualifier", expect.disqualified_by),
        ("route", expect.route),
    ):
        if expected is not None and expected.value is not None:
            yield what, IdRef(expected.value, expected.span)
    if expect.assignee:
        kind, _, target = expect.assignee.value.partition(":")
        if kind in ("team", "queue"):  # users may be any owner-field value
            yield kind, IdRef(target, expect.assignee.span)
    for sla, _ in expect.sla_due:
        yield "SLA", IdRef(sla.value, sla.span)
