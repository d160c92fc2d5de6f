"""Whatever text arrives, the loader and the expression pipeline answer with diagnostics,
never an exception (issue 8 fuzzes much harder; this guards the everyday path)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.expressions.checker import check_condition
from engine.expressions.nodes import ExprType
from engine.expressions.parser import parse_expression
from engine.expressions.scope import Context, Dependency, FieldSymbol, Scope
from engine.loader import load_document
from engine.span import Span

SCOPE = Scope(
    fields={
        "employees": FieldSymbol("employees", ExprType.NUMBER, Dependency.ATTRIBUTE),
        "country": FieldSymbol("country", ExprType.STRING, Dependency.ATTRIBUTE, ("DE", "FR")),
        "seen_at": FieldSymbol("seen_at", ExprType.DATETIME, Dependency.LIFECYCLE),
    },
    terms={"icp": True},
    groups=frozenset({"fit"}),
    grades=("A",),
    stages=("lead",),
)
TOKENS = st.sampled_from(
    [
        "employees",
        "country",
        "seen_at",
        "icp",
        "fit",
        "score",
        "grade",
        "stage",
        "and",
        "or",
        "not",
        "in",
        "==",
        "<",
        ">=",
        "+",
        "-",
        "*",
        "/",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'DE'",
        '"x"',
        "1",
        "2.5",
        "true",
        "lower(",
        "matches(",
        "days_since(",
        "is_null(",
        "coalesce(",
        "__import__",
        ".",
        "lambda",
        ":",
        "=",
        "None",
        "if",
        "else",
        "**",
        "'(?=a)'",
        "\\n",
    ]
)


def locate(line: int, column: int, width: int) -> Span:
    return Span("f.yaml", 1 + line, 1 + column, 1 + line, 1 + column + width)


def check(text: str) -> None:
    expr, problems = parse_expression(text, locate)
    if expr is not None:
        for context in Context:
            _, found = check_condition(expr, SCOPE, context)
            problems += found
    for problem in problems:
        assert problem.span.line >= 1
        assert problem.span.column >= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=14).map(" ".join))
def test_expressions_from_language_tokens(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_expressions_from_any_text(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=200)
    | st.text(alphabet="ab:-[]{}&*!|>'\"# \n\t01NO?,", max_size=120).map(str.encode)
)
def test_loader_on_any_bytes(raw: bytes) -> None:
    document, problems = load_document("f.yaml", raw)
    assert document is not None or problems
    for problem in problems:
        assert problem.span.line >= 1
