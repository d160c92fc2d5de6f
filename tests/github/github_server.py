"""A local GitHub REST API for tests: the endpoints Accord calls, with GitHub's shapes.

Pull requests, their files and reviews, issue comments (kept, so created and updated
comments can be counted) and team memberships, on a pytest-httpserver. Lists are paged
with `per_page`/`page` and a `Link` header as GitHub sends it
(https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api);
a request without the right bearer token is answered 401. `fail_next` queues error
answers (a 429 with Retry-After, a 500) for a path before it answers normally.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

OWNER, REPO = "northwind", "accord"
TOKEN = "ghp_contractTestToken0123456789abcdefXYZ"


@dataclass
class PullRequestState:
    base: str
    head: str
    files: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FakeGitHub:
    server: HTTPServer
    token: str = TOKEN
    pulls: dict[int, PullRequestState] = field(default_factory=dict)
    # (org, team slug, login) → "active" or "pending"
    memberships: dict[tuple[str, str, str], str] = field(default_factory=dict)
    failures: list[tuple[str, int, dict[str, str], str]] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000

    def install(self) -> FakeGitHub:
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._handle)
        return self

    @property
    def api_url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def environ(self) -> dict[str, str]:
        return {
            "GITHUB_TOKEN": self.token,
            "GITHUB_API_URL": self.api_url,
            "GITHUB_REPOSITORY": f"{OWNER}/{REPO}",
        }

    def fail_next(self, path: str, status: int, headers: dict[str, str], body: str = "") -> None:
        self.failures.append((path, status, headers, body))

    def review(self, number: int, login: str, state: str, commit: str | None = None) -> None:
        pull = self.pulls[number]
        self.next_id += 1
        pull.reviews.append(
            {
                "id": self.next_id,
                "user": {"login": login, "type": "User"},
                "state": state,
                "commit_id": commit or pull.head,
                # GitHub lists reviews in the order they were submitted.
                "submitted_at": f"2026-11-22T10:{len(pull.reviews):02d}:00Z",
                "body": "",
            }
        )

    def _handle(self, request: Request) -> Response:
        self.log.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json({"message": "Bad credentials"}, 401)
        if request.headers.get("X-GitHub-Api-Version") != "2022-11-28":
            return _json({"message": "no API version"}, 400)
        for i, (path, status, headers, body) in enumerate(self.failures):
            if path == request.path:
                del self.failures[i]
                return Response(body, status=status, headers=headers)
        return self._route(request)

    def _route(self, request: Request) -> Response:
        prefix = f"/repos/{OWNER}/{REPO}"
        path = request.path
        if m := re.fullmatch(rf"{prefix}/pulls/(\d+)", path):
            pull = self._pull(m[1])
            if pull is None:
                return _json({"message": "Not Found"}, 404)
            return _json(
                {
                    "number": int(m[1]),
                    "base": {"sha": pull.base, "ref": "main"},
                    "head": {"sha": pull.head, "ref": "change"},
                    "changed_files": len(pull.files),
                }
            )
        if m := re.fullmatch(rf"{prefix}/pulls/(\d+)/(files|reviews)", path):
            pull = self._pull(m[1])
            if pull is None:
                return _json({"message": "Not Found"}, 404)
            return self._page(request, pull.files if m[2] == "files" else pull.reviews)
        if m := re.fullmatch(rf"{prefix}/issues/(\d+)/comments", path):
            pull = self._pull(m[1])
            if pull is None:
                return _json({"message": "Not Found"}, 404)
            if request.method == "POST":
                self.next_id += 1
                comment = {
                    "id": self.next_id,
                    "body": json.loads(request.get_data(as_text=True))["body"],
                    "html_url": f"https://github.example/{OWNER}/{REPO}/pull/{m[1]}#issuecomment-{self.next_id}",
                    "user": {"login": "github-actions[bot]", "type": "Bot"},
                }
                pull.comments.append(comment)
                return _json(comment, 201)
            return self._page(request, pull.comments)
        if (
            m := re.fullmatch(rf"{prefix}/issues/comments/(\d+)", path)
        ) and request.method == "PATCH":
            for pull in self.pulls.values():
                for comment in pull.comments:
                    if comment["id"] == int(m[1]):
                        comment["body"] = json.loads(request.get_data(as_text=True))["body"]
                        return _json(comment)
            return _json({"message": "Not Found"}, 404)
        if m := re.fullmatch(r"/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)", path):
            state = self.memberships.get((m[1], m[2], m[3]))
            if state is None:
                return _json({"message": "Not Found"}, 404)
            return _json({"url": request.url, "role": "member", "state": state})
        return _json({"message": "Not Found"}, 404)

    def _pull(self, number: str) -> PullRequestState | None:
        return self.pulls.get(int(number))

    def _page(self, request: Request, items: list[dict[str, Any]]) -> Response:
        query = parse_qs(request.query_string.decode())
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []
        base = self.server.url_for(request.path)
        if page < last:
            links.append(f'<{base}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{base}?per_page={per_page}&page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{base}?per_page={per_page}&page=1>; rel="first"')
        headers = {"Link": ", ".join(links)} if links else {}
        return _json(chunk, headers=headers)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers or {}, content_type="application/json"
    )
