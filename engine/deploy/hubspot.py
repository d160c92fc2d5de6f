"""Deploying to HubSpot: the `accord` property group and properties, the stage lists, the score.

What is Accord's in a portal (and so compared, and removed when the definitions drop it):
the contact property group `accord`, the contact properties in it, the contact lists whose
name starts with "Accord stage criteria: ", and the lead scores (beta) whose name starts
with "Accord: ". Everything else in the portal is never read into a plan.

Each component's body is what Accord sends (the export's file); what HubSpot answers is
cut down to the same keys before comparing, so read-only fields (createdAt, ids) never
show as drift. Requests (CRM Properties v3, Lists v3, Lead Scoring 2026-09-beta):
https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide,
https://developers.hubspot.com/docs/api-reference/crm-lists-v3/lists/post-crm-v3-lists-,
https://developers.hubspot.com/docs/api-reference/2026-09-beta/marketing/lead-scoring/guide.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from engine.credentials import credential
from engine.deploy import DeployError
from engine.deploy.journal import ApplyResult, Journal, apply_each
from engine.deploy.plan import Action, Change, Component, Plan, canonical
from engine.export import Export
from engine.export.hubspot import lead_scoring
from engine.export.hubspot.properties import GROUP_NAME
from engine.http_client import DEFAULT_TIMEOUT, HttpClient

TARGET = "hubspot"
DEFAULT_URL = "https://api.hubapi.com"
PROPERTIES = "/crm/v3/properties/contacts"
GROUPS = f"{PROPERTIES}/groups"
LISTS = "/crm/v3/lists"
SCORES = lead_scoring.PATH
LIST_PREFIX = "Accord stage criteria: "  # engine.export.hubspot.lists names each stage's list so
SCORE_PREFIX = "Accord: "  # … and engine.export.hubspot.lead_scoring the score

# Kinds in dependency order: a property needs its group; lists and the score filter on
# properties. Adds and changes go in this order, removes in the reverse.
KINDS = ("property-group", "property", "list", "score")
_KIND_OF_FILE = {
    "property-groups/": "property-group",
    "properties/": "property",
    "lists/": "list",
    "lead-scoring/": "score",
}
# The keys Accord writes (PropertyGroupCreate, PropertyCreate, ListCreateRequest,
# PublicDraftCreateRequest): the rest of HubSpot's answer is not Accord's to compare.
_KEYS = {
    "property-group": ("displayOrder", "label", "name"),
    "property": (
        "description",
        "displayOrder",
        "fieldType",
        "formField",
        "groupName",
        "label",
        "name",
        "options",
        "type",
    ),
    "list": ("filterBranch", "name", "objectTypeId", "processingType"),
    "score": ("allowedGroupTypes", "groupConfigs", "maxScorePerCategory", "name", "objectTypeId"),
}
_OPTION_KEYS = ("description", "displayOrder", "hidden", "label", "value")
# A score's component also says whether it is published: a draft created or changed by an
# apply that stopped before publishing must still show as a change.
PUBLISHED = "published"


def _pick(value: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: value[k] for k in keys if k in value}


def _option(value: Mapping[str, Any]) -> dict[str, Any]:
    found = _pick(value, _OPTION_KEYS)
    if not found.get("description"):  # HubSpot answers "" for an option without one
        found.pop("description", None)
    return found


def _without_ids(value: Any) -> Any:
    """A score draft without the ids HubSpot gives its groups, rules and calculations."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def normalized(kind: str, remote: Mapping[str, Any]) -> dict[str, Any]:
    """What HubSpot answered for a component, as the body Accord would have sent."""
    body = _pick(remote, _KEYS[kind])
    if kind == "property" and "options" in body:
        body["options"] = [_option(o) for o in body["options"]]
        if not body["options"] and body.get("type") != "enumeration":
            del body["options"]
    if kind == "score":
        body = _without_ids(body)
    return body


