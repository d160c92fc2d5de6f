"""Historical leads from a file into a typed DuckDB table, in one pass, with a report."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from engine.ir import LeadField, LeadModel
from engine.leads.cast import FieldCast, field_cast, missing_value, source_kind
from engine.leads.columns import ColumnMap, map_columns
from engine.leads.encoding import recode
from engine.leads.formats import LeadSource, NotUtf8Error, open_source, read_error
from engine.leads.report import EXAMPLES, DuplicateId, LoadReport, UnreadableField
from engine.sql.literals import identifier, string

ROW = "__row"
_PROBLEMS = "__unreadable"  # a helper column, dropped once counted


@dataclass(frozen=True)
class _Read:
    """A field read from a column of the file; `k` names its aliases in the load query."""

    k: int
    field: LeadField
    column: str
    cast: FieldCast

    @property
    def failed(self) -> str:
        """A present value that did not read as the field's type."""
        return f"(__s{self.k} IS NOT NULL AND __v{self.k} IS NULL)"


def load_leads(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    model: LeadModel,
    *,
    table: str = "leads",
) -> LoadReport:
    """Create (or replace) `table`: one typed column per lead field, in lead-model order,
    then `__row`, the row's number in the file. Raises LeadDataError for a file it cannot read.

    A text file that is not UTF-8 is read from a UTF-8 copy (engine.leads.encoding), and the
    report says how its text was read.
    """
    try:
        return _load(connection, path, model, table)
    except NotUtf8Error:
        with tempfile.TemporaryDirectory(prefix="accord-leads-") as directory:
            copy = Path(directory) / f"leads{path.suffix.lower()}"
            recoded = recode(path, copy)
            report = _load(connection, path, model, table, read_from=copy)
        return dataclasses.replace(report, recoded=recoded)


def _load(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    model: LeadModel,
    table: str,
    read_from: Path | None = None,
) -> LoadReport:
    with open_source(connection, path, read_from) as source:
        columns = map_columns(path, model, [c.name for c in source.columns])
        reads = _reads(model, source, columns)
        with _utc(connection):
            try:
                _create(connection, source, model, reads, table)
                report = _count(connection, source, model, reads, columns, table, path)
                connection.execute(f"ALTER TABLE {identifier(table)} DROP COLUMN {_PROBLEMS}")
            except duckdb.Error as error:
                raise read_error(path, source.format, error, read_from) from error
    return report


def _reads(model: LeadModel, source: LeadSource, columns: ColumnMap) -> tuple[_Read, ...]:
    types = {c.name: c.type for c in source.columns}
    reads: list[_Read] = []
    for field, column in columns.read_from:
        if column is None:
            continue
        k = len(reads)
        cast = field_cast(
            field,
            identifier(column),
            source_kind(types[column]),
            model.null_values + field.null_values,
            source_alias=f"__s{k}",
            candidate_alias=f"__c{k}",
        )
        reads.append(_Read(k, field, column, cast))
    return tuple(reads)


