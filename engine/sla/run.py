"""`accord sla`, the IO edge: a history file in, SLA clocks replayed in DuckDB, a report out."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from engine.bulk import MEMORY_LIMIT, check_memory_limit
from engine.commitments import commitment_conditions
from engine.ir import Project
from engine.leads import LoadReport, load_leads
from engine.sla.replay import replay_slas, sla_conditions
from engine.sql import literals
from engine.sql.query import compile_scoring_query

T = TypeVar("T")


def with_clocks(
    project: Project,
    leads: Path,
    as_of: dt.datetime,
    read: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    memory_limit: str = MEMORY_LIMIT,
) -> tuple[T, LoadReport]:
    """Replay every SLA over `leads` as of `as_of`, then `read` the `sla_clocks` table.

    Raises LeadDataError when the file cannot be read.
    """
    assert project.lead_model is not None
    limit = check_memory_limit(memory_limit)
    with tempfile.TemporaryDirectory(prefix="accord-spill-") as spill, duckdb.connect() as con:
        con.execute(f"SET memory_limit = {literals.string(limit)}")
        con.execute(f"SET temp_directory = {literals.string(spill)}")
        loaded = load_leads(con, leads, project.lead_model)
        conditions = (*sla_conditions(project), *commitment_conditions(project))
        query = compile_scoring_query(project, as_of, conditions=conditions, row=True)
        con.execute(f"CREATE TEMP TABLE scores AS {query.sql}")
        replay_slas(con, project, as_of)
        return read(con), loaded
