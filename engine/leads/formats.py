"""Lead files by kind: which format a path is, and the DuckDB relation that reads it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from engine.diagnostics import known_list
from engine.leads.errors import LeadDataError
from engine.sql.literals import identifier, string


class LeadFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    JSON_LINES = "jsonl"
    DUCKDB = "duckdb"


EXTENSIONS: dict[str, LeadFormat] = {
    ".csv": LeadFormat.CSV,
    ".tsv": LeadFormat.CSV,
    ".txt": LeadFormat.CSV,
    ".parquet": LeadFormat.PARQUET,
    ".jsonl": LeadFormat.JSON_LINES,
    ".ndjson": LeadFormat.JSON_LINES,
    ".duckdb": LeadFormat.DUCKDB,
    ".db": LeadFormat.DUCKDB,
}

_WHAT_TO_DO = {
    LeadFormat.CSV: "save it as a UTF-8 CSV file whose first row names the columns",
    LeadFormat.PARQUET: (
        "check that it is a complete Parquet file (export it again if it was cut short)"
    ),
    LeadFormat.JSON_LINES: "write one JSON object per line",
    LeadFormat.DUCKDB: "check that it is a DuckDB database file",
}

_MAX_QUOTED = 200  # characters of a line of DuckDB's error message kept
_ALIAS = "accord_lead_source"  # the name a DuckDB database file is attached under


@dataclass(frozen=True)
class SourceColumn:
    name: str
    type: str  # as DuckDB describes it: VARCHAR, BIGINT, DECIMAL(18,2), ...


@dataclass(frozen=True)
class LeadSource:
    """A lead file opened on a connection: what to select from, and what it holds."""

    format: LeadFormat
    relations: tuple[str, ...]  # equivalent FROM clauses, tried in order
    row_number: str  # the SQL of each row's 1-based number in the file
    columns: tuple[SourceColumn, ...]


def detect_format(path: Path) -> LeadFormat:
    """The format a lead file's extension names."""
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise LeadDataError(
            f"{path}: cannot tell what kind of lead file this is from "
            f"`{path.suffix or path.name}`; name it with one of {known_list(list(EXTENSIONS))}"
        )
    return found


class NotUtf8Error(LeadDataError):
    """A CSV or JSON Lines file with bytes DuckDB cannot read as UTF-8."""


_NOT_UTF8 = ("Invalid unicode", "invalid UTF-8")  # DuckDB's CSV and JSON readers' words


def read_error(
    path: Path, format: LeadFormat, error: duckdb.Error, read_from: Path | None = None
) -> LeadDataError:
    """DuckDB's complaint about a file, shortened to its first lines, and what to do.

    `read_from` is the copy DuckDB read instead of `path`, if any; messages name `path`.
    """
    complaint = str(error).strip()
    if read_from is not None:
        complaint = complaint.replace(str(read_from.absolute()), str(path))
    lines: list[str] = []
    for line in complaint.splitlines():
        if not line.strip() or line.startswith(("Possible", "  file =", "*")):
            break
        lines.append(_shortened(line.strip()))
    reason = " ".join(lines[:3]).split("Error: ", 1)[-1]
    text = format in (LeadFormat.CSV, LeadFormat.JSON_LINES)
    kind = NotUtf8Error if text and any(m in complaint for m in _NOT_UTF8) else LeadDataError
    return kind(f"{path}: cannot read it as {format.value}: {reason}; {_WHAT_TO_DO[format]}")


def _shortened(line: str) -> str:
    """One line of DuckDB's complaint, cut short: it quotes the offending row (up to about
    10,000 characters of it), which is lead data and no help past its start."""
    if len(line) <= _MAX_QUOTED:
        return line
    return f"{line[:_MAX_QUOTED]}… ({len(line) - _MAX_QUOTED:,} more characters)"


@contextmanager
def open_source(
    connection: duckdb.DuckDBPyConnection, path: Path, read_from: Path | None = None
) -> Iterator[LeadSource]:
    """The file as a relation on `connection`, for as long as the block runs; DuckDB reads
    `read_from` (a UTF-8 copy of `path`) if given."""
    format = detect_format(path)
    if not path.exists():
        raise LeadDataError(f"{path}: no such file; check the path given for the leads")
    if not path.is_file():
        raise LeadDataError(f"{path}: is not a file; give the path of one lead file")
    if path.stat().st_size == 0:
        raise LeadDataError(f"{path}: the file is empty; {_WHAT_TO_DO[format]}")
    location = string(str((read_from or path).absolute()))
    attached = False
    try:
        try:
            if format is LeadFormat.DUCKDB:
                connection.execute(f"ATTACH {location} AS {identifier(_ALIAS)} (READ_ONLY)")
                attached = True
            opened = _OPENERS[format](connection, path, read_from or path, location)
        except duckdb.Error as error:
            raise read_error(path, format, error, read_from) from error
        yield opened
    finally:
        if attached:
            connection.execute(f"DETACH {identifier(_ALIAS)}")


def _describe(connection: duckdb.DuckDBPyConnection, relation: str) -> tuple[SourceColumn, ...]:
    rows = connection.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    return tuple(SourceColumn(str(row[0]), str(row[1])) for row in rows)


