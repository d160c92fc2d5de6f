"""Break the example organisation the way a person would: each break is one clear error
at the right file and line, and no break of any kind raises out of the validator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[1]
FILES = read_files(ROOT)
BOMB = "\n".join(
    ['bomb_a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [
        f"bomb_{n}: &{n} [" + ", ".join([f"*{p}"] * 9) + "]"
        for p, n in zip("abcd", "bcde", strict=True)
    ]
)


def line_of(path: str, text: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th match of `text`."""
    lines = FILES[path].decode().splitlines()
    matches = [i for i, line in enumerate(lines, 1) if text in line]
    return matches[occurrence - 1]


def column_of(path: str, line: int, text: str) -> int:
    return FILES[path].decode().splitlines()[line - 1].index(text) + 1


def edited(path: str, change: Callable[[str], str]) -> list[str]:
    files = dict(FILES)
    files[path] = change(files[path].decode()).encode()
    return [f"{d.code} {d.span}" for d in compile_project(files).diagnostics]


def replace_once(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return change


def test_the_example_is_clean() -> None:
    assert compile_project(FILES).diagnostics == []


def test_deleting_a_required_line() -> None:
    path = "rules/routing.yaml"
    team = line_of(path, "  emea-enterprise:")
    calendar = next(
        n
        for n in range(team, team + 8)
        if "calendar: emea" in FILES[path].decode().splitlines()[n - 1]
    )
    result = edited(
        path,
        lambda t: "\n".join(x for i, x in enumerate(t.splitlines(), 1) if i != calendar) + "\n",
    )
    assert result == [f"S102 {path}:{team}:3"]


def test_mistyped_field_in_a_condition() -> None:
    path = "rules/scoring.yaml"
    line = line_of(path, "when: employees < 50")
    assert edited(path, replace_once("when: employees < 50", "when: employes < 50")) == [
        f"E103 {path}:{line}:{column_of(path, line, 'employees')}"
    ]


def test_mistyped_term_in_a_condition() -> None:
    path = "rules/scoring.yaml"
    line = line_of(path, "when: mid_market")
    assert edited(path, replace_once("when: mid_market\n", "when: midmarket\n")) == [
        f"E103 {path}:{line}:{column_of(path, line, 'mid_market')}"
    ]


def test_text_where_points_go() -> None:
    path = "rules/scoring.yaml"
    line = line_of(path, "points: 15")
    result = edited(path, lambda t: t.replace("points: 15\n", "points: fifteen\n", 1))
    assert result == [f"S103 {path}:{line}:{column_of(path, line, '15')}"]


def test_wrong_indentation() -> None:
    path = "rules/routing.yaml"
    line = line_of(path, "strategy: round_robin")
    result = edited(
        path, lambda t: t.replace("    strategy: round_robin\n", "      strategy: round_robin\n", 1)
    )
    assert result == [f"Y101 {path}:{line}:7"]


def test_duplicate_key() -> None:
    path = "rules/routing.yaml"
    line = line_of(path, "strategy: round_robin")
    result = edited(
        path,
        lambda t: t.replace(
            "    strategy: round_robin\n", "    strategy: round_robin\n    strategy: weighted\n", 1
        ),
    )
    assert result == [f"Y102 {path}:{line + 1}:5"]


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("__import__('os').system('id')", "E102"),
        ("__import__('os')", "E102"),
        ("().__class__", "E102"),
    ],
)
def test_code_in_an_expression_is_refused(expression: str, code: str) -> None:
    path = "rules/qualification.yaml"
    line = line_of(path, "when: fit >= 45")
    assert edited(path, replace_once("when: fit >= 45", f"when: {expression}")) == [
        f"{code} {path}:{line}:11"
    ]


def test_alias_bomb() -> None:
    path = "rules/lead.yaml"
    start = len(FILES[path].decode().splitlines())
    result = edited(path, lambda t: t + BOMB + "\n")
    # The first alias of the last level is where the expansion passes 10,000 values.
    assert result == [f"Y104 {path}:{start + 5}:{len('bomb_e: &e [') + 1}"]


def test_a_term_example_lead_value_is_checked_like_a_rule_test() -> None:
    path = "glossary/segments.yaml"
    files = dict(FILES)
    line = line_of(path, "      - lead: {employees: 999}")
    files[path] = replace_once("{employees: 999}", '{employees: "999"}')(
        files[path].decode()
    ).encode()
    [found] = compile_project(files).diagnostics
    assert (found.code, str(found.span), found.message, found.help) == (
        "R109",
        f"{path}:{line}:{column_of(path, line, '999')}",
        '`employees` is integer, but this is the text "999"',
        "write integer values without quotes",
    )


def test_examples_on_a_term_without_means() -> None:
    path = "glossary/segments.yaml"
    files = dict(FILES)
    files[path] = replace_once(
        "    aliases:\n      sales: [patch, book]\n",
        "    aliases:\n      sales: [patch, book]\n"
        "    examples:\n      - lead: {region: EMEA}\n        is: true\n",
    )(files[path].decode()).encode()
    [found] = compile_project(files).diagnostics
    line = line_of(path, "sales: [patch, book]") + 1
    assert (found.code, str(found.span), found.message, found.help) == (
        "E113",
        f"{path}:{line}:5",
        "the glossary term `territory` has examples but no `means`, so nothing decides"
        " whether it holds for a lead",
        "give the term a `means:` (a condition or a binding), or remove its examples",
    )


SWEEP = [(path, n) for path in sorted(FILES) for n in range(1, FILES[path].count(b"\n") + 1, 7)]


@pytest.mark.parametrize(("path", "number"), SWEEP, ids=[f"{p}:{n}" for p, n in SWEEP])
def test_deleting_any_line_never_crashes_and_points_at_real_lines(path: str, number: int) -> None:
    files = dict(FILES)
    lines = files[path].decode().splitlines(keepends=True)
    files[path] = "".join(lines[: number - 1] + lines[number:]).encode()
    # Many lines (comments, descriptions, optional keys) can go without harm; others break
    # this file, or, like a picklist value, the files that use what the line defined.
    for problem in compile_project(files).diagnostics:
        span = problem.span
        assert span.file in files, problem
        assert 1 <= span.line <= files[span.file].count(b"\n") + 1, problem
        assert span.column >= 1, problem
