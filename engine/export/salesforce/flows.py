"""SLA timers as record-triggered flows on Lead, one per SLA, with a scheduled path at the
SLA's due time that tells the escalation queue (or the owner) when the stop field is still
blank. A scheduled path waits calendar time only, so business-time SLAs are reported.
https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm
https://help.salesforce.com/s/articleView?id=platform.flow_concepts_trigger_scheduled_paths.htm
"""

from __future__ import annotations

from engine.diagnostics import Diagnostic, diagnostic
from engine.export import Coverage
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.accord_fields import OBJECT, lead_field
from engine.export.salesforce.component_names import ComponentNames
from engine.export.salesforce.conditions import as_formula, flow_field, untranslated
from engine.export.salesforce.part import API_VERSION, SOURCE_ROOT, Part
from engine.export.salesforce.references import Untranslatable
from engine.ir import Duration, IdRef, Project, Sla, TimeUnit

NOTIFICATION_TYPE = "Accord_SLA_Breach"
NOTIFICATION_PATH = f"{SOURCE_ROOT}/notificationtypes/{NOTIFICATION_TYPE}.notiftype-meta.xml"
_MINUTES = {TimeUnit.MINUTES: 1, TimeUnit.HOURS: 60, TimeUnit.DAYS: 1440, TimeUnit.WEEKS: 10080}
_UNITS = {TimeUnit.MINUTES: "Minutes", TimeUnit.HOURS: "Hours", TimeUnit.DAYS: "Days"}
_UNITS[TimeUnit.WEEKS] = "Weeks"


def offset(within: Duration) -> tuple[int, str] | None:
    """The scheduled path's offset: whole units, else whole minutes; None when neither."""
    if within.amount == int(within.amount):
        return int(within.amount), _UNITS[within.unit]
    minutes = within.amount * _MINUTES[within.unit]
    return (int(minutes), "Minutes") if minutes == int(minutes) else None


def _describe(within: Duration) -> str:
    business = "business " if within.business else ""
    return f"{within.amount:g} {business}{within.unit}"


def _field_name(project: Project, ref: IdRef) -> str:
    field = lead_field(project, ref.id)
    if field is None or not field.salesforce:
        raise Untranslatable(
            "X102",
            f"the lead field `{ref.id}` has no Salesforce name",
            f"add `salesforce: <API name>` to `{ref.id}` in the lead model",
        )
    return field.salesforce


def _connector(parent: xml.Element, target: str) -> None:
    xml.leaf(xml.node(parent, "connector"), "targetReference", target)


def _flow_node(parent: xml.Element, tag: str, name: str, label: str, y: int) -> xml.Element:
    element = xml.node(parent, tag)
    xml.leaf(element, "name", name)
    xml.leaf(element, "label", label)
    xml.leaf(element, "locationX", 176)
    xml.leaf(element, "locationY", y)
    return element


def _value(parent: xml.Element, tag: str, kind: str, value: str | bool) -> None:
    xml.leaf(xml.node(parent, tag), kind, value)


def _lookup(
    flow: xml.Element,
    name: str,
    label: str,
    y: int,
    sobject: str,
    filters: list[tuple[str, str]],
    next_element: str,
) -> None:
    lookup = _flow_node(flow, "recordLookups", name, label, y)
    xml.leaf(lookup, "assignNullValuesIfNoRecordsFound", False)
    _connector(lookup, next_element)
    xml.leaf(lookup, "filterLogic", "and")
    for field, wanted in filters:
        element = xml.node(lookup, "filters")
        xml.leaf(element, "field", field)
        xml.leaf(element, "operator", "EqualTo")
        _value(element, "value", "stringValue", wanted)
    xml.leaf(lookup, "getFirstRecordOnly", True)
    xml.leaf(lookup, "object", sobject)
    xml.leaf(lookup, "queriedFields", "Id")
    xml.leaf(lookup, "storeOutputAutomatically", True)


