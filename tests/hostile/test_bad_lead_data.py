"""Bad lead data, as third-party exports deliver it: wrong types, mixed encodings, ragged rows,
duplicate ids, missing columns, local date and number spellings. What can be read is read,
what cannot is reported per field with examples, nothing crashes, and no row is dropped: the
report's counts add up to the rows of the file, counted here by Python's own csv module.

Read with the example organisation's lead model; through `accord score` where the point is
what a user sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

import duckdb
import pytest
from test_cli import ROOT, run

from engine.ir import FieldType, LeadModel, Project
from engine.leads import LeadDataError, load_leads
from engine.leads.describe import describe_load
from engine.leads.report import Recoded
from engine.leads.text import is_missing, read_text

# The example's fields these tests write (rules/lead.yaml); any other field is missing.
HEADER = "lead_id,company,employees,annual_revenue,created_at,converted,converted_on"


def model(project: Project) -> LeadModel:
    assert project.lead_model is not None
    return project.lead_model


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def load(
    path: Path, project: Project
) -> tuple[duckdb.DuckDBPyConnection, list[tuple[object, ...]], list[str]]:
    """The loaded table's written fields, in file order, and the lines the CLI prints."""
    connection = duckdb.connect()
    report = load_leads(connection, path, model(project))
    rows = connection.execute(
        "SELECT lead_id, company, employees, annual_revenue, created_at, converted, converted_on"
        " FROM leads ORDER BY __row"
    ).fetchall()
    return connection, rows, describe_load(report)[1:]  # past "read N leads from …"


# --- encodings --------------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name(
    tmp_path: Path, northwind: Project
) -> None:
    path = write(tmp_path / "leads.csv", b"\xef\xbb\xbf" + f"{HEADER}\nL1,Zoë,12\n".encode())
    _, rows, lines = load(path, northwind)
    assert rows == [("L1", "Zoë", 12, None, None, None, None)]
    assert not any("UTF" in line for line in lines)


def test_a_latin1_file_is_read_and_its_lines_reported(tmp_path: Path, northwind: Project) -> None:
    text = f"{HEADER}\nL1,Zoë Müller,12\nL2,Plain Ascii,7\nL3,Ångström,5\nL4,François,3\n"
    path = write(tmp_path / "leads.csv", text.encode("latin-1"))
    _, rows, lines = load(path, northwind)
    assert [r[:3] for r in rows] == [
        ("L1", "Zoë Müller", 12),
        ("L2", "Plain Ascii", 7),
        ("L3", "Ångström", 5),
        ("L4", "François", 3),
    ]
    assert lines[-1] == (
        "3 lines are not UTF-8: their other bytes were read as Windows-1252 (Latin-1); check"
        " those values, or save the file as UTF-8 (line 2: 'L1,Zoë Müller,12', line 4:"
        " 'L3,Ångström,5', line 5: 'L4,François,3')"
    )


def test_utf8_and_windows_1252_lines_in_one_file_are_each_read_as_written(
    tmp_path: Path, northwind: Project
) -> None:
    # An export appended to another saved differently: each line keeps its own characters
    # (the UTF-8 `é` does not become `Ã©`), and 0x80 is Windows-1252's euro sign.
    data = (
        f"{HEADER},notes\n".encode()
        + "L1,Café €,1,,,,,ça va\n".encode()
        + "L2,Café €,2,,,,,ça va\n".encode("cp1252")
        + b"L3,\x81\x8d,3\n"  # unassigned in Windows-1252: read as the Latin-1 controls
    )
    path = write(tmp_path / "leads.csv", data)
    connection = duckdb.connect()
    report = load_leads(connection, path, model(northwind))
    assert report.rows == 3
    assert report.ignored_columns == ("notes",)
    assert report.recoded == Recoded(
        "UTF-8 and Windows-1252", 2, ((3, "L2,Café €,2,,,,,ça va"), (4, "L3,\x81\x8d,3"))
    )
    read = connection.execute("SELECT lead_id, company, employees FROM leads ORDER BY __row")
    assert read.fetchall() == [
        ("L1", "Café €", 1),
        ("L2", "Café €", 2),
        ("L3", "\x81\x8d", 3),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_a_byte_order_mark_is_read_as_utf16(
    tmp_path: Path, northwind: Project, encoding: str
) -> None:
    # Excel's "Unicode Text" is tab-separated UTF-16 with a byte-order mark.
    text = f"{HEADER}\nL1,Zoë,12\nL2,李,7\n".replace(",", "\t")
    mark = b"\xfe\xff" if encoding == "utf-16-be" else b""
    path = write(tmp_path / "leads.tsv", mark + text.encode(encoding))
    _, rows, lines = load(path, northwind)
    assert [r[:3] for r in rows] == [("L1", "Zoë", 12), ("L2", "李", 7)]
    assert lines[-1] == "read as UTF-16: the file starts with a UTF-16 byte-order mark"


def test_a_file_that_claims_utf16_but_is_not_is_an_error_naming_it(
    tmp_path: Path, northwind: Project
) -> None:
    path = write(
        tmp_path / "leads.csv", b"\xff\xfe" + "lead_id\n".encode("utf-16-le") + b"\x00\xd8"
    )
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, model(northwind))
    assert raised.value.message == (
        f"{path}: starts with a UTF-16 byte-order mark but is not UTF-16 text"
        " (unexpected end of data); save it again as UTF-8"
    )


