"""Replay team strategies over a history: which member took each team lead, step by step.

The interpreter decides one lead at a time, but who in a team takes a lead depends on
the leads before it. This module walks a history in arrival order keeping each team's
state — a rotation counter, weighted credits, this week's counts — exactly as
docs/evaluation.md describes the strategies. (The SQL backend derives the same answers
in closed form; the parity tests hold the two together.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from engine.interpreter.values import Value
from engine.ir import Project, Strategy, Team


@dataclass(frozen=True)
class Arrival:
    """What the replay needs of one evaluated lead."""

    row: int  # position in the history, the last tiebreaker
    id: Value
    arrived: dt.datetime | None
    assignee: str | None  # "team:<id>", "queue:<id>", "user:<id>" or None


@dataclass
class _TeamState:
    team: Team
    taken: int = 0
    credits: list[Fraction] = field(default_factory=list)
    week: dt.date | None = None
    week_counts: list[int] = field(default_factory=list)
    week_overflow: int = 0


def _week(arrived: dt.datetime) -> dt.date:
    day = arrived.date()
    return day - dt.timedelta(days=day.weekday())


def _capacity(team: Team, index: int) -> int | None:
    own = team.members[index].capacity_per_week
    if own is not None:
        return own
    if team.capacity_per_week is not None:
        return team.capacity_per_week // len(team.members)
    return None


def _next_member(state: _TeamState, arrived: dt.datetime) -> str:
    team = state.team
    members = team.members
    if team.strategy is Strategy.ROUND_ROBIN:
        index = state.taken % len(members)
    elif team.strategy is Strategy.WEIGHTED:
        weights = [Fraction(str(m.weight)) for m in members]
        if not state.credits:
            state.credits = [Fraction(0)] * len(members)
        for i, weight in enumerate(weights):
            state.credits[i] += weight
        index = max(range(len(members)), key=lambda i: (state.credits[i], -i))
        state.credits[index] -= sum(weights)
    else:
        week = _week(arrived)
        if week != state.week:
            state.week, state.week_counts, state.week_overflow = week, [0] * len(members), 0
        index = _capacity_aware_pick(state)
    state.taken += 1
    return members[index].id


def _capacity_aware_pick(state: _TeamState) -> int:
    """Round r of the week gives one lead to each member whose capacity is above r."""
    team = state.team
    counts = state.week_counts
    capacities = [_capacity(team, i) for i in range(len(team.members))]
    if all(c is not None and n >= c for n, c in zip(counts, capacities, strict=True)):
        index = state.week_overflow % len(team.members)
        state.week_overflow += 1
        counts[index] += 1
        return index
    # The current round is the smallest count among members who still have room; the
    # first such member (in file order) with that count is next.
    open_members = [
        i for i, (n, c) in enumerate(zip(counts, capacities, strict=True)) if c is None or n < c
    ]
    current = min(counts[i] for i in open_members)
    index = next(i for i in open_members if counts[i] == current)
    counts[index] += 1
    return index


def replay_owners(project: Project, history: Sequence[Arrival]) -> dict[int, str | None]:
    """The owner of every lead (by row): the team member, the user, or None for a queue."""
    owners: dict[int, str | None] = {}
    teams = {t.id: t for t in (project.routing.teams if project.routing else ())}
    states = {team_id: _TeamState(team) for team_id, team in teams.items()}
    arrival_known = project.lead_model is not None and project.lead_model.arrival_field
    ordered = sorted(
        history,
        key=lambda a: (
            a.arrived is None,
            a.arrived or dt.datetime.min,
            a.id is None,
            _sortable(a.id),
            a.row,
        ),
    )
    for lead in ordered:
        owner = None
        if lead.assignee is not None:
            kind, _, target = lead.assignee.partition(":")
            if kind == "user":
                owner = target
            elif kind == "team" and arrival_known and lead.arrived is not None:
                owner = _next_member(states[target], lead.arrived)
        owners[lead.row] = owner
    return owners


def _sortable(value: Value) -> tuple[int, str | int | float]:
    """Ids sort as SQL sorts them: numbers by value, text by code point."""
    if value is None:
        return (0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))
