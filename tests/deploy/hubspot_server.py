"""A local HubSpot that speaks the request and response shapes of the endpoints Accord uses.

CRM Properties v3 (contact properties and groups), Lists v3 (create, search, fetch by id
and by name, update filters, delete) and Lead Scoring 2026-09-beta (list scores, create,
read and replace the draft, publish, delete), as documented on developers.hubspot.com.
Answers carry the read-only fields HubSpot adds (ids, timestamps, `hubspotDefined`), so a
client that compared them would see drift. Requests without the bearer token get 401.
"""

from __future__ import annotations

import copy
import itertools
import re
from typing import Any
from urllib.parse import unquote

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from deploy.contract_server import ContractServer, Handler, json_response

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
PROPERTIES = "/crm/v3/properties/contacts"
SCORES = "/marketing/lead-scoring/2026-09-beta/scores"
STAMP = "2026-11-20T10:00:00.000Z"


def _error(status: int, message: str, category: str) -> Response:
    return json_response({"category": category, "message": message, "status": "error"}, status)


class HubSpotServer(ContractServer):
    def __init__(self, httpserver: HTTPServer) -> None:
        super().__init__(httpserver)
        self._ids = itertools.count(101)
        self.groups: dict[str, dict[str, Any]] = {
            "contactinformation": {
                "displayOrder": 0,
                "label": "Contact information",
                "name": "contactinformation",
            }
        }
        self.properties: dict[str, dict[str, Any]] = {}
        self.lists: dict[str, dict[str, Any]] = {}
        self.scores: dict[str, dict[str, Any]] = {}
        # What the portal has that Accord never made: never in a plan.
        self.add_property(
            {
                "fieldType": "text",
                "groupName": "contactinformation",
                "label": "Job Title",
                "name": "jobtitle",
                "type": "string",
            },
            hubspot_defined=True,
        )
        self.add_list(
            {"name": "Newsletter subscribers", "objectTypeId": "0-1", "processingType": "MANUAL"}
        )
        self.add_score(
            {"name": "Sales team score", "groupConfigs": [], "objectTypeId": "0-1"}, "published"
        )
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(rf"{PROPERTIES}/groups/([^/]+)"), self._get_group),
            ("POST", re.compile(rf"{PROPERTIES}/groups"), self._create_group),
            ("PATCH", re.compile(rf"{PROPERTIES}/groups/([^/]+)"), self._update_group),
            ("DELETE", re.compile(rf"{PROPERTIES}/groups/([^/]+)"), self._delete_group),
            ("GET", re.compile(PROPERTIES), self._list_properties),
            ("POST", re.compile(PROPERTIES), self._create_property),
            ("PATCH", re.compile(rf"{PROPERTIES}/([^/]+)"), self._update_property),
            ("DELETE", re.compile(rf"{PROPERTIES}/([^/]+)"), self._delete_property),
            ("POST", re.compile(r"/crm/v3/lists/search"), self._search_lists),
            (
                "GET",
                re.compile(r"/crm/v3/lists/object-type-id/([^/]+)/name/(.+)"),
                self._list_by_name,
            ),
            ("PUT", re.compile(r"/crm/v3/lists/([^/]+)/update-list-filters"), self._update_filters),
            ("GET", re.compile(r"/crm/v3/lists/([^/]+)"), self._get_list),
            ("DELETE", re.compile(r"/crm/v3/lists/([^/]+)"), self._delete_list),
            ("POST", re.compile(r"/crm/v3/lists"), self._create_list),
            ("GET", re.compile(SCORES), self._list_scores),
            ("POST", re.compile(SCORES), self._create_score),
            ("GET", re.compile(rf"{SCORES}/([^/]+)/draft"), self._get_draft),
            ("PUT", re.compile(rf"{SCORES}/([^/]+)/draft"), self._update_draft),
            ("POST", re.compile(rf"{SCORES}/([^/]+)/draft/publish"), self._publish),
            ("DELETE", re.compile(rf"{SCORES}/([^/]+)"), self._delete_score),
        ]

    # -- state, also for tests that change the portal "by hand" ------------------------------

    def add_property(
        self, body: dict[str, Any], *, hubspot_defined: bool = False
    ) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "archived": False,
            "calculated": False,
            "createdAt": STAMP,
            "description": "",
            "displayOrder": -1,
            "formField": False,
            "hasUniqueValue": False,
            "hidden": False,
            "hubspotDefined": hubspot_defined,
            "modificationMetadata": {
                "archivable": True,
                "readOnlyDefinition": hubspot_defined,
                "readOnlyValue": False,
            },
            "options": [],
            "updatedAt": STAMP,
        } | copy.deepcopy(body)
        stored["options"] = [{"description": "", "hidden": False} | o for o in stored["options"]]
        self.properties[stored["name"]] = stored
        return stored

    def add_list(self, body: dict[str, Any]) -> dict[str, Any]:
        list_id = str(next(self._ids))
        stored = {
            "createdAt": STAMP,
            "listId": list_id,
            "listVersion": 1,
            "processingStatus": "COMPLETE",
            "updatedAt": STAMP,
        } | copy.deepcopy(body)
        self.lists[list_id] = stored
        return stored

    def _with_ids(self, value: Any) -> Any:
        if isinstance(value, dict):
            found = {k: self._with_ids(v) for k, v in value.items()}
            if (
                "groupName" in value
                or "configuration" in value
                or value.get("type") in ("CONDITIONAL", "CONSTANT")
            ):
                found["id"] = f"id-{next(self._ids)}"
            return found
        if isinstance(value, list):
            return [self._with_ids(v) for v in value]
        return value

    def add_score(self, body: dict[str, Any], status: str = "draft") -> dict[str, Any]:
        score_id = str(next(self._ids))
        stored = {
            "draft": self._with_ids(copy.deepcopy(body)),
            "id": score_id,
            "name": body["name"],
            "scoreStatus": status,
        }
        self.scores[score_id] = stored
        return stored

    def accord_state(self) -> dict[str, Any]:
        """What Accord manages here, without what HubSpot adds: for comparing with the export."""
        keep = ("displayOrder", "label", "name")
        return {
            "groups": {n: {k: g[k] for k in keep} for n, g in self.groups.items() if n == "accord"},
            "properties": {n: p for n, p in self.properties.items() if p["groupName"] == "accord"},
            "lists": {x["name"]: x for x in self.lists.values() if x["name"].startswith("Accord")},
            "scores": {
                s["name"]: s for s in self.scores.values() if s["name"].startswith("Accord")
            },
        }

    # -- the wire ------------------------------------------------------------------------

    def is_write(self, request: Request) -> bool:
        return request.method != "GET" and not request.path.endswith("/search")

    def route(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, "Authentication credentials not found.", "INVALID_AUTHENTICATION")
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                return handler(request, match)
        return _error(404, f"no route {request.method} {request.path}", "OBJECT_NOT_FOUND")

    def _get_group(self, request: Request, m: re.Match[str]) -> Response:
        group = self.groups.get(m[1])
        if group is None:
            return _error(404, f"Unable to find property group {m[1]}", "OBJECT_NOT_FOUND")
        return json_response(group | {"archived": False})

    def _create_group(self, request: Request, m: re.Match[str]) -> Response:
        body = request.get_json()
        if body["name"] in self.groups:
            return _error(
                409,
                f"A property group named {body['name']} already exists.",
                "OBJECT_ALREADY_EXISTS",
            )
        self.groups[body["name"]] = body
        return json_response(body | {"archived": False}, 201)

    def _update_group(self, request: Request, m: re.Match[str]) -> Response:
        if m[1] not in self.groups:
            return _error(404, f"Unable to find property group {m[1]}", "OBJECT_NOT_FOUND")
        self.groups[m[1]] |= request.get_json()
        return json_response(self.groups[m[1]] | {"archived": False})

    def _delete_group(self, request: Request, m: re.Match[str]) -> Response:
        if any(p["groupName"] == m[1] for p in self.properties.values()):
            return _error(400, f"Property group {m[1]} still has properties", "VALIDATION_ERROR")
        self.groups.pop(m[1], None)
        return Response(status=204)

    def _list_properties(self, request: Request, m: re.Match[str]) -> Response:
        return json_response({"results": list(self.properties.values())})

    def _create_property(self, request: Request, m: re.Match[str]) -> Response:
        body = request.get_json()
        if body["name"] in self.properties:
            return _error(
                409, f"Property named '{body['name']}' already exists.", "OBJECT_ALREADY_EXISTS"
            )
        if body["groupName"] not in self.groups:
            return _error(400, f"group {body['groupName']} does not exist", "VALIDATION_ERROR")
        return json_response(self.add_property(body), 201)

    def _update_property(self, request: Request, m: re.Match[str]) -> Response:
        found = self.properties.get(m[1])
        if found is None:
            return _error(404, f"Unable to find property {m[1]}", "OBJECT_NOT_FOUND")
        update = request.get_json()
        if "name" in update:
            return _error(400, "a property's name cannot be changed", "VALIDATION_ERROR")
        if "options" in update:
            update["options"] = [
                {"description": "", "hidden": False} | o for o in update["options"]
            ]
        found |= update
        return json_response(found)

    def _delete_property(self, request: Request, m: re.Match[str]) -> Response:
        self.properties.pop(m[1], None)
        return Response(status=204)

    def _summary(self, stored: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in stored.items() if k != "filterBranch"}

    def _search_lists(self, request: Request, m: re.Match[str]) -> Response:
        body = request.get_json()
        query = body.get("query", "").lower()
        found = [self._summary(x) for x in self.lists.values() if query in x["name"].lower()]
        offset, count = body.get("offset", 0), body.get("count", 20)
        page = found[offset : offset + count]
        more = offset + count < len(found)
        return json_response(
            {"hasMore": more, "lists": page, "offset": offset + len(page), "total": len(found)}
        )

    def _get_list(self, request: Request, m: re.Match[str]) -> Response:
        found = self.lists.get(m[1])
        if found is None:
            return _error(404, f"List {m[1]} does not exist", "OBJECT_NOT_FOUND")
        filters = request.args.get("includeFilters") == "true"
        return json_response({"list": found if filters else self._summary(found)})

    def _list_by_name(self, request: Request, m: re.Match[str]) -> Response:
        name = unquote(m[2])
        for found in self.lists.values():
            if found["objectTypeId"] == m[1] and found["name"] == name:
                return json_response({"list": found})
        return _error(404, f"List {name} does not exist", "OBJECT_NOT_FOUND")

    def _create_list(self, request: Request, m: re.Match[str]) -> Response:
        body = request.get_json()
        if any(x["name"] == body["name"] for x in self.lists.values()):
            return _error(400, f"A list named {body['name']} already exists", "VALIDATION_ERROR")
        return json_response({"list": self.add_list(body)})

    def _update_filters(self, request: Request, m: re.Match[str]) -> Response:
        found = self.lists.get(m[1])
        if found is None:
            return _error(404, f"List {m[1]} does not exist", "OBJECT_NOT_FOUND")
        found["filterBranch"] = request.get_json()["filterBranch"]
        found["listVersion"] += 1
        return json_response({"updatedList": found})

    def _delete_list(self, request: Request, m: re.Match[str]) -> Response:
        self.lists.pop(m[1], None)
        return Response(status=204)

    def _list_scores(self, request: Request, m: re.Match[str]) -> Response:
        results = [{k: s[k] for k in ("id", "name", "scoreStatus")} for s in self.scores.values()]
        return json_response({"results": results})

    def _create_score(self, request: Request, m: re.Match[str]) -> Response:
        stored = self.add_score(request.get_json())
        headers = {"Location": f"{self.url}{SCORES}/{stored['id']}"}
        return json_response({k: stored[k] for k in ("id", "name", "scoreStatus")}, 201, headers)

    def _get_draft(self, request: Request, m: re.Match[str]) -> Response:
        found = self.scores.get(m[1])
        if found is None:
            return _error(404, f"Score {m[1]} does not exist", "OBJECT_NOT_FOUND")
        return json_response(found["draft"])

    def _update_draft(self, request: Request, m: re.Match[str]) -> Response:
        found = self.scores.get(m[1])
        if found is None:
            return _error(404, f"Score {m[1]} does not exist", "OBJECT_NOT_FOUND")
        found["draft"] = self._with_ids(request.get_json())
        found["scoreStatus"] = "draft"  # changed, and not live until published
        return json_response(found["draft"])

    def _publish(self, request: Request, m: re.Match[str]) -> Response:
        found = self.scores.get(m[1])
        if found is None:
            return _error(404, f"Score {m[1]} does not exist", "OBJECT_NOT_FOUND")
        found["scoreStatus"] = "published"
        return json_response({k: found[k] for k in ("id", "name", "scoreStatus")})

    def _delete_score(self, request: Request, m: re.Match[str]) -> Response:
        self.scores.pop(m[1], None)
        return Response(status=204)
