"""The YAML loader: values, positions, and every trap it refuses."""

from __future__ import annotations

import pytest

from engine.loader import MAX_FILE_BYTES, load_document
from engine.span import Span


def located(text: str) -> tuple[object, list[tuple[str, str, str]]]:
    document, problems = load_document("f.yaml", text.encode())
    data = document.data if document else None
    return data, [(p.code, str(p.span), p.message) for p in problems]


def test_plain_values_and_positions() -> None:
    document, problems = load_document("f.yaml", b"a: 1\nb:\n  - x\n  - 'y z'\nc: {d: true}\n")
    assert problems == []
    assert document is not None
    assert document.data == {"a": 1, "b": ["x", "y z"], "c": {"d": True}}
    assert document.span(("b", 1)) == Span("f.yaml", 4, 5, 4, 10)
    assert document.key_span(("c", "d")) == Span("f.yaml", 5, 5, 5, 6)
    assert document.span(("c", "d")) == Span("f.yaml", 5, 8, 5, 12)


def test_dates_and_times_stay_the_text_that_was_written() -> None:
    data, problems = located("d: 2026-03-02\nt: 2026-03-02T10:00:00Z\n")
    assert problems == []
    assert data == {"d": "2026-03-02", "t": "2026-03-02T10:00:00Z"}


def test_duplicate_key_points_at_the_second_with_a_note_on_the_first() -> None:
    document, problems = load_document("f.yaml", b"a: 1\nb: 2\na: 3\n")
    assert [(p.code, str(p.span), p.message) for p in problems] == [
        ("Y102", "f.yaml:3:1", "duplicate key `a`")
    ]
    assert [(n.message, str(n.span)) for n in problems[0].notes] == [
        ("`a` first defined here", "f.yaml:1:1")
    ]
    assert document is not None
    assert document.data == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: !!python/object/apply:os.system ['ls']\n",
            "YAML tag `!!python/object/apply:os.system` is not allowed in definitions",
        ),
        ("a: !custom 1\n", "YAML tag `!custom` is not allowed in definitions"),
        ("a: !!binary aGVsbG8=\n", "YAML tag `!!binary` is not allowed in definitions"),
    ],
)
def test_tags_are_refused_and_nothing_is_constructed(text: str, message: str) -> None:
    data, problems = located(text)
    assert problems == [("Y103", "f.yaml:1:4", message)]
    assert isinstance(data, dict)
    assert all(isinstance(v, (str, list)) for v in data.values())


def test_explicit_core_tags_are_plain_values() -> None:
    assert located("a: !!str 0755\nb: !!int '7'\n") == ({"a": "0755", "b": 7}, [])


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    data, problems = located("\n".join(levels) + "\n")
    assert data is None
    assert [(code, message) for code, _, message in problems] == [
        ("Y104", "aliases expand to more than 10,000 extra values")
    ]


def test_a_few_aliases_are_fine() -> None:
    data, problems = located("base: &hours {mon-fri: '09:00-17:00'}\nuk: *hours\nus: *hours\n")
    assert problems == []
    assert data == {
        "base": {"mon-fri": "09:00-17:00"},
        "uk": {"mon-fri": "09:00-17:00"},
        "us": {"mon-fri": "09:00-17:00"},
    }


def test_merge_keys_fill_in_what_the_mapping_does_not_say() -> None:
    data, problems = located("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n")
    assert problems == []
    assert data == {"base": {"x": 1, "y": 2}, "c": {"y": 3, "x": 1}}


def test_recursive_alias_is_refused() -> None:
    assert located("a: &a [1, *a]\n") == (
        None,
        [("Y104", "f.yaml:1:4", "an alias refers to a value that contains it")],
    )


@pytest.mark.parametrize(
    ("text", "code", "column", "message"),
    [
        ("country: NO\n", "Y105", 10, "`NO` is read as the boolean false"),
        ("answer: yes\n", "Y105", 9, "`yes` is read as the boolean true"),
        ("close: 17:30\n", "Y106", 8, "`17:30` is read as a base-60 number (1050)"),
        ("zip: 02134\n", "Y106", 6, "`02134` is read as an octal number (1116)"),
    ],
)
def test_yaml_11_readings_are_reported_where_they_happen(
    text: str, code: str, column: int, message: str
) -> None:
    _, problems = located(text)
    assert problems == [(code, f"f.yaml:1:{column}", message)]


def test_quoted_values_and_real_booleans_are_fine() -> None:
    assert located("a: 'NO'\nb: \"17:30\"\nc: true\nd: false\ne: 08:00\n") == (
        {"a": "NO", "b": "17:30", "c": True, "d": False, "e": "08:00"},
        [],
    )


