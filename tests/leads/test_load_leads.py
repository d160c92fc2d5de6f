"""load_leads on CSV files: the typed table, the column mapping and the report's exact numbers.

`field` and `lead_model` build small lead models; the other lead tests import them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from engine.ir import FieldRole, FieldType, IdRef, LeadField, LeadModel
from engine.leads import (
    DuplicateId,
    LeadDataError,
    LeadFormat,
    LoadReport,
    UnreadableField,
    load_leads,
)
from engine.span import Span

SPAN = Span.whole_file("rules/lead.yaml")


def field(id: str, type: str, *, column: str = "", null_values: tuple[str, ...] = ()) -> LeadField:
    return LeadField(
        id,
        FieldType(type),
        FieldRole.ATTRIBUTE,
        None,
        None,
        None,
        None,
        SPAN,
        column=column,
        null_values=null_values,
    )


def lead_model(*fields: LeadField, null_values: tuple[str, ...] = ()) -> LeadModel:
    return LeadModel(IdRef("lead_id", SPAN), fields, SPAN, null_values=null_values)


MODEL = lead_model(
    field("lead_id", "string"),
    field("full_name", "string", column="Full Name"),
    field("employees", "integer"),
    field("revenue", "number"),
    field("demo", "boolean"),
    field("signed_on", "date"),
    field("created_at", "datetime"),
    field("industry", "string", null_values=("Select",)),
    field("quoted", "string", column='it\'s "quoted"'),
    field("country", "string"),
    null_values=("N/A",),
)


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def rows(connection: duckdb.DuckDBPyConnection, table: str = "leads") -> list[tuple[object, ...]]:
    return connection.execute(f'SELECT * FROM "{table}" ORDER BY __row').fetchall()


def test_a_csv_file_becomes_a_typed_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "leads.csv",
        "\ufefflead_id,Full Name,employees,revenue,demo,signed_on,created_at,industry,"
        '"it\'s ""quoted""",notes\n'
        'L1,"Doe, Jane",1200,0.5,yes,2026-01-31,2026-03-02T10:00:00Z,Banking,q,first\n'
        "L2,Bob, 7 ,1e6,N,2026-02-01,2026-03-02 11:00:00+01:00,Select,,\n"
        "L3,N/A,,N/A,TRUE,,2026-03-02,  N/A  ,\n"
        "L4,Short,12\n",
    )
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    assert report == LoadReport(
        path=path,
        format=LeadFormat.CSV,
        rows=4,
        missing_columns=("country",),
        ignored_columns=("notes",),
        unreadable=(),
        duplicate_ids=0,
        duplicate_examples=(),
        null_ids=0,
    )
    described = connection.execute("DESCRIBE leads").fetchall()
    assert [(c[0], c[1]) for c in described] == [
        ("lead_id", "VARCHAR"),
        ("full_name", "VARCHAR"),
        ("employees", "BIGINT"),
        ("revenue", "DOUBLE"),
        ("demo", "BOOLEAN"),
        ("signed_on", "DATE"),
        ("created_at", "TIMESTAMP"),
        ("industry", "VARCHAR"),
        ("quoted", "VARCHAR"),
        ("country", "VARCHAR"),
        ("__row", "BIGINT"),
    ]
    assert rows(connection) == [
        (
            "L1",
            "Doe, Jane",
            1200,
            0.5,
            True,
            dt.date(2026, 1, 31),
            dt.datetime(2026, 3, 2, 10),
            "Banking",
            "q",
            None,
            1,
        ),
        (
            "L2",
            "Bob",
            7,
            1e6,
            False,
            dt.date(2026, 2, 1),
            dt.datetime(2026, 3, 2, 10),
            None,
            None,
            None,
            2,
        ),
        ("L3", None, None, None, True, None, dt.datetime(2026, 3, 2), None, None, None, 3),
        ("L4", "Short", 12, None, None, None, None, None, None, None, 4),
    ]


def test_long_rows_lose_their_extra_cells_and_quoted_line_breaks_survive(
    tmp_path: Path,
) -> None:
    # A line break inside quotes plus a short row is what DuckDB's parallel reader cannot
    # pad; the serial reader takes over.
    path = write(
        tmp_path / "leads.csv",
        'lead_id,Full Name,employees\nL1,"two\nlines",5\nL2,short\nL3,long,6,7,8\n',
    )
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    assert report.rows == 3
    assert connection.execute(
        "SELECT lead_id, full_name, employees, __row FROM leads"
    ).fetchall() == [
        ("L1", "two\nlines", 5, 1),
        ("L2", "short", None, 2),
        ("L3", "long", 6, 3),
    ]


