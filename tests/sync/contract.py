"""What both contract servers share: a request log, injected faults, bearer-token checks."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

TOKEN = "00Dxx0000001gPz!AQ4AQFake.Secret-Token-9f8e7d"


@dataclass
class Fault:
    """Answer `status` (or wait `delay` seconds first) for requests matching `method` and
    `path`, after letting the first `after` of them through, `times` times (None: for good)."""

    method: str
    path: str  # a regular expression searched in the path
    status: int = 500
    times: int | None = 1
    after: int = 0
    retry_after: str | None = None
    delay: float = 0.0
    seen: int = 0

    def applies(self, request: Request) -> bool:
        if request.method != self.method or not re.search(self.path, request.path):
            return False
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.times is None:
            return True
        if self.times > 0:
            self.times -= 1
            return True
        return False


@dataclass
class Logged:
    method: str
    path: str
    body: bytes
    query: dict[str, str]
    answered: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class ContractServer:
    faults: list[Fault] = field(default_factory=list)
    log: list[Logged] = field(default_factory=list)

    def handle(self, request: Request) -> Response:
        entry = Logged(request.method, request.path, request.get_data(), dict(request.args))
        self.log.append(entry)
        response = self._answer(request)
        entry.answered = response.status_code
        return response

    def _answer(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return json_response([{"errorCode": "INVALID_SESSION_ID"}], 401)
        for fault in self.faults:
            if fault.applies(request):
                if fault.delay:
                    time.sleep(fault.delay)
                    break
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return json_response({"message": "injected"}, fault.status, headers)
        return self.route(request)

    def route(self, request: Request) -> Response:
        raise NotImplementedError

    def requests(self, method: str, path: str) -> list[Logged]:
        return [e for e in self.log if e.method == method and re.search(path, e.path)]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status, headers or {}, content_type="application/json")
