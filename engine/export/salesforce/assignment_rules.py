"""Routes as the Lead assignment rule: one active rule, one entry per route in file order.

Salesforce tries the entries in order and the first match assigns the lead, as Accord's
routes do. https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_assignmentrule.htm
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.diagnostics import Diagnostic, diagnostic
from engine.export import Coverage
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.component_names import ComponentNames
from engine.export.salesforce.conditions import Formula, translate, untranslated
from engine.export.salesforce.criteria import Criteria
from engine.export.salesforce.part import SOURCE_ROOT, Part
from engine.export.salesforce.references import Untranslatable
from engine.expressions.nodes import And, Call, ExprType, Not, Ref, RefKind
from engine.ir import AssignmentKind, Project, Route

PATH = f"{SOURCE_ROOT}/assignmentRules/Lead.assignmentRules-meta.xml"
RULE_NAME = "Accord Routing"
_KEEP_OWNER = "Do Not Reassign Owner"


@dataclass(frozen=True)
class Assignee:
    name: str | None  # a queue's developer name or a username; None keeps the owner
    type: str | None  # "Queue" or "User"
    problem: Diagnostic | None  # why the route's assignment is not carried


def _assignee(route: Route, names: ComponentNames) -> Assignee:
    kind, target = route.assign.kind, route.assign.target
    if kind in (AssignmentKind.QUEUE, AssignmentKind.TEAM):
        queue = names.queues.get(f"{kind}:{target}")
        # A name Salesforce refused already has its X104 at the queue or team.
        return Assignee(queue, "Queue" if queue else None, None)
    if kind is AssignmentKind.USER and "@" in target:
        return Assignee(target, "User", None)  # a Salesforce username
    if kind is AssignmentKind.USER:
        message = (
            f"route `{route.id}` assigns to the user `{target}`, an Accord member id that"
            " is not a Salesforce username"
        )
        help = "write the user's Salesforce username (name@company.com) in the route"
    else:
        message = (
            f"route `{route.id}` assigns to the user named by the lead field `{target}`;"
            " an assignment rule entry assigns to one fixed user or queue"
        )
        help = "set OwnerId from that field with a flow, or keep this route computed by Accord"
    return Assignee(
        None,
        None,
        diagnostic(
            "X103",
            message,
            route.assign.span,
            help=f"the entry is kept with '{_KEEP_OWNER}', so later entries do not take"
            f" these leads; {help}",
        ),
    )


def _condition(route: Route, project: Project) -> Criteria | Formula | None:
    expr = route.condition
    if route.assign.kind is AssignmentKind.OWNER_FIELD:
        # Such a route holds only when the lead has a value in the field (docs/evaluation.md).
        field = Ref(name=route.assign.target, kind=RefKind.FIELD, span=route.assign.span)
        present = Not(
            operand=Call(function="is_null", args=(field,), span=route.assign.span),
            span=route.assign.span,
            type=ExprType.BOOLEAN,
        )
        expr = And(operands=(expr, present), span=route.span, type=ExprType.BOOLEAN)
    elif route.always:
        return None
    return translate(expr, project)


def _entry(rule: xml.Element, assignee: Assignee, condition: Criteria | Formula | None) -> str:
    entry = xml.node(rule, "ruleEntry")
    if assignee.name and assignee.type:
        xml.leaf(entry, "assignedTo", assignee.name)
        xml.leaf(entry, "assignedToType", assignee.type)
    if isinstance(condition, Criteria):
        if condition.boolean_filter:
            xml.leaf(entry, "booleanFilter", condition.boolean_filter)
        for item in condition.items:
            element = xml.node(entry, "criteriaItems")
            xml.leaf(element, "field", item.field)
            xml.leaf(element, "operation", item.operation)
            if item.value is not None:
                xml.leaf(element, "value", item.value)
    elif isinstance(condition, Formula):
        xml.leaf(entry, "formula", condition.text)
    if condition is None:
        return "every lead"
    if isinstance(condition, Formula):
        return "a formula"
    return "criteria items" + (" with filter logic" if condition.boolean_filter else "")


def assignment_rules(project: Project, names: ComponentNames) -> Part:
    routing = project.routing
    if routing is None:
        return Part()
    document = xml.root("AssignmentRules")
    rule = xml.node(document, "assignmentRule")
    xml.leaf(rule, "fullName", RULE_NAME)
    xml.leaf(rule, "active", True)
    diagnostics: list[Diagnostic] = []
    coverage: list[Coverage] = []
    for route in routing.routes:
        definition = f"route:{route.id}"
        try:
            condition = _condition(route, project)
        except Untranslatable as problem:
            consequence = "until then, later entries take the leads this route would have taken"
            diagnostics.append(
                untranslated(f"route `{route.id}`", problem, route.span, consequence)
            )
            coverage.append(
                Coverage(definition, False, f"not exported ({problem.code})", route.span)
            )
            continue
        assignee = _assignee(route, names)
        how = _entry(rule, assignee, condition)
        if assignee.problem:
            diagnostics.append(assignee.problem)
            how = f"{how}, {_KEEP_OWNER} ({assignee.problem.code})"
        elif assignee.name is None:
            how = f"{how}, {_KEEP_OWNER} (the queue has no valid name, X104)"
        else:
            how = f"{how} → {assignee.type.lower() if assignee.type else ''} {assignee.name}"
        carried = assignee.name is not None
        coverage.append(Coverage(definition, carried, f"rule entry: {how}", route.span))
    return Part({PATH: xml.serialize(document)}, tuple(diagnostics), tuple(coverage))
