"""Funnel measures of an impact diff: volumes, breakdowns, the score's shift, outcomes.

Each function reads the `impact` view (engine.diff.sides) and returns part of the report.
Sums of scores are taken as DECIMAL so that the result does not depend on the order in
which DuckDB's threads add them up: the same leads give the same bytes.
"""

from __future__ import annotations

import math

import duckdb

from engine.diff.report import (
    MISSING,
    OTHER,
    Breakdown,
    BreakdownRow,
    Confusion,
    Count,
    Headline,
    HistogramBin,
    OutcomeQuality,
    ScoreShift,
    Spread,
    Tally,
    Transition,
)
from engine.diff.sides import IMPACT, outcomes, qualifying_stages, report_fields
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import Project
from engine.sql.literals import identifier

SCORE_EPSILON = 0.005  # scores closer than this are the same (as in rule tests)
BREAKDOWN_ROWS = 15  # values shown per breakdown; the rest are folded into one row
_BINS = 10  # about this many histogram bins

ENTERED = "NOT b_q AND h_q"
LEFT = "b_q AND NOT h_q"


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[object, ...]:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def headline(connection: duckdb.DuckDBPyConnection, base: Project, head: Project) -> Headline:
    leads, before, after, entered, left, changed = _one(
        connection,
        f"SELECT count(*), count(*) FILTER (b_q), count(*) FILTER (h_q),"
        f" count(*) FILTER ({ENTERED}), count(*) FILTER ({LEFT}),"
        f" count(*) FILTER (abs(b_score - h_score) >= {SCORE_EPSILON})"
        f" FROM {IMPACT}",
    )
    qualified_stage = qualifying_stages(head)[0] or qualifying_stages(base)[0]
    order = [s.id for p in (head, base) if p.qualification for s in p.qualification.stages]
    stages = _tallies(connection, "stage", [*dict.fromkeys(order), DISQUALIFIED_STAGE])
    return Headline(
        leads=int(leads),  # type: ignore[call-overload]
        qualified_stage=qualified_stage,
        qualified=Count(int(before), int(after)),  # type: ignore[call-overload]
        entered=int(entered),  # type: ignore[call-overload]
        left=int(left),  # type: ignore[call-overload]
        score_changed=int(changed),  # type: ignore[call-overload]
        stages=stages,
    )


def _tallies(
    connection: duckdb.DuckDBPyConnection, column: str, order: list[str]
) -> tuple[Tally, ...]:
    """Counts of `b_<column>` and `h_<column>` per value: `order` first, then the rest."""
    counts: dict[str, list[int]] = {value: [0, 0] for value in order}
    for side, index in (("b", 0), ("h", 1)):
        rows = connection.execute(
            f"SELECT {side}_{column}, count(*) FROM {IMPACT} GROUP BY 1"
        ).fetchall()
        for value, count in rows:
            counts.setdefault(MISSING if value is None else str(value), [0, 0])[index] = count
    extra = sorted(v for v in counts if v not in order)
    return tuple(
        Tally(value, Count(*counts[value])) for value in [*order, *extra] if counts[value] != [0, 0]
    )


def breakdowns(connection: duckdb.DuckDBPyConnection, head: Project) -> tuple[Breakdown, ...]:
    """Counts by each `report_by` field, then by the grade after the change."""
    assert head.lead_model is not None
    columns = [(name, identifier("f:" + name)) for name in report_fields(head.lead_model)]
    columns.append(("grade", "h_grade"))
    return tuple(_breakdown(connection, name, column) for name, column in columns)


def _breakdown(connection: duckdb.DuckDBPyConnection, name: str, column: str) -> Breakdown:
    rows = connection.execute(
        f"SELECT {column}, count(*) AS leads, count(*) FILTER (b_q), count(*) FILTER (h_q),"
        f" count(*) FILTER ({ENTERED}), count(*) FILTER ({LEFT})"
        f" FROM {IMPACT} GROUP BY 1 ORDER BY leads DESC, 1 NULLS LAST"
    ).fetchall()
    shown = [
        BreakdownRow(MISSING if v is None else str(v), n, Count(b, h), e, left)
        for v, n, b, h, e, left in rows[:BREAKDOWN_ROWS]
    ]
    tail = rows[BREAKDOWN_ROWS:]
    if tail:
        shown.append(
            BreakdownRow(
                OTHER,
                sum(r[1] for r in tail),
                Count(sum(r[2] for r in tail), sum(r[3] for r in tail)),
                sum(r[4] for r in tail),
                sum(r[5] for r in tail),
            )
        )
    return Breakdown(name, tuple(shown), len(tail))


