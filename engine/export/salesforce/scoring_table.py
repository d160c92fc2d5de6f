"""The scoring table as custom metadata: a type for rules and one for score groups, their
fields, and one record per rule and per group, so admins can read and report on what each
rule is worth without leaving Salesforce. The score itself is computed by Accord.
https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_custommetadata.htm
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.export import Coverage
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.component_names import TOTAL_RECORD, ComponentNames
from engine.export.salesforce.fields import field_path
from engine.export.salesforce.part import SOURCE_ROOT, Part
from engine.ir import Cap, Project, ScoreGroup
from engine.span import Span

RULE_TYPE = "Accord_Scoring_Rule"
GROUP_TYPE = "Accord_Score_Group"
LONG_TEXT = 32768

FieldValue = str | int | float | None


@dataclass(frozen=True)
class MetadataField:
    name: str  # without __c
    label: str
    type: str  # Text, LongTextArea or Number
    description: str
    scale: int = 0


RULE_FIELDS = (
    MetadataField("Rule_Id", "Rule id", "Text", "The rule's Accord id."),
    MetadataField("Group", "Group", "Text", "The score group the rule adds to."),
    MetadataField("Points", "Points", "Number", "Points the rule adds when it fires."),
    MetadataField("Condition", "Condition", "LongTextArea", "The rule's condition, as written."),
    MetadataField("Where", "Where", "Text", "The file and line the rule is defined at."),
    MetadataField("Why", "Why", "LongTextArea", "Why the rule is worth its points."),
)
GROUP_FIELDS = (
    MetadataField("Group_Id", "Group id", "Text", "The group's Accord id; blank for the total."),
    MetadataField("Description", "Description", "LongTextArea", "What the group measures."),
    MetadataField("Cap_Min", "Cap minimum", "Number", "The lowest score the group can have."),
    MetadataField("Cap_Max", "Cap maximum", "Number", "The highest score the group can have."),
    MetadataField("Decay_Method", "Decay method", "Text", "half_life, linear or window."),
    MetadataField("Decay_Days", "Decay days", "Number", "The decay's days.", scale=2),
    MetadataField("Decay_From", "Decay from", "Text", "The lead field the decay counts from."),
    MetadataField("Where", "Where", "Text", "The file and line the group is defined at."),
)


def _object_file(label: str, description: str) -> str:
    document = xml.root("CustomObject")
    xml.leaf(document, "description", description)
    xml.leaf(document, "label", label)
    xml.leaf(document, "pluralLabel", label + "s")
    xml.leaf(document, "visibility", "Public")
    return xml.serialize(document)


def _field_file(field: MetadataField) -> str:
    document = xml.root("CustomField")
    xml.leaf(document, "fullName", f"{field.name}__c")
    xml.leaf(document, "description", field.description)
    xml.leaf(document, "externalId", False)
    xml.leaf(document, "fieldManageability", "DeveloperControlled")
    xml.leaf(document, "label", field.label)
    if field.type == "Text":
        xml.leaf(document, "length", 255)
    elif field.type == "LongTextArea":
        xml.leaf(document, "length", LONG_TEXT)
    else:
        xml.leaf(document, "precision", 18)
    xml.leaf(document, "required", False)
    if field.type == "Number":
        xml.leaf(document, "scale", field.scale)
    xml.leaf(document, "type", field.type)
    if field.type == "Text":
        xml.leaf(document, "unique", False)
    if field.type == "LongTextArea":
        xml.leaf(document, "visibleLines", 3)
    return xml.serialize(document)


def _record_file(label: str, values: list[tuple[str, FieldValue]]) -> str:
    document = xml.root("CustomMetadata", typed_values=True)
    xml.leaf(document, "label", label)
    xml.leaf(document, "protected", False)
    for field, value in values:
        element = xml.node(document, "values")
        xml.leaf(element, "field", f"{field}__c")
        if value is None:
            xml.node(element, "value").set("xsi:nil", "true")
        elif isinstance(value, str):
            xml.leaf(element, "value", value).set("xsi:type", "xsd:string")
        else:
            xml.leaf(element, "value", value).set("xsi:type", "xsd:double")
    return xml.serialize(document)


def _type_files(
    name: str, label: str, description: str, fields: tuple[MetadataField, ...]
) -> dict[str, str]:
    object_name = f"{name}__mdt"
    files = {
        f"{SOURCE_ROOT}/objects/{object_name}/{object_name}.object-meta.xml": _object_file(
            label, description
        )
    }
    for field in fields:
        files[field_path(object_name, f"{field.name}__c")] = _field_file(field)
    return files


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _cap(cap: Cap | None) -> list[tuple[str, FieldValue]]:
    return [("Cap_Min", cap.min if cap else None), ("Cap_Max", cap.max if cap else None)]


def _group_values(group: ScoreGroup) -> list[tuple[str, FieldValue]]:
    decay = group.decay
    return [
        ("Group_Id", group.id),
        ("Description", group.description),
        *_cap(group.cap),
        ("Decay_Method", str(decay.method) if decay else None),
        ("Decay_Days", decay.days if decay else None),
        ("Decay_From", decay.from_field.id if decay else None),
        ("Where", _where(group.span)),
    ]


def scoring_table(project: Project, names: ComponentNames) -> Part:
    model = project.score_model
    if model is None:
        return Part()
    files = _type_files(
        RULE_TYPE, "Accord Scoring Rule", "One Accord scoring rule per record.", RULE_FIELDS
    )
    files |= _type_files(
        GROUP_TYPE,
        "Accord Score Group",
        "One Accord score group per record (caps and decay), and the total's cap.",
        GROUP_FIELDS,
    )
    coverage: list[Coverage] = []
    records = f"{SOURCE_ROOT}/customMetadata"
    total = [("Group_Id", None), ("Description", "The total score."), *_cap(model.cap)]
    total += [("Decay_Method", None), ("Decay_Days", None), ("Decay_From", None)]
    total.append(("Where", _where(model.span)))
    files[f"{records}/{GROUP_TYPE}.{TOTAL_RECORD}.md-meta.xml"] = _record_file(TOTAL_RECORD, total)
    for group in model.groups:
        name = names.group_records.get(group.id)
        field = names.group_fields.get(group.id)
        if name is None or field is None:
            coverage.append(
                Coverage(f"group:{group.id}", False, "no valid name (X104)", group.span)
            )
        else:
            path = f"{records}/{GROUP_TYPE}.{name}.md-meta.xml"
            files[path] = _record_file(name, _group_values(group))
            how = f"the field {field} and the record {GROUP_TYPE}.{name}"
            coverage.append(Coverage(f"group:{group.id}", True, how, group.span))
        for rule in group.rules:
            record = names.rule_records.get(rule.id)
            if record is None:
                coverage.append(
                    Coverage(f"rule:{rule.id}", False, "no valid name (X104)", rule.span)
                )
                continue
            values: list[tuple[str, FieldValue]] = [
                ("Rule_Id", rule.id),
                ("Group", group.id),
                ("Points", rule.points),
                ("Condition", rule.when.text),
                ("Where", _where(rule.span)),
                ("Why", rule.why),
            ]
            files[f"{records}/{RULE_TYPE}.{record}.md-meta.xml"] = _record_file(record, values)
            how = f"the record {RULE_TYPE}.{record}; its points reach Lead scores through Accord"
            coverage.append(Coverage(f"rule:{rule.id}", True, how, rule.span))
    return Part(files, (), tuple(coverage))
