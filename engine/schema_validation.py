"""Check each document against its kind's JSON Schema and turn violations into diagnostics.

The schemas in `schemas/` are the contract editors see too. jsonschema reports *what* broke;
this module says *where* (the key or value's own line and column, not the enclosing object)
and *what to do* (did-you-mean for typos, the property's description, quoting hints).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from engine.diagnostics import Diagnostic, diagnostic, did_you_mean, known_list
from engine.document import Document, Path

SCHEMA_DIR = FilePath(__file__).resolve().parent.parent / "schemas"
API_VERSION = "accord/v1"

KIND_SCHEMAS: dict[str, str] = {
    "Project": "project.schema.json",
    "LeadModel": "lead-model.schema.json",
    "ScoreModel": "score-model.schema.json",
    "Qualification": "qualification.schema.json",
    "Routing": "routing.schema.json",
    "ServiceLevels": "service-levels.schema.json",
    "Glossary": "glossary.schema.json",
    "RuleTests": "rule-tests.schema.json",
}

_SCHEMA_COMMENT = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


@cache
def _schemas() -> dict[str, Any]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))
    }


@cache
def _registry() -> Registry[Any]:
    resources = [(name, Resource.from_contents(s)) for name, s in _schemas().items()]
    return Registry().with_resources(resources)


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(_schemas()[KIND_SCHEMAS[kind]], registry=_registry())


def document_kind(document: Document) -> tuple[str | None, list[Diagnostic]]:
    """The document's kind when `apiVersion` and `kind` are right; else why not."""
    data = document.data
    if not isinstance(data, dict):
        return None, [
            diagnostic(
                "S107",
                f"a definition file holds a mapping, not {_type_of(data)}",
                document.span(()),
                help="start the file with `apiVersion: accord/v1` and a `kind:`",
            )
        ]
    problems = []
    api_version = data.get("apiVersion")
    if api_version != API_VERSION:
        problems.append(
            diagnostic(
                "S107",
                "`apiVersion` is missing"
                if api_version is None
                else f"unknown apiVersion `{api_version}`",
                document.span(("apiVersion",)) if "apiVersion" in data else document.span(()),
                help=f"write `apiVersion: {API_VERSION}`",
            )
        )
    kind = data.get("kind")
    if kind not in KIND_SCHEMAS:
        known = known_list(list(KIND_SCHEMAS))
        hint = did_you_mean(str(kind), KIND_SCHEMAS) if isinstance(kind, str) else None
        problems.append(
            diagnostic(
                "S107",
                "`kind` is missing" if kind is None else f"unknown kind `{kind}`",
                document.span(("kind",)) if "kind" in data else document.span(()),
                help=hint or f"the kinds are {known}",
            )
        )
        return None, problems
    return (kind if not problems else None), problems


def validate_document(document: Document, kind: str) -> list[Diagnostic]:
    """Every schema violation in the document, each at its own position."""
    problems = list(_schema_comment_problems(document, kind))
    for error in _validator(kind).iter_errors(document.data):
        problems.extend(_explain(document, kind, error))
    return problems


def _schema_comment_problems(document: Document, kind: str) -> Iterator[Diagnostic]:
    for number, line in enumerate(document.text.splitlines()[:5], start=1):
        found = _SCHEMA_COMMENT.search(line)
        if found is None:
            continue
        named = found.group(1).rsplit("/", 1)[-1]
        if named != KIND_SCHEMAS[kind]:
            column = found.start(1) + 1
            yield diagnostic(
                "S108",
                f"the editor schema comment names `{named}`, but this is a {kind}",
                document.span(()).point(document.path, number, column, len(found.group(1))),
                help=f"point it at `{KIND_SCHEMAS[kind]}` so editors check the right shape",
            )
        return


