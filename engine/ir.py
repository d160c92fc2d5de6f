"""The typed IR: the whole project as frozen dataclasses, each node with the span it came from.

Every stage past the loader reads these types and nothing else. Ids are stable
(`rule:senior_buyer`, `term:mql`, `sla:mql_first_touch`) and are how definitions refer to
one another, how reports name them and how diffs match them across revisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from engine.expressions.nodes import Expr, Literal
from engine.span import Span

T = TypeVar("T")


class FieldType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


class FieldRole(StrEnum):
    ATTRIBUTE = "attribute"
    LIFECYCLE = "lifecycle"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class Condition:
    """A checked expression and the text it was written as."""

    text: str
    expr: Expr
    span: Span

    @property
    def always(self) -> bool:
        return isinstance(self.expr, Literal) and self.expr.value is True


@dataclass(frozen=True)
class IdRef:
    """A reference to a definition by id, where it is written."""

    id: str
    span: Span


@dataclass(frozen=True)
class Expected(Generic[T]):
    """A value and where it is written (a rule test's expectation, a target)."""

    value: T
    span: Span


@dataclass(frozen=True)
class Source:
    """One definition file: its kind and the parties that own it."""

    path: str
    kind: str
    owners: tuple[IdRef, ...]
    span: Span


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    github: str | None
    span: Span


@dataclass(frozen=True)
class LeadField:
    id: str
    type: FieldType
    role: FieldRole
    description: str | None
    values: tuple[str, ...] | None
    salesforce: str | None
    hubspot: str | None
    span: Span
    column: str = ""  # the column in lead data files; the id when empty
    null_values: tuple[str, ...] = ()  # this field's own values that mean "missing"

    @property
    def source_column(self) -> str:
        return self.column or self.id


@dataclass(frozen=True)
class Segment:
    """A breakdown of impact reports by glossary terms: a lead is in the first that holds."""

    name: str
    terms: tuple[IdRef, ...]
    span: Span


@dataclass(frozen=True)
class LeadModel:
    id_field: IdRef
    fields: tuple[LeadField, ...]
    span: Span
    arrival_field: IdRef | None = None
    null_values: tuple[str, ...] = ()  # values that mean "missing" in every field
    report_by: tuple[IdRef, ...] = ()  # fields impact reports break counts down by
    segments: tuple[Segment, ...] = ()  # and term-defined segments, after the fields

    def field(self, name: str) -> LeadField | None:
        return next((f for f in self.fields if f.id == name), None)


@dataclass(frozen=True)
class Cap:
    min: int | None
    max: int | None
    span: Span


class DecayMethod(StrEnum):
    HALF_LIFE = "half_life"
    LINEAR = "linear"
    WINDOW = "window"


@dataclass(frozen=True)
class Decay:
    method: DecayMethod
    days: float
    from_field: IdRef
    span: Span


@dataclass(frozen=True)
class Rule:
    id: str
    group: str
    when: Condition
    points: int
    why: str | None
    span: Span
    points_span: Span


@dataclass(frozen=True)
class ScoreGroup:
    id: str
    description: str | None
    rules: tuple[Rule, ...]
    cap: Cap | None
    decay: Decay | None
    span: Span


@dataclass(frozen=True)
class ScoreModel:
    groups: tuple[ScoreGroup, ...]
    cap: Cap | None
    span: Span

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for group in self.groups for rule in group.rules)


@dataclass(frozen=True)
class Grade:
    id: str
    when: Condition
    description: str | None
    span: Span


@dataclass(frozen=True)
class Disqualifier:
    id: str
    when: Condition
    why: str | None
    span: Span


@dataclass(frozen=True)
class Stage:
    id: str
    when: Condition
    description: str | None
    span: Span


@dataclass(frozen=True)
class Qualification:
    grades: tuple[Grade, ...]
    disqualifiers: tuple[Disqualifier, ...]
    stages: tuple[Stage, ...]
    span: Span
    qualifying_stage: IdRef | None = None  # None: the first stage after the entry stage


class Strategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    WEIGHTED = "weighted"
    CAPACITY_AWARE = "capacity_aware"


@dataclass(frozen=True)
class Member:
    id: str
    name: str | None
    weight: float
    capacity_per_week: int | None
    span: Span


@dataclass(frozen=True)
class Team:
    id: str
    name: str | None
    calendar: IdRef
    strategy: Strategy
    capacity_per_week: int | None
    members: tuple[Member, ...]
    span: Span


@dataclass(frozen=True)
class Queue:
    id: str
    name: str
    calendar: IdRef
    span: Span


class AssignmentKind(StrEnum):
    TEAM = "team"
    QUEUE = "queue"
    USER = "user"
    OWNER_FIELD = "owner_field"


@dataclass(frozen=True)
class Assignment:
    kind: AssignmentKind
    target: str
    span: Span


