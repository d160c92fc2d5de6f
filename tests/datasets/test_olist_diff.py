"""`accord diff` on the Olist marketing funnel (real MQL dates and won deals), checked
against the same rules, routes and round robin re-implemented by hand in plain DuckDB SQL
over the raw CSVs.

The project in tests/datasets/olist scores what is known when a seller signs up (origin,
landing page, how recent) and routes sales-ready leads to two SDR teams. The change makes
two smaller landing pages worth more, sends direct traffic to the search team and raises
that team's weekly capacity.
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

FUNNEL = dataset("olist_marketing_funnel")
MQLS = FUNNEL / "olist_marketing_qualified_leads_dataset.csv"
DEALS = FUNNEL / "olist_closed_deals_dataset.csv"
AS_OF = "2018-06-01T00:00:00Z"  # the day after the last sign-up; `recent_sign_up` reads it
CHANGE = [
    ("rules/scoring.yaml", '"40dec9f3d5259a3d2dbcdab2114fae47"]\n        points: 10', '"40dec9f3d5259a3d2dbcdab2114fae47"]\n        points: 15'),
    ("rules/routing.yaml", '["paid_search", "organic_search"]', '["paid_search", "organic_search", "direct_traffic"]'),
    ("rules/routing.yaml", "capacity_per_week: 45", "capacity_per_week: 60"),
]  # fmt: skip


@dataclass(frozen=True)
class Revision:
    """The numbers and lists CHANGE edits, on one side."""

    strong_landing_page: int
    search_origins: str  # an SQL list
    search_capacity: int


BASE = Revision(10, "('paid_search', 'organic_search')", 45)
HEAD = Revision(15, "('paid_search', 'organic_search', 'direct_traffic')", 60)
INBOUND_CAPACITY = 20
SEARCH_MEMBERS = ["ana", "bruno", "carla"]
INBOUND_MEMBERS = ["diego", "elisa"]

# The history file `accord diff` reads: one row per MQL, its deal joined on (missing for
# the leads that never closed), with typed columns to exercise Parquet's own types.
HISTORY = """
COPY (
    SELECT m.mql_id, CAST(m.first_contact_date AS DATE) AS first_contact_date,
           m.landing_page_id, m.origin, d.sdr_id, d.sr_id, d.business_segment, d.lead_type,
           d.lead_behaviour_profile,
           CAST(d.declared_monthly_revenue AS DOUBLE) AS declared_monthly_revenue,
           CAST(d.won_date AS TIMESTAMP) AS won_date
    FROM read_csv(?, all_varchar = true) m
    LEFT JOIN read_csv(?, all_varchar = true) d USING (mql_id)
    ORDER BY m.first_contact_date, m.mql_id
) TO '{out}' (FORMAT parquet)
"""

# Every rule's condition as a flag, from the raw CSVs. A comparison with a missing origin is
# false (docs/evaluation.md); a date's days_since counts from its midnight UTC.
LEADS_BY_HAND = """
CREATE TABLE leads AS
SELECT
    m.mql_id,
    CAST(m.first_contact_date AS DATE) AS arrived,
    m.origin,
    d.lead_type,
    d.won_date IS NOT NULL AS won,
    CASE WHEN m.origin = 'paid_search' THEN 20
         WHEN m.origin = 'organic_search' THEN 15
         WHEN m.origin IN ('direct_traffic', 'referral') THEN 10
         WHEN m.origin IN ('social', 'email', 'display') THEN -5
         ELSE 0 END AS channel,
    m.landing_page_id IN ('b76ef37428e6799c421989521c0e5077',
                          '22c29808c4f815213303f8933030604c') AS top_landing_page,
    m.landing_page_id IN ('ce1a65abd0973638f1c887a6efcfa82d',
                          '40dec9f3d5259a3d2dbcdab2114fae47') AS strong_landing_page,
    DATE '2018-06-01' - CAST(m.first_contact_date AS DATE) <= 120 AS recent_sign_up,
    coalesce(m.origin IN ('other', 'other_publicities'), FALSE) AS untracked_campaign
