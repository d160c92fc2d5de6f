"""What every local contract server shares: routing one handler, counting requests, faults.

A server keeps state (a POST is seen by the next GET), logs the writes it took, and can
be told to fail the n-th request or the n-th write (429 with Retry-After, a 500, a 400 that
is not retried), or to answer slowly (a client timeout).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(value), status, headers, content_type="application/json")


@dataclass(frozen=True)
class Fault:
    status: int
    body: Any = None
    headers: dict[str, str] | None = None
    delay: float = 0.0  # seconds before answering (then the request is served normally)
    echo: bool = False  # say the request's Authorization header and query back, as some proxies do

    def response(self, request: Request) -> Response | None:
        if self.delay:
            time.sleep(self.delay)
            return None
        body = self.body if self.body is not None else {}
        if self.echo:
            said = f"{request.headers.get('Authorization')} {request.query_string.decode()}"
            body = {"message": f"denied: {said}"}
        return json_response(body, self.status, self.headers)


class ContractServer:
    def __init__(self, httpserver: HTTPServer) -> None:
        self.httpserver = httpserver
        self.requests = 0
        self.write_count = 0
        self.writes: list[tuple[str, str, str]] = []  # (method, path, name) of each write taken
        self.request_faults: dict[int, Fault] = {}
        self.write_faults: dict[int, Fault] = {}
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.httpserver.url_for("").rstrip("/")

    def fail_request(self, n: int, fault: Fault) -> None:
        """Answer the n-th request (counted from 1, every request) with `fault`."""
        self.request_faults[n] = fault

    def fail_write(self, n: int, fault: Fault) -> None:
        """Answer the n-th write (counted from 1) with `fault`."""
        self.write_faults[n] = fault

    def is_write(self, request: Request) -> bool:
        return request.method != "GET"

    def subject(self, request: Request) -> str:
        """What a write is about: the `name` its JSON or form body gives, if any."""
        if request.is_json:
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return ""
            items = body.get("input", [body])  # Marketo's bodies list records in `input`
            return ",".join(str(item.get("name", "")) for item in items)
        return request.form.get("name", "")

    def route(self, request: Request) -> Response:
        raise NotImplementedError

    def _handle(self, request: Request) -> Response:
        self.requests += 1
        fault = self.request_faults.pop(self.requests, None)
        write = self.is_write(request)
        if write:
            self.write_count += 1
            fault = fault or self.write_faults.pop(self.write_count, None)
        if fault is not None:
            answer = fault.response(request)
            if answer is not None:
                return answer
        response = self.route(request)
        if write and response.status_code < 400 and b'"success": false' not in response.data:
            self.writes.append((request.method, request.path, self.subject(request)))
        return response


Handler = Callable[[Request, re.Match[str]], Response]
