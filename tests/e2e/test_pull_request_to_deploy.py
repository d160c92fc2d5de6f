"""Issue 7, item 10, end to end: a pull request that changes the MQL threshold goes through
pr.yml (validate, rule tests, the impact comment, CODEOWNERS, two-team approvals), merges,
and deploy.yml plans and applies it to Salesforce; applying again changes nothing.

Everything runs as the workflows say: their `run:` scripts, read from the repository's own
.github/workflows, with the env the workflows set from the GitHub contexts, each job in a
fresh checkout, against the GitHub and Salesforce contract servers. The comment's numbers
are checked against `accord score` run on each revision by itself, counted here.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from e2e_setup import (  # noqa: F401 (the fixtures: pytest finds them in this module)
    AS_OF,
    GITHUB_TOKEN,
    OWNER,
    REPO,
    SALESFORCE_TOKEN,
    TOKENS,
    FakeGitHub,
    Origin,
    PullRequestState,
    SalesforceServer,
    github_fixture,
    northwind_origin,
    production_salesforce_fixture,
    runner_fixture,
    salesforce_fixture,
)
from test_cli import run
from workflow_runner import Command, Step, job_matrix, jobs_for, load_workflow, run_job, triggers

from engine.github.comment import MARKER

PR = 42
BRANCH = "mql-threshold"
QUALIFICATION = "rules/qualification.yaml"
MQL_WHEN = "when: score >= {} and fit >= 25"
HISTORY = "history/sample-leads.parquet"  # pr.yml's default ACCORD_HISTORY: all 50,000 leads
TARGETS = ("salesforce", "hubspot", "marketo", "dbt")
MD = "{http://soap.sforce.com/2006/04/metadata}"


def _exports(under: str = "build/exports") -> list[list[str]]:
    return [["accord", "export", ".", "--target", t, "--out", f"{under}/{t}"] for t in TARGETS]


# The accord commands each job runs, as the workflows write them with their env filled in.
IMPACT = [
    ["accord", "validate", "--format", "github", "."],
    ["accord", "test", ".", "--junit", "build/rule-tests.xml"],
    ["accord", "diff", ".", "--base", "origin/main", "--leads", HISTORY, "--format", "markdown",
     "--out", "build/impact.md"],
    ["accord", "comment", "--pr", str(PR), "--body", "build/impact.md"],
    *_exports(),
]  # fmt: skip
CODEOWNERS = [["accord", "codeowners", "--check", "."]]
APPROVALS = [["accord", "approvals", ".", "--pr", str(PR)]]
BUILD = [
    ["accord", "validate", "--format", "github", "."],
    ["accord", "compile", ".", "--out", "build"],
    *_exports(),
]
SANDBOX = [
    ["accord", "plan", ".", "--target", "salesforce", "--out", "build/plan-salesforce.json"],
    ["accord", "apply", ".", "--target", "salesforce", "--plan", "build/plan-salesforce.json",
     "--yes"],
]  # fmt: skip


@dataclass(frozen=True)
class Job:
    workspace: Path
    summary: Path  # its GITHUB_STEP_SUMMARY
    steps: list[Step]

    @property
    def commands(self) -> list[Command]:
        return [c for step in self.steps for c in step.commands]


@dataclass
class Pipeline:
    """Runs a workflow's jobs for an event, each in a fresh checkout, and keeps everything
    they printed and wrote for the search for credentials at the end."""

    origin: Origin
    github: FakeGitHub
    tmp_path: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def __post_init__(self) -> None:
        self.jobs: list[Job] = []

    def accord(self, argv: list[str]) -> tuple[int, str, str]:
        return run(argv, self.capsys)

    def run(
        self,
        workflow: str,
        event: str,
        ref: str,
        contexts: dict[str, Any],
        environments: dict[str, dict[str, str]] | None = None,
    ) -> dict[str, Job]:
        """Each job the event runs, by name (a matrix job once per value, `job/value`),
        with the secrets of the GitHub environment the job names."""
        definition = load_workflow(self.origin.author / ".github" / "workflows" / workflow)
        done = {}
        for name in jobs_for(definition, event):
            job = definition["jobs"][name]
            secrets = {
                **contexts["secrets"],
                **(environments or {}).get(job.get("environment"), {}),
            }
            for matrix in job_matrix(job, contexts):
                number = len(self.jobs) + 1
                workspace = self.origin.checkout(ref, self.tmp_path / "runs" / str(number))
                summary = self.tmp_path / "runs" / f"{number}.summary.md"
                summary.touch()
                env = {
                    "CI": "true",
                    "GITHUB_ACTIONS": "true",
                    "GITHUB_API_URL": self.github.api_url,
                    "GITHUB_REPOSITORY": f"{OWNER}/{REPO}",
                    "GITHUB_EVENT_NAME": event,
                    "GITHUB_WORKSPACE": str(workspace),
                    "GITHUB_STEP_SUMMARY": str(summary),
                }
                steps = run_job(
                    definition,
                    name,
                    workspace=workspace,
                    contexts={**contexts, "secrets": secrets, "matrix": matrix},
                    runner_env=env,
                    accord=self.accord,
                    checkout=self.origin.checkout,
                    monkeypatch=self.monkeypatch,
                )
                self.jobs.append(Job(workspace, summary, steps))
                done["/".join([name, *map(str, matrix.values())])] = self.jobs[-1]
        return done

    def said(self) -> Iterator[tuple[str, str]]:
        """(where, text) of every output, job summary, and file the jobs wrote."""
        for job in self.jobs:
            for step in job.steps:
                yield f"step {step.name}", step.output
                for command in step.commands:
                    yield " ".join(command.argv), command.out + command.err
            yield str(job.summary), job.summary.read_text(encoding="utf-8")
            for folder in ("build", ".accord"):
                for path in sorted((job.workspace / folder).rglob("*")):
                    if path.is_file():
                        yield str(path), path.read_bytes().decode("utf-8", "replace")


def pull_request_contexts(base_sha: str, head_sha: str) -> dict[str, Any]:
    return {
        "github": {
            "event_name": "pull_request",
            "base_ref": "main",
            "repository": f"{OWNER}/{REPO}",
            "token": GITHUB_TOKEN,
            "event": {
                "pull_request": {
                    "number": PR,
                    "base": {"sha": base_sha, "ref": "main"},
                    "head": {"sha": head_sha, "repo": {"full_name": f"{OWNER}/{REPO}"}},
                }
            },
        },
        "vars": {},  # ACCORD_HISTORY unset: the sample history
        "secrets": {"ACCORD_APPROVALS_TOKEN": GITHUB_TOKEN},
    }


def argvs(job: Job) -> list[list[str]]:
    return [c.argv for c in job.commands]


def only_ok(job: Job) -> None:
    for step in job.steps:
        assert step.code == 0, (step.name, step.output[-3000:])
    for command in job.commands:
        assert command.code == 0, (command.argv, command.err[-3000:])


# --- the numbers, independently ---------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    leads: int
    before: int  # qualified: at the qualifying stage or later (docs/diff.md)
    after: int
    entered: int
    left: int
    score_changed: int
    stages: dict[str, tuple[int, int]]


def qualified_stages(tree: Path) -> list[str]:
    """The qualifying stage and every stage after it, from the definitions themselves."""
    qualification = yaml.safe_load((tree / QUALIFICATION).read_text(encoding="utf-8"))
    ids = [stage["id"] for stage in qualification["stages"]]
    return ids[ids.index(qualification["qualifying_stage"]) :]


def score(pipeline: Pipeline, tree: Path, out: Path) -> Path:
    code, _, err = pipeline.accord(
        ["score", str(tree), "--leads", str(tree / HISTORY), "--out", str(out), "--as-of", AS_OF]
    )
    assert code == 0, err
    return out


def count(base: Path, head: Path, qualified: list[str]) -> Counts:
    """Each lead's stage under the base and under the head, lined up by lead id."""
    con = duckdb.connect()
    row = con.execute(
        """
        WITH b AS (SELECT lead_id, score, stage, list_contains($q, stage) AS q
                   FROM read_parquet($b)),
             h AS (SELECT lead_id, score, stage, list_contains($q, stage) AS q
                   FROM read_parquet($h))
        SELECT count(*), count(DISTINCT lead_id), count(*) FILTER (b.q),
               count(*) FILTER (h.q), count(*) FILTER (NOT b.q AND h.q),
               count(*) FILTER (b.q AND NOT h.q), count(*) FILTER (b.score <> h.score)
        FROM b JOIN h USING (lead_id)
        """,
        {"q": qualified, "b": str(base), "h": str(head)},
    ).fetchone()
    assert row is not None
    leads, distinct, before, after, entered, left, changed = row
    assert leads == distinct
    stages: dict[str, list[int]] = {}
    for side, path in enumerate((base, head)):
        for stage, n in con.execute(
            "SELECT stage, count(*) FROM read_parquet(?) GROUP BY 1", [str(path)]
        ).fetchall():
            stages.setdefault(stage, [0, 0])[side] = n
    return Counts(
        leads, before, after, entered, left, changed, {k: (b, a) for k, (b, a) in stages.items()}
    )


