"""--fail-on conditions: how they are read, and what they measure on a real report."""

from __future__ import annotations

import datetime as dt

import pytest
from test_cli import ROOT

from engine.diff.gates import GateError, check_gates, parse_gate
from engine.diff.report import Impact, Revision
from engine.diff.run import run_diff
from engine.project import compile_project, read_files

EDITS = {
    "rules/scoring.yaml": (
        "webinars_attended >= 1\n        points: 8\n",
        "webinars_attended >= 1\n        points: 12\n",
    ),
    "rules/qualification.yaml": ("score >= 50 and fit >= 25", "score >= 45 and fit >= 30"),
}


@pytest.fixture(scope="module")
def impact() -> Impact:
    files = read_files(ROOT)
    changed = dict(files)
    for path, (old, new) in EDITS.items():
        text = changed[path].decode()
        assert text.count(old) == 1
        changed[path] = text.replace(old, new).encode()
    base, head = compile_project(files).project, compile_project(changed).project
    assert base is not None
    assert head is not None
    return run_diff(
        (Revision("HEAD", None), base),
        (Revision("working tree", None), head),
        ROOT / "history" / "sample-leads.parquet",
        dt.datetime(2026, 12, 1),
    )


def test_reading_conditions() -> None:
    gate = parse_gate(" qualified-change>=20.5% ")
    assert (gate.name, gate.qualifier, gate.inclusive, gate.limit, gate.percent) == (
        "qualified-change",
        None,
        True,
        20.5,
        True,
    )
    gate = parse_gate("precision-drop:converted > 2")
    assert (gate.name, gate.qualifier, gate.inclusive, gate.limit, gate.percent) == (
        "precision-drop",
        "converted",
        False,
        2.0,
        False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "qualified-change",
            "--fail-on 'qualified-change': write MEASURE > LIMIT, e.g. 'qualified-change > 20%'",
        ),
        (
            "qualified-change < 3",
            "--fail-on 'qualified-change < 3': write MEASURE > LIMIT, e.g. 'qualified-change > 20%'",
        ),
        (
            "qualifed-change > 3",
            "--fail-on 'qualifed-change > 3': no measure `qualifed-change`; did you mean `qualified-change`?",
        ),
        (
            "precision-drop > 2%",
            "--fail-on 'precision-drop > 2%': `precision-drop` is counted in points, not as a percentage",
        ),
    ],
)
def test_unreadable_conditions_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(GateError) as raised:
        parse_gate(text)
    assert str(raised.value) == message


def test_measures_on_the_report(impact: Impact) -> None:
    headline = impact.headline
    before, after = headline.qualified.before, headline.qualified.after
    converted = next(o for o in impact.outcomes if o.outcome == "converted")
    drop = 100 * (
        converted.before.qualified_positive / converted.before.qualified
        - converted.after.qualified_positive / converted.after.qualified
    )
    conditions = [
        f"qualified-change > {abs(after - before) - 1}",  # fails by one lead
        f"qualified-change > {abs(after - before)}",  # holds: not above
        f"qualified-change >= {abs(after - before)}",  # fails: at the limit
        f"qualified-change > {100 * abs(after - before) / before - 0.01:.2f}%",
        f"flips > {headline.entered + headline.left}",
        "precision-drop:converted > 0",
        "over-capacity-weeks > 0",
        "precision-drop:no_such_outcome > 0",
    ]
    results = check_gates(impact, tuple(parse_gate(c) for c in conditions))
    assert [r.failed for r in results] == [True, False, True, True, False, drop > 0, False, False]
    assert results[0].value == abs(after - before)
    assert results[5].value == pytest.approx(drop)
    assert results[6].value == 0
    assert results[7].value is None
    assert (
        results[7].describe()
        == "precision-drop:no_such_outcome > 0: nothing to measure in this report"
    )
    assert results[0].describe() == (
        f"qualified-change > {abs(after - before) - 1}: fails"
        f" (qualified-change is {abs(after - before):,.2f} leads)"
    )
