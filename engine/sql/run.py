"""Run the scoring query in DuckDB: leads given in Python in, one row of decisions per lead out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from engine.interpreter.values import Value
from engine.ir import FieldType, LeadModel, Project
from engine.sql import literals
from engine.sql.query import ROW, compile_scoring_query

SQL_TYPES = {
    FieldType.STRING: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.NUMBER: "DOUBLE",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",
}


@dataclass(frozen=True)
class ScoredLead:
    """One result row, as the interpreter's Evaluation would report it."""

    id: Value
    score: float
    groups: Mapping[str, float]
    grade: str | None
    stage: str | None
    disqualified_by: str | None
    route: str | None
    assignee: str | None
    owner: str | None
    rules_fired: tuple[str, ...] | None
    # Whether each glossary term asked for holds, by term id (NULL would be a query bug).
    terms: Mapping[str, bool | None] = field(default_factory=dict)


def create_lead_table(
    connection: duckdb.DuckDBPyConnection,
    model: LeadModel,
    leads: Sequence[Mapping[str, Value]],
    *,
    table: str = "leads",
) -> None:
    """A typed table of the given leads (absent fields are NULL), values bound, never pasted."""
    columns = [f"{literals.identifier(f.id)} {SQL_TYPES[f.type]}" for f in model.fields]
    name = literals.identifier(table)
    connection.execute(f"CREATE OR REPLACE TABLE {name} ({', '.join(columns)}, {ROW} BIGINT)")
    if leads:
        marks = ", ".join("?" for _ in range(len(model.fields) + 1))
        connection.executemany(
            f"INSERT INTO {name} VALUES ({marks})",
            [[lead.get(f.id) for f in model.fields] + [row] for row, lead in enumerate(leads, 1)],
        )


def score_table(
    connection: duckdb.DuckDBPyConnection,
    project: Project,
    as_of: dt.datetime,
    *,
    table: str = "leads",
    rules_fired: bool = False,
    terms: tuple[str, ...] = (),
) -> list[ScoredLead]:
    """Every lead of `table` through the scoring query, in row order; `terms` are glossary
    terms to decide for each lead as well."""
    query = compile_scoring_query(
        project, as_of, source=literals.identifier(table), rules_fired=rules_fired, terms=terms
    )
    groups = [g.id for g in project.score_model.groups] if project.score_model else []
    results = []
    for row in connection.execute(query.sql).fetchall():
        lead_id, score, *rest = row
        group_values = dict(zip(groups, rest[: len(groups)], strict=True))
        grade, stage, disqualified_by, route, assignee, owner, *extra = rest[len(groups) :]
        fired, held = extra[: int(rules_fired)], extra[int(rules_fired) :]
        results.append(
            ScoredLead(
                id=lead_id,
                score=score,
                groups=group_values,
                grade=grade,
                stage=stage,
                disqualified_by=disqualified_by,
                route=route,
                assignee=assignee,
                owner=owner,
                rules_fired=tuple(fired[0].split(","))
                if fired and fired[0]
                else (() if rules_fired else None),
                terms=dict(zip(terms, held, strict=True)),
            )
        )
    return results


# Runs the DuckDB SQL of a scoring query over `source` (a table of the connection)
# somewhere else, and stores its rows as the connection's table `result`: arguments are
# (connection, sql, source, result). engine.spark's SparkRunner is one.
QueryRunner = Callable[[duckdb.DuckDBPyConnection, str, str, str], None]
