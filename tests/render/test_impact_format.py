"""How the impact formats spell numbers: one spelling shared by text, Markdown and HTML."""

from __future__ import annotations

import datetime as dt

from engine.diff.report import Count, Revision
from engine.render.impact_format import (
    bin_label,
    change,
    count,
    count_change,
    fraction,
    lift,
    lift_change,
    percent,
    rate,
    rate_change,
    revision,
    score_change,
    signed,
    signed_percent,
    timestamp,
)


def test_counts_and_changes() -> None:
    assert count(1234567) == "1,234,567"
    assert [signed(150), signed(-1200), signed(0)] == ["+150", "-1,200", "0"]
    assert change(Count(1200, 1350)) == "+150 (+12.5%)"
    assert change(Count(0, 60)) == "+60"  # nothing before: no percentage
    assert change(Count(400, 400)) == "0"
    assert count_change(Count(1200, 1350)) == "1,200 → 1,350 (+150, +12.5%)"
    assert count_change(Count(0, 5)) == "0 → 5 (+5)"
    assert count_change(Count(7, 7)) == "7 → 7 (0)"


def test_percentages_rates_and_lift() -> None:
    assert [percent(12.345), percent(None)] == ["12.3%", "–"]
    assert [signed_percent(-0.04), signed_percent(2.25)] == ["+0.0%", "+2.2%"]
    assert [rate(0.125), rate(1.0), rate(None)] == ["12.5%", "100.0%", "–"]
    assert rate_change(0.2, 0.22) == "+2.0 pp"
    assert rate_change(0.2, None) == "–"
    assert [lift(4.0), lift(1 / 3), lift(None)] == ["4.00", "0.33", "–"]
    assert [lift_change(4.0, 4.4), lift_change(None, 1.0)] == ["+0.40", "–"]
    assert fraction(240, 1200, 0.2) == "20.0% (240 of 1,200)"


def test_scores_bins_revisions_and_time() -> None:
    assert [score_change(34.5, 36.25), score_change(5, 5), score_change(3, 1)] == [
        "+1.75",
        "0",
        "-2",
    ]
    assert bin_label(0.0, 12.5) == "0–12.5"
    assert revision(Revision("main", "0123456789abcdef0123")) == "main (0123456789ab)"
    assert revision(Revision("working tree", None)) == "working tree"
    assert timestamp(dt.datetime(2024, 7, 1)) == "2024-07-01T00:00:00Z"