def _explain(document: Document, kind: str, error: ValidationError) -> Iterator[Diagnostic]:
    path: Path = tuple(error.absolute_path)
    where = _where(document, path)
    validator = error.validator
    schema = _schemas()[KIND_SCHEMAS[kind]]
    if validator in ("anyOf", "oneOf") and error.context:
        yield from _explain_alternatives(document, kind, error)
        return
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(_properties(_subschema(error)))
        for key in error.instance:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed)
            yield diagnostic(
                "S101",
                f"unknown key `{key}`{where}",
                document.key_span((*path, key)),
                help=hint or f"the keys allowed here are {known_list(allowed, limit=20)}",
            )
        return
    if "propertyNames" in error.absolute_schema_path:
        key = str(error.instance)
        description = (
            _subschema(error).get("description") if isinstance(_subschema(error), dict) else None
        )
        yield diagnostic(
            "S105",
            f"`{_short(key)}` is not a valid name here{where}",
            document.key_span((*path, key)),
            help=description or f"it must match `{_expected(error)}`",
        )
        return
    if validator == "required":
        instance: Any = error.instance
        missing = [k for k in _expected(error) if k not in instance]
        for key in missing:
            description = _description(schema, (*path, key))
            yield diagnostic(
                "S102",
                f"missing required key `{key}`{where}",
                _object_span(document, path),
                help=f"add `{key}:`" + (f" ({description})" if description else ""),
            )
        return
    if validator == "type":
        if path in document.coerced:
            return  # the loader has said why this value has the wrong type
        yield _type_problem(document, schema, path, error)
        return
    if validator in ("enum", "const"):
        options = _expected(error) if validator == "enum" else [_expected(error)]
        shown = ", ".join(f"`{o}`" for o in options)
        hint = did_you_mean(str(error.instance), [str(o) for o in options])
        yield diagnostic(
            "S104",
            f"`{_short(error.instance)}` is not allowed here{where}",
            document.span(path),
            help=(hint + " " if hint else "") + f"the values allowed are {shown}",
        )
        return
    if validator == "pattern":
        yield _pattern_problem(document, schema, path, error)
        return
    if validator in _RANGE_VALIDATORS:
        subject = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "the value"
        message = _range_message(str(validator), subject, error.instance, _expected(error))
        yield diagnostic(
            "S106",
            message + _where(document, path[:-1] if path and isinstance(path[-1], str) else path),
            document.span(path),
            help=_description(schema, path) or None,
        )
        return
    yield diagnostic(
        "S109", error.message + where, document.span(path), help=_description(schema, path) or None
    )


def _explain_alternatives(
    document: Document, kind: str, error: ValidationError
) -> Iterator[Diagnostic]:
    """anyOf/oneOf: report the branch the author evidently meant, not all of them."""
    path: Path = tuple(error.absolute_path)
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if all(sub.validator == "required" for subs in branches.values() for sub in subs):
        options = sorted(
            {key for subs in branches.values() for sub in subs for key in _expected(sub)}
        )
        yield diagnostic(
            "S102",
            f"needs one of {known_list(options)}{_where(document, path)}",
            _object_span(document, path),
            help=_description(_schemas()[KIND_SCHEMAS[kind]], path) or None,
        )
        return
    meant = [
        subs
        for subs in branches.values()
        if not any(s.validator == "type" and tuple(s.absolute_path) == path for s in subs)
    ]
    if len(meant) == 1:
        for sub in meant[0]:
            yield from _explain(document, kind, sub)
        return
    if not meant:
        expected = sorted(
            {
                t
                for subs in branches.values()
                for s in subs
                if s.validator == "type"
                for t in _types(s)
            }
        )
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        yield diagnostic(
            "S103",
            f"expected {names}, got {_type_of(error.instance)}{_where(document, path)}",
            document.span(path),
            help=_description(_schemas()[KIND_SCHEMAS[kind]], path) or None,
        )
        return
    yield from _explain(document, kind, best_match(error.context or []))


def _type_problem(
    document: Document, schema: Any, path: Path, error: ValidationError
) -> Diagnostic:
    expected = " or ".join(_TYPE_NAMES.get(t, t) for t in _types(error))
    value = error.instance
    description = _description(schema, path)
    help_text = description or None
    source = document.scalars.get(path)
    quoted_type = "string" in _types(error) and not isinstance(value, (str, list, dict))
    if quoted_type and source is None:
        raw = _raw_text(document, path)
        help_text = f'quote it to keep it as text: "{raw}"'
    elif isinstance(value, float) and "integer" in _types(error):
        help_text = "use a whole number"
    elif isinstance(value, str) and set(_types(error)) & {"integer", "number"}:
        help_text = (
            f"write a number without quotes or units{'; ' + description if description else ''}"
        )
    return diagnostic(
        "S103",
        f"expected {expected}, got {_type_of(value)}{_where(document, path)}",
        document.span(path),
        help=help_text,
    )


