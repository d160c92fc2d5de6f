"""The interpreter: evaluate the whole project for one lead, recording why at every step.

`Interpreter(project)` compiles every condition once; `evaluate(lead, as_of)` then runs the
stages of docs/evaluation.md in order — rules, groups with decay and caps, the score,
grade, disqualifiers, stage, routes, SLA clocks — and returns the `Evaluation` trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from engine.business_time import BusinessCalendar
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.interpreter.expressions import Env, Fn, compile_condition
from engine.interpreter.functions import days_since
from engine.interpreter.trace import (
    DecayApplied,
    Evaluation,
    GroupResult,
    RouteTried,
    SlaClock,
    SlaStatus,
)
from engine.interpreter.values import AS_OF, Lead
from engine.ir import (
    ROUTED_CALENDAR,
    AssignmentKind,
    Binding,
    Cap,
    Condition,
    Decay,
    DecayMethod,
    Project,
    Route,
    Rule,
    ScoreGroup,
    Sla,
)

Predicate = Callable[[Env], bool]


class NotEvaluable(Exception):
    """The project lacks what evaluation needs (it did not validate)."""


@dataclass(frozen=True)
class _Group:
    group: ScoreGroup
    rules: tuple[tuple[Rule, Predicate], ...]


@dataclass(frozen=True)
class _Route:
    route: Route
    holds: Predicate
    owner_field: str | None


def clamp(value: float, cap: Cap | None) -> float:
    if cap is None:
        return value
    if cap.min is not None and value < cap.min:
        value = float(cap.min)
    if cap.max is not None and value > cap.max:
        value = float(cap.max)
    return value


def decay_factor(
    decay: Decay, since: dt.datetime | dt.date | None, as_of: dt.datetime
) -> DecayApplied:
    """The factor a group's points are multiplied by, from the age of its `from` time."""
    if since is None:
        return DecayApplied(decay, None, None, 0.0)
    if not isinstance(since, dt.datetime):
        since = dt.datetime(since.year, since.month, since.day)
    age = days_since(since, as_of)
    if age <= 0:
        factor = 1.0
    elif decay.method is DecayMethod.HALF_LIFE:
        factor = 0.5 ** (age / decay.days)
    elif decay.method is DecayMethod.LINEAR:
        factor = max(0.0, 1.0 - age / decay.days)
    else:
        factor = 1.0 if age <= decay.days else 0.0
    return DecayApplied(decay, since, age, factor)


