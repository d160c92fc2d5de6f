"""A GitHub REST API client: the token kept secret, pages followed through `Link` headers.

Every request goes through engine.http_client (timeouts, retries on 429/5xx honouring
`Retry-After`, secrets redacted). Pagination follows the `rel="next"` link GitHub sends
(https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api),
but only to the same API base: the token is never sent to a host a response names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.credentials import credential
from engine.http_client import HttpClient, HttpError

DEFAULT_API_URL = "https://api.github.com"
# https://docs.github.com/en/rest/about-the-rest-api/api-versions
API_VERSION = "2022-11-28"
PER_PAGE = 100  # the most GitHub's list endpoints return per page
MAX_PAGES = 1000  # a loop of `next` links is a server bug, not a long list
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


class GitHubError(Exception):
    """An answer from GitHub that Accord cannot use (its message carries no secret)."""


@dataclass(frozen=True)
class Repository:
    owner: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Repository:
        """`OWNER/NAME`, as in GITHUB_REPOSITORY."""
        if not _NAME.match(text) or text.endswith((".", "/")):
            raise ValueError(f"`{text}` is not a repository; write it as OWNER/NAME")
        owner, name = text.split("/")
        return cls(owner, name)

    @property
    def path(self) -> str:
        return f"/repos/{self.owner}/{self.name}"

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class GitHub:
    http: HttpClient

    def get(self, path: str, *, ok: tuple[int, ...] = ()) -> tuple[int, Any]:
        """The status and the decoded JSON of GET `path` (None for an accepted error)."""
        response = self.http.request("GET", path, ok=ok)
        if response.status_code >= 400:
            return response.status_code, None
        return response.status_code, _json(response.text, path)

    def paginate(self, path: str) -> list[Any]:
        """Every item of a list endpoint, page after page."""
        items: list[Any] = []
        base = self.http.base_url.rstrip("/") + "/"
        separator = "&" if "?" in path else "?"
        next_path: str | None = f"{path}{separator}per_page={PER_PAGE}"
        seen: set[str] = set()
        while next_path is not None:
            if next_path in seen or len(seen) >= MAX_PAGES:
                raise GitHubError(f"GitHub's pages of {path} do not end")
            seen.add(next_path)
            response = self.http.request("GET", next_path)
            page = _json(response.text, path)
            if not isinstance(page, list):
                raise GitHubError(f"GitHub answered GET {path} with something other than a list")
            items += page
            following = response.links.get("next", {}).get("url")
            if following is None:
                next_path = None
            elif following.startswith(base):
                next_path = following[len(base) - 1 :]
            else:
                raise GitHubError(
                    f"GitHub's next page of {path} is not under {base}; not following it"
                )
        return items

    def send(self, method: str, path: str, body: Mapping[str, Any]) -> Any:
        """POST or PATCH a JSON body; the decoded answer."""
        response = self.http.request(method, path, json=dict(body))
        return _json(response.text, path)


def github_from_environment(environ: Mapping[str, str], **http: Any) -> GitHub:
    """A client for GITHUB_API_URL (default api.github.com) with the token in GITHUB_TOKEN
    (or the file GITHUB_TOKEN_FILE names). Raises MissingCredential without one."""
    token = credential("GITHUB_TOKEN", environ)
    base = environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    return GitHub(
        HttpClient(
            base,
            secret_headers={"Authorization": f"Bearer {token}"},
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                # GitHub refuses requests without a User-Agent.
                "User-Agent": "accord",
            },
            **http,
        )
    )


def _json(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise GitHubError(f"GitHub answered {path} with something other than JSON") from None


__all__ = ["GitHub", "GitHubError", "HttpError", "Repository", "github_from_environment"]
