"""The history page's figures: how the current rules score and grade a file of past leads.

`read_history` is the IO edge (DuckDB reads the file and runs the compiled scoring query,
as `accord score` does, so no lead passes through Python); what it returns is plain data,
and `history_charts` draws it as inline SVG bar charts. SLA compliance is not charted:
replaying SLA clocks over history does not exist yet, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
from markupsafe import Markup

from engine.bulk import MEMORY_LIMIT
from engine.diff.funnel import bin_width
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import Project
from engine.leads import load_leads
from engine.render.impact_format import bin_label
from engine.render.impact_svg import AFTER, Series, bar_chart
from engine.sql import literals
from engine.sql.query import compile_scoring_query

NO_GRADE = "(none)"


@dataclass(frozen=True)
class ScoreBin:
    low: float  # inclusive
    high: float  # exclusive, except for the last bin
    leads: int


@dataclass(frozen=True)
class History:
    source: str  # the file's name, never its absolute path
    as_of: dt.datetime
    leads: int
    score_bins: tuple[ScoreBin, ...]
    grades: tuple[tuple[str, int], ...]  # in definition order, then leads with no grade
    stages: tuple[tuple[str, int], ...]  # in definition order, then disqualified


def _counts(
    connection: duckdb.DuckDBPyConnection, column: str, order: list[str], missing: str
) -> tuple[tuple[str, int], ...]:
    rows = connection.execute(
        f"SELECT {literals.identifier(column)}, count(*) FROM scored GROUP BY 1"
    ).fetchall()
    found = {missing if value is None else str(value): int(n) for value, n in rows}
    # Definition order first (every defined value, even when no lead has it), then the rest.
    names = [*order, *sorted(set(found) - set(order))]
    return tuple((name, found.get(name, 0)) for name in names)


def _bins(connection: duckdb.DuckDBPyConnection) -> tuple[ScoreBin, ...]:
    low, high = connection.execute("SELECT min(score), max(score) FROM scored").fetchone() or (
        None,
        None,
    )
    if low is None or high is None:
        return ()
    width = bin_width(float(low), float(high))
    start = math.floor(float(low) / width) * width
    count = max(1, math.ceil((float(high) - start) / width - 1e-9))
    rows = connection.execute(
        "SELECT least(CAST(floor((score - ?) / ?) AS BIGINT), ?), count(*) FROM scored GROUP BY 1",
        [start, width, count - 1],
    ).fetchall()
    found = {int(k): int(n) for k, n in rows}
    return tuple(
        ScoreBin(round(start + k * width, 9), round(start + (k + 1) * width, 9), found.get(k, 0))
        for k in range(count)
    )


def read_history(
    project: Project, leads: Path, as_of: dt.datetime, *, memory_limit: str = MEMORY_LIMIT
) -> History:
    """Score every lead of `leads` with the project's rules as of `as_of` and tally them.

    Raises engine.leads.LeadDataError for a file it cannot read.
    """
    assert project.lead_model is not None
    with tempfile.TemporaryDirectory(prefix="accord-spill-") as spill, duckdb.connect() as con:
        con.execute(f"SET memory_limit = {literals.string(memory_limit)}")
        con.execute(f"SET temp_directory = {literals.string(spill)}")
        report = load_leads(con, leads, project.lead_model)
        query = compile_scoring_query(project, as_of)
        con.execute(f"CREATE TABLE scored AS {query.sql}")
        q = project.qualification
        grades = [g.id for g in q.grades] if q else []
        stages = [*(s.id for s in q.stages), DISQUALIFIED_STAGE] if q else []
        return History(
            leads.name,
            as_of,
            report.rows,
            _bins(con),
            _counts(con, "grade", grades, NO_GRADE),
            _counts(con, "stage", stages, NO_GRADE),
        )


def history_charts(history: History) -> tuple[Markup, ...]:
    """The score histogram, leads per grade and leads per stage, as inline SVG."""
    bins = history.score_bins
    return (
        bar_chart(
            "Leads per score band",
            [bin_label(b.low, b.high) for b in bins],
            [Series("leads", tuple(float(b.leads) for b in bins), AFTER)],
        ),
        bar_chart(
            "Leads per grade",
            [grade for grade, _ in history.grades],
            [Series("leads", tuple(float(n) for _, n in history.grades), AFTER)],
        ),
        bar_chart(
            "Leads per stage",
            [stage for stage, _ in history.stages],
            [Series("leads", tuple(float(n) for _, n in history.stages), AFTER)],
        ),
    )
