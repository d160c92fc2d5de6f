"""The translation of conditions into Salesforce criteria items, formulas or X diagnostics,
on small hand-written routes: exact output, Accord's missing-value meaning included."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from engine.export import ExportOptions
from engine.export.salesforce import export
from engine.export.salesforce.conditions import Formula, translate
from engine.export.salesforce.criteria import Criteria
from engine.export.salesforce.references import Untranslatable
from engine.export.salesforce.regex import java_pattern
from engine.ir import Project
from engine.project import compile_project, read_files

# Small projects: the example organisation with its routes (or SLAs) replaced by
# hand-written ones, compiled like any project. test_salesforce.py uses them too.
ROOT = Path(__file__).resolve().parents[2]
ROUTING_FILE = "rules/routing.yaml"
SLA_FILE = "slas/handoff.yaml"

_ROUTING_HEAD = """apiVersion: accord/v1
kind: Routing
owners: [sales]
queues:
  triage: {name: Triage, calendar: amer}
teams:
  desk: {calendar: amer, strategy: round_robin, members: [ana.silva]}
routes:
"""
_SLAS_HEAD = """apiVersion: accord/v1
kind: ServiceLevels
owners: [sales]
slas:
"""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compiled(replaced: dict[str, str]) -> Project:
    files = read_files(ROOT)
    # The example's tests name its routes and queues; these projects have others.
    for path in ("rules/routing.tests.yaml", "rules/qualification.tests.yaml"):
        files.pop(path)
    files[SLA_FILE] = _SLAS_HEAD.replace("slas:\n", "slas: []\n").encode()
    for path, text in replaced.items():
        files[path] = text.encode()
    result = compile_project(files)
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]
    assert result.project is not None
    return result.project


def with_routes(*conditions: str, extra_queues: str = "", extra_routes: str = "") -> Project:
    """Route `r0`, `r1`, … with these conditions (to the queue `triage`), then a fallback."""
    body = "".join(
        f"  - id: r{i}\n    when: {_quoted(c)}\n    assign: {{queue: triage}}\n"
        for i, c in enumerate(conditions)
    )
    body += extra_routes + "  - id: fallback\n    assign: {queue: triage}\n"
    head = _ROUTING_HEAD.replace("teams:\n", extra_queues + "teams:\n")
    return compiled({ROUTING_FILE: head + body})


def with_sla(sla_yaml: str) -> Project:
    """The example's routing and one SLA, written as YAML list items under `slas:`."""
    files = read_files(ROOT)
    routing = files[ROUTING_FILE].decode()
    return compiled({ROUTING_FILE: routing, SLA_FILE: _SLAS_HEAD + sla_yaml})


Items = list[tuple[str, str, str | None]]


def _translated(condition: str) -> Criteria | Formula:
    project = with_routes(condition)
    route = project.routing.routes[0] if project.routing else None
    assert route is not None
    assert route.when is not None
    return translate(route.when.expr, project)


def _items(condition: str) -> tuple[Items, str | None]:
    found = _translated(condition)
    assert isinstance(found, Criteria), found
    return [(i.field, i.operation, i.value) for i in found.items], found.boolean_filter


def _formula(condition: str) -> str:
    found = _translated(condition)
    assert isinstance(found, Formula), found
    return found.text


EMPLOYEES = "Lead.NumberOfEmployees"


@pytest.mark.parametrize(
    ("condition", "items"),
    [
        # A blank number is zero to criteria: `>= 1000` is false on it, as in Accord.
        ("employees >= 1000", [(EMPLOYEES, "greaterOrEqual", "1000")]),
        # ... but `< 50` would hold on it, so a guard item excludes blanks.
        ("employees < 50", [(EMPLOYEES, "notEqual", None), (EMPLOYEES, "lessThan", "50")]),
        # The lower bound is already false on a blank: no guard needed.
        (
            "200 <= employees < 1000",
            [(EMPLOYEES, "greaterOrEqual", "200"), (EMPLOYEES, "lessThan", "1000")],
        ),
        # `not (x >= 200)` holds for a missing x in Accord, and `lessThan 200` on a blank.
        ("not (employees >= 200)", [(EMPLOYEES, "lessThan", "200")]),
        (
            'region != "AMER"',
            [("Lead.Region__c", "notEqual", None), ("Lead.Region__c", "notEqual", "AMER")],
        ),
        ('region in ["AMER", "EMEA"]', [("Lead.Region__c", "equals", "AMER,EMEA")]),
        (
            'region not in ["AMER", "EMEA"]',
            [("Lead.Region__c", "notEqual", None), ("Lead.Region__c", "notEqual", "AMER,EMEA")],
        ),
        ("is_customer == true", [("Lead.Is_Customer__c", "equals", "True")]),
        ("not existing_customer", [("Lead.Is_Customer__c", "equals", "False")]),
        ("not is_null(account_owner)", [("Lead.Matched_Account_Owner__c", "notEqual", None)]),
        (
            'stage == "disqualified" and grade == "A"',
            [
                ("Lead.Accord_Stage__c", "equals", "disqualified"),
                ("Lead.Accord_Grade__c", "equals", "A"),
            ],
        ),
        # A term bound to a stage stands for the stage's condition, on the synced scores.
        (
            "mql",
            [
                ("Lead.Accord_Score__c", "greaterOrEqual", "50"),
                ("Lead.Accord_Fit_Score__c", "greaterOrEqual", "25"),
                ("Lead.Accord_Engagement_Score__c", "greaterOrEqual", "10"),
                ("Lead.Is_Customer__c", "equals", "False"),
            ],
        ),
    ],
)
def test_criteria_items(condition: str, items: Items) -> None:
    assert _items(condition) == (items, None)


