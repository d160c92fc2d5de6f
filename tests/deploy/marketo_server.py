"""A local Marketo that speaks the shapes of the identity, lead-field and token endpoints.

As Marketo's swagger-mapi.json and swagger-asset.json (AdobeDocs/marketo-apis) describe
them: errors are HTTP 200 with `success: false` and `errors: [{code, message}]`; the
access token comes from `GET /identity/oauth/token` and goes in a Bearer header; tokens
are created (or overwritten) and deleted with form-encoded posts.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from deploy.contract_server import ContractServer, Handler, json_response

CLIENT_ID = "3f1a9c2e-client-id-4b7d-8e6f"
CLIENT_SECRET = "s3cr3t-Zq8xWv2LmN4pR7tY"
PROGRAM_ID = "1001"
FIELDS = "/rest/v1/leads/schema/fields.json"


def failure(code: str, message: str) -> Response:
    return json_response(
        {"errors": [{"code": code, "message": message}], "requestId": "e1#1", "success": False}
    )


def success(result: list[Any], **more: Any) -> Response:
    return json_response(
        {"errors": [], "requestId": "a1#1", "result": result, "success": True, "warnings": []}
        | more
    )


class MarketoServer(ContractServer):
    def __init__(self, httpserver: HTTPServer) -> None:
        super().__init__(httpserver)
        self._tokens_issued = itertools.count(1)
        self.access_token = ""
        self.fields: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, str]] = {}
        # What the instance has that Accord never made: never in a plan.
        self.add_field(
            {"dataType": "string", "displayName": "Company Name", "name": "company"}, api=False
        )
        self.add_field(
            {"dataType": "string", "displayName": "Accord by hand", "name": "accord_manual"},
            api=False,
        )
        self.tokens["webinar_date"] = {
            "name": "webinar_date",
            "type": "date",
            "value": "2026-12-01",
        }
        program = f"/rest/asset/v1/folder/{PROGRAM_ID}"
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(FIELDS), self._get_fields),
            ("POST", re.compile(FIELDS), self._create_fields),
            ("POST", re.compile(r"/rest/v1/leads/schema/fields/([^/]+)\.json"), self._update_field),
            ("GET", re.compile(rf"{program}/tokens\.json"), self._get_tokens),
            ("POST", re.compile(rf"{program}/tokens\.json"), self._create_token),
            ("POST", re.compile(rf"{program}/tokens/delete\.json"), self._delete_token),
        ]

    def add_field(self, body: dict[str, Any], *, api: bool = True) -> None:
        self.fields[body["name"]] = {
            "description": "",
            "isApiCreated": api,
            "isCustom": True,
            "isHidden": False,
            "isHtmlEncodingInEmail": False,
            "isSensitive": False,
            "length": 255 if body["dataType"] == "string" else None,
        } | body

    def expire_token(self) -> None:
        """The access token runs out (Marketo's last an hour): the next call gets 602."""
        self.access_token = "expired"

    def is_write(self, request: Request) -> bool:
        return request.method != "GET"

    def route(self, request: Request) -> Response:
        if request.path == "/identity/oauth/token":
            return self._identity(request)
        given = request.headers.get("Authorization", "")
        if not given:
            return failure("601", "Access token invalid")
        if given != f"Bearer {self.access_token}" or self.access_token == "expired":
            return failure("602", "Access token expired")
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                return handler(request, match)
        return Response("Not Found", 404)

    def _identity(self, request: Request) -> Response:
        args = request.args
        if (args.get("client_id"), args.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return json_response(
                {"error": "unauthorized", "error_description": "Bad client credentials"}, 401
            )
        self.access_token = f"cdf01657-110d-4155-99a7-f986b2ff13a0:int{next(self._tokens_issued)}"
        return json_response(
            {
                "access_token": self.access_token,
                "expires_in": 3599,
                "scope": "api@example.com",
                "token_type": "bearer",
            }
        )

    def _get_fields(self, request: Request, m: re.Match[str]) -> Response:
        size = int(request.args.get("batchSize", "300"))
        start = int(request.args.get("nextPageToken", "0"))
        page = list(self.fields.values())[start : start + size]
        more = start + size < len(self.fields)
        extra = {"moreResult": more} | ({"nextPageToken": str(start + size)} if more else {})
        return success(page, **extra)

    def _create_fields(self, request: Request, m: re.Match[str]) -> Response:
        result = []
        for body in request.get_json()["input"]:
            if body["name"] in self.fields:
                return failure("1006", f"Field '{body['name']}' already exists")
            self.add_field(body)
            result.append({"name": body["name"], "status": "created"})
        return success(result)

    def _update_field(self, request: Request, m: re.Match[str]) -> Response:
        found = self.fields.get(m[1])
        if found is None:
            return failure("1004", f"Field '{m[1]}' not found")
        (update,) = request.get_json()["input"]
        allowed = {"description", "displayName", "isHidden", "isHtmlEncodingInEmail", "isSensitive"}
        if set(update) - allowed:
            return failure("1003", f"cannot update {sorted(set(update) - allowed)}")
        found |= update
        return success([{"name": m[1], "status": "updated"}])

    def _folder(self) -> list[Any]:
        folder = json.dumps({"id": int(PROGRAM_ID), "type": "Program"})
        return [{"folder": folder, "tokens": list(self.tokens.values())}]

    def _get_tokens(self, request: Request, m: re.Match[str]) -> Response:
        return success(self._folder())

    def _create_token(self, request: Request, m: re.Match[str]) -> Response:
        form = request.form
        if request.mimetype != "application/x-www-form-urlencoded":
            return failure("709", "tokens are created with form fields")
        if form.get("folderType") != "Program" or not form.get("name") or len(form["name"]) > 50:
            return failure("701", "name, type, value and folderType are required")
        self.tokens[form["name"]] = {
            "name": form["name"],
            "type": form["type"],
            "value": form["value"],
        }
        return success(self._folder())

    def _delete_token(self, request: Request, m: re.Match[str]) -> Response:
        form = request.form
        found = self.tokens.get(form.get("name", ""))
        if found is None or found["type"] != form.get("type"):
            return failure("702", f"Token {form.get('name')} not found")
        del self.tokens[found["name"]]
        return success([{"id": int(PROGRAM_ID)}])
