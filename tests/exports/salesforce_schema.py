"""The Salesforce Metadata API's XML Schema, from the WSDL simple-salesforce ships, with the
global elements a source file's root needs, and the SFDX metadata registry for the layout.

The WSDL declares complexTypes (AssignmentRules, Flow, …) but no global elements for them,
and its schema relies on prefixes declared on the WSDL root; see
shared/specs/salesforce/SOURCES.md, "How to use the WSDL as an XSD".
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import xmlschema

XSD = "http://www.w3.org/2001/XMLSchema"
METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
REPO_ROOT = Path(__file__).resolve().parents[2]
# The root element of every file the exporter writes, by the type it must have.
ROOTS = (
    "AssignmentRules",
    "CustomField",
    "CustomMetadata",
    "CustomNotificationType",
    "CustomObject",
    "Flow",
    "Package",
    "Queue",
)


def wsdl_text() -> str:
    path = importlib.resources.files("simple_salesforce") / "metadata.wsdl"
    return path.read_text(encoding="utf-8")


def wsdl_api_version() -> str:
    found = re.search(r"Metadata API version (\d+\.\d+)", wsdl_text())
    assert found, "the WSDL names no API version"
    return found.group(1)


@functools.cache
def metadata_schema() -> xmlschema.XMLSchema10:
    """The WSDL's schema as a standalone XSD, with a global element per ROOTS type."""
    found = re.search(r"<xsd:schema\b[^>]*>.*?</xsd:schema>", wsdl_text(), re.DOTALL)
    assert found, "no xsd:schema in the WSDL's types"
    schema = found.group(0)
    # The `xsd:` and `tns:` prefixes are declared on the WSDL root, not on the schema.
    opening = f'<xsd:schema xmlns:xsd="{XSD}" xmlns:tns="{METADATA_NS}" '
    schema = schema.replace("<xsd:schema ", opening, 1)
    roots = "".join(f'<xsd:element name="{name}" type="tns:{name}"/>' for name in ROOTS)
    schema = schema.replace("</xsd:schema>", roots + "</xsd:schema>")
    return xmlschema.XMLSchema10(schema)


def specs_dir() -> Path:
    return Path(os.environ.get("ACCORD_SPECS", REPO_ROOT.parent / "shared" / "specs"))


def metadata_registry() -> dict[str, Any]:
    path = specs_dir() / "salesforce" / "metadataRegistry.json"
    if not path.is_file():
        pytest.skip(f"no Salesforce metadata registry at {path} (set ACCORD_SPECS)")
    registry: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return registry


def sfdx_project_schema() -> dict[str, Any]:
    path = specs_dir() / "salesforce" / "sfdx-project.schema.json"
    if not path.is_file():
        pytest.skip(f"no sfdx-project schema at {path} (set ACCORD_SPECS)")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema
