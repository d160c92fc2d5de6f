"""`accord diff` on the command line: broken revisions, lead models that differ, gates,
formats and usage errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from git_repo import git
from test_cli import example, run
from test_diff_command import AS_OF, SAMPLE


def committed(tmp_path: Path) -> Path:
    """The example organisation committed to a fresh repository."""
    project = example(tmp_path)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    return project


def edit(project: Path, path: str, old: str, new: str) -> None:
    text = (project / path).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (project / path).write_text(text.replace(old, new), encoding="utf-8")


def diff(project: Path, *extra: str) -> list[str]:
    return [
        "diff",
        str(project),
        "--base",
        "HEAD",
        "--leads",
        str(SAMPLE),
        "--as-of",
        AS_OF,
        *extra,
    ]


def test_a_broken_head_gets_the_usual_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = committed(tmp_path)
    edit(project, "rules/scoring.yaml", "when: webinars_attended >= 1", "when: webinars >= 1")
    code, out, err = run(diff(project), capsys)
    assert code == 1
    assert out == ""
    assert re.search(r"rules/scoring\.yaml:\d+:\d+: error\[E\d+\]", err), err
    assert "`webinars`" in err
    assert err.rstrip().splitlines()[-1].startswith("accord: working tree: checked 12 files")


def test_a_broken_base_names_its_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(
        tmp_path, ("rules/scoring.yaml", "when: webinars_attended >= 1", "when: webinars >= 1")
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "broken")
    commit = git(project, "rev-parse", "HEAD")[:12]
    edit(project, "rules/scoring.yaml", "when: webinars >= 1", "when: webinars_attended >= 1")
    code, out, err = run(diff(project), capsys)
    assert code == 1
    assert out == ""
    assert err.rstrip().splitlines()[-1].startswith(f"accord: HEAD ({commit}): checked 12 files")


def test_lead_model_fields_added_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = committed(tmp_path)
    # The head drops `status` (nothing uses it) and adds `partner_tier` (no such column in
    # the history: every lead has it missing).
    edit(
        project,
        "rules/lead.yaml",
        "  status:\n    type: string\n    role: lifecycle\n",
        "  partner_tier:\n    type: string\n    role: lifecycle\n",
    )
    edit(
        project,
        "rules/lead.yaml",
        "    values: [New, Working, Nurturing, Recycled, Qualified, Unqualified]\n",
        "",
    )
    out = tmp_path / "impact.json"
    code, _, err = run(diff(project, "--format", "json", "--out", str(out)), capsys)
    assert code == 0, err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["fields"] == {"added": ["partner_tier"], "removed": ["status"]}
    assert report["headline"]["leads"] == 50_000
    assert report["headline"]["entered"] == report["headline"]["left"] == 0
    kinds = {(c["kind"], c["id"], c["change"]) for c in report["definitions"]}
    assert kinds == {("field", "partner_tier", "added"), ("field", "status", "removed")}


def test_gates_exit_1_and_say_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = committed(tmp_path)
    edit(project, "rules/scoring.yaml", "        points: 25\n", "        points: 35\n")
    out = tmp_path / "impact.json"
    code, _, err = run(diff(project, "--format", "json", "--out", str(out)), capsys)
    assert code == 0, err
    qualified = json.loads(out.read_text(encoding="utf-8"))["headline"]["qualified"]
    moved = qualified["after"] - qualified["before"]
    code, _, err = run(
        diff(
            project,
            "--out",
            str(tmp_path / "impact.txt"),
            "--fail-on",
            f"qualified-change > {moved - 1}",
            "--fail-on",
            "left > 0",
        ),
        capsys,
    )
    assert code == 1
    assert err.splitlines() == [
        f"accord: --fail-on qualified-change > {moved - 1}: fails (qualified-change is {moved:,.2f} leads)",
        "accord: --fail-on left > 0: holds (left is 0.00 leads)",
    ]
    code, _, err = run(
        diff(project, "--out", str(tmp_path / "x.txt"), "--fail-on", "left > 0"), capsys
    )
    assert code == 0, err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = committed(tmp_path)
    code, _, err = run(diff(project, "--fail-on", "mqls > 3"), capsys)
    assert code == 2
    assert "no measure `mqls`" in err
    code, _, err = run(
        ["diff", str(project), "--base", "no-such-branch", "--leads", str(SAMPLE)], capsys
    )
    assert code == 2
    assert "`no-such-branch` is not a commit in this repository" in err
    code, _, err = run(["diff", str(tmp_path), "--base", "HEAD", "--leads", str(SAMPLE)], capsys)
    assert code == 2
    assert "has no accord.yaml" in err


def test_html_is_one_self_contained_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = committed(tmp_path)
    edit(project, "rules/scoring.yaml", "        points: 25\n", "        points: 35\n")
    out = tmp_path / "impact.html"
    code, _, err = run(diff(project, "--format", "html", "--out", str(out)), capsys)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the private mode of a temp file
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    for external in ("<script", "src=", 'href="http', "@import", "url("):
        assert external not in html
    # The same inputs give the same bytes.
    again = tmp_path / "again.html"
    code, _, err = run(diff(project, "--format", "html", "--out", str(again)), capsys)
    assert code == 0, err
    assert again.read_bytes() == out.read_bytes()