def test_or_becomes_filter_logic() -> None:
    assert _items('region == "APAC" and hand_raiser') == (
        [
            ("Lead.Region__c", "equals", "APAC"),
            ("Lead.Demo_Requested__c", "equals", "True"),
            ("Lead.Free_Trial_Started__c", "equals", "True"),
        ],
        "1 AND (2 OR 3)",
    )


def test_not_is_pushed_down_to_complementary_items() -> None:
    # A blank region or employees satisfies the negation, in Accord and in these items.
    assert _items('not (region == "EMEA" or employees >= 10)') == (
        [("Lead.Region__c", "notEqual", "EMEA"), (EMPLOYEES, "lessThan", "10")],
        None,
    )


def test_a_guarded_item_under_or_groups_with_its_guard() -> None:
    assert _items('industry != "Retail" or employees < 10') == (
        [
            ("Lead.Industry", "notEqual", None),
            ("Lead.Industry", "notEqual", "Retail"),
            (EMPLOYEES, "notEqual", None),
            (EMPLOYEES, "lessThan", "10"),
        ],
        "(1 AND 2) OR (3 AND 4)",
    )


@pytest.mark.parametrize(
    ("condition", "formula"),
    [
        # Free text compares case-sensitively in formulas, not in criteria.
        ('country == "US"', 'AND(NOT(ISBLANK(CountryCode)), CountryCode = "US")'),
        (
            'country in ["US", "CA"]',
            'AND(NOT(ISBLANK(CountryCode)), OR(CountryCode = "US", CountryCode = "CA"))',
        ),
        (
            'country not in ["US", "CA"]',
            'AND(NOT(ISBLANK(CountryCode)), NOT(OR(CountryCode = "US", CountryCode = "CA")))',
        ),
        ("is_null(employees)", "ISBLANK(NumberOfEmployees)"),
        (
            "days_since(last_activity_at) <= 7",
            "AND(NOT(ISBLANK(Last_Engagement_At__c)), (NOW() - Last_Engagement_At__c) <= 7)",
        ),
        (
            "employees / annual_revenue > 0.5",
            "AND(NOT(ISBLANK(NumberOfEmployees)), NOT(ISBLANK(AnnualRevenue)),"
            " AnnualRevenue <> 0, (NumberOfEmployees / AnnualRevenue) > 0.5)",
        ),
        ("coalesce(employees, 0) < 10", "BLANKVALUE(NumberOfEmployees, 0) < 10"),
        ('lower(job_title) == "cto"', 'AND(NOT(ISBLANK(Title)), LOWER(Title) = "cto")'),
        (
            'startswith(website, "https://") or endswith(email, ".edu")',
            'OR(AND(NOT(ISBLANK(Website)), BEGINS(Website, "https://")),'
            ' AND(NOT(ISBLANK(Email)), RIGHT(Email, LEN(".edu")) = ".edu"))',
        ),
        (
            'contains(company, "\\"Inc\\"")',
            'AND(NOT(ISBLANK(Company)), CONTAINS(Company, "\\"Inc\\""))',
        ),
        # A guard cannot be negated in criteria, so this one is a formula.
        (
            'not (region == "EMEA" or employees < 10)',
            'NOT(OR(ISPICKVAL(Region__c, "EMEA"),'
            " AND(NOT(ISBLANK(NumberOfEmployees)), NumberOfEmployees < 10)))",
        ),
        (
            'matches(email, "^[^@ ]+@[^@ ]+[.][A-Za-z]{2,}$")',
            "AND(NOT(ISBLANK(Email)), REGEX(Email,"
            ' "[\\\\s\\\\S]*(?:^[^@ ]+@[^@ ]+[.][A-Za-z]{2,}\\\\z)[\\\\s\\\\S]*"))',
        ),
    ],
)
def test_formulas(condition: str, formula: str) -> None:
    assert _formula(condition) == formula


