"""Sound, conservative reasoning about conditions: "does A imply B?", "is A constant?".

Used to find routes and grade bands that can never be reached. `implies` answers True only
when every lead satisfying A satisfies B under the language's null semantics (a comparison
with a missing value is false); when unsure it answers False, so a check built on it may
miss a problem but never reports one that is not there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.expressions.nodes import (
    And,
    Arithmetic,
    Call,
    Compare,
    Expr,
    Literal,
    Membership,
    Negate,
    Not,
    Or,
    Ref,
)

_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def shape(node: Expr) -> Any:
    """A hashable form of the tree without positions or types: equal shapes, equal meaning."""
    match node:
        case Literal(value=value):
            return ("literal", type(value).__name__, value)
        case Ref(name=name):
            return ("ref", name)
        case Call(function=function, args=args):
            return ("call", function, tuple(shape(a) for a in args))
        case Compare(op=op, left=left, right=right):
            return ("compare", op, shape(left), shape(right))
        case Membership(item=item, options=options, negated=negated):
            return ("in", negated, shape(item), frozenset(shape(o) for o in options))
        case And(operands=operands):
            return ("and", tuple(shape(o) for o in operands))
        case Or(operands=operands):
            return ("or", tuple(shape(o) for o in operands))
        case Not(operand=operand):
            return ("not", shape(operand))
        case Arithmetic(op=op, left=left, right=right):
            return ("arith", op, shape(left), shape(right))
        case Negate(operand=operand):
            return ("neg", shape(operand))
    raise TypeError(type(node).__name__)


def is_constant(node: Expr, value: bool) -> bool:
    """True when the condition is literally always `value` (`true`, `not false`, …)."""
    match node:
        case Literal(value=literal):
            return literal is value
        case Not(operand=operand):
            return is_constant(operand, not value)
        case And(operands=operands):
            return (
                all(is_constant(o, True) for o in operands)
                if value
                else any(is_constant(o, False) for o in operands)
            )
        case Or(operands=operands):
            return (
                any(is_constant(o, True) for o in operands)
                if value
                else all(is_constant(o, False) for o in operands)
            )
    return False


def implies(a: Expr, b: Expr) -> bool:
    """Whether every lead satisfying `a` also satisfies `b` (conservative: False when unsure)."""
    if is_constant(b, True) or is_constant(a, False) or shape(a) == shape(b):
        return True
    if isinstance(a, Or):
        return all(implies(o, b) for o in a.operands)
    if isinstance(b, And):
        return all(implies(a, o) for o in b.operands)
    if isinstance(a, And) and any(implies(o, b) for o in a.operands):
        return True
    if isinstance(b, Or):
        return any(implies(a, o) for o in b.operands)
    left, right = _bound(a), _bound(b)
    return (
        left is not None
        and right is not None
        and left[0] == right[0]
        and _within(left[1], right[1])
    )


def first_preempting(condition: Expr, earlier: Sequence[Expr]) -> int | None:
    """For first-match lists (routes, grade bands): the index of the first earlier condition
    that holds for every lead `condition` holds for, so that this entry is never reached."""
    return next((i for i, other in enumerate(earlier) if implies(condition, other)), None)


# A bound is (subject shape, constraint), where constraint is ("in", set of values) or
# (op, literal value) with op one of < <= > >=.
_Bound = tuple[Any, tuple[str, Any]]


def _bound(node: Expr) -> _Bound | None:
    """`employees >= 200` (or `200 <= employees`, `x in [..]`, `x == v`) as a constraint."""
    if isinstance(node, Membership) and not node.negated:
        return shape(node.item), ("in", frozenset(o.value for o in node.options))
    if not isinstance(node, Compare) or node.op == "!=":
        return None
    if isinstance(node.right, Literal) and not isinstance(node.left, Literal):
        subject, op, value = node.left, node.op, node.right.value
    elif isinstance(node.left, Literal) and not isinstance(node.right, Literal):
        subject, op, value = node.right, _FLIPPED[node.op], node.left.value
    else:
        return None
    if op == "==":
        return shape(subject), ("in", frozenset({value}))
    return shape(subject), (op, value)


def _within(narrow: tuple[str, Any], wide: tuple[str, Any]) -> bool:
    """Whether every value meeting `narrow` meets `wide`."""
    (op_a, a), (op_b, b) = narrow, wide
    if op_a == "in":
        return all(_satisfies(v, wide) for v in a)
    if op_b == "in" or not _comparable(a, b):
        return False
    if op_a in (">", ">=") and op_b in (">", ">="):
        return bool(a > b or (a == b and (op_b == ">=" or op_a == ">")))
    if op_a in ("<", "<=") and op_b in ("<", "<="):
        return bool(a < b or (a == b and (op_b == "<=" or op_a == "<")))
    return False


def _satisfies(value: Any, constraint: tuple[str, Any]) -> bool:
    op, bound = constraint
    if op == "in":
        return value in bound
    if not _comparable(value, bound):
        return False
    return bool(
        {"<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound}[op]
    )


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (
        isinstance(a, str) and isinstance(b, str)
    )
