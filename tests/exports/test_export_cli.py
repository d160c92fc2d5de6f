"""`accord export` on every target: same bytes twice, the report, exit codes, safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import ROOT, example, run

from engine.export.report import REPORT_FILE
from engine.export.targets import SQL_DIALECTS, TARGETS


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_two_exports_are_byte_identical(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        code, _, stderr = run(["export", str(ROOT), "--target", target, "--out", str(out)], capsys)
        assert code == 0, stderr
        assert f"accord: wrote {len(_files(out)) - 1} files to {out}" in stderr
        outputs.append(_files(out))
    assert outputs[0] == outputs[1]
    assert REPORT_FILE in outputs[0]
    assert outputs[0][".accord-export"].startswith(b"Written by `accord export`")
    assert not any(b"\r" in text or not text.endswith(b"\n") for text in outputs[0].values())
    assert not any(str(ROOT).encode() in text for text in outputs[0].values())


def test_a_directory_accord_did_not_write_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n", encoding="utf-8")
    code, _, stderr = run(["export", str(ROOT), "--target", "dbt", "--out", str(out)], capsys)
    assert code == 1
    assert f"{out} exists and is not an export written by `accord export`" in stderr
    assert _files(out) == {"notes.txt": b"keep me\n"}


def test_an_earlier_export_is_replaced_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export"
    assert run(["export", str(ROOT), "--target", "dbt", "--out", str(out)], capsys)[0] == 0
    (out / "models" / "stale.sql").write_text("select 1\n", encoding="utf-8")
    assert run(["export", str(ROOT), "--target", "dbt", "--out", str(out)], capsys)[0] == 0
    assert not (out / "models" / "stale.sql").exists()


def test_dialect_is_for_the_sql_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(
        ["export", str(ROOT), "--target", "hubspot", "--dialect", "spark", "--out", str(tmp_path)],
        capsys,
    )
    assert code == 2
    assert "--dialect applies to --target sql and --target dbt only" in stderr
    assert SQL_DIALECTS == ("bigquery", "duckdb", "postgres", "snowflake", "spark")


def test_an_unknown_target_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run(["export", str(ROOT), "--target", "pipedrive", "--out", "x"], capsys)
    assert code == 2
    assert "Invalid value for '--target': 'pipedrive'" in stderr


def test_a_broken_project_exports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = "        when: enterprise\n        points: 15"
    project = example(tmp_path, ("rules/scoring.yaml", rule, rule.replace("15", "fifteen")))
    out = tmp_path / "out"
    code, _, stderr = run(["export", str(project), "--target", "dbt", "--out", str(out)], capsys)
    assert code == 1
    assert "rules/scoring.yaml:" in stderr
    assert not out.exists()


def test_what_a_target_cannot_express_is_a_warning_at_its_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hubspot"
    code, _, stderr = run(["export", str(ROOT), "--target", "hubspot", "--out", str(out)], capsys)
    assert code == 0
    assert (
        "rules/scoring.yaml:94:9: warning[X101] HubSpot lead scoring cannot express `matches`"
        in stderr
    )
    assert "accord: hubspot: 34 of 42 definitions carried in full, 8 not (9 warnings)" in stderr
    report = (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "| X101 | warning | rules/scoring.yaml:94:9 |" in report


def test_strict_makes_them_errors_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hubspot"
    command = ["export", str(ROOT), "--target", "hubspot", "--out", str(out), "--strict"]
    code, _, stderr = run(command, capsys)
    assert code == 1
    assert "rules/scoring.yaml:94:9: error[X101]" in stderr
    assert f"accord: --strict: nothing written to {out}" in stderr
    assert not out.exists()