def flow_file(
    sla: Sla, entry_formula: str, start: str, stop: str, wait: tuple[int, str], queue: str | None
) -> str:
    flow = xml.root("Flow")
    notify = _flow_node(flow, "actionCalls", "Notify_Breach", "Notify about the breach", 674)
    xml.leaf(notify, "actionName", "customNotificationAction")
    xml.leaf(notify, "actionType", "customNotificationAction")
    title = f"SLA {sla.id} breached"
    body = f"SLA {sla.id} was due {_describe(sla.within)} after {start}; {stop} is still blank."
    if sla.description:
        body += " " + sla.description
    for name, kind, value in (
        ("customNotifTypeId", "elementReference", "Get_Notification_Type.Id"),
        ("recipientIds", "elementReference", "Recipients"),
        ("title", "stringValue", title),
        ("body", "stringValue", " ".join(body.split())),
        ("targetId", "elementReference", "$Record.Id"),
    ):
        parameter = xml.node(notify, "inputParameters")
        xml.leaf(parameter, "name", name)
        _value(parameter, "value", kind, value)
    xml.leaf(notify, "storeOutputAutomatically", True)
    xml.leaf(flow, "apiVersion", API_VERSION)
    recipient = "Get_Escalation_Queue.Id" if queue else "$Record.OwnerId"
    add = _flow_node(flow, "assignments", "Add_Recipient", "Add the recipient", 566)
    item = xml.node(add, "assignmentItems")
    xml.leaf(item, "assignToReference", "Recipients")
    xml.leaf(item, "operator", "Add")
    _value(item, "value", "elementReference", recipient)
    _connector(add, "Notify_Breach")
    decision = _flow_node(flow, "decisions", "Still_Open", "Still open?", 242)
    xml.leaf(decision, "defaultConnectorLabel", "Stopped in time")
    rule = xml.node(decision, "rules")
    xml.leaf(rule, "name", "Not_Stopped")
    xml.leaf(rule, "conditionLogic", "and")
    condition = xml.node(rule, "conditions")
    xml.leaf(condition, "leftValueReference", f"$Record.{stop}")
    xml.leaf(condition, "operator", "IsNull")
    _value(condition, "rightValue", "booleanValue", True)
    _connector(rule, "Get_Notification_Type")
    xml.leaf(rule, "label", "Not stopped")
    xml.leaf(flow, "description", f"Accord SLA `{sla.id}` ({sla.span.file}:{sla.span.line}).")
    xml.leaf(flow, "interviewLabel", f"Accord SLA {sla.id} {{!$Flow.CurrentDateTime}}")
    xml.leaf(flow, "label", f"Accord SLA {sla.id}"[:80])
    for name, text in (
        ("BuilderType", "LightningFlowBuilder"),
        ("CanvasMode", "AUTO_LAYOUT_CANVAS"),
    ):
        meta = xml.node(flow, "processMetadataValues")
        xml.leaf(meta, "name", name)
        _value(meta, "value", "stringValue", text)
    xml.leaf(flow, "processType", "AutoLaunchedFlow")
    after_type = "Get_Escalation_Queue" if queue else "Add_Recipient"
    _lookup(
        flow,
        "Get_Notification_Type",
        "Get the notification type",
        350,
        "CustomNotificationType",
        [("DeveloperName", NOTIFICATION_TYPE)],
        after_type,
    )
    if queue:
        _lookup(
            flow,
            "Get_Escalation_Queue",
            "Get the escalation queue",
            458,
            "Group",
            [("DeveloperName", queue), ("Type", "Queue")],
            "Add_Recipient",
        )
    start_element = xml.node(flow, "start")
    xml.leaf(start_element, "locationX", 50)
    xml.leaf(start_element, "locationY", 0)
    # Only when a lead comes to meet the entry condition; a lead that stops meeting it
    # (its stop field filled in) has its pending scheduled path removed.
    xml.leaf(start_element, "doesRequireRecordChangedToMeetCriteria", True)
    xml.leaf(start_element, "filterFormula", entry_formula)
    xml.leaf(start_element, "object", OBJECT)
    xml.leaf(start_element, "recordTriggerType", "CreateAndUpdate")
    path = xml.node(start_element, "scheduledPaths")
    xml.leaf(path, "name", "At_Due_Time")
    _connector(path, "Still_Open")
    xml.leaf(path, "label", "At the due time")
    xml.leaf(path, "offsetNumber", wait[0])
    xml.leaf(path, "offsetUnit", wait[1])
    xml.leaf(path, "recordField", start)
    xml.leaf(path, "timeSource", "RecordField")
    xml.leaf(start_element, "triggerType", "RecordAfterSave")
    xml.leaf(flow, "status", "Active")
    variable = xml.node(flow, "variables")
    xml.leaf(variable, "name", "Recipients")
    xml.leaf(variable, "dataType", "String")
    xml.leaf(variable, "isCollection", True)
    xml.leaf(variable, "isInput", False)
    xml.leaf(variable, "isOutput", False)
    return xml.serialize(flow)


