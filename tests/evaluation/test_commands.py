"""`accord test`, `accord explain` and `accord score` through the command line."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import duckdb
import pytest
from test_cli import ROOT, SCORE_COLUMNS, example, run

AS_OF = "2026-03-02T10:00:00Z"
DANA = [
    "email=dana.whitfield@acmeanalytics.com",
    "job_title=Director of Data Engineering",
    "seniority=Director",
    "company=Acme Analytics",
    "website=https://www.acmeanalytics.com",
    "employees=2500",
    "annual_revenue=750000000",
    "industry=Technology",
    "country=US",
    "region=AMER",
    "data_warehouse=Snowflake",
    "lead_source=Website",
    "pricing_page_visits=4",
    "demo_requested=true",
    "last_activity_at=2026-03-02T10:00:00Z",
]


def test_rule_tests_of_the_example_pass_in_both_evaluators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "junit.xml"
    code, out, err = run(["test", str(ROOT), "--junit", str(junit)], capsys)
    assert (code, err) == (0, "")
    # 18 rule tests, and 20 examples on the glossary terms (7 in lifecycle, 13 in segments).
    assert (
        out
        == "accord: 38 tests in 5 files, each run by the interpreter and by DuckDB: all passed\n"
    )
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures")) == ("38", "0")
    assert [(s.get("name"), s.get("tests")) for s in root] == [
        ("glossary/lifecycle.yaml", "7"),
        ("glossary/segments.yaml", "13"),
        ("rules/qualification.tests.yaml", "7"),
        ("rules/routing.tests.yaml", "7"),
        ("rules/scoring.tests.yaml", "4"),
    ]
    lifecycle = root[0]
    assert [c.get("name") for c in lifecycle] == [
        "term:mql[1]",
        "term:mql[2]",
        "term:competitor[1]",
        "term:competitor[2]",
        "term:hand_raiser[1]",
        "term:hand_raiser[2]",
        "term:hand_raiser[3]",
    ]


def test_a_wrong_expectation_fails_with_expected_and_actual(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(
        tmp_path,
        (
            "rules/routing.tests.yaml",
            "      score: 100\n      grade: A\n",
            "      score: 90\n      grade: A\n",
        ),
    )
    junit = tmp_path / "junit.xml"
    code, out, _ = run(["test", str(project), "--junit", str(junit)], capsys)
    lines = (project / "rules/routing.tests.yaml").read_text().splitlines()
    test_line = next(i for i, line in enumerate(lines, 1) if "id: amer_enterprise_mql_goes" in line)
    score_line = next(i for i, line in enumerate(lines, 1) if line == "      score: 90")
    assert code == 1
    assert out == (
        f"FAIL rules/routing.tests.yaml:{test_line}: amer_enterprise_mql_goes_to_amer_enterprise\n"
        f"  rules/routing.tests.yaml:{score_line}:14: score (both evaluators)\n"
        "    expected: 90\n"
        "    actual:   100\n"
        "\n"
        "accord: 38 tests in 5 files, each run by the interpreter and by DuckDB: 1 failed\n"
    )
    failure = ET.parse(junit).getroot().find(".//failure")
    assert failure is not None
    assert failure.get("message") == "score: expected 90, got 100"


def test_a_wrong_term_example_fails_naming_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 999 employees is not enterprise; the example now claims it is.
    project = example(
        tmp_path,
        (
            "glossary/segments.yaml",
            "      - lead: {employees: 999}\n        is: false\n",
            "      - lead: {employees: 999}\n        is: true\n",
        ),
    )
    junit = tmp_path / "junit.xml"
    code, out, err = run(["test", str(project), "--junit", str(junit)], capsys)
    lines = (project / "glossary/segments.yaml").read_text().splitlines()
    example_line = lines.index("      - lead: {employees: 999}") + 1
    assert (code, err) == (1, "")
    assert out == (
        f"FAIL glossary/segments.yaml:{example_line}: term:enterprise[2]\n"
        f"  glossary/segments.yaml:{example_line + 1}:13: term enterprise (both evaluators)\n"
        "    expected: true\n"
        "    actual:   false\n"
        "\n"
        "accord: 38 tests in 5 files, each run by the interpreter and by DuckDB: 1 failed\n"
    )
    case = ET.parse(junit).getroot().find(".//testcase[failure]")
    assert case is not None
    assert (case.get("classname"), case.get("name"), case.get("line")) == (
        "glossary.segments",
        "term:enterprise[2]",
        str(example_line),
    )
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "term enterprise: expected true, got false"


def test_explain_key_value_lead_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["explain", "-C", str(ROOT), "--as-of", AS_OF, "--format", "json", *DANA], capsys
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert {"score", "groups", "grade", "stage", "route", "assignee", "rules_fired"} <= set(report)
    assert report["score"] == 100
    assert {g: v["score"] for g, v in report["groups"].items()} == {"fit": 60, "engagement": 45}
    assert report["groups"]["fit"]["points"] == 67
    assert (report["grade"], report["stage"], report["route"], report["assignee"]) == (
        "A",
        "mql",
        "amer_enterprise",
        "team:amer-enterprise",
    )
    assert [t["id"] for t in report["routes_tried"] if not t["matched"]] == [
        "disqualified_leads",
        "named_accounts",
        "existing_customers",
        "partner_referrals",
        "amer_public_sector",
        "regulated_industries",
    ]
    first = report["rules_fired"][0]
    assert first["file"] == "rules/scoring.yaml"
    assert isinstance(first["line"], int)


def test_explain_text_names_rules_with_their_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["explain", "-C", str(ROOT), "--as-of", AS_OF, *DANA], capsys)
    assert code == 0
    lines = (ROOT / "rules/scoring.yaml").read_text().splitlines()

    def line(rule: str) -> int:
        return next(i for i, text in enumerate(lines, 1) if f"id: {rule}" in text)

    assert (
        "  engagement: 45\n"
        f"     +25  demo_request         rules/scoring.yaml:{line('demo_request')}\n"
        f"     +15  pricing_page_repeat  rules/scoring.yaml:{line('pricing_page_repeat')}\n"
        f"      +5  active_this_week     rules/scoring.yaml:{line('active_this_week')}\n"
        "    = 45 points * 1.0000 (half-life 30 days, last_activity_at 0 days old) = 45, cap -20..50\n"
    ) in out
    assert "score 100   (fit 60 + engagement 45 = 105, cap 0..100 → 100)" in out
    assert "route  amer_enterprise" in out
    assert "assignee  team:amer-enterprise" in out


def test_explain_rejects_an_unreadable_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["explain", "-C", str(ROOT), "--as-of", AS_OF, "employees=lots", "emploees=4"], capsys
    )
    assert (code, out) == (1, "")
    assert err == (
        'accord: error: `employees` is integer, and "lots" cannot be read as an integer\n'
        "  help: write digits with an optional sign, e.g. `1200`\n"
        "accord: error: the lead model has no field `emploees`\n"
        "  help: did you mean `employees`?\n"
    )


def test_score_writes_one_row_per_lead_with_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "lead_id,email,employees,region,country,industry,demo_requested,last_activity_at\n"
        "L1,dana@acmeanalytics.com,2500,AMER,US,Technology,true,2026-03-02T10:00:00Z\n"
        'L2,=HYPERLINK("x"),12,EMEA,DE,Retail,false,\n'
        "L3,bob@fivetran.com,lots,AMER,US,Technology,yes,2026-03-01\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    code, _, err = run(
        ["score", str(ROOT), "--leads", str(leads), "--out", str(out), "--as-of", AS_OF], capsys
    )
    assert code == 0
    assert "employees: 1 value could not be read as integer" in err
    rows = duckdb.connect().execute(f"SELECT * FROM read_csv('{out}', all_varchar=true)").fetchall()
    header = (
        duckdb.connect()
        .execute(f"SELECT * FROM read_csv('{out}', all_varchar=true) LIMIT 0")
        .description
    )
    assert [c[0] for c in header] == SCORE_COLUMNS
    assert [r[0] for r in rows] == ["L1", "L2", "L3"]
    assert rows[2][5:7] == ("disqualified", "competitor")


def test_score_sql_comments_name_rules_and_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["score", str(ROOT), "--sql", "--as-of", AS_OF], capsys)
    assert code == 0
    lines = (ROOT / "rules/scoring.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "id: demo_request" in text)
    assert f"-- rules/scoring.yaml:{line} engagement.demo_request (+" in out
    # What is printed is the query itself: it runs on a table of leads.
    from engine.project import compile_project, read_files
    from engine.sql.run import create_lead_table

    project = compile_project(read_files(ROOT)).project
    assert project is not None
    assert project.lead_model is not None
    connection = duckdb.connect()
    create_lead_table(connection, project.lead_model, [{"lead_id": "L1", "employees": 5}])
    assert len(connection.execute(out).fetchall()) == 1


def test_score_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("lead_id\nL1\n", encoding="utf-8")
    out = str(tmp_path / "scores.csv")
    code, _, err = run(
        ["score", str(ROOT), "--leads", str(leads), "--out", out, "--memory-limit", "lots"], capsys
    )
    assert code == 2
    assert "'lots' is not a memory size; write e.g. 1GB or 512MB" in err
    code, _, err = run(["score", str(ROOT), "--leads", str(leads)], capsys)
    assert code == 2
    assert "give --leads FILE and --out FILE (or --sql to see the query)" in err
    code, _, err = run(
        ["score", str(ROOT), "--leads", str(leads), "--out", str(tmp_path / "x.xlsx")], capsys
    )
    assert code == 1
    assert "name the file .csv or .parquet" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_explain_reads_json_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    lead = {"lead_id": "J1", "employees": 2500, "region": "AMER", "demo_requested": True}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(lead)))
    code, out, err = run(
        ["explain", "-C", str(ROOT), "--as-of", AS_OF, "--json", "-", "--format", "json"], capsys
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["lead"] == "J1"
    assert [r["id"] for r in report["rules_fired"]] == ["enterprise_size", "demo_request"]


def test_explain_a_lead_of_the_sample_matches_its_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = ROOT / "history" / "sample-leads.parquet"
    scores = tmp_path / "scores.parquet"
    code, _, _ = run(
        ["score", str(ROOT), "--leads", str(sample), "--out", str(scores), "--as-of", AS_OF], capsys
    )
    assert code == 0
    row = (
        duckdb.connect()
        .execute(
            f"SELECT lead_id, score, stage, route FROM '{scores}' WHERE stage = 'sql' ORDER BY lead_id LIMIT 1"
        )
        .fetchone()
    )
    assert row is not None
    lead_id, score, stage, route = row
    code, out, err = run(
        [
            "explain",
            "-C",
            str(ROOT),
            "--as-of",
            AS_OF,
            "--leads",
            str(sample),
            "--id",
            lead_id,
            "--format",
            "json",
        ],
        capsys,
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["lead"], report["score"], report["stage"], report["route"]) == (
        lead_id,
        score,
        stage,
        route,
    )
    code, _, err = run(
        ["explain", "-C", str(ROOT), "--leads", str(sample), "--id", "00Qnope"], capsys
    )
    assert code == 1
    assert "no lead has lead_id = '00Qnope'" in err
