"""`accord glossary`: finding a term by any of its names, its live meaning, its usages."""

from __future__ import annotations

import json

import pytest
from test_cli import ROOT, run

from engine.glossary import entry, look_up
from engine.ir import Project


@pytest.mark.parametrize(
    ("text", "term", "via", "party"),
    [
        ("mql", "mql", None, None),
        ("MQL", "mql", None, None),
        ("Marketing Qualified Lead", "mql", "Marketing Qualified Lead", None),
        ("hot  LEAD", "mql", "hot lead", "marketing"),  # case and spacing do not matter
        ("inbound lead", "mql", "inbound lead", "sales"),
        ("ENT", "enterprise", "ENT", "sales"),
        ("segment 1", "enterprise", "segment 1", "revops"),
    ],
)
def test_a_term_by_id_name_or_alias(
    northwind: Project, text: str, term: str, via: str | None, party: str | None
) -> None:
    match = look_up(northwind, text)
    assert match is not None
    assert (match.term.id, match.via, match.party) == (term, via, party)


def test_nothing_by_an_unknown_name(northwind: Project) -> None:
    assert look_up(northwind, "unicorn") is None


def test_a_bound_term_means_its_stage(northwind: Project) -> None:
    match = look_up(northwind, "mql")
    assert match is not None
    meaning = entry(northwind, match.term).meaning
    assert meaning.binding == "rules/qualification.yaml#mql"
    assert meaning.bound_to == "stage mql"
    assert (
        meaning.text == "score >= 50 and fit >= 25 and engagement >= 10 and not existing_customer"
    )
    assert meaning.span is not None
    assert (meaning.span.file, meaning.span.line) == ("rules/qualification.yaml", 71)


def test_usages_are_every_definition_that_names_the_term(northwind: Project) -> None:
    # Counted by hand: `mql` as a predicate in rules/qualification.yaml (the sal stage) and
    # slas/handoff.yaml (three SLAs' applies_to, two commitments' of).
    match = look_up(northwind, "mql")
    assert match is not None
    used = [(u.kind, u.id, u.span.file, u.span.line) for u in entry(northwind, match.term).used_by]
    assert used == [
        ("stage", "sal", "rules/qualification.yaml", 73),
        ("sla", "mql_first_touch", "slas/handoff.yaml", 13),
        ("sla", "mql_first_touch_standard", "slas/handoff.yaml", 30),
        ("sla", "mql_acceptance", "slas/handoff.yaml", 42),
        ("commitment", "monthly_mql_volume", "slas/handoff.yaml", 83),
        ("commitment", "monthly_a_grade_mqls", "slas/handoff.yaml", 95),
    ]


def test_inline_terms_and_their_users(northwind: Project) -> None:
    match = look_up(northwind, "enterprise")
    assert match is not None
    found = entry(northwind, match.term)
    assert found.meaning.text == "employees >= 1000"
    assert found.meaning.binding is None
    assert [(u.kind, u.id) for u in found.used_by] == [
        ("rule", "enterprise_size"),
        ("route", "amer_enterprise"),
        ("route", "emea_enterprise"),
    ]


def test_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["glossary", "-C", str(ROOT), "what sales calls it"], capsys)
    assert (code, out) == (1, "")
    assert (
        err
        == "accord: no glossary term is called `what sales calls it`; `accord glossary` lists the terms\n"
    )
    code, out, err = run(["glossary", "-C", str(ROOT), "enterprize"], capsys)
    assert code == 1
    assert err.endswith("did you mean `enterprise`?\n")
    code, out, err = run(["glossary", "-C", str(ROOT), "inbound lead"], capsys)
    assert code == 0, err
    assert (
        out.splitlines()[0] == "“inbound lead” is what sales calls Marketing Qualified Lead (mql)."
    )
    assert "  sales calls it:     inbound lead" in out.splitlines()
    code, out, err = run(["glossary", "-C", str(ROOT), "--format", "json", "ENT"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["id"] == "enterprise"
    assert data["matched"] == {"party": "sales", "text": "ENT"}
    assert data["aliases"] == {"revops": ["segment 1"], "sales": ["ENT", "large account"]}
    assert data["means"]["condition"] == "employees >= 1000"
    code, out, err = run(["glossary", "-C", str(ROOT)], capsys)
    assert code == 0, err
    assert len(out.splitlines()) == len(northwind_terms())


def northwind_terms() -> list[str]:
    from engine.project import compile_project, read_files

    project = compile_project(read_files(ROOT)).project
    assert project is not None
    return [t.id for t in project.terms]
