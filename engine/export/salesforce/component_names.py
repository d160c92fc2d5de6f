"""Every Salesforce component name the export uses, decided once, before any file is built,
so that the queue a rule entry assigns to is the queue file written, whatever the order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.diagnostics import Diagnostic
from engine.export.salesforce.names import FLOW_LIMIT, Namer
from engine.ir import Project


@dataclass(frozen=True)
class ComponentNames:
    queues: Mapping[str, str]  # "team:<id>" or "queue:<id>" → the queue's developer name
    group_fields: Mapping[str, str]  # score group id → its Lead field, `Accord_Fit_Score__c`
    rule_records: Mapping[str, str]  # scoring rule id → its custom metadata record's name
    group_records: Mapping[str, str]  # score group id → its record's name
    flows: Mapping[str, str]  # SLA id → its flow's name
    diagnostics: tuple[Diagnostic, ...]


TOTAL_RECORD = "Total"  # the score group record that holds the total score's cap


def name_components(project: Project) -> ComponentNames:
    queue_namer = Namer("queue")
    queues: dict[str, str] = {}
    routing = project.routing
    for queue in routing.queues if routing else ():
        if name := queue_namer.name(queue.id, queue.span):
            queues[f"queue:{queue.id}"] = name
    for team in routing.teams if routing else ():
        if name := queue_namer.name(team.id, team.span):
            queues[f"team:{team.id}"] = name
    field_namer = Namer("custom field", template="Accord_{}_Score", suffix="__c")
    group_namer = Namer("custom metadata record")
    group_namer.taken[TOTAL_RECORD.casefold()] = "the total score"
    rule_namer = Namer("custom metadata record")
    group_fields: dict[str, str] = {}
    group_records: dict[str, str] = {}
    rule_records: dict[str, str] = {}
    for group in project.score_model.groups if project.score_model else ():
        if name := field_namer.name(group.id, group.span):
            group_fields[group.id] = name
        if name := group_namer.name(group.id, group.span):
            group_records[group.id] = name
        for rule in group.rules:
            if name := rule_namer.name(rule.id, rule.span):
                rule_records[rule.id] = name
    flow_namer = Namer("flow", limit=FLOW_LIMIT, template="Accord_SLA_{}")
    flows = {sla.id: name for sla in project.slas if (name := flow_namer.name(sla.id, sla.span))}
    namers = (queue_namer, field_namer, group_namer, rule_namer, flow_namer)
    return ComponentNames(
        queues,
        group_fields,
        rule_records,
        group_records,
        flows,
        tuple(d for n in namers for d in n.diagnostics),
    )
