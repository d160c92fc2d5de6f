"""Spark SQL (Apache Spark 3.5+, Databricks): java.util.regex, 0-based arrays, replace-all.

Timestamps are read in the session time zone: run with spark.sql.session.timeZone=UTC
(engine.spark does), as Accord's naive timestamps are UTC.
https://spark.apache.org/docs/latest/sql-ref-functions-builtin.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.generators.spark import SparkGenerator

from engine.sql.dialects import common, regex
from engine.sql.dialects.nodes import EpochMicros, ListElement, UtcNow


def _regexp_like(gen: SparkGenerator, node: exp.RegexpLike) -> str:
    pattern = common.translated(gen, node.expression, regex.to_java, node.expression.name)
    return f"{gen.sql(node, 'this')} RLIKE {common.string(gen, pattern)}"


def _regexp_extract(gen: SparkGenerator, node: exp.RegexpExtract) -> str:
    # Spark's third argument defaults to group 1; Accord wants the whole match (group 0).
    pattern = common.translated(gen, node.expression, regex.to_java, node.expression.name)
    return f"REGEXP_EXTRACT({gen.sql(node, 'this')}, {common.string(gen, pattern)}, 0)"


def _regexp_replace(gen: SparkGenerator, node: exp.RegexpReplace) -> str:
    with_text = common.replacement(gen, node, replaces_all=True)
    pattern = common.translated(gen, node.expression, regex.to_java, node.expression.name)
    return f"REGEXP_REPLACE({gen.sql(node, 'this')}, {common.string(gen, pattern)}, {with_text})"


class Spark(SparkGenerator):
    TRANSFORMS: ClassVar[dict[type[exp.Expr], Callable[..., str]]] = {
        **SparkGenerator.TRANSFORMS,
        EpochMicros: lambda gen, node: f"UNIX_MICROS(CAST({gen.sql(node, 'this')} AS TIMESTAMP))",
        # element_at counts from 1, as DuckDB's brackets do (Spark's brackets count from 0).
        ListElement: lambda gen, node: (
            f"ELEMENT_AT({gen.sql(node, 'this')}, {gen.sql(node, 'expression')})"
        ),
        UtcNow: lambda gen, node: "CURRENT_TIMESTAMP()",
        exp.RegexpLike: _regexp_like,
        exp.RegexpExtract: _regexp_extract,
        exp.RegexpReplace: _regexp_replace,
        exp.Lower: common.lower,
        exp.Upper: common.upper,
    }