def test_the_boolean_read_from_NO_is_marked_as_coerced() -> None:
    document, _ = load_document("f.yaml", b"holidays: {country: NO}\n")
    assert document is not None
    assert document.coerced == frozenset({("holidays", "country")})


def test_non_string_keys_are_reported() -> None:
    assert located("1: a\non: b\nok: c\n") == (
        {"ok": "c"},
        [
            ("Y109", "f.yaml:1:1", "key `1` is read as the number 1, not text"),
            ("Y105", "f.yaml:2:1", "`on` is read as the boolean true"),
        ],
    )


def test_syntax_error_points_at_the_line_with_a_hint() -> None:
    document, problems = load_document("f.yaml", b"a:\n  b: 1\n c: 2\n")
    assert document is None
    assert [(p.code, str(p.span), p.help) for p in problems] == [
        ("Y101", "f.yaml:3:2", "this line's indentation does not match the lines around it")
    ]


def test_tab_indentation_says_to_use_spaces() -> None:
    _, problems = load_document("f.yaml", b"a:\n\tb: 1\n")
    assert [(p.code, str(p.span), p.help) for p in problems] == [
        (
            "Y101",
            "f.yaml:2:1",
            "YAML does not allow tabs or this character here; indent with spaces",
        )
    ]


def test_invalid_utf8_names_the_byte_and_its_position() -> None:
    document, problems = load_document("f.yaml", b"a: 1\nb: 'caf\xe9'\n")
    assert document is None
    assert [(p.code, str(p.span), p.message) for p in problems] == [
        ("Y107", "f.yaml:2:8", "byte 0xe9 is not valid UTF-8")
    ]


def test_byte_order_mark_is_dropped() -> None:
    assert located("\ufeffa: 1\n") == ({"a": 1}, [])


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("# only a comment\n", "file is empty", "f.yaml:1:1"),
        ("a: 1\n---\nb: 2\n", "file holds more than one YAML document", "f.yaml:2:1"),
    ],
)
def test_one_document_per_file(text: str, message: str, position: str) -> None:
    assert located(text) == (None, [("Y108", position, message)])


def test_deep_nesting_is_refused() -> None:
    data, problems = located("a: " + "[" * 70 + "]" * 70 + "\n")
    assert data is None
    assert [code for code, _, _ in problems] == ["Y101"]


def test_very_deep_nesting_does_not_overflow() -> None:
    data, problems = located("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert data is None
    assert [(code, message) for code, _, message in problems] == [
        ("Y101", "YAML nesting is too deep to read")
    ]


def test_oversized_file_is_refused_before_parsing() -> None:
    document, problems = load_document("f.yaml", b"#" * (MAX_FILE_BYTES + 1))
    assert document is None
    assert [p.code for p in problems] == ["Y110"]


def test_positions_inside_strings_map_back_to_the_file() -> None:
    text = "a: employees >= 5\nb: 'x == \"é\"'\nc: |\n  first\n    second\n"
    document, _ = load_document("f.yaml", text.encode())
    assert document is not None
    assert str(document.position_in_string(("a",), 0, 13, 1)) == "f.yaml:1:17"
    assert str(document.position_in_string(("b",), 0, 5, 3)) == "f.yaml:2:10"
    assert str(document.position_in_string(("c",), 1, 2, 6)) == "f.yaml:5:5"


@pytest.mark.parametrize(
    "text", ["a: " + "[" * 100_000 + "]" * 100_000 + "\n", "- " * 300_000 + "x\n"]
)
def test_nesting_that_would_crash_libyaml_is_an_error_not_a_crash(text: str) -> None:
    assert located(text) == (None, [("Y101", "f.yaml:1:1", "YAML nesting is too deep to read")])


def test_positions_inside_folded_and_multi_line_plain_scalars() -> None:
    text = (
        "when: >-\n"
        "  employees >= 5\n"
        "  and country == 'DE'\n"
        "plain: employees >= 5\n"
        "  and country == 'DE'\n"
        'escaped: "tab\\there"\n'
    )
    document, problems = load_document("f.yaml", text.encode())
    assert problems == []
    assert document is not None
    assert document.data["when"] == "employees >= 5 and country == 'DE'"
    offset = len("employees >= 5 and ")
    assert str(document.position_in_string(("when",), 0, 0, 9)) == "f.yaml:2:3"
    assert str(document.position_in_string(("when",), 0, offset, 7)) == "f.yaml:3:7"
    assert str(document.position_in_string(("plain",), 0, offset, 7)) == "f.yaml:5:7"
    # An escape means characters no longer map one to one: the scalar's start.
    assert str(document.position_in_string(("escaped",), 0, 4, 1)) == "f.yaml:6:10"
