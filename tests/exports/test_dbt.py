"""The dbt export: golden files, Jinja that is only ours, and `dbt build` on DuckDB deciding
exactly what `accord score` decides on the committed sample, lead by lead."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import pytest
import sqlglot
import yaml
from golden_files import check_goldens
from loaded_texts import texts
from test_cli import ROOT, SCORE_COLUMNS, run

from engine.export import ExportOptions
from engine.export.targets import run_export
from engine.ir import Project
from engine.project import compile_project, read_files
from engine.sql import literals

SAMPLE = ROOT / "history" / "sample-leads.parquet"


def test_the_example_export_matches_its_golden_files(
    northwind: Project, update_goldens: bool
) -> None:
    made = run_export(northwind, "dbt", ExportOptions())
    assert made.diagnostics == ()
    check_goldens("dbt", made.files, update_goldens)


def _jinja(text: str) -> list[str]:
    """The Jinja expressions and statements of a template, as written."""
    found: list[str] = []
    current: list[str] | None = None
    for _, kind, value in jinja2.Environment().lex(text):
        if kind in {"variable_begin", "block_begin", "comment_begin"}:
            current = []
        elif kind in {"variable_end", "block_end", "comment_end"} and current is not None:
            found.append("".join(current).strip())
            current = None
        elif current is not None:
            current.append(value)
    return found


def _hostile() -> Project:
    """The example organisation with Jinja in a field's description and in a rule's regex."""
    files = read_files(ROOT)
    lead = files["rules/lead.yaml"].decode()
    old = "description: Free-text job title,"
    assert lead.count(old) == 1
    # The rest of the line becomes a YAML comment.
    hostile = "description: \"{{ run_query('drop table leads') }} {% raw %} {# x #}\" #"
    files["rules/lead.yaml"] = lead.replace(old, hostile).encode()
    scoring = files["rules/scoring.yaml"].decode()
    old = "(?i)\\\\b(student|intern|"
    assert scoring.count(old) == 1
    files["rules/scoring.yaml"] = scoring.replace(
        old, "(?i)\\\\b(x{{2}}|{%|student|intern|"
    ).encode()
    compiled = compile_project(files)
    assert compiled.ok, compiled.diagnostics
    assert compiled.project is not None
    return compiled.project


def test_only_accords_own_jinja_reaches_dbt() -> None:
    made = run_export(_hostile(), "dbt", ExportOptions())
    assert "run_query" in made.files["models/sources.yml"]
    assert "{%|student" not in made.files["models/accord_scores.sql"]
    found = {path: _jinja(text) for path, text in made.files.items() if path.endswith(".sql")}
    found |= {
        path: [j for value in texts(yaml.safe_load(text)) for j in _jinja(value)]
        for path, text in made.files.items()
        if path.endswith(".yml")
    }
    assert set(found["models/accord_scores.sql"]) == {
        "config(materialized='table')",
        "accord_as_of()",
        "ref('accord_leads')",
    }
    assert found["models/accord_leads.sql"] == [
        "config(materialized='view')",
        "source('accord', 'leads')",
    ]
    assert found["models/sources.yml"] == [
        "var('accord_leads_schema') or target.schema",
        "var('accord_leads_table')",
    ]
    assert found["models/schema.yml"] == []
    assert found["dbt_project.yml"] == []


def test_a_split_literal_keeps_its_text() -> None:
    with duckdb.connect() as connection:
        text = "a{{b}} {% endraw %} {#c"
        row = connection.execute(f"SELECT {literals.string(text)}").fetchone()
    assert row == (text,)
    assert not any(opener in literals.string(text) for opener in literals.JINJA_OPENERS)


def _dbt() -> Path:
    configured = os.environ.get("ACCORD_DBT")
    if not configured or not Path(configured).is_file():
        pytest.skip(
            "dbt is not installed: `python3 tasks.py test` installs dbt-core and dbt-duckdb"
            " (the `dbt` extra) into .venv-dbt and sets ACCORD_DBT"
        )
    return Path(configured)


@dataclass(frozen=True)
class DbtProject:
    """The example's dbt export beside a DuckDB warehouse holding the sample as crm_leads."""

    directory: Path
    warehouse: Path

    def run(self, command: str, variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
        arguments = ["--project-dir", str(self.directory), "--profiles-dir", str(self.directory)]
        variables = {"accord_leads_table": "crm_leads", **variables}
        return subprocess.run(
            [str(_dbt()), command, *arguments, "--vars", yaml.safe_dump(variables)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
            timeout=300,
        )


@pytest.fixture
def dbt_project(northwind: Project, tmp_path: Path) -> DbtProject:
    _dbt()
    directory = tmp_path / "dbt"
    for relative, text in run_export(northwind, "dbt", ExportOptions()).files.items():
        (directory / relative).parent.mkdir(parents=True, exist_ok=True)
        (directory / relative).write_text(text, encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            f"CREATE TABLE crm_leads AS SELECT * FROM read_parquet({literals.string(str(SAMPLE))})"
        )
    output = {"type": "duckdb", "path": str(warehouse), "threads": 2}
    profile = {"accord": {"target": "test", "outputs": {"test": output}}}
    (directory / "profiles.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return DbtProject(directory, warehouse)


def test_a_clock_that_is_not_an_instant_is_refused(dbt_project: DbtProject) -> None:
    completed = dbt_project.run("compile", {"accord_as_of": "2026-12-01'; DROP TABLE crm_leads"})
    assert completed.returncode != 0
    assert (
        "accord_as_of must be an ISO 8601 instant in UTC such as 2026-12-01T00:00:00Z,"
        " not 2026-12-01'; DROP TABLE crm_leads" in completed.stdout
    )


def test_dbt_build_decides_what_accord_score_decides(
    dbt_project: DbtProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    completed = dbt_project.run("build", {"accord_as_of": "2026-12-01T00:00:00Z"})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "PASS=13 WARN=0 ERROR=0 SKIP=0" in completed.stdout
    warehouse = dbt_project.warehouse

    scores = tmp_path / "scores.parquet"
    command = ["score", str(ROOT), "--leads", str(SAMPLE), "--out", str(scores)]
    code, _, _ = run([*command, "--as-of", "2026-12-01T00:00:00Z"], capsys)
    assert code == 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        expected = connection.execute(
            f"SELECT * FROM read_parquet({literals.string(str(scores))}) ORDER BY lead_id"
        ).fetchall()
        columns = [
            d[0]
            for d in connection.execute(
                f"DESCRIBE SELECT * FROM read_parquet({literals.string(str(scores))})"
            ).fetchall()
        ]
        built = connection.execute(
            f"SELECT {', '.join(literals.identifier(c) for c in columns)} FROM accord_scores ORDER BY lead_id"
        ).fetchall()
    assert columns == SCORE_COLUMNS
    assert len(expected) == 50_000
    mismatched = [(a, b) for a, b in zip(expected, built, strict=True) if a != b]
    assert mismatched == []


@pytest.mark.parametrize("dialect", ["bigquery", "postgres", "snowflake", "spark"])
def test_the_models_in_each_warehouse_dialect_parse_there(northwind: Project, dialect: str) -> None:
    made = run_export(northwind, "dbt", ExportOptions(dialect=dialect))
    assert made.diagnostics == ()
    for model in ("accord_leads", "accord_scores"):
        text = made.files[f"models/{model}.sql"]
        # What dbt would put in place of the Jinja: a relation, and the clock macro's value.
        sql = re.sub(r"\{\{ config\([^)]*\) \}\}\n", "", text)
        sql = re.sub(r"\{\{ (source|ref)\([^}]*\) \}\}", "accord_input", sql)
        sql = sql.replace("{{ accord_as_of() }}", "CAST('2026-12-01 00:00:00' AS TIMESTAMP)")
        assert not any(opener in sql for opener in literals.JINJA_OPENERS)
        sqlglot.parse_one(sql, read=dialect)
    macro = made.files["macros/accord_as_of.sql"]
    now = macro.split("{%- if as_of is none -%}\n", 1)[1].split("\n", 1)[0].strip()
    assert (
        now
        == {
            "bigquery": "CURRENT_DATETIME('UTC')",
            "postgres": "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')",
            "snowflake": "SYSDATE()",
            # In the session's time zone, which must be UTC (docs/exports/dbt.md).
            "spark": "CURRENT_TIMESTAMP()",
        }[dialect]
    )
