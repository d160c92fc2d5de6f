"""`accord codeowners`: CODEOWNERS from the definitions' owners, and the committed one current."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import ROOT, example, run

from engine.github.codeowners import OwnershipRule, owners_of, render_codeowners
from engine.ir import Project


def test_the_committed_codeowners_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["codeowners", str(ROOT), "--check"], capsys)
    assert (code, out) == (0, ""), out + err


def test_co_owned_files_name_every_team(northwind: Project) -> None:
    lines = render_codeowners(northwind).splitlines()
    assert "/rules/qualification.yaml @northwind/marketing @northwind/sales" in lines
    assert "/accord.yaml @northwind/revops" in lines
    # The folders first: GitHub lets the last matching line win, so files override them.
    patterns = [line.split()[0] for line in lines if line and not line.startswith("#")]
    assert patterns[:5] == ["/.github/", "/glossary/", "/rules/", "/schemas/", "/slas/"]
    assert patterns[5:] == sorted(patterns[5:])


def test_the_last_matching_rule_wins() -> None:
    rules = [OwnershipRule("rules/", ("revops",)), OwnershipRule("rules/a.yaml", ("sales",))]
    assert owners_of("rules/a.yaml", rules) == ("sales",)
    assert owners_of("rules/new.yaml", rules) == ("revops",)
    assert owners_of("rules.yaml", rules) == ()


def test_check_shows_the_difference_and_writing_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(
        tmp_path, ("slas/handoff.yaml", "owners: [marketing, sales]", "owners: [sales]")
    )
    (project / ".github").mkdir()
    (project / ".github" / "CODEOWNERS").write_bytes((ROOT / ".github" / "CODEOWNERS").read_bytes())
    code, out, err = run(["codeowners", str(project), "--check"], capsys)
    assert code == 1
    assert "-/slas/handoff.yaml @northwind/marketing @northwind/sales" in out
    assert "+/slas/handoff.yaml @northwind/sales" in out
    assert "out of date" in err
    assert run(["codeowners", str(project)], capsys)[0] == 0
    assert run(["codeowners", str(project), "--check"], capsys)[:2] == (0, "")
    first = (project / ".github" / "CODEOWNERS").read_bytes()
    run(["codeowners", str(project)], capsys)
    assert (project / ".github" / "CODEOWNERS").read_bytes() == first


def test_a_missing_codeowners_is_out_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["codeowners", str(example(tmp_path)), "--check"], capsys)
    assert code == 1
    assert "+/rules/scoring.yaml @northwind/marketing @northwind/sales" in out