_STREAMED_ROW_NUMBER = "row_number() OVER ()"  # streaming, in the order rows are read


def _csv(
    connection: duckdb.DuckDBPyConnection, path: Path, file: Path, location: str
) -> LeadSource:
    # Every column as text, so the lead model alone decides types; null_padding fills short
    # rows and strict_mode=false drops the cells of long ones instead of failing. Quotes are
    # RFC 4180's: the sniffer guesses "no escape" when only the header doubles a quote.
    # https://duckdb.org/docs/stable/data/csv/overview#parameters
    options = (
        "all_varchar = true, header = true, null_padding = true, strict_mode = false, "
        f"quote = '\"', escape = '\"', delim = {string(delimiter(file))}"
    )
    parallel = f"read_csv({location}, {options})"
    # DuckDB's parallel reader cannot pad rows of a file with line breaks inside quotes;
    # the serial reader can, so it is the fallback.
    serial = f"read_csv({location}, {options}, parallel = false)"
    return LeadSource(
        LeadFormat.CSV, (parallel, serial), _STREAMED_ROW_NUMBER, _describe(connection, parallel)
    )


_DELIMITERS = (",", ";", "\t", "|")  # most likely first: a tie goes to the earlier
_HEADER_BYTES = 1 << 16


def delimiter(file: Path) -> str:
    """The character that separates the header row's names: the most frequent of `,` `;`
    tab `|` outside quotes (`,` if none). The header decides, not the data: DuckDB's sniffer
    reads the first rows too, and a lead value full of `|` made it split on `|`."""
    if file.suffix.lower() == ".tsv":
        return "\t"
    with file.open("rb") as raw:
        head = raw.read(_HEADER_BYTES).decode("utf-8", errors="replace")
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in head.removeprefix("\ufeff"):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    return max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))


def _parquet(
    connection: duckdb.DuckDBPyConnection, path: Path, file: Path, location: str
) -> LeadSource:
    plain = f"read_parquet({location})"
    columns = _describe(connection, plain)
    if any(c.name.lower() == "file_row_number" for c in columns):
        return LeadSource(LeadFormat.PARQUET, (plain,), _STREAMED_ROW_NUMBER, columns)
    # The row number Parquet stores lets DuckDB read row groups in parallel.
    numbered = f"read_parquet({location}, file_row_number = true)"
    return LeadSource(LeadFormat.PARQUET, (numbered,), "file_row_number + 1", columns)


def _json_lines(
    connection: duckdb.DuckDBPyConnection, path: Path, file: Path, location: str
) -> LeadSource:
    # Keys in order of first appearance, over the whole file (type detection samples only
    # the first rows). Every value is then read as text, JSON numbers and booleans as
    # DuckDB writes them (12.50 as 12.5, 1e3 as 1000.0, true): Python's json module and
    # repr() write them the same way, so coerce_lead reads a JSON lead identically.
    objects = f"read_json_objects({location}, format = 'newline_delimited')"
    keys = connection.execute(
        "SELECT key FROM ("
        " SELECT line, unnest(keys) AS key, generate_subscripts(keys, 1) AS position"
        f" FROM (SELECT row_number() OVER () AS line, json_keys(json) AS keys FROM {objects}))"
        " GROUP BY key ORDER BY min([line, position])"
    ).fetchall()
    names: dict[str, str] = {}
    for (key,) in keys:
        names.setdefault(str(key).lower(), str(key))  # DuckDB's column names ignore case
    columns = tuple(SourceColumn(name, "VARCHAR") for name in names.values())
    spec = ", ".join(f"{string(c.name)}: 'VARCHAR'" for c in columns)
    relation = (
        f"read_json({location}, format = 'newline_delimited', records = true, columns = {{{spec}}})"
    )
    return LeadSource(LeadFormat.JSON_LINES, (relation,), _STREAMED_ROW_NUMBER, columns)


def _duckdb_table(
    connection: duckdb.DuckDBPyConnection, path: Path, file: Path, location: str
) -> LeadSource:
    tables = [
        (str(schema), str(name))
        for schema, name in connection.execute(
            "SELECT schema_name, table_name FROM duckdb_tables()"
            " WHERE database_name = ? ORDER BY schema_name, table_name",
            [_ALIAS],
        ).fetchall()
    ]
    named = [t for t in tables if t[1] == "leads"] or [t for t in tables if t[1].lower() == "leads"]
    chosen = named if len(named) == 1 else tables if len(tables) == 1 else []
    if not chosen:
        listed = known_list(
            [name if schema == "main" else f"{schema}.{name}" for schema, name in tables]
        )
        raise LeadDataError(
            f"{path}: cannot tell which table holds the leads (its tables: {listed}); "
            "name the table `leads`, or keep only the leads table in the file"
        )
    schema, name = chosen[0]
    relation = ".".join(identifier(part) for part in (_ALIAS, schema, name))
    return LeadSource(
        LeadFormat.DUCKDB, (relation,), _STREAMED_ROW_NUMBER, _describe(connection, relation)
    )


_OPENERS = {
    LeadFormat.CSV: _csv,
    LeadFormat.PARQUET: _parquet,
    LeadFormat.JSON_LINES: _json_lines,
    LeadFormat.DUCKDB: _duckdb_table,
}
