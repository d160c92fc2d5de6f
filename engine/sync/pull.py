"""One history pull: fetch the leads a CRM changed since a moment, type them, merge them in.

The records are staged in a temporary file first and merged into the Parquet file in one
atomic write, so a pull that fails half way (a network error, a search window too large)
leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.sync.connections import Connection
from engine.sync.history import Columns, Mark, Staged, merge, next_mark, stage
from engine.sync.history_sources import hubspot_records, salesforce_records
from engine.sync.hubspot_contacts import ContactSearch
from engine.sync.salesforce_bulk import BulkApi, LeadQuery
from engine.sync.writeback import SALESFORCE


@dataclass(frozen=True)
class PullResult:
    staged: Staged  # what came: counts of records, unreadable values, records without an id
    mark: Mark  # where the next pull starts
    rows: int  # the leads the file holds now


def pull_history(
    connection: Connection, target: str, columns: Columns, out: Path, since: dt.datetime | None
) -> PullResult:
    """Merge into `out` the records `target` modified at or after `since` (all if None).

    Raises the platform's errors (HttpError, BulkJobError, SearchWindowError) and
    HistoryError; `out` is then unchanged.
    """
    with tempfile.TemporaryDirectory(prefix="accord-history-") as work:
        if target == SALESFORCE:
            bulk = BulkApi(connection.client, connection.sleep, connection.api_version)
            pulled = salesforce_records(LeadQuery(bulk), columns, since)
        else:
            pulled = hubspot_records(ContactSearch(connection.client), columns, since)
        staged = stage(pulled, columns, Path(work) / "pulled.jsonl")
        mark = next_mark(target, staged, since)
        rows = merge(out, staged, columns, mark)
    return PullResult(staged, mark, rows)
