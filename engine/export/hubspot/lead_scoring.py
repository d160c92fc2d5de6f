"""The score model as a HubSpot lead-scoring (beta) draft: groups, rules and their limits.

The body of `POST /marketing/lead-scoring/2026-09-beta/scores` ("Create Score", which
creates a score with its first draft; publish it with `POST .../scores/{scoreId}/draft/
publish`): https://developers.hubspot.com/docs/api-reference/2026-09-beta/marketing/
lead-scoring/guide. The shape is `PublicDraftCreateRequest` of HubSpot's OpenAPI spec
(HubSpot/HubSpot-public-api-spec-collection, PublicApiSpecs/Marketing/Lead Scoring/
Rollouts/320952/2026-09-beta/leadScoring.json): each Accord group is a `groupConfigs` entry
with its cap as `minValue`/`maxValue`, each rule a `CONDITIONAL` calculator whose
`whereCondition` is an AND (`PublicCompositeCondition.operator` allows AND only) of
`SINGLE` conditions on contact properties. The reference page's curl sample spells a few
names differently from the spec (`maxScore`); the spec is followed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.export.conditions import (
    Lexicon,
    Unsupported,
    clauses,
    translate,
)
from engine.export.hubspot.operations import property_test
from engine.export.hubspot.outcomes import Gap, Outcome, condition_gaps
from engine.ir import DecayMethod, Project, Rule, ScoreGroup, ScoreModel

CONTACTS = "0-1"  # HubSpot's objectTypeId of contacts
PATH = "/marketing/lead-scoring/2026-09-beta/scores"
HELP = {
    "X101": "HubSpot's lead-scoring criteria compare contact properties with fixed values,"
    " joined by AND: keep this rule scored by Accord (`accord score`, then sync the score"
    " back), or rewrite the condition with comparisons, `in`, `contains`, `startswith` and"
    " `and`",
    "X102": "add the field's HubSpot internal name (`hubspot:`) to rules/lead.yaml",
}


@dataclass(frozen=True)
class Draft:
    body: dict[str, Any]
    rules: list[dict[str, Any]]  # which rule is which position of which group (the index)
    outcomes: list[Outcome]


def category(group: ScoreGroup) -> str:
    """HubSpot's category of a group: a decaying group measures recent behaviour (INTENT),
    a group without decay who the lead is (FIT); HubSpot decays engagement, not fit."""
    return "INTENT" if group.decay else "FIT"


def _rule(rule: Rule, lexicon: Lexicon) -> tuple[dict[str, Any] | None, Outcome]:
    outcome_id = f"rule:{rule.id}"
    conditions, problems = _conditions(rule, lexicon)
    if problems:
        gaps = condition_gaps(problems, f"rule `{rule.id}`", "HubSpot lead scoring", HELP)
        how = "left out of the draft: uses " + "; ".join(u.what for u in dict.fromkeys(problems))
        return None, Outcome(outcome_id, rule.span, how, gaps)
    if conditions is None:
        return None, Outcome(outcome_id, rule.span, "never holds: no rule in the draft")
    if conditions:
        calculation: dict[str, Any] = {
            "type": "CONDITIONAL",
            "value": rule.points,
            "whereCondition": {"conditions": conditions, "operator": "AND", "type": "COMPOSITE"},
        }
        criteria = (
            "1 criterion holds" if len(conditions) == 1 else f"{len(conditions)} criteria hold"
        )
        how = f"{rule.points:+d} in group `{rule.group}` where {criteria}"
    else:
        calculation = {"type": "CONSTANT", "value": rule.points}
        how = f"{rule.points:+d} in group `{rule.group}` for every contact"
    body = {"configuration": {"calculation": calculation}, "enabled": True}
    return body, Outcome(outcome_id, rule.span, how)


def _conditions(
    rule: Rule, lexicon: Lexicon
) -> tuple[list[dict[str, Any]] | None, list[Unsupported]]:
    """The rule's single conditions (None: it never holds), or what HubSpot cannot take."""
    translation = translate(rule.when.expr, lexicon)
    if translation.criteria is None:
        return [], list(translation.problems)
    found = clauses(translation.criteria)
    if found is None or len(found) > 1:
        return [], [Unsupported("`or` between tests of different properties", rule.when.span)]
    if not found:
        return None, []
    conditions: list[dict[str, Any]] = []
    problems: list[Unsupported] = []
    for test in found[0]:
        result = property_test(test)
        if isinstance(result, list):
            problems += result
        else:
            name, operation = result
            conditions.append({"operation": operation, "property": name, "type": "SINGLE"})
    return conditions, problems


