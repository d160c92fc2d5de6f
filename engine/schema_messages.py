"""From a jsonschema violation to a diagnostic that points at the right place and helps.

jsonschema reports *what* broke and the path of the enclosing value. A person needs the key
or value at fault (a misspelt key, not its mapping), a did-you-mean, and the schema's own
description of what belongs there, so each JSON Schema keyword has its own explainer below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from engine.diagnostics import Diagnostic, diagnostic, did_you_mean, known_list
from engine.document import Document, Path
from engine.span import Span

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


@dataclass(frozen=True)
class _Violation:
    """One jsonschema error, with what every explainer needs to phrase it."""

    document: Document
    root: Any  # the kind's schema
    schemas: Mapping[str, Any]  # every schema by file name, for `$ref`s
    error: ValidationError
    path: Path

    @property
    def instance(self) -> Any:
        return self.error.instance

    @property
    def expected(self) -> Any:
        """The keyword's value in the schema (jsonschema types it loosely)."""
        return self.error.validator_value

    @property
    def where(self) -> str:
        return _where(self.document, self.path)

    def description(self, path: Path | None = None) -> str:
        return _description(self.root, self.path if path is None else path, self.schemas)

    def at(self, error: ValidationError) -> _Violation:
        return _Violation(self.document, self.root, self.schemas, error, tuple(error.absolute_path))


def explain(
    document: Document, root: Any, error: ValidationError, schemas: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """The diagnostics for one violation (several for `additionalProperties` or `required`)."""
    violation = _Violation(document, root, schemas, error, tuple(error.absolute_path))
    yield from _explain(violation)


def _explain(v: _Violation) -> Iterator[Diagnostic]:
    if "propertyNames" in v.error.absolute_schema_path:
        yield _property_name(v)
        return
    explainer = _EXPLAINERS.get(str(v.error.validator), _other)
    yield from explainer(v)


def _additional_properties(v: _Violation) -> Iterator[Diagnostic]:
    allowed = (
        sorted(v.error.schema.get("properties", {})) if isinstance(v.error.schema, dict) else []
    )
    for key in v.instance if isinstance(v.instance, dict) else ():
        if key not in allowed:
            yield diagnostic(
                "S101",
                f"unknown key `{key}`{v.where}",
                v.document.key_span((*v.path, key)),
                help=did_you_mean(key, allowed)
                or f"the keys allowed here are {known_list(allowed, limit=20)}",
            )


def _property_name(v: _Violation) -> Diagnostic:
    """A mapping key that is not a valid id: point at the key itself."""
    key = str(v.instance)
    schema = v.error.schema
    description = schema.get("description") if isinstance(schema, dict) else None
    return diagnostic(
        "S105",
        f"`{_short(key)}` is not a valid name here{v.where}",
        v.document.key_span((*v.path, key)),
        help=description or f"it must match `{v.expected}`",
    )


def _required(v: _Violation) -> Iterator[Diagnostic]:
    for key in v.expected:
        if key not in v.instance:
            description = v.description((*v.path, key))
            yield diagnostic(
                "S102",
                f"missing required key `{key}`{v.where}",
                _object_span(v.document, v.path),
                help=f"add `{key}:`" + (f" ({description})" if description else ""),
            )


def _type(v: _Violation) -> Iterator[Diagnostic]:
    if v.path in v.document.coerced:
        return  # the loader has said why this value has the wrong type (YAML 1.1)
    types = _types(v.error)
    value = v.instance
    description = v.description()
    help_text = description or None
    if (
        "string" in types
        and not isinstance(value, (str, list, dict))
        and v.path not in v.document.scalars
    ):
        help_text = f'quote it to keep it as text: "{_raw_text(v.document, v.path)}"'
    elif isinstance(value, float) and "integer" in types:
        help_text = "use a whole number"
    elif isinstance(value, str) and {"integer", "number"} & set(types):
        help_text = "write a number without quotes or units" + (
            f"; {description}" if description else ""
        )
    yield diagnostic(
        "S103",
        f"expected {' or '.join(_TYPE_NAMES.get(t, t) for t in types)}, got {value_kind(value)}{v.where}",
        v.document.span(v.path),
        help=help_text,
    )


def _allowed_values(v: _Violation) -> Iterator[Diagnostic]:
    options = v.expected if v.error.validator == "enum" else [v.expected]
    hint = did_you_mean(str(v.instance), [str(o) for o in options])
    shown = ", ".join(f"`{o}`" for o in options)
    yield diagnostic(
        "S104",
        f"`{_short(v.instance)}` is not allowed here{v.where}",
        v.document.span(v.path),
        help=(hint + " " if hint else "") + f"the values allowed are {shown}",
    )


def _pattern(v: _Violation) -> Iterator[Diagnostic]:
    schema = v.error.schema
    description = v.description() or (
        schema.get("description", "") if isinstance(schema, dict) else ""
    )
    yield diagnostic(
        "S105",
        f"`{_short(v.instance)}` does not have the form expected{v.where}",
        v.document.span(v.path),
        help=description or f"it must match `{v.expected}`",
    )


def _range(v: _Violation) -> Iterator[Diagnostic]:
    """Sizes and bounds: `members` is empty, `points` is 2000, above the maximum of 1000, …"""
    named = bool(v.path) and isinstance(v.path[-1], str)
    subject = f"`{v.path[-1]}`" if named else "the value"
    instance, limit, empty = v.instance, v.expected, not v.instance
    keys = [str(key) for key in instance] if isinstance(instance, dict) else []
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
        # Every message here is built, whichever failed: only a mapping's keys are listed
        # (a list of lists is not, found by fuzzing: its items cannot be sorted as names).
        "maxProperties": f"{subject} takes at most {limit} of {known_list(keys)}",
        "uniqueItems": f"{subject} holds the same item twice",
    }
    yield diagnostic(
        "S106",
        messages[str(v.error.validator)] + _where(v.document, v.path[:-1] if named else v.path),
        v.document.span(v.path),
        help=v.description() or None,
    )