def test_not_over_a_formula_keeps_missing_values_false_inside() -> None:
    # Accord: `not matches(...)` holds for a lead without a title; so must the formula.
    assert _formula('not matches(job_title, "intern")') == (
        'NOT(AND(NOT(ISBLANK(Title)), REGEX(Title, "[\\\\s\\\\S]*(?:intern)[\\\\s\\\\S]*")))'
    )


@pytest.mark.parametrize(
    ("pattern", "java"),
    [
        ("intern", "[\\s\\S]*(?:intern)[\\s\\S]*"),
        ("^a.c$", "[\\s\\S]*(?:^a[^\\n]c\\z)[\\s\\S]*"),
        ("(?i)x\\sy", "[\\s\\S]*(?:(?iu)x[\\t\\n\\f\\r ]y)[\\s\\S]*"),
        ("[.$]", "[\\s\\S]*(?:[.$])[\\s\\S]*"),
        (
            "\\bvp\\b",
            "[\\s\\S]*(?:"
            + "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))vp"
            + "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
            + ")[\\s\\S]*",
        ),
    ],
)
def test_regexes_match_the_whole_text_in_java(pattern: str, java: str) -> None:
    assert java_pattern(pattern) == java


@pytest.mark.parametrize("pattern", ["(?P<x>a)", "a(?i)b", "[[:alpha:]]", "\\Qa.b\\E", "[a&&b]"])
def test_regexes_java_reads_differently_are_refused(pattern: str) -> None:
    with pytest.raises(Untranslatable) as refused:
        java_pattern(pattern)
    assert refused.value.code == "X101"


def test_an_inexpressible_route_is_an_x101_at_its_line() -> None:
    project = with_routes('region == "EMEA"', "personal_email")
    made = export(project, ExportOptions())
    (found,) = [d for d in made.diagnostics if d.code == "X101"]
    assert (found.span.file, found.span.line, found.span.column) == ("rules/routing.yaml", 12, 5)
    assert found.message == (
        "route `r1` is not exported to Salesforce: `domain(…)` has no Salesforce formula"
        " with Accord's meaning"
    )
    assert found.help is not None
    assert "until then, later entries take" in found.help
    (coverage,) = [c for c in made.coverage if c.definition == "route:r1"]
    assert (coverage.carried, coverage.how) == (False, "not exported (X101)")
    rules = made.files["force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"]
    assert rules.count("<ruleEntry>") == 2  # r0 and the fallback


def test_a_field_without_a_salesforce_name_is_an_x102() -> None:
    lead = with_routes("true").lead_model
    assert lead is not None
    project = with_routes('region == "EMEA"')
    unnamed = next(f for f in lead.fields if f.id == "region")
    fields = tuple(replace(f, salesforce=None) if f is unnamed else f for f in lead.fields)
    project = replace(project, lead_model=replace(lead, fields=fields))
    made = export(project, ExportOptions())
    (found,) = [d for d in made.diagnostics if d.code == "X102"]
    assert found.message == (
        "route `r0` is not exported to Salesforce: the lead field `region` has no Salesforce name"
    )
    assert found.help == (
        "add `salesforce: <API name>` to `region` in the lead model; until then, later"
        " entries take the leads this route would have taken"
    )


def test_a_name_salesforce_refuses_is_an_x104() -> None:
    long_queue = "a-queue-name-that-is-far-too-long-for-salesforce"
    project = with_routes(
        extra_queues=f"  {long_queue}: {{name: Long, calendar: amer}}\n",
        extra_routes=f"  - id: r_long\n    assign: {{queue: {long_queue}}}\n",
    )
    made = export(project, ExportOptions())
    (found,) = [d for d in made.diagnostics if d.code == "X104"]
    assert (found.span.file, found.span.line) == ("rules/routing.yaml", 6)
    assert found.message == (
        f"`{long_queue}` gives the queue name `A_Queue_Name_That_Is_Far_Too_Long_For_Salesforce`,"
        " which Salesforce does not accept (at most 40 characters, letters, digits and single"
        " underscores, starting with a letter)"
    )
    assert not any("A_Queue_Name" in path for path in made.files)
    (route,) = [c for c in made.coverage if c.definition == "route:r_long"]
    assert not route.carried
