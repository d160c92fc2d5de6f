"""Conditions as HubSpot criteria: the exact operations each kind of test becomes."""

from __future__ import annotations

import json
from typing import Any

from test_hubspot import with_rules

from engine.export import ExportOptions
from engine.export.conditions import AllOf, AnyOf, Criterion, Lexicon, Op, clauses, translate
from engine.export.targets import run_export
from engine.ir import Condition, Project


def _conditions(project: Project, rule: str = "r0") -> list[dict[str, Any]] | dict[str, Any]:
    """Rule `rule`'s calculation's conditions (or the calculation, when it has none)."""
    draft = json.loads(
        run_export(project, "hubspot", ExportOptions()).files["lead-scoring/draft.json"]
    )
    index = json.loads(run_export(project, "hubspot", ExportOptions()).files["index.json"])
    spot = next(r for r in index["leadScoringRules"] if r["rule"] == rule)
    group = next(g for g in draft["groupConfigs"] if g["groupName"] == spot["group"])
    calculation = group["ruleConfigurations"][spot["position"] - 1]["configuration"]["calculation"]
    if calculation["type"] != "CONDITIONAL":
        return dict(calculation)
    assert calculation["whereCondition"]["operator"] == "AND"
    return list(calculation["whereCondition"]["conditions"])


def _single(prop: str, **operation: Any) -> dict[str, Any]:
    return {"operation": operation, "property": prop, "type": "SINGLE"}


def test_comparisons_terms_and_membership() -> None:
    project = with_rules('mid_market and industry in ["Retail", "Media"] and country != "US"')
    assert _conditions(project) == [
        _single(
            "numberofemployees",
            includeObjectsWithNoValueSet=False,
            operationType="NUMBER",
            operator="IS_GREATER_THAN_OR_EQUAL_TO",
            value=200,
        ),
        _single(
            "numberofemployees",
            includeObjectsWithNoValueSet=False,
            operationType="NUMBER",
            operator="IS_LESS_THAN",
            value=1000,
        ),
        _single(
            "industry",
            includeObjectsWithNoValueSet=False,
            operationType="ENUMERATION",
            operator="IS_ANY_OF",
            values=["Retail", "Media"],
        ),
        _single(
            "country",
            includeObjectsWithNoValueSet=False,
            operationType="STRING",
            operator="IS_NOT_EQUAL_TO",
            value="US",
        ),
    ]


def test_not_is_pushed_into_each_test_with_missing_values() -> None:
    # `not (a or b)` holds for a lead without either value (docs/evaluation.md).
    project = with_rules('not (webinars_attended >= 1 or country in ["RU", "BY"])')
    assert _conditions(project) == [
        _single(
            "webinars_attended",
            includeObjectsWithNoValueSet=True,
            operationType="NUMBER",
            operator="IS_LESS_THAN",
            value=1,
        ),
        _single(
            "country",
            includeObjectsWithNoValueSet=True,
            operationType="MULTISTRING",
            operator="IS_NOT_EQUAL_TO",
            values=["RU", "BY"],
        ),
    ]


def test_text_predicates_is_null_booleans_and_recency() -> None:
    project = with_rules(
        'contains(job_title, "Data") and startswith(company, "Acme") and endswith(website, ".io")'
        " and not is_null(account_owner) and not existing_customer"
        " and days_since(last_activity_at) <= 7"
    )
    assert _conditions(project) == [
        _single(
            "jobtitle",
            includeObjectsWithNoValueSet=False,
            operationType="STRING",
            operator="CONTAINS",
            value="Data",
        ),
        _single(
            "company",
            includeObjectsWithNoValueSet=False,
            operationType="STRING",
            operator="STARTS_WITH",
            value="Acme",
        ),
        _single(
            "website",
            includeObjectsWithNoValueSet=False,
            operationType="STRING",
            operator="ENDS_WITH",
            value=".io",
        ),
        _single(
            "matched_account_owner",
            includeObjectsWithNoValueSet=False,
            operationType="ALL_PROPERTY",
            operator="IS_KNOWN",
        ),
        _single(
            "is_customer",
            includeObjectsWithNoValueSet=True,
            operationType="BOOL",
            operator="IS_NOT_EQUAL_TO",
            value=True,
        ),
        _single(
            "hs_analytics_last_timestamp",
            includeObjectsWithNoValueSet=False,
            operationType="ROLLING_DATE_RANGE",
            operator="IS_LESS_THAN_X_DAYS_AGO",
            numberOfDays=7,
            requiresTimeZoneConversion=False,
        ),
    ]