class HubSpotPlatform:
    """A HubSpot portal, through a private app's token (scopes: crm.schemas.contacts.read
    and .write, crm.lists.read and .write, and the lead-scoring scopes)."""

    target = TARGET

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    # -- the definitions --------------------------------------------------------------

    def desired(self, export: Export) -> list[Component]:
        """A component per request of the export's index.json, in its order."""
        index = json.loads(export.files["index.json"])
        found: list[Component] = []
        for request in index["requests"]:
            file = request["file"]
            kind = next(k for prefix, k in _KIND_OF_FILE.items() if file.startswith(prefix))
            body = json.loads(export.files[file])
            if kind == "score":
                body["scoreStatus"] = PUBLISHED
            found.append(Component(kind, body["name"], canonical(body)))
        return sorted(found, key=lambda c: KINDS.index(c.kind))

    # -- what the portal holds ----------------------------------------------------------

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        return response.json() if response.content else {}

    def _group(self) -> list[Component]:
        response = self.client.request("GET", f"{GROUPS}/{GROUP_NAME}", ok=(404,))
        if response.status_code == 404:
            return []
        body = normalized("property-group", response.json())
        return [Component("property-group", GROUP_NAME, canonical(body))]

    def _properties(self) -> list[Component]:
        answer = self._json("GET", PROPERTIES, params={"archived": "false"})
        return sorted(
            (
                Component("property", p["name"], canonical(normalized("property", p)))
                for p in answer.get("results", [])
                if p.get("groupName") == GROUP_NAME and not p.get("archived")
            ),
            key=lambda c: c.name,
        )

    def _list_summaries(self) -> Iterator[dict[str, Any]]:
        """Accord's lists, by POST /crm/v3/lists/search (names containing the query), page
        by page."""
        offset = 0
        while True:
            page = self._json(
                "POST",
                f"{LISTS}/search",
                json={"count": 100, "offset": offset, "query": LIST_PREFIX.strip(" :")},
            )
            for found in page.get("lists", []):
                if found.get("name", "").startswith(LIST_PREFIX):
                    yield found
            if not page.get("hasMore"):
                return
            offset = page["offset"]

    def _lists(self) -> list[Component]:
        found = []
        for summary in self._list_summaries():
            answer = self._json(
                "GET", f"{LISTS}/{summary['listId']}", params={"includeFilters": "true"}
            )
            body = normalized("list", answer["list"])
            found.append(Component("list", body["name"], canonical(body)))
        return sorted(found, key=lambda c: c.name)

    def _score_summaries(self) -> Iterator[dict[str, Any]]:
        after: str | None = None
        while True:
            params = {"limit": "100"} | ({"after": after} if after else {})
            page = self._json("GET", SCORES, params=params)
            for found in page.get("results", []):
                if found.get("name", "").startswith(SCORE_PREFIX):
                    yield found
            after = page.get("paging", {}).get("next", {}).get("after")
            if not after:
                return

    def _scores(self) -> list[Component]:
        found = []
        for summary in self._score_summaries():
            draft = self._json("GET", f"{SCORES}/{summary['id']}/draft")
            body = normalized("score", draft)
            body["scoreStatus"] = summary.get("scoreStatus", "draft")
            found.append(Component("score", summary["name"], canonical(body)))
        return sorted(found, key=lambda c: c.name)

    def current(self) -> list[Component]:
        return [*self._group(), *self._properties(), *self._lists(), *self._scores()]

    # -- changing it -------------------------------------------------------------------

    def _list_id(self, name: str) -> str:
        path = f"{LISTS}/object-type-id/{lead_scoring.CONTACTS}/name/{quote(name, safe='')}"
        return str(self._json("GET", path)["list"]["listId"])

    def _score_id(self, name: str) -> str:
        for summary in self._score_summaries():
            if summary["name"] == name:
                return str(summary["id"])
        raise DeployError(f"HubSpot has no lead score named {name!r} any more")

    def _publish(self, score_id: str) -> None:
        self.client.request("POST", f"{SCORES}/{score_id}/draft/publish")

    def _write(self, change: Change) -> None:
        body = json.loads(change.after) if change.after is not None else {}
        name, action = change.name, change.action
        match change.kind, action:
            case "property-group", Action.ADD:
                self.client.request("POST", GROUPS, json=body)
            case "property-group", Action.CHANGE:
                self.client.request(
                    "PATCH", f"{GROUPS}/{name}", json=_pick(body, ["label", "displayOrder"])
                )
            case "property-group", Action.REMOVE:
                self.client.request("DELETE", f"{GROUPS}/{name}")
            case "property", Action.ADD:
                self.client.request("POST", PROPERTIES, json=body)
            case "property", Action.CHANGE:
                update = {k: v for k, v in body.items() if k != "name"}
                self.client.request("PATCH", f"{PROPERTIES}/{quote(name, safe='')}", json=update)
            case "property", Action.REMOVE:
                self.client.request("DELETE", f"{PROPERTIES}/{quote(name, safe='')}")
            case "list", Action.ADD:
                self.client.request("POST", LISTS, json=body)
            case "list", Action.CHANGE:
                # A list's name, object and processing type are fixed once made: its
                # filters are what a change of the definitions changes.
                path = f"{LISTS}/{self._list_id(name)}/update-list-filters"
                self.client.request("PUT", path, json={"filterBranch": body["filterBranch"]})
            case "list", Action.REMOVE:
                self.client.request("DELETE", f"{LISTS}/{self._list_id(name)}")
            case "score", Action.ADD:
                body.pop("scoreStatus", None)
                response = self.client.request("POST", SCORES, json=body)
                self._publish(
                    _created_id(response.json() if response.content else {}, response.headers)
                )
            case "score", Action.CHANGE:
                body.pop("scoreStatus", None)
                score_id = self._score_id(name)
                self.client.request("PUT", f"{SCORES}/{score_id}/draft", json=body)
                self._publish(score_id)
            case "score", Action.REMOVE:
                self.client.request("DELETE", f"{SCORES}/{self._score_id(name)}")
            case _:
                raise DeployError(f"HubSpot cannot {action.value} a {change.kind}")

    def apply(self, plan: Plan, journal: Journal) -> ApplyResult:
        def order(change: Change) -> tuple[int, int]:
            rank = KINDS.index(change.kind)
            removing = change.action is Action.REMOVE
            return (1, -rank) if removing else (0, rank)

        return apply_each(sorted(plan.changes, key=order), journal, self._write)


def _created_id(answer: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """The new score's id: in the answer, or the last segment of its Location header."""
    if answer.get("id"):
        return str(answer["id"])
    location = headers.get("Location", "")
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1]
    raise DeployError("HubSpot created the lead score but did not say its id")


def from_environment(
    environ: Mapping[str, str],
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> HubSpotPlatform:
    """HUBSPOT_TOKEN (or HUBSPOT_TOKEN_FILE): a private app's access token;
    HUBSPOT_API_URL: the API's base URL (default https://api.hubapi.com)."""
    token = credential("HUBSPOT_TOKEN", environ)
    client = HttpClient(
        environ.get("HUBSPOT_API_URL") or DEFAULT_URL,
        secret_headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
        sleep=sleep,
    )
    return HubSpotPlatform(client)
