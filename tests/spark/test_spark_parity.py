"""The scoring query on Spark gives DuckDB's results, row by row, on the committed sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest
from spark_fixture import spark_fixture  # noqa: F401  (the `spark` fixture, one per run)
from test_cli import SCORE_COLUMNS

from engine.ir import Project
from engine.leads import load_leads
from engine.spark import SparkRunner
from engine.sql.dialects import regex
from engine.sql.query import compile_scoring_query

SAMPLE = Path(__file__).resolve().parents[2] / "history" / "sample-leads.parquet"
# Java's Math.pow and C's pow may round the decay factor to neighbouring doubles: scores
# agree to the last bits, every decision exactly.
TOLERANCE = 1e-9


def _differences(
    con: duckdb.DuckDBPyConnection, columns: list[str], numeric: set[str]
) -> dict[str, int]:
    counts = {}
    for column in columns:
        name = f'"{column}"'
        differs = (
            f"abs(d.{name} - s.{name}) > {TOLERANCE} OR (d.{name} IS NULL) <> (s.{name} IS NULL)"
            if column in numeric
            else f"d.{name} IS DISTINCT FROM s.{name}"
        )
        row = con.execute(
            f"SELECT count(*) FROM duckdb_scores d JOIN spark_scores s USING (__row) WHERE {differs}"
        ).fetchone()
        assert row is not None
        counts[column] = int(row[0])
    return counts


@pytest.mark.parametrize("as_of", [dt.datetime(2026, 12, 1), dt.datetime(2025, 3, 15, 9, 30)])
def test_spark_scores_every_lead_as_duckdb_does(
    spark: Any, northwind: Project, as_of: dt.datetime
) -> None:
    assert northwind.lead_model is not None
    with duckdb.connect() as con:
        load_leads(con, SAMPLE, northwind.lead_model)
        query = compile_scoring_query(northwind, as_of, row=True)
        con.execute(f"CREATE TABLE duckdb_scores AS {query.sql}")
        SparkRunner(spark)(con, query.sql, "leads", "spark_scores")
        rows = con.execute(
            "SELECT (SELECT count(*) FROM duckdb_scores), (SELECT count(*) FROM spark_scores),"
            " (SELECT count(*) FROM duckdb_scores JOIN spark_scores USING (__row))"
        ).fetchone()
        assert rows == (50_000, 50_000, 50_000)
        columns = [o.name for o in query.outputs]
        assert columns == SCORE_COLUMNS
        numeric = {"score", "fit", "engagement"}
        assert _differences(con, columns, numeric) == dict.fromkeys(columns, 0)
        # The sample exercises what the comparison is about.
        owners, stages = con.execute(
            "SELECT count(DISTINCT owner), count(DISTINCT stage) FROM spark_scores"
        ).fetchone() or (0, 0)
        assert owners > 20
        assert stages >= 4


TEXTS = [
    "VP of Sales",
    "svp, data",
    "Head of\nData",
    "Director",
    "éDirector",
    "Directoré",
    "director_x",
    "ana@acme.com\n",
    "ana@acme.com",
    "ANA@ACME.EDU",
    "a\u2028b",
    "a\rb",
    "tab\there",
    "vt\x0bhere",
    "Kelvin \u212a",
    "x.y",
    "",
]
PATTERNS = [
    r"(?i)\b(vp|director|head of)\b",
    r"\bdirector\b",
    r"(?i)[.](edu|com)$",
    r"com$",
    r"^a.b$",
    r"(?s)^a.b$",
    r"(?m)^Data$",
    r"\s",
    r"[\s]here",
    r"\S+\s\S+",
    r"(?i)k",
    r"[[:alpha:]]+_",
    r"\pL\pL",
    r"x\.y",
    r"\Qx.y\E",
    r"^$",
    r"a{2,}|of",
]


def test_regexes_match_in_spark_as_in_re2(spark: Any) -> None:
    """Each RE2 pattern, translated to Java, matches the same texts as DuckDB's RE2."""
    with duckdb.connect() as con:
        cases = [(p, t) for p in PATTERNS for t in TEXTS]
        con.execute("CREATE TABLE cases (n INTEGER, pattern VARCHAR, text VARCHAR)")
        con.executemany(
            "INSERT INTO cases VALUES (?, ?, ?)", [(n, p, t) for n, (p, t) in enumerate(cases)]
        )
        expected = dict(
            con.execute("SELECT n, regexp_matches(text, pattern) FROM cases").fetchall()
        )
    frame = spark.createDataFrame([(n, t) for n, (_, t) in enumerate(cases)], "n INT, text STRING")
    frame.createOrReplaceTempView("cases")
    found = {}
    for pattern in PATTERNS:
        java = regex.to_java(pattern).replace("\\", "\\\\").replace("'", "\\'")
        for row in spark.sql(f"SELECT n, text RLIKE '{java}' AS m FROM cases").collect():
            if cases[row["n"]][0] == pattern:
                found[row["n"]] = row["m"]
    mismatches = [cases[n] for n in expected if expected[n] != found[n]]
    assert mismatches == []
