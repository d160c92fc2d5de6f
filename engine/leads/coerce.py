"""One lead given as JSON or `key=value` text, typed by the rules a lead file is loaded with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from engine.diagnostics import did_you_mean
from engine.ir import FieldType, LeadField, LeadModel
from engine.leads.columns import find_column
from engine.leads.text import Value, is_missing, read_text


@dataclass(frozen=True)
class CoercionProblem:
    """A key that names no field, or a value that cannot be read as its field's type."""

    field: str  # the key as given
    raw: str  # the value's text
    expected: FieldType | None  # None when the key names no field
    message: str
    hint: str | None = None


def coerce_lead(
    model: LeadModel, raw: Mapping[str, object]
) -> tuple[dict[str, Value], list[CoercionProblem]]:
    """A value (or None) for every field of the model, and what could not be read.

    Keys are field ids, or the columns a lead file names them by (a key may give several
    fields that read one column); a key that gives no field is a problem. A JSON number or
    boolean is read as its text, as in a JSON Lines file (see engine.leads.formats): `12.5`,
    `1000.0` for 1e3, `true`; so `true` is no integer, and a string field keeps `12.5`.
    """
    keys = list(raw)
    values: dict[str, Value] = {}
    problems: list[CoercionProblem] = []
    used: set[str] = set()
    for field in model.fields:
        key = _key(field, keys)
        values[field.id] = None
        if key is None:
            continue
        used.add(key)
        text = _text(raw[key])
        if text is None or is_missing(text, model.null_values + field.null_values):
            continue
        values[field.id] = read_text(field.type, text)
        if values[field.id] is None:
            problems.append(
                CoercionProblem(
                    key,
                    text,
                    field.type,
                    f"`{key}` is {field.type.value}, and {json.dumps(text, ensure_ascii=False)} "
                    f"cannot be read as {_a(field.type)}",
                    _HOW_TO_WRITE[field.type],
                )
            )
    for key in keys:
        if key not in used:
            problems.append(
                CoercionProblem(
                    key,
                    _text(raw[key]) or "",
                    None,
                    f"the lead model has no field `{key}`",
                    did_you_mean(key, [f.id for f in model.fields]),
                )
            )
    return values, problems


def _key(field: LeadField, keys: list[str]) -> str | None:
    """The key that gives a field: its id or its column, exactly, else as a file's column
    is matched (engine.leads.columns); other keys that match loosely too are left unused."""
    names = (field.id, field.source_column)
    exact = next((name for name in names if name in keys), None)
    return exact or next(
        (found for name in names if (found := find_column(name, keys)) is not None), None
    )


def _text(value: object) -> str | None:
    """A JSON value as the text DuckDB reads it as in a JSON Lines file."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the float, as DuckDB writes it
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


_HOW_TO_WRITE = {
    FieldType.INTEGER: "write digits with an optional sign, e.g. `1200`",
    FieldType.NUMBER: "write a decimal or scientific number, e.g. `0.5` or `1e6`",
    FieldType.BOOLEAN: "write true or false (also yes/no, y/n, t/f, 1/0)",
    FieldType.DATE: "write an existing day as YYYY-MM-DD",
    FieldType.DATETIME: "write an ISO 8601 time, e.g. `2026-03-02T10:00:00Z`",
}


def _a(kind: FieldType) -> str:
    return {FieldType.INTEGER: "an integer"}.get(kind, f"a {kind.value}")