def test_a_latin1_json_lines_file_is_read(tmp_path: Path, northwind: Project) -> None:
    text = '{"lead_id": "J1", "company": "Müller", "employees": 12}\n{"lead_id": "J2"}\n'
    path = write(tmp_path / "leads.jsonl", text.encode("latin-1"))
    _, rows, lines = load(path, northwind)
    assert [r[:3] for r in rows] == [("J1", "Müller", 12), ("J2", None, None)]
    assert lines[-1].startswith("1 line is not UTF-8: ")


# --- types, local spellings, time zones ------------------------------------------------


def test_wrong_types_and_local_spellings_are_reported_per_field_with_what_to_do(
    tmp_path: Path, northwind: Project
) -> None:
    text = (
        f"{HEADER}\n"
        'L1,A,"1,200","5,000,000.50",03/15/2026,maybe,15.03.2026\n'
        "L2,B,many,1e400,2026-03-15 10:00 PST,2,2026-02-30\n"
        "L3,C,12 000,€5,2026-03-15T10:00:00 Europe/Berlin,yes,2026-03-15\n"
        "L4,D,1200,5000000.5,2026-03-15T10:00:00Z,no,\n"
    )
    path = write(tmp_path / "leads.csv", text.encode())
    _, rows, lines = load(path, northwind)
    assert rows == [
        ("L1", "A", None, None, None, None, None),
        ("L2", "B", None, None, None, None, None),
        ("L3", "C", None, None, None, True, dt.date(2026, 3, 15)),
        ("L4", "D", 1200, 5000000.5, dt.datetime(2026, 3, 15, 10), False, None),
    ]
    unreadable = [line for line in lines if "could not be read" in line]
    assert unreadable == [
        "employees: 3 values could not be read as integer and count as missing (row 1:"
        " '1,200', row 2: 'many', row 3: '12 000'); write numbers without thousands separators",
        "annual_revenue: 3 values could not be read as number and count as missing (row 1:"
        " '5,000,000.50', row 2: '1e400', row 3: '€5'); write numbers without thousands"
        " separators, with `.` before the decimals",
        "created_at: 3 values could not be read as datetime and count as missing (row 1:"
        " '03/15/2026', row 2: '2026-03-15 10:00 PST', row 3: '2026-03-15T10:00:00"
        " Europe/Berlin'); write times as ISO 8601, with an offset unless UTC:"
        " 2026-03-15T10:00:00+01:00",
        "converted: 2 values could not be read as boolean and count as missing (row 1:"
        " 'maybe', row 2: '2')",
        "converted_on: 2 values could not be read as date and count as missing (row 1:"
        " '15.03.2026', row 2: '2026-02-30'); write dates as ISO 8601: 2026-03-15",
    ]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2026-03-15T10:00:00Z", dt.datetime(2026, 3, 15, 10)),
        ("2026-03-15 10:00", dt.datetime(2026, 3, 15, 10)),  # no offset: UTC
        ("2026-03-15T10:00:00+02:00", dt.datetime(2026, 3, 15, 8)),
        ("2026-03-15T10:00:00-0500", dt.datetime(2026, 3, 15, 15)),
        ("2026-03-15T23:30:00-05", dt.datetime(2026, 3, 16, 4, 30)),  # the next day in UTC
        ("2026-03-15T00:30:00.1234567+14:00", dt.datetime(2026, 3, 14, 10, 30, 0, 123456)),
        ("2026-03-15", dt.datetime(2026, 3, 15)),
        ("  2026-03-15T10:00Z\t", dt.datetime(2026, 3, 15, 10)),
    ],
)
def test_times_in_every_offset_are_read_as_one_utc_instant(
    tmp_path: Path, northwind: Project, written: str, utc: dt.datetime
) -> None:
    path = write(tmp_path / "leads.csv", f'lead_id,created_at\nL1,"{written}"\n'.encode())
    _, rows, lines = load(path, northwind)
    assert rows[0][4] == utc
    assert read_text(FieldType.DATETIME, written) == utc  # the interpreter reads it alike
    assert not any("could not be read" in line for line in lines)


