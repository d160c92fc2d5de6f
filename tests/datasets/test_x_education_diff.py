"""`accord diff` on the X Education leads (real conversions), checked against the same
rules re-implemented by hand in plain DuckDB SQL over the raw CSV.

The project in tests/datasets/x_education scores fit (occupation, origin, source, city) and
engagement (time on site, visits, last activity, e-mail opt-out); the change makes a long
visit worth more, an opt-out cost more and lowers the MQL threshold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from real_datasets import (
    before_after,
    check_outcome,
    commit_then_change,
    dataset,
    diff,
    impact_json,
    one,
)
from test_cli import run

LEADS = dataset("x_education_leads") / "Leads.csv"
AS_OF = "2026-03-02T10:00:00Z"  # nothing in these rules reads the clock; fixed all the same
CHANGE = [
    ("rules/scoring.yaml", "time_on_site >= 900\n        points: 20", "time_on_site >= 900\n        points: 30"),
    ("rules/scoring.yaml", "points: -15", "points: -25"),
    ("rules/qualification.yaml", "- id: mql\n    when: score >= 40", "- id: mql\n    when: score >= 35"),
]  # fmt: skip


@dataclass(frozen=True)
class Revision:
    """The numbers CHANGE edits, on one side."""

    long_visit: int
    opted_out: int
    mql_threshold: int


BASE = Revision(long_visit=20, opted_out=-15, mql_threshold=40)
HEAD = Revision(long_visit=30, opted_out=-25, mql_threshold=35)

# One row per line of Leads.csv: the fit group's score, and each other condition as a flag.
# `Select` is the form's unanswered dropdown: the lead model's null_values make it missing,
# and a comparison with a missing value is false (docs/evaluation.md): NULL in SQL, hence
# the ELSE and the coalesce.
LEADS_BY_HAND = """
CREATE TABLE leads AS
SELECT
    "Prospect ID" AS lead_id,
    "Lead Origin" AS lead_origin,
    nullif("City", 'Select') AS city,
    "Converted" = '1' AS converted,
    -- The fit group, which the change leaves alone and the grades read.
    CASE WHEN nullif("What is your current occupation", 'Select') = 'Working Professional'
         THEN 25 ELSE 0 END
    + CASE WHEN "Lead Origin" = 'Lead Add Form' THEN 30 ELSE 0 END
    + CASE WHEN "Lead Source" IN ('Reference', 'Welingak Website') THEN 10 ELSE 0 END
    + CASE WHEN nullif("City", 'Select') IN ('Mumbai', 'Thane & Outskirts') THEN 5 ELSE 0 END
        AS fit,
    coalesce(CAST("Total Time Spent on Website" AS BIGINT) >= 900, FALSE) AS long_visit,
    coalesce(CAST("TotalVisits" AS BIGINT) >= 5, FALSE) AS frequent_visitor,
    coalesce("Last Activity" = 'SMS Sent', FALSE) AS sms_sent,
    coalesce("Do Not Email" = 'Yes', FALSE) AS opted_out,
    coalesce("Last Activity" IN ('Email Bounced', 'Unreachable'), FALSE) AS unreachable,
    coalesce("Lead Quality" IN ('High in Relevance', 'Might be'), FALSE) AS relevant
FROM read_csv(?, header = true, all_varchar = true)
"""


def decisions(side: Revision) -> str:
    """Score and stage of every lead under one revision, as SQL over `leads`."""
    return f"""
    SELECT lead_id, score,
           CASE WHEN unreachable THEN 'disqualified'
                WHEN score >= 40 AND relevant THEN 'sal'
                WHEN score >= {side.mql_threshold} THEN 'mql'
                ELSE 'lead' END AS stage
    FROM (SELECT lead_id, unreachable, relevant,
                 fit + {side.long_visit} * long_visit::INT + 5 * frequent_visitor::INT
                 + 20 * sms_sent::INT + ({side.opted_out}) * opted_out::INT AS score
          FROM leads)
    """


@pytest.fixture(scope="module")
def by_hand() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection holding `sides`: each lead's flags with both revisions' decisions."""
    con = duckdb.connect()
    con.execute(LEADS_BY_HAND, [str(LEADS)])
    con.execute(
        f"""
        CREATE TABLE sides AS
        SELECT l.*,
               b.score AS b_score, b.stage AS b_stage, b.stage IN ('mql', 'sal') AS b_q,
               h.score AS h_score, h.stage AS h_stage, h.stage IN ('mql', 'sal') AS h_q
        FROM leads l JOIN ({decisions(BASE)}) b USING (lead_id)
                     JOIN ({decisions(HEAD)}) h USING (lead_id)
        """
    )
    yield con
    con.close()


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return commit_then_change("x_education", tmp_path_factory.mktemp("repo"), CHANGE)


@pytest.fixture
def report(change: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return impact_json(change, LEADS, AS_OF, tmp_path / "impact.json", capsys)


def test_the_project_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", str(Path(__file__).parent / "x_education")], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "accord: checked 4 files, 16 fields, 8 rules, 0 routes, 0 terms, 0 SLAs, 0 tests:"
        " no problems\n"
    )


