"""One pull-request comment, created once and then updated in place, found by a hidden marker.

https://docs.github.com/en/rest/issues/comments: pull requests are issues for comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.github.client import GitHub, GitHubError, Repository

MARKER = "<!-- accord:impact -->"
# A comment's body holds at most 65,536 characters (counted as UTF-16 code units).
BODY_LIMIT = 65_536


@dataclass(frozen=True)
class Comment:
    id: int
    body: str


@dataclass(frozen=True)
class Posted:
    action: str  # "created", "updated" or "unchanged"
    id: int
    url: str | None


def with_marker(body: str) -> str:
    """The body with the marker as its first line (once, however often it is run)."""
    text = body.removeprefix(MARKER).lstrip("\n")
    marked = f"{MARKER}\n{text}"
    if len(marked.encode("utf-16-le")) // 2 > BODY_LIMIT:
        raise GitHubError(
            f"the comment is longer than GitHub's {BODY_LIMIT} characters with the marker;"
            " shorten the report"
        )
    return marked


def find_marked(comments: Sequence[Comment]) -> Comment | None:
    """The first comment that starts with the marker (Accord puts it first, so a comment
    merely quoting the marker is not taken over)."""
    return next((c for c in comments if c.body.startswith(MARKER)), None)


def post_comment(github: GitHub, repo: Repository, number: int, body: str) -> Posted:
    """Create the marked comment on pull request `number`, or update the one already there."""
    marked = with_marker(body)
    listed = github.paginate(f"{repo.path}/issues/{number}/comments")
    existing = find_marked(
        [
            Comment(int(item["id"]), str(item.get("body") or ""))
            for item in listed
            if isinstance(item, dict) and "id" in item
        ]
    )
    if existing is None:
        answer = github.send("POST", f"{repo.path}/issues/{number}/comments", {"body": marked})
        return Posted("created", _id(answer), _url(answer))
    if existing.body == marked:
        return Posted("unchanged", existing.id, None)
    answer = github.send("PATCH", f"{repo.path}/issues/comments/{existing.id}", {"body": marked})
    return Posted("updated", _id(answer, existing.id), _url(answer))


def _id(answer: Any, default: int | None = None) -> int:
    if isinstance(answer, dict) and isinstance(answer.get("id"), int):
        return int(answer["id"])
    if default is not None:
        return default
    raise GitHubError("GitHub's answer to the new comment has no id")


def _url(answer: Any) -> str | None:
    url = answer.get("html_url") if isinstance(answer, dict) else None
    return url if isinstance(url, str) else None
