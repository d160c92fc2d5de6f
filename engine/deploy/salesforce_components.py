"""Salesforce metadata as plan components: canonical XML, and the Metadata API's file layout.

A component is one member of one metadata type (`CustomField` `Lead.Accord_Score__c`),
its body the member's XML in canonical form, so that the same meaning gives the same text
whether it comes from the export (SFDX source format) or from a retrieve (Metadata API
format, where a custom object's fields sit inside `objects/<Object>.object`):

- namespaces are the metadata namespace as the root's `xmlns` (plus `xsi`/`xsd` when a
  value is typed), indentation four spaces, as the exporter and `sf` write;
- element order is kept where Salesforce gives it meaning: rule entries (the first that
  matches assigns the lead), criteria items (filter logic counts them), picklist values
  (their display order), a flow decision's rules and conditions;
- lists that are sets to Salesforce are sorted by their key: a custom metadata record's
  values (by field), an assignment rule set's rules (by name), a queue's objects, a flow's
  elements of one kind (by name);
- a custom object keeps only its own settings: fields (and list views, record types, …)
  are components of their own, or not Accord's.

The body is also what is deployed: it is valid metadata XML in the order the schema wants.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.deploy import DeployError
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.package import PACKAGE_PATH, member
from engine.export.salesforce.part import SOURCE_ROOT

NS = xml.METADATA_NS
XSI = xml.XSI_NS
_Q = "{" + NS + "}"

# metadata type → (folder, suffix) of its file in a Metadata API zip
MDAPI_FILES = {
    "AssignmentRules": ("assignmentRules", ".assignmentRules"),
    "CustomMetadata": ("customMetadata", ".md"),
    "CustomNotificationType": ("notificationtypes", ".notiftype"),
    "CustomObject": ("objects", ".object"),
    "Flow": ("flows", ".flow"),
    "Queue": ("queues", ".queue"),
}
_TYPE_OF_FOLDER = {folder: (kind, suffix) for kind, (folder, suffix) in MDAPI_FILES.items()}

# Children of a custom object that are metadata types of their own (SFDX decomposes them).
OBJECT_CHILDREN = frozenset(
    {
        "businessProcesses",
        "compactLayouts",
        "fieldSets",
        "fields",
        "indexes",
        "listViews",
        "recordTypes",
        "sharingReasons",
        "validationRules",
        "webLinks",
    }
)

# root type → {repeated top-level child: the grandchild that keys it}; "*" is every child
# that has that key. Lists not named here keep their order.
_UNORDERED: Mapping[str, Mapping[str, str]] = {
    "AssignmentRules": {"assignmentRule": "fullName"},
    "CustomMetadata": {"values": "field"},
    "Flow": {"*": "name"},
    "Queue": {"queueSobject": "sobjectType", "queueMembers": ""},
}


class MetadataFormatError(DeployError):
    """A metadata file that is not the XML it should be."""


@dataclass(frozen=True)
class Members:
    """What a package names: metadata type → member names (`*` for all), and its API version."""

    types: Mapping[str, frozenset[str]]
    version: str

    def names(self, kind: str) -> frozenset[str]:
        return self.types.get(kind, frozenset())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_package(text: str) -> Members:
    """A package.xml (or destructiveChanges.xml) as its members and version."""
    root = _parse(text, "package.xml")
    types: dict[str, set[str]] = defaultdict(set)
    for entry in root.findall(f"{_Q}types"):
        name = (entry.findtext(f"{_Q}name") or "").strip()
        for item in entry.findall(f"{_Q}members"):
            types[name].add((item.text or "").strip())
    version = (root.findtext(f"{_Q}version") or "").strip()
    return Members({k: frozenset(v) for k, v in sorted(types.items())}, version)


def package_text(types: Mapping[str, Iterable[str]], version: str | None) -> str:
    """A package.xml naming `types` (types and members sorted)."""
    document = xml.root("Package")
    for kind in sorted(types):
        names = sorted(set(types[kind]))
        if not names:
            continue
        entry = xml.node(document, "types")
        for name in names:
            xml.leaf(entry, "members", name)
        xml.leaf(entry, "name", kind)
    if version:
        xml.leaf(document, "version", version)
    return xml.serialize(document)


def _parse(text: str | bytes, where: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError as error:
        raise MetadataFormatError(f"{where} is not well-formed XML ({error})") from None


def _copy(element: ET.Element, tag: str) -> ET.Element:
    """`element` without namespaces or layout whitespace, under the name `tag`."""
    attributes = {}
    for key, value in element.attrib.items():
        if key.startswith("{" + XSI + "}"):
            attributes["xsi:" + _local(key)] = value
        elif not key.startswith("{"):
            attributes[key] = value
    result = ET.Element(tag, attributes)
    children = list(element)
    if children:
        for child in children:
            if isinstance(child.tag, str):  # comments and processing instructions go
                result.append(_copy(child, _local(child.tag)))
    else:
        result.text = element.text or ""
    return result


def _key(element: ET.Element, key: str) -> tuple[str, str]:
    found = element.find(key) if key else None
    text = found.text or "" if found is not None else ""
    return text, ET.tostring(element, encoding="unicode")


def _sort_sets(root: ET.Element, kind: str) -> None:
    rules = _UNORDERED.get(kind, {})
    if not rules:
        return
    children = list(root)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, child in enumerate(children):
        if child.tag in rules or ("*" in rules and child.find(rules["*"]) is not None):
            groups[child.tag].append(index)
    for tag, positions in groups.items():
        key = rules.get(tag, rules.get("*", ""))
        ordered = sorted((children[i] for i in positions), key=lambda e: _key(e, key))
        for position, element in zip(positions, ordered, strict=True):
            children[position] = element
    root[:] = children


def canonical_element(element: ET.Element, kind: str) -> str:
    """The canonical text of a member's XML, `element` being its root (of any name)."""
    root = _copy(element, kind)
    if kind == "CustomObject":
        root[:] = [child for child in root if child.tag not in OBJECT_CHILDREN]
    _sort_sets(root, kind)
    root.set("xmlns", NS)
    if any(key.startswith("xsi:") for node in root.iter() for key in node.attrib):
        root.set("xmlns:xsi", XSI)
        root.set("xmlns:xsd", xml.XSD_NS)
    return xml.serialize(root)


