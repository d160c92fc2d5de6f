"""The leads scored by both revisions, side by side in one DuckDB view.

The `impact` view has one row per lead of the history file: the lead's id, arrival time,
the fields reports break counts down by (`f:<field>`), whether each outcome happened
(`o:<field>`), and each side's decisions: `b_…` for the base revision, `h_…` for the head,
with the group scores as `bg:<group>`/`hg:<group>`. Every measure in engine.diff.funnel
and .routing reads this view and nothing else. It is a view, not a table: copying the
columns of a million leads costs more than all the measures together, and each reads only
the few columns it needs. engine.diff.flips reads the `flipped` table: the same columns
for the flipped leads only, plus whether each rule fired (`br:<rule>`/`hr:<rule>`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from engine.ir import FieldRole, FieldType, LeadModel, Project
from engine.sql.literals import identifier, string
from engine.sql.query import compile_scoring_query
from engine.sql.run import QueryRunner

IMPACT = "impact"
FLIPPED = "flipped"  # the flipped leads only, with one column per rule on each side
SIDES = ("b", "h")


# What counts as an outcome having happened, per field type: in words (`{}` the field) and
# as SQL that is TRUE or FALSE, never NULL (`{}` the column). Dates and times: being set.
_HAPPENED = {
    FieldType.BOOLEAN: ("{} is true", "coalesce({}, FALSE)"),
    FieldType.INTEGER: ("{} above 0", "coalesce({} > 0, FALSE)"),
    FieldType.NUMBER: ("{} above 0", "coalesce({} > 0, FALSE)"),
    FieldType.STRING: ("{} not empty", "coalesce({} <> '', FALSE)"),
}
_SET = ("{} is set", "({} IS NOT NULL)")


@dataclass(frozen=True)
class Outcome:
    field: str
    type: FieldType

    @property
    def meaning(self) -> str:
        """What counts as the outcome having happened, in words."""
        return _HAPPENED.get(self.type, _SET)[0].format(self.field)

    def happened(self, column: str) -> str:
        """The same, as SQL over `column`."""
        return _HAPPENED.get(self.type, _SET)[1].format(column)


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
    """What breakdowns are by: the `report_by` fields, then the segments' names."""
    fields = [ref.id for ref in model.report_by if model.field(ref.id) is not None]
    return tuple(dict.fromkeys([*fields, *(s.name for s in model.segments)]))


def segment_terms(model: LeadModel) -> tuple[str, ...]:
    """The glossary terms the head's scores must carry, for the segments."""
    return tuple(dict.fromkeys(ref.id for s in model.segments for ref in s.terms))


def _columns(base: Project, head: Project, *, rules: bool) -> list[str]:
    """The view's columns over a lead table `l` and the sides' score tables `b` and `h`."""
    model = head.lead_model
    assert model is not None
    columns = [
        "l.__row AS row",
        f"CAST(l.{identifier(model.id_field.id)} AS VARCHAR) AS lead_id",
    ]
    arrival = model.arrival_field
    columns.append(f"l.{identifier(arrival.id)} AS arrival" if arrival else "NULL AS arrival")
    fields = [ref.id for ref in model.report_by if model.field(ref.id) is not None]
    for name in dict.fromkeys(fields):
        columns.append(f"CAST(l.{identifier(name)} AS VARCHAR) AS {identifier('f:' + name)}")
    for segment in model.segments:
        if segment.name in fields:
            continue  # a field of that name comes first
        cases = " ".join(
            f"WHEN h.{identifier('term:' + ref.id)} THEN {string(ref.id)}" for ref in segment.terms
        )
        columns.append(f"CASE {cases} END AS {identifier('f:' + segment.name)}")
    for outcome in outcomes(model):
        happened = outcome.happened(f"l.{identifier(outcome.field)}")
        columns.append(f"{happened} AS {identifier('o:' + outcome.field)}")
    for side, project in zip(SIDES, (base, head), strict=True):
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
        if rules:
            columns += [
                f"{side}.{identifier('rule:' + r.id)} AS {identifier(f'{side}r:{r.id}')}"
                for g in groups
                for r in g.rules
            ]
    return columns


def create_impact_view(
    connection: duckdb.DuckDBPyConnection,
    base: Project,
    head: Project,
    leads: str,
    scores: tuple[str, str],
) -> None:
    """Line up the lead table and both sides' scores (tables with a `__row` column) by row."""
    tables = f"{identifier(leads)} l, {identifier(scores[0])} b, {identifier(scores[1])} h"
    # The lead table and both score tables hold the leads in file order (scores are written
    # ordered by row), so they line up by position: no join to compute. Checked, not assumed:
    # should the orders ever differ, the rows are joined by number instead.
    aligned = connection.execute(
        f"SELECT count(*) FILTER (l.__row IS DISTINCT FROM b.__row OR l.__row IS DISTINCT FROM h.__row)"
        f" FROM {tables.replace(', ', ' POSITIONAL JOIN ')}"
    ).fetchone()
    joined = f"{tables} WHERE b.__row = l.__row AND h.__row = l.__row"
    source = tables.replace(", ", " POSITIONAL JOIN ") if aligned == (0,) else joined
    select = ", ".join(_columns(base, head, rules=False))
    connection.execute(f"CREATE OR REPLACE TEMP VIEW {IMPACT} AS SELECT {select} FROM {source}")


def create_flipped_table(
    connection: duckdb.DuckDBPyConnection,
    base: Project,
    head: Project,
    leads: tuple[str, str],
    as_of: dt.datetime,
    *,
    runner: QueryRunner | None = None,
) -> None:
    """The leads that flipped, scored again with one column per rule: what explains them.

    Which rules fire on a lead depends on that lead alone, so scoring only these leads gives
    the same rules (and score, grade, stage and route) as scoring them among all the others;
    only the replayed owner would differ, and it is not read here. A change flips few leads,
    so this costs far less than carrying the rule columns for every lead.
    """
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE flipped_rows AS SELECT row FROM {IMPACT} WHERE b_q <> h_q"
    )
    fired = []
    for side, project, table in zip(SIDES, (base, head), leads, strict=True):
        subset = f"{side}_flipped_leads"
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {subset} AS SELECT * FROM {identifier(table)}"
            " WHERE __row IN (SELECT row FROM flipped_rows)"
        )
        terms = segment_terms(head.lead_model) if side == "h" and head.lead_model else ()
        query = compile_scoring_query(
            project, as_of, source=subset, rule_columns=True, terms=terms, row=True
        )
        if runner is None:
            connection.execute(f"CREATE OR REPLACE TEMP TABLE {side}_fired AS {query.sql}")
        else:
            runner(connection, query.sql, subset, f"{side}_fired")
        fired.append(f"{side}_fired")
    select = ", ".join(_columns(base, head, rules=True))
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {FLIPPED} AS SELECT {select}"
        f" FROM h_flipped_leads l JOIN b_fired b ON b.__row = l.__row"
        f" JOIN h_fired h ON h.__row = l.__row"
    )