def check_comment(body: str, counts: Counts, head_tree: Path, threshold: int) -> None:
    """The comment's headline, stage table, causes and changed definition against the
    counts made from the two score files and the definitions."""
    assert f"{counts.leads:,} leads from {HISTORY}, as of {AS_OF}" in body
    change = counts.after - counts.before
    percent = change / counts.before * 100
    assert f"| Leads evaluated | {counts.leads:,} |" in body
    assert (
        f"| Qualified \\(mql or later\\) | {counts.before:,} → {counts.after:,}"
        f" \\({change:+,}, {percent:+.1f}%\\) |"
    ) in body
    assert f"| Entered | {counts.entered:,} |" in body
    assert f"| Left | {counts.left:,} |" in body
    assert f"| Score changed | {counts.score_changed:,} |" in body
    table = body.split("<summary>Stages</summary>", 1)[1].split("</details>", 1)[0]
    shown = {
        m[1]: (int(m[2].replace(",", "")), int(m[3].replace(",", "")))
        for m in re.finditer(r"^\| (\w+) \| ([\d,]+) \| ([\d,]+) \|", table, re.MULTILINE)
    }
    assert shown == counts.stages
    # No rule's points changed (every score is the same), so the stages moved every flip.
    assert (
        f"| stages | {counts.entered:,} | {counts.left:,} | {counts.entered + counts.left:,} |"
        in body
    )
    lines = (head_tree / QUALIFICATION).read_text(encoding="utf-8").splitlines()
    line = lines.index("  - id: mql") + 1
    owners = yaml.safe_load("\n".join(lines))["owners"]
    (row,) = [r for r in body.splitlines() if r.startswith("| stage | mql | modified |")]
    assert "score &gt;= 50 and fit" in row
    assert f"→ score &gt;= {threshold} and fit" in row
    assert row.endswith(f"| {QUALIFICATION}:{line} | {', '.join(owners)} |")


