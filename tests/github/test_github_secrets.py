"""No GitHub token reaches any output: not on success, not when GitHub echoes it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, PullRequestState
from pr_repo import pull_request_repo
from pytest_httpserver import HTTPServer
from test_cli import run


def test_no_token_in_any_output(
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeGitHub(httpserver).install()
    for name, value in fake.environ().items():
        monkeypatch.setenv(name, value)
    root, base, head = pull_request_repo(
        tmp_path, {"rules/qualification.yaml": ("score >= 50", "score >= 45")}
    )
    fake.pulls[3] = PullRequestState(
        base, head, files=[{"filename": "rules/qualification.yaml", "status": "modified"}]
    )
    fake.review(3, "maria", "APPROVED")
    body = tmp_path / "impact.md"
    body.write_text("## Impact\n", encoding="utf-8")
    outputs = []
    outputs.append(run(["approvals", str(root), "--pr", "3"], capsys))
    outputs.append(run(["comment", "--pr", "3", "--body", str(body)], capsys))
    # GitHub answering with the token in its error message (a 403 is not retried).
    fake.fail_next(
        "/repos/northwind/accord/issues/3/comments", 403, {}, f"token {TOKEN} lacks scope"
    )
    outputs.append(run(["comment", "--pr", "3", "--body", str(body)], capsys))
    monkeypatch.setenv("GITHUB_TOKEN", "")
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN_FILE", str(token_file))
    outputs.append(run(["--debug", "approvals", str(root), "--pr", "3"], capsys))
    codes = [code for code, _, _ in outputs]
    assert codes == [1, 0, 1, 1]
    assert "***" in outputs[2][2]  # the echoed token, redacted
    text = "\n".join(out + err for _, out, err in outputs)
    assert TOKEN not in text
    assert TOKEN[4:20] not in text
    assert fake.pulls[3].comments[0]["body"].endswith("## Impact\n")
