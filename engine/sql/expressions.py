"""Compile a checked expression tree into a DuckDB SQL expression with the same meaning.

Null handling is made explicit at each node, as docs/evaluation.md defines it: comparisons,
membership and the text predicates are wrapped in `coalesce(…, false)` where they are
computed (never at the end), so `NOT`, `AND` and `OR` see two-valued conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import singledispatch

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
    walk,
)
from engine.interpreter.functions import DOMAIN_HOST, DOMAIN_PREFIX
from engine.sql import literals

MICROSECONDS_PER_DAY = literals.number(86_400_000_000.0)
_MICROSECONDS_PER_HOUR = literals.number(3_600_000_000.0)
_ASCII_SPACE = " || ".join(["' '", *(f"chr({code})" for code in (9, 10, 11, 12, 13))])
_SQL_COMPARE = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


# Text functions of a field that several definitions apply to the same field (the domain of
# the e-mail address, the lower-cased title): worth computing once per lead, as a column.
HOISTABLE = frozenset({"domain", "lower", "upper", "trim", "length"})
# Text predicates of a field: computed once per lead when two definitions spell the same
# call (a title pattern that both a rule and a disqualifier test). A call spelled once stays
# where it is, so that CASE and AND can skip it for the leads that do not need it.
PREDICATES = frozenset({"matches", "contains", "startswith", "endswith"})


class Compiler:
    """Compiles expressions; terms become the SQL the caller gives for them."""

    def __init__(
        self,
        as_of: literals.Clock,
        terms: Mapping[str, Callable[[], str]],
        hoisted: Mapping[str, str] | None = None,
    ) -> None:
        self.as_of, self.as_of_date = literals.clock(as_of)
        self.terms = terms  # term id → the SQL that reads it
        self.hoisted = hoisted or {}  # SQL of a function call → the column that holds it

    def condition(self, expr: Expr) -> str:
        """SQL that is TRUE or FALSE, never NULL."""
        sql = _compile(expr, self)
        return f"coalesce({sql}, FALSE)" if _may_be_null(expr) else sql

    def value(self, expr: Expr) -> str:
        return _compile(expr, self)


def _may_be_null(expr: Expr) -> bool:
    """Whether a boolean-typed node can be NULL in SQL (a field, or a coalesce of fields)."""
    return (isinstance(expr, Ref) and expr.kind is RefKind.FIELD) or (
        isinstance(expr, Call) and expr.function == "coalesce"
    )


@singledispatch
def _compile(node: Expr, compiler: Compiler) -> str:
    raise TypeError(f"no SQL for {type(node).__name__}")


@_compile.register
def _literal(node: Literal, compiler: Compiler) -> str:
    value = node.value
    if isinstance(value, bool):
        return literals.boolean(value)
    if isinstance(value, str):
        return literals.string(value)
    return literals.number(value)


@_compile.register
def _ref(node: Ref, compiler: Compiler) -> str:
    if node.kind is RefKind.TERM:
        return f"({compiler.terms[node.name]()})"
    return literals.identifier(node.name)


@_compile.register
def _compare(node: Compare, compiler: Compiler) -> str:
    left, right = _compile(node.left, compiler), _compile(node.right, compiler)
    return f"coalesce({left} {_SQL_COMPARE[node.op]} {right}, FALSE)"


@_compile.register
def _membership(node: Membership, compiler: Compiler) -> str:
    item = _compile(node.item, compiler)
    options = ", ".join(_literal(option, compiler) for option in node.options)
    op = "NOT IN" if node.negated else "IN"
    return f"coalesce({item} {op} ({options}), FALSE)"


@_compile.register
def _and(node: And, compiler: Compiler) -> str:
    return "(" + " AND ".join(compiler.condition(o) for o in node.operands) + ")"


@_compile.register
def _or(node: Or, compiler: Compiler) -> str:
    return "(" + " OR ".join(compiler.condition(o) for o in node.operands) + ")"


@_compile.register
def _not(node: Not, compiler: Compiler) -> str:
    return f"(NOT {compiler.condition(node.operand)})"


def domain_sql(text: str) -> str:
    """The domain with the interpreter's RE2 patterns, its argument named once.

    Stripping the prefix with regexp_replace and then taking the host with an anchored
    pattern costs less than half of one regexp_extract with a capture group, which makes
    RE2 leave its DFA. (Spelling the steps with string functions repeats the argument, so
    nested calls would grow the SQL exponentially.)
    """
    prefix = literals.string(DOMAIN_PREFIX)
    host = literals.string(f"^{DOMAIN_HOST}")
    return f"nullif(regexp_extract(regexp_replace(lower({text}), {prefix}, ''), {host}), '')"


@_compile.register
def _arithmetic(node: Arithmetic, compiler: Compiler) -> str:
    left = f"CAST({_compile(node.left, compiler)} AS DOUBLE)"
    right = f"CAST({_compile(node.right, compiler)} AS DOUBLE)"
    if node.op == "/":
        return literals.finite_or_null(f"({left} / nullif({right}, 0))")
    return literals.finite_or_null(f"({left} {node.op} {right})")


@_compile.register
def _negate(node: Negate, compiler: Compiler) -> str:
    return f"(-CAST({_compile(node.operand, compiler)} AS DOUBLE))"


@_compile.register
def _call(node: Call, compiler: Compiler) -> str:
    sql = _call_sql(node, compiler)
    return compiler.hoisted.get(sql, sql)


def hoistable_calls(expr: Expr) -> list[Call]:
    """Calls of HOISTABLE functions on a lead field."""
    return [
        node
        for node in walk(expr)
        if isinstance(node, Call)
        and node.function in HOISTABLE
        and all(isinstance(a, Ref) and a.kind is RefKind.FIELD for a in node.args)
    ]


def predicate_calls(expr: Expr) -> list[Call]:
    """Calls of PREDICATES on a lead field and literals, such as `matches(title, "...")`."""
    return [
        node
        for node in walk(expr)
        if isinstance(node, Call)
        and node.function in PREDICATES
        and isinstance(node.args[0], Ref)
        and node.args[0].kind is RefKind.FIELD
        and all(isinstance(a, Literal) for a in node.args[1:])
    ]


def _call_sql(node: Call, compiler: Compiler) -> str:
    args = [_compile(arg, compiler) for arg in node.args]
    match node.function:
        case "matches":
            return f"coalesce(regexp_matches({args[0]}, {args[1]}), FALSE)"
        case "contains":
            return f"coalesce(contains({args[0]}, {args[1]}), FALSE)"
        case "startswith":
            return f"coalesce(starts_with({args[0]}, {args[1]}), FALSE)"
        case "endswith":
            return f"coalesce(ends_with({args[0]}, {args[1]}), FALSE)"
        case "lower" | "upper" | "length":
            return f"{node.function}({args[0]})"
        case "trim":
            return f"trim({args[0]}, {_ASCII_SPACE})"
        case "domain":
            return domain_sql(args[0])
        case "days_since" if node.args[0].type is ExprType.DATE:
            return f"date_diff('day', {args[0]}, {compiler.as_of_date})"
        case "days_since":
            return f"((epoch_us({compiler.as_of}) - epoch_us({args[0]})) / {MICROSECONDS_PER_DAY})"
        case "hours_since":
            return (
                f"((epoch_us({compiler.as_of}) - epoch_us({args[0]})) / {_MICROSECONDS_PER_HOUR})"
            )
        case "is_null":
            return f"({args[0]} IS NULL)"
        case "coalesce":
            return f"coalesce({', '.join(args)})"
    raise TypeError(f"no SQL for function {node.function}")
