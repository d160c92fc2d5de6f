"""load_leads on Parquet, JSON Lines and DuckDB files, typed values, and files it cannot read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from test_load_leads import field, lead_model

from engine.ir import FieldType
from engine.leads import LeadDataError, LeadFormat, UnreadableField, coerce_lead, load_leads

TYPED = lead_model(
    field("lead_id", "string"),
    field("employees", "integer"),
    field("seats", "integer"),
    field("revenue", "number"),
    field("ratio", "number"),
    field("demo", "boolean"),
    field("signed_on", "date"),
    field("created_at", "datetime"),
    field("updated_at", "datetime"),
    field("first_seen", "datetime", column="signed_on"),
    field("industry", "string"),
    field("code", "string", column="employees"),
    field("flag", "string", column="demo"),
    field("score", "integer", column="demo"),
    null_values=("N/A", "0"),
)

TYPED_ROWS = """
    SELECT * FROM (VALUES
        ('L1', 0::BIGINT, 12.0::DOUBLE, 1.25::DECIMAL(10, 2), 0.5::DOUBLE, true,
         DATE '2026-01-31', TIMESTAMPTZ '2026-03-02 10:00:00+02', TIMESTAMP '2026-03-02 10:00:00',
         'N/A'),
        ('L2', 7::BIGINT, 12.5::DOUBLE, NULL, 'NaN'::DOUBLE, false,
         NULL, NULL, NULL, 'Banking'),
        ('L3', NULL, 1e300::DOUBLE, 2::DECIMAL(10, 2), 'inf'::DOUBLE, NULL,
         NULL, NULL, NULL, NULL)
    ) t(lead_id, employees, seats, revenue, ratio, demo, signed_on, created_at, updated_at,
        industry)