def notification_type_file() -> str:
    document = xml.root("CustomNotificationType")
    xml.leaf(document, "customNotifTypeName", "Accord SLA breach")
    xml.leaf(
        document, "description", "An Accord SLA's due time passed before its stop field was set."
    )
    xml.leaf(document, "desktop", True)
    xml.leaf(document, "masterLabel", "Accord SLA breach")
    xml.leaf(document, "mobile", True)
    return xml.serialize(document)


def _sla_flow(
    sla: Sla, project: Project, names: ComponentNames
) -> tuple[str | None, list[Diagnostic], str]:
    """The flow's text (None when not exported), the diagnostics, and the coverage text."""
    if sla.within.business:
        problem = diagnostic(
            "X103",
            f"SLA `{sla.id}` runs {_describe(sla.within)}: a flow's scheduled path waits"
            " calendar time and cannot count a calendar's working hours and holidays",
            sla.within.span,
            help="keep this SLA measured by Accord (`accord sla`), or state it in calendar"
            " time (e.g. `within: 4 hours`) to export it as a flow",
        )
        return None, [problem], "not exported: business time (X103)"
    wait = offset(sla.within)
    name = names.flows.get(sla.id)
    if wait is None or name is None:
        problem = diagnostic(
            "X103",
            f"SLA `{sla.id}` runs {_describe(sla.within)}, not a whole number of minutes",
            sla.within.span,
            help="state the SLA in whole minutes, hours or days",
        )
        return None, ([problem] if wait is None else []), "not exported"
    try:
        start, stop = _field_name(project, sla.start), _field_name(project, sla.stop)
        applies = as_formula(sla.applies_to.expr, project, flow_field).text
    except Untranslatable as problem:
        refused = untranslated(f"SLA `{sla.id}`", problem, sla.span, "build its timer by hand")
        return None, [refused], f"not exported ({problem.code})"
    entry = f"AND({applies}, NOT(ISBLANK({flow_field(start)})), ISBLANK({flow_field(stop)}))"
    escalate = sla.on_breach.escalate_to if sla.on_breach else None
    queue = None
    if escalate is not None:
        queue = names.queues.get(f"queue:{escalate.id}") or names.queues.get(f"team:{escalate.id}")
    found: list[Diagnostic] = []
    how = f"the flow {name}"
    recycle = sla.on_breach.recycle_after if sla.on_breach else None
    if recycle is not None:
        found.append(
            diagnostic(
                "X103",
                f"SLA `{sla.id}` recycles breached leads after {_describe(recycle)}; the flow"
                " notifies at the breach but does not recycle",
                sla.span,
                help="recycle the leads `accord sla` lists as candidates, or add a scheduled"
                " path that sets the lead's status by hand",
            )
        )
        how += "; recycle_after not carried (X103)"
    return flow_file(sla, entry, start, stop, wait, queue), found, how


def sla_flows(project: Project, names: ComponentNames) -> Part:
    files: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    coverage: list[Coverage] = []
    for sla in project.slas:
        text, found, how = _sla_flow(sla, project, names)
        if text is not None:
            files[f"{SOURCE_ROOT}/flows/{names.flows[sla.id]}.flow-meta.xml"] = text
        diagnostics += found
        carried = text is not None and not found
        coverage.append(Coverage(f"sla:{sla.id}", carried, how, sla.span))
    if files:
        files[NOTIFICATION_PATH] = notification_type_file()
    return Part(files, tuple(diagnostics), tuple(coverage))