def test_typed_columns_of_the_wrong_type_are_read_through_their_text(
    tmp_path: Path, northwind: Project
) -> None:
    path = tmp_path / "leads.parquet"
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES ('P1', 12.5, '7', DATE '2026-03-15', 1),"
        " ('P2', 30.0, 'seven', DATE '2026-03-16', 0)) AS t(lead_id, employees,"
        f" annual_revenue, created_at, converted)) TO '{path}' (FORMAT parquet)"
    )
    _, rows, lines = load(path, northwind)
    assert rows == [
        ("P1", None, None, 7.0, dt.datetime(2026, 3, 15), True, None),
        ("P2", None, 30, None, dt.datetime(2026, 3, 16), False, None),
    ]
    assert [line.split(" (")[0] for line in lines if "could not" in line] == [
        "employees: 1 value could not be read as integer and count as missing",
        "annual_revenue: 1 value could not be read as number and count as missing",
    ]


# --- rows: ragged, duplicated, without ids; missing columns ----------------------------


def test_a_file_without_the_id_column_fails_with_exit_1_naming_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "leads.csv", b"Lead ID,Email\nL1,a@b.example\n")
    out_file = tmp_path / "scores.csv"
    code, out, err = run(
        ["score", str(ROOT), "--leads", str(path), "--as-of", "2026-04-01", "--out", str(out_file)],
        capsys,
    )
    assert (code, out) == (1, "")
    assert err == (
        f"Error: {path}: no column `lead_id` holds the lead id `lead_id`; the file's columns"
        " are `Email` and `Lead ID`; add the column, or name it with `column:` on the field in"
        " the lead model\n"
    )
    assert not out_file.exists()


def test_a_messy_export_is_scored_whole_with_every_problem_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        f"{HEADER},notes\n"
        "L1,Zoë,1200,,2026-03-15T10:00:00Z,yes,,first\n"
        "L2,short\n"  # a short row: the rest is missing
        'L3,"Doe, Jane",many,,,,,"a note\nover two lines",and,extra,cells\n'
        "L1,again,50\n"  # a duplicate id: kept, and counted
        ",no id,60\n"  # no id: kept, and counted
        "  ,a blank id,70\n"
    )
    path = write(tmp_path / "leads.csv", text.encode("cp1252"))
    out_file = tmp_path / "scores.csv"
    code, out, err = run(
        ["score", str(ROOT), "--leads", str(path), "--as-of", "2026-04-01", "--out", str(out_file)],
        capsys,
    )
    assert (code, out) == (0, "")
    said = [line.removeprefix("accord: ") for line in err.splitlines()]
    assert said[0] == "read 6 leads from leads.csv (csv)"
    # The example has 37 fields; the file has 7 of them (and `notes`, which no field reads).
    assert said[1].startswith("30 fields missing from the file, evaluated as missing: email, ")
    assert said[2:6] == [
        "employees: 1 value could not be read as integer and count as missing (row 3: 'many')",
        "1 row repeats an earlier id (row 4 repeats 'L1' of row 1)",
        "1 line is not UTF-8: their other bytes were read as Windows-1252 (Latin-1); check"
        " those values, or save the file as UTF-8 (line 2: 'L1,Zoë,1200,,2026-03-15T10:00:00Z,"
        "yes,,first')",
        "2 rows have no id",
    ]
    with out_file.open(encoding="utf-8", newline="") as scores:
        scored = [row["lead_id"] for row in csv.DictReader(scores)]
    assert scored == ["L1", "L2", "L3", "L1", "", ""]  # every row, in file order


# --- the counts add up ------------------------------------------------------------------

CELLS: dict[str, list[str]] = {
    "employees": ["12", "1,200", "many", "", "N/A", " 7 ", "12.0", "1e3", "-4"],
    "annual_revenue": ["0.5", "5,000", "1e400", "", "nan", "€5", "3", "-2.5E-3"],
    "created_at": ["2026-03-15T10:00:00Z", "03/15/2026", "", "2026-02-30", "2026-03-15 10:00+01"],
    "converted": ["yes", "no", "maybe", "", "1", "TRUE", "2"],
    "converted_on": ["2026-03-15", "15.03.2026", "", "2026-1-5"],
}
TYPES = {
    "employees": FieldType.INTEGER,
    "annual_revenue": FieldType.NUMBER,
    "created_at": FieldType.DATETIME,
    "converted": FieldType.BOOLEAN,
    "converted_on": FieldType.DATE,
}


