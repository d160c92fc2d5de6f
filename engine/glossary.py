"""The glossary as people ask it: find a term by any name, say what it means and where it is used.

"What does sales call an MQL?", "what is a hot lead?", "who uses `enterprise`?": `look_up`
finds a term by its id, its name or any party's alias (ignoring case), and `entry` gathers
what `accord glossary` shows: the live definition (for a bound term, the condition of the
stage or disqualifier it is bound to, so the answer cannot drift from what runs) and every
definition that uses the term as a predicate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.expressions.nodes import RefKind, refs
from engine.ir import Binding, Condition, Project, Term
from engine.span import Span


@dataclass(frozen=True)
class Match:
    term: Term
    via: str | None  # the alias or name that matched, when it was not the id
    party: str | None  # whose alias it is


@dataclass(frozen=True)
class Usage:
    kind: str  # rule, grade, disqualifier, stage, route, sla, commitment, term
    id: str
    span: Span
    condition: str  # the using condition, as written


@dataclass(frozen=True)
class Meaning:
    text: str | None  # the condition that decides, as written; None for a descriptive term
    binding: str | None  # `rules/qualification.yaml#mql` for a bound term
    bound_to: str | None  # "stage mql" for a bound term
    span: Span | None  # where the deciding condition is written


@dataclass(frozen=True)
class Entry:
    term: Term
    meaning: Meaning
    used_by: tuple[Usage, ...]


def look_up(project: Project, text: str) -> Match | None:
    """The term `text` names: by id, then by name, then by any party's alias."""
    wanted = " ".join(text.split()).casefold()
    for term in project.terms:
        if term.id.casefold() == wanted:
            return Match(term, None, None)
    for term in project.terms:
        if term.name.casefold() == wanted:
            return Match(term, term.name, None)
    for term in project.terms:
        for alias in term.aliases:
            if alias.text.casefold() == wanted:
                return Match(term, alias.text, alias.party)
    return None


def names(project: Project) -> list[str]:
    """Everything look_up answers to, for a did-you-mean."""
    found = []
    for term in project.terms:
        found += [term.id, term.name, *(alias.text for alias in term.aliases)]
    return found


def entry(project: Project, term: Term) -> Entry:
    return Entry(term, _meaning(project, term), tuple(_usages(project, term.id)))


def _meaning(project: Project, term: Term) -> Meaning:
    means = term.means
    if isinstance(means, Condition):
        return Meaning(_one_line(means.text), None, None, means.span)
    if isinstance(means, Binding):
        binding = f"{means.path}#{means.target}"
        q = project.qualification
        for kind, items in (
            ("stage", q.stages if q else ()),
            ("disqualifier", q.disqualifiers if q else ()),
        ):
            for item in items:
                if item.id == means.target:
                    return Meaning(
                        _one_line(item.when.text), binding, f"{kind} {item.id}", item.when.span
                    )
        return Meaning(None, binding, None, None)
    return Meaning(None, None, None, None)


def _conditions(project: Project) -> Iterator[tuple[str, str, Span, Condition]]:
    """Every condition of the project, with the kind and id of its definition."""
    if project.score_model:
        for group in project.score_model.groups:
            for rule in group.rules:
                yield "rule", rule.id, rule.span, rule.when
    q = project.qualification
    if q:
        for grade in q.grades:
            yield "grade", grade.id, grade.span, grade.when
        for disqualifier in q.disqualifiers:
            yield "disqualifier", disqualifier.id, disqualifier.span, disqualifier.when
        for stage in q.stages:
            yield "stage", stage.id, stage.span, stage.when
    if project.routing:
        for route in project.routing.routes:
            if route.when is not None:
                yield "route", route.id, route.span, route.when
    for sla in project.slas:
        yield "sla", sla.id, sla.span, sla.applies_to
    for commitment in project.commitments:
        if commitment.of is not None:
            yield "commitment", commitment.id, commitment.span, commitment.of
    for term in project.terms:
        if isinstance(term.means, Condition):
            yield "term", term.id, term.span, term.means


def _usages(project: Project, term_id: str) -> Iterator[Usage]:
    for kind, id_, span, condition in _conditions(project):
        if any(r.kind is RefKind.TERM and r.name == term_id for r in refs(condition.expr)):
            yield Usage(kind, id_, span, _one_line(condition.text))


def _one_line(text: str) -> str:
    return " ".join(text.split())
