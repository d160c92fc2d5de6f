"""The Marketo export: lead fields, a score token per rule, and the build sheet for the campaigns.

`index.json` lists the API requests (fields, then tokens) and `build-sheet.md` the smart
campaigns ops build by hand, since Marketo's API cannot author smart lists.
docs/exports/marketo.md describes each file.
"""

from __future__ import annotations

from typing import Any

from engine.export import Export, ExportOptions
from engine.export.conditions import Lexicon, Measure, subjects, translate
from engine.export.hubspot.json_text import json_text
from engine.export.hubspot.outcomes import Gap, Outcome, condition_gaps
from engine.export.marketo import build_sheet, fields, smart_lists, tokens
from engine.expressions.nodes import RefKind
from engine.ir import Cap, Project, Rule, ScoreGroup

TARGET = "marketo"
_FIELDS_PATH = "/rest/v1/leads/schema/fields.json"
HELP = {
    "X101": "Marketo's smart-list filters compare one field with values: keep this rule scored"
    " by Accord (`accord score`, then sync the score back), or rewrite the condition with"
    " comparisons, `in`, `contains` and `startswith`",
    "X102": "add the field's Salesforce name (`salesforce:`) to rules/lead.yaml; Marketo reads"
    " lead fields through its Salesforce sync",
}


def _cap(cap: Cap) -> str:
    return f"{'' if cap.min is None else cap.min}..{'' if cap.max is None else cap.max}"


def _group(group: ScoreGroup) -> Outcome:
    gaps = []
    if group.cap:
        gaps.append(
            Gap(
                "X103",
                f"Marketo cannot carry the cap {_cap(group.cap)} of group `{group.id}`:"
                " a score field takes every Change Score step",
                "keep the group's score computed by Accord (`accord score`, then sync it back)",
            )
        )
    if group.decay:
        gaps.append(
            Gap(
                "X103",
                f"Marketo cannot carry the {group.decay.method.value} decay of group"
                f" `{group.id}`: score fields change only when a flow step changes them",
                "keep the group's score computed by Accord (`accord score`, then sync it back)",
            )
        )
    how = f"score field `{fields.group_field(group.id)}`"
    if gaps:
        how += " without its " + " and ".join(
            what for what, on in (("cap", group.cap), ("decay", group.decay)) if on
        )
    return Outcome(f"group:{group.id}", group.span, how, tuple(gaps))


def _rule(rule: Rule, lexicon: Lexicon) -> tuple[build_sheet.Campaign | None, Outcome]:
    outcome_id = f"rule:{rule.id}"
    translation = translate(rule.when.expr, lexicon)
    problems = list(translation.problems)
    found = None
    if translation.criteria is not None:
        made = smart_lists.smart_list(translation.criteria)
        if isinstance(made, list):
            problems += made
        else:
            found = made
    gaps = condition_gaps(problems, f"rule `{rule.id}`", "Marketo's smart lists", HELP)
    if len(tokens.token_name(rule)) > tokens.MAX_NAME:
        gaps += (
            Gap(
                "X104",
                f"rule `{rule.id}` is too long a name for a Marketo token"
                f" (at most {tokens.MAX_NAME} characters)",
                "give the rule a shorter id",
            ),
        )
    if found is None or gaps:
        reasons = [u.what for u in dict.fromkeys(problems)]
        if len(tokens.token_name(rule)) > tokens.MAX_NAME:
            reasons.append("an id too long for a token name")
        how = "no campaign: uses " + "; ".join(reasons)
        return None, Outcome(outcome_id, rule.span, how, gaps)
    assert translation.criteria is not None
    read = subjects(translation.criteria)
    triggers = tuple(
        dict.fromkeys(
            name
            for s in read
            if s.kind is RefKind.FIELD and (name := smart_lists.field_name(s)) is not None
        )
    )
    time_based = any(s.measure is not Measure.VALUE for s in read)
    campaign = build_sheet.Campaign(rule, found, triggers, time_based)
    how = f"token `{tokens.reference(rule)}` and campaign {build_sheet.campaign_name(rule)}"
    return campaign, Outcome(outcome_id, rule.span, how)


def _score(project: Project) -> Outcome | None:
    model = project.score_model
    if model is None:
        return None
    if model.cap is None:
        return Outcome("score", model.span, f"score field `{fields.SCORE_FIELD}`")
    gap = Gap(
        "X103",
        f"Marketo cannot carry the cap {_cap(model.cap)} of the total score: a score field"
        " takes every Change Score step",
        "read the total from Accord where the cap matters (`accord score`, then sync it back)",
    )
    how = f"score field `{fields.SCORE_FIELD}`, uncapped"
    return Outcome("score", model.cap.span, how, (gap,))


def _request(file: str, path: str, content_type: str, what: str) -> dict[str, Any]:
    return {
        "contentType": content_type,
        "file": file,
        "method": "POST",
        "path": path,
        "what": what,
    }


def export(project: Project, options: ExportOptions) -> Export:
    lexicon = Lexicon.of(project)
    files: dict[str, str] = {}
    outcomes: list[Outcome] = []
    campaigns: list[build_sheet.Campaign] = []
    token_rules: list[Rule] = []

    body = fields.lead_fields(project)
    files["fields/create-lead-fields.json"] = json_text(body)
    requests = [
        _request(
            "fields/create-lead-fields.json",
            _FIELDS_PATH,
            "application/json",
            "the Accord lead fields",
        )
    ]
    score = _score(project)
    if score:
        outcomes.append(score)
    model = project.score_model
    for group in model.groups if model else ():
        outcomes.append(_group(group))
        for rule in group.rules:
            campaign, outcome = _rule(rule, lexicon)
            outcomes.append(outcome)
            if campaign:
                campaigns.append(campaign)
            if len(tokens.token_name(rule)) <= tokens.MAX_NAME:
                token_rules.append(rule)

    left_out = [
        build_sheet.LeftOut(
            o.definition, f"{o.span.file}:{o.span.line}", tuple(g.message for g in o.gaps)
        )
        for o in outcomes
        if o.gaps
    ]
    for rule in token_rules:
        file = f"tokens/{tokens.token_name(rule)}.json"
        files[file] = json_text(tokens.token(rule))
        requests.append(
            _request(
                file,
                tokens.PATH,
                "application/x-www-form-urlencoded",
                f"score token `{tokens.reference(rule)}` of rule `{rule.id}`",
            )
        )
    files["build-sheet.md"] = build_sheet.render(project, campaigns, token_rules, left_out)
    files["index.json"] = json_text({"requests": requests, "target": TARGET})
    return Export(
        TARGET,
        files,
        tuple(d for o in outcomes for d in o.diagnostics()),
        tuple(o.coverage() for o in outcomes),
    )
