"""Bulk scoring, the IO edge of the SQL backend: a leads file in, a scores file out.

DuckDB reads the leads (engine.leads), runs the compiled scoring query and writes CSV or
Parquet itself, so no lead passes through Python. The output is written to a temporary
file beside the target and renamed, so an interrupted run never leaves a partial file.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from engine.atomic_file import replacing
from engine.ir import Project
from engine.leads import LoadReport, load_leads
from engine.sql import literals
from engine.sql.query import ROW, compile_scoring_query
from engine.sql.run import QueryRunner

OUTPUT_FORMATS = {".csv": "CSV", ".parquet": "PARQUET"}
# A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV
# injection"); CSV output prefixes such cells with an apostrophe, which spreadsheets hide.
_FORMULA_START = r"^[=+\-@\t\r]"


class OutputError(Exception):
    """The output path cannot be written as asked."""


@dataclass(frozen=True)
class ScoreRun:
    load: LoadReport
    rows: int
    load_seconds: float
    score_seconds: float
    output: Path


def output_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise OutputError(
            f"{path}: cannot tell the output format from `{path.suffix or 'no extension'}`;"
            " name the file .csv or .parquet"
        )
    return OUTPUT_FORMATS[suffix]


def _csv_safe(sql: str, names: list[str], text_columns: set[str]) -> str:
    """`sql`'s rows with every text cell that a spreadsheet would run as a formula
    (`=HYPERLINK(…)`, `+cmd`, `@SUM(…)`) made text by a leading apostrophe.
    https://owasp.org/www-community/attacks/CSV_Injection"""
    columns = []
    for output in names:
        name = literals.identifier(output)
        if output in text_columns:
            columns.append(
                f"CASE WHEN regexp_matches({name}, '{_FORMULA_START}') THEN '''' || {name}"
                f" ELSE {name} END AS {name}"
            )
        else:
            columns.append(name)
    return f"SELECT {', '.join(columns)} FROM ({sql})"


MEMORY_LIMIT = "1GB"
_MEMORY = re.compile(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def check_memory_limit(text: str) -> str:
    """A DuckDB memory size such as `1GB` or `512MiB`; OutputError otherwise."""
    if not _MEMORY.fullmatch(text.strip()):
        raise OutputError(f"{text!r} is not a memory size; write e.g. 1GB or 512MB")
    return text.strip()


def score_file(
    project: Project,
    leads: Path,
    output: Path,
    as_of: dt.datetime,
    *,
    memory_limit: str = MEMORY_LIMIT,
    runner: QueryRunner | None = None,
) -> ScoreRun:
    """Score every lead of `leads` into `output` (.csv or .parquet).

    DuckDB keeps at most `memory_limit` of data in memory and spills the rest to a
    temporary directory, so ten million leads fit in a small machine. With a `runner`
    (engine.spark), the query runs there and DuckDB writes the rows it returns.
    """
    assert project.lead_model is not None
    kind = output_format(output)
    limit = check_memory_limit(memory_limit)
    with tempfile.TemporaryDirectory(prefix="accord-spill-") as spill, duckdb.connect() as con:
        con.execute(f"SET memory_limit = {literals.string(limit)}")
        con.execute(f"SET temp_directory = {literals.string(spill)}")
        started = time.perf_counter()
        report = load_leads(con, leads, project.lead_model)
        loaded = time.perf_counter()
        query = compile_scoring_query(project, as_of, row=runner is not None)
        sql = query.sql
        if runner is not None:
            runner(con, sql, "leads", "scores")
            names = ", ".join(literals.identifier(o.name) for o in query.outputs)
            sql = f"SELECT {names} FROM scores ORDER BY {ROW}"
        if kind == "CSV":
            described = con.execute(f"DESCRIBE {sql}").fetchall()
            text = {name for name, sql_type, *_ in described if sql_type == "VARCHAR"}
            sql = _csv_safe(sql, [o.name for o in query.outputs], text)
        options = "FORMAT CSV, HEADER" if kind == "CSV" else "FORMAT PARQUET, COMPRESSION ZSTD"
        with replacing(output) as temporary:
            con.execute(f"COPY ({sql}) TO {literals.string(str(temporary))} ({options})")
        finished = time.perf_counter()
    return ScoreRun(report, report.rows, loaded - started, finished - loaded, output)
