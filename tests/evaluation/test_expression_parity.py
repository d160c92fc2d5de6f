"""Random expressions over the lead model, random leads: the interpreter and DuckDB agree.

Hypothesis writes expressions as text, the real parser and type checker turn them into
trees (texts the checker rejects are skipped), and every lead is evaluated by the
interpreter's closure and by the SQL compiler's expression in one DuckDB query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.diagnostics import Diagnostic
from engine.expressions.checker import check_condition, check_value
from engine.expressions.nodes import Expr, ExprType
from engine.expressions.parser import parse_expression
from engine.expressions.scope import Context, Dependency, FieldSymbol, Scope
from engine.interpreter.expressions import compile_expr
from engine.interpreter.values import AS_OF
from engine.ir import FieldRole, FieldType, LeadField, LeadModel
from engine.span import Span
from engine.sql.expressions import Compiler
from engine.sql.run import create_lead_table

AS_OF_TIME = dt.datetime(2026, 3, 29, 1, 30)  # the night Europe changes to summer time
_TYPES = {
    FieldType.STRING: ExprType.STRING,
    FieldType.INTEGER: ExprType.NUMBER,
    FieldType.NUMBER: ExprType.NUMBER,
    FieldType.BOOLEAN: ExprType.BOOLEAN,
    FieldType.DATE: ExprType.DATE,
    FieldType.DATETIME: ExprType.DATETIME,
}


def _field(name: str, kind: FieldType) -> LeadField:
    span = Span("rules/lead.yaml", 1, 1, 1, 2)
    return LeadField(name, kind, FieldRole.ATTRIBUTE, None, None, None, None, span)


FIELDS = (
    _field("lead_id", FieldType.STRING),
    _field("title", FieldType.STRING),
    _field("email", FieldType.STRING),
    _field("employees", FieldType.INTEGER),
    _field("revenue", FieldType.NUMBER),
    _field("demo", FieldType.BOOLEAN),
    _field("signed_up", FieldType.DATE),
    _field("last_seen", FieldType.DATETIME),
    _field("first_seen", FieldType.DATETIME),
)
MODEL = LeadModel(
    id_field=__import__("engine.ir", fromlist=["IdRef"]).IdRef("lead_id", FIELDS[0].span),
    fields=FIELDS,
    span=FIELDS[0].span,
)
SCOPE = Scope(
    fields={f.id: FieldSymbol(f.id, _TYPES[f.type], Dependency.ATTRIBUTE) for f in FIELDS},
    terms={},
    groups=frozenset(),
    grades=(),
    stages=(),
)
STRINGS = ("title", "email", "lead_id")
NUMBERS = ("employees", "revenue")
TIMES = ("last_seen", "first_seen")

TEXT = st.text(
    alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=12
)
SPECIAL_TEXT = st.sampled_from(
    [
        "",
        " ",
        "ß",
        "İstanbul",
        "ΑΣ",
        "straße",
        "ﬁne",
        "a@b.com",
        "ANA@ACME.COM",
        "https://www.x.io/a",
        "VP Sales",
        "\tx\n",
        "😀",
        "e\u0301",
    ]
)


def _quote(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        + '"'
    )


def _number_literal(value: float | int) -> str:
    return repr(value) if value >= 0 else f"({value!r})"


NUMBER_LITERALS = st.one_of(
    st.integers(-(2**53), 2**53).map(_number_literal),
    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False).map(_number_literal),
    st.sampled_from(["0", "1", "0.5", "1e308", "200", "2.5"]),
)
STRING_LITERALS = st.one_of(TEXT, SPECIAL_TEXT).map(_quote)
REGEXES = st.sampled_from(
    [
        r"(?i)\\b(vp|director|head of|chief)\\b",
        "^a",
        "a$",
        "[.]com$",
        "(?i)ß",
        "^$",
        "x+y?",
        r"\\d{2,}",
        ".",
    ]
)


def _extend_numbers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from("+-*/"), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        children.map(lambda c: f"-({c})"),
        st.tuples(children, children).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    )


NUMBER_LEAVES = st.one_of(
    st.sampled_from(NUMBERS),
    NUMBER_LITERALS,
    st.sampled_from(
        [f"days_since({f})" for f in (*TIMES, "signed_up")] + [f"hours_since({f})" for f in TIMES]
    ),
    st.sampled_from(STRINGS).map(lambda f: f"length({f})"),
)
NUMBER_EXPR = st.recursive(NUMBER_LEAVES, _extend_numbers, max_leaves=4)

STRING_LEAVES = st.one_of(st.sampled_from(STRINGS), STRING_LITERALS)
STRING_EXPR = st.recursive(
    STRING_LEAVES,
    lambda c: st.one_of(
        st.tuples(st.sampled_from(["lower", "upper", "trim", "domain"]), c).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(c, c).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    ),
    max_leaves=3,
)
COMPARE = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
CONDITION_LEAVES = st.one_of(
    st.tuples(NUMBER_EXPR, COMPARE, NUMBER_EXPR).map(" ".join),
    st.tuples(STRING_EXPR, COMPARE, STRING_EXPR).map(" ".join),
    st.tuples(st.sampled_from(TIMES), COMPARE, st.sampled_from(TIMES)).map(" ".join),
    st.tuples(STRING_EXPR, st.lists(STRING_LITERALS, min_size=1, max_size=3), st.booleans()).map(
        lambda t: f"{t[0]} {'not in' if t[2] else 'in'} [{', '.join(t[1])}]"
    ),
    st.tuples(NUMBER_EXPR, st.lists(NUMBER_LITERALS, min_size=1, max_size=3)).map(
        lambda t: f"{t[0]} in [{', '.join(t[1])}]"
    ),
    st.tuples(STRING_EXPR, REGEXES).map(lambda t: f'matches({t[0]}, "{t[1]}")'),
    st.tuples(
        st.sampled_from(["contains", "startswith", "endswith"]), STRING_EXPR, STRING_EXPR
    ).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    st.sampled_from([*STRINGS, *NUMBERS, *TIMES, "demo", "signed_up"]).map(
        lambda f: f"is_null({f})"
    ),
    st.sampled_from(["demo", "demo == true", "demo != false", "coalesce(demo, true)"]),
)
CONDITION = st.recursive(
    CONDITION_LEAVES,
    lambda c: st.one_of(
        c.map(lambda x: f"not ({x})"),
        st.tuples(c, st.sampled_from(["and", "or"]), c).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    ),
    max_leaves=4,
)

DST_TIMES = st.sampled_from(
    [
        dt.datetime(2026, 3, 29, 0, 59, 59),
        dt.datetime(2026, 3, 29, 1, 0),
        dt.datetime(2026, 10, 25, 0, 59, 59, 999999),
        dt.datetime(2026, 3, 8, 7, 0),
        dt.datetime(2026, 11, 1, 6, 0),
    ]
)
TIMES_ST = st.one_of(
    st.none(), DST_TIMES, st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1))
)
LEADS = st.fixed_dictionaries(
    {
        "lead_id": st.one_of(st.none(), TEXT),
        "title": st.one_of(st.none(), TEXT, SPECIAL_TEXT),
        "email": st.one_of(st.none(), TEXT, SPECIAL_TEXT),
        "employees": st.one_of(
            st.none(), st.integers(-(2**63), 2**63 - 1), st.sampled_from([0, 200, 2**53 + 1])
        ),
        "revenue": st.one_of(
            st.none(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.sampled_from([0.0, -0.0, 1e308, 5e-324]),
        ),
        "demo": st.one_of(st.none(), st.booleans()),
        "signed_up": st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1))),
        "last_seen": TIMES_ST,
        "first_seen": TIMES_ST,
    }
)


def _checked(
    text: str, check: Callable[..., tuple[Expr, list[Diagnostic]]] = check_condition
) -> Expr:
    """The typed tree of `text` (a condition, or a value with check_value); skips what fails."""

    def locate(line: int, column: int, width: int) -> Span:
        return Span("test", line + 1, column + 1, line + 1, column + 1 + width)

    expr, problems = parse_expression(text, locate)
    assume(expr is not None and not problems)
    assert expr is not None
    typed, problems = check(expr, SCOPE, Context.ROUTE)
    assume(not problems)
    return typed


@pytest.fixture(scope="module")
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        yield con


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=CONDITION, leads=st.lists(LEADS, min_size=1, max_size=6))
def test_conditions_agree(
    connection: duckdb.DuckDBPyConnection, text: str, leads: list[dict[str, object]]
) -> None:
    expr = _checked(text)
    interpreted = compile_expr(expr, {})
    sql = Compiler(AS_OF_TIME, {}).condition(expr)
    create_lead_table(connection, MODEL, leads)  # type: ignore[arg-type]
    rows = connection.execute(f"SELECT {sql} FROM leads ORDER BY __row").fetchall()
    for lead, (in_sql,) in zip(leads, rows, strict=True):
        env = {**lead, AS_OF: AS_OF_TIME}
        in_python = interpreted(env) is True
        assert in_python == in_sql, (
            f"{text!r} on {lead!r}: interpreter {in_python}, DuckDB {in_sql}"
        )


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)  # type: ignore[arg-type]
    return a == b


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=st.one_of(NUMBER_EXPR, STRING_EXPR), leads=st.lists(LEADS, min_size=1, max_size=6))
def test_values_agree(
    connection: duckdb.DuckDBPyConnection, text: str, leads: list[dict[str, object]]
) -> None:
    expr = _checked(text, check_value)
    interpreted = compile_expr(expr, {})
    sql = Compiler(AS_OF_TIME, {}).value(expr)
    create_lead_table(connection, MODEL, leads)  # type: ignore[arg-type]
    rows = connection.execute(f"SELECT {sql} FROM leads ORDER BY __row").fetchall()
    for lead, (in_sql,) in zip(leads, rows, strict=True):
        in_python = interpreted({**lead, AS_OF: AS_OF_TIME})
        assert _same(in_python, in_sql), (
            f"{text!r} on {lead!r}: interpreter {in_python!r}, DuckDB {in_sql!r}"
        )