FROM read_csv(?, all_varchar = true) m
LEFT JOIN read_csv(?, all_varchar = true) d USING (mql_id)
"""


def decisions(side: Revision) -> str:
    """Score, stage, assignee and team member of every lead under one revision."""
    routed = f"""
    SELECT *, CASE WHEN stage = 'sales_ready' AND origin IN {side.search_origins}
                       THEN 'team:search-sdrs'
                   WHEN stage = 'sales_ready' THEN 'team:inbound-sdrs'
                   ELSE 'queue:nurture' END AS assignee
    FROM (SELECT *, CASE WHEN untracked_campaign THEN 'disqualified'
                         WHEN score >= 25 THEN 'sales_ready'
                         ELSE 'mql' END AS stage
          FROM (SELECT mql_id, arrived, origin, untracked_campaign,
                       greatest(0, channel + 15 * top_landing_page::INT
                                   + {side.strong_landing_page} * strong_landing_page::INT
                                   + 5 * recent_sign_up::INT) AS score
                FROM leads))
    """
    # Round robin: each team's leads in arrival order, then by id, take members in turn.
    return f"""
    SELECT mql_id, score, stage, assignee,
           CASE assignee
               WHEN 'team:search-sdrs' THEN {SEARCH_MEMBERS}[1 + (k % {len(SEARCH_MEMBERS)})]
               WHEN 'team:inbound-sdrs' THEN {INBOUND_MEMBERS}[1 + (k % {len(INBOUND_MEMBERS)})]
           END AS owner
    FROM (SELECT *, row_number() OVER (PARTITION BY assignee ORDER BY arrived, mql_id) - 1 AS k
          FROM ({routed}))
    """


@pytest.fixture(scope="module")
def by_hand() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection holding `sides`: each lead's flags with both revisions' decisions."""
    con = duckdb.connect()
    con.execute(LEADS_BY_HAND, [str(MQLS), str(DEALS)])
    con.execute(
        f"""
        CREATE TABLE sides AS
        SELECT l.*,
               b.score AS b_score, b.stage AS b_stage, b.stage = 'sales_ready' AS b_q,
               b.assignee AS b_assignee, b.owner AS b_owner,
               h.score AS h_score, h.stage AS h_stage, h.stage = 'sales_ready' AS h_q,
               h.assignee AS h_assignee, h.owner AS h_owner
        FROM leads l JOIN ({decisions(BASE)}) b USING (mql_id)
                     JOIN ({decisions(HEAD)}) h USING (mql_id)
        """
    )
    yield con
    con.close()


def write_history(directory: Path) -> Path:
    """The one-file history (HISTORY) in `directory`."""
    out = directory / "olist-mqls.parquet"
    duckdb.connect().execute(HISTORY.format(out=out), [str(MQLS), str(DEALS)]).close()
    return out


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return commit_then_change("olist", tmp_path_factory.mktemp("repo"), CHANGE)


@pytest.fixture
def report(
    change: Path, history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    return impact_json(change, history, AS_OF, tmp_path / "impact.json", capsys)


def test_the_project_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", str(Path(__file__).parent / "olist")], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "accord: checked 6 files, 11 fields, 7 rules, 3 routes, 0 terms, 0 SLAs, 0 tests:"
        " no problems\n"
    )


