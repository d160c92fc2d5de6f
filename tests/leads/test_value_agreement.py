"""SQL (load_leads) and Python (coerce_lead) read every text as the same value, or both cannot.

Each text is typed as all six field types at once: the model's fields all read the column
`value`. The expectations are written by hand from docs/evaluation.md ("Lead values").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load_leads import field, lead_model

from engine.ir import FieldType
from engine.leads import coerce_lead, load_leads

TYPES = tuple(FieldType)
# One field of each type, all reading the column `value`.
MODEL = lead_model(
    field("lead_id", "string"),
    *(field(kind.value, kind.value, column="value") for kind in TYPES),
    null_values=("N/A", " Select "),
)

MISSING = "missing"
UNREADABLE = "unreadable"
Outcome = object  # a value, MISSING or UNREADABLE


def sql_outcomes(path: Path) -> list[dict[FieldType, Outcome]]:
    """Each row's outcome per type. A NULL is unreadable when the report counts it: the
    report keeps three examples per type, so callers load at most three rows."""
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    failed = {(u.field, row) for u in report.unreadable for row, _ in u.examples}
    names = ", ".join(f'"{kind.value}"' for kind in TYPES)
    rows = connection.execute(f"SELECT __row, {names} FROM leads ORDER BY __row").fetchall()
    return [
        {
            kind: value
            if value is not None
            else UNREADABLE
            if (kind.value, row[0]) in failed
            else MISSING
            for kind, value in zip(TYPES, row[1:], strict=True)
        }
        for row in rows
    ]


def python_outcomes(text: str) -> dict[FieldType, Outcome]:
    values, problems = coerce_lead(MODEL, {kind.value: text for kind in TYPES})
    failed = {problem.field for problem in problems}
    return {
        kind: values[kind.value]
        if values[kind.value] is not None
        else UNREADABLE
        if kind.value in failed
        else MISSING
        for kind in TYPES
    }


def one_row_csv(path: Path, text: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerows([["lead_id", "value"], ["L1", text]])
    return path


U, M = UNREADABLE, MISSING
STR, INT, NUM = FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER
BOOL, DATE, TIME = FieldType.BOOLEAN, FieldType.DATE, FieldType.DATETIME
CASES: list[tuple[FieldType, str, Outcome]] = [
    (INT, "1200", 1200),
    (INT, " -5 ", -5),
    (INT, "+7", 7),
    (INT, "\t12\n", 12),
    (INT, "12.0", 12),
    (INT, "12.", 12),
    (INT, "-0.000", 0),
    (INT, "007", 7),
    (INT, "9223372036854775807", 9223372036854775807),
    (INT, "-9223372036854775808", -9223372036854775808),
    (INT, "9223372036854775808", U),
    (INT, "12.5", U),
    (INT, ".0", U),
    (INT, "1e3", U),
    (INT, "0x10", U),
    (INT, "1_000", U),
    (INT, "1,000", U),
    (INT, "١٢", U),
    (INT, "\ufeff12", U),
    (INT, "NaN", U),
    (INT, "", M),
    (INT, "  ", M),
    (INT, "N/A", M),
    (INT, " Select", M),
    (INT, "select", U),
    (NUM, "0.5", 0.5),
    (NUM, ".5", 0.5),
    (NUM, "5.", 5.0),
    (NUM, " +1.5 ", 1.5),
    (NUM, "1e6", 1e6),
    (NUM, "-2.5E-3", -0.0025),
    (NUM, "12", 12.0),
    (NUM, "0.1", 0.1),
    (NUM, "123456789012345678901234567890", 1.2345678901234568e29),
    (NUM, "1e-400", 0.0),
    (NUM, "1e400", U),
    (NUM, "NaN", U),
    (NUM, "inf", U),
    (NUM, "-Infinity", U),
    (NUM, "1_000.5", U),
    (NUM, "1,5", U),
    (NUM, "1.5.2", U),
    (NUM, "e5", U),
    (NUM, "1e", U),
    (NUM, "0x1p3", U),
    (BOOL, "true", True),
    (BOOL, "TRUE", True),
    (BOOL, "t", True),
    (BOOL, " Yes ", True),
    (BOOL, "Y", True),
    (BOOL, "1", True),
    (BOOL, "False", False),
    (BOOL, "f", False),
    (BOOL, "NO", False),
    (BOOL, "n", False),
    (BOOL, "0", False),
    (BOOL, "maybe", U),
    (BOOL, "2", U),
    (BOOL, "on", U),
    (BOOL, "1.0", U),
    (BOOL, "\u017f", U),  # the long s, which RE2 folds into s when ignoring case
    (DATE, "2026-03-02", dt.date(2026, 3, 2)),
    (DATE, " 2024-02-29\r", dt.date(2024, 2, 29)),
    (DATE, "0001-01-01", dt.date(1, 1, 1)),
    (DATE, "9999-12-31", dt.date(9999, 12, 31)),
    (DATE, "0000-01-01", U),
    (DATE, "2026-02-30", U),
    (DATE, "2026-13-01", U),
    (DATE, "2026-3-2", U),
    (DATE, "2026-03-02T00:00:00", U),
    (DATE, "02/03/2026", U),
    (DATE, "20260302", U),
    (TIME, "2026-03-02T10:00:00Z", dt.datetime(2026, 3, 2, 10)),
    (TIME, "2026-03-02 11:00:00+01:00", dt.datetime(2026, 3, 2, 10)),
    (TIME, "2026-03-02T10:00+05:30", dt.datetime(2026, 3, 2, 4, 30)),
    (TIME, "2026-03-02T10:00:00-0130", dt.datetime(2026, 3, 2, 11, 30)),
    (TIME, "2026-03-02T10:00:00+05", dt.datetime(2026, 3, 2, 5)),
    (TIME, "2026-03-02 10:00Z", dt.datetime(2026, 3, 2, 10)),
    (TIME, "2026-03-02T10:00:00.5", dt.datetime(2026, 3, 2, 10, 0, 0, 500000)),
    (TIME, "2026-03-02T10:00:00.1234569Z", dt.datetime(2026, 3, 2, 10, 0, 0, 123456)),
    (TIME, "2026-03-02", dt.datetime(2026, 3, 2)),
    (TIME, "\t2026-03-02 ", dt.datetime(2026, 3, 2)),
    (TIME, " 2026-03-02T10:00 ", dt.datetime(2026, 3, 2, 10)),
    (TIME, "0001-01-01T00:00:00-01:00", dt.datetime(1, 1, 1, 1)),
    (TIME, "0001-01-01T00:00:00+00:01", U),
    (TIME, "9999-12-31T23:59:59-00:01", U),
    (TIME, "2026-02-30T10:00:00Z", U),
    (TIME, "2026-03-02T24:00:00", U),
    (TIME, "2026-03-02T23:59:60", U),
    (TIME, "2026-03-02t10:00:00", U),
    (TIME, "2026-03-02T10:00:00z", U),
    (TIME, "2026-03-02T10:00:00 UTC", U),
    (TIME, "2026-03-02T10:00:00+24:00", U),
    (TIME, "2026-03-02T10", U),
    (TIME, "2026-03-02T10:00:00.Z", U),
    (TIME, "1772445600", U),
    (STR, "  kept as written  ", "  kept as written  "),
    (STR, "١٢", "١٢"),
    (STR, "\ufeff", "\ufeff"),
    (STR, "n/a", "n/a"),
    (STR, " N/A\t", M),
    (STR, "Select", M),
    (STR, "", M),
    (STR, " \t ", M),
]


@pytest.mark.parametrize(("kind", "text", "expected"), CASES)
def test_sql_and_python_read_a_text_alike_and_as_documented(
    tmp_path: Path, kind: FieldType, text: str, expected: Outcome
) -> None:
    (sql,) = sql_outcomes(one_row_csv(tmp_path / "lead.csv", text))
    python = python_outcomes(text)
    assert sql == python  # all six types, not only the one the case is about
    assert python[kind] == expected
    assert type(python[kind]) is type(expected)


def parquet_of(path: Path, texts: Sequence[str]) -> Path:
    """Texts as a VARCHAR column: Parquet holds any text exactly, unlike a CSV cell."""
    connection = duckdb.connect()
    connection.execute("CREATE TABLE t (lead_id VARCHAR, value VARCHAR)")
    connection.executemany(
        "INSERT INTO t VALUES (?, ?)", [[f"L{i}", t] for i, t in enumerate(texts)]
    )
    connection.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    return path


def assert_agree(directory: Path, texts: Sequence[str]) -> None:
    sql = sql_outcomes(parquet_of(directory / "leads.parquet", texts))
    assert sql == [python_outcomes(text) for text in texts]


_TEXT = st.characters(exclude_categories=["Cs"])  # what UTF-8 holds: no lone surrogates
_PAD = st.sampled_from(["", " ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\ufeff"])


def padded(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda a, text, b: a + text + b, _PAD, core, _PAD)


INTEGER_LIKE = padded(
    st.one_of(
        st.integers(min_value=-(2**65), max_value=2**65).map(str),
        st.from_regex(r"[+-]?[0-9]{1,20}(\.0{0,3})?", fullmatch=True),
        st.text(alphabet="0123456789+-.eE_x, ", max_size=8),
    )
)
NUMBER_LIKE = padded(
    st.one_of(
        st.floats().map(repr),
        st.floats().map(lambda x: f"{x:e}"),
        st.from_regex(r"[+-]?([0-9]{0,25}\.?[0-9]{0,25})([eE][+-]?[0-9]{1,4})?", fullmatch=True),
        st.text(alphabet="0123456789+-.eEinfaINFA_", max_size=10),
    )
)
BOOLEAN_LIKE = padded(st.text(alphabet="tTrRuUeEfFaAlLsSyYnNoO012 \u017f\u212a", max_size=6))
DATETIME_LIKE = padded(
    st.one_of(
        st.builds(
            lambda moment, sep, fraction, offset: (
                f"{moment.year:04}-{moment:%m-%d}{sep}{moment:%H:%M:%S}{fraction}{offset}"
            ),
            st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
            st.sampled_from(["T", " ", "t", "_"]),
            st.from_regex(r"(\.[0-9]{0,12})?", fullmatch=True),
            st.from_regex(r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?", fullmatch=True),
        ),
        st.dates().map(str),
        st.text(alphabet="0123456789-:TZ+ .", max_size=32),
    )
)

AGREEMENT = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@AGREEMENT
@given(texts=st.lists(INTEGER_LIKE, min_size=1, max_size=3))
def test_integer_like_texts_agree(tmp_path: Path, texts: list[str]) -> None:
    assert_agree(tmp_path, texts)


@AGREEMENT
@given(texts=st.lists(NUMBER_LIKE, min_size=1, max_size=3))
def test_number_like_texts_agree(tmp_path: Path, texts: list[str]) -> None:
    assert_agree(tmp_path, texts)


@AGREEMENT
@given(texts=st.lists(BOOLEAN_LIKE, min_size=1, max_size=3))
def test_boolean_like_texts_agree(tmp_path: Path, texts: list[str]) -> None:
    assert_agree(tmp_path, texts)


@AGREEMENT
@given(texts=st.lists(DATETIME_LIKE, min_size=1, max_size=3))
def test_datetime_like_texts_agree(tmp_path: Path, texts: list[str]) -> None:
    assert_agree(tmp_path, texts)


@AGREEMENT
@given(texts=st.lists(st.text(_TEXT, max_size=12), min_size=1, max_size=3))
def test_any_texts_agree(tmp_path: Path, texts: list[str]) -> None:
    assert_agree(tmp_path, texts)
