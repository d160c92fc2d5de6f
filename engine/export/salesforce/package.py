"""The deploy manifest (manifest/package.xml) and the SFDX project file, from the files written.

Each source file's folder and suffix say its metadata type and member, as the SFDX
metadata registry defines them (https://github.com/forcedotcom/source-deploy-retrieve).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.part import API_VERSION, SOURCE_ROOT

PACKAGE_PATH = "manifest/package.xml"
PROJECT_PATH = "sfdx-project.json"

# folder under force-app/main/default → (metadata type, file suffix)
_TYPES = {
    "assignmentRules": ("AssignmentRules", ".assignmentRules-meta.xml"),
    "customMetadata": ("CustomMetadata", ".md-meta.xml"),
    "flows": ("Flow", ".flow-meta.xml"),
    "notificationtypes": ("CustomNotificationType", ".notiftype-meta.xml"),
    "queues": ("Queue", ".queue-meta.xml"),
}


def member(path: str) -> tuple[str, str]:
    """`force-app/main/default/objects/Lead/fields/X__c.field-meta.xml` → (CustomField, Lead.X__c)."""
    parts = path.removeprefix(SOURCE_ROOT + "/").split("/")
    if parts[0] == "objects" and len(parts) == 4 and parts[2] == "fields":
        return "CustomField", f"{parts[1]}.{parts[3].removesuffix('.field-meta.xml')}"
    if parts[0] == "objects" and len(parts) == 3:
        return "CustomObject", parts[2].removesuffix(".object-meta.xml")
    type_name, suffix = _TYPES[parts[0]]
    return type_name, parts[1].removesuffix(suffix)


def package_xml(paths: Iterable[str]) -> str:
    members: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        type_name, name = member(path)
        members[type_name].add(name)
    document = xml.root("Package")
    for type_name in sorted(members):
        types = xml.node(document, "types")
        for name in sorted(members[type_name]):
            xml.leaf(types, "members", name)
        xml.leaf(types, "name", type_name)
    xml.leaf(document, "version", API_VERSION)
    return xml.serialize(document)


def sfdx_project(name: str) -> str:
    project = {
        "name": name,
        "namespace": "",
        "packageDirectories": [{"default": True, "path": "force-app"}],
        "sourceApiVersion": API_VERSION,
    }
    return json.dumps(project, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