def canonical(text: str | bytes, kind: str, where: str) -> str:
    """The canonical text of a member's metadata file."""
    return canonical_element(_parse(text, where), kind)


@dataclass(frozen=True)
class Member:
    kind: str
    name: str
    body: str


def from_source(files: Mapping[str, str]) -> tuple[list[Member], Members]:
    """The members of an SFDX export (one per metadata file) and its package.xml."""
    if PACKAGE_PATH not in files:
        raise MetadataFormatError(f"the Salesforce export has no {PACKAGE_PATH}")
    package = parse_package(files[PACKAGE_PATH])
    found = []
    for path, text in sorted(files.items()):
        if not path.startswith(SOURCE_ROOT + "/"):
            continue
        kind, name = member(path)
        found.append(Member(kind, name, canonical(text, kind, path)))
    return found, package


def _file_member(path: str) -> tuple[str, str] | None:
    folder, _, file_name = path.partition("/")
    if folder not in _TYPE_OF_FOLDER or "/" in file_name:
        return None
    kind, suffix = _TYPE_OF_FOLDER[folder]
    if not file_name.endswith(suffix):
        return None
    return kind, file_name.removesuffix(suffix)


def from_mdapi_files(files: Mapping[str, bytes]) -> list[Member]:
    """Every member in Metadata API format files (a retrieve's zip, `unpackaged/` or not):
    a custom object's file gives the object and each of its fields."""
    found = []
    for raw_path, data in sorted(files.items()):
        path = raw_path.removeprefix("unpackaged/")
        identity = _file_member(path)
        if identity is None:
            continue
        kind, name = identity
        root = _parse(data, path)
        if kind == "CustomObject":
            for field in root.findall(f"{_Q}fields"):
                field_name = (field.findtext(f"{_Q}fullName") or "").strip()
                body = canonical_element(field, "CustomField")
                found.append(Member("CustomField", f"{name}.{field_name}", body))
            if any(_local(child.tag) not in OBJECT_CHILDREN | {"fullName"} for child in root):
                found.append(Member(kind, name, canonical_element(root, kind)))
        else:
            found.append(Member(kind, name, canonical_element(root, kind)))
    return found


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()
        }


def _inner(body: str, kind: str) -> list[ET.Element]:
    return list(_parse(body, f"{kind} body"))


def mdapi_files(members: Iterable[Member]) -> dict[str, str]:
    """Metadata API format files for `members` (custom fields inside their object's file)."""
    objects: dict[str, list[ET.Element]] = defaultdict(list)
    files: dict[str, str] = {}
    for item in members:
        if item.kind == "CustomField":
            object_name, _, _ = item.name.partition(".")
            field = ET.Element("fields")
            field[:] = [_copy(c, _local(c.tag)) for c in _inner(item.body, item.kind)]
            objects[object_name].append(field)
        elif item.kind == "CustomObject":
            objects[item.name][:0] = _inner(item.body, item.kind)
        elif item.kind in MDAPI_FILES:
            folder, suffix = MDAPI_FILES[item.kind]
            files[f"{folder}/{item.name}{suffix}"] = item.body
        else:
            raise MetadataFormatError(f"Accord does not deploy metadata of type {item.kind}")
    for object_name, children in objects.items():
        # The schema's sequence is alphabetical: settings and fields in one sorted list.
        document = ET.Element("CustomObject", {"xmlns": NS})
        document[:] = sorted((_copy(c, _local(c.tag)) for c in children), key=lambda c: c.tag)
        files[f"objects/{object_name}.object"] = xml.serialize(document)
    return dict(sorted(files.items()))


def zip_bytes(files: Mapping[str, str]) -> bytes:
    """A deploy zip of `files` (fixed timestamps, so the same files give the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in sorted(files.items()):
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def rule_names(body: str) -> list[str]:
    """The names of the assignment rules in an AssignmentRules body."""
    root = _parse(body, "AssignmentRules body")
    return [
        (r.findtext(f"{_Q}fullName") or "").strip() for r in root.findall(f"{_Q}assignmentRule")
    ]


def assignment_rules_named(body: str, names: Iterable[str]) -> str | None:
    """An AssignmentRules body with only the rules called `names` (None when it has none)."""
    wanted = set(names)
    root = _parse(body, "AssignmentRules body")
    kept = [
        r
        for r in root.findall(f"{_Q}assignmentRule")
        if (r.findtext(f"{_Q}fullName") or "").strip() in wanted
    ]
    if not kept:
        return None
    for rule in root.findall(f"{_Q}assignmentRule"):
        if rule not in kept:
            root.remove(rule)
    return canonical_element(root, "AssignmentRules")
