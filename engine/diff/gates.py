"""`accord diff --fail-on`: conditions on the impact report that fail the pull-request check.

A condition is `MEASURE > LIMIT` (or `>=`), e.g. `qualified-change > 20%`,
`precision-drop:converted > 2`, `over-capacity-weeks > 3`. GATES lists the measures; each
reads the report, so a gate can never disagree with what the report shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from engine.diagnostics import did_you_mean
from engine.diff.report import Count, Impact


class GateError(ValueError):
    """A --fail-on condition that cannot be read: a usage error."""


@dataclass(frozen=True)
class Measure:
    description: str
    unit: str  # how the limit is read: "leads", "points" (percentage points) or "weeks"
    percent: bool  # whether `%` (of the base volume) may follow the limit
    value: Callable[[Impact, str | None, bool], float | None]


def _count_change(count: Count, percent: bool) -> float | None:
    if percent:
        change = count.percent_change
        return None if change is None else abs(change)
    return float(abs(count.delta))


def _drop(impact: Impact, outcome: str | None, rate: str) -> float | None:
    drops = [
        100.0 * (before - after)
        for quality in impact.outcomes
        if outcome is None or quality.outcome == outcome
        for before, after in [(getattr(quality.before, rate), getattr(quality.after, rate))]
        if before is not None and after is not None
    ]
    return max(drops) if drops else None


def _share(part: int, impact: Impact, percent: bool) -> float:
    leads = impact.headline.leads
    return 100.0 * part / leads if percent and leads else float(part)


def _over_capacity(impact: Impact, team: str | None) -> float | None:
    if impact.routing is None:
        return None
    weeks = [
        load.after.over_capacity_weeks
        for load in impact.routing.load
        if load.member is None and (team is None or load.team == team)
    ]
    return float(max(weeks)) if weeks else None


GATES: dict[str, Measure] = {
    "qualified-change": Measure(
        "how far the qualified volume moves, either way",
        "leads",
        True,
        lambda i, _, pct: _count_change(i.headline.qualified, pct),
    ),
    "entered": Measure(
        "leads that become qualified",
        "leads",
        True,
        lambda i, _, pct: _share(i.headline.entered, i, pct),
    ),
    "left": Measure(
        "leads that stop being qualified",
        "leads",
        True,
        lambda i, _, pct: _share(i.headline.left, i, pct),
    ),
    "flips": Measure(
        "leads that flip either way",
        "leads",
        True,
        lambda i, _, pct: _share(i.headline.entered + i.headline.left, i, pct),
    ),
    "precision-drop": Measure(
        "how many percentage points the qualified leads' conversion rate falls (`:OUTCOME` for one outcome field)",
        "points",
        False,
        lambda i, outcome, _: _drop(i, outcome, "precision"),
    ),
    "recall-drop": Measure(
        "how many percentage points of the positive outcomes the qualified leads lose (`:OUTCOME` for one)",
        "points",
        False,
        lambda i, outcome, _: _drop(i, outcome, "recall"),
    ),
    "moved": Measure(
        "leads whose assignee changes",
        "leads",
        True,
        lambda i, _, pct: _share(i.routing.moved, i, pct) if i.routing else None,
    ),
    "over-capacity-weeks": Measure(
        "weeks in which a team (`:TEAM` for one) gets more leads than its capacity, after the change",
        "weeks",
        False,
        lambda i, team, _: _over_capacity(i, team),
    ),
}

_CONDITION = re.compile(
    r"\s*(?P<name>[a-z][a-z-]*)(?::(?P<qualifier>[A-Za-z0-9_.-]+))?\s*"
    r"(?P<op>>=|>)\s*(?P<limit>[0-9]+(?:\.[0-9]+)?)\s*(?P<percent>%)?\s*"
)


@dataclass(frozen=True)
class Gate:
    text: str  # as written
    name: str
    qualifier: str | None
    inclusive: bool  # `>=` rather than `>`
    limit: float
    percent: bool


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    value: float | None  # None: the report has nothing to measure (e.g. no outcome fields)
    failed: bool

    def describe(self) -> str:
        if self.value is None:
            return f"{self.gate.text}: nothing to measure in this report"
        unit = "%" if self.gate.percent else f" {GATES[self.gate.name].unit}"
        verdict = "fails" if self.failed else "holds"
        return f"{self.gate.text}: {verdict} ({self.gate.name} is {self.value:,.2f}{unit})"


def parse_gate(text: str) -> Gate:
    match = _CONDITION.fullmatch(text)
    if match is None:
        raise GateError(f"--fail-on {text!r}: write MEASURE > LIMIT, e.g. 'qualified-change > 20%'")
    name = match["name"]
    if name not in GATES:
        hint = did_you_mean(name, GATES) or f"the measures are: {', '.join(sorted(GATES))}"
        raise GateError(f"--fail-on {text!r}: no measure `{name}`; {hint}")
    percent = match["percent"] is not None
    if percent and not GATES[name].percent:
        raise GateError(
            f"--fail-on {text!r}: `{name}` is counted in {GATES[name].unit}, not as a percentage"
        )
    return Gate(
        text.strip(), name, match["qualifier"], match["op"] == ">=", float(match["limit"]), percent
    )


def check_gates(impact: Impact, gates: tuple[Gate, ...]) -> tuple[GateResult, ...]:
    results = []
    for gate in gates:
        value = GATES[gate.name].value(impact, gate.qualifier, gate.percent)
        failed = value is not None and (
            value >= gate.limit if gate.inclusive else value > gate.limit
        )
        results.append(GateResult(gate, value, failed))
    return tuple(results)
