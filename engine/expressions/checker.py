"""Resolve names and check types: an untyped tree in, a typed tree and diagnostics out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import singledispatch

import re2

from engine.diagnostics import Diagnostic, diagnostic, did_you_mean, known_list
from engine.expressions.functions import FUNCTIONS, Function
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
    Node,
    Not,
    Or,
    Ref,
    RefKind,
)
from engine.expressions.scope import (
    ALLOWED,
    BUILT_INS,
    DISQUALIFIED_STAGE,
    WHY_NOT,
    Context,
    Dependency,
    Scope,
)

_TYPE_NAMES = {
    ExprType.BOOLEAN: "true or false",
    ExprType.NUMBER: "a number",
    ExprType.STRING: "text",
    ExprType.DATE: "a date",
    ExprType.DATETIME: "a datetime",
    ExprType.ANY: "a value",
}
_ORDERED = {ExprType.NUMBER, ExprType.STRING, ExprType.DATE, ExprType.DATETIME}
_REGEX_OPTIONS = re2.Options()
_REGEX_OPTIONS.log_errors = False


@dataclass
class _Env:
    scope: Scope
    context: Context
    problems: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, message: str, node: Node, help: str | None = None) -> None:
        self.problems.append(diagnostic(code, message, node.span, help=help))


def check_value(expr: Expr, scope: Scope, context: Context) -> tuple[Expr, list[Diagnostic]]:
    """Type-check an expression of `context` that computes a value of any type."""
    env = _Env(scope, context)
    return _check(expr, env), env.problems


def check_condition(expr: Expr, scope: Scope, context: Context) -> tuple[Expr, list[Diagnostic]]:
    """Type-check a condition of `context`; the result must be true or false."""
    env = _Env(scope, context)
    typed = _check(expr, env)
    _require_condition(typed, "a condition must be true or false", env)
    return typed, env.problems


def _require_condition(node: Expr, what: str, env: _Env) -> None:
    """E107 unless `node` is true/false (or already in error)."""
    if node.type not in (ExprType.BOOLEAN, ExprType.ANY):
        env.report(
            "E107",
            f"{what}, but this is {_TYPE_NAMES[node.type]}",
            node,
            help=_condition_hint(node),
        )


def _condition_hint(node: Expr) -> str:
    if node.type is ExprType.NUMBER:
        return "compare it with a number, e.g. `employees >= 200`"
    if node.type is ExprType.STRING:
        return 'compare it, e.g. `country == "DE"`, or test it with `is_null(...)`'
    if node.type in (ExprType.DATE, ExprType.DATETIME):
        return "test its age, e.g. `days_since(last_activity_at) <= 30`"
    return "write a comparison"


@singledispatch
def _check(node: Expr, env: _Env) -> Expr:
    raise TypeError(f"no type rule for {type(node).__name__}")


def _literal_type(value: str | int | float | bool) -> ExprType:
    if isinstance(value, bool):
        return ExprType.BOOLEAN
    return ExprType.STRING if isinstance(value, str) else ExprType.NUMBER


@_check.register
def _(node: Literal, env: _Env) -> Expr:
    return replace(node, type=_literal_type(node.value))


@_check.register
def _(node: Ref, env: _Env) -> Expr:
    scope, name = env.scope, node.name
    allowed = ALLOWED[env.context]
    if name in scope.fields:
        symbol = scope.fields[name]
        if symbol.role is Dependency.OUTCOME:
            env.report(
                "E109",
                f"`{name}` is an outcome field; no {env.context} may use it",
                node,
                help=WHY_NOT[Dependency.OUTCOME],
            )
        elif symbol.role not in allowed:
            env.report(
                "E110",
                f"a {env.context} may not use the {symbol.role} `{name}`",
                node,
                help=f"{WHY_NOT[symbol.role]}; see the table in docs/language.md",
            )
        return replace(node, kind=RefKind.FIELD, type=symbol.type)
    if name in scope.terms:
        if not scope.terms[name]:
            env.report(
                "E113",
                f"the glossary term `{name}` describes but does not decide: it has no `means`",
                node,
                help="give the term a `means:` (a condition or a binding), or write the condition here",
            )
            return replace(node, kind=RefKind.TERM, type=ExprType.ANY)
        return replace(node, kind=RefKind.TERM, type=ExprType.BOOLEAN)
    if name in scope.groups:
        _require(env, node, Dependency.SCORE, f"the score group `{name}`")
        return replace(node, kind=RefKind.GROUP, type=ExprType.NUMBER)
    if name in BUILT_INS:
        kind = RefKind(name)
        dependency = {RefKind.SCORE: Dependency.SCORE, RefKind.GRADE: Dependency.GRADE}.get(
            kind, Dependency.STAGE
        )
        _require(env, node, dependency, f"`{name}`")
        return replace(node, kind=kind, type=BUILT_INS[name])
    if name in FUNCTIONS:
        env.report(
            "E103", f"`{name}` is a function", node, help=f"call it: `{FUNCTIONS[name].usage}`"
        )
        return node
    if not scope.names_complete:
        return node  # it may be defined in a file that could not be read
    env.report(
        "E103",
        f"unknown name `{name}`",
        node,
        help=did_you_mean(name, scope.names())
        or "names are lead fields, glossary terms with a `means`, score groups, `score`, `grade` and `stage`",
    )
    return node


def _require(env: _Env, node: Ref, dependency: Dependency, what: str) -> None:
    if dependency not in ALLOWED[env.context]:
        env.report(
            "E110",
            f"a {env.context} may not use {what}",
            node,
            help=f"{WHY_NOT[dependency]}; see the table in docs/language.md",
        )


@_check.register
def _(node: Call, env: _Env) -> Expr:
    function = FUNCTIONS.get(node.function)
    args = tuple(_check(a, env) for a in node.args)
    if function is None:
        env.report(
            "E104",
            f"unknown function `{node.function}`",
            node,
            help=did_you_mean(node.function, FUNCTIONS)
            or f"expressions may call only {known_list(list(FUNCTIONS), limit=20)}",
        )
        return replace(node, args=args)
    count = len(args)
    expected = len(function.params)
    if count < expected or (count > expected and not function.variadic):
        env.report(
            "E105",
            f"`{function.name}` takes {function.arity}, got {count}",
            node,
            help=f"write `{function.usage}`",
        )
        return replace(node, args=args, type=function.result or ExprType.ANY)
    for index, arg in enumerate(args):
        accepted = function.params[min(index, expected - 1)]
        if arg.type is not ExprType.ANY and arg.type not in accepted:
            wanted = " or ".join(sorted(_TYPE_NAMES[t] for t in accepted))
            env.report(
                "E105",
                f"argument {index + 1} of `{function.name}` must be {wanted}, not {_TYPE_NAMES[arg.type]}",
                arg,
                help=f"write `{function.usage}`",
            )
    if function.regex_argument is not None:
        _check_regex(function, args[function.regex_argument], env)
    return replace(node, args=args, type=_result_type(function, args, node, env))


def _result_type(function: Function, args: tuple[Expr, ...], node: Call, env: _Env) -> ExprType:
    if function.result is not None:
        return function.result
    known = {a.type for a in args} - {ExprType.ANY}
    if len(known) > 1:
        env.report(
            "E106",
            f"`{function.name}` needs arguments of one type, got "
            + " and ".join(sorted(_TYPE_NAMES[t] for t in known)),
            node,
        )
        return ExprType.ANY
    return known.pop() if known else ExprType.ANY


def _check_regex(function: Function, arg: Expr, env: _Env) -> None:
    if not isinstance(arg, Literal) or not isinstance(arg.value, str):
        env.report(
            "E105",
            f"the regex of `{function.name}` must be written out as text",
            arg,
            help="regexes are checked when definitions are validated, so they cannot come from a field",
        )
        return
    try:
        re2.compile(arg.value, options=_REGEX_OPTIONS)
    except re2.error as error:
        reason = (
            error.args[0].decode()
            if error.args and isinstance(error.args[0], bytes)
            else str(error)
        )
        env.report(
            "E108",
            f"invalid regex: {reason}",
            arg,
            help="regexes use the RE2 dialect (as DuckDB and warehouses do): no look-around, no back-references",
        )


@_check.register
def _(node: Compare, env: _Env) -> Expr:
    left, right = _check(node.left, env), _check(node.right, env)
    result = replace(node, left=left, right=right, type=ExprType.BOOLEAN)
    if ExprType.ANY in (left.type, right.type):
        return result
    if left.type != right.type:
        help_text = None
        if ExprType.DATETIME in (left.type, right.type) or ExprType.DATE in (left.type, right.type):
            help_text = "compare ages instead, e.g. `days_since(last_activity_at) <= 30`"
        elif {left.type, right.type} == {ExprType.NUMBER, ExprType.STRING}:
            help_text = "numbers are written without quotes: `employees >= 200`"
        env.report(
            "E106",
            f"cannot compare {_TYPE_NAMES[left.type]} with {_TYPE_NAMES[right.type]}",
            node,
            help=help_text,
        )
        return result
    if node.op not in ("==", "!=") and left.type not in _ORDERED:
        env.report(
            "E106", f"`{node.op}` cannot order true/false values", node, help="use `==` or `!=`"
        )
        return result
    _check_known_values(left, right, env)
    _check_known_values(right, left, env)
    return result


@_check.register
def _(node: Membership, env: _Env) -> Expr:
    item = _check(node.item, env)
    options = tuple(replace(o, type=_literal_type(o.value)) for o in node.options)
    result = replace(node, item=item, options=options, type=ExprType.BOOLEAN)
    for option in options:
        if item.type is not ExprType.ANY and option.type != item.type:
            env.report(
                "E106",
                f"the list holds {_TYPE_NAMES[option.type]} but the value tested is {_TYPE_NAMES[item.type]}",
                option,
            )
            continue
        _check_known_values(item, option, env)
    return result


def _known_values(node: Expr, scope: Scope) -> tuple[str, tuple[str, ...]] | None:
    """(what, values) for a picklist field, `grade` or `stage`, else None."""
    if not isinstance(node, Ref):
        return None
    if node.kind is RefKind.FIELD:
        values = scope.fields[node.name].values
        return (f"`{node.name}`", values) if values else None
    if node.kind in (RefKind.GRADE, RefKind.STAGE) and not scope.outputs_complete:
        return None
    if node.kind is RefKind.GRADE:
        return ("`grade`", scope.grades)
    if node.kind is RefKind.STAGE:
        return ("`stage`", (*scope.stages, DISQUALIFIED_STAGE))
    return None


def _check_known_values(subject: Expr, other: Expr, env: _Env) -> None:
    known = _known_values(subject, env.scope)
    if known is None or not isinstance(other, Literal) or not isinstance(other.value, str):
        return
    what, values = known
    if other.value in values:
        return
    env.report(
        "E111",
        f'"{other.value}" is not a value of {what}',
        other,
        help=did_you_mean(other.value, values)
        or f"its values are {known_list(list(values), limit=20)}",
    )


def _check_conditions(operands: tuple[Expr, ...], word: str, env: _Env) -> tuple[Expr, ...]:
    checked = tuple(_check(o, env) for o in operands)
    for operand in checked:
        _require_condition(operand, f"`{word}` works on conditions", env)
    return checked


@_check.register
def _(node: And, env: _Env) -> Expr:
    return replace(
        node, operands=_check_conditions(node.operands, "and", env), type=ExprType.BOOLEAN
    )


@_check.register
def _(node: Or, env: _Env) -> Expr:
    return replace(
        node, operands=_check_conditions(node.operands, "or", env), type=ExprType.BOOLEAN
    )


@_check.register
def _(node: Not, env: _Env) -> Expr:
    (operand,) = _check_conditions((node.operand,), "not", env)
    return replace(node, operand=operand, type=ExprType.BOOLEAN)


@_check.register
def _(node: Arithmetic, env: _Env) -> Expr:
    left, right = _check(node.left, env), _check(node.right, env)
    for side in (left, right):
        if side.type not in (ExprType.NUMBER, ExprType.ANY):
            env.report(
                "E106",
                f"`{node.op}` works on numbers, but this is {_TYPE_NAMES[side.type]}",
                side,
                help="to test text, use `contains`, `startswith` or `matches`"
                if side.type is ExprType.STRING
                else None,
            )
    if node.op == "/" and isinstance(right, Literal) and right.value == 0:
        env.report("E106", "division by zero", right)
    return replace(node, left=left, right=right, type=ExprType.NUMBER)


@_check.register
def _(node: Negate, env: _Env) -> Expr:
    operand = _check(node.operand, env)
    if operand.type not in (ExprType.NUMBER, ExprType.ANY):
        env.report(
            "E106", f"`-` works on numbers, but this is {_TYPE_NAMES[operand.type]}", operand
        )
    return replace(node, operand=operand, type=ExprType.NUMBER)
