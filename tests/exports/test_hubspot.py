"""The HubSpot export: goldens, the request schemas, determinism, and what is not carried."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
from golden_files import check_goldens
from referencing import Registry, Resource

from engine.diagnostics import Diagnostic
from engine.export import ExportOptions
from engine.export.report import REPORT_FILE
from engine.export.targets import run_export
from engine.ir import Project
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "hubspot"
_HEAD = """apiVersion: accord/v1
kind: ScoreModel
owners: [marketing]
groups:
  fit:
    rules:
"""
_TAIL = """  engagement:
    rules:
      - {id: engaged, when: 'demo_requested == true', points: 1}
"""
# The schema each exported file is a request body of, by the file's folder.
_SCHEMA_OF = {
    "property-groups": "property-group.schema.json",
    "properties": "property.schema.json",
    "lead-scoring": "lead-scoring-draft.schema.json",
    "lists": "list.schema.json",
}


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def with_rules(*conditions: str, edits: dict[str, tuple[str, str]] | None = None) -> Project:
    """The example with its score model replaced: group `fit` holds rules r0, r1, … (rule
    `r<i>` written at line 7 + 3i of rules/scoring.yaml), and `edits` replace text in files."""
    files = read_files(ROOT)
    for path in [p for p in files if p.endswith(".tests.yaml")]:
        files.pop(path)
    body = "".join(
        f"      - id: r{i}\n        when: {_quoted(c)}\n        points: {i + 1}\n"
        for i, c in enumerate(conditions)
    )
    files["rules/scoring.yaml"] = (_HEAD + body + _TAIL).encode()
    for path, (old, new) in (edits or {}).items():
        text = files[path].decode()
        assert old in text, f"{old!r} is not in {path}"
        files[path] = text.replace(old, new, 1).encode()
    result = compile_project(files)
    assert result.ok, [str(d.span) + " " + d.message for d in result.diagnostics]
    assert result.project is not None
    return result.project


def _files(project: Project) -> dict[str, str]:
    return dict(run_export(project, "hubspot", ExportOptions()).files)


def _registry() -> Registry[Any]:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def _errors(schema_file: str, body: object) -> list[str]:
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, registry=_registry())
    return sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(body))


def test_goldens(northwind: Project, update_goldens: bool) -> None:
    check_goldens("hubspot", _files(northwind), update_goldens)


def test_two_runs_give_the_same_bytes(northwind: Project) -> None:
    first, second = _files(northwind), _files(northwind)
    assert first == second
    for name, text in first.items():
        assert text.endswith("\n")
        assert "\r" not in text, name


def test_every_request_body_matches_its_schema(northwind: Project) -> None:
    files = _files(northwind)
    bodies = {n: t for n, t in files.items() if n.split("/")[0] in _SCHEMA_OF}
    assert {n.split("/")[0] for n in bodies} == set(_SCHEMA_OF)
    for name, text in bodies.items():
        assert _errors(_SCHEMA_OF[name.split("/")[0]], json.loads(text)) == [], name


def test_the_index_lists_every_request_in_order(northwind: Project) -> None:
    files = _files(northwind)
    index = json.loads(files["index.json"])
    listed = [r["file"] for r in index["requests"]]
    assert sorted(listed) == sorted(n for n in files if n not in ("index.json", REPORT_FILE))
    assert listed[0] == "property-groups/accord.json"
    assert listed.index("lead-scoring/draft.json") < listed.index("lists/lead.json")
    paths = {r["file"].split("/")[0]: r["path"] for r in index["requests"]}
    assert paths == {
        "property-groups": "/crm/v3/properties/contacts/groups",
        "properties": "/crm/v3/properties/contacts",
        "lead-scoring": "/marketing/lead-scoring/2026-09-beta/scores",
        "lists": "/crm/v3/lists",
    }
    draft = json.loads(files["lead-scoring/draft.json"])
    fit = draft["groupConfigs"][0]["ruleConfigurations"]
    positions = [r for r in index["leadScoringRules"] if r["group"] == "fit"]
    assert len(positions) == len(fit)
    assert positions[0] == {"group": "fit", "position": 1, "rule": "enterprise_size"}


def test_a_wrong_property_type_fails_the_schema(northwind: Project) -> None:
    body = json.loads(_files(northwind)["properties/accord_score.json"])
    assert _errors("property.schema.json", body) == []
    body["type"] = "integer"
    assert _errors("property.schema.json", body) == [
        "$.type: 'integer' is not one of"
        " ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']"
    ]


def test_a_missing_required_key_fails_the_schema(northwind: Project) -> None:
    files = _files(northwind)
    draft = json.loads(files["lead-scoring/draft.json"])
    del draft["maxScorePerCategory"]
    assert _errors("lead-scoring-draft.schema.json", draft) == [
        "$: 'maxScorePerCategory' is a required property"
    ]
    stage_list = json.loads(files["lists/mql.json"])
    del stage_list["processingType"]
    assert _errors("list.schema.json", stage_list) == ["$: 'processingType' is a required property"]
    group = json.loads(files["property-groups/accord.json"])
    del group["label"]
    assert _errors("property-group.schema.json", group) == ["$: 'label' is a required property"]


def test_a_wrong_operator_fails_the_schema(northwind: Project) -> None:
    draft = json.loads(_files(northwind)["lead-scoring/draft.json"])
    broken = copy.deepcopy(draft)
    rule = broken["groupConfigs"][0]["ruleConfigurations"][0]
    rule["configuration"]["calculation"]["whereCondition"]["conditions"][0]["operation"][
        "operator"
    ] = "IS_AT_LEAST"
    assert _errors("lead-scoring-draft.schema.json", broken) != []
    broken = copy.deepcopy(draft)
    broken["groupConfigs"][0]["ruleConfigurations"][0]["configuration"]["calculation"][
        "whereCondition"
    ]["operator"] = "OR"
    assert _errors("lead-scoring-draft.schema.json", broken) != []


def test_the_draft_carries_groups_caps_and_decay(northwind: Project) -> None:
    draft = json.loads(_files(northwind)["lead-scoring/draft.json"])
    summary = [
        (
            g["groupName"],
            g["groupCategory"],
            g.get("minValue"),
            g.get("maxValue"),
            g.get("groupDecay"),
            len(g["ruleConfigurations"]),
        )
        for g in draft["groupConfigs"]
    ]
    assert summary == [
        ("fit", "FIT", -40, 60, None, 15),
        (
            "engagement",
            "INTENT",
            -20,
            50,
            {"decayIntervalDays": 30, "percentToDecayPerInterval": 50},
            14,
        ),
    ]
    assert draft["allowedGroupTypes"] == ["FIT", "INTENT"]
    assert draft["maxScorePerCategory"] == 100
    assert draft["objectTypeId"] == "0-1"


def _diagnostics(project: Project) -> list[tuple[str, str, str]]:
    found: list[Diagnostic] = list(run_export(project, "hubspot", ExportOptions()).diagnostics)
    return [(d.code, f"{d.span.file}:{d.span.line}", d.message) for d in found]


def test_what_is_not_carried_is_reported_at_its_definition(northwind: Project) -> None:
    found = _diagnostics(northwind)
    assert found[0] == (
        "X103",
        "rules/scoring.yaml:17",
        "HubSpot cannot carry the cap 0..100 of the total score: it limits each category"
        " (FIT, INTENT) on its own, never their sum",
    )
    assert (
        "X101",
        "rules/scoring.yaml:90",
        "HubSpot lead scoring cannot express `matches` (a regular expression), used by rule"
        " `data_practitioner_title`",
    ) in found
    assert (
        "X103",
        "rules/scoring.yaml:127",
        "HubSpot cannot carry the half_life decay of group `engagement`: it takes a percentage"
        " off per interval since points were earned, not from `last_activity_at`",
    ) in found
    assert [c for c, _, _ in found].count("X101") == 7
    export = run_export(northwind, "hubspot", ExportOptions())
    term = next(d for d in export.diagnostics if "decision_maker_title" in d.message)
    assert [(n.message, str(n.span)) for n in term.notes] == [
        ("used here", "glossary/segments.yaml:122:10")
    ]
    left_out = sorted(c.definition for c in export.coverage if not c.carried)
    assert left_out == [
        "group:engagement",
        "rule:corporate_domain_match",
        "rule:data_practitioner_title",
        "rule:decision_maker_title",
        "rule:personal_email_domain",
        "rule:role_mailbox",
        "rule:student_or_intern",
        "score",
    ]


def test_a_field_without_a_hubspot_name_is_x102() -> None:
    project = with_rules(
        'seniority == "VP"',
        edits={"rules/lead.yaml": ("    hubspot: seniority\n", "")},
    )
    found = _diagnostics(project)
    assert (
        "X102",
        "rules/scoring.yaml:7",
        "HubSpot lead scoring cannot express field `seniority`, which has no `hubspot:`"
        " property name, used by rule `r0`",
    ) in found
    export = run_export(project, "hubspot", ExportOptions())
    x102 = next(d for d in export.diagnostics if d.code == "X102")
    assert x102.help == "add the field's HubSpot internal name (`hubspot:`) to rules/lead.yaml"


def test_or_across_properties_is_not_a_scoring_rule_but_is_a_list_branch() -> None:
    project = with_rules("demo_requested == true or trial_started == true")
    found = _diagnostics(project)
    assert (
        "X101",
        "rules/scoring.yaml:7",
        "HubSpot lead scoring cannot express `or` between tests of different properties, used"
        " by rule `r0`",
    ) in found


def test_strict_makes_the_gaps_errors(northwind: Project) -> None:
    export = run_export(northwind, "hubspot", ExportOptions(), strict=True)
    assert {d.severity.value for d in export.diagnostics} == {"error"}


def test_the_report_lists_what_is_left_out(northwind: Project) -> None:
    report = _files(northwind)[REPORT_FILE]
    assert "| rule:data\\_practitioner\\_title | left out of the draft: uses" in report
