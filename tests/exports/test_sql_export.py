"""`accord export --target sql`: the scoring query in each dialect, read as real SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import sqlglot
from golden_files import check_goldens

from engine.export import ExportOptions
from engine.export.sql import file_name
from engine.export.targets import SQL_DIALECTS, TARGETS, run_export
from engine.ir import Project
from engine.leads import load_leads
from engine.sql.dialects import transpile
from engine.sql.query import compile_scoring_query

SAMPLE = Path(__file__).resolve().parents[2] / "history" / "sample-leads.parquet"


def _exported(project: Project) -> dict[str, str]:
    files = {}
    for dialect in SQL_DIALECTS:
        made = run_export(project, "sql", ExportOptions(dialect=dialect))
        files.update({f"{dialect}/{path}": text for path, text in made.files.items()})
    return files


def test_the_sql_target_is_registered() -> None:
    assert "sql" in TARGETS


def test_each_dialect_matches_its_golden_file(northwind: Project, update_goldens: bool) -> None:
    check_goldens("sql", _exported(northwind), update_goldens)


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_each_dialect_parses_as_that_dialect(northwind: Project, dialect: str) -> None:
    text = _exported(northwind)[f"{dialect}/{file_name(dialect)}"]
    tree = sqlglot.parse_one(text, read=dialect)
    assert isinstance(tree, sqlglot.exp.Select)
    names = [select.alias_or_name.lower() for select in tree.selects]
    assert names[:2] == ["lead_id", "score"]
    assert names[-4:] == ["disqualified_by", "route", "assignee", "owner"]


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_the_export_is_deterministic_and_carries_every_definition(
    northwind: Project, dialect: str
) -> None:
    first = run_export(northwind, "sql", ExportOptions(dialect=dialect))
    second = run_export(northwind, "sql", ExportOptions(dialect=dialect))
    assert first.files == second.files
    assert first.diagnostics == ()
    assert all(c.carried for c in first.coverage)
    ids = {c.definition for c in first.coverage}
    assert {"rule:demo_request", "stage:mql", "route:named_accounts", "term:icp"} <= ids
    text = first.files[file_name(dialect)]
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\r" not in text
    assert "--   employees" in text  # the header names the input's columns


def test_the_duckdb_export_scores_as_accord_does_as_of_now(northwind: Project) -> None:
    """The exported DuckDB file, run on a `leads` table without `__row`, gives Accord's
    decisions (as of the time it runs, so the fit group and the stage-independent columns
    are compared: they do not depend on the clock)."""
    assert northwind.lead_model is not None
    text = run_export(northwind, "sql", ExportOptions(dialect="duckdb")).files[file_name("duckdb")]
    with duckdb.connect() as con:
        load_leads(con, SAMPLE, northwind.lead_model, table="loaded")
        con.execute("CREATE TABLE leads AS SELECT * EXCLUDE (__row) FROM loaded")
        exported = con.execute(
            f"SELECT lead_id, fit, grade, disqualified_by FROM ({text}) ORDER BY lead_id"
        ).fetchall()
        query = compile_scoring_query(northwind, dt.datetime(2026, 1, 1), source="loaded")
        accord = con.execute(
            f"SELECT lead_id, fit, grade, disqualified_by FROM ({query.sql}) ORDER BY lead_id"
        ).fetchall()
    assert exported == accord


@pytest.mark.parametrize(
    ("dialect", "source", "expected"),
    [
        # Spark's regexp_extract defaults to group 1; Accord wants the whole match.
        ("spark", "regexp_extract(x, '^a')", "REGEXP_EXTRACT(x, '(?d)^a', 0)"),
        # DuckDB's brackets count from 1; Spark's from 0, element_at from 1.
        ("spark", "['a', 'b'][k + 1]", "ELEMENT_AT(ARRAY('a', 'b'), k + 1)"),
        ("spark", "epoch_us(t)", "UNIX_MICROS(CAST(t AS TIMESTAMP))"),
        # The week number: a positive dividend, so DIV truncating is flooring.
        (
            "spark",
            "(epoch_us(t) + 604799654400000000) // 604800000000",
            "(UNIX_MICROS(CAST(t AS TIMESTAMP)) + 604799654400000000) DIV 604800000000",
        ),
        ("spark", "current_timestamp AT TIME ZONE 'UTC'", "CURRENT_TIMESTAMP()"),
        ("bigquery", "['a', 'b'][k + 1]", "['a', 'b'][ORDINAL(k + 1)]"),
        ("bigquery", "contains(x, 'a')", "(STRPOS(x, 'a') > 0)"),
        ("bigquery", "concat_ws(',', x, y)", "ARRAY_TO_STRING([x, y], ',')"),
        ("bigquery", "epoch_us(t)", "UNIX_MICROS(TIMESTAMP(t))"),
        (
            "snowflake",
            "['a', 'b'][k + 1]",
            "CAST(GET(ARRAY_CONSTRUCT('a', 'b'), (k + 1) - 1) AS VARCHAR)",
        ),
        ("snowflake", "regexp_matches(x, '(?i)^a')", "(REGEXP_INSTR(x, '^a', 1, 1, 0, 'i') > 0)"),
        (
            "snowflake",
            "concat_ws(',', x, y)",
            "ARRAY_TO_STRING(ARRAY_CONSTRUCT_COMPACT(x, y), ',')",
        ),
        ("postgres", "['a', 'b'][k + 1]", "(ARRAY['a', 'b'])[k + 1]"),
        ("postgres", "regexp_matches(x, '(?i)^a.')", "(x ~ '(?i)^a[^\\n]')"),
        ("postgres", "0.5e0", "CAST(0.5e0 AS DOUBLE PRECISION)"),
        ("postgres", "ends_with(x, 'a')", "(RIGHT(x, LENGTH('a')) = 'a')"),
        ("postgres", "x < 'a'", "x < 'a' COLLATE \"C\""),
    ],
)
def test_duckdb_spellings_are_rewritten_to_mean_the_same(
    dialect: str, source: str, expected: str
) -> None:
    done = transpile(f"SELECT {source}", dialect, pretty=False)
    assert done.unsupported == ()
    assert done.sql == f"SELECT {expected}\n"


@pytest.mark.parametrize(
    ("dialect", "source", "reason"),
    [
        ("spark", "upper(x)", "full Unicode case mapping"),
        ("postgres", r"regexp_matches(x, '\pL')", "Unicode classes"),
        ("postgres", "regexp_matches(x, 'a(?i)b')", "case or greediness flags"),
        ("snowflake", "regexp_matches(x, 'a(?s:.)')", "flags after the start"),
        ("spark", "regexp_replace(x, 'a', '')", "replaces every match"),
        ("bigquery", "regexp_replace(x, '^a', '\\1')", "other than plain text"),
        ("spark", "bar(x, 0, 1)", "no spark translation"),
    ],
)
def test_what_a_dialect_cannot_express_is_reported(dialect: str, source: str, reason: str) -> None:
    done = transpile(f"SELECT {source}", dialect)
    assert any(reason in message for message in done.unsupported), done.unsupported
