"""Marketo's Swagger 2.0 specs as validators: JSON bodies as JSON Schema, form bodies by parameter.

The specs (swagger-mapi.json, swagger-asset.json: AdobeDocs/marketo-apis, see
shared/specs/marketo/SOURCES.md) are read from `$ACCORD_SPECS/marketo/`, by default the
`shared/specs` folder beside the repository. A Swagger definition becomes a JSON Schema
(draft 4, Swagger's dialect) with every `#/definitions/...` reference inlined, Swagger's
own keywords (`example`, `x-*`) dropped, and objects closed (`additionalProperties: false`):
the definitions list every field the API takes, so an unknown key is a mistake.

Form-encoded operations (Create Token) are checked against the operation's declared
parameters instead: every field must be declared, every required one present, and each
value, being form text, must read as the declared type and be one of its enum values. The
Asset spec declares Create Token's fields as a `body` schema (`CreateTokenRequest`) although
the endpoint takes `application/x-www-form-urlencoded` (the SOURCES.md note), so the
schema's properties are those declared fields.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

REPO = Path(__file__).resolve().parents[2]
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?")
_BOOLEAN = {"true", "false"}


def specs_folder() -> Path:
    """Where the Marketo specs are: `$ACCORD_SPECS/marketo`, or shared/specs/marketo."""
    base = os.environ.get("ACCORD_SPECS")
    return (Path(base) if base else REPO.parent / "shared" / "specs") / "marketo"


@cache
def swagger(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((specs_folder() / name).read_text(encoding="utf-8"))
    return loaded


def _schema(node: Any, definitions: Mapping[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_schema(item, definitions, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/definitions/")
        assert name not in seen, f"recursive definition {name}"
        return _schema(definitions[name], definitions, (*seen, name))
    found: dict[str, Any] = {}
    for key, value in node.items():
        if key == "example" or key.startswith("x-"):
            continue
        if key == "properties":
            found[key] = {k: _schema(v, definitions, seen) for k, v in value.items()}
        else:
            found[key] = _schema(value, definitions, seen)
    if found.get("type") == "object" and "properties" in found:
        found.setdefault("additionalProperties", False)
    return found


def definition_schema(spec: str, definition: str) -> dict[str, Any]:
    """The JSON Schema of a Swagger definition, references resolved."""
    definitions = swagger(spec)["definitions"]
    schema: dict[str, Any] = _schema(definitions[definition], definitions, (definition,))
    return schema


def body_errors(spec: str, definition: str, body: object) -> list[str]:
    """What is wrong with a JSON body, as `$.path: message` lines (none: it is valid)."""
    validator = jsonschema.Draft4Validator(definition_schema(spec, definition))
    return sorted(f"{error.json_path}: {error.message}" for error in validator.iter_errors(body))


def operation(spec: str, path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = swagger(spec)["paths"][path][method.lower()]
    return found


def form_parameters(spec: str, path: str, method: str) -> dict[str, dict[str, Any]]:
    """The form fields an operation declares, by name: `formData` parameters, or the
    properties of the body schema the spec gives a form-encoded operation."""
    op = operation(spec, path, method)
    assert "application/x-www-form-urlencoded" in op.get("consumes", []), "not a form operation"
    fields: dict[str, dict[str, Any]] = {}
    for parameter in op.get("parameters", []):
        if parameter["in"] == "formData":
            fields[parameter["name"]] = parameter
        elif parameter["in"] == "body":
            schema = _schema(parameter["schema"], swagger(spec)["definitions"], ())
            required = set(schema.get("required", []))
            for name, prop in schema.get("properties", {}).items():
                fields[name] = {**prop, "name": name, "required": name in required}
    return fields


def _reads_as(value: str, kind: str) -> bool:
    match kind:
        case "integer":
            return bool(_INTEGER.fullmatch(value))
        case "number":
            return bool(_NUMBER.fullmatch(value))
        case "boolean":
            return value in _BOOLEAN
    return True


def form_errors(spec: str, path: str, method: str, fields: Mapping[str, object]) -> list[str]:
    """What is wrong with form fields for an operation (none: they are valid)."""
    declared = form_parameters(spec, path, method)
    problems = [f"{name}: not a declared parameter" for name in fields if name not in declared]
    for name, parameter in sorted(declared.items()):
        if name not in fields:
            if parameter.get("required"):
                problems.append(f"{name}: required, missing")
            continue
        value = fields[name]
        if not isinstance(value, str):
            problems.append(f"{name}: a form value is text, not {type(value).__name__}")
            continue
        kind = parameter.get("type", "string")
        if not _reads_as(value, kind):
            problems.append(f"{name}: {value!r} does not read as {kind}")
        if "enum" in parameter and value not in parameter["enum"]:
            problems.append(f"{name}: {value!r} is not one of {parameter['enum']}")
    return sorted(problems)
