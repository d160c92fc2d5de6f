"""Run the teams' rule tests (`*.tests.yaml`) and glossary term examples through both
evaluators and compare.

Each test's lead is evaluated by the interpreter and by the SQL query in DuckDB; every
expectation is checked against both, and a failure says which evaluator disagreed. When
both evaluators fail the same way the failure is reported once, for both. A term example
runs as a rule test that expects one thing: whether its term holds for its lead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from engine.instants import utc
from engine.interpreter.evaluate import Interpreter
from engine.interpreter.trace import Evaluation
from engine.interpreter.values import Lead
from engine.ir import Expectation, Expected, Project, RuleTest, Term
from engine.span import Span
from engine.sql.run import ScoredLead, create_lead_table, score_table

INTERPRETER = "interpreter"
SQL = "DuckDB"
# Expected scores are written by hand, to two decimals at most.
SCORE_TOLERANCE = 0.005


@dataclass(frozen=True)
class Outcome:
    """What one evaluator decided, in the terms a test can expect."""

    score: float
    groups: dict[str, float]
    rules_fired: frozenset[str]
    grade: str | None
    stage: str | None
    disqualified_by: str | None
    route: str | None
    assignee: str | None
    sla_due: dict[str, dt.datetime] | None  # None: this evaluator does not compute SLA clocks
    terms: Mapping[str, bool | None]  # whether the glossary terms the test asks about hold


@dataclass(frozen=True)
class Failure:
    what: str  # "score", "group fit", "rules_fired", …
    expected: str
    actual: str
    evaluators: tuple[str, ...]
    span: Span  # where the expectation is written


@dataclass(frozen=True)
class TestResult:
    test: RuleTest
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def test_lead(test: RuleTest) -> Lead:
    return {
        v.field: utc(v.value) if isinstance(v.value, dt.datetime) else v.value for v in test.given
    }


def outcome_of_evaluation(evaluation: Evaluation) -> Outcome:
    return Outcome(
        score=evaluation.score,
        groups={g.id: g.score for g in evaluation.groups},
        rules_fired=frozenset(rule.id for rule in evaluation.rules_fired),
        grade=evaluation.grade,
        stage=evaluation.stage,
        disqualified_by=evaluation.disqualified_by,
        route=evaluation.route.id if evaluation.route else None,
        assignee=evaluation.assignee,
        sla_due={c.sla: c.due for c in evaluation.sla_clocks if c.due is not None},
        terms=evaluation.terms,
    )


def outcome_of_row(row: ScoredLead) -> Outcome:
    return Outcome(
        score=row.score,
        groups=dict(row.groups),
        rules_fired=frozenset(row.rules_fired or ()),
        grade=row.grade,
        stage=row.stage,
        disqualified_by=row.disqualified_by,
        route=row.route,
        assignee=row.assignee,
        sla_due=None,
        terms=row.terms,
    )


def example_tests(terms: Sequence[Term]) -> list[RuleTest]:
    """Each example of these glossary terms as a rule test, `term:<id>[<n>]` counting from 1,
    that expects only whether the term holds for the example's lead."""
    return [
        RuleTest(
            id=f"term:{term.id}[{number}]",
            description=example.description,
            as_of=example.as_of,
            given=example.lead,
            expect=Expectation(terms=((Expected(term.id, example.span), example.is_),)),
            span=example.span,
        )
        for term in terms
        for number, example in enumerate(term.examples, 1)
    ]


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    return str(value)


def _checks(expect: Expectation, outcome: Outcome) -> list[tuple[str, object, object, Span, bool]]:
    """(what, expected, actual, span, holds) for every expectation the test writes."""
    checks: list[tuple[str, object, object, Span, bool]] = []
    if expect.score is not None:
        holds = abs(outcome.score - expect.score.value) < SCORE_TOLERANCE
        checks.append(("score", expect.score.value, outcome.score, expect.score.span, holds))
    for group, points in expect.groups:
        actual = outcome.groups.get(group.value)
        holds = actual is not None and abs(actual - points.value) < SCORE_TOLERANCE
        checks.append((f"group {group.value}", points.value, actual, points.span, holds))
    if expect.rules_fired is not None:
        wanted = frozenset(r.value for r in expect.rules_fired)
        span = expect.rules_fired[0].span if expect.rules_fired else Span("", 1, 1, 1, 1)
        checks.append(
            ("rules_fired", wanted, outcome.rules_fired, span, wanted == outcome.rules_fired)
        )
    for what, expected_value in (
        ("grade", expect.grade),
        ("stage", expect.stage),
        ("disqualified_by", expect.disqualified_by),
        ("route", expect.route),
        ("assignee", expect.assignee),
    ):
        if expected_value is not None:
            actual = getattr(outcome, what)
            checks.append(
                (
                    what,
                    expected_value.value,
                    actual,
                    expected_value.span,
                    actual == expected_value.value,
                )
            )
    if outcome.sla_due is not None:
        for sla, due in expect.sla_due:
            actual_due = outcome.sla_due.get(sla.value)
            wanted_due = utc(due.value)
            checks.append(
                (f"sla_due {sla.value}", wanted_due, actual_due, due.span, actual_due == wanted_due)
            )
    for term, claim in expect.terms:
        held = outcome.terms.get(term.value)
        checks.append((f"term {term.value}", claim.value, held, claim.span, held == claim.value))
    return checks


def _failures(expect: Expectation, outcomes: dict[str, Outcome]) -> tuple[Failure, ...]:
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    spans: dict[tuple[str, str, str], Span] = {}
    for evaluator, outcome in outcomes.items():
        for what, expected, actual, span, holds in _checks(expect, outcome):
            if not holds:
                key = (what, _show(expected), _show(actual))
                found[key].append(evaluator)
                spans[key] = span
    return tuple(
        Failure(what, expected, actual, tuple(evaluators), spans[(what, expected, actual)])
        for (what, expected, actual), evaluators in found.items()
    )


def _asked_terms(tests: Sequence[RuleTest]) -> tuple[str, ...]:
    """The glossary terms these tests expect something of, each once."""
    return tuple(dict.fromkeys(term.value for test in tests for term, _ in test.expect.terms))


def run_rule_tests(project: Project, tests: Sequence[RuleTest] | None = None) -> list[TestResult]:
    """Every test through the interpreter and through DuckDB (one query per clock). By
    default every rule test of the project, then every example of its glossary terms."""
    chosen = list((*project.tests, *example_tests(project.terms)) if tests is None else tests)
    assert project.lead_model is not None
    interpreter = Interpreter(project)
    by_clock: dict[dt.datetime, list[int]] = defaultdict(list)
    for index, test in enumerate(chosen):
        by_clock[utc(test.as_of)].append(index)
    sql_outcomes: dict[int, Outcome] = {}
    connection = duckdb.connect()
    try:
        for as_of, indexes in sorted(by_clock.items()):
            create_lead_table(
                connection, project.lead_model, [test_lead(chosen[i]) for i in indexes]
            )
            terms = _asked_terms([chosen[i] for i in indexes])
            rows = score_table(connection, project, as_of, rules_fired=True, terms=terms)
            for index, row in zip(indexes, rows, strict=True):
                sql_outcomes[index] = outcome_of_row(row)
    finally:
        connection.close()
    results = []
    for index, test in enumerate(chosen):
        evaluation = interpreter.evaluate(
            test_lead(test), utc(test.as_of), terms=_asked_terms([test])
        )
        outcomes = {INTERPRETER: outcome_of_evaluation(evaluation), SQL: sql_outcomes[index]}
        results.append(TestResult(test, _failures(test.expect, outcomes)))
    return results
