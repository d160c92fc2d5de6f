"""SLAs in an impact diff: each side's clocks replayed on the history, compared.

A routing change moves leads to teams on other calendars (time zones, holidays); a stage
or score change starts or stops clocks (an SLA applies to MQLs); a calendar or limit change
moves due times. The clocks come from engine.sla.replay, once per side.
"""

from __future__ import annotations

import duckdb

from engine.diff.report import SlaCounts, SlaImpact, SlaTeam
from engine.ir import Project
from engine.sla.report import describe
from engine.sql.literals import identifier

_COUNTS = (
    "count(*) FILTER (WHERE status = 'met'), count(*) FILTER (WHERE status = 'breached'),"
    " count(*) FILTER (WHERE status = 'overdue'), count(*) FILTER (WHERE status = 'open')"
)
_NONE = SlaCounts(0, 0, 0, 0)


def _counts(
    connection: duckdb.DuckDBPyConnection, clocks: str
) -> dict[tuple[str, str | None], SlaCounts]:
    """Counts per (SLA, assignee), and per SLA under the assignee None."""
    found: dict[tuple[str, str | None], SlaCounts] = {}
    for sla, assignee, *counts in connection.execute(
        f"SELECT sla, coalesce(assignee, '(none)'), {_COUNTS} FROM {identifier(clocks)}"
        " WHERE due IS NOT NULL GROUP BY 1, 2"
    ).fetchall():
        found[(sla, assignee)] = SlaCounts(*counts)
    for sla, *counts in connection.execute(
        f"SELECT sla, {_COUNTS} FROM {identifier(clocks)} WHERE due IS NOT NULL GROUP BY 1"
    ).fetchall():
        found[(sla, None)] = SlaCounts(*counts)
    return found


def compare_slas(
    connection: duckdb.DuckDBPyConnection,
    base: Project,
    head: Project,
    clocks: tuple[str, str],
) -> tuple[SlaImpact, ...]:
    before, after = _counts(connection, clocks[0]), _counts(connection, clocks[1])
    definitions = {s.id: s for s in base.slas} | {s.id: s for s in head.slas}
    found = []
    for sla in dict.fromkeys([*(s.id for s in head.slas), *(s.id for s in base.slas)]):
        teams = sorted(
            {t for s, t in [*before, *after] if s == sla and t is not None},
            key=lambda t: (-_decided(after.get((sla, t), _NONE)), t),
        )
        found.append(
            SlaImpact(
                sla,
                describe(definitions[sla].within),
                before.get((sla, None), _NONE),
                after.get((sla, None), _NONE),
                tuple(
                    SlaTeam(t, before.get((sla, t), _NONE), after.get((sla, t), _NONE))
                    for t in teams
                ),
            )
        )
    return tuple(found)


def _decided(counts: SlaCounts) -> int:
    return counts.met + counts.breached + counts.overdue + counts.open
