"""The decisions to sync: every lead of a file scored by the SQL backend, as rows in memory."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from engine.ir import Project
from engine.leads import LoadReport, load_leads
from engine.sql import literals
from engine.sql.query import compile_scoring_query

_READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class ScoredLeads:
    load: LoadReport
    id_column: str
    rows: tuple[dict[str, object], ...]


def score_leads(project: Project, leads: Path, as_of: dt.datetime) -> ScoredLeads:
    """Score `leads` as `accord score` does (engine.bulk), keeping the rows in order."""
    assert project.lead_model is not None
    with duckdb.connect() as con:
        report = load_leads(con, leads, project.lead_model)
        query = compile_scoring_query(project, as_of)
        names = [output.name for output in query.outputs]
        selected = ", ".join(literals.identifier(name) for name in names)
        rows = con.execute(f"SELECT {selected} FROM ({query.sql})").fetchall()
    return ScoredLeads(
        report,
        project.lead_model.id_field.id,
        tuple(dict(zip(names, row, strict=True)) for row in rows),
    )


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: which leads a checkpoint was made for."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_READ_BLOCK):
            digest.update(block)
    return "sha256:" + digest.hexdigest()
