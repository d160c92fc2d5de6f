"""HubSpot contacts: batch updates of Accord's properties, and the search that reads history.

Batch update: https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/batch/update-contacts
(at most 100 inputs; by record id, or by a unique property named in `idProperty`; a 207
answer lists the inputs that failed, the others are written).
Search: https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/search/search-contacts
and https://developers.hubspot.com/docs/guides/api/crm/search (at most 200 per page, paged by
`after`, and no page past the 10,000th result: past it, the search starts again from the
last modification time seen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from engine.http_client import HttpClient, redact
from engine.sync.checkpoint import ChunkResult, Failure
from engine.sync.history_values import UnreadableValue, instant
from engine.sync.writeback import HUBSPOT_RECORD_ID, Record

BATCH_UPDATE = "/crm/v3/objects/contacts/batch/update"
SEARCH = "/crm/v3/objects/contacts/search"
BATCH_LIMIT = 100
SEARCH_PAGE = 200
SEARCH_WINDOW = 10_000
MODIFIED = "lastmodifieddate"  # contacts' last-modified property (others: hs_lastmodifieddate)
# A batch rejected as a whole for what it holds fails its records; other 4xx stop the sync.
_RECORD_LEVEL = frozenset({400, 409})


class SearchWindowError(Exception):
    """More contacts share one modification time than the search can page through."""


def batch_body(records: Sequence[Record], id_property: str) -> dict[str, Any]:
    inputs: list[dict[str, Any]] = []
    for record in records:
        item: dict[str, Any] = {"id": record.id, "properties": dict(record.values)}
        if id_property != HUBSPOT_RECORD_ID:
            item["idProperty"] = id_property
        inputs.append(item)
    return {"inputs": inputs}


def failures_of(answer: dict[str, Any], sent: Sequence[Record]) -> tuple[Failure, ...]:
    """The inputs a 207 answer's `errors` name (by `context.ids`), with their messages."""
    known = {record.id for record in sent}
    found: dict[str, str] = {}
    for error in answer.get("errors") or ():
        message = str(error.get("message") or error.get("category") or "rejected")
        category = error.get("category")
        text = f"{category}: {message}" if category and category not in message else message
        context = error.get("context") or {}
        ids = context.get("ids") or context.get("id") or ()
        for lead_id in [ids] if isinstance(ids, str) else ids:
            if str(lead_id) in known:
                found.setdefault(str(lead_id), text)
    return tuple(Failure(i, e) for i, e in sorted(found.items()))


@dataclass(frozen=True)
class ContactUpdates:
    client: HttpClient
    id_property: str

    def write(
        self, records: Sequence[Record], job: str | None, started: Callable[[str], None]
    ) -> ChunkResult:
        """One batch update call (`job` and `started` are for platforms with async jobs)."""
        response = self.client.request(
            "POST", BATCH_UPDATE, json=batch_body(records, self.id_property), ok=_RECORD_LEVEL
        )
        if response.status_code in _RECORD_LEVEL:
            raw = response.json() if response.content else {}
            message = str(raw.get("message") or f"rejected ({response.status_code})")
            message = redact(message, self.client.secrets)
            return ChunkResult(0, tuple(Failure(r.id, message) for r in records))
        answer: dict[str, Any] = response.json()
        failures: tuple[Failure, ...] = ()
        if response.status_code == 207:
            found = failures_of(answer, records)
            failures = tuple(Failure(f.id, redact(f.error, self.client.secrets)) for f in found)
        return ChunkResult(len(records) - len(failures), failures)


def millis(at: dt.datetime) -> str:
    """An instant as HubSpot's filters take it: milliseconds since the epoch, as text."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return str(int(aware.timestamp() * 1000))


def search_body(
    properties: Sequence[str], since: dt.datetime | None, after: str | None, limit: int
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sorts": [{"propertyName": MODIFIED, "direction": "ASCENDING"}],
        "properties": list(dict.fromkeys([*properties, MODIFIED])),
        "limit": limit,
    }
    if since is not None:
        body["filterGroups"] = [
            {"filters": [{"propertyName": MODIFIED, "operator": "GTE", "value": millis(since)}]}
        ]
    if after is not None:
        body["after"] = after
    return body


@dataclass(frozen=True)
class ContactSearch:
    client: HttpClient
    page_size: int = SEARCH_PAGE
    window: int = SEARCH_WINDOW

    def pages(
        self, properties: Sequence[str], since: dt.datetime | None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every contact modified at or after `since`, oldest first, a page at a time.

        A contact can come twice where a new window starts; the later copy is the newer.
        """
        after: str | None = None
        seen = 0  # results read in this window
        newest: dt.datetime | None = None
        while True:
            body = search_body(properties, since, after, self.page_size)
            answer: dict[str, Any] = self.client.request("POST", SEARCH, json=body).json()
            results: list[dict[str, Any]] = answer.get("results") or []
            yield results
            seen += len(results)
            for result in results:
                stamp = modified_at(result)
                if stamp is not None and (newest is None or stamp > newest):
                    newest = stamp
            following = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not following or not results:
                return
            if seen + self.page_size > self.window:
                if newest is None or (since is not None and newest <= since):
                    raise SearchWindowError(
                        f"more than {self.window:,} contacts were modified at"
                        f" {since.isoformat() if since else 'one time'}; HubSpot's search"
                        " cannot page past them"
                    )
                since, after, seen = newest, None, 0
            else:
                after = str(following)


def modified_at(result: dict[str, Any]) -> dt.datetime | None:
    """A search result's last modification time, naive UTC."""
    text = str((result.get("properties") or {}).get(MODIFIED) or "")
    try:
        return instant(text) if text.strip() else None
    except UnreadableValue:
        return None
