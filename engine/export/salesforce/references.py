"""What a name in a condition reads on Salesforce: a Lead field, an Accord field, or (for a
glossary term) the condition it stands for. What cannot be read raises `Untranslatable`."""

from __future__ import annotations

from engine.export.salesforce.accord_fields import (
    GRADE_FIELD,
    SCORE_FIELD,
    STAGE_FIELD,
    Kind,
    SalesforceField,
    field_kind,
    group_field,
    lead_field,
)
from engine.export.salesforce.names import is_valid
from engine.expressions.nodes import Expr, Ref, RefKind
from engine.ir import Binding, Condition, Project


class Untranslatable(Exception):
    """A condition neither criteria nor a formula can express: an X101 or X102 finding."""

    def __init__(self, code: str, message: str, help: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.help = help


def salesforce_field(project: Project, ref: Ref) -> SalesforceField:
    """The Lead field a field, score, group, grade or stage reference reads."""
    match ref.kind:
        case RefKind.SCORE:
            return SalesforceField(SCORE_FIELD, Kind.NUMBER)
        case RefKind.GROUP:
            name = group_field(ref.name)
            if not is_valid(name.removesuffix("__c")):
                raise Untranslatable(
                    "X104",
                    f"the score group `{ref.name}` has no valid Salesforce field name",
                    "rename the score group",
                )
            return SalesforceField(name, Kind.NUMBER)
        case RefKind.GRADE:
            return SalesforceField(GRADE_FIELD, Kind.PICKLIST)
        case RefKind.STAGE:
            return SalesforceField(STAGE_FIELD, Kind.PICKLIST)
    field = lead_field(project, ref.name)
    if field is None or ref.kind is not RefKind.FIELD:
        raise TypeError(f"`{ref.name}` is not a lead field")
    if not field.salesforce:
        raise Untranslatable(
            "X102",
            f"the lead field `{field.id}` has no Salesforce name",
            f"add `salesforce: <API name>` to `{field.id}` in the lead model",
        )
    return SalesforceField(field.salesforce, field_kind(field))


def term_expression(project: Project, name: str) -> Expr:
    """The condition a glossary term stands for; a term bound to a stage or disqualifier
    stands for that definition's condition (docs/evaluation.md), not for the stage the
    lead ended in: `mql` still holds for a lead that went on to `sal`."""
    term = next(t for t in project.terms if t.id == name)
    if isinstance(term.means, Condition):
        return term.means.expr
    if isinstance(term.means, Binding) and project.qualification is not None:
        q = project.qualification
        for stage in q.stages:
            if stage.id == term.means.target:
                return stage.when.expr
        for disqualifier in q.disqualifiers:
            if disqualifier.id == term.means.target:
                return disqualifier.when.expr
    raise TypeError(f"the term `{name}` has no condition")
