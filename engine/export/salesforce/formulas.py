"""A checked condition as a Salesforce formula with Accord's meaning, missing values included.

Accord's comparisons, membership tests and text predicates are false when a value they look
at is missing (docs/evaluation.md); Salesforce formulas would compare a blank instead. So
every value carries the *guards* that hold exactly when it is present (`NOT(ISBLANK(F))`
for a field), and each comparison ANDs them in front, where it is computed: `not (employees
>= 200)` then holds for a lead without employees, as it does in Accord.
Function reference: https://help.salesforce.com/s/articleView?id=platform.customize_functions.htm
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import singledispatch

from engine.export.salesforce.accord_fields import Kind
from engine.export.salesforce.references import Untranslatable, salesforce_field, term_expression
from engine.export.salesforce.regex import java_pattern
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
from engine.ir import Project

_OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class Reader:
    """How one kind of formula names a Lead field: `Industry` in an assignment rule entry,
    `{!$Record.Industry}` in a flow."""

    project: Project
    field: Callable[[str], str]


@dataclass(frozen=True)
class Value:
    text: str
    guards: tuple[str, ...]  # all hold exactly when the value is present
    kind: Kind | None = None  # how Salesforce stores it, for a field


def string_literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def number_literal(value: int | float) -> str:
    """Plain decimal notation: formulas have no exponent syntax."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _all(parts: list[str] | tuple[str, ...]) -> str:
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else f"AND({', '.join(unique)})"


def _guarded(guards: tuple[str, ...], test: str) -> str:
    return _all([*guards, test])


def condition(expr: Expr, reader: Reader) -> str:
    """A formula that is TRUE or FALSE, never blank, exactly when Accord's condition holds."""
    return _condition(expr, reader)


@singledispatch
def _condition(node: Expr, reader: Reader) -> str:
    raise TypeError(f"{type(node).__name__} is not a condition")


@_condition.register
def _literal_condition(node: Literal, reader: Reader) -> str:
    return "TRUE" if node.value is True else "FALSE"


@_condition.register
def _ref_condition(node: Ref, reader: Reader) -> str:
    if node.kind is RefKind.TERM:
        return condition(term_expression(reader.project, node.name), reader)
    field = salesforce_field(reader.project, node)
    return reader.field(field.name)  # a checkbox: never blank on Salesforce


@_condition.register
def _and(node: And, reader: Reader) -> str:
    return f"AND({', '.join(condition(o, reader) for o in node.operands)})"


@_condition.register
def _or(node: Or, reader: Reader) -> str:
    return f"OR({', '.join(condition(o, reader) for o in node.operands)})"


@_condition.register
def _not(node: Not, reader: Reader) -> str:
    return f"NOT({condition(node.operand, reader)})"


def _picklist_test(item: Value, option: str) -> str:
    return f"ISPICKVAL({item.text}, {string_literal(option)})"


@_condition.register
def _compare(node: Compare, reader: Reader) -> str:
    left, right = value(node.left, reader), value(node.right, reader)
    if node.op in ("==", "!=") and (left.kind is Kind.PICKLIST or right.kind is Kind.PICKLIST):
        pick = left if left.kind is Kind.PICKLIST else right
        other_node = node.right if pick is left else node.left
        if isinstance(other_node, Literal) and isinstance(other_node.value, str):
            test = _picklist_test(pick, other_node.value)
            if node.op == "==":
                return test
            return _guarded(pick.guards, f"NOT({test})")
        left, right = _as_text(left), _as_text(right)
    elif node.left.type is ExprType.STRING and node.op not in ("==", "!="):
        raise Untranslatable(
            "X101",
            f"`{node.op}` on text: Salesforce formulas compare text only for equality",
            "compare with == or !=, or build this condition in Salesforce by hand",
        )
    test = f"{left.text} {_OPERATORS[node.op]} {right.text}"
    return _guarded((*left.guards, *right.guards), test)


@_condition.register
def _membership(node: Membership, reader: Reader) -> str:
    item = value(node.item, reader)
    if item.kind is Kind.PICKLIST:
        tests = [_picklist_test(item, str(o.value)) for o in node.options]
    else:
        tests = [f"{item.text} = {value(o, reader).text}" for o in node.options]
    either = tests[0] if len(tests) == 1 else f"OR({', '.join(tests)})"
    if node.negated:
        return _guarded(item.guards, f"NOT({either})")
    return either if item.kind is Kind.PICKLIST else _guarded(item.guards, either)


