"""The GitHub REST client against the local contract server: pages, retries, foreign links."""

from __future__ import annotations

import pytest
from github_server import OWNER, REPO, FakeGitHub, PullRequestState
from pytest_httpserver import HTTPServer

from engine.github.client import GitHub, GitHubError, Repository, github_from_environment

FILES = f"/repos/{OWNER}/{REPO}/pulls/7/files"


def _github(fake: FakeGitHub, waits: list[float]) -> GitHub:
    return github_from_environment(fake.environ(), sleep=waits.append)


def _pull_with_files(fake: FakeGitHub, count: int) -> None:
    files = [{"filename": f"rules/file{i:04d}.yaml", "status": "modified"} for i in range(count)]
    fake.pulls[7] = PullRequestState("b" * 40, "h" * 40, files=files)


def test_every_page_is_read_through_link_headers(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver).install()
    _pull_with_files(fake, 250)
    items = _github(fake, []).paginate(FILES)
    assert [i["filename"] for i in items] == [f"rules/file{i:04d}.yaml" for i in range(250)]
    pages = [path for method, path in fake.log]
    assert pages == [FILES] * 3
    assert [q.query_string.decode() for q, _ in httpserver.log][1:] == [
        "per_page=100&page=2",
        "per_page=100&page=3",
    ]


def test_a_429_is_retried_after_retry_after_then_succeeds(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver).install()
    _pull_with_files(fake, 3)
    fake.fail_next(FILES, 429, {"Retry-After": "7"}, '{"message": "API rate limit exceeded"}')
    waits: list[float] = []
    items = _github(fake, waits).paginate(FILES)
    assert len(items) == 3
    assert waits == [7.0]
    assert fake.log == [("GET", FILES), ("GET", FILES)]


def test_a_500_is_retried_then_succeeds(httpserver: HTTPServer) -> None:
    fake = FakeGitHub(httpserver).install()
    _pull_with_files(fake, 3)
    fake.fail_next(FILES, 500, {}, "Server Error")
    waits: list[float] = []
    assert len(_github(fake, waits).paginate(FILES)) == 3
    assert len(waits) == 1
    assert 0 < waits[0] <= 1.0


def test_a_next_link_to_another_host_is_not_followed(httpserver: HTTPServer) -> None:
    # The token goes with every request: a page elsewhere must not receive it.
    fake = FakeGitHub(httpserver).install()
    fake.failures.append(
        (
            FILES,
            200,
            {
                "Link": '<https://evil.example/steal?page=2>; rel="next"',
                "Content-Type": "application/json",
            },
            "[]",
        )
    )
    with pytest.raises(GitHubError, match="not following"):
        _github(fake, []).paginate(FILES)


@pytest.mark.parametrize("text", ["northwind", "a/b/c", "/accord", "northwind/", "-x/y"])
def test_a_repository_is_owner_slash_name(text: str) -> None:
    with pytest.raises(ValueError, match="OWNER/NAME"):
        Repository.parse(text)
    assert str(Repository.parse("northwind/accord.io")) == "northwind/accord.io"
