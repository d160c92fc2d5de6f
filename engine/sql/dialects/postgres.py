"""PostgreSQL 14+: ARE regexes, 1-based arrays, numeric constants, collation-ordered text.

https://www.postgresql.org/docs/current/functions-matching.html#POSIX-SYNTAX-DETAILS
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.generators.postgres import PostgresGenerator

from engine.sql.dialects import common, regex
from engine.sql.dialects.nodes import EpochMicros, ListElement, UtcNow, is_double_literal


def _regexp_like(gen: PostgresGenerator, node: exp.RegexpLike) -> str:
    pattern = common.translated(gen, node.expression, regex.to_postgres, node.expression.name)
    return f"({gen.sql(node, 'this')} ~ {common.string(gen, pattern)})"


def _regexp_extract(gen: PostgresGenerator, node: exp.RegexpExtract) -> str:
    # substring(… FROM pattern) is the first match (groups are non-capturing by
    # regex.to_postgres, so not a group of it); NULL where DuckDB gives ''.
    pattern = common.translated(gen, node.expression, regex.to_postgres, node.expression.name)
    return f"COALESCE(SUBSTRING({gen.sql(node, 'this')} FROM {common.string(gen, pattern)}), '')"


def _regexp_replace(gen: PostgresGenerator, node: exp.RegexpReplace) -> str:
    with_text = common.replacement(gen, node, replaces_all=False)  # first match, as DuckDB
    pattern = common.translated(gen, node.expression, regex.to_postgres, node.expression.name)
    return f"REGEXP_REPLACE({gen.sql(node, 'this')}, {common.string(gen, pattern)}, {with_text})"


def _literal(gen: PostgresGenerator, node: exp.Literal) -> str:
    text = PostgresGenerator.literal_sql(gen, node)
    # `0.5e0` is NUMERIC to Postgres; Accord's DOUBLE arithmetic must stay DOUBLE.
    return f"CAST({text} AS DOUBLE PRECISION)" if is_double_literal(node) else text


class Postgres(PostgresGenerator):
    # Columns of text type, whose ordering must be by code point (COLLATE "C") as DuckDB's
    # is, not by the database's collation. Set by the caller (engine.sql.dialects).
    text_columns: frozenset[str] = frozenset()

    TRANSFORMS: ClassVar[dict[type[exp.Expr], Callable[..., str]]] = {
        **PostgresGenerator.TRANSFORMS,
        # EXTRACT(EPOCH …) is NUMERIC, exact to the microsecond.
        EpochMicros: lambda gen, node: (
            f"CAST(EXTRACT(EPOCH FROM {gen.sql(node, 'this')}) * 1000000 AS BIGINT)"
        ),
        ListElement: lambda gen, node: f"({gen.sql(node, 'this')})[{gen.sql(node, 'expression')}]",
        UtcNow: lambda gen, node: "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')",
        exp.RegexpLike: _regexp_like,
        exp.RegexpExtract: _regexp_extract,
        exp.RegexpReplace: _regexp_replace,
        exp.Contains: lambda gen, node: (
            f"(STRPOS({gen.sql(node, 'this')}, {gen.sql(node, 'expression')}) > 0)"
        ),
        exp.EndsWith: lambda gen, node: (
            f"(RIGHT({gen.sql(node, 'this')}, LENGTH({gen.sql(node, 'expression')}))"
            f" = {gen.sql(node, 'expression')})"
        ),
        exp.Lower: common.lower,
        exp.Upper: common.upper,
    }

    def literal_sql(self, expression: exp.Literal) -> str:
        return _literal(self, expression)

    def _is_text(self, node: exp.Expr) -> bool:
        return (isinstance(node, exp.Literal) and node.is_string) or (
            isinstance(node, exp.Column) and node.name in self.text_columns
        )

    def _collated(self, node: exp.Expr) -> str:
        return f'{self.sql(node)} COLLATE "C"' if self._is_text(node) else self.sql(node)

    def _ordering(self, node: exp.Binary, op: str) -> str:
        if self._is_text(node.this) or self._is_text(node.expression):
            return f"{self._collated(node.this)} {op} {self._collated(node.expression)}"
        return self.binary(node, op)

    def gt_sql(self, expression: exp.GT) -> str:
        return self._ordering(expression, ">")

    def gte_sql(self, expression: exp.GTE) -> str:
        return self._ordering(expression, ">=")

    def lt_sql(self, expression: exp.LT) -> str:
        return self._ordering(expression, "<")

    def lte_sql(self, expression: exp.LTE) -> str:
        return self._ordering(expression, "<=")

    def ordered_sql(self, expression: exp.Ordered) -> str:
        sql = super().ordered_sql(expression)
        if self._is_text(expression.this):
            column = self.sql(expression, "this")
            return sql.replace(column, f'{column} COLLATE "C"', 1)
        return sql