def _pattern_problem(
    document: Document, schema: Any, path: Path, error: ValidationError
) -> Diagnostic:
    description = _description(schema, path) or _description(_subschema(error), ())
    return diagnostic(
        "S105",
        f"`{_short(error.instance)}` does not have the form expected{_where(document, path)}",
        document.span(path),
        help=description or f"it must match `{_expected(error)}`",
    )


def _range_message(validator: str, subject: str, instance: Any, limit: Any) -> str:
    """`members` is empty, `points` is 2000, above the maximum of 1000, …"""
    empty = not instance
    messages = {
        "minimum": f"{subject} is {instance}, below the minimum of {limit}",
        "maximum": f"{subject} is {instance}, above the maximum of {limit}",
        "exclusiveMinimum": f"{subject} is {instance}; it must be greater than {limit}",
        "exclusiveMaximum": f"{subject} is {instance}; it must be less than {limit}",
        "minItems": f"{subject} is empty" if empty else f"{subject} needs at least {limit} items",
        "maxItems": f"{subject} may hold at most {limit} items",
        "minLength": f"{subject} is empty"
        if empty
        else f"{subject} needs at least {limit} characters",
        "maxLength": f"{subject} is longer than {limit} characters",
        "minProperties": f"{subject} is empty"
        if empty
        else f"{subject} needs at least {limit} keys",
        "uniqueItems": f"{subject} holds the same item twice",
    }
    if validator == "maxProperties":
        return f"{subject} takes at most {limit} of {known_list(list(instance))}"
    return messages[validator]


_RANGE_VALIDATORS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "uniqueItems",
    }
)


def _object_span(document: Document, path: Path) -> Any:
    """Where to point for a problem with a whole object: its key, or a list item's start."""
    if path and isinstance(path[-1], str):
        return document.key_span(path)
    return document.span(path)


def _where(document: Document, path: Path) -> str:
    """` in groups.fit.rules[senior_buyer]`: a breadcrumb naming list items by their id."""
    if not path:
        return ""
    parts: list[str] = []
    value: Any = document.data
    for part in path:
        if isinstance(part, int):
            item = value[part] if isinstance(value, list) and part < len(value) else None
            label = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{label}]" if isinstance(label, str) else f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
        value = value[part] if isinstance(value, (dict, list)) else None  # type: ignore[index]
    return f" in `{''.join(parts)}`"


def _expected(error: ValidationError) -> Any:
    """The keyword's value in the schema (jsonschema types it loosely)."""
    return error.validator_value


def _subschema(error: ValidationError) -> Any:
    return error.schema


def _properties(schema: Mapping[str, Any]) -> set[str]:
    return set(schema.get("properties", {}))


def _types(error: ValidationError) -> list[str]:
    value = _expected(error)
    return list(value) if isinstance(value, list) else [str(value)]


def _description(root: Any, path: Path) -> str:
    """The description an editor shows for the value at `path` (empty when there is none)."""
    base, fragment = _resolve(root, root)
    for part in path:
        if not isinstance(fragment, dict):
            return ""
        if isinstance(part, int):
            fragment = fragment.get("items")
        elif part in fragment.get("properties", {}):
            fragment = fragment["properties"][part]
        else:
            fragment = fragment.get("additionalProperties")
        base, fragment = _resolve(base, fragment)
    return str(fragment.get("description", "")) if isinstance(fragment, dict) else ""


def _resolve(base: Any, fragment: Any) -> tuple[Any, Any]:
    """Follow `$ref`s to a plain schema; the referring side's description wins.

    Returns the schema document the result lives in (for its own local refs) and the result.
    """
    description = fragment.get("description") if isinstance(fragment, dict) else None
    for _ in range(8):
        if not isinstance(fragment, dict) or "$ref" not in fragment:
            break
        target, _, pointer = str(fragment["$ref"]).partition("#")
        if target:
            base = _schemas()[target]
        fragment = base
        for part in pointer.strip("/").split("/") if pointer else []:
            fragment = fragment[part]
    if description and isinstance(fragment, dict):
        fragment = {**fragment, "description": description}
    return base, fragment


def _raw_text(document: Document, path: Path) -> str:
    span = document.span(path)
    lines = document.text.splitlines()
    if span.line == span.end_line and 0 < span.line <= len(lines):
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    return str(document.get(path))


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{_short(value)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null"


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
