"""Each document against its kind's JSON Schema (schemas/): which kind it is, and what breaks.

The schemas are the contract editors see too. This module loads them and finds the
violations; engine/schema_messages.py turns each into a diagnostic at the right position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from engine.diagnostics import Diagnostic, diagnostic, did_you_mean, known_list
from engine.document import Document
from engine.schema_messages import explain, value_kind
from engine.span import Span

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


@cache
def schemas() -> dict[str, Any]:
    """Every schema file by name (`common.schema.json`, …)."""
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))
    }


@cache
def _validator(kind: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas().items()
    )
    return Draft202012Validator(schemas()[KIND_SCHEMAS[kind]], registry=registry)


def document_kind(document: Document) -> tuple[str | None, list[Diagnostic]]:
    """The document's kind when `apiVersion` and `kind` are right; else why not."""
    data = document.data
    if not isinstance(data, dict):
        return None, [
            diagnostic(
                "S107",
                f"a definition file holds a mapping, not {value_kind(data)}",
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
    if not isinstance(kind, str) or kind not in KIND_SCHEMAS:  # `kind: []` is unhashable
        hint = did_you_mean(str(kind), KIND_SCHEMAS) if isinstance(kind, str) else None
        problems.append(
            diagnostic(
                "S107",
                "`kind` is missing" if kind is None else f"unknown kind `{kind}`",
                document.span(("kind",)) if "kind" in data else document.span(()),
                help=hint or f"the kinds are {known_list(list(KIND_SCHEMAS))}",
            )
        )
        return None, problems
    return (kind if not problems else None), problems


def validate_document(document: Document, kind: str) -> list[Diagnostic]:
    """Every schema violation in the document, each at its own position."""
    root = schemas()[KIND_SCHEMAS[kind]]
    problems = list(_schema_comment_problems(document, kind))
    for error in _validator(kind).iter_errors(document.data):
        problems.extend(explain(document, root, error, schemas()))
    return problems


def _schema_comment_problems(document: Document, kind: str) -> Iterator[Diagnostic]:
    """The `# yaml-language-server: $schema=` line, if any, must name this kind's schema."""
    for number, line in enumerate(document.lines[:5], start=1):
        found = _SCHEMA_COMMENT.search(line)
        if found is None:
            continue
        named = found.group(1).rsplit("/", 1)[-1]
        if named != KIND_SCHEMAS[kind]:
            yield diagnostic(
                "S108",
                f"the editor schema comment names `{named}`, but this is a {kind}",
                Span.point(document.path, number, found.start(1) + 1, len(found.group(1))),
                help=f"point it at `{KIND_SCHEMAS[kind]}` so editors check the right shape",
            )
        return