def test_unreadable_values_are_counted_with_the_first_three_examples(tmp_path: Path) -> None:
    path = write(
        tmp_path / "leads.csv",
        "lead_id,employees,revenue,demo,signed_on,created_at\n"
        "a,12.5,NaN,maybe,2026-02-30,2026-03-02T25:00:00Z\n"
        "b,0x10,inf,yes,2026-02-28,2026-03-02T10:00:00+02:00\n"
        "c,1_000,1e400,2,31/01/2026,tomorrow\n"
        'd,"1,000",1.5,t,2026-1-5,2026-03-02T10:00:00 UTC\n'
        "e,١٢,abc,no,,\n",
    )
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    integer, number, boolean, date, datetime = (
        FieldType.INTEGER,
        FieldType.NUMBER,
        FieldType.BOOLEAN,
        FieldType.DATE,
        FieldType.DATETIME,
    )
    assert report.unreadable == (
        UnreadableField(
            "employees", "employees", integer, 5, ((1, "12.5"), (2, "0x10"), (3, "1_000"))
        ),
        UnreadableField("revenue", "revenue", number, 4, ((1, "NaN"), (2, "inf"), (3, "1e400"))),
        UnreadableField("demo", "demo", boolean, 2, ((1, "maybe"), (3, "2"))),
        UnreadableField(
            "signed_on",
            "signed_on",
            date,
            3,
            ((1, "2026-02-30"), (3, "31/01/2026"), (4, "2026-1-5")),
        ),
        UnreadableField(
            "created_at",
            "created_at",
            datetime,
            3,
            ((1, "2026-03-02T25:00:00Z"), (3, "tomorrow"), (4, "2026-03-02T10:00:00 UTC")),
        ),
    )
    assert report.unreadable_values == 17
    assert report.rows == 5
    read = connection.execute(
        "SELECT employees, revenue, demo, signed_on, created_at FROM leads ORDER BY __row"
    ).fetchall()
    assert read == [
        (None, None, None, None, None),
        (None, None, True, dt.date(2026, 2, 28), dt.datetime(2026, 3, 2, 8)),
        (None, None, None, None, None),
        (None, 1.5, True, None, None),
        (None, None, False, None, None),
    ]


def test_duplicate_and_missing_ids_are_counted_and_every_row_is_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "leads.csv",
        "lead_id,employees\nA,1\nB,2\nA,3\n,4\nC,5\nA,6\nB,7\nN/A,8\nC,9\n",
    )
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    assert (report.rows, report.duplicate_ids, report.null_ids) == (9, 4, 2)
    assert report.duplicate_examples == (
        DuplicateId(row=3, id="A", first_row=1),
        DuplicateId(row=6, id="A", first_row=1),
        DuplicateId(row=7, id="B", first_row=2),
    )
    assert [
        r[0] for r in connection.execute("SELECT employees FROM leads ORDER BY __row").fetchall()
    ] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
    ]


def test_a_file_without_the_id_column_is_an_error_that_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "leads.csv", "leadid,email\nL1,a@b.c\n")
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, MODEL)
    assert raised.value.message == (
        f"{path}: no column `lead_id` holds the lead id `lead_id`; "
        "the file's columns are `email` and `leadid`; did you mean `leadid`?"
    )


def test_a_tab_separated_file(tmp_path: Path) -> None:
    path = write(tmp_path / "leads.tsv", "lead_id\tFull Name\tnotes\nL1\tDoe, Jane\tx\n")
    connection = duckdb.connect()
    report = load_leads(connection, path, MODEL)
    assert report.ignored_columns == ("notes",)
    assert connection.execute("SELECT lead_id, full_name FROM leads").fetchall() == [
        ("L1", "Doe, Jane")
    ]


def test_the_table_is_replaced_under_any_name_and_the_time_zone_restored(tmp_path: Path) -> None:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'America/New_York'")
    table = 'old "leads"'
    connection.execute('CREATE TABLE "old ""leads""" AS SELECT 1 AS x')
    path = write(tmp_path / "leads.csv", "lead_id,created_at\nL1,2026-03-02 10:00\n")
    load_leads(connection, path, MODEL, table=table)
    assert rows(connection, 'old ""leads""') == [
        ("L1", None, None, None, None, None, dt.datetime(2026, 3, 2, 10), None, None, None, 1)
    ]
    assert connection.execute("SELECT current_setting('TimeZone')").fetchall() == [
        ("America/New_York",)
    ]