@contextmanager
def _utc(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Text without an offset is UTC, and DuckDB reads it in the session's TimeZone."""
    row = connection.execute("SELECT current_setting('TimeZone')").fetchone()
    previous = str(row[0]) if row else "UTC"
    connection.execute("SET TimeZone = 'UTC'")
    try:
        yield
    finally:
        connection.execute(f"SET TimeZone = {string(previous)}")


def _create(
    connection: duckdb.DuckDBPyConnection,
    source: LeadSource,
    model: LeadModel,
    reads: Sequence[_Read],
    table: str,
) -> None:
    """One CREATE TABLE AS pass. Each inner layer takes one step of every field's cast, so
    no step is written (or evaluated) twice; the helper column lists, for rows with an
    unreadable value, each read's raw text where it failed."""
    layers = [
        [f"{source.row_number} AS {ROW}", *(f"{r.cast.source} AS __s{r.k}" for r in reads)],
        [ROW, *(f"__s{r.k}, {r.cast.candidate} AS __c{r.k}" for r in reads)],
        [ROW, *(f"__s{r.k}, {r.cast.value} AS __v{r.k}" for r in reads)],
    ]
    by_field = {r.field.id: f"__v{r.k}" for r in reads}
    outputs = [
        f"{by_field.get(f.id) or missing_value(f)} AS {identifier(f.id)}" for f in model.fields
    ]
    outputs += [ROW, f"{_problems(reads)} AS {_PROBLEMS}"]
    for attempt, relation in enumerate(source.relations, start=1):
        query = f"FROM {relation}"
        for layer in layers:
            query = f"FROM (SELECT {', '.join(layer)} {query})"
        select = f"SELECT {', '.join(outputs)} {query}"
        try:
            connection.execute(f"CREATE OR REPLACE TABLE {identifier(table)} AS {select}")
            return
        except duckdb.Error as error:
            # Some files only the serial CSV reader can read; see formats._csv.
            if attempt == len(source.relations) or "parallel" not in str(error):
                raise


def _problems(reads: Sequence[_Read]) -> str:
    """The helper column: NULL, or the raw text of each read that can fail where it did."""
    failing = [r for r in reads if r.cast.can_fail]
    if not failing:
        return "CAST(NULL AS VARCHAR[])"
    raws = ", ".join(f"CASE WHEN {r.failed} THEN {r.cast.raw} END" for r in failing)
    return f"CASE WHEN {' OR '.join(r.failed for r in failing)} THEN [{raws}] END"


def _count(
    connection: duckdb.DuckDBPyConnection,
    source: LeadSource,
    model: LeadModel,
    reads: Sequence[_Read],
    columns: ColumnMap,
    table: str,
    path: Path,
) -> LoadReport:
    """One aggregate pass over the new table: rows, ids, and the unreadable values."""
    name = identifier(table)
    lead_id = identifier(model.id_field.id)
    row = connection.execute(
        f"SELECT count(*), count({lead_id}), count(DISTINCT {lead_id}) FROM {name}"
    ).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    rows, ids, distinct_ids = int(row[0]), int(row[1]), int(row[2])
    duplicates = ids - distinct_ids
    return LoadReport(
        path=path,
        format=source.format,
        rows=rows,
        missing_columns=columns.missing,
        ignored_columns=columns.ignored,
        unreadable=_unreadable(connection, name, reads),
        duplicate_ids=duplicates,
        duplicate_examples=_duplicates(connection, name, lead_id) if duplicates else (),
        null_ids=rows - ids,
    )


def _duplicates(
    connection: duckdb.DuckDBPyConnection, table: str, lead_id: str
) -> tuple[DuplicateId, ...]:
    """The first rows, in file order, whose id an earlier row has.

    Each such row is among the first 1 + EXAMPLES rows of its id, so those are all it needs.
    """
    rows = connection.execute(
        f"SELECT repeat, CAST(id AS VARCHAR), rows[1] FROM ("
        f" SELECT id, rows, unnest(rows[2:]) AS repeat FROM ("
        f"  SELECT {lead_id} AS id, list_sort(min_by({ROW}, {ROW}, {EXAMPLES + 1})) AS rows"
        f"  FROM {table} WHERE {lead_id} IS NOT NULL GROUP BY {lead_id} HAVING count(*) > 1))"
        f" ORDER BY repeat LIMIT {EXAMPLES}"
    ).fetchall()
    return tuple(DuplicateId(int(r[0]), str(r[1]), int(r[2])) for r in rows)


def _unreadable(
    connection: duckdb.DuckDBPyConnection, table: str, reads: Sequence[_Read]
) -> tuple[UnreadableField, ...]:
    """Counts and first examples, from the few rows whose helper column is set."""
    failing = [r for r in reads if r.cast.can_fail]
    if not failing:
        return ()
    aggregates = ", ".join(
        f"count({_PROBLEMS}[{slot}]), "
        f"min_by({{'row': {ROW}, 'raw': {_PROBLEMS}[{slot}]}}, {ROW}, {EXAMPLES})"
        f" FILTER (WHERE {_PROBLEMS}[{slot}] IS NOT NULL)"
        for slot in range(1, len(failing) + 1)
    )
    row = connection.execute(
        f"SELECT {aggregates} FROM {table} WHERE {_PROBLEMS} IS NOT NULL"
    ).fetchone()
    assert row is not None
    found: list[UnreadableField] = []
    for i, read in enumerate(failing):
        count, examples = row[2 * i], row[2 * i + 1]
        if count:
            found.append(
                UnreadableField(
                    field=read.field.id,
                    column=read.column,
                    type=read.field.type,
                    count=int(count),
                    examples=tuple((int(e["row"]), str(e["raw"])) for e in examples),
                )
            )
    return tuple(found)
