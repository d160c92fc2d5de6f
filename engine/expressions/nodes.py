"""Expression tree nodes. Every node carries its span and, once checked, its type."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.span import Span


class ExprType(StrEnum):
    BOOLEAN = "boolean"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"
    DATETIME = "datetime"
    # The type of a subtree that already has an error: compatible with everything, so one
    # mistake is reported once rather than once per enclosing operator.
    ANY = "any"


class RefKind(StrEnum):
    FIELD = "field"
    TERM = "term"
    GROUP = "group"
    SCORE = "score"
    GRADE = "grade"
    STAGE = "stage"


@dataclass(frozen=True, kw_only=True)
class Node:
    span: Span
    type: ExprType = ExprType.ANY


@dataclass(frozen=True, kw_only=True)
class Literal(Node):
    value: str | int | float | bool


@dataclass(frozen=True, kw_only=True)
class Ref(Node):
    """A name: a lead field, a glossary term, a score group, `score`, `grade` or `stage`."""

    name: str
    kind: RefKind | None = None


@dataclass(frozen=True, kw_only=True)
class Call(Node):
    function: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, kw_only=True)
class Compare(Node):
    op: str  # one of == != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True, kw_only=True)
class Membership(Node):
    item: Expr
    options: tuple[Literal, ...]
    negated: bool = False


@dataclass(frozen=True, kw_only=True)
class And(Node):
    operands: tuple[Expr, ...]


@dataclass(frozen=True, kw_only=True)
class Or(Node):
    operands: tuple[Expr, ...]


@dataclass(frozen=True, kw_only=True)
class Not(Node):
    operand: Expr


@dataclass(frozen=True, kw_only=True)
class Arithmetic(Node):
    op: str  # one of + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True, kw_only=True)
class Negate(Node):
    operand: Expr


Expr = Literal | Ref | Call | Compare | Membership | And | Or | Not | Arithmetic | Negate


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct subexpressions of a node, in source order."""
    match node:
        case Call(args=args):
            return args
        case Compare(left=left, right=right) | Arithmetic(left=left, right=right):
            return (left, right)
        case Membership(item=item, options=options):
            return (item, *options)
        case And(operands=operands) | Or(operands=operands):
            return operands
        case Not(operand=operand) | Negate(operand=operand):
            return (operand,)
        case _:
            return ()


def walk(node: Expr) -> list[Expr]:
    """Every node of the tree, parents before children."""
    found: list[Expr] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(children(current)))
    return found


def refs(node: Expr) -> list[Ref]:
    """The names a tree uses, in source order."""
    return [n for n in walk(node) if isinstance(n, Ref)]
