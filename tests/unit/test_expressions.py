"""The expression language: parsing into our own nodes, and the type checker."""

from __future__ import annotations

import pytest

from engine.expressions.checker import check_condition
from engine.expressions.nodes import (
    And,
    Call,
    Compare,
    Expr,
    ExprType,
    Literal,
    Membership,
    Not,
    Ref,
    RefKind,
)
from engine.expressions.parser import parse_expression
from engine.expressions.scope import Context, Dependency, FieldSymbol, Scope
from engine.span import Span

T, D = ExprType, Dependency
SCOPE = Scope(
    fields={
        "employees": FieldSymbol("employees", T.NUMBER, D.ATTRIBUTE),
        "country": FieldSymbol("country", T.STRING, D.ATTRIBUTE),
        "job_title": FieldSymbol("job_title", T.STRING, D.ATTRIBUTE),
        "source": FieldSymbol("source", T.STRING, D.ATTRIBUTE, ("Webinar", "Organic")),
        "trial": FieldSymbol("trial", T.BOOLEAN, D.ATTRIBUTE),
        "last_activity_at": FieldSymbol("last_activity_at", T.DATETIME, D.ATTRIBUTE),
        "founded": FieldSymbol("founded", T.DATE, D.ATTRIBUTE),
        "mql_at": FieldSymbol("mql_at", T.DATETIME, D.LIFECYCLE),
        "converted": FieldSymbol("converted", T.BOOLEAN, D.OUTCOME),
    },
    terms={"icp": True, "pipeline": False},
    groups=frozenset({"fit"}),
    grades=("A", "B"),
    stages=("lead", "mql"),
)


def locate(line: int, column: int, width: int) -> Span:
    """Expressions sit at line 10, column 7 of `f.yaml` in these tests."""
    return Span("f.yaml", 10 + line, 7 + column, 10 + line, 7 + column + width)


def parse(text: str) -> Expr:
    expr, problems = parse_expression(text, locate)
    assert problems == []
    assert expr is not None
    return expr


def problems(text: str, context: Context = Context.RULE) -> list[tuple[str, str, str]]:
    expr, found = parse_expression(text, locate)
    if expr is not None:
        _, found = check_condition(expr, SCOPE, context)
    return [(p.code, f"{p.span.line}:{p.span.column}", p.message) for p in found]


def test_parses_into_our_nodes_with_positions() -> None:
    expr = parse('employees >= 200 and country in ["DE", "FR"]')
    assert isinstance(expr, And)
    compare, member = expr.operands
    assert isinstance(compare, Compare)
    assert compare.op == ">="
    assert compare.left == Ref(name="employees", span=Span("f.yaml", 10, 7, 10, 16))
    assert compare.span == Span("f.yaml", 10, 7, 10, 23)
    assert isinstance(member, Membership)
    assert not member.negated
    assert [o.value for o in member.options] == ["DE", "FR"]


def test_chained_comparison_becomes_a_conjunction() -> None:
    expr = parse("10 <= employees < 200")
    assert isinstance(expr, And)
    assert [(c.op, c.span.column) for c in expr.operands if isinstance(c, Compare)] == [
        ("<=", 7),
        ("<", 13),
    ]


def test_literals() -> None:
    assert parse("true") == Literal(value=True, span=Span("f.yaml", 10, 7, 10, 11))
    assert parse("-5") == Literal(value=-5, span=Span("f.yaml", 10, 7, 10, 9))
    assert isinstance(parse("not false"), Not)
    call = parse('matches(job_title, "(?i)vp")')
    assert isinstance(call, Call)
    assert call.function == "matches"


def test_multi_line_expression_keeps_line_numbers() -> None:
    expr, found = parse_expression("employees > 5 and\nfoo", locate)
    assert found == []
    assert expr is not None
    assert isinstance(expr, And)
    assert expr.operands[1].span == Span("f.yaml", 11, 7, 11, 10)


