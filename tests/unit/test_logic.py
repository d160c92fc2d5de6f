"""Implication between conditions: sound (never claims what is not so), and useful."""

from __future__ import annotations

import pytest

from engine.expressions.logic import implies, is_constant, shape
from engine.expressions.nodes import Expr
from engine.expressions.parser import parse_expression
from engine.span import Span


def expr(text: str, line: int = 1) -> Expr:
    parsed, problems = parse_expression(
        text, lambda ln, col, w: Span("f", line + ln, col + 1, line + ln, col + 1 + w)
    )
    assert problems == []
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("narrow", "wide"),
    [
        ("employees >= 1000", "employees >= 500"),
        ("employees > 500", "employees >= 500"),
        ("employees >= 500", "employees >= 500"),
        ("500 <= employees", "employees >= 500"),
        ("employees < 10", "employees <= 50"),
        ("employees == 700", "employees > 500"),
        ('country == "DE"', 'country in ["DE", "FR"]'),
        ('country in ["DE"]', 'country in ["FR", "DE"]'),
        ('region == "EMEA" and employees >= 1000', 'region == "EMEA"'),
        ('region == "EMEA" and employees >= 1000', 'employees >= 200 and region == "EMEA"'),
        ("a or b", "b or a"),
        ("trial", "trial or employees > 5"),
        ("anything", "true"),
        ("false", "anything"),
        ('lower(country) == "de"', 'lower(country) in ["de", "at"]'),
    ],
)
def test_implies(narrow: str, wide: str) -> None:
    assert implies(expr(narrow), expr(wide))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("employees >= 500", "employees >= 1000"),
        ("employees >= 500", "employees > 500"),
        ("employees != 5", "employees > 5"),
        ('country in ["DE", "FR"]', 'country == "DE"'),
        ('region == "EMEA"', 'region == "EMEA" and employees >= 1000'),
        ("a or b", "a"),
        ("not (employees > 5)", "employees <= 5"),  # a missing value satisfies the first only
        ("employees >= 5", "seats >= 5"),
        ('country >= "D"', "country >= 5"),
        ("true", "employees > 1"),
    ],
)
def test_does_not_imply(a: str, b: str) -> None:
    assert not implies(expr(a), expr(b))


def test_shape_ignores_positions() -> None:
    assert shape(expr("employees > 5", line=1)) == shape(expr("employees > 5", line=9))
    assert shape(expr("employees > 5")) != shape(expr("employees > 6"))


@pytest.mark.parametrize(
    ("text", "value", "constant"),
    [
        ("true", True, True),
        ("not false", True, True),
        ("true or employees > 5", True, True),
        ("false and employees > 5", False, True),
        ("employees > 5", True, False),
        ("not true", False, True),
        ("true and employees > 5", True, False),
    ],
)
def test_is_constant(text: str, value: bool, constant: bool) -> None:
    assert is_constant(expr(text), value) is constant
