"""Accord's queues and teams as Lead queues: a team's leads wait in its queue.

What a queue cannot carry is reported on the team: Salesforce queues do not hand leads to
members in turn (round robin, weights, weekly capacity), and Accord's member ids are not
Salesforce users, so the queues are written without members.
https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_queue.htm
"""

from __future__ import annotations

from engine.diagnostics import Diagnostic, diagnostic
from engine.export import Coverage
from engine.export.salesforce import metadata_xml as xml
from engine.export.salesforce.accord_fields import OBJECT
from engine.export.salesforce.component_names import ComponentNames
from engine.export.salesforce.part import SOURCE_ROOT, Part
from engine.ir import Project, Team


def _queue_file(name: str, label: str, description: str) -> str:
    document = xml.root("Queue")
    xml.leaf(document, "description", description)
    xml.leaf(document, "doesSendEmailToMembers", False)
    xml.leaf(document, "name", label)
    sobject = xml.node(document, "queueSobject")
    xml.leaf(sobject, "sobjectType", OBJECT)
    return xml.serialize(document)


def _team_gap(team: Team, queue: str) -> Diagnostic:
    members = ", ".join(f"`{m.id}`" for m in team.members)
    return diagnostic(
        "X103",
        f"team `{team.id}` becomes the queue `{queue}`; its {team.strategy} distribution"
        f" among {members} is not carried",
        team.span,
        help="members take leads from the queue by hand, or use Omni-Channel routing or"
        " Accord's replayed owners (`accord score`); add the members' Salesforce users to"
        " the queue after deploying",
    )


def queues(project: Project, names: ComponentNames) -> Part:
    routing = project.routing
    if routing is None:
        return Part()
    files: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    coverage: list[Coverage] = []
    for queue in routing.queues:
        definition = f"queue:{queue.id}"
        name = names.queues.get(definition)
        if name is None:
            coverage.append(Coverage(definition, False, "no valid queue name (X104)", queue.span))
            continue
        description = f"Accord queue `{queue.id}`."
        files[f"{SOURCE_ROOT}/queues/{name}.queue-meta.xml"] = _queue_file(
            name, queue.name, description
        )
        coverage.append(Coverage(definition, True, f"the queue {name}", queue.span))
    for team in routing.teams:
        definition = f"team:{team.id}"
        name = names.queues.get(definition)
        if name is None:
            coverage.append(Coverage(definition, False, "no valid queue name (X104)", team.span))
            continue
        description = f"Accord team `{team.id}` ({team.strategy}); members pick leads from here."
        files[f"{SOURCE_ROOT}/queues/{name}.queue-meta.xml"] = _queue_file(
            name, team.name or team.id, description
        )
        gap = _team_gap(team, name)
        diagnostics.append(gap)
        how = f"the queue {name}; member distribution and members not carried (X103)"
        coverage.append(Coverage(definition, False, how, team.span))
    return Part(files, tuple(diagnostics), tuple(coverage))