def test_every_lead_is_evaluated_and_every_value_read(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    (rows,) = one(by_hand, "SELECT count(*) FROM leads")
    assert report["headline"]["leads"] == rows == 9_240  # SOURCE.md's count
    assert report["unreadable_values"] == 0
    assert report["fields"] == {"added": [], "removed": []}


def test_qualified_entered_left_and_stages(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    before, after, entered, left, changed = one(
        by_hand,
        "SELECT count(*) FILTER (b_q), count(*) FILTER (h_q),"
        " count(*) FILTER (NOT b_q AND h_q), count(*) FILTER (b_q AND NOT h_q),"
        " count(*) FILTER (abs(b_score - h_score) >= 0.005) FROM sides",
    )
    headline = report["headline"]
    assert headline["qualified_stage"] == "mql"
    assert (headline["qualified"]["before"], headline["qualified"]["after"]) == (before, after)
    assert (headline["entered"], headline["left"]) == (entered, left)
    # A lead with a long visit and an opt-out gains 10 and loses 10: its score stays.
    assert headline["score_changed"] == changed
    stages = {
        stage: (b, h)
        for stage, b, h in by_hand.execute(
            "SELECT stage, count(*) FILTER (side = 'b'), count(*) FILTER (side = 'h')"
            " FROM (SELECT b_stage AS stage, 'b' AS side FROM sides"
            "       UNION ALL SELECT h_stage, 'h' FROM sides) GROUP BY stage"
        ).fetchall()
    }
    assert before_after(headline["stages"]) == stages
    assert sorted(stages) == ["disqualified", "lead", "mql", "sal"]
    assert entered > 0
    assert left > 0  # an opt-out now costs 25: a lead can leave


def test_precision_and_recall_against_real_conversions(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    (outcome,) = report["outcomes"]
    assert (outcome["outcome"], outcome["meaning"]) == ("converted", "converted is true")
    assert check_outcome(outcome, by_hand, "converted") == [
        3_561,
        3_561,
    ]  # SOURCE.md: 3,561 of 9,240 converted


def test_breakdowns_by_city_origin_and_grade(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    breakdowns = {b["by"]: b for b in report["breakdowns"]}
    assert list(breakdowns) == ["lead_origin", "city", "grade"]

    def row(by: str, value: str) -> dict[str, Any]:
        found = next(r for r in breakdowns[by]["rows"] if r["value"] == value)
        return {
            "leads": found["leads"],
            "before": found["qualified"]["before"],
            "after": found["qualified"]["after"],
            "entered": found["entered"],
            "left": found["left"],
        }

    def by_hand_row(where: str) -> dict[str, Any]:
        counts = one(
            by_hand,
            "SELECT count(*), count(*) FILTER (b_q), count(*) FILTER (h_q),"
            " count(*) FILTER (NOT b_q AND h_q), count(*) FILTER (b_q AND NOT h_q)"
            f" FROM sides WHERE {where}",
        )
        return dict(zip(("leads", "before", "after", "entered", "left"), counts, strict=True))

    # `Select` and an empty cell are both missing: one row.
    assert row("city", "(missing)") == by_hand_row("city IS NULL")
    assert row("city", "(missing)")["leads"] == 3_669
    assert row("city", "Mumbai") == by_hand_row("city = 'Mumbai'")
    assert row("lead_origin", "Lead Add Form") == by_hand_row("lead_origin = 'Lead Add Form'")
    # The fit group is untouched by the change, so the grade is the same on both sides.
    assert row("grade", "A") == by_hand_row("fit >= 30")
    assert row("grade", "B") == by_hand_row("fit >= 10 AND fit < 30")
    assert before_after(report["score"]["grades"]) == {
        grade: (n, n)
        for grade, n in by_hand.execute(
            "SELECT CASE WHEN fit >= 30 THEN 'A' WHEN fit >= 10 THEN 'B' ELSE 'C' END, count(*)"
            " FROM sides GROUP BY 1"
        ).fetchall()
    }


def test_why_leads_flipped_and_the_mean_score(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    # Both changed rules have the same condition on both sides, so each is a cause exactly
    # for the flipped leads it fires on; a flip that neither explains is the threshold's.
    causes = {}
    for cause, flag in (
        ("rule:long_visit", "long_visit"),
        ("rule:opted_out", "opted_out"),
        ("stages", "NOT long_visit AND NOT opted_out"),
    ):
        entered, left = one(
            by_hand,
            f"SELECT count(*) FILTER (NOT b_q AND h_q AND {flag}),"
            f" count(*) FILTER (b_q AND NOT h_q AND {flag}) FROM sides",
        )
        causes[cause] = {"entered": entered, "left": left}
    assert {c["cause"]: {"entered": c["entered"], "left": c["left"]} for c in report["flips"]["causes"]} == {
        cause: n for cause, n in causes.items() if n != {"entered": 0, "left": 0}
    }  # fmt: skip
    mean_before, mean_after = one(by_hand, "SELECT avg(b_score), avg(h_score) FROM sides")
    assert report["score"]["before"]["mean"] == pytest.approx(mean_before, abs=1e-6)
    assert report["score"]["after"]["mean"] == pytest.approx(mean_after, abs=1e-6)


def test_the_pull_request_comment_fits(
    change: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    by_hand: duckdb.DuckDBPyConnection,
) -> None:
    comment = diff(change, LEADS, AS_OF, "markdown", tmp_path / "impact.md", capsys)
    assert len(comment) < 65_536
    entered, left = one(
        by_hand,
        "SELECT count(*) FILTER (NOT b_q AND h_q), count(*) FILTER (b_q AND NOT h_q) FROM sides",
    )
    assert "| Leads evaluated | 9,240 |\n" in comment
    assert f"| Entered | {entered:,} |\n" in comment
    assert f"| Left | {left:,} |\n" in comment
