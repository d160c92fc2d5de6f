"""What an expression can see: the names in scope and what each kind of definition may use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from engine.expressions.nodes import ExprType


class Context(StrEnum):
    """The kind of definition an expression belongs to; it decides what the expression may use."""

    RULE = "scoring rule"
    GRADE = "grade"
    DISQUALIFIER = "disqualifier"
    STAGE = "stage"
    ROUTE = "route"
    SLA = "SLA"
    COMMITMENT = "commitment"
    TERM = "glossary term"


class Dependency(StrEnum):
    """What a value is derived from, for the table in docs/language.md."""

    ATTRIBUTE = "attribute field"
    LIFECYCLE = "lifecycle field"
    OUTCOME = "outcome field"
    SCORE = "score"
    GRADE = "grade"
    STAGE = "stage"


_AFTER_SCORING = frozenset(
    {
        Dependency.ATTRIBUTE,
        Dependency.LIFECYCLE,
        Dependency.SCORE,
        Dependency.GRADE,
        Dependency.STAGE,
    }
)

ALLOWED: Mapping[Context, frozenset[Dependency]] = {
    Context.RULE: frozenset({Dependency.ATTRIBUTE}),
    Context.GRADE: frozenset({Dependency.ATTRIBUTE, Dependency.SCORE}),
    Context.DISQUALIFIER: _AFTER_SCORING - {Dependency.STAGE},
    Context.STAGE: _AFTER_SCORING - {Dependency.STAGE},
    Context.ROUTE: _AFTER_SCORING,
    Context.SLA: _AFTER_SCORING,
    Context.COMMITMENT: _AFTER_SCORING,
    # A term may use anything but outcomes; whether a *use* of the term is allowed is decided
    # where it is used, from everything the term depends on.
    Context.TERM: _AFTER_SCORING,
}

WHY_NOT: Mapping[Dependency, str] = {
    Dependency.LIFECYCLE: "it is set by the sales process the score drives",
    Dependency.OUTCOME: "outcomes judge the rules on history; a rule that reads them leaks the answer into the score",
    Dependency.SCORE: "the score is computed from these definitions",
    Dependency.GRADE: "the grade is computed from the score",
    Dependency.STAGE: "the stage is decided from these definitions",
    Dependency.ATTRIBUTE: "",
}

BUILT_INS: Mapping[str, ExprType] = {
    "score": ExprType.NUMBER,
    "grade": ExprType.STRING,
    "stage": ExprType.STRING,
}

DISQUALIFIED_STAGE = "disqualified"


@dataclass(frozen=True)
class FieldSymbol:
    name: str
    type: ExprType
    role: Dependency  # ATTRIBUTE, LIFECYCLE or OUTCOME
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scope:
    """Every name an expression may use, gathered from the project before any is checked."""

    fields: Mapping[str, FieldSymbol]
    terms: Mapping[str, bool]  # term id → whether it has an executable meaning
    groups: frozenset[str]
    grades: tuple[str, ...]
    stages: tuple[str, ...]
    # Kinds of files that could not be read: the names and values they define are unknown,
    # so a name or value missing from the scope may well exist.
    unreadable: frozenset[str] = frozenset()

    def names(self) -> set[str]:
        return {*self.fields, *self.terms, *self.groups, *BUILT_INS}

    @property
    def names_complete(self) -> bool:
        return not self.unreadable & {"LeadModel", "Glossary", "ScoreModel"}

    @property
    def outputs_complete(self) -> bool:
        """Whether every grade and stage id is known."""
        return "Qualification" not in self.unreadable
