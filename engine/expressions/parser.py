"""Text to expression tree. Python's own parser reads the syntax; nothing is ever evaluated.

`ast.parse` only builds a syntax tree (it compiles and runs nothing). We accept a small
allow-list of its node types and translate them into our own nodes; anything else, from
attribute access (`().__class__`) to lambdas, is a diagnostic, never executed.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable

from engine.diagnostics import Diagnostic, diagnostic
from engine.expressions.functions import FUNCTIONS
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
from engine.span import Span

# Maps a 0-based (line, column) in the expression text and a width to a file span.
Locator = Callable[[int, int, int], Span]

MAX_LENGTH = 2000
MAX_DEPTH = 32
# Whole numbers beyond 2**53 lose precision as doubles, which SQL backends may use.
MAX_INTEGER = 2**53

_SINGLE_EQUALS = re.compile(r"(?<![=!<>:])=(?!=)")
_COMPARISONS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_EXAMPLE = 'write conditions like `employees >= 200 and country in ["DE", "FR"]`'
_FUNCTIONS_HELP = "expressions may call only " + ", ".join(
    f"`{name}`" for name in sorted(FUNCTIONS)
)

_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (`x.y`)",
    ast.Subscript: "indexing (`x[0]`)",
    ast.Lambda: "lambda functions",
    ast.IfExp: "conditional expressions (`x if c else y`)",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Await: "`await`",
    ast.Yield: "`yield`",
    ast.YieldFrom: "`yield`",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Starred: "`*` unpacking",
    ast.NamedExpr: "assignment (`:=`)",
    ast.Slice: "slices",
}


class _Reject(Exception):
    def __init__(self, problem: Diagnostic) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_expression(source: str, locate: Locator) -> tuple[Expr | None, list[Diagnostic]]:
    """Parse one expression; on failure return None and the (single) reason."""
    if len(source) > MAX_LENGTH:
        return None, [
            diagnostic(
                "E112",
                f"expression is {len(source):,} characters long; the limit is {MAX_LENGTH:,}",
                locate(0, 0, 1),
                help="split it into glossary terms and use them by name",
            )
        ]
    if not source.strip():
        return None, [diagnostic("E101", "the expression is empty", locate(0, 0, 1), help=_EXAMPLE)]
    lines = source.split("\n")
    # Parenthesised so that an expression may span lines; `(` shifts line 1 by one column.
    wrapped = "(" + source + "\n)"
    try:
        tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as error:
        return None, [_syntax_problem(error, lines, locate)]
    except (RecursionError, MemoryError, ValueError):
        return None, [
            diagnostic(
                "E112", "expression is nested too deeply to read", locate(0, 0, 1), help=_EXAMPLE
            )
        ]
    converter = _Converter(lines, locate)
    try:
        return converter.convert(tree.body, 0), []
    except _Reject as rejected:
        return None, [rejected.problem]


def _syntax_problem(error: SyntaxError, lines: list[str], locate: Locator) -> Diagnostic:
    line = (error.lineno or 1) - 1
    column = (error.offset or 1) - 1
    if line == 0:
        column = max(column - 1, 0)
    message = error.msg
    if line >= len(lines):  # on the closing parenthesis we added: the text ended early
        line = len(lines) - 1
        column = max(len(lines[line].rstrip()) - 1, 0)
        message = "the expression ends too early"
    if "Maybe you meant '==' or ':=' instead of '='?" in message:
        # Python marks the whole `a = b`; point at the `=` itself.
        message = message.replace(
            "Maybe you meant '==' or ':=' instead of '='?", "Use `==` to compare."
        )
        single = _SINGLE_EQUALS.search(lines[line], column)
        column = single.start() if single else column
    message = message.replace("Perhaps you forgot a comma?", "Is an `and` or `or` missing?")
    return diagnostic(
        "E101", f"expression syntax: {message}", locate(line, column, 1), help=_EXAMPLE
    )


class _Converter:
    def __init__(self, lines: list[str], locate: Locator) -> None:
        self.lines = lines
        self.locate = locate

    def span(self, node: ast.AST) -> Span:
        lineno: int = getattr(node, "lineno", 1)
        line, column = self._position(lineno, getattr(node, "col_offset", 0))
        end_lineno: int = getattr(node, "end_lineno", None) or lineno
        end_line, end_column = self._position(
            end_lineno, getattr(node, "end_col_offset", None) or 0
        )
        width = end_column - column if end_line == line else len(self.lines[line]) - column
        return self.locate(line, column, max(width, 1))

    def _position(self, lineno: int, byte_offset: int) -> tuple[int, int]:
        """ast's 1-based line and UTF-8 byte offset in the wrapped text → 0-based line, char column."""
        line = min(lineno - 1, len(self.lines) - 1)
        text = (
            ("(" + self.lines[0])
            if lineno == 1
            else (self.lines[line] if lineno - 1 < len(self.lines) else "")
        )
        column = len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
        if lineno == 1:
            column -= 1
        return line, max(column, 0)

    def reject(self, node: ast.AST, code: str, message: str, help: str) -> _Reject:
        return _Reject(diagnostic(code, message, self.span(node), help=help))

    def convert(self, node: ast.AST, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise self.reject(
                node,
                "E112",
                f"expression nests more than {MAX_DEPTH} levels deep",
                "split it into glossary terms",
            )
        span = self.span(node)
        match node:
            case ast.BoolOp(op=op, values=values):
                operands = tuple(self.convert(v, depth + 1) for v in values)
                return (
                    And(operands=operands, span=span)
                    if isinstance(op, ast.And)
                    else Or(operands=operands, span=span)
                )
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return Not(operand=self.convert(operand, depth + 1), span=span)
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                inner = self.convert(operand, depth + 1)
                if (
                    isinstance(inner, Literal)
                    and isinstance(inner.value, (int, float))
                    and not isinstance(inner.value, bool)
                ):
                    return Literal(value=-inner.value, span=span)
                return Negate(operand=inner, span=span)
            case ast.UnaryOp(op=ast.UAdd(), operand=operand):
                return self.convert(operand, depth + 1)
            case ast.BinOp(op=op, left=left, right=right) if type(op) in _ARITHMETIC:
                return Arithmetic(
                    op=_ARITHMETIC[type(op)],
                    left=self.convert(left, depth + 1),
                    right=self.convert(right, depth + 1),
                    span=span,
                )
            case ast.BinOp():
                raise self.reject(
                    node, "E102", "only `+`, `-`, `*` and `/` are allowed in arithmetic", _EXAMPLE
                )
            case ast.Compare():
                return self.comparison(node, depth)
            case ast.Call():
                return self.call(node, depth)
            case ast.Name(id=name):
                return self.name(node, name, span)
            case ast.Constant(value=value):
                return self.constant(node, value, span)
            case ast.List() | ast.Tuple():
                raise self.reject(
                    node, "E102", "a list can only follow `in`", 'write `field in ["a", "b"]`'
                )
            case ast.UnaryOp(op=ast.Invert()):
                raise self.reject(
                    node,
                    "E102",
                    "the expression language has no `~`",
                    "use `not` to negate a condition",
                )
        description = _FORBIDDEN.get(type(node), f"`{type(node).__name__}` nodes")
        raise self.reject(node, "E102", f"the expression language has no {description}", _EXAMPLE)

    def name(self, node: ast.AST, name: str, span: Span) -> Expr:
        if name in ("true", "True"):
            return Literal(value=True, span=span)
        if name in ("false", "False"):
            return Literal(value=False, span=span)
        if name in ("null", "None", "none", "nil"):
            raise self.reject(
                node,
                "E102",
                "there is no null value in conditions",
                "test for a missing value with `is_null(field)`",
            )
        if name.startswith("_"):
            raise self.reject(
                node,
                "E102",
                f"`{name}` is not part of the expression language: names never start with `_`",
                _FUNCTIONS_HELP,
            )
        return Ref(name=name, span=span)

    def constant(self, node: ast.AST, value: object, span: Span) -> Literal:
        if value is None:
            raise self.reject(
                node,
                "E102",
                "there is no null value in conditions",
                "test for a missing value with `is_null(field)`",
            )
        if isinstance(value, (bool, str)):
            return Literal(value=value, span=span)
        if isinstance(value, int):
            if abs(value) > MAX_INTEGER:
                raise self.reject(
                    node,
                    "E112",
                    f"the number {value} is too large",
                    f"numbers may be at most {MAX_INTEGER:,}",
                )
            return Literal(value=value, span=span)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.reject(node, "E112", "the number is too large", "write a finite number")
            return Literal(value=value, span=span)
        raise self.reject(
            node,
            "E102",
            f"{type(value).__name__} values are not part of the expression language",
            _EXAMPLE,
        )

    def comparison(self, node: ast.Compare, depth: int) -> Expr:
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            raise self.reject(
                node,
                "E102",
                "the expression language has no `is`",
                "use `==`, or `is_null(x)` for a missing value",
            )
        membership = any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
        if membership and len(node.ops) > 1:
            raise self.reject(
                node,
                "E102",
                "`in` cannot be chained with other comparisons",
                "join the parts with `and`",
            )
        left_node = node.left
        left = self.convert(left_node, depth + 1)
        if membership:
            options = self.options(node.comparators[0])
            return Membership(
                item=left,
                options=options,
                negated=isinstance(node.ops[0], ast.NotIn),
                span=self.span(node),
            )
        parts: list[Expr] = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.convert(right_node, depth + 1)
            span = self.locate_between(left_node, right_node)
            parts.append(Compare(op=_COMPARISONS[type(op)], left=left, right=right, span=span))
            left_node, left = right_node, right
        if len(parts) == 1:
            return parts[0]
        return And(operands=tuple(parts), span=self.span(node))

    def locate_between(self, left: ast.AST, right: ast.AST) -> Span:
        start = self.span(left)
        end = self.span(right)
        if start.line == end.end_line:
            return Span(start.file, start.line, start.column, end.end_line, end.end_column)
        return start

    def options(self, node: ast.AST) -> tuple[Literal, ...]:
        if not isinstance(node, (ast.List, ast.Tuple)):
            raise self.reject(
                node,
                "E102",
                "`in` takes a list of values",
                'write `field in ["a", "b"]`; to look inside text use `contains(text, part)`',
            )
        if not node.elts:
            raise self.reject(
                node, "E102", "the list after `in` is empty", "list at least one value"
            )
        options = []
        for element in node.elts:
            value = self.convert(element, MAX_DEPTH - 1)  # literals only: no room to nest
            if not isinstance(value, Literal):
                raise self.reject(
                    element,
                    "E102",
                    "the list after `in` may hold only literal values",
                    'write `field in ["a", "b"]`',
                )
            options.append(value)
        return tuple(options)

    def call(self, node: ast.Call, depth: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise self.reject(
                    node.func,
                    "E102",
                    "the expression language has no attribute access (`x.y`)",
                    _FUNCTIONS_HELP,
                )
            description = _FORBIDDEN.get(type(node.func))
            message = (
                f"the expression language has no {description}"
                if description
                else "only named functions can be called"
            )
            raise self.reject(node.func, "E102", message, _FUNCTIONS_HELP)
        name = node.func.id
        if name.startswith("_"):
            raise self.reject(
                node.func,
                "E102",
                f"`{name}` is not part of the expression language: names never start with `_`",
                _FUNCTIONS_HELP,
            )
        if node.keywords:
            raise self.reject(
                node.keywords[0],
                "E105",
                f"`{name}` takes its arguments by position, not by name",
                _FUNCTIONS_HELP,
            )
        args = tuple(self.convert(a, depth + 1) for a in node.args)
        return Call(function=name, args=args, span=self.span(node))
