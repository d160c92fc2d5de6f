"""The impact report for a terminal, checked against output written out by hand."""

from __future__ import annotations

import dataclasses

from impact_fixture import bare, impact

from engine.render.impact_text import render_text


def test_report_with_only_headline_and_score_omits_every_other_section() -> None:
    report = bare()
    score = dataclasses.replace(
        report.score,
        bins=report.score.bins[:2],
        grades=report.score.grades[:1],
        transitions=report.score.transitions[:2],
    )
    assert render_text(dataclasses.replace(report, score=score)) == (
        "Impact of main (0123456789ab) → working tree\n"
        "12,000 leads from history/leads.csv, as of 2024-07-01T09:30:00Z\n"
        "\n"
        "Leads evaluated           12,000\n"
        "Qualified (sql or later)  1,200 → 1,350 (+150, +12.5%)\n"
        "Entered                   200\n"
        "Left                      50\n"
        "Score changed             3,400\n"
        "\n"
        "Stages\n"
        "======\n"
        "\n"
        "Stage         Before  After         Change\n"
        "-----         ------  -----         ------\n"
        "new            7,800  7,700   -100 (-1.3%)\n"
        "mql            2,400  2,300   -100 (-4.2%)\n"
        "sql              900  1,020  +120 (+13.3%)\n"
        "opportunity      300    330   +30 (+10.0%)\n"
        "disqualified     600    650    +50 (+8.3%)\n"
        "\n"
        "Score shift\n"
        "===========\n"
        "\n"
        "Histogram\n"
        "Score  Before  After        Change\n"
        "-----  ------  -----        ------\n"
        "0–20    4,000  3,800  -200 (-5.0%)\n"
        "20–40   3,500  3,400  -100 (-2.9%)\n"
        "\n"
        "Distribution\n"
        "Measure  Before  After  Change\n"
        "-------  ------  -----  ------\n"
        "mean       34.5  36.25   +1.75\n"
        "p10           5      5       0\n"
        "p25          15     16      +1\n"
        "p50       31.25     33   +1.75\n"
        "p75          52     55      +3\n"
        "p90        70.5     74    +3.5\n"
        "\n"
        "Grades\n"
        "Grade  Before  After         Change\n"
        "-----  ------  -----         ------\n"
        "A         500    650  +150 (+30.0%)\n"
        "\n"
        "Grade transitions\n"
        "Before \\ after    A   B\n"
        "--------------    -   -\n"
        "A               480  20\n"
        "Rows: grade before; columns: grade after.\n"
    )


def test_headline_names_unreadable_values_and_each_outcomes_precision() -> None:
    lines = render_text(impact()).splitlines()
    assert lines[:12] == [
        "Impact of main (0123456789ab) → working tree",
        "12,000 leads from history/leads.csv, as of 2024-07-01T09:30:00Z",
        "3 values in the leads file could not be read and count as missing",
        "",
        "Leads evaluated           12,000",
        "Qualified (sql or later)  1,200 → 1,350 (+150, +12.5%)",
        "Entered                   200",
        "Left                      50",
        "Score changed             3,400",
        "Precision (converted)     20.0% → 22.0% (+2.0 pp)",
        "Precision (won)           – → 10.0% (–)",
        "",
    ]


def test_sections_in_order() -> None:
    text = render_text(impact())
    titles = [
        "Stages",
        "Breakdowns",
        "Score shift",
        "Outcomes",
        "Why leads flipped",
        "Routing",
        "Definitions changed",
        "Lead model fields",
    ]
    positions = [text.index(f"\n{t}\n{'=' * len(t)}\n") for t in titles]
    assert positions == sorted(positions)


def test_breakdown_rows_and_folded_values() -> None:
    text = render_text(impact())
    assert (
        "By country\n"
        "country    Leads  Qualified before  Qualified after         Change  Entered  Left\n"
        "-------    -----  ----------------  ---------------         ------  -------  ----\n"
        "US         5,000               600              700  +100 (+16.7%)      120    20\n"
        "DE         2,000               200              190    -10 (-5.0%)       10    20\n"
        "(other)    4,000               400              400              0       70    10\n"
        "(missing)  1,000                 0               60            +60        0     0\n"
        "37 more values are folded into (other)\n"
    ) in text


