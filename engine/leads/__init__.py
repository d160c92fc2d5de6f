"""Lead data: files of historical leads loaded into DuckDB, and single leads typed in Python.

Both read values by one contract, docs/evaluation.md ("Lead values"), whose patterns live
in engine.leads.text; engine.leads.cast is the same reading in SQL.
"""

from __future__ import annotations

from engine.leads.coerce import CoercionProblem, coerce_lead
from engine.leads.errors import LeadDataError
from engine.leads.formats import LeadFormat
from engine.leads.load import load_leads
from engine.leads.report import DuplicateId, LoadReport, UnreadableField
from engine.leads.text import Value

__all__ = [
    "CoercionProblem",
    "DuplicateId",
    "LeadDataError",
    "LeadFormat",
    "LoadReport",
    "UnreadableField",
    "Value",
    "coerce_lead",
    "load_leads",
]
