"""The DuckDB scoring query in other SQL dialects, through sqlglot, meaning the same.

sqlglot parses Accord's DuckDB SQL into one expression tree; `normalize` turns the few
DuckDB-only spellings into nodes of engine.sql.dialects.nodes; then each target's small
generator subclass (engine.sql.dialects.targets) writes the tree, rewriting what its
engine would read differently (regex dialects, 1-based lists, case mapping, …) and calling
`unsupported` for what it cannot express. Nothing is dropped silently: `transpile` returns
every such message with the SQL, and callers turn them into diagnostics or errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import ErrorLevel

from engine.sql.dialects.nodes import normalize
from engine.sql.dialects.postgres import Postgres
from engine.sql.dialects.targets import GENERATORS

# The instant the query runs, as naive UTC, in DuckDB's SQL: a RunTimeClock for exports.
# Every generator writes its own dialect's current UTC time for it (nodes.UtcNow).
UTC_NOW = "current_timestamp AT TIME ZONE 'UTC'"
DIALECTS = ("duckdb", *sorted(GENERATORS))


@dataclass(frozen=True)
class Transpiled:
    dialect: str
    sql: str
    unsupported: tuple[str, ...]  # what the dialect cannot express with the same meaning


class DialectError(Exception):
    """The query uses something the dialect cannot express (see the messages)."""

    def __init__(self, dialect: str, messages: tuple[str, ...]) -> None:
        super().__init__(f"{dialect}: " + "; ".join(messages))
        self.dialect = dialect
        self.messages = messages


def transpile(
    sql: str, dialect: str, *, text_columns: frozenset[str] = frozenset(), pretty: bool = True
) -> Transpiled:
    """DuckDB SQL (one statement, as engine.sql writes it) in `dialect`.

    `text_columns` are the input's text columns: where an engine orders text by a
    collation (Postgres), comparisons and sorts on them are made to order by code point.
    For `duckdb` the SQL is returned as it is: it is the query Accord itself runs.
    """
    if dialect == "duckdb":
        return Transpiled(dialect, sql, ())
    if dialect not in GENERATORS:
        raise ValueError(f"no SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    tree = sqlglot.parse_one(sql, read="duckdb")
    found: list[str] = []
    tree = normalize(tree, dialect, found)
    generator = GENERATORS[dialect](
        dialect=dialect, pretty=pretty, unsupported_level=ErrorLevel.IGNORE, comments=True
    )
    if isinstance(generator, Postgres):
        generator.text_columns = text_columns
    text = generator.generate(tree, copy=False)
    messages = tuple(dict.fromkeys([*found, *generator.unsupported_messages]))
    return Transpiled(dialect, text + "\n", messages)


def transpile_or_raise(
    sql: str, dialect: str, *, text_columns: frozenset[str] = frozenset()
) -> str:
    """The SQL in `dialect`; DialectError when anything in it would not mean the same."""
    done = transpile(sql, dialect, text_columns=text_columns)
    if done.unsupported:
        raise DialectError(dialect, done.unsupported)
    return done.sql
