"""Glossary term examples run as tests, through the interpreter and through DuckDB."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from engine import rule_testing
from engine.instants import utc
from engine.interpreter.evaluate import Interpreter, NotEvaluable
from engine.interpreter.trace import Evaluation
from engine.interpreter.values import Lead
from engine.ir import Project, Term
from engine.project import compile_project, read_files
from engine.rule_testing import INTERPRETER, SQL, example_tests, run_rule_tests
from engine.sql.run import ScoredLead, create_lead_table, score_table

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.datetime(2026, 3, 2, 10)


@pytest.fixture(scope="module")
def project() -> Project:
    compiled = compile_project(read_files(ROOT))
    assert compiled.diagnostics == []
    assert compiled.project is not None
    return compiled.project


def term(project: Project, term_id: str) -> Term:
    return next(t for t in project.terms if t.id == term_id)


def test_each_example_is_a_test_of_its_term_alone(project: Project) -> None:
    tests = example_tests([term(project, "enterprise"), term(project, "personal_email")])
    assert [t.id for t in tests] == [
        "term:enterprise[1]",
        "term:enterprise[2]",
        "term:enterprise[3]",
        "term:personal_email[1]",
        "term:personal_email[2]",
        "term:personal_email[3]",
    ]
    second = tests[1]
    assert {v.field: v.value for v in second.given} == {"employees": 999}
    assert second.as_of == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)  # the file's clock
    [(name, holds)] = second.expect.terms
    assert (name.value, holds.value) == ("enterprise", False)
    assert (second.span.file, holds.span.line) == ("glossary/segments.yaml", second.span.line + 1)
    # Nothing else is expected of the lead.
    assert dataclasses.replace(second.expect, terms=()) == type(second.expect)()


def test_both_evaluators_decide_the_terms_of_the_examples(project: Project) -> None:
    """Each evaluator on its own, term by term: true and false both occur, and both agree
    with every example of the organisation."""
    tests = example_tests(project.terms)
    assert {t.expect.terms[0][1].value for t in tests} == {True, False}
    interpreter = Interpreter(project)
    assert project.lead_model is not None
    connection = duckdb.connect()
    create_lead_table(connection, project.lead_model, [rule_testing.test_lead(t) for t in tests])
    asked = tuple(dict.fromkeys(t.expect.terms[0][0].value for t in tests))
    rows = score_table(connection, project, AS_OF, terms=asked)
    for test, row in zip(tests, rows, strict=True):
        [(name, holds)] = test.expect.terms
        evaluation = interpreter.evaluate(
            rule_testing.test_lead(test), utc(test.as_of), terms=(name.value,)
        )
        assert evaluation.terms == {name.value: holds.value}, test.id
        assert row.terms[name.value] is holds.value, test.id


def _flip(terms: Mapping[str, bool | None]) -> dict[str, bool]:
    """Each term's value the other way round (a missing value, which is a bug, as true)."""
    return {name: not held for name, held in terms.items()}


def test_a_failure_names_the_one_evaluator_that_disagreed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    tests = example_tests([term(project, "enterprise")])
    real_score_table = score_table

    def wrong_sql(*args: Any, **kwargs: Any) -> list[ScoredLead]:
        rows = real_score_table(*args, **kwargs)
        return [dataclasses.replace(row, terms=_flip(row.terms)) for row in rows]

    with monkeypatch.context() as patched:
        patched.setattr(rule_testing, "score_table", wrong_sql)
        results = run_rule_tests(project, tests)
    assert [(r.test.id, [f.evaluators for f in r.failures]) for r in results] == [
        ("term:enterprise[1]", [(SQL,)]),
        ("term:enterprise[2]", [(SQL,)]),
        ("term:enterprise[3]", [(SQL,)]),
    ]
    first = results[0].failures[0]
    assert (first.what, first.expected, first.actual) == ("term enterprise", "true", "false")

    real_evaluate = Interpreter.evaluate

    def wrong_interpreter(
        self: Interpreter, lead: Lead, as_of: dt.datetime, *, terms: Sequence[str] = ()
    ) -> Evaluation:
        evaluation = real_evaluate(self, lead, as_of, terms=tuple(terms))
        return dataclasses.replace(evaluation, terms=_flip(evaluation.terms))

    with monkeypatch.context() as patched:
        patched.setattr(Interpreter, "evaluate", wrong_interpreter)
        results = run_rule_tests(project, tests)
    assert [[f.evaluators for f in r.failures] for r in results] == [[(INTERPRETER,)]] * 3


def test_by_default_every_rule_test_then_every_example_runs(project: Project) -> None:
    results = run_rule_tests(project)
    examples = example_tests(project.terms)
    assert [r.test.id for r in results] == [
        *(t.id for t in project.tests),
        *(t.id for t in examples),
    ]
    assert len(examples) == 20
    assert all(r.passed for r in results)


def test_a_term_that_does_not_decide_is_not_evaluated(project: Project) -> None:
    with pytest.raises(NotEvaluable, match="`territory` does not decide"):
        Interpreter(project).evaluate({}, AS_OF, terms=("territory",))
