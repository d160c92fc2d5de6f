"""BigQuery (GoogleSQL): RE2 regexes, OFFSET/ORDINAL arrays, NULL-propagating CONCAT.

https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-and-operators
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.generators.bigquery import BigQueryGenerator

from engine.sql.dialects import common, regex
from engine.sql.dialects.nodes import EpochMicros, ListElement, UtcNow, safe_identifier


def _regexp_like(gen: BigQueryGenerator, node: exp.RegexpLike) -> str:
    pattern = common.translated(gen, node.expression, regex.to_re2, node.expression.name)
    return f"REGEXP_CONTAINS({gen.sql(node, 'this')}, {common.string(gen, pattern)})"


def _regexp_extract(gen: BigQueryGenerator, node: exp.RegexpExtract) -> str:
    # The whole match (groups made non-capturing); NULL where DuckDB gives ''.
    pattern = common.translated(gen, node.expression, regex.to_re2, node.expression.name)
    return f"COALESCE(REGEXP_EXTRACT({gen.sql(node, 'this')}, {common.string(gen, pattern)}), '')"


def _regexp_replace(gen: BigQueryGenerator, node: exp.RegexpReplace) -> str:
    with_text = common.replacement(gen, node, replaces_all=True)
    pattern = common.translated(gen, node.expression, regex.to_re2, node.expression.name)
    return f"REGEXP_REPLACE({gen.sql(node, 'this')}, {common.string(gen, pattern)}, {with_text})"


def _concat_ws(gen: BigQueryGenerator, node: exp.ConcatWs) -> str:
    # ARRAY_TO_STRING skips NULL elements, as DuckDB's concat_ws skips NULL arguments.
    separator, *parts = node.expressions
    return f"ARRAY_TO_STRING([{', '.join(gen.sql(p) for p in parts)}], {gen.sql(separator)})"


class BigQuery(BigQueryGenerator):
    TRANSFORMS: ClassVar[dict[type[exp.Expr], Callable[..., str]]] = {
        **BigQueryGenerator.TRANSFORMS,
        # TIMESTAMP(x) reads a DATETIME (or DATE) as UTC.
        EpochMicros: lambda gen, node: f"UNIX_MICROS(TIMESTAMP({gen.sql(node, 'this')}))",
        ListElement: lambda gen, node: (
            f"{gen.sql(node, 'this')}[ORDINAL({gen.sql(node, 'expression')})]"
        ),
        UtcNow: lambda gen, node: "CURRENT_DATETIME('UTC')",
        exp.RegexpLike: _regexp_like,
        exp.RegexpExtract: _regexp_extract,
        exp.RegexpReplace: _regexp_replace,
        # CONTAINS_SUBSTR ignores case and normalises; STRPOS compares code points.
        exp.Contains: lambda gen, node: (
            f"(STRPOS({gen.sql(node, 'this')}, {gen.sql(node, 'expression')}) > 0)"
        ),
        exp.ConcatWs: _concat_ws,
        exp.Lower: common.lower,
        exp.Upper: common.upper,
    }

    def identifier_sql(self, expression: exp.Identifier) -> str:
        # Column names take letters, digits and underscores: Accord's working columns
        # (`rule:fit`, `$route`) are renamed one to one.
        renamed = safe_identifier(expression.name)
        if renamed != expression.name:
            expression = exp.Identifier(this=renamed, quoted=True)
        return super().identifier_sql(expression)
