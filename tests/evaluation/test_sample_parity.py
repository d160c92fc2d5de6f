"""Every lead of the committed sample history: the interpreter and DuckDB decide the same.

This is `accord explain` (the interpreter, lead by lead) against `accord score` (the
compiled query) on all 50,000 leads of history/sample-leads.parquet, every output compared,
owners included (replayed step by step against the query's closed forms).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from engine.interpreter.evaluate import Interpreter
from engine.interpreter.replay import Arrival, replay_owners
from engine.ir import Project
from engine.leads import load_leads
from engine.sql import literals
from engine.sql.run import score_table

SAMPLE = Path(__file__).resolve().parents[2] / "history" / "sample-leads.parquet"
# Two clocks: the end of the sample (most engagement decayed) and a busy month within it.
CLOCKS = (dt.datetime(2026, 12, 1), dt.datetime(2026, 3, 2, 10))


def test_every_sample_lead_agrees(northwind: Project) -> None:
    model = northwind.lead_model
    assert model is not None
    with duckdb.connect() as connection:
        report = load_leads(connection, SAMPLE, model)
        assert report.rows == 50_000
        names = [f.id for f in model.fields]
        columns = ", ".join(literals.identifier(n) for n in names)
        leads = [
            dict(zip(names, row, strict=True))
            for row in connection.execute(f"SELECT {columns} FROM leads ORDER BY __row").fetchall()
        ]
        interpreter = Interpreter(northwind)
        arrival = model.arrival_field
        assert arrival is not None
        for as_of in CLOCKS:
            rows = score_table(connection, northwind, as_of, rules_fired=True)
            evaluations = [interpreter.evaluate(lead, as_of) for lead in leads]
            owners = replay_owners(
                northwind,
                [
                    Arrival(n, lead["lead_id"], lead[arrival.id], e.assignee)
                    for n, (lead, e) in enumerate(zip(leads, evaluations, strict=True), 1)
                ],
            )
            disagreements = []
            for n, (e, row) in enumerate(zip(evaluations, rows, strict=True), 1):
                interpreted = (
                    e.score,
                    {g.id: g.score for g in e.groups},
                    tuple(r.id for r in e.rules_fired),
                    e.grade,
                    e.stage,
                    e.disqualified_by,
                    e.route.id if e.route else None,
                    e.assignee,
                    owners[n],
                )
                in_sql = (
                    row.score,
                    dict(row.groups),
                    row.rules_fired,
                    row.grade,
                    row.stage,
                    row.disqualified_by,
                    row.route,
                    row.assignee,
                    row.owner,
                )
                if interpreted != in_sql:
                    disagreements.append((row.id, interpreted, in_sql))
            assert len(rows) == 50_000
            assert disagreements == [], disagreements[:3]
            # Not a vacuous agreement: the sample exercises every kind of decision.
            assert {row.stage for row in rows} >= {"lead", "disqualified", "mql"}
            assert len({row.route for row in rows}) >= 12
            assert sum(row.owner is not None for row in rows) > 10_000