def test_every_row_is_kept_and_each_fields_counts_add_up_to_the_rows(
    tmp_path: Path, northwind: Project
) -> None:
    chance = random.Random(8)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    names = ["lead_id", "company", *CELLS]
    writer.writerow(names)
    records: list[list[str]] = []
    for i in range(3_000):
        record = [
            chance.choice([f"L{i}", f"L{i // 3}", "", "N/A"]),
            chance.choice(["Zoë", 'say "hi"', "a,b", "two\nlines", "=HYPERLINK(1)"]),
            *(chance.choice(cells) for cells in CELLS.values()),
        ]
        cut = chance.choice([len(record), len(record), 1, 3, len(record) + 2])
        record = [*record, "x", "y"][:cut]  # ragged: short, or with extra cells
        records.append(record)
        writer.writerow(record)
    lines = buffer.getvalue().split("\n")
    # Every fifth line in Windows-1252, the rest in UTF-8.
    data = b"\n".join(
        line.encode("cp1252" if n % 5 == 4 else "utf-8") for n, line in enumerate(lines)
    )
    path = write(tmp_path / "leads.csv", data)

    connection = duckdb.connect()
    report = load_leads(connection, path, model(northwind))

    expected_rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[1:]
    assert len(expected_rows) == len(records) == report.rows
    null_values = model(northwind).null_values
    unreadable = {u.field: u.count for u in report.unreadable}
    for column, name in enumerate(names[2:], start=2):
        texts = [row[column] if column < len(row) else "" for row in expected_rows]
        present = [t for t in texts if not is_missing(t, null_values)]
        failed = sum(read_text(TYPES[name], t) is None for t in present)
        counts = connection.execute(
            f"SELECT count({name}), count(*) - count({name}) FROM leads"
        ).fetchone()
        assert counts is not None
        values, nulls = counts
        assert (values, unreadable.get(name, 0)) == (len(present) - failed, failed)
        assert values + nulls == report.rows  # missing + unreadable + read = every row
    ids = [row[0] for row in expected_rows]
    present_ids = [i for i in ids if not is_missing(i, null_values)]
    assert report.null_ids == len(ids) - len(present_ids)
    assert report.duplicate_ids == len(present_ids) - len(set(present_ids))
    assert report.rows == len(set(present_ids)) + report.duplicate_ids + report.null_ids


# --- delimiters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("lead_id;company;employees\nL1;Müller, Söhne;12\n", ";"),  # Excel in Europe
        ('"lead_id","company","employees"\n"L1","a|b|c|d|e|f","12"\n', ","),
        ("lead_id\tcompany\temployees\nL1\tx;y;z\t12\n", "\t"),
        ("lead_id|company|employees\nL1|a, b|12\n", "|"),
    ],
)
def test_the_header_row_decides_the_delimiter_whatever_the_values_hold(
    tmp_path: Path, northwind: Project, text: str, delimiter: str
) -> None:
    path = write(tmp_path / "leads.csv", text.encode())
    _, rows, _ = load(path, northwind)
    company = text.splitlines()[1].split(delimiter)[1].strip('"')
    assert rows == [("L1", company, 12, None, None, None, None)]


def test_a_long_lines_example_shows_where_it_was_not_utf8(
    tmp_path: Path, northwind: Project
) -> None:
    filler = "x" * 200
    text = f"{HEADER}\nL1,{filler} Müller {filler},12\n"
    path = write(tmp_path / "leads.csv", text.encode("latin-1"))
    _, rows, lines = load(path, northwind)
    assert rows[0][1] == f"{filler} Müller {filler}"
    # 80 characters, the first one not UTF-8 (ü, the 206th of the line) at the 41st.
    assert lines[-1].endswith(f"(line 2: '…{'x' * 38} Müller {'x' * 34}…')")


def test_a_column_spelt_like_a_missing_field_is_pointed_out(
    tmp_path: Path, northwind: Project
) -> None:
    # CRM exports name columns by label; `Employees` matches loosely, the others do not, and
    # of two look-alikes the first is named.
    text = "lead_id,Lead Source,Employees,Job-Title,LEAD-SOURCE\nL1,Webinar,12,VP Data,x\n"
    path = write(tmp_path / "leads.csv", text.encode())
    _, rows, lines = load(path, northwind)
    assert rows[0][2] == 12
    assert [line for line in lines if "looks like it" in line] == [
        "job_title: the file's column 'Job-Title' looks like it; to read the field from it,"
        ' add `column: "Job-Title"` to the field in the lead model',
        "lead_source: the file's column 'Lead Source' looks like it; to read the field from"
        ' it, add `column: "Lead Source"` to the field in the lead model',
    ]
