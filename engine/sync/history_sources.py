"""Where a history pull reads records: each platform's API as (values by name, modified at).

Salesforce: one Bulk API 2.0 query job over Lead, filtered on `SystemModstamp` (the
modification time that also moves on system changes), SOQL datetimes in UTC:
https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
HubSpot: the contacts search, filtered and sorted on `lastmodifieddate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from engine.sync.history import Columns
from engine.sync.history_values import UnreadableValue, instant, iso_utc
from engine.sync.hubspot_contacts import ContactSearch, modified_at
from engine.sync.salesforce_bulk import LeadQuery, soql
from engine.sync.writeback import HUBSPOT_RECORD_ID

SALESFORCE_MODIFIED = "SystemModstamp"
Pulled = tuple[Mapping[str, str | None], dt.datetime | None]


def salesforce_records(
    query: LeadQuery, columns: Columns, since: dt.datetime | None
) -> Iterator[Pulled]:
    names = [c.platform for c in columns.columns]
    text = soql(names, SALESFORCE_MODIFIED, None if since is None else iso_utc(since))
    for page in query.rows(text):
        for row in page:
            stamp = row.get(SALESFORCE_MODIFIED) or ""
            try:
                modified = instant(stamp) if stamp.strip() else None
            except UnreadableValue:
                modified = None
            yield row, modified


def hubspot_records(
    search: ContactSearch, columns: Columns, since: dt.datetime | None
) -> Iterator[Pulled]:
    names = [c.platform for c in columns.columns if c.platform != HUBSPOT_RECORD_ID]
    for page in search.pages(names, since):
        for result in page:
            values: dict[str, str | None] = {
                str(k): None if v is None else str(v)
                for k, v in (result.get("properties") or {}).items()
            }
            values[HUBSPOT_RECORD_ID] = str(result.get("id") or "") or None
            yield values, modified_at(result)
