"""A dynamic contact list (segment) per lifecycle stage: the contacts the stage's condition holds for.

Each file is the body of `POST /crm/v3/lists` (`ListCreateRequest`,
https://developers.hubspot.com/docs/api-reference/crm-lists-v3/lists/post-crm-v3-lists-),
with `processingType: DYNAMIC` so HubSpot keeps membership current. The filter is the
stage's condition with terms expanded, as alternatives of conjunctions: a root OR branch of
AND branches of PROPERTY filters, the structure the list-filters guide builds
(https://developers.hubspot.com/docs/api-reference/crm-lists-v3/list-filters).

A list holds the contacts the stage's *condition* holds for, which is what a glossary term
bound to the stage means (`mql`); the funnel order and the disqualifiers decide the stage
itself, which Accord writes to the `accord_stage` property. Score, group and grade are
read from the `accord_*` properties Accord fills.
"""

from __future__ import annotations

from typing import Any

from engine.export.conditions import Criterion, Lexicon, Unsupported, clauses, translate
from engine.export.hubspot.lead_scoring import CONTACTS
from engine.export.hubspot.operations import property_test
from engine.export.hubspot.outcomes import Outcome, condition_gaps
from engine.ir import Stage

PATH = "/crm/v3/lists"
HELP = {
    "X101": "HubSpot's list filters test contact properties: build this part of the list by"
    " hand in HubSpot, or filter on the `accord_stage` property that Accord fills",
    "X102": "add the field's HubSpot internal name (`hubspot:`) to rules/lead.yaml",
}
# Every contact has a record id, so "Record ID is known" is a filter every contact passes:
# the list of a stage that holds for every lead (`when: true`).
_EVERY_CONTACT = {
    "filterType": "PROPERTY",
    "operation": {
        "includeObjectsWithNoValueSet": False,
        "operationType": "ALL_PROPERTY",
        "operator": "IS_KNOWN",
    },
    "property": "hs_object_id",
}


def _branch(
    kind: str, filters: list[dict[str, Any]], branches: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "filterBranchOperator": kind,
        "filterBranchType": kind,
        "filterBranches": branches,
        "filters": filters,
    }


def _filters(clause: tuple[Criterion, ...], problems: list[Unsupported]) -> list[dict[str, Any]]:
    found = []
    for test in clause:
        result = property_test(test)
        if isinstance(result, list):
            problems += result
        else:
            name, operation = result
            found.append({"filterType": "PROPERTY", "operation": operation, "property": name})
    return found or [_EVERY_CONTACT]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def stage_list(stage: Stage, lexicon: Lexicon) -> tuple[dict[str, Any] | None, Outcome]:
    """The list's Create body (None when HubSpot cannot take it, or it would be empty)."""
    outcome_id = f"stage:{stage.id}"
    translation = translate(stage.when.expr, lexicon)
    problems = list(translation.problems)
    found = clauses(translation.criteria) if translation.criteria else ()
    if translation.criteria and found is None:
        problems.append(Unsupported("too many alternatives (`or`) for one list", stage.when.span))
    branches = [_branch("AND", _filters(c, problems), []) for c in found or ()]
    if problems:
        gaps = condition_gaps(problems, f"stage `{stage.id}`", "HubSpot's list filters", HELP)
        how = "no list: uses " + "; ".join(u.what for u in dict.fromkeys(problems))
        return None, Outcome(outcome_id, stage.span, how, gaps)
    if not branches:
        return None, Outcome(outcome_id, stage.span, "never holds: no list")
    body = {
        "filterBranch": _branch("OR", [], branches),
        "name": f"Accord stage criteria: {stage.id}",
        "objectTypeId": CONTACTS,
        "processingType": "DYNAMIC",
    }
    filters = sum(len(b["filters"]) for b in branches)
    how = f"dynamic list lists/{stage.id}.json: {_count(len(branches), 'AND branch', 'AND branches')} of {_count(filters, 'filter', 'filters')}"
    return body, Outcome(outcome_id, stage.span, how)
