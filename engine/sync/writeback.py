"""What `accord sync-scores` writes: each lead's decisions as the platform's field values.

The field names are the ones the exporters create (engine.export.salesforce.accord_fields,
engine.export.hubspot.properties), so a sync fills exactly the fields a deploy made.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.export.hubspot import properties as hubspot
from engine.export.salesforce import accord_fields as salesforce
from engine.export.salesforce.component_names import name_components
from engine.ir import Project

SALESFORCE = "salesforce"
HUBSPOT = "hubspot"
TARGETS = (HUBSPOT, SALESFORCE)
HUBSPOT_RECORD_ID = "hs_object_id"  # the contact's own id, addressed without idProperty
# Bulk API 2.0 leaves a field unchanged when its CSV cell is empty; `#N/A` sets it to null.
# https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm
SALESFORCE_NULL = "#N/A"
# HubSpot clears a property given an empty string.
# https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/batch/update-contacts
HUBSPOT_NULL = ""


class WritebackError(Exception):
    """The lead model or the definitions do not say where a value goes on the platform."""


@dataclass(frozen=True)
class Writeback:
    """Where each result column goes: the platform's name for the lead id, then the
    (result column, platform field) pairs, in a fixed order."""

    target: str
    id_name: str
    columns: tuple[tuple[str, str], ...]
    null: str


@dataclass(frozen=True)
class Record:
    """One lead's update: its id on the platform and its field values as text."""

    id: str
    values: tuple[tuple[str, str], ...]


def writeback(project: Project, target: str) -> Writeback:
    model = project.lead_model
    if model is None:
        raise WritebackError("the project has no lead model, so leads have no id")
    id_field = model.field(model.id_field.id)
    assert id_field is not None
    id_name = id_field.salesforce if target == SALESFORCE else id_field.hubspot
    if id_name is None:
        raise WritebackError(
            f"the id field `{id_field.id}` has no `{target}:` name in the lead model;"
            f" name the {target} field that holds the lead's id"
        )
    if target == SALESFORCE and id_name != "Id":
        # A Bulk API 2.0 update finds records by Id only; an upsert by an external id
        # would create a Lead for every unknown id.
        raise WritebackError(
            f"the id field `{id_field.id}` maps to Salesforce `{id_name}`; sync-scores updates"
            " Leads by their record Id, so map the id field to `salesforce: Id`"
        )
    columns: list[tuple[str, str]] = []
    if project.score_model is not None:
        if target == SALESFORCE:
            columns.append(("score", salesforce.SCORE_FIELD))
            names = name_components(project).group_fields
            columns += [(g.id, names[g.id]) for g in project.score_model.groups if g.id in names]
        else:
            columns.append(("score", hubspot.SCORE_PROPERTY))
            columns += [(g.id, hubspot.group_property(g.id)) for g in project.score_model.groups]
    if project.qualification is not None:
        sf = target == SALESFORCE
        columns.append(("grade", salesforce.GRADE_FIELD if sf else hubspot.GRADE_PROPERTY))
        columns.append(("stage", salesforce.STAGE_FIELD if sf else hubspot.STAGE_PROPERTY))
    if project.routing is not None:
        sf = target == SALESFORCE
        columns.append(("route", salesforce.ROUTE_FIELD if sf else hubspot.ROUTE_PROPERTY))
    if not columns:
        raise WritebackError("the project has no scoring, qualification or routing to sync")
    null = SALESFORCE_NULL if target == SALESFORCE else HUBSPOT_NULL
    return Writeback(target, id_name, tuple(columns), null)


def text(value: object, null: str) -> str:
    """A result value as the platform's text: integral numbers without a decimal point."""
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return null
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    return str(value)


def records(rows: Sequence[Mapping[str, object]], plan: Writeback, id_column: str) -> list[Record]:
    """Each scored row as a Record; rows without an id cannot be addressed and are left out."""
    found: list[Record] = []
    for row in rows:
        lead_id = row.get(id_column)
        if lead_id is None or str(lead_id).strip() == "":
            continue
        values = tuple((name, text(row.get(column), plan.null)) for column, name in plan.columns)
        found.append(Record(str(lead_id), values))
    return found
