"""Count commitments per period on the sample history, against counts made by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from test_cli import ROOT

from engine.commitments import CommitmentResult, commitment_conditions, measure_commitments
from engine.ir import Project
from engine.leads import load_leads
from engine.sql.query import compile_scoring_query

SAMPLE = ROOT / "history" / "sample-leads.parquet"
AS_OF = dt.datetime(2026, 12, 1)


@pytest.fixture(scope="module")
def measured(northwind: Project) -> tuple[duckdb.DuckDBPyConnection, dict[str, CommitmentResult]]:
    assert northwind.lead_model is not None
    connection = duckdb.connect()
    load_leads(connection, SAMPLE, northwind.lead_model)
    query = compile_scoring_query(
        northwind, AS_OF, conditions=commitment_conditions(northwind), row=True
    )
    connection.execute(f"CREATE TABLE scores AS {query.sql}")
    results = measure_commitments(connection, northwind, "leads", "scores")
    return connection, {r.commitment.id: r for r in results}


def by_hand(connection: duckdb.DuckDBPyConnection, extra: str) -> list[tuple[dt.date, int]]:
    # The mql term is the mql stage's condition (rules/qualification.yaml), written out.
    rows = connection.execute(
        f"""
        WITH j AS (SELECT l.mql_at, l.is_customer, s.score, s.fit, s.engagement, s.grade
                   FROM leads l JOIN scores s USING (__row) WHERE l.mql_at IS NOT NULL)
        SELECT CAST(date_trunc('month', mql_at) AS DATE) AS m,
               count(*) FILTER (WHERE score >= 50 AND fit >= 25 AND engagement >= 10
                                AND NOT coalesce(is_customer, FALSE) {extra})
        FROM j GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    return [(m, n) for m, n in rows]


def test_monthly_mql_volume(
    measured: tuple[duckdb.DuckDBPyConnection, dict[str, CommitmentResult]],
) -> None:
    connection, results = measured
    result = results["monthly_mql_volume"]
    expected = by_hand(connection, "")
    assert [(p.start, int(p.value)) for p in result.periods] == expected
    # The sample's months run without a gap, so every month is measured.
    assert len(expected) == len({m for m, _ in expected}) >= 12
    assert all(p.met == (p.value >= 450) for p in result.periods)


def test_a_grade_mqls(
    measured: tuple[duckdb.DuckDBPyConnection, dict[str, CommitmentResult]],
) -> None:
    connection, results = measured
    result = results["monthly_a_grade_mqls"]
    assert [(p.start, int(p.value)) for p in result.periods] == by_hand(
        connection, "AND grade = 'A'"
    )


def test_compliance_commitments_wait_for_sla_replay(
    measured: tuple[duckdb.DuckDBPyConnection, dict[str, CommitmentResult]],
) -> None:
    _, results = measured
    for name in ("first_touch_compliance", "recycle_compliance"):
        assert results[name].measured is False
        assert results[name].periods == ()


def test_an_empty_period_is_a_zero_not_a_gap(northwind: Project) -> None:
    assert northwind.lead_model is not None
    connection = duckdb.connect()
    load_leads(connection, SAMPLE, northwind.lead_model)
    # Keep January and March 2026 only: February must appear, with nothing in it.
    connection.execute(
        "DELETE FROM leads WHERE mql_at IS NOT NULL AND NOT (month(mql_at) IN (1, 3)"
        " AND year(mql_at) = 2026)"
    )
    query = compile_scoring_query(
        northwind, AS_OF, conditions=commitment_conditions(northwind), row=True
    )
    connection.execute(f"CREATE TABLE scores AS {query.sql}")
    (volume,) = [
        r
        for r in measure_commitments(connection, northwind, "leads", "scores")
        if r.commitment.id == "monthly_mql_volume"
    ]
    assert [p.start for p in volume.periods] == [
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    assert volume.periods[1].value == 0
    assert volume.periods[1].met is False


def test_compliance_commitments_from_replayed_clocks(northwind: Project) -> None:
    from engine.sla.replay import replay_slas, sla_conditions

    assert northwind.lead_model is not None
    connection = duckdb.connect()
    load_leads(connection, SAMPLE, northwind.lead_model)
    conditions = (*commitment_conditions(northwind), *sla_conditions(northwind))
    query = compile_scoring_query(northwind, AS_OF, conditions=conditions, row=True)
    connection.execute(f"CREATE TABLE scores AS {query.sql}")
    replay_slas(connection, northwind, AS_OF, table="clocks")
    results = {
        r.commitment.id: r
        for r in measure_commitments(connection, northwind, "leads", "scores", "clocks")
    }
    touch = results["first_touch_compliance"]  # at least 90% of mql_first_touch, monthly
    assert touch.measured
    rows = connection.execute(
        """SELECT strftime(start, '%Y-%m-01'),
                  count(*) FILTER (WHERE status = 'met'),
                  count(*) FILTER (WHERE status IN ('met', 'breached', 'overdue'))
           FROM clocks WHERE sla = 'mql_first_touch' GROUP BY 1
           HAVING count(*) FILTER (WHERE status IN ('met', 'breached', 'overdue')) > 0
           ORDER BY 1"""
    ).fetchall()
    assert [(p.start.isoformat(), p.value, p.met) for p in touch.periods] == [
        (month, met / decided, met / decided >= 0.9) for month, met, decided in rows
    ]
