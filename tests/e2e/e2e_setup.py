"""What the end-to-end test runs against: the example organisation as a repository on
"GitHub" (a bare `origin`, an author's clone, a fresh checkout per job), the GitHub and
Salesforce contract servers each on its own loopback port, and a runner environment with
no credential from this machine and the pipeline's clock fixed.

The fixtures are imported by the test module (no conftest.py here): GitHub's from
tests/github/github_server.py, Salesforce's from tests/deploy/salesforce_server.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from deploy.salesforce_server import TOKEN as SALESFORCE_TOKEN
from deploy.salesforce_server import SalesforceServer
from git_repo import git
from pytest_httpserver import HTTPServer
from test_cli import ROOT, example

from engine.commands import common

# tests/github is a folder of modules, not a package: its contract server imports as a
# top-level module from there (as the GitHub tests themselves import it).
sys.path.append(str(ROOT / "tests" / "github"))

from github_server import OWNER, REPO, FakeGitHub, PullRequestState
from github_server import TOKEN as GITHUB_TOKEN

# What the test takes from here, the contract servers' names included.
__all__ = [
    "AS_OF",
    "GITHUB_TOKEN",
    "OWNER",
    "REPO",
    "SALESFORCE_TOKEN",
    "TOKENS",
    "FakeGitHub",
    "Origin",
    "PullRequestState",
    "SalesforceServer",
    "github_fixture",
    "northwind_origin",
    "production_salesforce_fixture",
    "runner_fixture",
    "salesforce_fixture",
]

SAMPLE = ROOT / "history" / "sample-leads.parquet"
# The pipeline's clock. pr.yml runs `accord diff` without --as-of, so the report is as of
# the moment the job runs; the test fixes that moment (engine.commands.common.now) for every command, and
# scores each revision independently as of the same instant.
CLOCK = dt.datetime(2026, 12, 1)
AS_OF = "2026-12-01T00:00:00Z"
TOKENS = (GITHUB_TOKEN, SALESFORCE_TOKEN)
# Who is in which team of the example organisation's GitHub (accord.yaml's `github:`).
TEAMS = {
    (OWNER, "marketing", "maria"): "active",
    (OWNER, "sales", "sam"): "active",
    (OWNER, "revops", "rita"): "active",
}
# Names a runner or this machine could carry into a command's environment.
AMBIENT = ("GITHUB_", "SALESFORCE_", "HUBSPOT_", "MARKETO_", "ACCORD_", "RUNNER_")


@pytest.fixture(name="github")
def github_fixture(httpserver: HTTPServer) -> FakeGitHub:
    return FakeGitHub(httpserver, memberships=dict(TEAMS)).install()


@pytest.fixture(name="salesforce")
def salesforce_fixture(httpserver_ipv4: HTTPServer) -> SalesforceServer:
    # Its own server (127.0.0.1): the GitHub contract server answers every path on its own.
    return SalesforceServer(httpserver_ipv4).install()


@pytest.fixture(name="production_salesforce")
def production_salesforce_fixture() -> Iterator[SalesforceServer]:
    """A second org, production's, on a server of its own."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield SalesforceServer(server).install()
    finally:
        server.clear()
        server.stop()


@pytest.fixture(name="runner")
def runner_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a fresh runner: no credential or GitHub variable from the machine,
    and the pipeline's clock."""
    for name in list(os.environ):
        if name.startswith(AMBIENT) or name == "CI":
            monkeypatch.delenv(name)
    monkeypatch.setattr(common, "now", lambda: CLOCK)


@dataclass(frozen=True)
class Origin:
    """The repository on GitHub (bare) and the clone its author works in."""

    bare: Path
    author: Path

    def head(self, ref: str = "HEAD") -> str:
        return git(self.author, "rev-parse", ref)

    def branch(self, name: str) -> None:
        git(self.author, "checkout", "-q", "-b", name)

    def changed_files(self, base: str, head: str) -> list[dict[str, str]]:
        """The pull request's files as GitHub lists them, from git."""
        status = {"M": "modified", "A": "added", "D": "removed"}
        lines = git(self.author, "diff", "--name-status", base, head).splitlines()
        return [
            {"filename": path, "status": status[code]}
            for code, path in (line.split("\t") for line in lines)
        ]

    def commit_edit(self, path: str, old: str, new: str, message: str) -> str:
        file = self.author / path
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, (path, old)
        file.write_text(text.replace(old, new), encoding="utf-8")
        git(self.author, "commit", "-q", "-am", message)
        return git(self.author, "rev-parse", "HEAD")

    def push_pull_request(self, branch: str, number: int) -> None:
        """Push the branch, and the test merge GitHub keeps at refs/pull/N/merge (what
        actions/checkout checks out for a pull_request event)."""
        git(self.author, "push", "-q", "origin", branch)
        git(self.author, "checkout", "-q", "--detach", "main")
        git(self.author, "merge", "-q", "--no-ff", "--no-edit", branch)
        git(self.author, "push", "-q", "--force", "origin", f"HEAD:refs/pull/{number}/merge")
        git(self.author, "checkout", "-q", branch)

    def merge(self, branch: str) -> str:
        """The pull request merged with a merge commit, pushed to main."""
        git(self.author, "checkout", "-q", "main")
        git(self.author, "merge", "-q", "--no-ff", "--no-edit", branch)
        git(self.author, "push", "-q", "origin", "main")
        return git(self.author, "rev-parse", "HEAD")

    def checkout(self, ref: str, where: Path) -> Path:
        """A job's workspace as actions/checkout with fetch-depth 0 leaves it: the whole
        history, origin's branches, and `ref` checked out."""
        where.parent.mkdir(parents=True, exist_ok=True)
        git(where.parent, "clone", "-q", str(self.bare), str(where))
        git(where, "fetch", "-q", "origin", ref)
        git(where, "checkout", "-q", "--detach", "FETCH_HEAD")
        return where

    def worktree(self, commit: str, where: Path) -> Path:
        git(self.author, "worktree", "add", "-q", "--detach", str(where), commit)
        return where


def northwind_origin(tmp_path: Path) -> Origin:
    """The example organisation (definitions, .github with CODEOWNERS and the workflows,
    the sample lead history) committed on main and pushed to a bare origin."""
    author = example(tmp_path)
    shutil.copytree(ROOT / ".github", author / ".github")
    (author / "history").mkdir()
    shutil.copy(SAMPLE, author / "history" / SAMPLE.name)
    git(author, "init", "-q", "-b", "main")
    git(author, "add", "-A")
    git(author, "commit", "-q", "-m", "Northwind's lead agreement")
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(author, "remote", "add", "origin", str(bare))
    git(author, "push", "-q", "origin", "main")
    return Origin(bare, author)
