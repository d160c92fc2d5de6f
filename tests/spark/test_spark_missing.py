"""Without PySpark, `--engine spark` is a usage error that says what to install."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_cli import run

from engine.spark import MISSING

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["score", "diff"])
def test_engine_spark_without_pyspark_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # `import pyspark.sql` fails
    leads = str(ROOT / "history" / "sample-leads.parquet")
    args = (
        ["score", str(ROOT), "--leads", leads, "--out", str(tmp_path / "s.csv")]
        if command == "score"
        else ["diff", str(ROOT), "--base", "HEAD", "--head", "HEAD", "--leads", leads]
    )
    code, out, err = run([*args, "--engine", "spark", "--as-of", "2026-01-01"], capsys)
    assert code == 2
    assert out == ""
    assert MISSING in " ".join(err.split())
    assert "pip install 'accord[spark]'" in err
    assert not (tmp_path / "s.csv").exists()