def _group(group: ScoreGroup, rules: list[dict[str, Any]]) -> tuple[dict[str, Any], Outcome]:
    body: dict[str, Any] = {
        "groupCategory": category(group),
        "groupName": group.id,
        "ruleConfigurations": rules,
    }
    how = f"group `{group.id}` ({category(group)})"
    if group.cap and group.cap.min is not None:
        body["minValue"] = group.cap.min
    if group.cap and group.cap.max is not None:
        body["maxValue"] = group.cap.max
    if group.cap:
        low, high = group.cap.min, group.cap.max
        how += f" limited to {'' if low is None else low}..{'' if high is None else high}"
    decay = group.decay
    if decay is None:
        return body, Outcome(f"group:{group.id}", group.span, how)
    # HubSpot takes points off a group in steps, a percentage every interval since they
    # were earned (PublicGroupDecayConfiguration); Accord decays the group's sum smoothly
    # from one timestamp. A half-life is the nearest of those schedules, so it is set, and
    # the difference reported.
    if decay.method is DecayMethod.HALF_LIFE and decay.days == int(decay.days):
        body["groupDecay"] = {"decayIntervalDays": int(decay.days), "percentToDecayPerInterval": 50}
        nearest = f"; decays 50% every {int(decay.days)} days, in steps"
    else:
        nearest = "; no decay"
    gap = Gap(
        "X103",
        f"HubSpot cannot carry the {decay.method.value} decay of group `{group.id}`:"
        " it takes a percentage off per interval since points were earned, not from"
        f" `{decay.from_field.id}`",
        "keep the group's score computed by Accord (`accord score`, then sync it back), or"
        " accept HubSpot's step-wise decay",
    )
    return body, Outcome(f"group:{group.id}", group.span, how + nearest, (gap,))


def _score(model: ScoreModel) -> Outcome:
    if model.cap is None:
        return Outcome("score", model.span, "HubSpot's score: the sum of the groups")
    gap = Gap(
        "X103",
        f"HubSpot cannot carry the cap {model.cap.min}..{model.cap.max} of the total score:"
        " it limits each category (FIT, INTENT) on its own, never their sum",
        "read Accord's `accord_score` property where the cap matters (`accord score`, then"
        " sync it back), or cap the groups so that their sum stays in range",
    )
    return Outcome("score", model.cap.span, "the sum of the groups, uncapped", (gap,))


def _ceiling(model: ScoreModel) -> int:
    """`maxScorePerCategory`: the total cap's top, or else a bound no category can reach."""
    if model.cap and model.cap.max is not None:
        return model.cap.max
    return sum(
        g.cap.max if g.cap and g.cap.max is not None else sum(max(r.points, 0) for r in g.rules)
        for g in model.groups
    )


def draft(project: Project, lexicon: Lexicon) -> Draft | None:
    model = project.score_model
    if model is None:
        return None
    outcomes: list[Outcome] = [_score(model)]
    groups: list[dict[str, Any]] = []
    index: list[dict[str, Any]] = []
    for group in model.groups:
        rules: list[dict[str, Any]] = []
        rule_outcomes = []
        for rule in group.rules:
            body, outcome = _rule(rule, lexicon)
            rule_outcomes.append(outcome)
            if body is not None:
                rules.append(body)
                index.append({"group": group.id, "position": len(rules), "rule": rule.id})
        group_body, group_outcome = _group(group, rules)
        groups.append(group_body)
        outcomes += [group_outcome, *rule_outcomes]
    body = {
        "allowedGroupTypes": sorted({category(g) for g in model.groups}),
        "groupConfigs": groups,
        "maxScorePerCategory": _ceiling(model),
        "name": f"Accord: {project.name}",
        "objectTypeId": CONTACTS,
    }
    return Draft(body, index, outcomes)
