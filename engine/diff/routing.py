"""Routing measures of an impact diff: who gets the leads, weekly load, fairness.

Load is counted per week of arrival (UTC weeks starting on Monday, as capacity-aware
teams count them in the replay), for the weeks in which a team or member got at least
one lead. Each side is held to its own capacities: a change that raises a team's capacity
counts its over-capacity weeks against the new number after, the old one before.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb

from engine.diff.report import (
    MISSING,
    Count,
    Fairness,
    Load,
    Move,
    RoutingImpact,
    Tally,
    WeeklyLoad,
)
from engine.diff.sides import IMPACT
from engine.ir import Project, Team


def member_capacity(team: Team, member_id: str) -> int | None:
    """A member's weekly capacity: their own, else an even share of the team's, else none."""
    member = next((m for m in team.members if m.id == member_id), None)
    if member is not None and member.capacity_per_week is not None:
        return member.capacity_per_week
    if team.capacity_per_week is not None and team.members:
        return team.capacity_per_week // len(team.members)
    return None


def _teams(project: Project) -> dict[str, Team]:
    return {t.id: t for t in project.routing.teams} if project.routing else {}


def routing_impact(
    connection: duckdb.DuckDBPyConnection, base: Project, head: Project
) -> RoutingImpact | None:
    if base.routing is None and head.routing is None:
        return None
    assignees: dict[str, list[int]] = {}
    for side, index in (("b", 0), ("h", 1)):
        for value, n in connection.execute(
            f"SELECT {side}_assignee, count(*) FROM {IMPACT} GROUP BY 1"
        ).fetchall():
            assignees.setdefault(MISSING if value is None else value, [0, 0])[index] = n
    moves = connection.execute(
        f"SELECT b_assignee, h_assignee, count(*) AS n FROM {IMPACT}"
        f" WHERE b_assignee IS DISTINCT FROM h_assignee GROUP BY 1, 2 ORDER BY n DESC, 1, 2"
    ).fetchall()
    teams = (_teams(base), _teams(head))
    weekly = [_weekly(connection, side) for side in ("b", "h")]
    load: list[Load] = []
    fairness: list[Fairness] = []
    for team_id in dict.fromkeys([*teams[1], *teams[0]]):
        sides = [t.get(team_id) for t in teams]
        capacities = [t.capacity_per_week if t else None for t in sides]
        team_weeks = [w.get((team_id, None), {}) for w in weekly]
        load.append(_load(team_id, None, capacities, team_weeks))
        members = dict.fromkeys(m.id for t in (sides[1], sides[0]) if t for m in t.members)
        shares: list[list[float]] = [[], []]
        for member in members:
            member_weeks = [w.get((team_id, member), {}) for w in weekly]
            member_caps = [member_capacity(t, member) if t else None for t in sides]
            load.append(_load(team_id, member, member_caps, member_weeks))
            for index, team in enumerate(sides):
                if team is not None and any(m.id == member for m in team.members):
                    total = sum(team_weeks[index].values())
                    got = sum(member_weeks[index].values())
                    shares[index].append(got / total if total else 0.0)
        fairness.append(
            Fairness(
                team_id,
                max(shares[0]) if shares[0] and any(shares[0]) else None,
                min(shares[0]) if shares[0] and any(shares[0]) else None,
                max(shares[1]) if shares[1] and any(shares[1]) else None,
                min(shares[1]) if shares[1] and any(shares[1]) else None,
            )
        )
    return RoutingImpact(
        assignees=tuple(
            Tally(a, Count(*n))
            for a, n in sorted(assignees.items(), key=lambda i: (-i[1][1], i[0]))
        ),
        moved=sum(n for *_, n in moves),
        moves=tuple(
            Move(MISSING if b is None else b, MISSING if h is None else h, n) for b, h, n in moves
        ),
        load=tuple(load),
        fairness=tuple(fairness),
    )


Weeks = dict[dt.date, int]


def _weekly(
    connection: duckdb.DuckDBPyConnection, side: str
) -> dict[tuple[str, str | None], Weeks]:
    """Leads per week for each team (member None) and each (team, member), on one side."""
    rows = connection.execute(
        f"SELECT substr({side}_assignee, 6) AS team, {side}_owner AS member,"
        f" CAST(date_trunc('week', arrival) AS DATE) AS week, count(*)"
        f" FROM {IMPACT}"
        f" WHERE starts_with({side}_assignee, 'team:') AND arrival IS NOT NULL"
        f" GROUP BY ALL"
    ).fetchall()
    found: dict[tuple[str, str | None], Weeks] = defaultdict(dict)
    for team, member, week, n in rows:
        found[(team, None)][week] = found[(team, None)].get(week, 0) + n
        if member is not None:
            found[(team, member)][week] = n
    return found


def _load(team: str, member: str | None, capacities: list[int | None], weeks: list[Weeks]) -> Load:
    return Load(
        team,
        member,
        capacities[1] if capacities[1] is not None else capacities[0],
        _weekly_load(weeks[0], capacities[0]),
        _weekly_load(weeks[1], capacities[1]),
    )


def _weekly_load(weeks: Weeks, capacity: int | None) -> WeeklyLoad:
    if not weeks:
        return WeeklyLoad(0, 0.0, 0, None, 0)
    peak = max(weeks.values())
    return WeeklyLoad(
        weeks=len(weeks),
        mean=sum(weeks.values()) / len(weeks),
        peak=peak,
        peak_week=min(w for w, n in weeks.items() if n == peak),
        over_capacity_weeks=0 if capacity is None else sum(n > capacity for n in weeks.values()),
    )
