"""The leads scored by both revisions, side by side in one DuckDB view.

The `impact` view has one row per lead of the history file: the lead's id, arrival time,
the fields reports break counts down by (`f:<field>`), whether each outcome happened
(`o:<field>`), and each side's decisions: `b_…` for the base revision, `h_…` for the head,
with the group scores as `bg:<group>`/`hg:<group>` and whether each rule fired as
`br:<rule>`/`hr:<rule>`. Every measure in engine.diff.funnel, .flips and .routing reads
this view and nothing else. It is a view, not a table: copying a hundred columns of a
million leads costs more than all the measures together, and each reads only the few
columns it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from engine.ir import FieldRole, FieldType, LeadModel, Project
from engine.sql.literals import identifier, string

IMPACT = "impact"
IMPACT_BY_ROW = "impact_by_row"
SIDES = ("b", "h")


@dataclass(frozen=True)
class Outcome:
    field: str
    type: FieldType

    @property
    def meaning(self) -> str:
        """What counts as the outcome having happened, in words."""
        match self.type:
            case FieldType.BOOLEAN:
                return f"{self.field} is true"
            case FieldType.INTEGER | FieldType.NUMBER:
                return f"{self.field} above 0"
            case FieldType.STRING:
                return f"{self.field} not empty"
            case _:
                return f"{self.field} is set"

    def happened(self, column: str) -> str:
        """The same, as SQL over `column`: TRUE or FALSE, never NULL."""
        match self.type:
            case FieldType.BOOLEAN:
                return f"coalesce({column}, FALSE)"
            case FieldType.INTEGER | FieldType.NUMBER:
                return f"coalesce({column} > 0, FALSE)"
            case FieldType.STRING:
                return f"coalesce({column} <> '', FALSE)"
            case _:
                return f"({column} IS NOT NULL)"


def qualifying_stages(project: Project) -> tuple[str | None, tuple[str, ...]]:
    """The qualifying stage and the stages from it to the end of the funnel.

    Without `qualifying_stage`, the first stage after the entry stage qualifies.
    """
    q = project.qualification
    if q is None or not q.stages:
        return None, ()
    ids = [s.id for s in q.stages]
    if q.qualifying_stage is not None:
        first = q.qualifying_stage.id
    elif len(ids) > 1:
        first = ids[1]
    else:
        return None, ()
    return first, tuple(ids[ids.index(first) :]) if first in ids else ()


def outcomes(model: LeadModel) -> tuple[Outcome, ...]:
    """The lead model's outcome fields."""
    return tuple(Outcome(f.id, f.type) for f in model.fields if f.role is FieldRole.OUTCOME)


def report_fields(model: LeadModel) -> tuple[str, ...]:
    return tuple(ref.id for ref in model.report_by if model.field(ref.id) is not None)


def create_impact_table(
    connection: duckdb.DuckDBPyConnection,
    base: Project,
    head: Project,
    leads: str,
    scores: tuple[str, str],
) -> None:
    """Line up the lead table and both sides' scores (tables with a `__row` column) by row."""
    model = head.lead_model
    assert model is not None
    columns = [
        "l.__row AS row",
        f"CAST(l.{identifier(model.id_field.id)} AS VARCHAR) AS lead_id",
    ]
    arrival = model.arrival_field
    columns.append(f"l.{identifier(arrival.id)} AS arrival" if arrival else "NULL AS arrival")
    for name in report_fields(model):
        columns.append(f"CAST(l.{identifier(name)} AS VARCHAR) AS {identifier('f:' + name)}")
    for outcome in outcomes(model):
        happened = outcome.happened(f"l.{identifier(outcome.field)}")
        columns.append(f"{happened} AS {identifier('o:' + outcome.field)}")
    for side, project, _table in zip(SIDES, (base, head), scores, strict=True):
        _, qualified = qualifying_stages(project)
        stages = ", ".join(string(s) for s in qualified)
        columns += [
            f"{side}.score AS {side}_score",
            f"{side}.grade AS {side}_grade",
            f"{side}.stage AS {side}_stage",
            f"{side}.disqualified_by AS {side}_disq",
            f"{side}.route AS {side}_route",
            f"{side}.assignee AS {side}_assignee",
            f"{side}.owner AS {side}_owner",
            f"coalesce({side}.stage IN ({stages}), FALSE) AS {side}_q"
            if stages
            else f"FALSE AS {side}_q",
        ]
        groups = project.score_model.groups if project.score_model else ()
        columns += [f"{side}.{identifier(g.id)} AS {identifier(f'{side}g:{g.id}')}" for g in groups]
        columns += [
            f"{side}.{identifier('rule:' + r.id)} AS {identifier(f'{side}r:{r.id}')}"
            for g in groups
            for r in g.rules
        ]
    tables = f"{identifier(leads)} l, {identifier(scores[0])} b, {identifier(scores[1])} h"
    # The lead table and both score tables hold the leads in file order (scores are written
    # ordered by row), so they line up by position: no join to compute. Checked, not assumed:
    # should the orders ever differ, the rows are joined by number instead.
    aligned = connection.execute(
        f"SELECT count(*) FILTER (l.__row IS DISTINCT FROM b.__row OR l.__row IS DISTINCT FROM h.__row)"
        f" FROM {identifier(leads)} l POSITIONAL JOIN {identifier(scores[0])} b"
        f" POSITIONAL JOIN {identifier(scores[1])} h"
    ).fetchone()
    joined = f"{tables} WHERE b.__row = l.__row AND h.__row = l.__row"
    source = tables.replace(", ", " POSITIONAL JOIN ") if aligned == (0,) else joined
    select = ", ".join(columns)
    connection.execute(f"CREATE OR REPLACE TEMP VIEW {IMPACT} AS SELECT {select} FROM {source}")
    # The same rows joined by number, for reading a few leads whole: a filter on `row`
    # reaches each table's scan there, where a positional join has to read every row.
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW {IMPACT_BY_ROW} AS SELECT {select} FROM {joined}"
    )
