"""Why leads flipped: the definitions whose change moved each lead in or out of qualified.

A rule is a cause for a lead when the points it gives that lead differ between the sides:
it fires on one side only, or fires on both with other points (a rule missing from a side
gives nothing there). A disqualifier is a cause when it holds on one side only. A flipped
lead counts under every cause that applies; one that no rule or disqualifier explains
moved because of the stage conditions (same score) or the caps and decay (other score).
"""

from __future__ import annotations

import duckdb

from engine.diff.funnel import ENTERED, LEFT, SCORE_EPSILON
from engine.diff.report import Cause, Decision, Direction, Example, Fired, Flips
from engine.diff.sides import FLIPPED
from engine.ir import Project
from engine.sql.literals import identifier

EXAMPLES_PER_DIRECTION = 3
STAGES = "stages"
CAPS_OR_DECAY = "caps or decay"


def rule_points(project: Project) -> dict[str, int]:
    groups = project.score_model.groups if project.score_model else ()
    return {r.id: r.points for g in groups for r in g.rules}


def flips(connection: duckdb.DuckDBPyConnection, base: Project, head: Project) -> Flips:
    return Flips(_causes(connection, base, head), _examples(connection, base, head))


def _points(side: str, rule: str, points: int | None) -> str:
    """The points `rule` gives a lead on one side; a rule the side lacks gives none."""
    if points is None:
        return "0"
    return f"(CASE WHEN {identifier(f'{side}r:{rule}')} THEN {points} ELSE 0 END)"


def _causes(
    connection: duckdb.DuckDBPyConnection, base: Project, head: Project
) -> tuple[Cause, ...]:
    before, after = rule_points(base), rule_points(head)
    rules = sorted(set(before) | set(after))
    differs = {
        r: f"{_points('b', r, before.get(r))} <> {_points('h', r, after.get(r))}" for r in rules
    }
    explained = " OR ".join([*differs.values(), "b_disq IS DISTINCT FROM h_disq"])
    aggregates = [
        f"count(*) FILTER (({condition}) AND {direction})"
        for condition in differs.values()
        for direction in (ENTERED, LEFT)
    ]
    residual = {
        CAPS_OR_DECAY: f"NOT ({explained}) AND abs(b_score - h_score) >= {SCORE_EPSILON}",
        STAGES: f"NOT ({explained}) AND abs(b_score - h_score) < {SCORE_EPSILON}",
    }
    aggregates += [
        f"count(*) FILTER (({condition}) AND {direction})"
        for condition in residual.values()
        for direction in (ENTERED, LEFT)
    ]
    row = connection.execute(f"SELECT {', '.join(aggregates)} FROM {FLIPPED}").fetchone()
    assert row is not None
    names = [f"rule:{r}" for r in rules] + list(residual)
    found = [
        Cause(name, row[2 * k], row[2 * k + 1])
        for k, name in enumerate(names)
        if row[2 * k] or row[2 * k + 1]
    ]
    disqualifiers = connection.execute(
        f"SELECT coalesce(b_disq, h_disq) AS d, count(*) FILTER ({ENTERED}),"
        f" count(*) FILTER ({LEFT}) FROM {FLIPPED}"
        f" WHERE b_disq IS DISTINCT FROM h_disq GROUP BY 1"
    ).fetchall()
    found += [Cause(f"disqualifier:{d}", e, left) for d, e, left in disqualifiers]
    return tuple(sorted(found, key=lambda c: (-(c.entered + c.left), c.cause)))


def _examples(
    connection: duckdb.DuckDBPyConnection, base: Project, head: Project
) -> tuple[Example, ...]:
    found = []
    for direction, condition in ((Direction.ENTERED, ENTERED), (Direction.LEFT, LEFT)):
        cursor = connection.execute(
            f"SELECT * FROM {FLIPPED} WHERE {condition} ORDER BY row LIMIT {EXAMPLES_PER_DIRECTION}"
        )
        names = [d[0] for d in cursor.description or ()]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            found.append(
                Example(
                    str(row["lead_id"]),
                    direction,
                    _decision(row, "b", base),
                    _decision(row, "h", head),
                )
            )
    return tuple(found)


def _decision(row: dict[str, object], side: str, project: Project) -> Decision:
    groups = project.score_model.groups if project.score_model else ()
    return Decision(
        score=float(row[f"{side}_score"]),  # type: ignore[arg-type]
        groups=tuple((g.id, float(row[f"{side}g:{g.id}"])) for g in groups),  # type: ignore[arg-type]
        grade=_text(row[f"{side}_grade"]),
        stage=_text(row[f"{side}_stage"]),
        disqualified_by=_text(row[f"{side}_disq"]),
        route=_text(row[f"{side}_route"]),
        assignee=_text(row[f"{side}_assignee"]),
        rules_fired=tuple(
            Fired(r.id, r.points) for g in groups for r in g.rules if row[f"{side}r:{r.id}"]
        ),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
