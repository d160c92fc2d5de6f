"""What every docs page says about a definition: where it is written, who owns it, its tests.

A definition's owners are its file's owners (`owners:` at the top of each YAML file). Its
rule tests are the tests whose expectations name it: a rule in `rules_fired`, a group in
`groups`, a grade, stage, disqualifier or route as the expected one, an SLA in `sla_due`.
A test that merely runs through a definition without naming it is not listed: the page
says what the teams pinned down, not what happened to be exercised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.ir import Project, RuleTest
from engine.render.explanation import number
from engine.span import Span


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # None: shown as plain text (the site has no page for it)


@dataclass(frozen=True)
class TestView:
    id: str
    description: str | None
    where: str
    expects: str  # what the test expects of the definition it is listed under


def where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def one_line(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def owners_of(project: Project, path: str) -> str:
    """`Marketing, Sales`: the parties owning the file at `path`, by name."""
    names = {party.id: party.name for party in project.parties}
    for source in project.sources:
        if source.path == path:
            return ", ".join(names.get(owner.id, owner.id) for owner in source.owners)
    return ""


def _expectations(test: RuleTest) -> Iterator[tuple[str, str, str]]:
    """(kind, id, what is expected) for each definition the test's expectations name."""
    expect = test.expect
    for fired in expect.rules_fired or ():
        yield "rule", fired.value, "expects it to fire"
    for group, points in expect.groups:
        yield "group", group.value, f"expects {group.value} = {number(points.value)}"
    if expect.grade is not None and expect.grade.value is not None:
        yield "grade", expect.grade.value, f"expects grade {expect.grade.value}"
    if expect.stage is not None:
        yield "stage", expect.stage.value, f"expects stage {expect.stage.value}"
    if expect.disqualified_by is not None:
        by = expect.disqualified_by.value
        yield "disqualifier", by, f"expects it disqualified by {by}"
    if expect.route is not None:
        assignee = f" ({expect.assignee.value})" if expect.assignee is not None else ""
        yield "route", expect.route.value, f"expects route {expect.route.value}{assignee}"
    for sla, due in expect.sla_due:
        yield "sla", sla.value, f"expects it due {due.value.isoformat()}Z"


def tests_naming(project: Project, kind: str, id_: str) -> tuple[TestView, ...]:
    """The rule tests whose expectations name this definition, in file order."""
    found = []
    for test in project.tests:
        for named_kind, named_id, expects in _expectations(test):
            if named_kind == kind and named_id == id_:
                found.append(
                    TestView(test.id, one_line(test.description), where(test.span), expects)
                )
                break
    return tuple(found)
