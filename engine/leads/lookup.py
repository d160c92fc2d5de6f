"""Find one lead of a history file by its id, typed as the interpreter takes it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from engine.interpreter.values import Lead
from engine.ir import LeadModel
from engine.leads.errors import LeadDataError
from engine.leads.load import load_leads
from engine.sql import literals


def read_lead(path: Path, model: LeadModel, lead_id: str) -> Lead:
    """The first lead whose id (compared as text) is `lead_id`; LeadDataError if none is."""
    with duckdb.connect() as connection:
        load_leads(connection, path, model)
        names = ", ".join(literals.identifier(f.id) for f in model.fields)
        id_column = literals.identifier(model.id_field.id)
        row = connection.execute(
            f"SELECT {names} FROM leads WHERE CAST({id_column} AS VARCHAR) = ? ORDER BY __row LIMIT 1",
            [lead_id],
        ).fetchone()
    if row is None:
        raise LeadDataError(f"{path}: no lead has {model.id_field.id} = {lead_id!r}")
    return dict(zip((f.id for f in model.fields), row, strict=True))