def test_outcome_rates_with_counts_lift_and_missing_rates() -> None:
    text = render_text(impact())
    assert (
        "Precision                   20.0% (240 of 1,200)  22.0% (297 of 1,350)  +2.0 pp\n"
        "Recall                        40.0% (240 of 600)    49.5% (297 of 600)  +9.5 pp\n"
        "Lift                                        4.00                  4.40    +0.40\n"
        "Conversion of unqualified   3.3% (360 of 10,800)  2.8% (303 of 10,650)  -0.5 pp\n"
    ) in text
    # Nothing qualified before: no precision, recall or lift to show.
    assert "Precision                           – (0 of 0)     10.0% (3 of 30)        –\n" in text
    assert "Lift                                         –              400.00        –\n" in text


def test_flip_examples_show_both_decisions() -> None:
    text = render_text(impact())
    assert (
        "L-1001  entered  48 → 53      B → A  mql → sql                        "
        "senior_buyer +10, vp_title +10  senior_buyer +10, vp_title +15\n"
    ) in text
    assert "sql → disqualified (by student)" in text
    assert "L-3003  left     40 → -5      – → –  sql → –" in text


def test_routing_load_and_fairness() -> None:
    text = render_text(impact())
    assert "420 leads changed assignee.\n" in text
    assert (
        "team:emea  user:ann        60                3 → 9"
        "   72 (2024-03-04) → 104 (2024-03-11)     46.15 → 55.5\n"
    ) in text
    # No capacity: no weeks over it either.
    assert "team:na    (team)           –                    –" in text
    assert "team:na       100.0% → –      100.0% → –\n" in text


def test_definitions_and_fields() -> None:
    text = render_text(impact())
    assert (
        "rule          vp_title  modified  points 10 → 15  rules/scoring.yaml:12"
        "        @acme/marketing-ops\n"
    ) in text
    assert "intent_score  added\nfax           removed\n" in text


def test_control_characters_from_lead_data_cannot_reach_the_terminal() -> None:
    report = impact()
    row = dataclasses.replace(report.breakdowns[0].rows[0], value="US\x1b[2J\nFR\u202e")
    breakdown = dataclasses.replace(report.breakdowns[0], rows=(row,))
    text = render_text(dataclasses.replace(report, breakdowns=(breakdown,)))
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "US [2J FR   5,000" in text


def test_wide_characters_take_two_columns() -> None:
    report = impact()
    row = dataclasses.replace(report.breakdowns[0].rows[0], value="日本")
    breakdown = dataclasses.replace(report.breakdowns[0], rows=(row,), folded=0)
    text = render_text(dataclasses.replace(report, breakdowns=(breakdown,)))
    assert "country  Leads" in text
    assert "日本     5,000" in text


def test_deterministic() -> None:
    assert render_text(impact()) == render_text(impact())


def test_commitments_per_period() -> None:
    import datetime as dt

    from engine.diff.report import CommitmentImpact, CommitmentPeriod, Count

    volume = CommitmentImpact(
        id="monthly_mql_volume",
        owner="marketing",
        to="sales",
        target="at least 450 per month",
        measure="count",
        periods=(
            CommitmentPeriod(dt.date(2026, 9, 1), 440.0, 460.0, False, True),
            CommitmentPeriod(dt.date(2026, 10, 1), 500.0, None, True, None),
        ),
        missed=Count(1, 0),
    )
    text = render_text(dataclasses.replace(impact(), commitments=(volume,)))
    section = text[text.index("Commitments\n") :]
    assert section.splitlines()[:14] == [
        "Commitments",
        "===========",
        "Each commitment per period, as each revision's definitions would have delivered it.",
        "",
        "Commitment          Promised by        Target                  Periods missed",
        "----------          -----------        ------                  --------------",
        "monthly_mql_volume  marketing → sales  at least 450 per month  1 → 0 (-1, -100.0%)",
        "",
        "monthly_mql_volume",
        "Period from  Before        After",
        "-----------  ------        -----",
        "2026-09-01   440 (missed)  460 (met)",
        "2026-10-01   500 (met)     –",
        "",
    ]
