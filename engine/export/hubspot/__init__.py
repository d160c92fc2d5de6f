"""The HubSpot export: contact properties, a lead-scoring (beta) draft and a list per stage.

Every file is the JSON body of one HubSpot API request; `index.json` lists the requests in
the order to send them (the property group before its properties, the properties before
the lists that filter on them). docs/exports/hubspot.md describes each file.
"""

from __future__ import annotations

from typing import Any

from engine.export import Export, ExportOptions
from engine.export.conditions import Lexicon
from engine.export.hubspot import lead_scoring, lists, properties
from engine.export.hubspot.json_text import json_text
from engine.export.hubspot.outcomes import Outcome
from engine.ir import Project

TARGET = "hubspot"
_PROPERTIES_PATH = "/crm/v3/properties/contacts"


def _request(file: str, path: str, what: str) -> dict[str, Any]:
    return {"file": file, "method": "POST", "path": path, "what": what}


def export(project: Project, options: ExportOptions) -> Export:
    lexicon = Lexicon.of(project)
    files: dict[str, str] = {}
    requests: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []

    found = properties.properties(project)
    if found:
        group_file = f"property-groups/{properties.GROUP_NAME}.json"
        files[group_file] = json_text(properties.property_group())
        requests.append(
            _request(group_file, f"{_PROPERTIES_PATH}/groups", "the `accord` property group")
        )
    for name, body in found.items():
        file = f"properties/{name}.json"
        files[file] = json_text(body)
        requests.append(_request(file, _PROPERTIES_PATH, f"contact property `{name}`"))

    draft = lead_scoring.draft(project, lexicon)
    rules: list[dict[str, Any]] = []
    if draft:
        files["lead-scoring/draft.json"] = json_text(draft.body)
        requests.append(
            _request(
                "lead-scoring/draft.json",
                lead_scoring.PATH,
                "a lead score with its first draft; publish it with"
                f" POST {lead_scoring.PATH}/{{scoreId}}/draft/publish",
            )
        )
        rules = draft.rules
        outcomes += draft.outcomes

    q = project.qualification
    for stage in q.stages if q else ():
        stage_list, outcome = lists.stage_list(stage, lexicon)
        outcomes.append(outcome)
        if stage_list is not None:
            file = f"lists/{stage.id}.json"
            files[file] = json_text(stage_list)
            requests.append(_request(file, lists.PATH, f"the dynamic list of stage `{stage.id}`"))

    files["index.json"] = json_text(
        {
            "leadScoringRules": rules,
            "requests": requests,
            "target": TARGET,
        }
    )
    return Export(
        TARGET,
        files,
        tuple(d for o in outcomes for d in o.diagnostics()),
        tuple(o.coverage() for o in outcomes),
    )
