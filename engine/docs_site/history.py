"""The history page's figures: past leads scored by the current rules, and SLA compliance.

`read_history` is the IO edge: `accord sla report`'s session (engine.sla.run.with_clocks)
loads the file into DuckDB once, scores it with the compiled scoring query and replays
every SLA's clock, so no lead passes through Python; the distributions are tallied from
its scores and the SLA compliance is `sla_report` on its clocks, in that one session. What
it returns is plain data; `history_charts` draws the distributions as inline SVG bar charts
(engine.docs_site.compliance draws the SLAs).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
from markupsafe import Markup

from engine.bulk import MEMORY_LIMIT
from engine.diff.funnel import bin_width
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import Project
from engine.render.impact_format import bin_label
from engine.render.impact_svg import AFTER, Series, bar_chart
from engine.sla.report import SlaSummary, sla_report
from engine.sla.run import with_clocks
from engine.sql import literals

NO_GRADE = "(none)"
SCORES = "scores"  # the table with_clocks scores the leads into, one row per lead


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
    slas: tuple[SlaSummary, ...]  # in definition order, as `accord sla report` computes them


def _counts(
    connection: duckdb.DuckDBPyConnection, column: str, order: list[str], missing: str
) -> tuple[tuple[str, int], ...]:
    rows = connection.execute(
        f"SELECT {literals.identifier(column)}, count(*) FROM {SCORES} GROUP BY 1"
    ).fetchall()
    found = {missing if value is None else str(value): int(n) for value, n in rows}
    # Definition order first (every defined value, even when no lead has it), then the rest.
    names = [*order, *sorted(set(found) - set(order))]
    return tuple((name, found.get(name, 0)) for name in names)


def _bins(connection: duckdb.DuckDBPyConnection) -> tuple[ScoreBin, ...]:
    low, high = connection.execute(f"SELECT min(score), max(score) FROM {SCORES}").fetchone() or (
        None,
        None,
    )
    if low is None or high is None:
        return ()
    width = bin_width(float(low), float(high))
    start = math.floor(float(low) / width) * width
    count = max(1, math.ceil((float(high) - start) / width - 1e-9))
    rows = connection.execute(
        f"SELECT least(CAST(floor((score - ?) / ?) AS BIGINT), ?), count(*) FROM {SCORES}"
        " GROUP BY 1",
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
    """Score every lead of `leads` with the project's rules as of `as_of`, tally them, and
    replay every SLA over them: one load of the file, one DuckDB session.

    Raises engine.leads.LeadDataError for a file it cannot read.
    """
    q = project.qualification
    grades = [g.id for g in q.grades] if q else []
    stages = [*(s.id for s in q.stages), DISQUALIFIED_STAGE] if q else []

    def tally(connection: duckdb.DuckDBPyConnection) -> History:
        (leads_scored,) = connection.execute(f"SELECT count(*) FROM {SCORES}").fetchone() or (0,)
        return History(
            leads.name,
            as_of,
            int(leads_scored),
            _bins(connection),
            _counts(connection, "grade", grades, NO_GRADE),
            _counts(connection, "stage", stages, NO_GRADE),
            sla_report(connection, project, as_of, leads.name).slas,
        )

    history, _ = with_clocks(project, leads, as_of, tally, memory_limit=memory_limit)
    return history


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
