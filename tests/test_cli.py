"""The command line: exit codes, output formats, and no tracebacks for users."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import cli
from engine.commands import definitions

ROOT = Path(__file__).resolve().parents[1]
TYPO = ("rules/scoring.yaml", "when: employees < 50", "when: employes < 50")


# The columns `accord score` writes for the example organisation, in order.
SCORE_COLUMNS = [
    "lead_id",
    "score",
    "fit",
    "engagement",
    "grade",
    "stage",
    "disqualified_by",
    "route",
    "assignee",
    "owner",
]


def write_files(root: Path, files: dict[str, bytes]) -> Path:
    """A project (or any tree) of the given files under `root`, which it returns."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def example(tmp_path: Path, edit: tuple[str, str, str] | None = None) -> Path:
    """A copy of the example organisation, optionally with one line changed."""
    project = tmp_path / "org"
    project.mkdir()
    shutil.copy(ROOT / "accord.yaml", project)
    for directory in ("rules", "glossary", "slas"):
        shutil.copytree(ROOT / directory, project / directory)
    if edit:
        path, old, new = edit
        text = (project / path).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (project / path).write_text(text.replace(old, new), encoding="utf-8")
    return project


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    out, err = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    return code, out, err


def typo_line(project: Path) -> int:
    lines = (project / TYPO[0]).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if TYPO[2] in line)


def test_the_example_organisation_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", str(ROOT)], capsys)
    assert code == 0
    assert (
        out
        == "accord: checked 12 files, 37 fields, 35 rules, 15 routes, 28 terms, 5 SLAs, 18 tests: no problems\n"
    )
    assert err == ""


def test_text_report_names_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(tmp_path, TYPO)
    code, out, _ = run(["validate", str(project)], capsys)
    line = typo_line(project)
    assert code == 1
    assert out.splitlines()[:5] == [
        f"rules/scoring.yaml:{line}:15: error[E103] unknown name `employes`",
        "   |",
        f"{line} |         when: employes < 50",
        "   |               ^^^^^^^^",
        "   = help: did you mean `employees`?",
    ]
    assert out.endswith(": 1 error\n")
    assert "Traceback" not in out


def test_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example(tmp_path, TYPO)
    code, out, _ = run(["validate", str(project), "--format", "github"], capsys)
    line = typo_line(project)
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file=rules/scoring.yaml,line={line},col=15,endLine={line},endColumn=23,"
        "title=E103 unknown-name::unknown name `employes`%0Ahelp: did you mean `employees`?"
    )


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example(tmp_path, TYPO)
    code, out, _ = run(["validate", str(project), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 1
    assert report["summary"]["errors"] == 1
    assert report["summary"]["warnings"] == 0
    (problem,) = report["diagnostics"]
    assert (problem["code"], problem["file"], problem["line"], problem["column"]) == (
        "E103",
        "rules/scoring.yaml",
        typo_line(project),
        15,
    )


def test_sarif_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example(tmp_path, TYPO)
    code, out, _ = run(["validate", str(project), "--format", "sarif"], capsys)
    sarif = json.loads(out)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "E103"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "rules/scoring.yaml"
    assert location["region"]["startLine"] == typo_line(project)


def test_output_file_gets_the_report_and_the_terminal_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "out" / "report.json"
    code, out, err = run(
        ["validate", str(ROOT), "--format", "json", "--output", str(report)], capsys
    )
    assert code == 0
    assert out == ""
    assert err.startswith("accord: checked 12 files")
    assert json.loads(report.read_text(encoding="utf-8"))["diagnostics"] == []
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]


def test_warnings_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example(tmp_path, ("rules/scoring.yaml", "points: 25\n", "points: 55\n"))
    code, out, _ = run(["validate", str(project)], capsys)
    assert code == 0
    assert (
        "warning[L105] rule `demo_request` is worth 55 points but group `engagement` is capped at 50"
        in out
    )
    assert out.endswith(": 1 warning\n")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "xml", "."],
        ["validate", "--bogus"],
        ["frobnicate"],
        ["validate", "a", "b"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert "Usage:" in err or "Error:" in err


def test_a_directory_that_is_not_a_project_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["validate", str(tmp_path)], capsys)
    assert code == 2
    assert out == ""
    assert "has no accord.yaml: run accord in a project's root, or pass the root's path" in err


def test_internal_error_exits_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(files: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(definitions, "compile_project", broken)
    code, out, err = run(["validate", str(ROOT)], capsys)
    assert code == 3
    assert "accord: internal error: RuntimeError: boom" in err
    assert "Please report it" in err
    assert "Traceback" not in err + out
    code, _, err = run(["--debug", "validate", str(ROOT)], capsys)
    assert code == 3
    assert "Traceback (most recent call last)" in err


@pytest.mark.parametrize(
    "command", [[sys.executable, "cli.py"], [str(Path(sys.executable).parent / "accord")]]
)
def test_runs_as_a_script_and_as_the_installed_command(command: list[str], tmp_path: Path) -> None:
    if not Path(command[0]).exists():
        pytest.skip("the accord console script is not installed next to this Python")
    broken = example(tmp_path, TYPO)
    done = subprocess.run(
        [*command, "validate", str(broken)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "error[E103] unknown name `employes`" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    version = subprocess.run(
        [*command, "--version"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert version.returncode == 0
    assert version.stdout.startswith("accord, version ")


def test_every_lazily_loaded_command_has_the_name_it_is_listed_under() -> None:
    context = click.Context(cli.accord)
    for name in cli.COMMANDS:
        command = cli.accord.get_command(context, name)
        assert command is not None
        assert command.name == name
    assert cli.accord.get_command(context, "no-such-command") is None