def test_every_lead_is_evaluated_and_every_value_read(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    (rows,) = one(by_hand, "SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(MQLS)])
    assert report["headline"]["leads"] == rows == 8_000  # SOURCE.md's count
    assert report["unreadable_values"] == 0


def test_qualified_entered_left_stages_and_scores(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    before, after, entered, left, changed = one(
        by_hand,
        "SELECT count(*) FILTER (b_q), count(*) FILTER (h_q),"
        " count(*) FILTER (NOT b_q AND h_q), count(*) FILTER (b_q AND NOT h_q),"
        " count(*) FILTER (abs(b_score - h_score) >= 0.005) FROM sides",
    )
    headline = report["headline"]
    assert headline["qualified_stage"] == "sales_ready"
    assert (headline["qualified"]["before"], headline["qualified"]["after"]) == (before, after)
    assert (headline["entered"], headline["left"], headline["score_changed"]) == (
        entered,
        left,
        changed,
    )
    stages = {
        stage: (b, h)
        for stage, b, h in by_hand.execute(
            "SELECT stage, count(*) FILTER (side = 'b'), count(*) FILTER (side = 'h')"
            " FROM (SELECT b_stage AS stage, 'b' AS side FROM sides"
            "       UNION ALL SELECT h_stage, 'h' FROM sides) GROUP BY stage"
        ).fetchall()
    }
    assert before_after(headline["stages"]) == stages
    assert sorted(stages) == ["disqualified", "mql", "sales_ready"]
    (strong,) = one(
        by_hand, "SELECT count(*) FILTER (NOT b_q AND h_q AND strong_landing_page) FROM sides"
    )
    mean_before, mean_after = one(by_hand, "SELECT avg(b_score), avg(h_score) FROM sides")
    assert report["score"]["before"]["mean"] == pytest.approx(mean_before, abs=1e-6)
    assert report["score"]["after"]["mean"] == pytest.approx(mean_after, abs=1e-6)
    assert report["flips"]["causes"] == [
        {"cause": "rule:strong_landing_page", "entered": strong, "left": 0}
    ]
    assert strong == entered > 0


def test_precision_and_recall_against_won_deals(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    (outcome,) = report["outcomes"]
    assert (outcome["outcome"], outcome["meaning"]) == ("won_date", "won_date is set")
    assert check_outcome(outcome, by_hand, "won") == [
        842,
        842,
    ]  # SOURCE.md: every closed deal joins an MQL


def test_breakdowns_by_origin_and_lead_type(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    breakdowns = {b["by"]: b for b in report["breakdowns"]}
    assert list(breakdowns) == ["origin", "lead_type", "grade"]

    def row(by: str, value: str) -> list[int]:
        found = next(r for r in breakdowns[by]["rows"] if r["value"] == value)
        q = found["qualified"]
        return [found["leads"], q["before"], q["after"], found["entered"], found["left"]]

    def by_hand_row(where: str) -> list[int]:
        return list(
            one(
                by_hand,
                "SELECT count(*), count(*) FILTER (b_q), count(*) FILTER (h_q),"
                " count(*) FILTER (NOT b_q AND h_q), count(*) FILTER (b_q AND NOT h_q)"
                f" FROM sides WHERE {where}",
            )
        )

    assert row("origin", "direct_traffic") == by_hand_row("origin = 'direct_traffic'")
    assert row("origin", "(missing)") == by_hand_row("origin IS NULL")
    # Known only once a deal closed: missing for every open lead, and for 6 won ones.
    assert row("lead_type", "(missing)") == by_hand_row("lead_type IS NULL")
    assert row("lead_type", "(missing)")[0] == 8_000 - 842 + 6
    # No grades are defined: every lead is in the one grade row.
    assert [r["value"] for r in breakdowns["grade"]["rows"]] == ["(missing)"]


def test_leads_per_assignee_and_moves(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    routing = report["routing"]
    assignees = {
        a: (b, h)
        for a, b, h in by_hand.execute(
            "SELECT assignee, count(*) FILTER (side = 'b'), count(*) FILTER (side = 'h')"
            " FROM (SELECT b_assignee AS assignee, 'b' AS side FROM sides"
            "       UNION ALL SELECT h_assignee, 'h' FROM sides) GROUP BY assignee"
        ).fetchall()
    }
    assert before_after(routing["assignees"]) == assignees
    moves = by_hand.execute(
        "SELECT b_assignee, h_assignee, count(*) FROM sides"
        " WHERE b_assignee <> h_assignee GROUP BY 1, 2"
    ).fetchall()
    assert sorted((m["before"], m["after"], m["leads"]) for m in routing["moves"]) == sorted(moves)
    assert routing["moved"] == sum(n for *_, n in moves) > 0


def test_weekly_load_per_team_and_member(
    report: dict[str, Any], by_hand: duckdb.DuckDBPyConnection
) -> None:
    capacities = {
        ("b", "search-sdrs"): BASE.search_capacity,
        ("h", "search-sdrs"): HEAD.search_capacity,
        ("b", "inbound-sdrs"): INBOUND_CAPACITY,
        ("h", "inbound-sdrs"): INBOUND_CAPACITY,
    }
    members = {"search-sdrs": SEARCH_MEMBERS, "inbound-sdrs": INBOUND_MEMBERS}

    def weekly(side: str, team: str, member: str | None) -> dict[str, Any]:
        # A member's capacity is an even share of the team's (none has its own).
        capacity = capacities[(side, team)]
        if member is not None:
            capacity //= len(members[team])
        owner = "TRUE" if member is None else f"{side}_owner = '{member}'"
        weeks = by_hand.execute(
            f"SELECT CAST(date_trunc('week', arrived) AS DATE) AS week, count(*) AS n FROM sides"
            f" WHERE {side}_assignee = 'team:{team}' AND {owner} GROUP BY week ORDER BY week"
        ).fetchall()
        peak = max(n for _, n in weeks)
        return {
            "weeks": len(weeks),
            "mean": pytest.approx(sum(n for _, n in weeks) / len(weeks), abs=1e-6),
            "peak": peak,
            "peak_week": next(w for w, n in weeks if n == peak).isoformat(),
            "over_capacity_weeks": sum(n > capacity for _, n in weeks),
        }

    load = {(row["team"], row["member"]): row for row in report["routing"]["load"]}
    expected_rows = [(team, None) for team in members] + [
        (team, member) for team, names in members.items() for member in names
    ]
    assert sorted(load, key=str) == sorted(expected_rows, key=str)
    for team, member in expected_rows:
        row = load[(team, member)]
        assert (row["before"], row["after"]) == (
            weekly("b", team, member),
            weekly("h", team, member),
        ), (team, member)
    # Each team's largest and smallest member share, from the same counts.
    for team, names in members.items():
        fairness = next(f for f in report["routing"]["fairness"] if f["team"] == team)
        for side, label in (("b", "before"), ("h", "after")):
            shares = [
                share
                for (share,) in by_hand.execute(
                    f"SELECT count(*) FILTER ({side}_owner = m) / count(*)"
                    f" FROM sides, unnest(?) AS names(m)"
                    f" WHERE {side}_assignee = 'team:{team}' GROUP BY m",
                    [names],
                ).fetchall()
            ]
            assert (fairness[f"{label}_max"], fairness[f"{label}_min"]) == pytest.approx(
                (max(shares), min(shares)), abs=1e-6
            )


def test_the_pull_request_comment_fits(
    change: Path,
    history: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    by_hand: duckdb.DuckDBPyConnection,
) -> None:
    comment = diff(change, history, AS_OF, "markdown", tmp_path / "impact.md", capsys)
    assert len(comment) < 65_536
    (entered,) = one(by_hand, "SELECT count(*) FILTER (NOT b_q AND h_q) FROM sides")
    assert "| Leads evaluated | 8,000 |\n" in comment
    assert f"| Entered | {entered:,} |\n" in comment