class Interpreter:
    """One project's conditions compiled to closures, ready to evaluate lead after lead."""

    def __init__(self, project: Project) -> None:
        if project.lead_model is None:
            raise NotEvaluable("the project has no lead model")
        self.project = project
        self._terms: dict[str, Fn] = {}
        self._blank: dict[str, None] = {f.id: None for f in project.lead_model.fields}
        score_model = project.score_model
        self._groups = tuple(
            _Group(group, tuple((rule, self._condition(rule.when)) for rule in group.rules))
            for group in (score_model.groups if score_model else ())
        )
        self._total_cap = score_model.cap if score_model else None
        q = project.qualification
        self._grades = tuple((g.id, self._condition(g.when)) for g in (q.grades if q else ()))
        self._disqualifiers = tuple(
            (d.id, self._condition(d.when)) for d in (q.disqualifiers if q else ())
        )
        self._stages = tuple((s.id, self._condition(s.when)) for s in (q.stages if q else ()))
        predicates = {**dict(self._stages), **dict(self._disqualifiers)}
        for term in project.terms:
            if isinstance(term.means, Condition):
                self._terms[term.id] = self._condition(term.means)
            elif isinstance(term.means, Binding) and term.means.target in predicates:
                self._terms[term.id] = predicates[term.means.target]
        routing = project.routing
        self._routes = tuple(
            _Route(
                route,
                self._condition(route.when) if route.when else (lambda env: True),
                route.assign.target if route.assign.kind is AssignmentKind.OWNER_FIELD else None,
            )
            for route in (routing.routes if routing else ())
        )
        self._place_calendars = {
            **{f"team:{t.id}": t.calendar.id for t in (routing.teams if routing else ())},
            **{f"queue:{q.id}": q.calendar.id for q in (routing.queues if routing else ())},
        }
        self._calendars = {c.id: BusinessCalendar(c) for c in project.calendars}
        self._slas = tuple((sla, self._condition(sla.applies_to)) for sla in project.slas)

    def _condition(self, condition: Condition) -> Predicate:
        return compile_condition(condition.expr, self._terms)

    def evaluate(
        self, lead: Lead, as_of: dt.datetime, *, terms: tuple[str, ...] = ()
    ) -> Evaluation:
        """Evaluate one lead (field id → value; absent fields are missing) at the clock.

        `terms` are glossary terms to decide for the lead as well (`Evaluation.terms`): each
        must have a condition as its meaning, or be bound to a stage or a disqualifier.
        """
        undecidable = [term for term in terms if term not in self._terms]
        if undecidable:
            raise NotEvaluable(f"the glossary term `{undecidable[0]}` does not decide for a lead")
        env: Env = dict(self._blank)
        env.update(lead)
        env[AS_OF] = as_of
        groups = []
        total = 0.0
        for index, compiled in enumerate(self._groups):
            group = compiled.group
            fired = tuple(rule for rule, holds in compiled.rules if holds(env))
            points = sum(rule.points for rule in fired)
            applied = None
            decayed = float(points)
            if group.decay is not None:
                applied = decay_factor(group.decay, env[group.decay.from_field.id], as_of)
                decayed = points * applied.factor
            score = clamp(decayed, group.cap)
            env[group.id] = score
            total = score if index == 0 else total + score
            groups.append(GroupResult(group.id, fired, points, applied, decayed, group.cap, score))
        score = clamp(total, self._total_cap)
        env["score"] = score
        grade = next((grade for grade, holds in self._grades if holds(env)), None)
        env["grade"] = grade
        disqualifiers = tuple(d for d, holds in self._disqualifiers if holds(env))
        stages = tuple(s for s, holds in self._stages if holds(env))
        if disqualifiers:
            stage: str | None = DISQUALIFIED_STAGE
        else:
            stage = stages[-1] if stages else None
        env["stage"] = stage
        # After the stage, so that a term may read every computed value.
        held = {term: self._terms[term](env) is True for term in terms}
        tried, route, assignee = self._route(env)
        return Evaluation(
            as_of=as_of,
            groups=tuple(groups),
            total=total,
            total_cap=self._total_cap,
            score=score,
            grade=grade,
            disqualified_by=disqualifiers[0] if disqualifiers else None,
            disqualifiers_held=disqualifiers,
            stages_held=stages,
            stage=stage,
            routes_tried=tried,
            route=route,
            assignee=assignee,
            sla_clocks=self._sla_clocks(env, assignee, as_of),
            terms=held,
        )

    def _route(self, env: Env) -> tuple[tuple[RouteTried, ...], Route | None, str | None]:
        tried = []
        for compiled in self._routes:
            route = compiled.route
            if not compiled.holds(env):
                tried.append(RouteTried(route, matched=False))
                continue
            if compiled.owner_field is not None:
                owner = env[compiled.owner_field]
                if owner is None:
                    note = f"`{compiled.owner_field}` is empty"
                    tried.append(RouteTried(route, matched=False, note=note))
                    continue
                tried.append(RouteTried(route, matched=True))
                return tuple(tried), route, f"user:{owner}"
            tried.append(RouteTried(route, matched=True))
            return tuple(tried), route, f"{route.assign.kind.value}:{route.assign.target}"
        return tuple(tried), None, None

    def _sla_clocks(
        self, env: Env, assignee: str | None, as_of: dt.datetime
    ) -> tuple[SlaClock, ...]:
        clocks = []
        for sla, applies in self._slas:
            if applies(env):
                clocks.append(self._clock(sla, env, assignee, as_of))
        return tuple(clocks)

    def _clock(self, sla: Sla, env: Env, assignee: str | None, as_of: dt.datetime) -> SlaClock:
        calendar: str | None = sla.calendar.id
        if calendar == ROUTED_CALENDAR:
            calendar = self._place_calendars.get(assignee or "")
            if calendar is None and sla.fallback_calendar is not None:
                calendar = sla.fallback_calendar.id
        start, stop = env[sla.start.id], env[sla.stop.id]
        if start is None:
            return SlaClock(sla.id, calendar, None, None, stop, SlaStatus.NOT_STARTED)
        if calendar is None or calendar not in self._calendars:
            return SlaClock(sla.id, calendar, start, None, stop, SlaStatus.NO_CALENDAR)
        due = self._calendars[calendar].add(start, sla.within)
        if stop is not None:
            status = SlaStatus.MET if stop <= due else SlaStatus.BREACHED
        else:
            status = SlaStatus.OVERDUE if as_of > due else SlaStatus.OPEN
        return SlaClock(sla.id, calendar, start, due, stop, status)
