"""`accord comment`: one marked comment per pull request, created once and updated in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from github_server import FakeGitHub, PullRequestState
from pytest_httpserver import HTTPServer
from test_cli import run

from engine.github.comment import MARKER, with_marker


@pytest.fixture
def fake(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    github = FakeGitHub(httpserver).install()
    github.pulls[5] = PullRequestState("b" * 40, "h" * 40)
    for name, value in github.environ().items():
        monkeypatch.setenv(name, value)
    return github


def _comment(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    body = tmp_path / "impact.md"
    body.write_text(text, encoding="utf-8")
    code, _, err = run(["comment", "--pr", "5", "--body", str(body)], capsys)
    assert code == 0, err
    return err


def test_the_comment_is_created_once_then_updated(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Someone else's comments, including one that quotes the marker, are left alone.
    fake.pulls[5].comments += [
        {"id": 1, "body": "LGTM"},
        {"id": 2, "body": f"why does `{MARKER}` appear?"},
    ]
    first = _comment(tmp_path, "## Impact\n\nMQLs +12\n", capsys)
    assert "created comment" in first
    second = _comment(tmp_path, "## Impact\n\nMQLs +15\n", capsys)
    assert "updated comment" in second
    third = _comment(tmp_path, "## Impact\n\nMQLs +15\n", capsys)
    assert "unchanged" in third
    comments = fake.pulls[5].comments
    assert [c["id"] for c in comments] == [1, 2, comments[2]["id"]]
    assert comments[2]["body"] == f"{MARKER}\n## Impact\n\nMQLs +15\n"
    assert comments[1]["body"] == f"why does `{MARKER}` appear?"
    writes = [method for method, path in fake.log if method != "GET"]
    assert writes == ["POST", "PATCH"]


def test_the_marker_is_added_once() -> None:
    assert with_marker(with_marker("text")) == f"{MARKER}\ntext"


def test_a_body_over_githubs_limit_is_refused(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "impact.md"
    body.write_text("x" * 65_530, encoding="utf-8")
    code, _, err = run(["comment", "--pr", "5", "--body", str(body)], capsys)
    assert code == 1
    assert "65536" in err
    assert fake.pulls[5].comments == []


def test_without_a_repository_it_is_a_usage_error(
    fake: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY")
    body = tmp_path / "impact.md"
    body.write_text("x", encoding="utf-8")
    code, _, err = run(["comment", "--pr", "5", "--body", str(body)], capsys)
    assert code == 2
    assert "--repo OWNER/NAME" in err
