"""Text from the definitions reaches every export as data: escaped for XML, JSON, YAML and
Markdown, never markup, never a second element or key, and read back exactly as written."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from test_cli import ROOT

from engine.export import ExportOptions
from engine.export.targets import TARGETS, run_export
from engine.ir import Project
from engine.project import compile_project, read_files

HOSTILE = "</value><script>alert(1)</script> ]]> & \"q\" 'a' @everyone {{ x }} | =cmd"
WHY = "The people who will run the pipelines; they champion the evaluation."


@pytest.fixture(scope="module")
def hostile() -> Project:
    files = read_files(ROOT)
    scoring = files["rules/scoring.yaml"].decode()
    assert scoring.count(WHY) == 1
    files["rules/scoring.yaml"] = scoring.replace(WHY, json.dumps(HOSTILE)).encode()
    compiled = compile_project(files)
    assert compiled.ok, compiled.diagnostics
    assert compiled.project is not None
    return compiled.project


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_file_still_parses_as_its_format(hostile: Project, target: str) -> None:
    files = run_export(hostile, target, ExportOptions()).files
    for path, text in files.items():
        if path.endswith(".xml"):
            ET.fromstring(text.encode())
        elif path.endswith(".json"):
            json.loads(text)
        elif path.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
        elif path.endswith(".md"):
            assert "<script>" not in text, path
            assert "@everyone" not in text, path


def test_the_why_is_one_xml_value_read_back_exactly(hostile: Project) -> None:
    files = run_export(hostile, "salesforce", ExportOptions()).files
    path = "force-app/main/default/customMetadata/Accord_Scoring_Rule.Data_Practitioner_Title.md-meta.xml"
    root = ET.fromstring(files[path].encode())
    ns = {"m": "http://soap.sforce.com/2006/04/metadata"}
    values = {
        v.findtext("m:field", namespaces=ns): v.findtext("m:value", namespaces=ns)
        for v in root.findall("m:values", ns)
    }
    assert values["Why__c"] == HOSTILE
    assert root.find(".//script") is None
