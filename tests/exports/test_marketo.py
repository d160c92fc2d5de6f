"""The Marketo export: goldens, Marketo's Swagger specs, the build sheet, and what is not carried."""

from __future__ import annotations

import json

import pytest
from golden_files import check_goldens
from marketo_swagger import body_errors, form_errors, specs_folder
from test_hubspot import with_rules

from engine.export import ExportOptions
from engine.export.conditions import Lexicon, translate
from engine.export.marketo.smart_lists import Filter, SmartList, smart_list
from engine.export.targets import run_export
from engine.ir import Project

MAPI, ASSET = "swagger-mapi.json", "swagger-asset.json"
TOKENS = "/rest/asset/v1/folder/{id}/tokens.json"


@pytest.fixture
def specs() -> None:
    if not (specs_folder() / MAPI).is_file() or not (specs_folder() / ASSET).is_file():
        pytest.skip(f"Marketo's Swagger specs are not in {specs_folder()} (set ACCORD_SPECS)")


def _files(project: Project) -> dict[str, str]:
    return dict(run_export(project, "marketo", ExportOptions()).files)


def test_goldens(northwind: Project, update_goldens: bool) -> None:
    check_goldens("marketo", _files(northwind), update_goldens)


def test_two_runs_give_the_same_bytes(northwind: Project) -> None:
    first, second = _files(northwind), _files(northwind)
    assert first == second
    assert all(t.endswith("\n") and "\r" not in t for t in first.values())


@pytest.mark.usefixtures("specs")
def test_the_lead_fields_match_the_swagger(northwind: Project) -> None:
    body = json.loads(_files(northwind)["fields/create-lead-fields.json"])
    assert body_errors(MAPI, "CreateLeadFieldRequest", body) == []
    assert [(f["name"], f["dataType"]) for f in body["input"]] == [
        ("accord_score", "score"),
        ("accord_fit_score", "score"),
        ("accord_engagement_score", "score"),
        ("accord_grade", "string"),
        ("accord_stage", "string"),
        ("accord_route", "string"),
    ]


@pytest.mark.usefixtures("specs")
def test_every_token_matches_the_operations_parameters(northwind: Project) -> None:
    files = _files(northwind)
    tokens = {n: json.loads(t) for n, t in files.items() if n.startswith("tokens/")}
    assert len(tokens) == len(northwind.score_model.rules) if northwind.score_model else 0
    for name, fields in tokens.items():
        assert form_errors(ASSET, TOKENS, "POST", fields) == [], name
    assert tokens["tokens/student_or_intern.json"] == {
        "folderType": "Program",
        "name": "student_or_intern",
        "type": "score",
        "value": "-25",
    }


@pytest.mark.usefixtures("specs")
def test_broken_payloads_fail_the_swagger(northwind: Project) -> None:
    files = _files(northwind)
    body = json.loads(files["fields/create-lead-fields.json"])
    body["input"][0]["dataType"] = "number"
    assert body_errors(MAPI, "CreateLeadFieldRequest", body) == [
        "$.input[0].dataType: 'number' is not one of ['boolean', 'currency', 'date', 'datetime',"
        " 'email', 'float', 'integer', 'percent', 'phone', 'score', 'string', 'url']"
    ]
    body = json.loads(files["fields/create-lead-fields.json"])
    del body["input"][1]["displayName"]
    assert body_errors(MAPI, "CreateLeadFieldRequest", body) == [
        "$.input[1]: 'displayName' is a required property"
    ]
    token = json.loads(files["tokens/demo_request.json"])
    assert form_errors(ASSET, TOKENS, "POST", {**token, "type": "points"}) == [
        "type: 'points' is not one of"
        " ['date', 'number', 'rich text', 'score', 'sfdc campaign', 'text']"
    ]
    del token["folderType"]
    assert form_errors(ASSET, TOKENS, "POST", {**token, "colour": "red"}) == [
        "colour: not a declared parameter",
        "folderType: required, missing",
    ]


