"""The Salesforce exporter: SFDX source for `sf project deploy start` (docs/exports/salesforce.md).

Lead assignment rules from the routes, queues from queues and teams, the Lead fields Accord
syncs its results into, the scoring table as custom metadata, one flow per SLA timer, and
the manifest. Whatever Salesforce cannot carry is an X diagnostic at its definition.
"""

from __future__ import annotations

from engine.export import Export, ExportOptions
from engine.export.salesforce.assignment_rules import assignment_rules
from engine.export.salesforce.component_names import name_components
from engine.export.salesforce.fields import lead_fields
from engine.export.salesforce.flows import sla_flows
from engine.export.salesforce.package import PACKAGE_PATH, PROJECT_PATH, package_xml, sfdx_project
from engine.export.salesforce.part import Part
from engine.export.salesforce.queues import queues
from engine.export.salesforce.scoring_table import scoring_table
from engine.ir import Project

TARGET = "salesforce"


def export(project: Project, options: ExportOptions) -> Export:
    names = name_components(project)
    parts: list[Part] = [
        builder(project, names)
        for builder in (lead_fields, scoring_table, queues, assignment_rules, sla_flows)
    ]
    files: dict[str, str] = {}
    for part in parts:
        files.update(part.files)
    files[PACKAGE_PATH] = package_xml(files)
    files[PROJECT_PATH] = sfdx_project(project.name)
    return Export(
        TARGET,
        dict(sorted(files.items())),
        names.diagnostics + tuple(d for part in parts for d in part.diagnostics),
        tuple(c for part in parts for c in part.coverage),
    )
