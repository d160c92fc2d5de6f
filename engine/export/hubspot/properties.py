"""The contact properties Accord's results live in on HubSpot, and the group that holds them.

Score, group scores, grade, stage and route are written by Accord (batch upsert of the
values `accord score` computes), so lists and reports in HubSpot can read them. Each file is
the body of one Create call of the CRM Properties API v3:
https://developers.hubspot.com/docs/api-reference/latest/crm/properties/create-property
(`PropertyCreate`: name, label, type, fieldType, groupName, description, options) and
https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide (property groups,
`PropertyGroupCreate`: name, label, displayOrder).
"""

from __future__ import annotations

from typing import Any

from engine.export.conditions import Subject, Unsupported
from engine.expressions.nodes import RefKind
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import Project, ScoreGroup
from engine.span import Span

GROUP_NAME = "accord"
SCORE_PROPERTY = "accord_score"
GRADE_PROPERTY = "accord_grade"
STAGE_PROPERTY = "accord_stage"
ROUTE_PROPERTY = "accord_route"
# HubSpot displays properties with displayOrder -1 after every positively ordered one.
_LAST = -1


def group_property(group_id: str) -> str:
    return f"accord_{group_id}_score"


def property_of(subject: Subject, span: Span) -> str | Unsupported:
    """The contact property a condition's subject (read at `span`) is on HubSpot."""
    match subject.kind:
        case RefKind.SCORE:
            return SCORE_PROPERTY
        case RefKind.GROUP:
            return group_property(subject.name)
        case RefKind.GRADE:
            return GRADE_PROPERTY
        case RefKind.STAGE:
            return STAGE_PROPERTY
    if subject.field is None or subject.field.hubspot is None:
        what = f"field `{subject.name}`, which has no `hubspot:` property name"
        return Unsupported(what, span, "X102")
    return subject.field.hubspot


def property_group() -> dict[str, Any]:
    return {"displayOrder": _LAST, "label": "Accord", "name": GROUP_NAME}


def _number(name: str, label: str, description: str, order: int) -> dict[str, Any]:
    return {
        "description": description,
        "displayOrder": order,
        "fieldType": "number",
        "formField": False,
        "groupName": GROUP_NAME,
        "label": label,
        "name": name,
        "type": "number",
    }


def _select(
    name: str, label: str, description: str, order: int, options: list[tuple[str, str | None]]
) -> dict[str, Any]:
    return {
        "description": description,
        "displayOrder": order,
        "fieldType": "select",
        "formField": False,
        "groupName": GROUP_NAME,
        "label": label,
        "name": name,
        # The option order is the definitions' order (grades best first, the funnel's stages).
        "options": [
            {"displayOrder": i, "hidden": False, "label": value, "value": value}
            | ({"description": text} if text else {})
            for i, (value, text) in enumerate(options)
        ],
        "type": "enumeration",
    }


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _group_score(group: ScoreGroup, order: int) -> dict[str, Any]:
    described = _one_line(group.description)
    text = f"The `{group.id}` score group as Accord computes it (after decay and caps)."
    return _number(
        group_property(group.id),
        f"Accord {group.id.replace('_', ' ')} score",
        f"{text} {described}" if described else text,
        order,
    )


def properties(project: Project) -> dict[str, dict[str, Any]]:
    """Each property's Create body, by property name."""
    found: dict[str, dict[str, Any]] = {}
    model = project.score_model
    if model:
        total = "The lead score as Accord computes it: the sum of its groups, after caps."
        found[SCORE_PROPERTY] = _number(SCORE_PROPERTY, "Accord score", total, 0)
        for i, group in enumerate(model.groups, start=1):
            found[group_property(group.id)] = _group_score(group, i)
    q = project.qualification
    order = len(found)
    if q and q.grades:
        found[GRADE_PROPERTY] = _select(
            GRADE_PROPERTY,
            "Accord grade",
            "The fit grade Accord gives the lead: the first grade whose condition holds.",
            order,
            [(g.id, _one_line(g.description)) for g in q.grades],
        )
    if q and q.stages:
        stages = [(s.id, _one_line(s.description)) for s in q.stages]
        found[STAGE_PROPERTY] = _select(
            STAGE_PROPERTY,
            "Accord stage",
            "The lifecycle stage Accord puts the lead in: the last stage whose condition"
            " holds, or `disqualified`.",
            order + 1,
            [*stages, (DISQUALIFIED_STAGE, "A disqualifier holds.")],
        )
    routing = project.routing
    if routing and routing.routes:
        found[ROUTE_PROPERTY] = _select(
            ROUTE_PROPERTY,
            "Accord route",
            "The routing rule that took the lead: the first route whose condition holds.",
            order + 2,
            [(r.id, _one_line(r.why)) for r in routing.routes],
        )
    return found
