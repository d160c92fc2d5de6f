"""Metadata XML as Salesforce writes it in SFDX source: built with ElementTree, never by hand.

Elements are plain names and the namespace is the root's `xmlns` attribute, so no global
prefix registration is needed and the output is the same whatever else registered one.
Text is escaped by the serializer; indentation is four spaces, line ends LF, with a final
newline, like `sf project retrieve start` writes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"

Element = ET.Element


def root(tag: str, *, typed_values: bool = False) -> ET.Element:
    """A document's root; `typed_values` declares xsi/xsd for `xsi:type` on custom metadata."""
    element = ET.Element(tag, {"xmlns": METADATA_NS})
    if typed_values:
        element.set("xmlns:xsi", XSI_NS)
        element.set("xmlns:xsd", XSD_NS)
    return element


def text(value: str | bool | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def leaf(parent: ET.Element, tag: str, value: str | bool | int | float) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text(value)
    return element


def node(parent: ET.Element, tag: str) -> ET.Element:
    return ET.SubElement(parent, tag)


def serialize(document: ET.Element) -> str:
    ET.indent(document, space="    ")
    body = ET.tostring(document, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
