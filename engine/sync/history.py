"""`accord history pull`: lead records from a CRM merged into a Parquet history file.

Each pull asks only for records modified since the high-water mark of the previous one
(kept in the file's Parquet key-value metadata under `accord_history`), types each value as
the lead model says (engine.sync.history_values), and rewrites the file with newer rows
replacing older ones by lead id: a temporary file beside it, then a rename. The columns are
the lead fields' data columns, so `accord diff --leads` and every other reader load it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from engine.atomic_file import replacing
from engine.ir import LeadField, LeadModel
from engine.leads.cast import SQL_TYPES
from engine.sql.literals import identifier, string
from engine.sync.history_values import JsonValue, UnreadableValue, instant, iso_utc, typed
from engine.sync.writeback import SALESFORCE

METADATA_KEY = "accord_history"


class HistoryError(Exception):
    """The history file cannot be merged into as asked."""


@dataclass(frozen=True)
class Column:
    field: LeadField
    platform: str  # the field's API name (Salesforce) or property name (HubSpot)

    @property
    def name(self) -> str:
        return self.field.source_column


@dataclass(frozen=True)
class Columns:
    id: Column
    columns: tuple[Column, ...]
    left_out: tuple[str, ...]  # field ids without a name on the platform


def history_columns(model: LeadModel, target: str) -> Columns:
    found: list[Column] = []
    left_out: list[str] = []
    for lead_field in model.fields:
        name = lead_field.salesforce if target == SALESFORCE else lead_field.hubspot
        if name is None:
            left_out.append(lead_field.id)
        else:
            found.append(Column(lead_field, name))
    id_column = next((c for c in found if c.field.id == model.id_field.id), None)
    if id_column is None:
        raise HistoryError(
            f"the id field `{model.id_field.id}` has no `{target}:` name in the lead model;"
            f" name the {target} field that holds the lead's id"
        )
    return Columns(id_column, tuple(found), tuple(left_out))


@dataclass(frozen=True)
class Mark:
    """Where the last pull got to: the newest modification time it saw."""

    target: str
    high_water_mark: str | None  # ISO 8601 UTC, `Z`

    @property
    def instant(self) -> dt.datetime | None:
        return None if self.high_water_mark is None else instant(self.high_water_mark)


def read_mark(path: Path) -> Mark | None:
    """The mark a previous pull left in `path`, or None for a file without one."""
    if not path.exists():
        return None
    try:
        with duckdb.connect() as con:
            rows = con.execute(
                f"SELECT key, value FROM parquet_kv_metadata({string(str(path))})"
            ).fetchall()
    except duckdb.Error as error:
        raise HistoryError(f"{path}: cannot read it as Parquet: {error}") from None
    for key, value in rows:
        if bytes(key).decode("utf-8", "replace") == METADATA_KEY:
            document = json.loads(bytes(value).decode("utf-8"))
            return Mark(str(document["target"]), document.get("high_water_mark"))
    return None


@dataclass
class Staged:
    """Pulled records typed and written, one JSON object a line, to a temporary file."""

    path: Path
    records: int = 0
    without_id: int = 0
    newest: dt.datetime | None = None
    unreadable: dict[str, int] = field(default_factory=dict)


def stage(
    records: Iterable[tuple[Mapping[str, str | None], dt.datetime | None]],
    columns: Columns,
    path: Path,
) -> Staged:
    """Type each record's values (by platform name) into the columns' values."""
    staged = Staged(path)
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        for values, modified in records:
            row: dict[str, JsonValue] = {}
            for column in columns.columns:
                try:
                    row[column.name] = typed(column.field.type, values.get(column.platform))
                except UnreadableValue:
                    row[column.name] = None
                    staged.unreadable[column.field.id] = (
                        staged.unreadable.get(column.field.id, 0) + 1
                    )
            if row.get(columns.id.name) is None:
                staged.without_id += 1
                continue
            row["__seq"] = staged.records
            staged.records += 1
            if modified is not None and (staged.newest is None or modified > staged.newest):
                staged.newest = modified
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return staged


def _typed_columns(columns: Columns) -> dict[str, str]:
    return {c.name: SQL_TYPES[c.field.type] for c in columns.columns}


def merge(out: Path, staged: Staged, columns: Columns, mark: Mark) -> int:
    """Write `out` as the staged records plus the rows of the old `out` whose ids they do
    not have; returns the rows written."""
    types = _typed_columns(columns)
    key = identifier(columns.id.name)
    spec = ", ".join(f"{string(n)}: {string(t)}" for n, t in {**types, "__seq": "BIGINT"}.items())
    names = ", ".join(identifier(n) for n in types)
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        if staged.records:
            source = (
                f"read_json({string(str(staged.path))}, format = 'newline_delimited',"
                f" columns = {{{spec}}})"
            )
        else:
            nulls = ", ".join(f"CAST(NULL AS {t}) AS {identifier(n)}" for n, t in types.items())
            source = f"(SELECT {nulls}, CAST(NULL AS BIGINT) AS __seq LIMIT 0)"
        con.execute(
            f"CREATE TABLE latest AS SELECT {names} FROM {source}"
            f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY __seq DESC) = 1"
        )
        union = f"SELECT {names} FROM latest"
        if out.exists():
            old = f"read_parquet({string(str(out))})"
            try:
                present = {
                    row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {old}").fetchall()
                }
            except duckdb.Error as error:
                raise HistoryError(f"{out}: cannot read it as Parquet: {error}") from None
            if columns.id.name not in present:
                raise HistoryError(
                    f"{out} has no `{columns.id.name}` column, so it is not a history file"
                    " this lead model wrote; choose another --out"
                )
            kept = ", ".join(
                f"TRY_CAST(o.{identifier(n)} AS {t}) AS {identifier(n)}"
                if n in present
                else f"CAST(NULL AS {t}) AS {identifier(n)}"
                for n, t in types.items()
            )
            union += (
                f" UNION ALL SELECT {kept} FROM {old} AS o WHERE NOT EXISTS"
                f" (SELECT 1 FROM latest AS l WHERE l.{key} = o.{key})"
            )
        metadata = json.dumps(
            {"target": mark.target, "high_water_mark": mark.high_water_mark}, sort_keys=True
        )
        with replacing(out) as temporary:
            con.execute(
                f"COPY (SELECT * FROM ({union}) ORDER BY {key}) TO {string(str(temporary))}"
                f" (FORMAT PARQUET, COMPRESSION ZSTD, KV_METADATA {{{METADATA_KEY}: {string(metadata)}}})"
            )
            row = con.execute(
                f"SELECT count(*) FROM read_parquet({string(str(temporary))})"
            ).fetchone()
    assert row is not None
    return int(row[0])


def next_mark(target: str, staged: Staged, since: dt.datetime | None) -> Mark:
    """The newest modification time pulled; the lower bound asked for when none came."""
    newest = staged.newest if staged.newest is not None else since
    if newest is not None and since is not None and since > newest:
        newest = since
    return Mark(target, None if newest is None else iso_utc(newest))
