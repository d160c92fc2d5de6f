"""The Salesforce export of the example organisation: valid against the Metadata API's schema,
laid out as the SFDX registry says, deployable as listed in package.xml, and stable."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import xmlschema
from golden_files import check_goldens
from salesforce_schema import (
    metadata_registry,
    metadata_schema,
    sfdx_project_schema,
    wsdl_api_version,
)
from test_salesforce_translation import with_sla

from engine.export import ExportOptions
from engine.export.report import REPORT_FILE
from engine.export.targets import run_export
from engine.ir import Project

NS = "{http://soap.sforce.com/2006/04/metadata}"
RULES = "force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"
SLA = """  - id: quick_touch
    owner: sales
    applies_to: mql and grade in ["A", "B"]
    start: mql_at
    stop: first_touch_at
    within: 90 minutes
    calendar: amer
    on_breach:
      escalate_to: unassigned-leads
      recycle_after: 3 days
"""


def _files(project: Project) -> dict[str, str]:
    return dict(run_export(project, "salesforce", ExportOptions()).files)


def _xml_files(files: dict[str, str]) -> dict[str, str]:
    return {path: text for path, text in files.items() if path.endswith(".xml")}


def test_goldens(northwind: Project, update_goldens: bool) -> None:
    check_goldens("salesforce", _files(northwind), update_goldens)


def test_two_runs_give_the_same_bytes(northwind: Project) -> None:
    first, second = _files(northwind), _files(northwind)
    assert first == second
    for path, text in first.items():
        assert text.endswith("\n"), path
        assert "\r" not in text, path


def test_every_xml_file_is_valid_metadata(northwind: Project) -> None:
    files = _xml_files(_files(northwind))
    assert len(files) > 60
    schema = metadata_schema()
    for path, text in files.items():
        errors = [e.reason for e in schema.iter_errors(text)]
        assert errors == [], path


def test_an_sla_flow_is_valid_metadata() -> None:
    files = _xml_files(_files(with_sla(SLA)))
    flows = [p for p in files if p.endswith(".flow-meta.xml")]
    assert flows == ["force-app/main/default/flows/Accord_SLA_Quick_Touch.flow-meta.xml"]
    for path, text in files.items():
        assert [e.reason for e in metadata_schema().iter_errors(text)] == [], path


def test_the_sla_flow_waits_from_the_start_field_and_tells_the_escalation_queue() -> None:
    text = _files(with_sla(SLA))[
        "force-app/main/default/flows/Accord_SLA_Quick_Touch.flow-meta.xml"
    ]
    flow = ET.fromstring(text)
    start = flow.find(f"{NS}start")
    assert start is not None
    path = start.find(f"{NS}scheduledPaths")
    assert path is not None
    assert [(c.tag.removeprefix(NS), c.text) for c in path if c.text and c.text.strip()] == [
        ("name", "At_Due_Time"),
        ("label", "At the due time"),
        ("offsetNumber", "90"),
        ("offsetUnit", "Minutes"),
        ("recordField", "MQL_At__c"),
        ("timeSource", "RecordField"),
    ]
    entry = start.findtext(f"{NS}filterFormula")
    assert entry is not None
    assert entry.endswith(
        'OR(ISPICKVAL({!$Record.Accord_Grade__c}, "A"), ISPICKVAL({!$Record.Accord_Grade__c}, "B"))),'
        " NOT(ISBLANK({!$Record.MQL_At__c})), ISBLANK({!$Record.First_Touch_At__c}))"
    )
    queue = [
        f.findtext(f"{NS}value/{NS}stringValue")
        for f in flow.iterfind(f"{NS}recordLookups/{NS}filters")
    ]
    assert queue == ["Accord_SLA_Breach", "Unassigned_Leads", "Queue"]
    assert flow.findtext(f"{NS}decisions/{NS}rules/{NS}conditions/{NS}leftValueReference") == (
        "$Record.First_Touch_At__c"
    )


def test_the_sla_flow_reports_what_it_does_not_carry() -> None:
    export = run_export(with_sla(SLA), "salesforce", ExportOptions())
    (found,) = [d for d in export.diagnostics if d.span.file == "slas/handoff.yaml"]
    assert (found.code, found.span.line) == ("X103", 5)
    assert "recycles breached leads after 3 days" in found.message
    (coverage,) = [c for c in export.coverage if c.definition == "sla:quick_touch"]
    assert not coverage.carried


def test_a_wrong_operator_fails_validation(northwind: Project) -> None:
    text = _files(northwind)[RULES].replace(
        "<operation>equals</operation>", "<operation>like</operation>", 1
    )
    errors = list(metadata_schema().iter_errors(text))
    assert errors, "an unknown operation must not validate"
    assert isinstance(errors[0], xmlschema.XMLSchemaValidationError)
    assert str(errors[0].reason).startswith("value must be one of ['equals', 'notEqual',")
    assert errors[0].obj == "like"
    assert errors[0].path is not None
    assert errors[0].path == "/AssignmentRules/assignmentRule/ruleEntry[1]/criteriaItems/operation"


def test_an_element_out_of_order_fails_validation(northwind: Project) -> None:
    text = _files(northwind)[RULES]
    # assignedToType must follow assignedTo in a ruleEntry's sequence.
    moved = re.sub(
        r"(<assignedTo>[^<]*</assignedTo>)(\s*)(<assignedToType>[^<]*</assignedToType>)",
        r"\3\2\1",
        text,
        count=1,
    )
    assert moved != text
    errors = list(metadata_schema().iter_errors(moved))
    assert errors, "a misplaced element must not validate"
    assert "assignedTo" in str(errors[0].reason)
    assert "Unexpected child" in str(errors[0].reason)


def test_the_layout_follows_the_metadata_registry(northwind: Project) -> None:
    registry = metadata_registry()
    files = _files(northwind) | _files(with_sla(SLA))
    types = registry["types"]
    listed: dict[str, set[str]] = {}
    for path in files:
        if not path.startswith("force-app/main/default/"):
            continue
        parts = path.removeprefix("force-app/main/default/").split("/")
        if parts[0] == "objects" and parts[2] == "fields":
            info = types["customobject"]["children"]["types"]["customfield"]
            assert parts[2] == info["directoryName"]
            member = f"{parts[1]}.{parts[3].removesuffix('.field-meta.xml')}"
            suffix = parts[3]
        else:
            info = next(t for t in types.values() if t["directoryName"] == parts[0])
            suffix = parts[-1]
            member = (
                suffix.split(".")[0]
                if info["name"] != "CustomMetadata"
                else suffix.removesuffix(".md-meta.xml")
            )
            if info["name"] == "CustomObject":
                assert parts[1] == member  # a folder per object
        assert suffix.endswith(f".{info['suffix']}-meta.xml"), path
        listed.setdefault(info["name"], set()).add(member)
    for export_files in (_files(northwind),):
        manifest = ET.fromstring(export_files["manifest/package.xml"])
        named = {
            t.findtext(f"{NS}name"): {m.text for m in t.iterfind(f"{NS}members")}
            for t in manifest.iterfind(f"{NS}types")
        }
        expected = {
            name: members
            for name, members in listed.items()
            if name != "Flow" and name != "CustomNotificationType"
        }
        assert named == expected
        assert manifest.findtext(f"{NS}version") == wsdl_api_version()


def test_package_xml_lists_types_and_members_sorted(northwind: Project) -> None:
    manifest = ET.fromstring(_files(northwind)["manifest/package.xml"])
    names = [t.findtext(f"{NS}name") or "" for t in manifest.iterfind(f"{NS}types")]
    assert names == sorted(names)
    for element in manifest.iterfind(f"{NS}types"):
        members = [m.text or "" for m in element.iterfind(f"{NS}members")]
        assert members == sorted(members)


def test_sfdx_project_matches_its_schema(northwind: Project) -> None:
    project = json.loads(_files(northwind)["sfdx-project.json"])
    jsonschema.validate(project, sfdx_project_schema())
    assert project["sourceApiVersion"] == wsdl_api_version()


def test_rule_entries_follow_the_routes_in_file_order(northwind: Project) -> None:
    rule = ET.fromstring(_files(northwind)[RULES]).find(f"{NS}assignmentRule")
    assert rule is not None
    assert rule.findtext(f"{NS}active") == "true"
    assignees = [e.findtext(f"{NS}assignedTo") for e in rule.iterfind(f"{NS}ruleEntry")]
    assert assignees == [
        "Marketing_Nurture",
        None,  # named_accounts: the account owner, kept by "Do Not Reassign Owner"
        "Customer_Expansion",
        "Partner_Leads",
        None,  # amer_public_sector: marcus.reed is no Salesforce username
        "Regulated_Industries",
        "Amer_Enterprise",
        "Amer_Mid_Market",
        "Emea_Enterprise",
        "Emea_Mid_Market",
        "Apac",
        "Apac",
        "Inside_Sales",
        "Marketing_Nurture",
        "Unassigned_Leads",
    ]


def test_what_is_not_carried_is_reported_at_its_definition(northwind: Project) -> None:
    export = run_export(northwind, "salesforce", ExportOptions())
    found = {(d.code, d.span.file, d.span.line) for d in export.diagnostics}
    assert ("X103", "rules/routing.yaml", 119) in found  # owner_field: account_owner
    assert ("X103", "rules/routing.yaml", 131) in found  # user: marcus.reed
    assert ("X103", "rules/routing.yaml", 38) in found  # team amer-enterprise's round robin
    assert ("X103", "slas/handoff.yaml", 21) in found  # 4 business hours
    not_carried = {c.definition for c in export.coverage if not c.carried}
    assert "route:named_accounts" in not_carried
    assert "sla:mql_first_touch" in not_carried
    assert "route:amer_enterprise" not in not_carried
    assert REPORT_FILE in export.files


def test_strict_makes_the_gaps_errors(northwind: Project) -> None:
    export = run_export(northwind, "salesforce", ExportOptions(), strict=True)
    assert export.diagnostics
    assert all(d.severity == "error" for d in export.diagnostics)


@pytest.mark.parametrize("api_version", [wsdl_api_version()])
def test_flows_and_the_manifest_use_the_wsdl_api_version(api_version: str) -> None:
    files = _files(with_sla(SLA))
    flow = ET.fromstring(files["force-app/main/default/flows/Accord_SLA_Quick_Touch.flow-meta.xml"])
    assert flow.findtext(f"{NS}apiVersion") == api_version
    manifest = ET.fromstring(files["manifest/package.xml"])
    assert manifest.findtext(f"{NS}version") == api_version
