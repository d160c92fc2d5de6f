"""The target dialects, by sqlglot's name, each a small generator subclass."""

from __future__ import annotations

from sqlglot.generator import Generator

from engine.sql.dialects.bigquery import BigQuery
from engine.sql.dialects.postgres import Postgres
from engine.sql.dialects.snowflake import Snowflake
from engine.sql.dialects.spark import Spark

GENERATORS: dict[str, type[Generator]] = {
    "bigquery": BigQuery,
    "postgres": Postgres,
    "snowflake": Snowflake,
    "spark": Spark,
}