@_condition.register
def _call_condition(node: Call, reader: Reader) -> str:
    args = [value(a, reader) for a in node.args]
    guards = tuple(g for a in args for g in a.guards)
    match node.function:
        case "is_null":
            return _missing(args[0].guards)
        case "matches":
            pattern = node.args[1]
            assert isinstance(pattern, Literal)
            assert isinstance(pattern.value, str)
            text = _as_text(args[0]).text
            return _guarded(guards, f"REGEX({text}, {string_literal(java_pattern(pattern.value))})")
        case "contains":
            return _guarded(guards, f"CONTAINS({_as_text(args[0]).text}, {_as_text(args[1]).text})")
        case "startswith":
            return _guarded(guards, f"BEGINS({_as_text(args[0]).text}, {_as_text(args[1]).text})")
        case "endswith":
            text, suffix = _as_text(args[0]).text, _as_text(args[1]).text
            return _guarded(guards, f"RIGHT({text}, LEN({suffix})) = {suffix}")
    raise Untranslatable(
        "X101",
        f"`{node.function}(…)` as a condition has no Salesforce formula",
        "build this condition in Salesforce by hand",
    )


def _missing(guards: tuple[str, ...]) -> str:
    """The formula that holds when a value with these guards is missing."""
    if not guards:
        return "FALSE"
    if len(guards) == 1 and guards[0].startswith("NOT(ISBLANK(") and guards[0].endswith("))"):
        return guards[0][4:-1]
    return f"NOT({_all(guards)})"


def _as_text(item: Value) -> Value:
    """A picklist read as text (TEXT(F)); any other value as it is."""
    if item.kind is Kind.PICKLIST:
        return Value(f"TEXT({item.text})", item.guards)
    return item


def value(expr: Expr, reader: Reader) -> Value:
    return _value(expr, reader)


@singledispatch
def _value(node: Expr, reader: Reader) -> Value:
    # A condition used as a value (`mql == true`): formulas compare booleans directly.
    return Value(condition(node, reader), ())


@_value.register
def _literal_value(node: Literal, reader: Reader) -> Value:
    match node.value:
        case bool(flag):
            return Value("TRUE" if flag else "FALSE", ())
        case str(text):
            return Value(string_literal(text), ())
        case number:
            return Value(number_literal(number), ())


@_value.register
def _ref_value(node: Ref, reader: Reader) -> Value:
    if node.kind is RefKind.TERM:
        return Value(condition(node, reader), ())
    field = salesforce_field(reader.project, node)
    text = reader.field(field.name)
    if field.kind is Kind.CHECKBOX:
        return Value(text, (), field.kind)
    return Value(text, (f"NOT(ISBLANK({text}))",), field.kind)


@_value.register
def _arithmetic(node: Arithmetic, reader: Reader) -> Value:
    left, right = value(node.left, reader), value(node.right, reader)
    guards = (*left.guards, *right.guards)
    if node.op == "/":
        # Accord's division by zero is a missing value; a formula's is an error.
        guards = (*guards, f"{right.text} <> 0")
    return Value(f"({left.text} {node.op} {right.text})", guards)


@_value.register
def _negate(node: Negate, reader: Reader) -> Value:
    operand = value(node.operand, reader)
    return Value(f"(-{operand.text})", operand.guards)


@_value.register
def _call_value(node: Call, reader: Reader) -> Value:
    if node.type is ExprType.BOOLEAN:
        return Value(condition(node, reader), ())
    args = [value(a, reader) for a in node.args]
    match node.function:
        case "lower" | "upper":
            arg = _as_text(args[0])
            return Value(f"{node.function.upper()}({arg.text})", arg.guards)
        case "length":
            arg = _as_text(args[0])
            return Value(f"LEN({arg.text})", arg.guards)
        case "days_since" if node.args[0].type is ExprType.DATE:
            # Accord counts whole days to the clock's date in UTC; DATEVALUE(NOW()) is the
            # date in GMT, where TODAY() would be the running user's.
            return Value(f"(DATEVALUE(NOW()) - {args[0].text})", args[0].guards)
        case "days_since":
            return Value(f"(NOW() - {args[0].text})", args[0].guards)
        case "hours_since":
            return Value(f"((NOW() - {args[0].text}) * 24)", args[0].guards)
        case "coalesce":
            texts = (
                [_as_text(a) for a in args] if any(a.kind is Kind.PICKLIST for a in args) else args
            )
            nested = texts[-1].text
            for arg in reversed(texts[:-1]):
                nested = f"BLANKVALUE({arg.text}, {nested})"
            present = [_all(a.guards) for a in args]
            guards = () if any(not a.guards for a in args) else (f"OR({', '.join(present)})",)
            return Value(nested, guards)
    raise Untranslatable(
        "X101",
        f"`{node.function}(…)` has no Salesforce formula with Accord's meaning",
        _FUNCTION_HELP.get(node.function, "build this condition in Salesforce by hand"),
    )


_FUNCTION_HELP = {
    "domain": "formulas cannot cut a text at its last `@`; store the domain in a Lead field"
    " (e.g. by a flow) and compare that field instead",
    "trim": "Salesforce's TRIM removes only spaces and tabs, Accord's all ASCII white space;"
    " compare the field without trim(…)",
}
