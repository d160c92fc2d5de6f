"""The minimal inputs the fuzz tests found crashes or misplaced positions with, kept as tests."""

from __future__ import annotations

import pytest
from fuzz_inputs import EXAMPLE, assert_located

from engine.loader import load_document
from engine.project import compile_project
from engine.render.text import render_text


def codes_at(raw: bytes) -> list[tuple[str, int, int]]:
    _, problems = load_document("rules/lead.yaml", raw)
    assert_located(problems, {"rules/lead.yaml": raw})
    return [(p.code, p.span.line, p.span.column) for p in problems]


def test_a_kind_that_is_a_list_is_an_unknown_kind() -> None:
    # Was: TypeError: unhashable type: 'list' in document_kind.
    files = {"accord.yaml": b"kind: ~\n", "rules/lead.yaml": b"kind: []\n"}
    compiled = compile_project(files)
    assert_located(compiled.diagnostics, files)
    assert any(d.code == "S107" and d.message == "unknown kind `[]`" for d in compiled.diagnostics)


def test_an_explicit_int_tag_on_text_is_a_tag_error() -> None:
    # Was: ValueError: invalid literal for int() with base 10: '~' from PyYAML's constructor.
    assert codes_at(b"kind: !!int ~\n") == [("Y103", 1, 7)]


def test_an_explicit_float_tag_on_text_is_a_tag_error() -> None:
    assert codes_at(b"a: !!float x\n") == [("Y103", 1, 4)]


def test_an_explicit_int_tag_on_quoted_base_60_is_a_tag_error() -> None:
    assert codes_at(b'a: !!int "1:"\n') == [("Y103", 1, 4)]


def test_a_control_character_after_multibyte_text_is_placed_on_it() -> None:
    # Was: column 7, libyaml's byte offset, for the 5th character.
    assert codes_at("a: ࠀ\x1f".encode()) == [("Y101", 1, 5)]


def test_an_error_at_the_end_of_the_stream_stays_on_the_last_line() -> None:
    # Was: line 2 of a one-line file (libyaml's implied final line break).
    assert codes_at(b"{") == [("Y101", 1, 2)]


def test_the_example_with_a_list_kind_still_compiles_to_diagnostics() -> None:
    files = {
        **EXAMPLE,
        "rules/lead.yaml": EXAMPLE["rules/lead.yaml"].replace(
            b"kind: LeadModel", b"kind: [LeadModel]"
        ),
    }
    compiled = compile_project(files)
    assert not compiled.ok
    assert_located(compiled.diagnostics, files)


def test_an_accord_yaml_of_another_kind_is_not_a_clean_project() -> None:
    # Was: no diagnostics, `ok` true, and no project (accord.yaml held the glossary).
    files = dict(EXAMPLE)
    files["accord.yaml"] = files.pop("glossary/lifecycle.yaml")
    compiled = compile_project(files)
    assert compiled.project is None
    assert [(d.code, d.message) for d in compiled.diagnostics if d.code == "R106"] == [
        ("R106", "accord.yaml holds no Project, so the project has no name or parties")
    ]


def test_an_explicit_int_tag_on_nothing_is_a_tag_error() -> None:
    # Was: IndexError: string index out of range, from PyYAML's int constructor.
    assert codes_at(b"kind: !!int \n") == [("Y103", 1, 7)]


def test_a_repeated_list_in_a_unique_list_is_a_schema_error() -> None:
    # Was: TypeError: unhashable type: 'list', building the (unused) maxProperties message.
    files = dict(EXAMPLE)
    files["glossary/lifecycle.yaml"] = files["glossary/lifecycle.yaml"].replace(
        b"owners: [marketing, sales]", b"owners: [[], []]", 1
    )
    compiled = compile_project(files)
    assert_located(compiled.diagnostics, files)
    assert ("S106", "`owners` holds the same item twice") in [
        (d.code, d.message) for d in compiled.diagnostics
    ]


@pytest.mark.parametrize("line_break", ["\r", "\x85", "\u2028", "\u2029", "\r\n", "\n"])
def test_the_excerpt_is_the_line_yaml_counted_whatever_the_line_breaks(line_break: str) -> None:
    # Was: a lone CR, NEL, LS or PS broke lines for YAML's positions but not for the text
    # renderer, which showed no excerpt (or another line's) under the right line number.
    text = line_break.join(["a: 1", "b: [2", "c: 3", ""])
    _, problems = load_document("rules/lead.yaml", text.encode())
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("Y101", 3, 2)]
    shown = render_text(problems, {"rules/lead.yaml": text}, "").splitlines()
    assert shown[1:4] == ["  |", "3 | c: 3", "  |  ^"]