def _alternatives(v: _Violation) -> Iterator[Diagnostic]:
    """anyOf/oneOf: report the branch the author evidently meant, not every branch."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in v.error.context or []:
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    errors = [sub for subs in branches.values() for sub in subs]
    if errors and all(sub.validator == "required" for sub in errors):
        options = sorted({key for sub in errors for key in sub.validator_value})  # type: ignore[union-attr]
        yield diagnostic(
            "S102",
            f"needs one of {known_list(options)}{v.where}",
            _object_span(v.document, v.path),
            help=v.description() or None,
        )
        return
    # A branch whose type differs from the value's was not the one meant.
    meant = [
        subs
        for subs in branches.values()
        if not any(s.validator == "type" and tuple(s.absolute_path) == v.path for s in subs)
    ]
    if len(meant) == 1:
        for sub in meant[0]:
            yield from _explain(v.at(sub))
    elif not meant:
        expected = sorted({t for s in errors if s.validator == "type" for t in _types(s)})
        yield diagnostic(
            "S103",
            f"expected {' or '.join(_TYPE_NAMES.get(t, t) for t in expected)}, got {value_kind(v.instance)}{v.where}",
            v.document.span(v.path),
            help=v.description() or None,
        )
    elif errors:
        yield from _explain(v.at(best_match(errors)))


def _other(v: _Violation) -> Iterator[Diagnostic]:
    yield diagnostic(
        "S109", v.error.message + v.where, v.document.span(v.path), help=v.description() or None
    )


_EXPLAINERS: dict[str, Callable[[_Violation], Iterator[Diagnostic]]] = {
    "additionalProperties": _additional_properties,
    "required": _required,
    "type": _type,
    "enum": _allowed_values,
    "const": _allowed_values,
    "pattern": _pattern,
    "anyOf": _alternatives,
    "oneOf": _alternatives,
    **dict.fromkeys(
        (
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
        ),
        _range,
    ),
}


def _object_span(document: Document, path: Path) -> Span:
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


def _types(error: ValidationError) -> list[str]:
    value: Any = error.validator_value
    return list(value) if isinstance(value, list) else [str(value)]


def _description(root: Any, path: Path, schemas: Mapping[str, Any]) -> str:
    """The description an editor shows for the value at `path` (empty when there is none)."""
    base, fragment = _resolve(root, root, schemas)
    for part in path:
        if not isinstance(fragment, dict):
            return ""
        if isinstance(part, int):
            fragment = fragment.get("items")
        elif part in fragment.get("properties", {}):
            fragment = fragment["properties"][part]
        else:
            fragment = fragment.get("additionalProperties")
        base, fragment = _resolve(base, fragment, schemas)
    return str(fragment.get("description", "")) if isinstance(fragment, dict) else ""


def _resolve(base: Any, fragment: Any, schemas: Mapping[str, Any]) -> tuple[Any, Any]:
    """Follow `$ref`s to a plain schema; the referring side's description wins.

    Returns the schema document the result lives in (for its own local refs) and the result.
    """
    description = fragment.get("description") if isinstance(fragment, dict) else None
    for _ in range(8):
        if not isinstance(fragment, dict) or "$ref" not in fragment:
            break
        target, _, pointer = str(fragment["$ref"]).partition("#")
        if target:
            base = schemas[target]
        fragment = base
        for part in pointer.strip("/").split("/") if pointer else []:
            fragment = fragment[part]
    if description and isinstance(fragment, dict):
        fragment = {**fragment, "description": description}
    return base, fragment


def _raw_text(document: Document, path: Path) -> str:
    """The value at `path` as written in the file (for a one-line scalar)."""
    span = document.span(path)
    lines = document.lines
    if span.line == span.end_line and 0 < span.line <= len(lines):
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    return str(document.get(path))


def value_kind(value: Any) -> str:
    """How a value is described in messages: `true`, the number 5, the text "x", a list…"""
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