def test_unicode_columns_count_characters_not_bytes() -> None:
    expr = parse('country == "Zürich" and employees > 1')
    assert isinstance(expr, And)
    assert expr.operands[1].span.column == 7 + len('country == "Zürich" and ')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "__import__('os')",
            (
                "E102",
                "10:7",
                "`__import__` is not part of the expression language: names never start with `_`",
            ),
        ),
        (
            "().__class__",
            ("E102", "10:7", "the expression language has no attribute access (`x.y`)"),
        ),
        (
            "country.upper()",
            ("E102", "10:7", "the expression language has no attribute access (`x.y`)"),
        ),
        ("lambda: 1", ("E102", "10:7", "the expression language has no lambda functions")),
        ("country[0] == 'D'", ("E102", "10:7", "the expression language has no indexing (`x[0]`)")),
        ("f'{country}' == 'x'", ("E102", "10:7", "the expression language has no f-strings")),
        ("(x := 1)", ("E102", "10:8", "the expression language has no assignment (`:=`)")),
        (
            "employees if trial else 0",
            (
                "E102",
                "10:7",
                "the expression language has no conditional expressions (`x if c else y`)",
            ),
        ),
        (
            "employees ** 2 > 4",
            ("E102", "10:7", "only `+`, `-`, `*` and `/` are allowed in arithmetic"),
        ),
        ("employees is None", ("E102", "10:7", "the expression language has no `is`")),
        ("None", ("E102", "10:7", "there is no null value in conditions")),
        ("country in job_title", ("E102", "10:18", "`in` takes a list of values")),
        (
            "country in [job_title]",
            ("E102", "10:19", "the list after `in` may hold only literal values"),
        ),
        (
            "lower(text=country)",
            ("E105", "10:13", "`lower` takes its arguments by position, not by name"),
        ),
        ("employees >", ("E101", "10:17", "expression syntax: the expression ends too early")),
        (
            "country = 'DE'",
            ("E101", "10:15", "expression syntax: invalid syntax. Use `==` to compare."),
        ),
        ("x" * 2001, ("E112", "10:7", "expression is 2,001 characters long; the limit is 2,000")),
        ("not " * 40 + "trial", ("E112", "10:139", "expression nests more than 32 levels deep")),
        (
            "employees > 99999999999999999999",
            ("E112", "10:19", "the number 99999999999999999999 is too large"),
        ),
    ],
)
def test_constructs_outside_the_language_are_refused(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert problems(text) == [expected]


def test_checked_tree_carries_types_and_resolved_names() -> None:
    expr, found = parse_expression("icp and employees >= 10", locate)
    assert expr is not None
    typed, found = check_condition(expr, SCOPE, Context.RULE)
    assert found == []
    assert isinstance(typed, And)
    assert typed.type is ExprType.BOOLEAN
    term, compare = typed.operands
    assert isinstance(term, Ref)
    assert term.kind is RefKind.TERM
    assert isinstance(compare, Compare)
    assert isinstance(compare.left, Ref)
    assert (compare.left.kind, compare.left.type) == (RefKind.FIELD, ExprType.NUMBER)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("employes > 5", Context.RULE, [("E103", "10:7", "unknown name `employes`")]),
        ("lowr(country) == 'de'", Context.RULE, [("E104", "10:7", "unknown function `lowr`")]),
        (
            "lower(country, 1) == 'de'",
            Context.RULE,
            [("E105", "10:7", "`lower` takes 1 argument, got 2")],
        ),
        (
            "coalesce(country) == 'x'",
            Context.RULE,
            [("E105", "10:7", "`coalesce` takes at least 2 arguments, got 1")],
        ),
        (
            "lower(employees) == 'x'",
            Context.RULE,
            [("E105", "10:13", "argument 1 of `lower` must be text, not a number")],
        ),
        (
            "matches(country, job_title)",
            Context.RULE,
            [("E105", "10:24", "the regex of `matches` must be written out as text")],
        ),
        (
            "matches(job_title, '(?<=vp)x')",
            Context.RULE,
            [("E108", "10:26", "invalid regex: invalid perl operator: (?<=")],
        ),
        (
            "matches(job_title, '(a)\\\\1')",
            Context.RULE,
            [("E108", "10:26", "invalid regex: invalid escape sequence: \\1")],
        ),
        ("country > 5", Context.RULE, [("E106", "10:7", "cannot compare text with a number")]),
        (
            "last_activity_at > '2026-01-01'",
            Context.RULE,
            [("E106", "10:7", "cannot compare a datetime with text")],
        ),
        ("trial < true", Context.RULE, [("E106", "10:7", "`<` cannot order true/false values")]),
        (
            "employees in [1, 'x']",
            Context.RULE,
            [("E106", "10:24", "the list holds text but the value tested is a number")],
        ),
        (
            "coalesce(employees, country) == 1",
            Context.RULE,
            [("E106", "10:7", "`coalesce` needs arguments of one type, got a number and text")],
        ),
        (
            "country + 1 > 2",
            Context.RULE,
            [("E106", "10:7", "`+` works on numbers, but this is text")],
        ),
        ("employees / 0 > 1", Context.RULE, [("E106", "10:19", "division by zero")]),
        (
            "employees",
            Context.RULE,
            [("E107", "10:7", "a condition must be true or false, but this is a number")],
        ),
        (
            "employees and trial",
            Context.RULE,
            [("E107", "10:7", "`and` works on conditions, but this is a number")],
        ),
        (
            "not country",
            Context.RULE,
            [("E107", "10:11", "`not` works on conditions, but this is text")],
        ),
        (
            "converted",
            Context.ROUTE,
            [("E109", "10:7", "`converted` is an outcome field; no route may use it")],
        ),
        (
            "not is_null(mql_at)",
            Context.RULE,
            [("E110", "10:19", "a scoring rule may not use the lifecycle field `mql_at`")],
        ),
        (
            "fit > 10",
            Context.RULE,
            [("E110", "10:7", "a scoring rule may not use the score group `fit`")],
        ),
        ("score > 10", Context.GRADE, []),
        ("grade == 'A'", Context.GRADE, [("E110", "10:7", "a grade may not use `grade`")]),
        ("stage == 'mql'", Context.STAGE, [("E110", "10:7", "a stage may not use `stage`")]),
        ("stage == 'disqualified' and grade == 'A'", Context.ROUTE, []),
        (
            "source == 'Webinr'",
            Context.RULE,
            [("E111", "10:17", '"Webinr" is not a value of `source`')],
        ),
        (
            "source in ['Organic', 'Paid']",
            Context.RULE,
            [("E111", "10:29", '"Paid" is not a value of `source`')],
        ),
        ("grade == 'E'", Context.ROUTE, [("E111", "10:16", '"E" is not a value of `grade`')]),
        (
            "pipeline",
            Context.ROUTE,
            [
                (
                    "E113",
                    "10:7",
                    "the glossary term `pipeline` describes but does not decide: it has no `means`",
                )
            ],
        ),
        ("lower == 'x'", Context.RULE, [("E103", "10:7", "`lower` is a function")]),
        ("days_since(founded) > 365 and hours_since(last_activity_at) < 2", Context.RULE, []),
        ("length(trim(upper(job_title))) > 3 and domain(country) == 'x.com'", Context.RULE, []),
        ("-employees < 3 or employees * 2 - 1 >= 3", Context.RULE, []),
    ],
)
def test_type_checker(text: str, context: Context, expected: list[tuple[str, str, str]]) -> None:
    assert problems(text, context) == expected


def test_did_you_mean_for_names_and_functions() -> None:
    for text, hint in (
        ("employes > 5", "did you mean `employees`?"),
        ("lowr(country) == 'x'", "did you mean `lower`?"),
    ):
        expr, _ = parse_expression(text, locate)
        assert expr is not None
        _, found = check_condition(expr, SCOPE, Context.RULE)
        assert [p.help for p in found] == [hint]


def test_one_mistake_is_reported_once() -> None:
    # The unknown name makes its comparison untyped; the `and` above it must not complain too.
    assert problems("employes > 5 and trial") == [("E103", "10:7", "unknown name `employes`")]
