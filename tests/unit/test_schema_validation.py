"""Schema violations point at the key or value at fault and say what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from engine.loader import load_document
from engine.schema_validation import KIND_SCHEMAS, SCHEMA_DIR, document_kind, validate_document

ROUTING = """\
apiVersion: accord/v1
kind: Routing
owners: [sales]
teams:
  emea:
    calendar: emea
    strategy: rounf_robin
    capacity_per_week: "60"
    members:
      - ana
      - {id: bo, wieght: 2}
      - 5
  Bad Team:
    calendar: x
    strategy: weighted
    members: []
routes:
  - id: named
    assign: {queue: q, team: t}
    whn: true
  - assign: {queue: q}
"""


def report(text: str, path: str = "rules/routing.yaml") -> list[tuple[str, str, str, str | None]]:
    document, problems = load_document(path, text.encode())
    assert document is not None
    assert problems == []
    kind, problems = document_kind(document)
    if kind is not None:
        problems += validate_document(document, kind)
    problems.sort(key=lambda p: (p.span.line, p.span.column))
    return [(p.code, f"{p.span.line}:{p.span.column}", p.message, p.help) for p in problems]


def test_every_violation_at_its_own_position_with_help() -> None:
    assert report(ROUTING) == [
        (
            "S104",
            "7:15",
            "`rounf_robin` is not allowed here in `teams.emea.strategy`",
            "did you mean `round_robin`? the values allowed are `round_robin`, `weighted`, `capacity_aware`",
        ),
        (
            "S103",
            "8:24",
            'expected a whole number, got the text "60" in `teams.emea.capacity_per_week`',
            "write a number without quotes or units; How many new leads the whole team can work in a week.",
        ),
        (
            "S101",
            "11:18",
            "unknown key `wieght` in `teams.emea.members[bo]`",
            "did you mean `weight`?",
        ),
        (
            "S103",
            "12:9",
            "expected a mapping or text, got the number 5 in `teams.emea.members[2]`",
            "A member: a user id, or an object with an `id` and optional `weight` and `capacity_per_week`.",
        ),
        (
            "S105",
            "13:3",
            "`Bad Team` is not a valid name here in `teams`",
            "An id of lower case letters, digits and dashes, starting with a letter (e.g. `emea-enterprise`).",
        ),
        (
            "S106",
            "16:14",
            "`members` is empty in `teams.Bad Team`",
            "The team's members: user ids, or objects with an `id` and optional `weight` and `capacity_per_week`.",
        ),
        (
            "S106",
            "19:13",
            "`assign` takes at most 1 of `queue` and `team` in `routes[named]`",
            "Where a matched lead goes: exactly one of `team`, `queue`, `user` or `owner_field`.",
        ),
        ("S101", "20:5", "unknown key `whn` in `routes[named]`", "did you mean `when`?"),
        (
            "S102",
            "21:5",
            "missing required key `id` in `routes[1]`",
            "add `id:` (The route's id (`route:<id>`).)",
        ),
    ]


def test_missing_key_of_a_mapping_entry_points_at_its_key() -> None:
    text = "apiVersion: accord/v1\nkind: Routing\nowners: [sales]\nteams:\n  emea:\n    strategy: weighted\n    members: [ana]\nroutes:\n  - {id: f, assign: {queue: q}}\n"
    assert [row[:3] for row in report(text)] == [
        ("S102", "5:3", "missing required key `calendar` in `teams.emea`")
    ]


def test_a_number_where_text_goes_says_to_quote_it() -> None:
    text = "apiVersion: accord/v1\nkind: Project\nname: 2026\nowners: [revops]\nparties: {revops: {name: RevOps}}\n"
    assert report(text, "accord.yaml") == [
        (
            "S103",
            "3:7",
            "expected text, got the number 2026 in `name`",
            'quote it to keep it as text: "2026"',
        )
    ]


def test_needs_one_of_for_alternatives_that_are_all_missing() -> None:
    text = (
        "apiVersion: accord/v1\nkind: ServiceLevels\nowners: [sales]\ncommitments:\n"
        "  - {id: c, owner: marketing, measure: count, of: mql, dated_by: mql_at, per: month}\n"
    )
    assert [row[:3] for row in report(text, "slas/x.yaml")] == [
        ("S102", "5:5", "needs one of `at_least` and `at_most` in `commitments[c]`")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind: Routing\n", [("S107", "1:1", "`apiVersion` is missing")]),
        (
            "apiVersion: accord/v2\nkind: Routing\n",
            [("S107", "1:13", "unknown apiVersion `accord/v2`")],
        ),
        ("apiVersion: accord/v1\nkind: Routng\n", [("S107", "2:7", "unknown kind `Routng`")]),
        ("- a\n- b\n", [("S107", "1:1", "a definition file holds a mapping, not a list")]),
    ],
)
def test_kind_and_api_version(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [row[:3] for row in report(text)] == expected


def test_unknown_kind_suggests_the_closest() -> None:
    assert report("apiVersion: accord/v1\nkind: Routng\n")[0][3] == "did you mean `Routing`?"


def test_editor_schema_comment_for_another_kind_is_a_warning() -> None:
    text = "# yaml-language-server: $schema=../schemas/glossary.schema.json\n" + ROUTING
    found = report(text)
    assert found[0] == (
        "S108",
        "1:33",
        "the editor schema comment names `glossary.schema.json`, but this is a Routing",
        "point it at `routing.schema.json` so editors check the right shape",
    )


@pytest.mark.parametrize("name", sorted({*KIND_SCHEMAS.values(), "common.schema.json"}))
def test_schemas_are_valid_strict_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "description" in schema

    def objects(node: object) -> list[dict[str, object]]:
        if isinstance(node, dict):
            found = [node] if node.get("type") == "object" else []
            return found + [o for v in node.values() for o in objects(v)]
        if isinstance(node, list):
            return [o for v in node for o in objects(v)]
        return []

    for obj in objects(schema):
        # Strict: every object either lists its keys (and forbids others) or types its values.
        assert "additionalProperties" in obj, obj.get("description")
        for prop, spec in dict(obj.get("properties", {})).items():  # type: ignore[call-overload]
            assert "description" in spec or "$ref" in spec, f"{name}: {prop} has no description"


def test_every_example_file_names_its_schema_for_editors() -> None:
    root = Path(__file__).resolve().parents[2]
    files = [
        root / "accord.yaml",
        *sorted(root.glob("rules/**/*.yaml")),
        *sorted(root.glob("glossary/**/*.yaml")),
        *sorted(root.glob("slas/**/*.yaml")),
    ]
    assert len(files) >= 8
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), path
