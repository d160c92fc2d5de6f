"""The Marketo lead fields Accord's results live in: score, group scores, grade, stage, route.

One body of `POST /rest/v1/leads/schema/fields.json` ("Create Lead Fields",
`createLeadFieldUsingPOST` with `CreateLeadFieldRequest` in Marketo's swagger-mapi.json,
AdobeDocs/marketo-apis; fields as the Leads reference describes them:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads). The scores are of data type `score`, the type a smart campaign's Change
Score flow step changes; grade, stage and route are `string` fields Accord fills.
API names must start with a letter and hold only letters, digits and underscores, and
display names no special characters (the swagger's field descriptions), which the
identifiers of groups satisfy once their underscores are spaces.
"""

from __future__ import annotations

from typing import Any

from engine.expressions.nodes import RefKind
from engine.ir import Project

SCORE_FIELD = "accord_score"
GRADE_FIELD = "accord_grade"
STAGE_FIELD = "accord_stage"
ROUTE_FIELD = "accord_route"


def group_field(group_id: str) -> str:
    return f"accord_{group_id}_score"


def display_name(kind: RefKind, name: str) -> str:
    """The field's display name, for Accord's score (SCORE), a group, the grade or stage."""
    match kind:
        case RefKind.SCORE:
            return "Accord score"
        case RefKind.GROUP:
            return f"Accord {name.replace('_', ' ')} score"
        case RefKind.GRADE:
            return "Accord grade"
    return "Accord stage"


def _field(name: str, label: str, data_type: str, description: str) -> dict[str, Any]:
    return {"dataType": data_type, "description": description, "displayName": label, "name": name}


def lead_fields(project: Project) -> dict[str, Any]:
    """The Create Lead Fields body; empty `input` when there is nothing to create."""
    found: list[dict[str, Any]] = []
    if project.score_model:
        found.append(
            _field(
                SCORE_FIELD,
                display_name(RefKind.SCORE, ""),
                "score",
                "Lead score: the sum of the Accord score groups, changed by the Accord"
                " scoring campaigns.",
            )
        )
        found += [
            _field(
                group_field(g.id),
                display_name(RefKind.GROUP, g.id),
                "score",
                f"The {g.id} score group, changed by the Accord scoring campaigns.",
            )
            for g in project.score_model.groups
        ]
    q = project.qualification
    if q and q.grades:
        text = "The fit grade Accord gives the lead (written by Accord)."
        found.append(_field(GRADE_FIELD, "Accord grade", "string", text))
    if q and q.stages:
        text = "The lifecycle stage Accord puts the lead in (written by Accord)."
        found.append(_field(STAGE_FIELD, "Accord stage", "string", text))
    if project.routing and project.routing.routes:
        text = "The Accord routing rule that took the lead (written by Accord)."
        found.append(_field(ROUTE_FIELD, "Accord route", "string", text))
    return {"input": found}
