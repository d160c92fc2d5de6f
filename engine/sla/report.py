"""What `accord sla report` and `accord sla check` say, computed from the replayed clocks.

Compliance is met / (met + breached + overdue): a clock still open past its due time has
already missed it. Clocks still open in time, never started (no start time) or without a
calendar (routed to a person, no fallback) do not count either way; they are counted apart.
Time to stop is the working time from start to stop on the SLA's calendar for a business
limit, the plain elapsed time for a calendar one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from engine.commitments import CommitmentResult, measure_commitments
from engine.ir import Duration, Project
from engine.sla.replay import CLOCKS
from engine.sql.literals import identifier, string, timestamp

LISTED = 20  # clocks listed per SLA in text; JSON lists them all


@dataclass(frozen=True)
class Compliance:
    key: str  # a team, member or month (YYYY-MM), or "all"
    met: int
    breached: int
    overdue: int
    open: int

    @property
    def rate(self) -> float | None:
        decided = self.met + self.breached + self.overdue
        return None if decided == 0 else self.met / decided


@dataclass(frozen=True)
class Clock:
    sla: str
    lead_id: str
    assignee: str | None
    member: str | None
    start: dt.datetime
    due: dt.datetime
    stop: dt.datetime | None
    escalate_to: str | None = None  # where the SLA sends a lead it breaches, if anywhere


@dataclass(frozen=True)
class SlaSummary:
    sla: str
    owner: str
    within: str  # e.g. "4 business hours"
    calendar: str  # a calendar id, or "routed"
    applies: int  # leads the SLA applies to
    not_started: int
    no_calendar: int
    overall: Compliance
    median_hours: float | None  # time to stop, over stopped clocks
    p90_hours: float | None
    by_team: tuple[Compliance, ...]
    by_member: tuple[Compliance, ...]
    by_month: tuple[Compliance, ...]
    breaches: tuple[Clock, ...]  # stopped after the due time, by start
    overdue: tuple[Clock, ...]  # open past the due time, by due time
    recycle: tuple[Clock, ...]  # overdue past `recycle_after` too: candidates to recycle


@dataclass(frozen=True)
class SlaReport:
    as_of: dt.datetime
    leads_file: str
    slas: tuple[SlaSummary, ...]
    commitments: tuple[CommitmentResult, ...] = ()  # each promise per period


def describe(duration: Duration) -> str:
    amount = f"{duration.amount:g}"
    unit = duration.unit.value if duration.amount != 1 else duration.unit.value.rstrip("s")
    return f"{amount} {'business ' if duration.business else ''}{unit}"


_COUNTS = (
    "count(*) FILTER (WHERE status = 'met'), count(*) FILTER (WHERE status = 'breached'),"
    " count(*) FILTER (WHERE status = 'overdue'), count(*) FILTER (WHERE status = 'open')"
)


def compliance_by(
    connection: duckdb.DuckDBPyConnection, sla: str, key: str, clocks: str = CLOCKS
) -> tuple[Compliance, ...]:
    """The SLA's clocks that have a due time, counted per value of the SQL `key` (e.g.
    `assignee`, or a literal for one total), from the replayed clocks table `clocks`."""
    rows = connection.execute(
        f"SELECT {key} AS k, {_COUNTS} FROM {identifier(clocks)}"
        f" WHERE sla = {string(sla)} AND due IS NOT NULL GROUP BY 1 ORDER BY 1 NULLS LAST"
    ).fetchall()
    return tuple(Compliance("(none)" if k is None else str(k), *counts) for k, *counts in rows)


def _clocks(
    connection: duckdb.DuckDBPyConnection, sla: str, where: str, order: str
) -> tuple[Clock, ...]:
    rows = connection.execute(
        f"SELECT sla, lead_id, assignee, member, start, due, stop FROM {CLOCKS}"
        f" WHERE sla = {string(sla)} AND {where} ORDER BY {order}, row"
    ).fetchall()
    return tuple(Clock(*row) for row in rows)


def sla_report(
    connection: duckdb.DuckDBPyConnection, project: Project, as_of: dt.datetime, leads_file: str
) -> SlaReport:
    summaries = []
    for sla in project.slas:
        name = string(sla.id)
        applies, not_started, no_calendar, median, p90 = connection.execute(
            f"SELECT count(*), count(*) FILTER (WHERE status = 'not started'),"
            f" count(*) FILTER (WHERE status = 'no calendar'),"
            f" quantile_cont(taken_us, 0.5) FILTER (WHERE stop IS NOT NULL),"
            f" quantile_cont(taken_us, 0.9) FILTER (WHERE stop IS NOT NULL)"
            f" FROM {CLOCKS} WHERE sla = {name}"
        ).fetchone() or (0, 0, 0, None, None)
        (overall,) = compliance_by(connection, sla.id, "'all'") or (Compliance("all", 0, 0, 0, 0),)
        summaries.append(
            SlaSummary(
                sla=sla.id,
                owner=sla.owner.id,
                within=describe(sla.within),
                calendar=sla.calendar.id,
                applies=applies,
                not_started=not_started,
                no_calendar=no_calendar,
                overall=overall,
                median_hours=None if median is None else median / 3_600_000_000,
                p90_hours=None if p90 is None else p90 / 3_600_000_000,
                by_team=compliance_by(connection, sla.id, "assignee"),
                by_member=compliance_by(connection, sla.id, "member"),
                by_month=compliance_by(connection, sla.id, "strftime(start, '%Y-%m')"),
                breaches=_clocks(connection, sla.id, "status = 'breached'", "start"),
                overdue=_clocks(connection, sla.id, "status = 'overdue'", "due"),
                recycle=_clocks(
                    connection,
                    sla.id,
                    f"status = 'overdue' AND recycle_at <= {timestamp(as_of)}",
                    "recycle_at",
                ),
            )
        )
    commitments = measure_commitments(connection, project, "leads", "scores", CLOCKS)
    return SlaReport(as_of, leads_file, tuple(summaries), commitments)


@dataclass(frozen=True)
class Check:
    as_of: dt.datetime
    soon: dt.timedelta
    overdue: tuple[Clock, ...]
    due_soon: tuple[Clock, ...]


def sla_check(
    connection: duckdb.DuckDBPyConnection,
    project: Project,
    as_of: dt.datetime,
    soon: dt.timedelta,
) -> Check:
    """Clocks open past their due time (with where the SLA escalates them), and open clocks
    due within `soon` of the clock."""
    until = timestamp(as_of + soon)
    escalations = " ".join(
        f"WHEN {string(s.id)} THEN {string(s.on_breach.escalate_to.id)}"
        for s in project.slas
        if s.on_breach and s.on_breach.escalate_to
    )
    escalate = f"CASE sla {escalations} END" if escalations else "NULL"
    rows = connection.execute(
        f"SELECT status, sla, lead_id, assignee, member, start, due, stop,"
        f" CASE WHEN status = 'overdue' THEN {escalate} END FROM {CLOCKS}"
        f" WHERE status = 'overdue' OR (status = 'open' AND due <= {until})"
        " ORDER BY due, sla, row"
    ).fetchall()
    return Check(
        as_of,
        soon,
        tuple(Clock(*r[1:]) for r in rows if r[0] == "overdue"),
        tuple(Clock(*r[1:]) for r in rows if r[0] == "open"),
    )
