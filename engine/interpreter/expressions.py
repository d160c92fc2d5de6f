"""Compile a checked expression tree into a Python closure over one lead's environment.

Nothing is `eval`-ed: each node becomes a small closure, chosen by the node's type, that
calls its children's closures. The environment is a dict holding the lead's fields, the
values computed so far (group scores, `score`, `grade`, `stage`), the clock under AS_OF, and
the glossary terms already decided for this lead (memoised under `term:<id>`).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from functools import singledispatch
from typing import Any

from engine.expressions.nodes import (
    And,
    Arithmetic,
    Call,
    Compare,
    Expr,
    ExprType,
    Literal,
    Membership,
    Negate,
    Not,
    Or,
    Ref,
    RefKind,
)
from engine.interpreter import functions
from engine.interpreter.values import AS_OF, Value

Env = dict[str, Any]
Fn = Callable[[Env], Value]
Terms = Mapping[str, Fn]  # term id → the closure of its meaning, filled in by the caller

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


# Nodes whose closures already give True or False, never a missing value.
_DECIDED = (Compare, Membership, And, Or, Not)
_DECIDING_FUNCTIONS = frozenset({"matches", "contains", "startswith", "endswith", "is_null"})


def compile_condition(expr: Expr, terms: Terms) -> Callable[[Env], bool]:
    """A closure that decides the condition: true or false, never missing."""
    fn = compile_expr(expr, terms)
    if isinstance(expr, _DECIDED) or (
        isinstance(expr, Call) and expr.function in _DECIDING_FUNCTIONS
    ):
        return fn  # type: ignore[return-value]
    return lambda env: fn(env) is True


def compile_expr(expr: Expr, terms: Terms) -> Fn:
    return _compile(expr, terms)


@singledispatch
def _compile(node: Expr, terms: Terms) -> Fn:
    raise TypeError(f"no interpreter for {type(node).__name__}")


@_compile.register
def _literal(node: Literal, terms: Terms) -> Fn:
    value = node.value
    return lambda env: value


@_compile.register
def _ref(node: Ref, terms: Terms) -> Fn:
    name = node.name
    if node.kind is RefKind.TERM:
        key = f"term:{name}"

        def term(env: Env) -> Value:
            held = env.get(key)
            if held is None:
                held = env[key] = terms[name](env) is True
            return held

        return term
    return lambda env: env[name]


@_compile.register
def _compare(node: Compare, terms: Terms) -> Fn:
    op = _COMPARE[node.op]
    numeric = ExprType.NUMBER in (node.left.type, node.right.type)
    if _is_field(node.left) and isinstance(node.right, Literal):
        # The commonest condition, `field op literal`, without a closure per operand.
        return _compare_field(node.left.name, op, node.right.value, numeric)  # type: ignore[union-attr]
    left, right = _compile(node.left, terms), _compile(node.right, terms)

    def compare(env: Env) -> Value:
        a = left(env)
        if a is None:
            return False
        b = right(env)
        if b is None:
            return False
        if numeric and type(a) is not type(b):
            # An integer against a float compares as two floats, as SQL does.
            return op(float(a), float(b))  # type: ignore[arg-type]
        return op(a, b)

    return compare


def _is_field(node: Expr) -> bool:
    return isinstance(node, Ref) and node.kind is not RefKind.TERM


def _compare_field(name: str, op: Callable[[Any, Any], bool], literal: Any, numeric: bool) -> Fn:
    as_float = float(literal) if numeric else None

    def compare(env: Env) -> Value:
        a = env[name]
        if a is None:
            return False
        if numeric and type(a) is not type(literal):
            return op(float(a), as_float)
        return op(a, literal)

    return compare


@_compile.register
def _membership(node: Membership, terms: Terms) -> Fn:
    item = _compile(node.item, terms)
    options = frozenset(option.value for option in node.options)
    floats = any(isinstance(v, float) for v in options)
    negated = node.negated

    def member(env: Env) -> Value:
        value = item(env)
        if value is None:
            return False
        if floats and isinstance(value, int):
            value = float(value)
        return (value in options) is not negated

    return member


@_compile.register
def _and(node: And, terms: Terms) -> Fn:
    operands = tuple(_compile(operand, terms) for operand in node.operands)
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) is True and second(env) is True
    return lambda env: all(operand(env) is True for operand in operands)


@_compile.register
def _or(node: Or, terms: Terms) -> Fn:
    operands = tuple(_compile(operand, terms) for operand in node.operands)
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) is True or second(env) is True
    return lambda env: any(operand(env) is True for operand in operands)


@_compile.register
def _not(node: Not, terms: Terms) -> Fn:
    operand = _compile(node.operand, terms)
    return lambda env: operand(env) is not True


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


@_compile.register
def _arithmetic(node: Arithmetic, terms: Terms) -> Fn:
    left, right = _compile(node.left, terms), _compile(node.right, terms)
    op = node.op

    def arithmetic(env: Env) -> Value:
        a = left(env)
        if a is None:
            return None
        b = right(env)
        if b is None:
            return None
        x, y = float(a), float(b)  # type: ignore[arg-type]
        if op == "+":
            return _finite(x + y)
        if op == "-":
            return _finite(x - y)
        if op == "*":
            return _finite(x * y)
        return _finite(x / y) if y != 0 else None

    return arithmetic


@_compile.register
def _negate(node: Negate, terms: Terms) -> Fn:
    operand = _compile(node.operand, terms)

    def negate(env: Env) -> Value:
        value = operand(env)
        return None if value is None else -float(value)  # type: ignore[arg-type]

    return negate


@_compile.register
def _call(node: Call, terms: Terms) -> Fn:
    args = tuple(_compile(arg, terms) for arg in node.args)
    name = node.function
    if name == "matches":
        literal = node.args[1]
        assert isinstance(literal, Literal)
        assert isinstance(literal.value, str)
        search = functions.regex_search(literal.value)
        text = args[0]

        def matches(env: Env) -> Value:
            value = text(env)
            return False if value is None else search(value)  # type: ignore[arg-type]

        return matches
    if name in functions.TEXT_PREDICATES:
        predicate = functions.TEXT_PREDICATES[name]
        first, second = args

        def text_predicate(env: Env) -> Value:
            a = first(env)
            if a is None:
                return False
            b = second(env)
            return False if b is None else predicate(a, b)  # type: ignore[arg-type]

        return text_predicate
    if name in functions.TEXT_FUNCTIONS:
        function = functions.TEXT_FUNCTIONS[name]
        (arg,) = args

        def text_function(env: Env) -> Value:
            value = arg(env)
            return None if value is None else function(value)  # type: ignore[arg-type]

        return text_function
    if name in ("days_since", "hours_since"):
        since = functions.days_since if name == "days_since" else functions.hours_since
        (arg,) = args

        def elapsed(env: Env) -> Value:
            value = arg(env)
            return None if value is None else since(value, env[AS_OF])  # type: ignore[arg-type]

        return elapsed
    if name == "is_null":
        (arg,) = args
        return lambda env: arg(env) is None
    if name == "coalesce":

        def coalesce(env: Env) -> Value:
            for arg in args:
                value = arg(env)
                if value is not None:
                    return value
            return None

        return coalesce
    raise TypeError(f"no interpreter for function {name}")
