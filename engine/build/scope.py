"""Gather every name expressions may use, before any expression is checked.

Collected leniently from the raw documents (a document with an unrelated schema error still
contributes its names), so that one typo does not make every use of a name look unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.document import Document
from engine.expressions.nodes import ExprType
from engine.expressions.scope import Dependency, FieldSymbol, Scope

FIELD_TYPES: Mapping[str, ExprType] = {
    "string": ExprType.STRING,
    "integer": ExprType.NUMBER,
    "number": ExprType.NUMBER,
    "boolean": ExprType.BOOLEAN,
    "date": ExprType.DATE,
    "datetime": ExprType.DATETIME,
}
FIELD_ROLES: Mapping[str, Dependency] = {
    "attribute": Dependency.ATTRIBUTE,
    "lifecycle": Dependency.LIFECYCLE,
    "outcome": Dependency.OUTCOME,
}


def collect_scope(
    documents: Mapping[str, list[Document]], unreadable: frozenset[str] = frozenset()
) -> Scope | None:
    """The scope of the project's expressions; None when there is no usable lead model.

    `unreadable` names the kinds of files that could not be read at all: names they define
    are missing from the scope, and the checker does not call them unknown.
    """
    lead_models = documents.get("LeadModel", [])
    if len(lead_models) != 1:
        return None
    raw_fields = _mapping(lead_models[0].data, "fields")
    if not raw_fields:
        return None
    fields = {name: _field(name, spec) for name, spec in raw_fields.items()}
    terms: dict[str, bool] = {}
    for glossary in documents.get("Glossary", []):
        for term in _items(glossary.data, "terms"):
            if isinstance(term.get("id"), str):
                terms.setdefault(term["id"], term.get("means") is not None)
    groups = frozenset(
        name
        for score_model in documents.get("ScoreModel", [])
        for name in _mapping(score_model.data, "groups")
    )
    grades: list[str] = []
    stages: list[str] = []
    for qualification in documents.get("Qualification", []):
        grades += [
            g["id"] for g in _items(qualification.data, "grades") if isinstance(g.get("id"), str)
        ]
        stages += [
            s["id"] for s in _items(qualification.data, "stages") if isinstance(s.get("id"), str)
        ]
    return Scope(
        fields=fields,
        terms=terms,
        groups=groups,
        grades=tuple(grades),
        stages=tuple(stages),
        unreadable=unreadable,
    )


def _field(name: str, spec: Any) -> FieldSymbol:
    if not isinstance(spec, dict):
        return FieldSymbol(name, ExprType.ANY, Dependency.ATTRIBUTE)
    kind = FIELD_TYPES.get(str(spec.get("type")), ExprType.ANY)
    role = FIELD_ROLES.get(str(spec.get("role", "attribute")), Dependency.ATTRIBUTE)
    values = spec.get("values")
    picklist = tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else None
    return FieldSymbol(name, kind, role, picklist if kind is ExprType.STRING and picklist else None)


def _mapping(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
