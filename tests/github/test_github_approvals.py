"""`accord approvals` against the local GitHub: every owning team must approve."""

from __future__ import annotations

from pathlib import Path

import pytest
from github_server import FakeGitHub, PullRequestState
from pr_repo import MQL_THRESHOLD, pull_request_repo
from pytest_httpserver import HTTPServer
from test_cli import run

from engine.github.approvals import ChangedFile, Review, owned_changes, standing_reviews
from engine.github.codeowners import OwnershipRule

# Who is in which team of the example organisation's GitHub (accord.yaml's `github:`).
TEAMS = {
    ("northwind", "marketing", "maria"): "active",
    ("northwind", "sales", "sam"): "active",
    ("northwind", "revops", "rita"): "active",
    ("northwind", "sales", "newbie"): "pending",  # invited, not yet a member
}


@pytest.fixture
def fake(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    github = FakeGitHub(httpserver, memberships=dict(TEAMS)).install()
    for name, value in github.environ().items():
        monkeypatch.setenv(name, value)
    return github


def _open_pull(
    fake: FakeGitHub, tmp_path: Path, edits: dict[str, tuple[str, str]] = MQL_THRESHOLD
) -> Path:
    root, base, head = pull_request_repo(tmp_path, edits)
    files = [{"filename": path, "status": "modified"} for path in sorted(edits)]
    fake.pulls[12] = PullRequestState(base, head, files=files)
    return root


def _approvals(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run(["approvals", str(root), "--pr", "12"], capsys)


def test_both_teams_approved(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    fake.review(12, "sam", "APPROVED")
    code, out, _ = _approvals(root, capsys)
    assert code == 0, out
    assert "approved  marketing (@northwind/marketing) by @maria: rules/qualification.yaml" in out
    assert "approved  sales (@northwind/sales) by @sam: rules/qualification.yaml" in out
    assert "every owning team approved (2)" in out


def test_one_team_of_a_co_owned_definition_is_not_enough(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "approved  marketing (@northwind/marketing) by @maria" in out
    assert "missing   sales (@northwind/sales): owns rules/qualification.yaml" in out
    assert "1 owning team(s) have not approved: sales" in out


def test_changes_requested_after_an_approval_withdraws_it(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    fake.review(12, "sam", "APPROVED")
    fake.review(12, "sam", "CHANGES_REQUESTED")
    fake.review(12, "sam", "COMMENTED")  # a comment leaves the request for changes standing
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   sales" in out


def test_a_dismissed_approval_does_not_count(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    fake.review(12, "sam", "DISMISSED")
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   sales" in out


def test_an_approval_from_outside_the_team_does_not_count(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    fake.review(12, "mallory", "APPROVED")  # in no team
    fake.review(12, "newbie", "APPROVED")  # invited to sales, not yet a member
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   sales" in out
    assert "mallory" not in out.split("missing")[0]
    asked = {path for _, path in fake.log if "/memberships/" in path}
    assert "/orgs/northwind/teams/sales/memberships/mallory" in asked


def test_an_approval_of_an_older_commit_does_not_count(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.review(12, "maria", "APPROVED")
    fake.review(12, "sam", "APPROVED", commit=fake.pulls[12].base)
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   sales" in out
    assert "approvals of an older commit do not count: @sam" in out


def test_dropping_an_owner_in_the_pull_request_does_not_dodge_it(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {
        "rules/qualification.yaml": ("owners: [marketing, sales]", "owners: [marketing]"),
    }
    root = _open_pull(fake, tmp_path, edits)
    fake.review(12, "maria", "APPROVED")
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   sales (@northwind/sales): owns rules/qualification.yaml" in out


def test_a_change_to_accord_yaml_needs_its_owners(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Handing marketing's approval to the sales team is itself a change revops must approve,
    # and marketing is still judged by the team the base names.
    edits = {"accord.yaml": ('github: "@northwind/marketing"', 'github: "@northwind/sales"')}
    root = _open_pull(fake, tmp_path, edits)
    fake.review(12, "sam", "APPROVED")
    code, out, _ = _approvals(root, capsys)
    assert code == 1
    assert "missing   revops (@northwind/revops): owns accord.yaml" in out


def test_files_without_owners_need_no_team(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.pulls[12].files = [{"filename": "README.md", "status": "modified"}]
    code, out, _ = _approvals(root, capsys)
    assert code == 0
    assert "no changed file has owners" in out


def test_a_commit_missing_from_the_clone_is_a_usage_error(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _open_pull(fake, tmp_path)
    fake.pulls[12].base = "0" * 40
    code, _, err = _approvals(root, capsys)
    assert code == 2
    assert "fetch-depth: 0" in err


def test_renamed_files_are_owned_under_both_names() -> None:
    rules = [OwnershipRule("rules/", ("revops",)), OwnershipRule("rules/old.yaml", ("sales",))]
    owned = owned_changes([ChangedFile("rules/new.yaml", "rules/old.yaml")], [rules])
    assert owned == {"rules/new.yaml": ("revops", "sales")}


def test_the_latest_standing_review_per_reviewer_counts() -> None:
    reviews = [
        Review(3, "Sam", "APPROVED", "h", "2026-11-22T10:02:00Z"),
        Review(1, "sam", "CHANGES_REQUESTED", "h", "2026-11-22T10:01:00Z"),
        Review(2, "maria", "APPROVED", "old", "2026-11-22T10:00:00Z"),
        Review(4, "rita", "PENDING", "h", None),
    ]
    assert standing_reviews(reviews, "h") == (("Sam",), ("maria",))
