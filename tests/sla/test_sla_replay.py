"""SLAs replayed in DuckDB against the interpreter's clocks, lead by lead, on the whole
sample history; and the report's numbers against the clocks they summarise."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from test_cli import ROOT, run

from engine.commitments import commitment_conditions
from engine.interpreter.evaluate import Interpreter
from engine.ir import Project
from engine.leads import load_leads
from engine.sla.replay import CLOCKS, replay_slas, sla_conditions
from engine.sla.report import sla_check, sla_report
from engine.sql import literals
from engine.sql.query import compile_scoring_query

SAMPLE = ROOT / "history" / "sample-leads.parquet"
AS_OF = dt.datetime(2026, 12, 1)


@pytest.fixture(scope="module")
def replayed(northwind: Project) -> duckdb.DuckDBPyConnection:
    assert northwind.lead_model is not None
    connection = duckdb.connect()
    load_leads(connection, SAMPLE, northwind.lead_model)
    conditions = (*sla_conditions(northwind), *commitment_conditions(northwind))
    query = compile_scoring_query(northwind, AS_OF, conditions=conditions, row=True)
    connection.execute(f"CREATE TABLE scores AS {query.sql}")
    replay_slas(connection, northwind, AS_OF)
    return connection


def test_every_clock_agrees_with_the_interpreter(
    northwind: Project, replayed: duckdb.DuckDBPyConnection
) -> None:
    model = northwind.lead_model
    assert model is not None
    names = [f.id for f in model.fields]
    columns = ", ".join(literals.identifier(n) for n in names)
    leads = [
        dict(zip(names, row, strict=True))
        for row in replayed.execute(f"SELECT {columns} FROM leads ORDER BY __row").fetchall()
    ]
    interpreter = Interpreter(northwind)
    interpreted = {
        (clock.sla, n): (clock.calendar, clock.start, clock.due, clock.stop, str(clock.status))
        for n, lead in enumerate(leads, 1)
        for clock in interpreter.evaluate(lead, AS_OF).sla_clocks
    }
    in_sql = {
        (sla, row): (calendar, start, due, stop, status)
        for sla, row, calendar, start, due, stop, status in replayed.execute(
            f"SELECT sla, row, calendar, start, due, stop, status FROM {CLOCKS}"
        ).fetchall()
    }
    assert in_sql.keys() == interpreted.keys()
    disagreements = [(k, interpreted[k], v) for k, v in in_sql.items() if interpreted[k] != v]
    assert disagreements == [], disagreements[:3]
    # Not vacuous: every SLA and every status the sample can reach shows up.
    statuses = Counter(v[4] for v in in_sql.values())
    assert {s for s, _ in in_sql} == {s.id for s in northwind.slas}
    assert {"met", "breached", "open", "overdue", "not started"} <= set(statuses)


def test_the_report_adds_up(northwind: Project, replayed: duckdb.DuckDBPyConnection) -> None:
    report = sla_report(replayed, northwind, AS_OF, "sample-leads.parquet")
    for summary in report.slas:
        counts = dict(
            replayed.execute(
                f"SELECT status, count(*) FROM {CLOCKS} WHERE sla = ? GROUP BY 1", [summary.sla]
            ).fetchall()
        )
        overall = summary.overall
        assert (overall.met, overall.breached, overall.overdue, overall.open) == (
            counts.get("met", 0),
            counts.get("breached", 0),
            counts.get("overdue", 0),
            counts.get("open", 0),
        )
        assert summary.applies == sum(counts.values())
        for split in (summary.by_month, summary.by_team, summary.by_member):
            assert sum(c.met for c in split) == overall.met
            assert sum(c.breached + c.overdue for c in split) == overall.breached + overall.overdue
        assert len(summary.breaches) == overall.breached
        assert len(summary.overdue) == overall.overdue
        if overall.met + overall.breached + overall.overdue:
            assert overall.rate == overall.met / (overall.met + overall.breached + overall.overdue)


def test_check_lists_what_is_overdue_and_due_soon(
    northwind: Project, replayed: duckdb.DuckDBPyConnection
) -> None:
    check = sla_check(replayed, northwind, AS_OF, dt.timedelta(hours=24))
    escalations = {
        s.id: s.on_breach.escalate_to.id if s.on_breach and s.on_breach.escalate_to else None
        for s in northwind.slas
    }
    assert all(c.escalate_to == escalations[c.sla] for c in check.overdue)
    assert any(c.escalate_to for c in check.overdue)
    assert all(c.escalate_to is None for c in check.due_soon)
    (overdue,) = replayed.execute(
        f"SELECT count(*) FROM {CLOCKS} WHERE status = 'overdue'"
    ).fetchone() or (0,)
    assert len(check.overdue) == overdue > 0
    soon = AS_OF + dt.timedelta(hours=24)
    assert all(c.stop is None and AS_OF < c.due <= soon for c in check.due_soon)


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--leads", str(SAMPLE), "--as-of", "2026-12-01T00:00:00Z"]
    code, out, err = run(["sla", "report", str(ROOT), *args], capsys)
    assert code == 0, err
    assert out.startswith("SLA report: sample-leads.parquet, as of 2026-12-01 00:00 UTC\n")
    code, out, err = run(["sla", "report", str(ROOT), *args, "--format", "json"], capsys)
    assert code == 0, err
    commitments = {c["id"]: c for c in json.loads(out)["commitments"]}
    assert set(commitments) == {
        "monthly_mql_volume",
        "monthly_a_grade_mqls",
        "first_touch_compliance",
        "recycle_compliance",
    }
    assert all(c["measured"] for c in commitments.values())
    touch = commitments["first_touch_compliance"]
    assert touch["target"] == "at least 90% of mql_first_touch on time per month"
    assert touch["missed"] == sum(not p["met"] for p in touch["periods"]) > 0
    code, out, err = run(["sla", "check", str(ROOT), *args, "--format", "json"], capsys)
    assert code == 1  # something is overdue: a scheduled job should alert
    assert '"overdue": [' in out
