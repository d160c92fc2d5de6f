"""`accord diff` end to end: a git repository holding the example organisation, a change in
the working tree, the committed sample history, and counts checked against `accord score`
run on each revision separately."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from git_repo import git
from test_cli import ROOT, example, run

SAMPLE = ROOT / "history" / "sample-leads.parquet"
AS_OF = "2026-12-01T00:00:00Z"
# The demo request is worth 25 points; the change makes it 35.
DEMO_REQUEST = ("rules/scoring.yaml", "        points: 25\n", "        points: 35\n")


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example organisation committed to a fresh repository, then one rule's points
    changed in the working tree."""
    project = example(tmp_path_factory.mktemp("diff"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    path, old, new = DEMO_REQUEST
    text = (project / path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (project / path).write_text(text.replace(old, new), encoding="utf-8")
    return project


def score(project: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["score", str(project), "--leads", str(SAMPLE), "--out", str(out), "--as-of", AS_OF],
        capsys,
    )
    assert code == 0, err


@pytest.fixture(scope="module")
def scored(change: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`accord score` of the base (the commit, checked out elsewhere) and of the head."""
    directory = tmp_path_factory.mktemp("scores")
    base = directory / "base-project"
    git(change, "worktree", "add", "-q", str(base), "HEAD")
    return base, directory


def test_qualified_counts_equal_accord_score_per_revision(
    change: Path, scored: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base_project, directory = scored
    score(base_project, directory / "base.parquet", capsys)
    score(change, directory / "head.parquet", capsys)
    out = directory / "impact.json"
    code, _, err = run(
        [
            "diff",
            str(change),
            "--base",
            "HEAD",
            "--leads",
            str(SAMPLE),
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    report = json.loads(out.read_text(encoding="utf-8"))
    # Independently, from the two score files, lined up by row (both keep the file's order).
    con = duckdb.connect()
    expected = con.execute(
        """
        WITH b AS (SELECT row_number() OVER () AS r, stage IN ('mql', 'sal', 'sql') AS q, stage
                   FROM read_parquet(?)),
             h AS (SELECT row_number() OVER () AS r, stage IN ('mql', 'sal', 'sql') AS q, stage
                   FROM read_parquet(?))
        SELECT count(*), count(*) FILTER (b.q), count(*) FILTER (h.q),
               count(*) FILTER (NOT b.q AND h.q), count(*) FILTER (b.q AND NOT h.q),
               count(*) FILTER (b.stage = 'mql'), count(*) FILTER (h.stage = 'mql')
        FROM b JOIN h USING (r)
        """,
        [str(directory / "base.parquet"), str(directory / "head.parquet")],
    ).fetchone()
    assert expected is not None
    leads, before, after, entered, left, mql_before, mql_after = expected
    headline = report["headline"]
    assert headline["leads"] == leads == 50_000
    assert headline["qualified_stage"] == "mql"
    assert (headline["qualified"]["before"], headline["qualified"]["after"]) == (before, after)
    assert (headline["entered"], headline["left"]) == (entered, left)
    assert before < after
    assert left == 0
    stages = {s["value"]: s["count"] for s in headline["stages"]}
    assert (stages["mql"]["before"], stages["mql"]["after"]) == (mql_before, mql_after)
    # The size segments (glossary terms over employees), counted from the sample itself.
    segments = con.execute(
        """
        WITH s AS (SELECT row_number() OVER () AS r,
                          CASE WHEN employees >= 1000 THEN 'enterprise'
                               WHEN employees >= 200 THEN 'mid_market'
                               WHEN employees < 200 THEN 'smb' ELSE '(missing)' END AS segment
                   FROM read_parquet(?)),
             b AS (SELECT row_number() OVER () AS r, stage IN ('mql', 'sal', 'sql') AS q
                   FROM read_parquet(?)),
             h AS (SELECT row_number() OVER () AS r, stage IN ('mql', 'sal', 'sql') AS q
                   FROM read_parquet(?))
        SELECT segment, count(*), count(*) FILTER (b.q), count(*) FILTER (h.q)
        FROM s JOIN b USING (r) JOIN h USING (r) GROUP BY 1 ORDER BY 2 DESC
        """,
        [str(SAMPLE), str(directory / "base.parquet"), str(directory / "head.parquet")],
    ).fetchall()
    (by_segment,) = [b for b in report["breakdowns"] if b["by"] == "segment"]
    assert [
        (r["value"], r["leads"], r["qualified"]["before"], r["qualified"]["after"])
        for r in by_segment["rows"]
    ] == segments
    # The monthly MQL commitment: the mql condition written out, per month of mql_at.
    months = con.execute(
        """
        WITH s AS (SELECT row_number() OVER () AS r, mql_at, coalesce(is_customer, FALSE) AS c
                   FROM read_parquet(?)),
             b AS (SELECT row_number() OVER () AS r, score, fit, engagement FROM read_parquet(?)),
             h AS (SELECT row_number() OVER () AS r, score, fit, engagement FROM read_parquet(?))
        SELECT CAST(date_trunc('month', mql_at) AS DATE)::VARCHAR,
               count(*) FILTER (WHERE b.score >= 50 AND b.fit >= 25 AND b.engagement >= 10
                                AND NOT c),
               count(*) FILTER (WHERE h.score >= 50 AND h.fit >= 25 AND h.engagement >= 10
                                AND NOT c)
        FROM s JOIN b USING (r) JOIN h USING (r) WHERE mql_at IS NOT NULL GROUP BY 1 ORDER BY 1
        """,
        [str(SAMPLE), str(directory / "base.parquet"), str(directory / "head.parquet")],
    ).fetchall()
    (volume,) = [c for c in report["commitments"] if c["id"] == "monthly_mql_volume"]
    assert volume["target"] == "at least 450 per month"
    assert [(p["start"], p["before"], p["after"]) for p in volume["periods"]] == months
    assert sum(after for *_, after in months) > sum(before for _, before, _ in months)
    # SLAs: the diff's counts per side equal `accord sla report` run on each revision.
    for side, project in (("before", base_project), ("after", change)):
        code, text, err = run(
            ["sla", "report", str(project), "--leads", str(SAMPLE), "--as-of", AS_OF,
             "--format", "json"],
            capsys,
        )  # fmt: skip
        assert code == 0, err
        by_sla = {s["sla"]: s for s in json.loads(text)["slas"]}
        for impact in report["slas"]:
            alone = by_sla[impact["sla"]]
            counts = impact[side]
            overall = alone["overall"]
            assert [counts[k] for k in ("met", "breached", "overdue", "open")] == [
                overall[k] for k in ("met", "breached", "overdue", "open")
            ]
            teams = {t["team"]: t[side] for t in impact["teams"]}
            assert {
                t["key"]: [t[k] for k in ("met", "breached", "overdue", "open")]
                for t in alone["by_team"]
            } == {
                team: [c[k] for k in ("met", "breached", "overdue", "open")]
                for team, c in teams.items()
                if any(c.values())
            }
    # Every flip is the demo request's doing, and the change is listed with its owners.
    assert report["flips"]["causes"] == [
        {"cause": "rule:demo_request", "entered": entered, "left": 0}
    ]
    (changed,) = report["definitions"]
    assert (changed["kind"], changed["id"], changed["change"]) == (
        "rule",
        "demo_request",
        "modified",
    )
    assert changed["details"] == ["points 25 → 35"]
    assert changed["owners"] == ["marketing", "sales"]


def test_a_change_that_flips_every_lead_still_fits_in_one_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The MQL condition negated: every lead that is not disqualified changes sides.
    condition = "score >= 50 and fit >= 25 and engagement >= 10 and not existing_customer"
    project = example(
        tmp_path, ("rules/qualification.yaml", f"when: {condition}", f"when: not ({condition})")
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    (project / "rules" / "qualification.yaml").write_text(
        (project / "rules" / "qualification.yaml")
        .read_text(encoding="utf-8")
        .replace(f"when: not ({condition})", f"when: {condition}"),
        encoding="utf-8",
    )
    args = ["diff", str(project), "--base", "HEAD", "--leads", str(SAMPLE), "--as-of", AS_OF]
    out = tmp_path / "impact.json"
    code, _, err = run([*args, "--format", "json", "--out", str(out)], capsys)
    assert code == 0, err
    headline = json.loads(out.read_text(encoding="utf-8"))["headline"]
    score(project, tmp_path / "scores.parquet", capsys)
    row = duckdb.execute(
        "SELECT count(*) FILTER (stage <> 'disqualified') FROM read_parquet(?)",
        [str(tmp_path / "scores.parquet")],
    ).fetchone()
    assert row is not None
    assert headline["entered"] + headline["left"] == row[0] > 40_000
    code, markdown, err = run([*args, "--format", "markdown"], capsys)
    assert code == 0, err
    assert len(markdown.encode("utf-16-le")) // 2 < 65_536
    assert markdown.startswith("### Impact of HEAD")
    assert "| Leads evaluated | 50,000 |" in markdown
    assert f"| Entered | {headline['entered']:,} |" in markdown
    assert f"| Left | {headline['left']:,} |" in markdown