def test_smart_lists_in_marketos_terms(northwind: Project) -> None:
    project = with_rules(
        'not (webinars_attended >= 1 or country in ["RU", "BY"])',
        '50 <= employees < 200 and (demo_requested == true or lead_source == "Webinar")',
    )
    lexicon = Lexicon.of(project)
    rules = project.score_model.rules if project.score_model else ()
    made = [smart_list(translate(r.when.expr, lexicon).criteria) for r in rules[:2]]  # type: ignore[arg-type]
    assert made[0] == SmartList(
        (
            Filter("Webinars_Attended__c", "less than", ("1",)),
            Filter("Webinars_Attended__c", "is empty"),
            Filter("CountryCode", "is not", ("RU", "BY")),
            Filter("CountryCode", "is empty"),
        ),
        made[0].logic,  # type: ignore[union-attr]
    )
    assert isinstance(made[0], SmartList)
    assert made[0].rule == "(1 or 2) and (3 or 4)"
    assert isinstance(made[1], SmartList)
    assert made[1].filters == (
        Filter("NumberOfEmployees", "at least", ("50",)),
        Filter("NumberOfEmployees", "less than", ("200",)),
        Filter("Demo_Requested__c", "is", ("True",)),
        Filter("LeadSource", "is", ("Webinar",)),
    )
    assert made[1].rule == "1 and 2 and (3 or 4)"


def test_what_marketo_cannot_express_is_reported_at_the_rule() -> None:
    project = with_rules(
        'endswith(website, ".io")',
        'matches(job_title, "(?i)cto")',
        "hours_since(last_activity_at) < 1.5",
        'seniority == "VP"',
        edits={"rules/lead.yaml": ("    salesforce: Seniority__c\n", "")},
    )
    export = run_export(project, "marketo", ExportOptions())
    found = [(d.code, f"{d.span.file}:{d.span.line}", d.message) for d in export.diagnostics]
    assert found[:4] == [
        (
            "X101",
            "rules/scoring.yaml:7",
            "Marketo's smart lists cannot express `endswith` (Marketo's text filters have no"
            ' "ends with"), used by rule `r0`',
        ),
        (
            "X101",
            "rules/scoring.yaml:10",
            "Marketo's smart lists cannot express `matches` (a regular expression), used by rule"
            " `r1`",
        ),
        (
            "X101",
            "rules/scoring.yaml:13",
            "Marketo's smart lists cannot express `hours_since(...) < 1.5`, used by rule `r2`",
        ),
        (
            "X102",
            "rules/scoring.yaml:16",
            "Marketo's smart lists cannot express field `seniority`, which has no `salesforce:`"
            " name, used by rule `r3`",
        ),
    ]
    sheet = export.files["build-sheet.md"]
    assert "## Not built in Marketo" in sheet
    assert "| rule:r1 | Marketo's smart lists cannot express \\`matches\\`" in sheet
    # Every rule keeps its token, campaign or not: the points are still Marketo's to read.
    assert "tokens/r1.json" in export.files


def test_hostile_text_is_escaped_in_the_build_sheet() -> None:
    hostile = "<script>alert(1)</script> @everyone | [x](https://evil.example) #12"
    project = with_rules(
        "demo_requested == true",
        edits={
            "rules/scoring.yaml": (
                "        points: 1\n",
                f"        points: 1\n        why: {json.dumps(hostile)}\n",
            )
        },
    )
    sheet = _files(project)["build-sheet.md"]
    assert "<script>" not in sheet
    assert "@everyone" not in sheet
    assert "](https" not in sheet
    assert (
        "> &lt;script&gt;alert\\(1\\)&lt;/script&gt; @\u200beveryone \\| \\[x\\]\\(https&#58;//"
        "evil.example\\) \\#\u200b12"
    ) in sheet


def test_a_too_long_rule_id_gets_no_token() -> None:
    long_id = "r" + "x" * 50
    project = with_rules(
        "demo_requested == true",
        edits={"rules/scoring.yaml": ("      - id: r0\n", f"      - id: {long_id}\n")},
    )
    export = run_export(project, "marketo", ExportOptions())
    assert [(d.code, d.message) for d in export.diagnostics if d.code == "X104"] == [
        ("X104", f"rule `{long_id}` is too long a name for a Marketo token (at most 50 characters)")
    ]
    assert f"tokens/{long_id}.json" not in export.files
