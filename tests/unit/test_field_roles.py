"""Outcome fields may be measured (SLA clocks, commitment dates) but never drive a decision."""

from __future__ import annotations

from pathlib import Path

from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[2]
WON_AT = """  won_at:
    type: datetime
    role: outcome
    description: When the opportunity closed won.
"""


def diagnostics_with(*edits: tuple[str, str, str]) -> list[str]:
    files = dict(read_files(ROOT))
    files["rules/lead.yaml"] = files["rules/lead.yaml"] + WON_AT.encode()
    for path, old, new in edits:
        text = files[path].decode()
        assert text.count(old) == 1, old
        files[path] = text.replace(old, new).encode()
    return [f"{d.code} {d.message}" for d in compile_project(files).diagnostics]


def test_an_sla_may_stop_at_an_outcome_time() -> None:
    assert diagnostics_with(("slas/handoff.yaml", "stop: sql_at", "stop: won_at")) == []


def test_decay_may_not_run_from_an_outcome() -> None:
    assert diagnostics_with(("rules/scoring.yaml", "from: last_activity_at", "from: won_at")) == [
        "E109 `won_at` is an outcome field and cannot be decay's `from`"
    ]


def test_a_route_may_not_read_an_outcome() -> None:
    assert diagnostics_with(
        ("rules/routing.yaml", "when: named_account\n", "when: not is_null(won_at)\n")
    ) == ["E109 `won_at` is an outcome field; no route may use it"]
