"""The scoring query on Apache Spark: the IO edge of `--engine spark`.

Accord reads and types the leads itself (engine.leads, in DuckDB), so typing and missing
values are exactly as with the DuckDB engine. The typed table goes to Spark as Arrow, the
compiled query runs there in Spark SQL (engine.sql.dialects), and its rows come back as
Arrow into a DuckDB table, where writing the scores and the diff's comparisons go on as
they do with DuckDB. Only the lead table and the results cross; nothing else is sent.

PySpark is an optional extra (`pip install 'accord[spark]'`), imported only here.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from engine.sql.dialects import transpile_or_raise
from engine.sql.literals import identifier

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
MISSING = (
    "--engine spark needs PySpark and pyarrow, which are not installed:"
    " pip install 'accord[spark]'"
    " (and Java 17 or later for a local Spark)"
)
# Session settings Accord's SQL relies on: naive timestamps are UTC. And the leads arrive
# as an in-memory relation, which ConvertToLocalRelation would otherwise score on the
# driver, row by row, while optimising the query (minutes for 50,000 leads).
SQL_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.optimizer.excludedRules": (
        "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation"
    ),
}
# For a Spark Accord starts itself: no web UI, few shuffle partitions (the query's one
# window and join over at most millions of rows), Arrow for the transfers.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
}


class SparkUnavailable(Exception):
    """PySpark is missing, or Spark could not be started or reached."""


def spark_master(option: str | None, environ: Mapping[str, str]) -> str:
    """Where to run: `--spark-master`, else SPARK_REMOTE (Spark Connect), else
    SPARK_MASTER, else a local Spark with two cores."""
    return option or environ.get("SPARK_REMOTE") or environ.get("SPARK_MASTER") or DEFAULT_MASTER


def _pyspark() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(MISSING) from error
    if importlib.util.find_spec("pyarrow") is None:  # the leads and results travel as Arrow
        raise SparkUnavailable(MISSING)
    return SparkSession


@contextmanager
def spark_session(master: str) -> Iterator[SparkSession]:
    """A session on `master` (`sc://…` is Spark Connect), stopped afterwards; a session
    already active in this process (a notebook's, a test run's) is used and left running."""
    session_class = _pyspark()
    active = session_class.getActiveSession()
    if active is not None:
        _configure(active)
        yield active
        return
    builder = session_class.builder.appName("accord")
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = builder.master(master)
        for key, value in LOCAL_CONF.items():
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Java missing, master unreachable: say which
        raise SparkUnavailable(f"could not start Spark on {master}: {error}") from error
    try:
        _configure(session)
        yield session
    finally:
        session.stop()


def _configure(session: SparkSession) -> None:
    for key, value in SQL_CONF.items():
        session.conf.set(key, value)


@dataclass(frozen=True)
class SparkRunner:
    """An engine.sql.run.QueryRunner: the query on Spark, the rows back into DuckDB."""

    session: SparkSession

    def __call__(
        self, connection: duckdb.DuckDBPyConnection, sql: str, source: str, result: str
    ) -> None:
        spark_sql = transpile_or_raise(sql, "spark")
        leads = connection.sql(f"SELECT * FROM {identifier(source)}").to_arrow_table()
        # The view has the lead table's name, which the query reads.
        self.session.createDataFrame(leads).createOrReplaceTempView(source)
        try:
            rows = self.session.sql(spark_sql).toArrow()
        finally:
            self.session.catalog.dropTempView(source)
        connection.register("accord_spark_rows", rows)
        try:
            connection.execute(
                f"CREATE OR REPLACE TEMP TABLE {identifier(result)} AS"
                " SELECT * FROM accord_spark_rows"
            )
        finally:
            connection.unregister("accord_spark_rows")
