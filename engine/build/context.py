"""What every builder shares: the document being built, the scope, and found problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.diagnostics import Diagnostic, diagnostic
from engine.document import Document, Path
from engine.expressions.checker import check_condition
from engine.expressions.nodes import Literal
from engine.expressions.parser import parse_expression
from engine.expressions.scope import Context, Scope
from engine.ir import Condition, Expected, IdRef
from engine.span import Span


@dataclass
class BuildContext:
    """A builder's view of one document. `scope` is None when the lead model is unusable:
    expressions are then parsed (syntax errors still show) but not type-checked, since
    every field would look unknown."""

    document: Document
    scope: Scope | None
    kind: str
    problems: list[Diagnostic] = field(default_factory=list)

    def value(self, path: Path, default: Any = None) -> Any:
        value: Any = self.document.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def span(self, path: Path) -> Span:
        return self.document.span(path)

    def key_span(self, path: Path) -> Span:
        return self.document.key_span(path)

    def ref(self, path: Path) -> IdRef:
        """The id written at `path` (the schema makes it present), with its span."""
        return IdRef(self.value(path), self.span(path))

    def optional_ref(self, path: Path) -> IdRef | None:
        """The id written at `path` with its span, or None when the key is absent."""
        return None if self.value(path) is None else self.ref(path)

    def id_refs(self, path: Path) -> tuple[IdRef, ...]:
        """The ids listed at `path` (absent: none), each with its own span."""
        return tuple(
            IdRef(item, self.span((*path, i))) for i, item in enumerate(self.value(path, []))
        )

    def expected(self, path: Path) -> Expected[Any] | None:
        """The value at `path` with its span, or None when it is absent."""
        value = self.value(path)
        return None if value is None else Expected(value, self.span(path))

    def report(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        self.problems.append(diagnostic(code, message, span, help=help))

    def condition(self, path: Path, context: Context) -> Condition | None:
        """Parse and check the condition at `path` (text or a YAML boolean)."""
        raw = self.value(path)
        span = self.span(path)
        if isinstance(raw, bool):
            return Condition(str(raw).lower(), Literal(value=raw, span=span), span)
        text = str(raw)

        def locate(line: int, column: int, width: int) -> Span:
            return self.document.position_in_string(path, line, column, width)

        expr, problems = parse_expression(text, locate)
        self.problems.extend(problems)
        if expr is None:
            return None
        if self.scope is not None:
            expr, problems = check_condition(expr, self.scope, context)
            self.problems.extend(problems)
        return Condition(text, expr, span)
