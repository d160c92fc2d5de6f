"""What evaluating one lead decided, and why: the explanation `accord explain` prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from engine.ir import Cap, Decay, Route, Rule


@dataclass(frozen=True)
class DecayApplied:
    decay: Decay
    since: dt.datetime | None  # the `from` field's value
    age_days: float | None
    factor: float


@dataclass(frozen=True)
class GroupResult:
    id: str
    rules_fired: tuple[Rule, ...]
    points: int  # the sum of the fired rules' points
    decay: DecayApplied | None
    decayed: float  # points times the decay factor
    cap: Cap | None
    score: float  # after the cap: what conditions read as the group's id


@dataclass(frozen=True)
class RouteTried:
    route: Route
    matched: bool
    note: str | None = None  # why a route whose condition held still did not take the lead


class SlaStatus(StrEnum):
    NOT_STARTED = "not started"  # the start field has no value
    NO_CALENDAR = "no calendar"  # routed to a person and the SLA names no fallback calendar
    OPEN = "open"  # started, not stopped, not yet due
    OVERDUE = "overdue"  # started, not stopped, due before the clock
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaClock:
    """One SLA that applies to the lead: when its clock started, when it is due, how it went."""

    sla: str
    calendar: str | None
    start: dt.datetime | None
    due: dt.datetime | None
    stop: dt.datetime | None
    status: SlaStatus


@dataclass(frozen=True)
class Evaluation:
    as_of: dt.datetime
    groups: tuple[GroupResult, ...]
    total: float  # the sum of the group scores, before the total cap
    total_cap: Cap | None
    score: float
    grade: str | None
    disqualified_by: str | None
    disqualifiers_held: tuple[str, ...]
    stages_held: tuple[str, ...]
    stage: str | None
    routes_tried: tuple[RouteTried, ...]
    route: Route | None
    assignee: str | None
    sla_clocks: tuple[SlaClock, ...]
    # Whether each glossary term the caller asked about holds, by term id.
    terms: Mapping[str, bool] = field(default_factory=dict)

    @property
    def rules_fired(self) -> tuple[Rule, ...]:
        return tuple(rule for group in self.groups for rule in group.rules_fired)

    def group(self, group_id: str) -> GroupResult | None:
        return next((g for g in self.groups if g.id == group_id), None)
