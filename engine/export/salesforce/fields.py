"""The Lead fields Accord syncs its results into: score, a score per group, grade, stage and
route. Conditions that read them (a route on `stage`, an SLA on `mql`) read these fields.
https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm
"""

from __future__ import annotations

from engine.export import Coverage
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.accord_fields import (
    GRADE_FIELD,
    OBJECT,
    ROUTE_FIELD,
    SCORE_FIELD,
    STAGE_FIELD,
)
from engine.export.salesforce.component_names import ComponentNames
from engine.export.salesforce.part import SOURCE_ROOT, Part
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import Project

_SYNCED = "Set by Accord when it syncs its results back; do not edit by hand."


def field_path(object_name: str, field: str) -> str:
    return f"{SOURCE_ROOT}/objects/{object_name}/fields/{field}.field-meta.xml"


def number_field(name: str, label: str, description: str, scale: int = 2) -> str:
    document = xml.root("CustomField")
    xml.leaf(document, "fullName", name)
    xml.leaf(document, "description", description)
    xml.leaf(document, "externalId", False)
    xml.leaf(document, "label", label)
    xml.leaf(document, "precision", 18)
    xml.leaf(document, "required", False)
    xml.leaf(document, "scale", scale)
    xml.leaf(document, "type", "Number")
    xml.leaf(document, "unique", False)
    return xml.serialize(document)


def picklist_field(name: str, label: str, description: str, values: list[str]) -> str:
    document = xml.root("CustomField")
    xml.leaf(document, "fullName", name)
    xml.leaf(document, "description", description)
    xml.leaf(document, "label", label)
    xml.leaf(document, "required", False)
    xml.leaf(document, "type", "Picklist")
    value_set = xml.node(document, "valueSet")
    # Restricted: only the values Accord computes can be stored, as criteria assume.
    xml.leaf(value_set, "restricted", True)
    definition = xml.node(value_set, "valueSetDefinition")
    xml.leaf(definition, "sorted", False)
    for value in values:
        element = xml.node(definition, "value")
        xml.leaf(element, "fullName", value)
        xml.leaf(element, "default", False)
        xml.leaf(element, "label", value)
    return xml.serialize(document)


def lead_fields(project: Project, names: ComponentNames) -> Part:
    files: dict[str, str] = {}
    coverage: list[Coverage] = []
    score_model, q, routing = project.score_model, project.qualification, project.routing
    if score_model is not None:
        files[field_path(OBJECT, SCORE_FIELD)] = number_field(
            SCORE_FIELD, "Accord Score", f"The lead score, after caps. {_SYNCED}"
        )
        for group in score_model.groups:
            name = names.group_fields.get(group.id)
            if name is None:
                continue  # X104 at the group
            files[field_path(OBJECT, name)] = number_field(
                name,
                f"Accord {group.id} score"[:40],
                f"The score group `{group.id}`, after decay and caps. {_SYNCED}",
            )
    if q is not None:
        grades = [g.id for g in q.grades]
        files[field_path(OBJECT, GRADE_FIELD)] = picklist_field(
            GRADE_FIELD, "Accord Grade", f"The lead's fit grade. {_SYNCED}", grades
        )
        stages = [s.id for s in q.stages] + [DISQUALIFIED_STAGE]
        files[field_path(OBJECT, STAGE_FIELD)] = picklist_field(
            STAGE_FIELD, "Accord Stage", f"The lead's lifecycle stage. {_SYNCED}", stages
        )
        for grade in q.grades:
            how = f"the value {grade.id} of {GRADE_FIELD}, computed by Accord"
            coverage.append(Coverage(f"grade:{grade.id}", True, how, grade.span))
        for stage in q.stages:
            how = f"the value {stage.id} of {STAGE_FIELD}, computed by Accord"
            coverage.append(Coverage(f"stage:{stage.id}", True, how, stage.span))
    if routing is not None:
        routes = [r.id for r in routing.routes]
        files[field_path(OBJECT, ROUTE_FIELD)] = picklist_field(
            ROUTE_FIELD, "Accord Route", f"The route that took the lead. {_SYNCED}", routes
        )
    return Part(files, (), tuple(coverage))
