"""SLAs in an impact diff: each side's clocks replayed on the history, compared.

A routing change moves leads to teams on other calendars (time zones, holidays); a stage
or score change starts or stops clocks (an SLA applies to MQLs); a calendar or limit change
moves due times. The clocks come from engine.sla.replay, once per side.
"""

from __future__ import annotations

import duckdb

from engine.diff.report import SlaCounts, SlaImpact, SlaTeam
from engine.ir import Project
from engine.sla.report import compliance_by, describe

_NONE = SlaCounts(0, 0, 0, 0)


def _counts(
    connection: duckdb.DuckDBPyConnection, slas: list[str], clocks: str
) -> dict[tuple[str, str | None], SlaCounts]:
    """Counts per (SLA, assignee), and per SLA under the assignee None, counted as
    `accord sla report` counts them."""
    found: dict[tuple[str, str | None], SlaCounts] = {}
    for sla in slas:
        for total in compliance_by(connection, sla, "'all'", clocks):
            found[(sla, None)] = SlaCounts(total.met, total.breached, total.overdue, total.open)
        for team in compliance_by(connection, sla, "assignee", clocks):
            found[(sla, team.key)] = SlaCounts(team.met, team.breached, team.overdue, team.open)
    return found


def compare_slas(
    connection: duckdb.DuckDBPyConnection,
    base: Project,
    head: Project,
    clocks: tuple[str, str],
) -> tuple[SlaImpact, ...]:
    definitions = {s.id: s for s in base.slas} | {s.id: s for s in head.slas}
    ids = list(dict.fromkeys([*(s.id for s in head.slas), *(s.id for s in base.slas)]))
    before, after = _counts(connection, ids, clocks[0]), _counts(connection, ids, clocks[1])
    found = []
    for sla in ids:
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
