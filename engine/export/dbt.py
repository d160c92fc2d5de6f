"""The dbt export: a dbt project whose models compute every output column from a leads source.

Two models and one macro, so a company's analytics engineers can run Accord's decisions in
the warehouse next to the rest of their models (https://docs.getdbt.com/docs/build/models):

- `accord_leads` (a view) types the source's columns as the lead model's fields with the
  very SQL `accord score` reads a typed file with (engine.leads.cast), so a warehouse column
  means what the same column of a Parquet file means: text that is blank or a null value
  is NULL, a non-finite number is NULL, and so on;
- `accord_scores` (a table) is the scoring query of engine.sql.query over it: score, group
  scores, grade, stage, disqualified_by, route, assignee and owner, one row per lead;
- `accord_as_of()` is the clock: the `accord_as_of` variable (an ISO 8601 UTC instant, for
  a reproducible run) or else the warehouse's current time in UTC.

`schema.yml` documents the models and holds the schema tests (unique lead ids, the values
each decision column may take) that `dbt build` runs after building them.

dbt renders every model and YAML file through Jinja first. The only Jinja in the export
is what is written here: SQL literals and comments never contain a Jinja opener
(engine.sql.literals), and descriptions from the definitions have theirs broken up.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from sqlglot import exp

from engine.export import Coverage, Export, ExportOptions
from engine.export.sql import check_definitions, text_columns
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import FieldType, Project
from engine.leads.cast import SQL_TYPES, SourceKind, field_cast
from engine.sql import literals
from engine.sql.dialects import UTC_NOW, Transpiled, transpile
from engine.sql.query import ROW, Output, ScoringQuery, compile_scoring_query

PACKAGE = "accord"
# Identifiers standing in for Jinja while sqlglot transpiles a model (it cannot read Jinja).
_SOURCE_SLOT = "accord_source_slot"
_LEADS_SLOT = "accord_leads_slot"
_CLOCK_SLOT = "accord_clock_slot"
LEADS_MODEL = "accord_leads"
SCORES_MODEL = "accord_scores"
# The source table's columns are expected in the warehouse type of their field, as a
# Parquet file of the same leads would hold them.
_SOURCE_KINDS = {
    FieldType.STRING: SourceKind.TEXT,
    FieldType.INTEGER: SourceKind.INTEGER,
    FieldType.NUMBER: SourceKind.FLOAT,
    FieldType.BOOLEAN: SourceKind.BOOLEAN,
    FieldType.DATE: SourceKind.DATE,
    FieldType.DATETIME: SourceKind.TIMESTAMP,
}
# An ISO 8601 instant in UTC: the only text the clock variable may hold, since dbt pastes it
# into SQL.
_INSTANT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?Z?"


def _yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _project_file(project: Project) -> str:
    return "# The dbt project Accord exported; see README.md.\n" + _yaml(
        {
            "name": PACKAGE,
            "version": "1.0.0",
            "config-version": 2,
            "profile": PACKAGE,
            "model-paths": ["models"],
            "macro-paths": ["macros"],
            "models": {PACKAGE: {"+materialized": "view"}},
            "vars": {
                "accord_as_of": None,
                "accord_leads_schema": None,
                "accord_leads_table": "leads",
            },
        }
    )


_INSTANT_SLOT = "1999-12-31 23:59:59"  # replaced by the variable's value in the macro


def _clock_macro(dialect: str) -> str:
    """The clock macro, with the current UTC time and a timestamp literal in `dialect`."""
    now = _expression(transpile(f"SELECT {UTC_NOW}", dialect).sql)
    fixed = _expression(transpile(f"SELECT CAST('{_INSTANT_SLOT}' AS TIMESTAMP)", dialect).sql)
    value = '{{ as_of | string | replace("T", " ") | replace("Z", "") }}'
    return f"""\
{{#- The instant the decisions are made at: the accord_as_of variable (an ISO 8601 UTC
    instant such as 2026-12-01T00:00:00Z, for runs that must be reproducible), else the
    warehouse's current time in UTC. -#}}
{{% macro accord_as_of() -%}}
  {{%- set as_of = var('accord_as_of', none) -%}}
  {{%- if as_of is none -%}}
    {now}
  {{%- else -%}}
    {{%- if not modules.re.fullmatch('{_INSTANT}', as_of | string) -%}}
      {{{{ exceptions.raise_compiler_error("accord_as_of must be an ISO 8601 instant in UTC such as 2026-12-01T00:00:00Z, not " ~ as_of) }}}}
    {{%- endif -%}}
    {fixed.replace(_INSTANT_SLOT, value)}
  {{%- endif -%}}
{{%- endmacro %}}
"""


def _expression(select: str) -> str:
    """The one expression of `SELECT expression`, on one line."""
    return " ".join(select.split())[len("SELECT ") :]


def _literally(text: str, _: re.Match[str]) -> str:
    return text


def _in_dialect(sql: str, dialect: str, slots: dict[str, str], texts: frozenset[str]) -> Transpiled:
    """`sql` in `dialect`, each slot (an identifier standing in for Jinja, since sqlglot
    cannot read Jinja) replaced by its Jinja."""
    done = transpile(sql, dialect, text_columns=texts)
    text = done.sql
    for slot, jinja in slots.items():
        # As a function, the replacement is taken literally (no backslash escapes).
        text = re.sub(f'[`"]?{slot}[`"]?', functools.partial(_literally, jinja), text)
    return Transpiled(done.dialect, text, done.unsupported)


def _sources(project: Project, dialect: str) -> str:
    model = project.lead_model
    assert model is not None
    columns = []
    for field in model.fields:
        column: dict[str, Any] = {"name": field.source_column}
        sql_type = exp.DataType.build(SQL_TYPES[field.type], dialect="duckdb").sql(dialect)
        column["data_type"] = sql_type.lower()
        text = f"Accord field `{field.id}` ({field.type.value})."
        if field.description:
            text += " " + literals.inert_line(field.description)
        column["description"] = text
        columns.append(column)
    return "# The leads Accord's models read: one row per lead, typed columns.\n" + _yaml(
        {
            "version": 2,
            "sources": [
                {
                    "name": PACKAGE,
                    "schema": "{{ var('accord_leads_schema') or target.schema }}",
                    "tables": [
                        {
                            "name": "leads",
                            "identifier": "{{ var('accord_leads_table') }}",
                            "description": f"The leads of {literals.inert_line(project.name)}, as the lead model"
                            " describes them (rules/ in the Accord repository).",
                            "columns": columns,
                        }
                    ],
                }
            ],
        }
    )


def _leads_model(project: Project, dialect: str) -> tuple[str, tuple[str, ...]]:
    """The staging view: each field typed from its column in three steps (engine.leads.cast),
    one nested SELECT per step, as `accord score` reads a file."""
    model = project.lead_model
    assert model is not None
    casts = [
        field_cast(
            field,
            literals.identifier(field.source_column),
            _SOURCE_KINDS[field.type],
            model.null_values + field.null_values,
            source_alias=f"__s{k}",
            candidate_alias=f"__c{k}",
        )
        for k, field in enumerate(model.fields)
    ]
    sources = ",\n".join(f"      {c.source} AS __s{k}" for k, c in enumerate(casts))
    candidates = ",\n".join(f"    {c.candidate} AS __c{k}" for k, c in enumerate(casts))
    values = ",\n".join(
        f"  {c.value} AS {literals.identifier(f.id)}"
        for f, c in zip(model.fields, casts, strict=True)
    )
    # A window cannot read an alias of its own SELECT: the id is numbered by its value.
    id_value = next(
        c.value for f, c in zip(model.fields, casts, strict=True) if f.id == model.id_field.id
    )
    header = literals.comment(f"{project.name}'s leads as Accord's typed lead fields")
    sql = (
        f"{header}\n"
        f"SELECT\n{values},\n  row_number() OVER (ORDER BY {id_value}) AS {ROW}\n"
        f"FROM (\n  SELECT\n{candidates}\n  FROM (\n    SELECT\n{sources}\n"
        f"    FROM {_SOURCE_SLOT}\n  )\n)\n"
    )
    jinja = {_SOURCE_SLOT: f"{{{{ source('{PACKAGE}', 'leads') }}}}"}
    done = _in_dialect(sql, dialect, jinja, frozenset())
    return "{{ config(materialized='view') }}\n" + done.sql, done.unsupported


def _scores_model(
    project: Project, query: ScoringQuery, dialect: str
) -> tuple[str, tuple[str, ...]]:
    jinja = {_CLOCK_SLOT: "{{ accord_as_of() }}", _LEADS_SLOT: f"{{{{ ref('{LEADS_MODEL}') }}}}"}
    done = _in_dialect(query.sql, dialect, jinja, text_columns(project))
    return "{{ config(materialized='table') }}\n" + done.sql, done.unsupported


def _accepted(values: list[str]) -> dict[str, Any]:
    return {"accepted_values": {"arguments": {"values": values}}}


def _schema(project: Project, outputs: tuple[Output, ...]) -> str:
    model = project.lead_model
    assert model is not None
    q = project.qualification
    routing = project.routing
    tests: dict[str, list[Any]] = {model.id_field.id: ["unique", "not_null"], "score": ["not_null"]}
    if q is not None and q.grades:
        tests["grade"] = [_accepted([g.id for g in q.grades])]
    if q is not None and q.stages:
        tests["stage"] = ["not_null", _accepted([*(s.id for s in q.stages), DISQUALIFIED_STAGE])]
    if q is not None and q.disqualifiers:
        tests["disqualified_by"] = [_accepted([d.id for d in q.disqualifiers])]
    if routing is not None and routing.routes:
        tests["route"] = ["not_null", _accepted([r.id for r in routing.routes])]
    for group in project.score_model.groups if project.score_model else ():
        tests[group.id] = ["not_null"]
    columns = []
    for output in outputs:
        column: dict[str, Any] = {
            "name": output.name,
            "description": literals.inert_line(output.description),
        }
        if output.name in tests:
            column["data_tests"] = tests[output.name]
        columns.append(column)
    leads_columns = [
        {"name": f.id, "description": literals.inert_line(f.description or f"The lead's {f.id}.")}
        for f in model.fields
    ]
    leads_columns.append({"name": ROW, "description": "The lead's number in id order."})
    return "# Accord's models, their columns and their schema tests.\n" + _yaml(
        {
            "version": 2,
            "models": [
                {
                    "name": LEADS_MODEL,
                    "description": "The leads source typed as Accord's lead fields.",
                    "columns": leads_columns,
                },
                {
                    "name": SCORES_MODEL,
                    "description": f"{literals.inert_line(project.name)}'s lead decisions, as `accord score`"
                    " makes them: one row per lead.",
                    "columns": columns,
                },
            ],
        }
    )


_README = """\
# Accord's dbt models

Exported by `accord export --target dbt`; do not edit by hand, export again instead.

- `models/accord_leads.sql` types the leads source as Accord's lead fields.
- `models/accord_scores.sql` computes every decision: score, group scores, grade, stage,
  disqualified_by, route, assignee and owner, one row per lead.
- `models/schema.yml` holds the schema tests `dbt build` runs on them.

Run it on its own with a profile named `accord` (or change `profile:` in
dbt_project.yml), pointing the source at your leads table:

    dbt build --vars '{accord_leads_schema: crm, accord_leads_table: leads}'

or add it to your own dbt project as a package (`packages.yml`: `- local: path/to/this`,
then `dbt deps`) and set the same variables in your `dbt_project.yml`. The leads table
needs one column per field, named and typed as `models/sources.yml` lists them.

Decisions are made as of the warehouse's current time in UTC; pass
`--vars '{accord_as_of: "2026-12-01T00:00:00Z"}'` to make them as of a fixed instant, as
`accord score --as-of` does.
"""


def export(project: Project, options: ExportOptions) -> Export:
    """The dbt project in `options.dialect`; what the dialect cannot express is reported at
    its definition (X101), or at the lead model for the rest of the query (X103)."""
    model = project.lead_model
    assert model is not None
    dialect = options.dialect
    leads_sql, leads_unsupported = _leads_model(project, dialect)
    query = compile_scoring_query(project, literals.RunTimeClock(_CLOCK_SLOT), source=_LEADS_SLOT)
    scores_sql, scores_unsupported = _scores_model(project, query, dialect)
    files = {
        "README.md": _README,
        "dbt_project.yml": _project_file(project),
        "macros/accord_as_of.sql": _clock_macro(dialect),
        "models/sources.yml": _sources(project, dialect),
        f"models/{LEADS_MODEL}.sql": leads_sql,
        f"models/{SCORES_MODEL}.sql": scores_sql,
        "models/schema.yml": _schema(project, query.outputs),
    }
    checked = check_definitions(project, dialect)
    coverage = [
        Coverage(f"field:{f.id}", not leads_unsupported, f"column {LEADS_MODEL}.{f.id}", f.span)
        for f in model.fields
    ]
    unsupported = tuple(dict.fromkeys([*leads_unsupported, *scores_unsupported]))
    diagnostics = checked.with_rest(unsupported, model.span)
    return Export("dbt", files, diagnostics, (*coverage, *checked.coverage))