def test_a_rule_that_always_holds_is_a_constant() -> None:
    assert _conditions(with_rules("true")) == {"type": "CONSTANT", "value": 1}


def test_what_no_platform_expresses_is_reported_with_its_place() -> None:
    project = with_rules(
        'matches(email, "@acme[.]com$")',
        "employees * 2 > annual_revenue",
        'domain(email) == "acme.com"',
        "employees > annual_revenue",
    )
    export = run_export(project, "hubspot", ExportOptions())
    found = [
        (d.code, f"{d.span.file}:{d.span.line}", d.notes[0].span.column, d.message)
        for d in export.diagnostics
    ]
    assert found == [
        (
            "X101",
            "rules/scoring.yaml:7",
            16,
            "HubSpot lead scoring cannot express `matches` (a regular expression), used by rule `r0`",
        ),
        (
            "X101",
            "rules/scoring.yaml:10",
            16,
            "HubSpot lead scoring cannot express arithmetic (`*`), used by rule `r1`",
        ),
        (
            "X101",
            "rules/scoring.yaml:13",
            16,
            "HubSpot lead scoring cannot express `domain` (the domain of an e-mail address or"
            " URL), used by rule `r2`",
        ),
        (
            "X101",
            "rules/scoring.yaml:16",
            16,
            "HubSpot lead scoring cannot express a comparison of two values of the lead, used by"
            " rule `r3`",
        ),
    ]
    assert {c.definition for c in export.coverage if not c.carried} == {
        "rule:r0",
        "rule:r1",
        "rule:r2",
        "rule:r3",
    }


def test_criteria_in_disjunctive_form(northwind: Project) -> None:
    lexicon = Lexicon.of(northwind)
    stage = (
        next(s for s in northwind.qualification.stages if s.id == "sal")
        if northwind.qualification
        else None
    )
    assert stage is not None
    criteria = translate(stage.when.expr, lexicon).criteria
    assert isinstance(criteria, AllOf)
    found = clauses(criteria)
    assert found is not None
    assert [(t.subject.name, t.op, t.values, t.missing) for t in found[0]] == [
        ("score", Op.GE, (50,), False),
        ("fit", Op.GE, (25,), False),
        ("engagement", Op.GE, (10,), False),
        ("is_customer", Op.NE, (True,), True),
        ("accepted_at", Op.KNOWN, (), False),
    ]
    term = next(t for t in northwind.terms if t.id == "hand_raiser")
    assert isinstance(term.means, Condition)
    either = translate(term.means.expr, lexicon).criteria
    assert isinstance(either, AnyOf)
    split = clauses(either)
    assert split is not None
    assert [[(t.subject.name, t.op) for t in c] for c in split] == [
        [("demo_requested", Op.EQ)],
        [("trial_started", Op.EQ)],
    ]
    assert all(isinstance(t, Criterion) for c in split for t in c)


def test_a_stage_list_branches_on_or(northwind: Project) -> None:
    project = with_rules(
        "true",
        edits={
            "rules/qualification.yaml": (
                "when: mql and not is_null(accepted_at)",
                'when: mql and (not is_null(accepted_at) or lead_source == "Partner Referral")',
            )
        },
    )
    body = json.loads(run_export(project, "hubspot", ExportOptions()).files["lists/sal.json"])
    branches = body["filterBranch"]["filterBranches"]
    assert [b["filterBranchType"] for b in branches] == ["AND", "AND"]
    assert [f["property"] for f in branches[0]["filters"]][-1] == "sales_accepted_at"
    assert branches[1]["filters"][-1] == {
        "filterType": "PROPERTY",
        "operation": {
            "includeObjectsWithNoValueSet": False,
            "operationType": "ENUMERATION",
            "operator": "IS_ANY_OF",
            "values": ["Partner Referral"],
        },
        "property": "hs_analytics_source",
    }
