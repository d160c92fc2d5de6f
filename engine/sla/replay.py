"""Handoff SLAs replayed on history in DuckDB: every clock's start, due time, stop and status.

For each SLA, the leads its `applies_to` holds for (computed by the scoring query, as
`cond:sla:<id>`) get a clock on the SLA's calendar: a fixed one, or for `calendar: routed`
the calendar of the team or queue the lead is routed to (else the SLA's fallback). The due
time and the business time from start to stop come from engine.sql.business_time, which
holds to engine.business_time (the per-lead calendar) to the microsecond. The status
follows the interpreter exactly (docs/evaluation.md): met when stopped by the due time,
breached when stopped after it, overdue when still open after the as-of clock, else open.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from engine.ir import ROUTED_CALENDAR, Calendar, Condition, Project, Sla
from engine.sql.business_time import create_calendar_tables, due_sql, elapsed_sql, time_range
from engine.sql.literals import identifier, string, timestamp

CLOCKS = "sla_clocks"
_COLUMNS = (
    "sla VARCHAR, row BIGINT, lead_id VARCHAR, assignee VARCHAR, member VARCHAR,"
    " calendar VARCHAR, start TIMESTAMP, due TIMESTAMP, stop TIMESTAMP,"
    " taken_us BIGINT, recycle_at TIMESTAMP, status VARCHAR"
)


def condition_name(sla: Sla) -> str:
    return f"sla:{sla.id}"


def sla_conditions(project: Project) -> tuple[tuple[str, Condition], ...]:
    """What the scoring query must compute for the SLAs (`conditions=`)."""
    return tuple((condition_name(s), s.applies_to) for s in project.slas)


def _calendar_of(project: Project, sla: Sla) -> str:
    """SQL for the calendar id a lead's clock runs on (NULL: none)."""
    fallback = string(sla.fallback_calendar.id) if sla.fallback_calendar else "NULL"
    if sla.calendar.id != ROUTED_CALENDAR:
        return string(sla.calendar.id)
    routing = project.routing
    places = [
        *((f"team:{t.id}", t.calendar.id) for t in (routing.teams if routing else ())),
        *((f"queue:{q.id}", q.calendar.id) for q in (routing.queues if routing else ())),
    ]
    cases = " ".join(f"WHEN {string(p)} THEN {string(c)}" for p, c in places)
    return f"CASE assignee {cases} ELSE {fallback} END" if cases else fallback


def replay_slas(
    connection: duckdb.DuckDBPyConnection,
    project: Project,
    as_of: dt.datetime,
    *,
    leads: str = "leads",
    scores: str = "scores",
    table: str = CLOCKS,
) -> None:
    """Create the table `table` (`sla_clocks`): one row per SLA and lead it applies to.

    `scores` is the scoring query's output for `leads` with `row=True` and
    `conditions=sla_conditions(project)`.
    """
    model = project.lead_model
    assert model is not None
    connection.execute(f"CREATE OR REPLACE TEMP TABLE {identifier(table)} ({_COLUMNS})")
    if not project.slas:
        return
    calendars = {c.id: c for c in project.calendars}
    clock = timestamp(as_of)
    # One pass over all the leads for every SLA: the leads any SLA applies to, with every
    # start and stop field any SLA reads. Each SLA then reads its own from this smaller table.
    applies = [identifier("cond:" + condition_name(sla)) for sla in project.slas]
    fields = sorted({f for sla in project.slas for f in (sla.start.id, sla.stop.id)})
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE sla_candidates AS
        SELECT l.__row AS row, CAST(l.{identifier(model.id_field.id)} AS VARCHAR) AS lead_id,
               s.assignee, s.owner AS member,
               {", ".join(f"l.{identifier(f)} AS {identifier('f:' + f)}" for f in fields)},
               {", ".join(f"s.{a} AS {a}" for a in applies)}
        FROM {identifier(leads)} l JOIN {identifier(scores)} s ON s.__row = l.__row
        WHERE {" OR ".join(f"s.{a}" for a in applies)}"""
    )
    for sla, applied in zip(project.slas, applies, strict=True):
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE sla_rows AS
            SELECT row, lead_id, assignee, member, {_calendar_of(project, sla)} AS calendar,
                   {identifier("f:" + sla.start.id)} AS start,
                   {identifier("f:" + sla.stop.id)} AS stop
            FROM sla_candidates WHERE {applied}"""
        )
        # Clocks that never start, or have no calendar to run on.
        connection.execute(
            f"""INSERT INTO {identifier(table)} SELECT {string(sla.id)}, row, lead_id, assignee,
                member, calendar, start, NULL, stop, NULL, NULL,
                CASE WHEN start IS NULL THEN 'not started' ELSE 'no calendar' END
            FROM sla_rows WHERE start IS NULL OR calendar IS NULL
                OR calendar NOT IN ({", ".join(string(c) for c in calendars) or "NULL"})"""
        )
        used = connection.execute(
            "SELECT DISTINCT calendar FROM sla_rows WHERE start IS NOT NULL AND calendar IS NOT NULL"
            " ORDER BY 1"
        ).fetchall()
        for (calendar_id,) in used:
            if calendar_id not in calendars:
                continue
            _clocks_on(connection, sla, calendars[calendar_id], clock, table)


def _clocks_on(
    connection: duckdb.DuckDBPyConnection, sla: Sla, calendar: Calendar, clock: str, table: str
) -> None:
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE sla_started AS SELECT * FROM sla_rows
        WHERE start IS NOT NULL AND calendar = {string(calendar.id)}"""
    )
    span = time_range(connection, "sla_started", ["start", "stop"])
    if span is None:
        return
    earliest, latest = span
    durations = [sla.within]
    recycle = sla.on_breach.recycle_after if sla.on_breach else None
    tables = create_calendar_tables(
        connection, calendar, earliest, latest, "sla_calendar", durations=durations
    )
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE sla_due AS "
        + due_sql(tables, "sla_started", "start", sla.within, "due")
    )
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE sla_taken AS "
        + (
            elapsed_sql(tables, "sla_due", "start", "stop", "taken")
            if sla.within.business
            else "SELECT *, stop - start AS taken FROM sla_due"
        )
    )
    recycle_at = "NULL"
    if recycle is not None:
        # A breached lead may go back to marketing `recycle_after` past its due time, on the
        # same calendar: due times of the due times.
        span = time_range(connection, "sla_taken", ["due"])
        assert span is not None
        more = create_calendar_tables(
            connection, calendar, span[0], span[1], "sla_recycle", durations=[recycle]
        )
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE sla_taken AS "
            + due_sql(more, "sla_taken", "due", recycle, "recycle_at")
        )
        recycle_at = "recycle_at"
    connection.execute(
        f"""INSERT INTO {identifier(table)} SELECT {string(sla.id)}, row, lead_id, assignee,
            member, calendar, start, due, stop, CAST(round(epoch(taken) * 1000000) AS BIGINT), {recycle_at},
            CASE WHEN stop IS NOT NULL AND stop <= due THEN 'met'
                 WHEN stop IS NOT NULL THEN 'breached'
                 WHEN {clock} > due THEN 'overdue'
                 ELSE 'open' END
        FROM sla_taken"""
    )
