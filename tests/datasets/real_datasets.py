"""The real public datasets the tests in tests/datasets run `accord diff` on, and the
projects written for them, committed to a scratch git repository with a change on top.

The datasets stay outside the repository (licences and size): in `../shared/datasets`
beside it, or wherever ACCORD_DATASETS points. A module whose dataset is missing is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from git_repo import git
from test_cli import ROOT, run

PROJECTS = Path(__file__).resolve().parent

# (file in the project, text that occurs in it exactly once, the text that replaces it)
Edit = tuple[str, str, str]


def dataset(name: str) -> Path:
    """The dataset's folder; skips the calling test module when it is not there."""
    configured = os.environ.get("ACCORD_DATASETS")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "datasets"
    if not (folder / name).is_dir():
        pytest.skip(
            f"the {name} dataset is not in {folder}; "
            "set ACCORD_DATASETS to the folder that holds it",
            allow_module_level=True,
        )
    return folder / name


def commit_then_change(name: str, directory: Path, edits: Sequence[Edit]) -> Path:
    """The project tests/datasets/<name>, committed as the base of a fresh repository in
    `directory`, with `edits` made in the working tree (the head)."""
    project = directory / name
    shutil.copytree(PROJECTS / name, project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    for path, old, new in edits:
        text = (project / path).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{path} should hold {old!r} once"
        (project / path).write_text(text.replace(old, new), encoding="utf-8")
    return project


def diff(
    project: Path,
    leads: Path,
    as_of: str,
    format: str,
    out: Path,
    capsys: pytest.CaptureFixture[str],
) -> str:
    """`accord diff` of the working tree against HEAD; the report it wrote to `out`."""
    code, _, err = run(
        [
            "diff",
            str(project),
            "--base",
            "HEAD",
            "--leads",
            str(leads),
            "--as-of",
            as_of,
            "--format",
            format,
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def impact_json(
    project: Path, leads: Path, as_of: str, out: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """The JSON impact report, parsed."""
    report = json.loads(diff(project, leads, as_of, "json", out, capsys))
    assert isinstance(report, dict)
    return report


def before_after(tallies: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Tallies (stages, grades, assignees) as {value: (before, after)}."""
    return {t["value"]: (t["count"]["before"], t["count"]["after"]) for t in tallies}


def one(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[str] | None = None
) -> tuple[Any, ...]:
    """The one row a counting query returns."""
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return row


def check_outcome(
    outcome: dict[str, Any], by_hand: duckdb.DuckDBPyConnection, happened: str
) -> list[int]:
    """Assert the report's confusion counts and rates for one outcome on both sides against
    the by-hand table `sides` (`b_q`, `h_q` and the column `happened`); the leads with the
    outcome on each side, for the dataset's own count."""
    positives = []
    for side, key in (("b", "before"), ("h", "after")):
        q, qp, u, up = one(
            by_hand,
            f"SELECT count(*) FILTER ({side}_q), count(*) FILTER ({side}_q AND {happened}),"
            f" count(*) FILTER (NOT {side}_q), count(*) FILTER (NOT {side}_q AND {happened})"
            " FROM sides",
        )
        reported = outcome[key]
        counts = ("qualified", "qualified_positive", "unqualified", "unqualified_positive")
        assert {k: reported[k] for k in counts} == dict(zip(counts, (q, qp, u, up), strict=True))
        rates = ("precision", "recall", "lift", "unqualified_rate")
        assert {k: reported[k] for k in rates} == pytest.approx(
            {
                "precision": qp / q,
                "recall": qp / (qp + up),
                "lift": (qp / q) / ((qp + up) / (q + u)),
                "unqualified_rate": up / u,
            },
            abs=1e-6,
        )
        positives.append(qp + up)
    return positives
