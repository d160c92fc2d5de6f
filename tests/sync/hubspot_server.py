"""A local HubSpot that speaks the contacts batch update and search contracts, with state.

Shapes from https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/
(batch/update: `inputs` of id, idProperty, properties; 200, or 207 with `errors` naming
`context.ids`) and https://developers.hubspot.com/docs/guides/api/crm/search (filterGroups,
sorts, properties, limit ≤ 200, `after`; no paging past the 10,000th result).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sync.contract import ContractServer, json_response

UPDATE = "/crm/v3/objects/contacts/batch/update"
SEARCH = "/crm/v3/objects/contacts/search"
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")  # returned whatever is asked


def iso(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _millis(text: str) -> int:
    at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int(at.timestamp() * 1000)


@dataclass
class HubSpotServer(ContractServer):
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)  # id → properties
    reject: set[str] = field(default_factory=set)  # idProperty values rejected as not found
    window: int = 10_000
    now: dt.datetime = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)

    def install(self, httpserver: HTTPServer) -> HubSpotServer:
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self.handle)
        return self

    def route(self, request: Request) -> Response:
        if request.method == "POST" and request.path == UPDATE:
            return self._update(request.get_json())
        if request.method == "POST" and request.path == SEARCH:
            return self._search(request.get_json())
        return json_response({"status": "error", "category": "NOT_FOUND"}, 404)

    def _find(self, item: dict[str, Any]) -> str | None:
        key, prop = str(item["id"]), item.get("idProperty")
        if prop is None:
            return key if key in self.contacts else None
        return next((i for i, p in self.contacts.items() if p.get(prop) == key), None)

    def _update(self, body: dict[str, Any]) -> Response:
        inputs = body.get("inputs") or []
        if len(inputs) > 100:
            return json_response(
                {"status": "error", "category": "VALIDATION_ERROR", "message": "max 100"}, 400
            )
        results, errors = [], []
        for item in inputs:
            found = self._find(item)
            if found is None or item["id"] in self.reject:
                errors.append(
                    {
                        "status": "error",
                        "category": "OBJECT_NOT_FOUND",
                        "message": f"Could not find contact {item['id']}",
                        "context": {"ids": [item["id"]]},
                    }
                )
                continue
            self.contacts[found].update({k: str(v) for k, v in item["properties"].items()})
            self.contacts[found]["lastmodifieddate"] = iso(self.now)
            results.append({"id": found, "properties": dict(item["properties"])})
        answer: dict[str, Any] = {"status": "COMPLETE", "results": results}
        if errors:
            answer |= {"errors": errors, "numErrors": len(errors)}
        return json_response(answer, 207 if errors else 200)

    def _search(self, body: dict[str, Any]) -> Response:
        limit, after = int(body.get("limit", 10)), int(body.get("after") or 0)
        if limit > 200:
            return json_response({"status": "error", "message": "limit at most 200"}, 400)
        if after + limit > self.window:
            return json_response(
                {"status": "error", "category": "VALIDATION_ERROR", "message": "window"}, 400
            )
        since = None
        for group in body.get("filterGroups") or []:
            for flt in group["filters"]:
                assert (flt["propertyName"], flt["operator"]) == ("lastmodifieddate", "GTE")
                since = int(flt["value"])
        assert body["sorts"] == [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}]
        matching = sorted(
            (
                (i, p)
                for i, p in self.contacts.items()
                if since is None or _millis(p["lastmodifieddate"]) >= since
            ),
            key=lambda item: (_millis(item[1]["lastmodifieddate"]), int(item[0])),
        )
        wanted = set(body.get("properties") or ()) | set(ALWAYS)
        page = matching[after : after + limit]
        results = [
            {
                "id": i,
                "properties": {k: p.get(k) for k in sorted(wanted)} | {"hs_object_id": i},
                "archived": False,
            }
            for i, p in page
        ]
        answer: dict[str, Any] = {"total": len(matching), "results": results}
        if after + limit < len(matching):
            answer["paging"] = {"next": {"after": str(after + limit)}}
        return json_response(answer)
