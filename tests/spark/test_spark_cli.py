"""`accord score` and `accord diff` with `--engine spark` give what `--engine duckdb` gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from git_repo import git
from spark_fixture import spark_fixture  # noqa: F401  (the `spark` fixture, one per run)
from test_cli import example, run

SAMPLE = Path(__file__).resolve().parents[2] / "history" / "sample-leads.parquet"
AS_OF = "2026-12-01T00:00:00Z"
NUMERIC = ("score", "fit", "engagement")
TOLERANCE = 1e-9  # see test_spark_parity: Java's pow may differ from C's in the last bit


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A deterministic slice of the sample: the first 2,000 leads by id."""
    path = tmp_path / "history.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{SAMPLE}') WHERE lead_id IN (SELECT lead_id"
            f" FROM read_parquet('{SAMPLE}') ORDER BY lead_id LIMIT 2000))"
            f" TO '{path}' (FORMAT PARQUET)"
        )
    return path


def test_score_on_spark_writes_what_duckdb_writes(
    spark: Any, tmp_path: Path, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.parquet"
        code, _, err = run(
            [
                "score",
                "--leads",
                str(history),
                "--out",
                str(out),
                "--as-of",
                AS_OF,
                "--engine",
                engine,
            ],
            capsys,
        )
        assert code == 0, err
        outputs[engine] = out
    assert "on Spark" in err
    with duckdb.connect() as con:
        d, s = (f"read_parquet('{outputs[e]}')" for e in ("duckdb", "spark"))
        columns = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM {d}").fetchall()]
        assert columns == [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM {s}").fetchall()]
        exact = [c for c in columns if c not in NUMERIC]
        rows = con.execute(
            f"SELECT count(*) FROM (SELECT {', '.join(exact)} FROM {d}"
            f" EXCEPT ALL SELECT {', '.join(exact)} FROM {s})"
        ).fetchone()
        assert rows == (0,)
        worst = con.execute(
            f"SELECT max(greatest({', '.join(f'abs(d.{c} - s.{c})' for c in NUMERIC)}))"
            f" FROM {d} d POSITIONAL JOIN {s} s"
        ).fetchone()
        assert worst is not None
        assert worst[0] < TOLERANCE
        assert con.execute(f"SELECT count(*) FROM {s}").fetchone() == (2000,)


def test_diff_on_spark_reports_what_duckdb_reports(
    spark: Any, tmp_path: Path, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(tmp_path)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    scoring = project / "rules" / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    assert text.count("points: 25") >= 1
    scoring.write_text(text.replace("points: 25", "points: 35", 1), encoding="utf-8")
    reports = {}
    for engine in ("duckdb", "spark"):
        code, out, err = run(
            [
                "diff",
                str(project),
                "--base",
                "HEAD",
                "--leads",
                str(history),
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--engine",
                engine,
            ],
            capsys,
        )
        assert code == 0, err
        reports[engine] = json.loads(out)
    assert reports["spark"] == reports["duckdb"]
    assert reports["duckdb"]["headline"]  # the change moves leads: something is compared


def test_score_sql_prints_the_spark_query(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[2]
    code, out, _ = run(["score", str(root), "--sql", "--engine", "spark", "--as-of", AS_OF], capsys)
    assert code == 0
    assert "RLIKE '(?d)" in out
    assert "ELEMENT_AT(" in out