def rule_test_count(tree: Path) -> int:
    """The rule tests beside the rules plus the glossary's examples, from the YAML."""
    found = 0
    for path in sorted((tree / "rules").glob("*.tests.yaml")):
        found += len(yaml.safe_load(path.read_text(encoding="utf-8"))["tests"])
    for path in sorted((tree / "glossary").glob("*.yaml")):
        terms = yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]
        found += sum(len(term.get("examples", [])) for term in terms)
    return found


def owning_teams(tree: Path, path: str) -> list[tuple[str, str]]:
    """(party, GitHub team) of each owner a definition file names, from the YAML."""
    owners = yaml.safe_load((tree / path).read_text(encoding="utf-8"))["owners"]
    parties = yaml.safe_load((tree / "accord.yaml").read_text(encoding="utf-8"))["parties"]
    return [(owner, parties[owner]["github"]) for owner in sorted(owners)]


def package_members(export: Path) -> set[tuple[str, str]]:
    root = ET.parse(export / "manifest" / "package.xml").getroot()
    return {
        (t.findtext(f"{MD}name") or "", m.text or "")
        for t in root.findall(f"{MD}types")
        for m in t.findall(f"{MD}members")
    }


# --- the test ---------------------------------------------------------------------------


def test_a_pull_request_from_branch_to_salesforce(
    github: FakeGitHub,
    salesforce: SalesforceServer,
    production_salesforce: SalesforceServer,
    runner: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    origin = northwind_origin(tmp_path)
    base = origin.head()
    pipeline = Pipeline(origin, github, tmp_path, capsys, monkeypatch)
    pr_workflow = load_workflow(origin.author / ".github" / "workflows" / "pr.yml")
    # The change is one pr.yml watches; a review re-runs only the approvals.
    watched = triggers(pr_workflow)["pull_request"]["paths"]
    assert any(fnmatch(QUALIFICATION, pattern) for pattern in watched)
    assert jobs_for(pr_workflow, "pull_request") == ["impact", "codeowners", "approvals"]
    assert jobs_for(pr_workflow, "pull_request_review") == ["approvals"]
    base_tree = origin.worktree(base, tmp_path / "trees" / "base")
    base_scores = score(pipeline, base_tree, tmp_path / "base.parquet")
    qualified = qualified_stages(base_tree)
    assert qualified == ["mql", "sal", "sql"]
    teams = owning_teams(base_tree, QUALIFICATION)
    assert [party for party, _ in teams] == ["marketing", "sales"]
    (marketing, marketing_team), (sales, sales_team) = teams

    # 1. Pull request #42 lowers the MQL threshold from 50 to 40; a second push makes it 45.
    origin.branch(BRANCH)
    impacts: list[Counts] = []
    comment_ids: list[int] = []
    head = base
    for old, threshold in ((50, 40), (40, 45)):
        head = origin.commit_edit(
            QUALIFICATION, MQL_WHEN.format(old), MQL_WHEN.format(threshold), f"MQL at {threshold}"
        )
        origin.push_pull_request(BRANCH, PR)
        changed = origin.changed_files(base, head)
        assert changed == [{"filename": QUALIFICATION, "status": "modified"}]
        # The pull request on GitHub, opened by the first push and moved on by the second.
        pull = github.pulls.setdefault(PR, PullRequestState(base, head))
        pull.head, pull.files = head, changed
        jobs = pipeline.run(
            "pr.yml", "pull_request", f"refs/pull/{PR}/merge", pull_request_contexts(base, head)
        )
        assert list(jobs) == ["impact", "codeowners", "approvals"]

        # impact: every command as pr.yml writes it, all passing.
        impact = jobs["impact"]
        assert argvs(impact) == IMPACT
        only_ok(impact)
        validate, rule_tests, *_ = impact.commands
        assert not [line for line in validate.out.splitlines() if line.startswith("::")]
        build = impact.workspace / "build"
        junit = ET.parse(build / "rule-tests.xml").getroot()
        tests = rule_test_count(impact.workspace)
        assert (junit.get("tests"), junit.get("failures")) == (str(tests), "0")
        assert len(junit.findall(".//testcase")) == tests
        assert (build / "rule-tests.txt").read_text(encoding="utf-8") == rule_tests.out
        report = (build / "impact.md").read_text(encoding="utf-8")
        summary = impact.summary.read_text(encoding="utf-8")
        assert summary == f"## Rule tests\n```\n{rule_tests.out}```\n{report}"
        assert sorted(p.name for p in (build / "exports").iterdir()) == sorted(TARGETS)

        # The one comment: created by the first push, updated in place by the second.
        comments = github.pulls[PR].comments
        assert len(comments) == 1
        assert comments[0]["body"] == f"{MARKER}\n{report}"
        comment_ids.append(comments[0]["id"])
        head_tree = origin.worktree(head, tmp_path / "trees" / f"head-{threshold}")
        counts = count(
            base_scores, score(pipeline, head_tree, tmp_path / f"{threshold}.parquet"), qualified
        )
        assert counts.leads == 50_000
        assert counts.left == 0  # a lower threshold qualifies more leads, never fewer
        assert counts.entered == counts.after - counts.before > 0
        assert counts.score_changed == 0
        check_comment(comments[0]["body"], counts, head_tree, threshold)
        impacts.append(counts)

        # codeowners: the owners did not change, so CODEOWNERS is current.
        assert argvs(jobs["codeowners"]) == CODEOWNERS
        only_ok(jobs["codeowners"])
        # approvals: nobody has reviewed yet.
        assert argvs(jobs["approvals"]) == APPROVALS
        (verdict,) = jobs["approvals"].commands
        assert verdict.code == 1
        assert verdict.out == (
            f"missing   {marketing} ({marketing_team}): owns {QUALIFICATION}\n"
            f"missing   {sales} ({sales_team}): owns {QUALIFICATION}\n"
            f"accord: 2 owning team(s) have not approved: {marketing}, {sales}\n"
        )
    assert comment_ids[0] == comment_ids[1]
    assert [m for m, path in github.log if m != "GET" and "/comments" in path] == ["POST", "PATCH"]
    assert impacts[0].after > impacts[1].after  # 40 qualifies more leads than 45

    # 2. Reviews: marketing's member approves, then sales'; each review re-runs approvals.
    github.review(PR, "maria", "APPROVED")
    jobs = pipeline.run(
        "pr.yml", "pull_request_review", f"refs/pull/{PR}/merge", pull_request_contexts(base, head)
    )
    assert list(jobs) == ["approvals"]
    assert argvs(jobs["approvals"]) == APPROVALS
    (verdict,) = jobs["approvals"].commands
    assert verdict.code == 1
    assert verdict.out == (
        f"approved  {marketing} ({marketing_team}) by @maria: {QUALIFICATION}\n"
        f"missing   {sales} ({sales_team}): owns {QUALIFICATION}\n"
        f"accord: 1 owning team(s) have not approved: {sales}\n"
    )
    github.review(PR, "sam", "APPROVED")
    jobs = pipeline.run(
        "pr.yml", "pull_request_review", f"refs/pull/{PR}/merge", pull_request_contexts(base, head)
    )
    (verdict,) = jobs["approvals"].commands
    assert verdict.code == 0
    assert verdict.out == (
        f"approved  {marketing} ({marketing_team}) by @maria: {QUALIFICATION}\n"
        f"approved  {sales} ({sales_team}) by @sam: {QUALIFICATION}\n"
        "accord: every owning team approved (2)\n"
    )
    assert len(github.pulls[PR].comments) == 1  # reviews leave the comment alone

    # 3. Merged with a merge commit; deploy.yml runs on the push to main: build, the
    # sandbox, production (each GitHub environment with its own org's secrets).
    merged = origin.merge(BRANCH)
    deploy_workflow = load_workflow(origin.author / ".github" / "workflows" / "deploy.yml")
    assert any(fnmatch(QUALIFICATION, p) for p in triggers(deploy_workflow)["push"]["paths"])
    assert jobs_for(deploy_workflow, "push") == ["build", "sandbox", "production"]
    orgs = {"sandbox": salesforce, "production": production_salesforce}

    def deploy() -> dict[str, Job]:
        contexts = {
            "github": {"event_name": "push", "ref": "refs/heads/main", "sha": merged},
            "vars": {},  # ACCORD_DEPLOY_TARGETS unset: salesforce only
            "secrets": {},
        }
        environments = {
            name: {
                "SALESFORCE_INSTANCE_URL": org.instance_url,
                "SALESFORCE_ACCESS_TOKEN": SALESFORCE_TOKEN,
            }
            for name, org in orgs.items()
        }
        jobs = pipeline.run("deploy.yml", "push", merged, contexts, environments)
        assert list(jobs) == ["build", "sandbox/salesforce", "production/salesforce"]
        assert argvs(jobs["build"]) == BUILD
        for job in jobs.values():
            only_ok(job)
        return jobs

    jobs = deploy()
    members = package_members(jobs["build"].workspace / "build" / "exports" / "salesforce")
    stage_ids = [
        s["id"] for s in yaml.safe_load((base_tree / QUALIFICATION).read_text("utf-8"))["stages"]
    ]
    for name, org in orgs.items():
        job = jobs[f"{name}/salesforce"]
        assert argvs(job) == SANDBOX
        planned, applied = job.commands
        # The plan against an empty org: every member of the export's package.xml, all `+`.
        plan = json.loads((job.workspace / "build" / "plan-salesforce.json").read_text("utf-8"))
        assert {(c["kind"], c["name"]) for c in plan["changes"]} == members
        assert {c["action"] for c in plan["changes"]} == {"add"}
        assert plan["summary"] == {"add": len(members), "change": 0, "remove": 0}
        lines = planned.out.splitlines()
        assert lines[0] == f"Plan: {len(members)} to add, 0 to change, 0 to remove."
        assert sorted(lines[2:]) == sorted(f"  + {kind} {member}" for kind, member in members)
        # Where the MQL lives on Salesforce: the stage picklist Accord fills (the stages and
        # `disqualified`). The threshold is Accord's computation, written into that field
        # by `accord sync-scores`: no component carries the condition, old or new.
        (stage,) = [c for c in plan["changes"] if c["name"] == "Lead.Accord_Stage__c"]
        values = [v.text for v in ET.fromstring(stage["after"]).iter(f"{MD}fullName")]
        assert values == ["Accord_Stage__c", *stage_ids, "disqualified"]
        for change in plan["changes"]:
            assert not re.search(r"score (>|&gt;)= (40|45|50)\b", change["after"])
        # The apply: a check-only deploy, then the deploy; the org holds every component.
        assert applied.out.endswith(f"Apply complete: {len(members)} changes made.\n")
        assert [(d.check_only, d.rollback_on_error) for d in org.deploys] == [
            (True, True),
            (False, True),
        ]
        assert set(org.org.members) == members
        field = org.org.members[("CustomField", "Lead.Accord_Stage__c")]
        assert [v.text for v in field.iter(f"{MD}fullName")] == values
        assert any(SALESFORCE_TOKEN in body for body in org.bodies)  # sent, as it must be
    assert salesforce.org.snapshot() == production_salesforce.org.snapshot()

    # The same workflow again (a re-run): nothing to do, nothing deployed.
    sent = {name: len(org.requests) for name, org in orgs.items()}
    jobs = deploy()
    for name, org in orgs.items():
        job = jobs[f"{name}/salesforce"]
        assert argvs(job) == SANDBOX
        planned, applied = job.commands
        assert planned.out == applied.out == "No changes: salesforce matches the definitions.\n"
        plan = json.loads((job.workspace / "build" / "plan-salesforce.json").read_text("utf-8"))
        assert (plan["changes"], plan["summary"]) == ([], {"add": 0, "change": 0, "remove": 0})
        assert len(org.deploys) == 2
        assert set(org.requests[sent[name] :]) == {"retrieve", "checkRetrieveStatus"}
    # And the base's definitions deploy the very same: the threshold left Salesforce's
    # metadata as it was.
    monkeypatch.setenv("SALESFORCE_INSTANCE_URL", salesforce.instance_url)
    monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", SALESFORCE_TOKEN)
    code, out, err = pipeline.accord(["plan", str(base_tree), "--target", "salesforce"])
    assert (code, out) == (0, "No changes: salesforce matches the definitions.\n"), err

    # 4. No credential anywhere: outputs, the comment, job summaries, plans, journals.
    said = [
        *pipeline.said(),
        ("comment", github.pulls[PR].comments[0]["body"]),
        ("the base's plan", out + err),
    ]
    # Among them the four saved plans and the journals of the two applies that deployed.
    assert sum(1 for where, _ in said if where.endswith("/build/plan-salesforce.json")) == 4
    assert (
        sum(1 for where, _ in said if where.endswith("/.accord/apply-salesforce.journal.json")) == 2
    )
    for where, text in said:
        for token in TOKENS:
            assert token not in text, where
            assert token[4:20] not in text, where
