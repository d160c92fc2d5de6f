"""The Lead fields Accord reads conditions from: the lead model's `salesforce:` names, and the
custom fields Accord fills when it syncs score, group scores, grade, stage and route back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.export.salesforce.names import api_name
from engine.ir import FieldType, LeadField, Project

OBJECT = "Lead"
SCORE_FIELD = "Accord_Score__c"
GRADE_FIELD = "Accord_Grade__c"
STAGE_FIELD = "Accord_Stage__c"
ROUTE_FIELD = "Accord_Route__c"


class Kind(StrEnum):
    """How Salesforce stores a value, which decides the operators and functions that read it."""

    TEXT = "text"
    PICKLIST = "picklist"
    NUMBER = "number"
    CHECKBOX = "checkbox"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class SalesforceField:
    name: str  # the API name on Lead
    kind: Kind


def group_field(group: str) -> str:
    """`fit` → `Accord_Fit_Score__c`."""
    return f"Accord_{api_name(group)}_Score__c"


def field_kind(field: LeadField) -> Kind:
    """A string field with `values:` is taken to be a picklist on Salesforce, as the standard
    Lead fields the example maps (Industry, LeadSource, Status) are."""
    match field.type:
        case FieldType.STRING:
            return Kind.PICKLIST if field.values else Kind.TEXT
        case FieldType.INTEGER | FieldType.NUMBER:
            return Kind.NUMBER
        case FieldType.BOOLEAN:
            return Kind.CHECKBOX
        case FieldType.DATE:
            return Kind.DATE
        case FieldType.DATETIME:
            return Kind.DATETIME


def lead_field(project: Project, name: str) -> LeadField | None:
    return project.lead_model.field(name) if project.lead_model else None
