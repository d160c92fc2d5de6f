"""The expression parser and type checker against the example lead model: random token
sequences, mutations of the example organisation's own conditions, and the generated
conditions of the evaluation parity test. Always a typed tree or located diagnostics."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fuzz_inputs import EXAMPLE, ODD_CHARS, assert_located
from fuzz_profiles import scaled
from hypothesis import given
from hypothesis import strategies as st

from engine.build.scope import collect_scope
from engine.document import Document
from engine.expressions.checker import check_condition, check_value
from engine.expressions.parser import parse_expression
from engine.expressions.scope import Context, Scope
from engine.loader import load_document
from engine.schema_validation import document_kind
from engine.span import Span

# The parity test's generated conditions (tests/evaluation is not a package).
sys.path.append(str(Path(__file__).resolve().parents[1] / "evaluation"))
from test_expression_parity import CONDITION

PATH = "rules/fuzz.yaml"


def _example_scope() -> Scope:
    by_kind: dict[str, list[Document]] = {}
    for path, raw in EXAMPLE.items():
        document, _ = load_document(path, raw)
        assert document is not None
        kind, _ = document_kind(document)
        assert kind is not None
        by_kind.setdefault(kind, []).append(document)
    scope = collect_scope(by_kind)
    assert scope is not None
    return scope


SCOPE = _example_scope()
# Every condition and value the example organisation writes (`when:`, `means:`, ...).
_EXPRESSION_LINE = re.compile(r"^\s*-?\s*(?:when|means|value|unless|if): (.+)$", re.MULTILINE)
EXAMPLE_EXPRESSIONS = sorted(
    {
        m.group(1).strip().strip('"')
        for raw in EXAMPLE.values()
        for m in _EXPRESSION_LINE.finditer(raw.decode())
    }
)
NAMES = sorted([*SCOPE.fields, *SCOPE.terms, *SCOPE.groups, *SCOPE.grades, *SCOPE.stages])
TOKENS = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(
        [
            "and",
            "or",
            "not",
            "in",
            "not in",
            "==",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "+",
            "-",
            "*",
            "/",
            "%",
            "**",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ".",
            ":",
            "=",
            ";",
            "'DE'",
            '"x"',
            "'",
            '"',
            "1",
            "0",
            "-1",
            "2.5",
            "1e309",
            "10**10**10",
            "true",
            "false",
            "null",
            "None",
            "lower(",
            "upper(",
            "matches(",
            "contains(",
            "days_since(",
            "hours_since(",
            "is_null(",
            "coalesce(",
            "length(",
            "domain(",
            "__import__",
            "__class__",
            "lambda",
            "if",
            "else",
            "for",
            "yield",
            "await",
            "f'{x}'",
            "b'x'",
            "...",
            "@",
            "\\",
            "#",
            "'(a+)+$'",
            "'(?P<x>'",
            "'['",
        ]
    ),
    st.sampled_from(ODD_CHARS),
)
CONTEXTS = st.sampled_from(list(Context))


def check(text: str, context: Context) -> None:
    def locate(line: int, column: int, width: int) -> Span:
        return Span(PATH, 1 + line, 1 + column, 1 + line, 1 + column + max(width, 1))

    expr, problems = parse_expression(text, locate)
    if expr is not None:
        for checker in (check_condition, check_value):
            _, found = checker(expr, SCOPE, context)
            problems += found
    else:
        assert problems, "an expression that does not parse must say why"
    # Expressions are located inside their YAML scalar; here the scalar is the whole file.
    assert_located(problems, {PATH: text.encode("utf-8", "surrogatepass")}, yaml_lines=False)


def test_the_example_expressions_are_found() -> None:
    assert len(EXAMPLE_EXPRESSIONS) > 20


@scaled(300)
@given(st.lists(TOKENS, max_size=16).map(" ".join), CONTEXTS)
def test_token_sequences(text: str, context: Context) -> None:
    check(text, context)


@scaled(300)
@given(st.sampled_from(EXAMPLE_EXPRESSIONS), st.data(), CONTEXTS)
def test_mutated_example_expressions(base: str, data: st.DataObject, context: Context) -> None:
    text = base
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(at, min(len(text), at + 6)))
        insert = data.draw(st.one_of(TOKENS, st.just(""), st.text(max_size=3)))
        text = text[:at] + insert + text[end:]
    check(text, context)


@scaled(100)
@given(CONDITION, CONTEXTS)
def test_generated_conditions(text: str, context: Context) -> None:
    check(text, context)