@dataclass(frozen=True)
class Route:
    id: str
    when: Condition | None  # None: the route takes every lead
    assign: Assignment
    why: str | None
    span: Span

    @property
    def always(self) -> bool:
        return self.when is None or self.when.always

    @property
    def condition(self) -> Expr:
        """The route's condition; `true` for a route without one."""
        return self.when.expr if self.when else Literal(value=True, span=self.span)


@dataclass(frozen=True)
class Routing:
    queues: tuple[Queue, ...]
    teams: tuple[Team, ...]
    routes: tuple[Route, ...]
    span: Span


@dataclass(frozen=True)
class WorkingHours:
    """One open interval on one weekday (0 = Monday), in the calendar's time zone."""

    weekday: int
    start: dt.time
    end: dt.time  # 24:00 is written as time.max
    span: Span


@dataclass(frozen=True)
class Holidays:
    country: str
    country_span: Span
    subdivision: str | None
    subdivision_span: Span | None


@dataclass(frozen=True)
class Calendar:
    id: str
    timezone: str
    timezone_span: Span
    hours: tuple[WorkingHours, ...]
    holidays: Holidays | None
    closed: tuple[dt.date, ...]
    span: Span


class TimeUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: TimeUnit
    business: bool
    span: Span


@dataclass(frozen=True)
class Breach:
    escalate_to: IdRef | None
    recycle_after: Duration | None


ROUTED_CALENDAR = "routed"


@dataclass(frozen=True)
class Sla:
    id: str
    owner: IdRef
    description: str | None
    applies_to: Condition
    start: IdRef
    stop: IdRef
    within: Duration
    calendar: IdRef  # a calendar id or ROUTED_CALENDAR
    fallback_calendar: IdRef | None
    on_breach: Breach | None
    span: Span


class Measure(StrEnum):
    COUNT = "count"
    SLA_COMPLIANCE = "sla_compliance"


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class Commitment:
    id: str
    owner: IdRef
    to: IdRef | None
    description: str | None
    measure: Measure
    of: Condition | None
    dated_by: IdRef | None
    sla: IdRef | None
    per: Period
    at_least: Expected[float] | None
    at_most: Expected[float] | None
    span: Span


@dataclass(frozen=True)
class Binding:
    """`means: rules/qualification.yaml#mql`: the term is what that definition decides."""

    path: str
    target: str
    span: Span


@dataclass(frozen=True)
class Alias:
    party: str
    text: str
    span: Span


@dataclass(frozen=True)
class TermExample:
    """A lead and whether its term holds for it; `accord test` runs it like a rule test."""

    lead: tuple[LeadValue, ...]
    is_: Expected[bool]
    as_of: dt.datetime
    description: str | None
    span: Span


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    definition: str
    means: Condition | Binding | None
    aliases: tuple[Alias, ...]
    owners: tuple[IdRef, ...]
    see_also: tuple[IdRef, ...]
    span: Span
    examples: tuple[TermExample, ...] = ()  # only on a term with a `means`


@dataclass(frozen=True)
class Expectation:
    """What a rule test expects; a field left as None (or empty) is not checked.

    `grade` holds Expected(None) when the test expects no grade at all.
    """

    score: Expected[float] | None = None
    groups: tuple[tuple[Expected[str], Expected[float]], ...] = ()
    rules_fired: tuple[Expected[str], ...] | None = None
    grade: Expected[str | None] | None = None
    stage: Expected[str] | None = None
    disqualified_by: Expected[str] | None = None
    route: Expected[str] | None = None
    assignee: Expected[str] | None = None
    sla_due: tuple[tuple[Expected[str], Expected[dt.datetime]], ...] = ()
    # Whether glossary terms hold, by term id: what a term example expects.
    terms: tuple[tuple[Expected[str], Expected[bool]], ...] = ()


@dataclass(frozen=True)
class LeadValue:
    field: str
    value: str | int | float | bool | dt.date | dt.datetime | None
    span: Span


@dataclass(frozen=True)
class RuleTest:
    id: str
    description: str | None
    as_of: dt.datetime
    given: tuple[LeadValue, ...]
    expect: Expectation
    span: Span


@dataclass(frozen=True)
class Project:
    name: str
    parties: tuple[Party, ...]
    sources: tuple[Source, ...]
    lead_model: LeadModel | None
    score_model: ScoreModel | None
    qualification: Qualification | None
    routing: Routing | None
    calendars: tuple[Calendar, ...]
    slas: tuple[Sla, ...]
    commitments: tuple[Commitment, ...]
    terms: tuple[Term, ...]
    tests: tuple[RuleTest, ...]
    # Kinds with errors that left definitions out of this IR. A check that resolves a
    # reference into such a kind skips it: "unknown rule" is no help when the rule's own
    # file is broken, and the file's own errors are already reported.
    incomplete: frozenset[str] = frozenset()

    def complete(self, *kinds: str) -> bool:
        return not self.incomplete.intersection(kinds)