"""


def test_typed_parquet_columns_are_converted_as_values(tmp_path: Path) -> None:
    path = tmp_path / "leads.parquet"
    connection = duckdb.connect()
    connection.execute(f"COPY ({TYPED_ROWS}) TO '{path}' (FORMAT parquet)")
    report = load_leads(connection, path, TYPED)
    assert (report.format, report.rows, report.missing_columns, report.ignored_columns) == (
        LeadFormat.PARQUET,
        3,
        (),
        (),
    )
    assert report.unreadable == (
        UnreadableField("seats", "seats", FieldType.INTEGER, 2, ((2, "12.5"), (3, "1e+300"))),
        UnreadableField("ratio", "ratio", FieldType.NUMBER, 2, ((2, "nan"), (3, "inf"))),
        UnreadableField("score", "demo", FieldType.INTEGER, 2, ((1, "true"), (2, "false"))),
    )
    assert connection.execute(
        "SELECT * EXCLUDE (lead_id) FROM leads ORDER BY __row"
    ).fetchall() == [
        # Null values are text: they do not apply to the typed 0, nor to `code`, its text.
        (
            0,
            12,
            1.25,
            0.5,
            True,
            dt.date(2026, 1, 31),
            dt.datetime(2026, 3, 2, 8),
            dt.datetime(2026, 3, 2, 10),
            dt.datetime(2026, 1, 31),
            None,  # 'N/A' in a text column is a null value
            "0",
            "true",
            None,
            1,
        ),
        (7, None, None, None, False, None, None, None, None, "Banking", "7", "false", None, 2),
        (None, None, 2.0, None, None, None, None, None, None, None, None, None, None, 3),
    ]


def test_typed_values_outside_years_1_to_9999_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "leads.parquet"
    connection = duckdb.connect()
    connection.execute(
        "COPY (SELECT 'L1' AS lead_id, DATE '0000-06-01' AS signed_on,"
        f" TIMESTAMP '10000-01-01 00:00:00' AS created_at) TO '{path}' (FORMAT parquet)"
    )
    report = load_leads(connection, path, TYPED)
    assert [(u.field, u.count) for u in report.unreadable] == [
        ("signed_on", 1),
        ("created_at", 1),
        ("first_seen", 1),
    ]
    assert connection.execute("SELECT signed_on, created_at, first_seen FROM leads").fetchall() == [
        (None, None, None)
    ]


def test_a_corrupt_parquet_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "leads.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, TYPED)
    assert raised.value.message.startswith(f"{path}: cannot read it as parquet: ")
    assert raised.value.message.endswith(
        "; check that it is a complete Parquet file (export it again if it was cut short)"
    )


JSON_MODEL = lead_model(
    field("lead_id", "string"),
    field("employees", "integer"),
    field("revenue", "number"),
    field("demo", "boolean"),
    field("name", "string"),
    field("tags", "string"),
    field("created_at", "datetime"),
    field("email", "string"),
    null_values=("N/A",),
)

JSON_LINES = [
    '{"lead_id": "J1", "employees": 1e3, "revenue": 12.50, "demo": 1, "name": 12.50,'
    ' "tags": {"k": [1, 2]}, "Extra Key": "x", " email": "loose@x.io", "email": "exact@x.io"}',
    '{"lead_id": "J2", "employees": true, "revenue": "7", "demo": "no", "name": true,'
    ' " Created_At ": "2026-03-02T10:00:00+01:00"}',
    '{"lead_id": "J3", "employees": 12.5, "revenue": null, "demo": 0, "name": "N/A"}',
]


def test_json_lines_are_read_as_text_as_coerce_lead_reads_json(tmp_path: Path) -> None:
    path = tmp_path / "leads.jsonl"
    path.write_text("\n".join(JSON_LINES) + "\n", encoding="utf-8")
    connection = duckdb.connect()
    report = load_leads(connection, path, JSON_MODEL)
    assert (report.format, report.rows, report.missing_columns) == (LeadFormat.JSON_LINES, 3, ())
    assert report.ignored_columns == ("Extra Key", " email")
    assert report.unreadable == (
        UnreadableField("employees", "employees", FieldType.INTEGER, 2, ((2, "true"), (3, "12.5"))),
    )
    loaded = connection.execute("SELECT * EXCLUDE (__row) FROM leads ORDER BY __row").fetchall()
    assert loaded == [
        ("J1", 1000, 12.5, True, "12.5", '{"k":[1,2]}', None, "exact@x.io"),
        ("J2", None, 7.0, False, "true", None, dt.datetime(2026, 3, 2, 9), None),
        ("J3", None, None, False, None, None, None, None),
    ]
    # The same leads given one at a time as JSON type the same way.
    for line, row in zip(JSON_LINES, loaded, strict=True):
        values, _ = coerce_lead(JSON_MODEL, json.loads(line))
        assert tuple(values.values()) == row


def test_a_json_lines_file_with_a_line_that_is_no_object_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "leads.ndjson"
    path.write_text('{"lead_id": "J1"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, JSON_MODEL)
    assert raised.value.message.startswith(f"{path}: cannot read it as jsonl: ")
    assert raised.value.message.endswith("; write one JSON object per line")


def duckdb_file(path: Path, *tables: str) -> Path:
    with duckdb.connect(str(path)) as writer:
        for table in tables:
            writer.execute(
                f"CREATE TABLE {table} AS SELECT * FROM (VALUES ('{table}-1', 3::INTEGER, "
                "TIMESTAMPTZ '2026-03-02 10:00:00+00')) t(lead_id, employees, created_at)"
            )
    return path


DB_MODEL = lead_model(
    field("lead_id", "string"), field("employees", "integer"), field("created_at", "datetime")
)


@pytest.mark.parametrize(
    ("tables", "read"), [(("accounts", "leads", "people"), "leads-1"), (("people",), "people-1")]
)
def test_a_duckdb_file_is_read_from_its_leads_table_or_its_only_table(
    tmp_path: Path, tables: tuple[str, ...], read: str
) -> None:
    path = duckdb_file(tmp_path / "history.duckdb", *tables)
    connection = duckdb.connect()
    report = load_leads(connection, path, DB_MODEL)
    assert (report.format, report.rows) == (LeadFormat.DUCKDB, 1)
    assert connection.execute("SELECT * FROM leads").fetchall() == [
        (read, 3, dt.datetime(2026, 3, 2, 10), 1)
    ]
    assert connection.execute(
        "SELECT database_name FROM duckdb_databases() WHERE NOT internal"
    ).fetchall() == [("memory",)]


def test_a_duckdb_file_with_several_tables_but_no_leads_table_is_an_error(tmp_path: Path) -> None:
    path = duckdb_file(tmp_path / "history.db", "accounts", "people")
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, DB_MODEL)
    assert raised.value.message == (
        f"{path}: cannot tell which table holds the leads (its tables: `accounts` and `people`); "
        "name the table `leads`, or keep only the leads table in the file"
    )


def test_a_file_that_is_no_duckdb_database_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "leads.db"
    path.write_text("lead_id\nL1\n", encoding="utf-8")
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, DB_MODEL)
    assert raised.value.message.startswith(f"{path}: cannot read it as duckdb: ")
    assert raised.value.message.endswith("; check that it is a DuckDB database file")


def test_missing_empty_unknown_and_directory_paths_are_errors(tmp_path: Path) -> None:
    def message(path: Path) -> str:
        with pytest.raises(LeadDataError) as raised:
            load_leads(duckdb.connect(), path, DB_MODEL)
        return raised.value.message

    missing = tmp_path / "nope.csv"
    assert message(missing) == f"{missing}: no such file; check the path given for the leads"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert message(empty) == (
        f"{empty}: the file is empty; save it as a UTF-8 CSV file whose first row names the columns"
    )
    sheet = tmp_path / "leads.xlsx"
    sheet.write_bytes(b"PK")
    assert message(sheet) == (
        f"{sheet}: cannot tell what kind of lead file this is from `.xlsx`; name it with one of "
        "`.csv`, `.db`, `.duckdb`, `.jsonl`, `.ndjson`, `.parquet`, `.tsv` and `.txt`"
    )
    folder = tmp_path / "leads.parquet"
    folder.mkdir()
    assert message(folder) == f"{folder}: is not a file; give the path of one lead file"
