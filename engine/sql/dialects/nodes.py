"""DuckDB-only spellings of the scoring query as dialect-neutral sqlglot nodes.

sqlglot reads DuckDB's `epoch_us(x)` as an anonymous function and `[…][i]` as a bracket
whose 1-based index it cannot shift when the index is not a literal; both would reach
another dialect unchanged and mean something else there (or nothing). `normalize` makes
them explicit nodes that every target generator must write, and reports any other
anonymous function, so no DuckDB function passes through unexamined.
"""

from __future__ import annotations

import re
from typing import ClassVar

from sqlglot import exp

_SIMPLE = re.compile(r"[a-z_][a-z0-9_]*")


class EpochMicros(exp.Expression, exp.Func):
    """Microseconds since 1970-01-01 of a naive UTC TIMESTAMP (or DATE): DuckDB's epoch_us."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True}


class ListElement(exp.Expression, exp.Func):
    """The `expression`-th element (from 1) of the array literal `this`."""

    arg_types: ClassVar[dict[str, bool]] = {"this": True, "expression": True}


class UtcNow(exp.Expression, exp.Func):
    """The time the query runs, as a naive UTC timestamp."""

    arg_types: ClassVar[dict[str, bool]] = {}


def normalize(tree: exp.Expr, dialect: str, unsupported: list[str]) -> exp.Expr:
    """The tree with DuckDB's spellings replaced; what has no neutral node goes to
    `unsupported`."""

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Anonymous) and node.name.lower() == "epoch_us":
            return EpochMicros(this=node.expressions[0])
        if isinstance(node, exp.Bracket) and isinstance(node.this, exp.Array):
            (index,) = node.expressions
            return ListElement(this=node.this, expression=index)
        if (
            isinstance(node, exp.AtTimeZone)
            and isinstance(node.this, exp.CurrentTimestamp)
            and node.args["zone"].name.upper() == "UTC"
        ):
            return UtcNow()
        if isinstance(node, exp.Anonymous):
            unsupported.append(f"the DuckDB function {node.name}() has no {dialect} translation")
        if isinstance(node, exp.CTE) and dialect != "postgres":
            node.set("materialized", None)  # a hint only; Postgres alone reads it
        if node.comments:
            # Comments become /* … */ blocks in most dialects: nothing may close one early.
            node.comments = [c.replace("*/", "* /") for c in node.comments]
        return node

    return tree.transform(rewrite, copy=False)


def is_double_literal(node: exp.Expr) -> bool:
    """Accord writes DOUBLE constants with an exponent (`0.5e0`, engine.sql.literals)."""
    return isinstance(node, exp.Literal) and not node.is_string and "e" in node.name.lower()


def simple_identifier(name: str) -> bool:
    return _SIMPLE.fullmatch(name) is not None


def safe_identifier(name: str) -> str:
    """An identifier of letters, digits and underscores only, one to one: Accord's working
    columns (`rule:fit`, `$route`) for engines that accept no other characters. Lead field
    ids start with a letter, so the leading underscore keeps the two apart."""
    if simple_identifier(name):
        return name
    escaped = "".join(
        c if c.isascii() and c.isalnum() else "__" if c == "_" else f"_x{ord(c):x}_" for c in name
    )
    return "_" + escaped
