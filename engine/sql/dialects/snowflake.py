"""Snowflake: POSIX ERE regexes with flags as parameters, 0-based VARIANT arrays.

https://docs.snowflake.com/en/sql-reference/functions-regexp
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.generators.snowflake import SnowflakeGenerator

from engine.sql.dialects import common, regex
from engine.sql.dialects.nodes import (
    EpochMicros,
    ListElement,
    UtcNow,
    is_double_literal,
    simple_identifier,
)


def _ere(gen: SnowflakeGenerator, node: exp.Expr, *, whole_match: bool) -> tuple[str, str]:
    """The pattern and the regex parameters (flags) for the regex functions."""
    ere = common.translated(
        gen,
        node,
        lambda p: regex.to_snowflake(p, whole_match=whole_match),
        regex.EreTranslation(node.name, "c"),
    )
    return common.string(gen, ere.pattern), common.string(gen, ere.parameters)


def _regexp_like(gen: SnowflakeGenerator, node: exp.RegexpLike) -> str:
    # REGEXP_LIKE is anchored at both ends; REGEXP_INSTR finds a match anywhere.
    pattern, parameters = _ere(gen, node.expression, whole_match=False)
    return f"(REGEXP_INSTR({gen.sql(node, 'this')}, {pattern}, 1, 1, 0, {parameters}) > 0)"


def _regexp_extract(gen: SnowflakeGenerator, node: exp.RegexpExtract) -> str:
    pattern, parameters = _ere(gen, node.expression, whole_match=True)
    return f"COALESCE(REGEXP_SUBSTR({gen.sql(node, 'this')}, {pattern}, 1, 1, {parameters}), '')"


def _regexp_replace(gen: SnowflakeGenerator, node: exp.RegexpReplace) -> str:
    # Occurrence 1: the first match only, as DuckDB.
    with_text = common.replacement(gen, node, replaces_all=False)
    pattern, parameters = _ere(gen, node.expression, whole_match=True)
    return f"REGEXP_REPLACE({gen.sql(node, 'this')}, {pattern}, {with_text}, 1, 1, {parameters})"


def _concat_ws(gen: SnowflakeGenerator, node: exp.ConcatWs) -> str:
    # CONCAT_WS is NULL when any part is; DuckDB's skips NULL parts.
    separator, *parts = node.expressions
    compact = f"ARRAY_CONSTRUCT_COMPACT({', '.join(gen.sql(p) for p in parts)})"
    return f"ARRAY_TO_STRING({compact}, {gen.sql(separator)})"


class Snowflake(SnowflakeGenerator):
    TRANSFORMS: ClassVar[dict[type[exp.Expr], Callable[..., str]]] = {
        **SnowflakeGenerator.TRANSFORMS,
        EpochMicros: lambda gen, node: (
            f"DATE_PART(EPOCH_MICROSECOND, CAST({gen.sql(node, 'this')} AS TIMESTAMP_NTZ))"
        ),
        # Arrays count from 0 and hold VARIANTs.
        ListElement: lambda gen, node: (
            f"CAST(GET(ARRAY_CONSTRUCT({gen.expressions(node.this, flat=True)}),"
            f" ({gen.sql(node, 'expression')}) - 1) AS VARCHAR)"
        ),
        UtcNow: lambda gen, node: "SYSDATE()",
        exp.RegexpLike: _regexp_like,
        exp.RegexpExtract: _regexp_extract,
        exp.RegexpReplace: _regexp_replace,
        exp.ConcatWs: _concat_ws,
        exp.Lower: common.lower,
        exp.Upper: common.upper,
    }

    def literal_sql(self, expression: exp.Literal) -> str:
        text = super().literal_sql(expression)
        return f"CAST({text} AS DOUBLE)" if is_double_literal(expression) else text

    def identifier_sql(self, expression: exp.Identifier) -> str:
        # Lower-case ids unquoted, so they resolve to the upper-case names Snowflake gives
        # unquoted columns (`employees` is EMPLOYEES); Accord's working columns stay quoted.
        if expression.quoted and simple_identifier(expression.name):
            expression = exp.Identifier(this=expression.name, quoted=False)
        return super().identifier_sql(expression)
