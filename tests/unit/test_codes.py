"""The catalogues in code and their documentation pages agree: codes, functions."""

from __future__ import annotations

import re
from pathlib import Path

from engine.codes import CODES
from engine.expressions.functions import FUNCTIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"


def test_every_code_is_documented_with_its_severity_and_name() -> None:
    rows = re.findall(
        r"^\| ([A-Z]\d{3}) \| (error|warning) \| ([a-z0-9-]+) \|",
        DOC.read_text(encoding="utf-8"),
        re.M,
    )
    assert {code: (severity, name) for code, severity, name in rows} == {
        code: (info.severity, info.name) for code, info in CODES.items()
    }
    assert len(rows) == len(CODES)


def test_codes_are_well_formed_and_names_unique() -> None:
    assert all(re.fullmatch(r"[YSERLX]\d{3}", code) for code in CODES)
    names = [info.name for info in CODES.values()]
    assert len(names) == len(set(names))


def test_the_language_page_lists_exactly_the_allowed_functions() -> None:
    page = (DOC.parent / "language.md").read_text(encoding="utf-8")
    table = page.split("## Functions", 1)[1].split("##", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)\(", table))
    assert documented == set(FUNCTIONS)
