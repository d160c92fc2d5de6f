"""The shape of the compiled scoring query: what it computes once per lead."""

from __future__ import annotations

import datetime as dt
import re

from engine.ir import Project
from engine.sql.query import compile_scoring_query

AS_OF = dt.datetime(2026, 12, 1)
STUDENT = r"(?i)\b(student|intern|internship|trainee|phd candidate)\b"
DECISION_MAKER = r"(?i)\b(chief|cto|cio|cdo|vp|svp|vice president|director|head of)\b"


def _derived_columns(sql: str) -> list[str]:
    derived = sql.split("derived AS (\n  SELECT *,\n", 1)[1].split("\n  FROM leads\n)", 1)[0]
    return [line.strip().rstrip(",") for line in derived.splitlines()]


def test_a_pattern_two_definitions_spell_is_matched_once(northwind: Project) -> None:
    # rules/scoring.yaml's student_or_intern and the student disqualifier test the same title
    # pattern: one regexp_matches per lead, read from a column by both.
    sql = compile_scoring_query(northwind, AS_OF).sql
    assert sql.count(STUDENT) == 1
    (column,) = [c for c in _derived_columns(sql) if STUDENT in c]
    name = re.search(r'AS ("value:\d+")', column)
    assert name is not None
    assert f'{name.group(1)} AS "rule:student_or_intern"' in sql
    assert re.search(rf'\({re.escape(name.group(1))} OR .*AS "disqualifier:student"', sql)


def test_a_pattern_spelled_once_stays_in_its_definition(northwind: Project) -> None:
    sql = compile_scoring_query(northwind, AS_OF).sql
    assert sql.count(DECISION_MAKER) == 1
    assert not any(DECISION_MAKER in c for c in _derived_columns(sql))


def test_text_functions_of_a_field_are_computed_once(northwind: Project) -> None:
    sql = compile_scoring_query(northwind, AS_OF).sql
    columns = _derived_columns(sql)
    assert 'lower("website") AS "value:2"' in columns
    assert sum('regexp_replace(lower("email")' in c for c in columns) == 1
    assert sql.count("regexp_replace(") == 1
