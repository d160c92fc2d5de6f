"""The impact report as JSON: every field and derived number under stable keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from impact_fixture import bare, impact

from engine.render.impact_json import FORMAT_VERSION, render_json


def document() -> Any:
    return json.loads(render_json(impact()))


def test_layout_is_sorted_two_space_indented_with_a_trailing_newline() -> None:
    text = render_json(impact())
    assert text.startswith('{\n  "as_of": "2024-07-01T09:30:00Z",\n  "base": {\n    "commit":')
    assert text.endswith("\n}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_top_level_keys_and_version() -> None:
    d = document()
    assert FORMAT_VERSION == 1
    assert d["format_version"] == 1
    assert sorted(d) == [
        "as_of",
        "base",
        "breakdowns",
        "commitments",
        "definitions",
        "fields",
        "flips",
        "format_version",
        "head",
        "headline",
        "leads_file",
        "outcomes",
        "routing",
        "score",
        "slas",
        "unreadable_values",
    ]
    assert d["base"] == {"label": "main", "commit": "0123456789abcdef0123456789abcdef01234567"}
    assert d["head"] == {"label": "working tree", "commit": None}


def test_counts_carry_their_delta_and_percent_change() -> None:
    headline = document()["headline"]
    assert headline["qualified"] == {
        "before": 1200,
        "after": 1350,
        "delta": 150,
        "percent_change": 12.5,
    }
    assert headline["stages"][2] == {
        "value": "sql",
        "count": {"before": 900, "after": 1020, "delta": 120, "percent_change": 13.333333},
    }
    missing = document()["breakdowns"][0]["rows"][3]
    assert missing["value"] == "(missing)"
    assert missing["qualified"]["percent_change"] is None


def test_confusions_carry_every_rate() -> None:
    converted, won = document()["outcomes"]
    assert converted["before"] == {
        "qualified": 1200,
        "qualified_positive": 240,
        "unqualified": 10800,
        "unqualified_positive": 360,
        "leads": 12000,
        "positives": 600,
        "precision": 0.2,
        "recall": 0.4,
        "lift": 4.0,
        "base_rate": 0.05,
        "unqualified_rate": 0.033333,
    }
    assert converted["after"]["precision"] == 0.22
    assert converted["after"]["recall"] == 0.495
    assert converted["after"]["lift"] == 4.4
    assert won["before"]["precision"] is None
    assert won["before"]["lift"] is None
    assert won["before"]["base_rate"] == 0.0


def test_enums_dates_and_decisions() -> None:
    d = document()
    example = d["flips"]["examples"][1]
    assert example["direction"] == "left"
    assert example["after"] == {
        "score": 61.5,
        "groups": [{"group": "fit", "score": 61.5}],
        "grade": "A",
        "stage": "disqualified",
        "disqualified_by": "student",
        "route": None,
        "assignee": None,
        "rules_fired": [{"rule": "senior_buyer", "points": 10}],
    }
    assert d["definitions"][1]["change"] == "added"
    assert d["routing"]["load"][0]["after"] == {
        "weeks": 26,
        "mean": 123.08,
        "peak": 260,
        "peak_week": "2024-03-11",
        "over_capacity_weeks": 2,
    }
    assert d["routing"]["load"][2]["after"]["peak_week"] is None
    assert d["fields"] == {"added": ["intent_score"], "removed": ["fax"]}


def test_absent_parts_are_null_or_empty() -> None:
    d = json.loads(render_json(bare()))
    assert d["routing"] is None
    assert d["outcomes"] == []
    assert d["flips"] == {"causes": [], "examples": []}


def test_floats_are_rounded_and_an_aware_as_of_is_written_in_utc() -> None:
    report = impact()
    spread = dataclasses.replace(report.score.before, mean=1 / 3, p10=-1e-9)
    aware = dt.datetime(2024, 7, 1, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    report = dataclasses.replace(
        report, score=dataclasses.replace(report.score, before=spread), as_of=aware
    )
    d = json.loads(render_json(report))
    assert d["score"]["before"]["mean"] == 0.333333
    assert d["score"]["before"]["p10"] == 0.0
    assert d["as_of"] == "2024-07-01T09:30:00Z"
    assert '"p10": 0.0,' in render_json(report)  # never -0.0


def test_deterministic() -> None:
    assert render_json(impact()) == render_json(impact())
