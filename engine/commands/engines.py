"""Where bulk evaluation runs: DuckDB with a memory limit, or Spark, and the options that choose."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import click

from engine.bulk import MEMORY_LIMIT, OutputError, check_memory_limit
from engine.spark import MISSING as SPARK_MISSING
from engine.spark import SparkRunner, SparkUnavailable, spark_master, spark_session
from engine.sql.dialects import DialectError
from engine.sql.run import QueryRunner


def parse_memory_limit(value: str) -> str:
    try:
        return check_memory_limit(value)
    except OutputError as error:
        raise click.BadParameter(str(error)) from None


MEMORY_LIMIT_OPTION = click.option(
    "--memory-limit",
    default=MEMORY_LIMIT,
    callback=lambda ctx, param, value: parse_memory_limit(value),
    show_default=True,
    help="How much data DuckDB keeps in memory; beyond it, it spills to a temporary directory.",
)
ENGINES = ("duckdb", "spark")
ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="duckdb",
    show_default=True,
    help="Where the scoring query runs: embedded DuckDB, or Apache Spark (needs the spark extra; see docs/spark.md).",
)
SPARK_MASTER_OPTION = click.option(
    "--spark-master",
    metavar="URL",
    help="With --engine spark: local[N], spark://host:port, yarn, or sc://host:port (Spark Connect). Default: $SPARK_REMOTE, $SPARK_MASTER, or local[2].",
)


@contextmanager
def query_runner(engine: str, master: str | None) -> Iterator[QueryRunner | None]:
    """None for DuckDB; for Spark, a runner on a session that lives as long as the command."""
    if engine == "duckdb":
        yield None
        return
    try:
        with spark_session(spark_master(master, os.environ)) as session:
            yield SparkRunner(session)
    except SparkUnavailable as error:
        if str(error) == SPARK_MISSING:
            raise click.UsageError(str(error)) from None
        raise click.ClickException(str(error)) from None
    except DialectError as error:
        raise click.ClickException(
            f"the definitions use what Spark SQL cannot express: {error}"
        ) from None
