"""Deploying to Marketo: Accord's lead fields and the scoring program's score tokens.

What is Accord's in an instance: the lead fields whose API name starts with `accord_` that
were created through the API and are not hidden, and the `score` tokens of the scoring
program (MARKETO_SCORE_PROGRAM_ID), which is Accord's: its cloned campaigns read them.
Nothing else is read into a plan.

Marketo's API cannot delete a lead field, nor change its data type: removing a field hides
it (`isHidden`), adding it again shows it, and a changed type is refused with what to do.
Requests (swagger-mapi.json and swagger-asset.json of AdobeDocs/marketo-apis):
fields https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads
("Create/Update Lead Fields"), tokens
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/tokens.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from engine.credentials import MissingCredential, credential
from engine.deploy import DeployError
from engine.deploy.journal import ApplyResult, Journal, apply_each
from engine.deploy.marketo_api import MarketoApi
from engine.deploy.plan import Action, Change, Component, Plan, canonical
from engine.export import Export
from engine.http_client import DEFAULT_TIMEOUT

TARGET = "marketo"
FIELDS = "/rest/v1/leads/schema/fields.json"
FIELD_PREFIX = "accord_"
KINDS = ("field", "token")  # adds in this order, removes in the reverse
_FIELD_KEYS = ("dataType", "description", "displayName", "name")
_TOKEN_KEYS = ("name", "type", "value")
SCORE_TOKEN = "score"


def _pick(value: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: value[k] for k in keys if k in value}


def _field_path(name: str) -> str:
    return f"/rest/v1/leads/schema/fields/{name}.json"


class MarketoPlatform:
    target = TARGET

    def __init__(self, api: MarketoApi, program_id: str) -> None:
        self.api = api
        self.program_id = program_id

    @property
    def _tokens_path(self) -> str:
        return f"/rest/asset/v1/folder/{self.program_id}/tokens.json"

    def desired(self, export: Export) -> list[Component]:
        """A `field` per lead field of the Create Lead Fields body, a `token` per token file."""
        index = json.loads(export.files["index.json"])
        found: list[Component] = []
        for request in index["requests"]:
            body = json.loads(export.files[request["file"]])
            if request["file"].startswith("fields/"):
                found += [
                    Component("field", f["name"], canonical(_pick(f, _FIELD_KEYS)))
                    for f in body["input"]
                ]
            else:
                token = _pick(body, _TOKEN_KEYS)
                found.append(Component("token", token["name"], canonical(token)))
        return sorted(found, key=lambda c: KINDS.index(c.kind))

    # -- what the instance holds --------------------------------------------------------

    def _all_fields(self) -> Iterator[dict[str, Any]]:
        """Every lead field, by Get Lead Fields (getLeadFieldsUsingGET), page by page. Not
        describe2.json: only this one says a field's description, whether it is hidden and
        whether the API created it."""
        token: str | None = None
        while True:
            params = {"batchSize": "300"} | ({"nextPageToken": token} if token else {})
            answer = self.api.call("GET", FIELDS, params=params)
            yield from answer.get("result", [])
            token = answer.get("nextPageToken")
            if not answer.get("moreResult") or not token:
                return

    def _fields(self) -> list[Component]:
        return sorted(
            (
                Component("field", f["name"], canonical(_pick(f, _FIELD_KEYS)))
                for f in self._all_fields()
                if f.get("name", "").startswith(FIELD_PREFIX)
                and f.get("isApiCreated")
                and not f.get("isHidden")
            ),
            key=lambda c: c.name,
        )

    def _tokens(self) -> list[Component]:
        answer = self.api.call("GET", self._tokens_path, params={"folderType": "Program"})
        found = []
        for folder in answer.get("result", []):
            for token in folder.get("tokens", []):
                if token.get("type") == SCORE_TOKEN:
                    body = _pick(token, _TOKEN_KEYS)
                    found.append(Component("token", body["name"], canonical(body)))
        return sorted(found, key=lambda c: c.name)

    def current(self) -> list[Component]:
        return [*self._fields(), *self._tokens()]

    # -- changing it ---------------------------------------------------------------------

    def _hidden_fields(self) -> set[str]:
        return {f["name"] for f in self._all_fields() if f.get("isHidden")}

    def _update_field(self, name: str, update: dict[str, Any]) -> None:
        self.api.call("POST", _field_path(name), json={"input": [update]})

    def _write(self, change: Change) -> None:
        after = json.loads(change.after) if change.after is not None else {}
        before = json.loads(change.before) if change.before is not None else {}
        match change.kind, change.action:
            case "field", Action.ADD:
                if change.name in self._hidden_fields():
                    # Accord hid it when the definitions last dropped it: show it again.
                    if self._hidden_type(change.name) != after["dataType"]:
                        raise DeployError(_type_change(change.name))
                    self._update_field(
                        change.name,
                        _pick(after, ("displayName", "description")) | {"isHidden": False},
                    )
                else:
                    self.api.call("POST", FIELDS, json={"input": [after]})
            case "field", Action.CHANGE:
                if before.get("dataType") != after.get("dataType"):
                    raise DeployError(_type_change(change.name))
                self._update_field(change.name, _pick(after, ("displayName", "description")))
            case "field", Action.REMOVE:
                self._update_field(change.name, {"isHidden": True})
            case "token", Action.ADD | Action.CHANGE:
                # Create Token overwrites a token of the same name: one call for both.
                form = {**after, "folderType": "Program"}
                self.api.call("POST", self._tokens_path, form=form)
            case "token", Action.REMOVE:
                form = {"folderType": "Program", "name": change.name, "type": before["type"]}
                path = f"/rest/asset/v1/folder/{self.program_id}/tokens/delete.json"
                self.api.call("POST", path, form=form)
            case _:
                raise DeployError(f"Marketo cannot {change.action.value} a {change.kind}")

    def _hidden_type(self, name: str) -> str | None:
        return next((f.get("dataType") for f in self._all_fields() if f["name"] == name), None)

    def apply(self, plan: Plan, journal: Journal) -> ApplyResult:
        def order(change: Change) -> tuple[int, int]:
            rank = KINDS.index(change.kind)
            return (1, -rank) if change.action is Action.REMOVE else (0, rank)

        return apply_each(sorted(plan.changes, key=order), journal, self._write)


def _type_change(name: str) -> str:
    return (
        f"Marketo cannot change the data type of lead field `{name}`: rename the field in"
        " the definitions, or change its type by hand in Marketo's Field Management"
    )


def from_environment(
    environ: Mapping[str, str],
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> MarketoPlatform:
    """MARKETO_BASE_URL (https://<munchkin id>.mktorest.com), MARKETO_CLIENT_ID and
    MARKETO_CLIENT_SECRET (or their _FILE forms), MARKETO_SCORE_PROGRAM_ID."""
    base_url = environ.get("MARKETO_BASE_URL")
    if not base_url:
        raise MissingCredential("set MARKETO_BASE_URL (https://<munchkin id>.mktorest.com)")
    program = environ.get("MARKETO_SCORE_PROGRAM_ID", "")
    if not program.isdigit():
        raise MissingCredential(
            "set MARKETO_SCORE_PROGRAM_ID to the id of the program holding the score tokens"
        )
    api = MarketoApi(
        base_url,
        credential("MARKETO_CLIENT_ID", environ),
        credential("MARKETO_CLIENT_SECRET", environ),
        timeout=timeout,
        sleep=sleep,
    )
    return MarketoPlatform(api, program)