def score_shift(connection: duckdb.DuckDBPyConnection, base: Project, head: Project) -> ScoreShift:
    low, high = _one(
        connection,
        f"SELECT min(least(b_score, h_score)), max(greatest(b_score, h_score)) FROM {IMPACT}",
    )
    bins: tuple[HistogramBin, ...] = ()
    if low is not None and high is not None:
        bins = _histogram(connection, float(low), float(high))  # type: ignore[arg-type]
    grades = [g.id for p in (head, base) if p.qualification for g in p.qualification.grades]
    transitions = connection.execute(
        f"SELECT b_grade, h_grade, count(*) FROM {IMPACT} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
    ).fetchall()
    return ScoreShift(
        bins=bins,
        before=_spread(connection, "b_score"),
        after=_spread(connection, "h_score"),
        grades=_tallies(connection, "grade", list(dict.fromkeys(grades))),
        transitions=tuple(
            Transition(MISSING if b is None else b, MISSING if h is None else h, n)
            for b, h, n in transitions
        ),
    )


def bin_width(low: float, high: float) -> float:
    """A round width (1, 2 or 5 times a power of ten) giving about _BINS bins."""
    span = max(high - low, 1e-9)
    raw = span / _BINS
    power = 10.0 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _histogram(
    connection: duckdb.DuckDBPyConnection, low: float, high: float
) -> tuple[HistogramBin, ...]:
    width = bin_width(low, high)
    start = math.floor(low / width) * width
    # Bins are [low, high); the top score, when it falls on a boundary, joins the last bin.
    count = max(1, math.ceil((high - start) / width - 1e-9))
    last = count - 1
    totals = {}
    for side in ("b", "h"):
        rows = connection.execute(
            f"SELECT least(CAST(floor(({side}_score - ?) / ?) AS BIGINT), ?) AS bin, count(*)"
            f" FROM {IMPACT} GROUP BY 1",
            [start, width, last],
        ).fetchall()
        totals[side] = dict(rows)
    return tuple(
        HistogramBin(
            round(start + k * width, 9),
            round(start + (k + 1) * width, 9),
            Count(totals["b"].get(k, 0), totals["h"].get(k, 0)),
        )
        for k in range(count)
    )


def _spread(connection: duckdb.DuckDBPyConnection, column: str) -> Spread:
    mean, quantiles = _one(
        connection,
        f"SELECT avg(CAST({column} AS DECIMAL(18, 6))),"
        f" quantile_cont({column}, [0.1, 0.25, 0.5, 0.75, 0.9]) FROM {IMPACT}",
    )
    q = [float(v) for v in quantiles] if quantiles else [0.0] * 5  # type: ignore[attr-defined]
    return Spread(float(mean or 0), *q)  # type: ignore[arg-type]


def outcome_quality(
    connection: duckdb.DuckDBPyConnection, head: Project
) -> tuple[OutcomeQuality, ...]:
    """How well "qualified" picked the leads whose outcome happened, before and after."""
    assert head.lead_model is not None
    found = outcomes(head.lead_model)
    if not found:
        return ()
    aggregates = []
    for outcome in found:
        happened = identifier("o:" + outcome.field)
        for q in ("b_q", "h_q"):
            aggregates += [
                f"count(*) FILTER ({q})",
                f"count(*) FILTER ({q} AND {happened})",
                f"count(*) FILTER (NOT {q})",
                f"count(*) FILTER (NOT {q} AND {happened})",
            ]
    counts = [int(c) for c in _one(connection, f"SELECT {', '.join(aggregates)} FROM {IMPACT}")]  # type: ignore[call-overload]
    return tuple(
        OutcomeQuality(
            outcome.field,
            outcome.meaning,
            Confusion(*counts[8 * k : 8 * k + 4]),
            Confusion(*counts[8 * k + 4 : 8 * k + 8]),
        )
        for k, outcome in enumerate(found)
    )
