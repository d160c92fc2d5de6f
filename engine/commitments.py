"""Volume commitments measured on history: how many leads each period, against the promise.

A `count` commitment ("marketing delivers at least 450 MQLs a month") counts the leads whose
`of` condition holds, each in the period (UTC week starting Monday, month or quarter) of
its `dated_by` field. Every period from the first to the last in which any lead is dated
is measured, so a month without a single qualifying lead shows as 0 and missed, not as a
gap. The `of` conditions are computed by the scoring query itself (`conditions=`), so a
commitment counts exactly the leads the scores say are MQLs.

An `sla_compliance` commitment ("sales touches 90% of A/B MQLs within the SLA, every
month") is the SLA's compliance per period of its clocks' start, from the clocks
engine.sla.replay computes: met over met, breached and overdue. A period with no decided
clock has no compliance and is left out (nothing was promised about it). Without replayed
clocks such a commitment is listed as not measured rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from engine.ir import Commitment, Condition, Measure, Project
from engine.sql.literals import identifier, string


@dataclass(frozen=True)
class PeriodResult:
    start: dt.date  # the period's first day
    value: float  # the count of leads
    met: bool


@dataclass(frozen=True)
class CommitmentResult:
    commitment: Commitment
    periods: tuple[PeriodResult, ...]  # empty when nothing is dated, or not measured
    measured: bool  # False for a measure history cannot give yet (sla_compliance)

    @property
    def missed(self) -> int:
        return sum(not p.met for p in self.periods)


def condition_name(commitment: Commitment) -> str:
    """The name of the commitment's `of` column in the scoring query (`cond:<name>`)."""
    return f"commitment:{commitment.id}"


def commitment_conditions(project: Project) -> tuple[tuple[str, Condition], ...]:
    """What the scoring query must compute for the project's count commitments."""
    return tuple(
        (condition_name(c), c.of)
        for c in project.commitments
        if c.measure is Measure.COUNT and c.of is not None and c.dated_by is not None
    )


def met(value: float, commitment: Commitment) -> bool:
    low = commitment.at_least.value if commitment.at_least else None
    high = commitment.at_most.value if commitment.at_most else None
    return (low is None or value >= low) and (high is None or value <= high)


def measure_commitments(
    connection: duckdb.DuckDBPyConnection,
    project: Project,
    leads: str,
    scores: str,
    clocks: str | None = None,
) -> tuple[CommitmentResult, ...]:
    """Each commitment per period, from a lead table and its scores (joined by `__row`;
    the scores computed with `conditions=commitment_conditions(project)`), and for SLA
    compliance the replayed SLA clocks (engine.sla.replay), when given."""
    results = []
    for commitment in project.commitments:
        if commitment.measure is Measure.SLA_COMPLIANCE and commitment.sla and clocks:
            results.append(_compliance(connection, commitment, clocks))
            continue
        if commitment.measure is not Measure.COUNT or commitment.dated_by is None:
            results.append(CommitmentResult(commitment, (), measured=False))
            continue
        unit = string(commitment.per.value)
        dated = f"l.{identifier(commitment.dated_by.id)}"
        holds = f"s.{identifier('cond:' + condition_name(commitment))}"
        rows = connection.execute(
            f"""
            WITH dated AS (
                SELECT CAST(date_trunc({unit}, {dated}) AS DATE) AS period, {holds} AS holds
                FROM {identifier(leads)} l JOIN {identifier(scores)} s ON s.__row = l.__row
                WHERE {dated} IS NOT NULL
            ),
            periods AS (
                SELECT CAST(unnest(generate_series(min(period), max(period),
                       CAST('1 ' || {unit} AS INTERVAL))) AS DATE) AS period
                FROM dated HAVING count(*) > 0
            )
            SELECT periods.period, count(*) FILTER (WHERE holds)
            FROM periods LEFT JOIN dated USING (period)
            GROUP BY 1 ORDER BY 1
            """
        ).fetchall()
        periods = tuple(
            PeriodResult(start, float(count), met(float(count), commitment))
            for start, count in rows
        )
        results.append(CommitmentResult(commitment, periods, measured=True))
    return tuple(results)


def _compliance(
    connection: duckdb.DuckDBPyConnection, commitment: Commitment, clocks: str
) -> CommitmentResult:
    assert commitment.sla is not None
    unit = string(commitment.per.value)
    rows = connection.execute(
        f"""SELECT CAST(date_trunc({unit}, start) AS DATE) AS period,
               count(*) FILTER (WHERE status = 'met')
                 / count(*) FILTER (WHERE status IN ('met', 'breached', 'overdue'))
        FROM {identifier(clocks)}
        WHERE sla = {string(commitment.sla.id)} AND status IN ('met', 'breached', 'overdue')
        GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    periods = tuple(
        PeriodResult(start, float(rate), met(float(rate), commitment)) for start, rate in rows
    )
    return CommitmentResult(commitment, periods, measured=True)


def target(commitment: Commitment) -> str:
    """The promise in words: `at least 450 per month`."""
    parts = []
    if commitment.at_least is not None:
        parts.append(f"at least {_number(commitment.at_least.value)}")
    if commitment.at_most is not None:
        parts.append(f"at most {_number(commitment.at_most.value)}")
    what = f"of {commitment.sla.id} on time " if commitment.sla else ""
    return f"{' and '.join(parts) or 'any number'} {what}per {commitment.per.value}"


def _number(value: float) -> str:
    if 0 < value < 1:
        return f"{100 * value:g}%"  # a compliance share
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
