"""Conditions as platform filter criteria: tests of one lead value each, in and/or trees.

The HubSpot and Marketo exporters share this step. A checked expression becomes
`Criteria`: glossary terms are expanded (a term bound to a stage or disqualifier reads that
definition's condition), and `not` is pushed down into the tests themselves, since neither
platform's criteria have a general NOT. Each `Criterion` says whether a lead *without* a value
satisfies it (`missing`), which is how docs/evaluation.md's missing-value rules survive the
negation: `not (visits >= 1)` holds for a lead without `visits`, so it becomes
`visits < 1, or no value`, which HubSpot spells `includeObjectsWithNoValueSet: true`.

What no filter platform can express (a regex, `domain`, arithmetic, two lead values
compared with each other) is returned as `Unsupported`, with the node's span; what only
some platforms lack (`endswith` in Marketo, OR in HubSpot's lead scoring) is left to the
exporter, which sees the whole tree.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import singledispatch

from engine.expressions.nodes import (
    And,
    Arithmetic,
    Call,
    Compare,
    Expr,
    ExprType,
    Literal,
    Membership,
    Negate,
    Not,
    Or,
    Ref,
    RefKind,
)
from engine.ir import Binding, Condition, LeadField, Project
from engine.span import Span

Value = str | int | float | bool


class Op(StrEnum):
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not in"
    CONTAINS = "contains"
    NOT_CONTAINS = "not contains"
    STARTS_WITH = "startswith"
    NOT_STARTS_WITH = "not startswith"
    ENDS_WITH = "endswith"
    NOT_ENDS_WITH = "not endswith"
    KNOWN = "is known"
    UNKNOWN = "is unknown"


_OPPOSITE = {
    Op.EQ: Op.NE,
    Op.LT: Op.GE,
    Op.LE: Op.GT,
    Op.IN: Op.NOT_IN,
    Op.CONTAINS: Op.NOT_CONTAINS,
    Op.STARTS_WITH: Op.NOT_STARTS_WITH,
    Op.ENDS_WITH: Op.NOT_ENDS_WITH,
    Op.KNOWN: Op.UNKNOWN,
}
NEGATION: Mapping[Op, Op] = {**_OPPOSITE, **{b: a for a, b in _OPPOSITE.items()}}
# `5 < x` is `x > 5`.
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_TEXT_TESTS = {"contains": Op.CONTAINS, "startswith": Op.STARTS_WITH, "endswith": Op.ENDS_WITH}


class Measure(StrEnum):
    """What of the subject a test reads: its value, or its age against the clock."""

    VALUE = "value"
    DAYS_SINCE = "days_since"
    HOURS_SINCE = "hours_since"


@dataclass(frozen=True)
class Subject:
    """A value of the lead a test reads: a lead field, or Accord's score, a group, grade or stage."""

    kind: RefKind  # FIELD, SCORE, GROUP, GRADE or STAGE
    name: str
    type: ExprType
    field: LeadField | None = None
    measure: Measure = Measure.VALUE

    @property
    def picklist(self) -> bool:
        """Whether the subject takes one of a known set of values (a dropdown on a platform)."""
        if self.kind in (RefKind.GRADE, RefKind.STAGE):
            return True
        return self.field is not None and self.field.values is not None


@dataclass(frozen=True)
class Criterion:
    """One test of one subject; `missing` says whether a lead without a value passes it."""

    subject: Subject
    op: Op
    values: tuple[Value, ...]
    missing: bool
    span: Span = field(compare=False)

    def negated(self) -> Criterion:
        return replace(self, op=NEGATION[self.op], missing=not self.missing)


@dataclass(frozen=True)
class AllOf:
    items: tuple[Criteria, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Criteria, ...]


Criteria = Criterion | AllOf | AnyOf
ALWAYS: Criteria = AllOf(())
NEVER: Criteria = AnyOf(())


@dataclass(frozen=True)
class Unsupported:
    """A part of a condition a platform cannot express, and the X code that says so."""

    what: str  # "`matches` (a regular expression)"
    span: Span
    code: str = "X101"  # X102 when the part is a field without a name on the platform


@dataclass(frozen=True)
class Translation:
    criteria: Criteria | None  # None when any part is unsupported
    problems: tuple[Unsupported, ...]


@dataclass(frozen=True)
class Lexicon:
    """What names in conditions stand for: the lead's fields, and each term's condition."""

    fields: Mapping[str, LeadField]
    terms: Mapping[str, Expr]

    @classmethod
    def of(cls, project: Project) -> Lexicon:
        fields = {f.id: f for f in project.lead_model.fields} if project.lead_model else {}
        q = project.qualification
        # A stage and a disqualifier never share an id (a term binds to one definition).
        bound: dict[str, Condition] = {}
        for disqualifier in q.disqualifiers if q else ():
            bound[disqualifier.id] = disqualifier.when
        for stage in q.stages if q else ():
            bound[stage.id] = stage.when
        terms: dict[str, Expr] = {}
        for term in project.terms:
            if isinstance(term.means, Condition):
                terms[term.id] = term.means.expr
            elif isinstance(term.means, Binding) and term.means.target in bound:
                terms[term.id] = bound[term.means.target].expr
        return cls(fields, terms)


def translate(expr: Expr, lexicon: Lexicon) -> Translation:
    """The criteria a condition holds under, or what in it cannot be expressed."""
    problems: list[Unsupported] = []
    criteria = _criteria(expr, lexicon, problems)
    unique = tuple(dict.fromkeys(problems))
    return Translation(None if unique else criteria, unique)


def negate(criteria: Criteria) -> Criteria:
    """De Morgan down to the tests, each of which negates itself (missing values included)."""
    if isinstance(criteria, Criterion):
        return criteria.negated()
    if isinstance(criteria, AllOf):
        return AnyOf(tuple(negate(c) for c in criteria.items))
    return AllOf(tuple(negate(c) for c in criteria.items))


def clauses(criteria: Criteria, limit: int = 64) -> tuple[tuple[Criterion, ...], ...] | None:
    """The criteria as alternatives of conjunctions (OR of ANDs), or None past `limit` of them.

    `ALWAYS` is one empty conjunction; `NEVER` is no alternative at all. A test repeated in
    a conjunction (two terms sharing a part) is kept once.
    """
    if isinstance(criteria, Criterion):
        return ((criteria,),)
    parts = [clauses(item, limit) for item in criteria.items]
    if any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    if isinstance(criteria, AnyOf):
        found = tuple(clause for part in known for clause in part)
    else:
        size = 1
        for part in known:
            size *= len(part)
        if size > limit:
            return None
        found = tuple(
            tuple(dict.fromkeys(t for clause in combination for t in clause))
            for combination in itertools.product(*known)
        )
    return found if len(found) <= limit else None


def subjects(criteria: Criteria) -> list[Subject]:
    """The subjects tested, in order of first use."""
    if isinstance(criteria, Criterion):
        return [criteria.subject]
    return list(dict.fromkeys(s for item in criteria.items for s in subjects(item)))


def _both(node: AllOf | AnyOf, item: Criteria) -> tuple[Criteria, ...]:
    """`item`'s parts when it is the same kind of node (a and (b and c) is a and b and c)."""
    return item.items if type(item) is type(node) else (item,)


@singledispatch
def _criteria(node: Expr, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    problems.append(Unsupported(_describe(node), node.span))
    return ALWAYS


@_criteria.register
def _literal(node: Literal, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    return ALWAYS if node.value is True else NEVER


@_criteria.register
def _ref(node: Ref, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    if node.kind is RefKind.TERM:
        return _criteria(lexicon.terms[node.name], lexicon, problems)
    # A boolean field used as a condition holds only when it is true.
    return Criterion(_subject(node, lexicon), Op.EQ, (True,), False, node.span)


@_criteria.register
def _and(node: And, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    shell = AllOf(())
    parts = [_criteria(o, lexicon, problems) for o in node.operands]
    return AllOf(tuple(p for part in parts for p in _both(shell, part)))


@_criteria.register
def _or(node: Or, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    shell = AnyOf(())
    parts = [_criteria(o, lexicon, problems) for o in node.operands]
    return AnyOf(tuple(p for part in parts for p in _both(shell, part)))


@_criteria.register
def _not(node: Not, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    return negate(_criteria(node.operand, lexicon, problems))


@_criteria.register
def _compare(node: Compare, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    term = _term_test(node, lexicon, problems)
    if term is not None:
        return term
    left, right = _side(node.left, lexicon), _side(node.right, lexicon)
    if isinstance(left, Subject) and isinstance(right, Subject):
        problems.append(Unsupported("a comparison of two values of the lead", node.span))
        return ALWAYS
    op = node.op
    if isinstance(right, Subject):
        left, right, op = right, left, _MIRRORED[op]
    if not isinstance(left, Subject):
        problems.append(
            left if isinstance(left, Unsupported) else Unsupported(_describe(node), node.span)
        )
        return ALWAYS
    if isinstance(right, Unsupported) or right is None or isinstance(right, Subject):
        problems.append(
            right if isinstance(right, Unsupported) else Unsupported(_describe(node), node.span)
        )
        return ALWAYS
    return Criterion(left, Op(op), (right,), False, node.span)


@_criteria.register
def _membership(node: Membership, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    subject = _side(node.item, lexicon)
    if not isinstance(subject, Subject):
        problems.append(
            subject if isinstance(subject, Unsupported) else Unsupported("a list test", node.span)
        )
        return ALWAYS
    values = tuple(o.value for o in node.options)
    if subject.type is ExprType.STRING:
        return Criterion(subject, Op.NOT_IN if node.negated else Op.IN, values, False, node.span)
    # Platforms take a list of values for text only: a number is one test per value.
    if node.negated:
        return AllOf(tuple(Criterion(subject, Op.NE, (v,), False, node.span) for v in values))
    return AnyOf(tuple(Criterion(subject, Op.EQ, (v,), False, node.span) for v in values))


@_criteria.register
def _call(node: Call, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria:
    args = [_side(a, lexicon) for a in node.args]
    subject = args[0] if args else None
    if node.function == "is_null" and isinstance(subject, Subject):
        return Criterion(subject, Op.UNKNOWN, (), True, node.span)
    if (
        node.function in _TEXT_TESTS
        and isinstance(subject, Subject)
        and subject.measure is Measure.VALUE
        and isinstance(args[1], str)
    ):
        return Criterion(subject, _TEXT_TESTS[node.function], (args[1],), False, node.span)
    unsupported = [a for a in args if isinstance(a, Unsupported)]
    problems.extend(unsupported or [Unsupported(_describe(node), node.span)])
    return ALWAYS


def _term_test(node: Compare, lexicon: Lexicon, problems: list[Unsupported]) -> Criteria | None:
    """`term == true`, `term != false` and the like: the term's criteria, or their negation."""
    for term, other in ((node.left, node.right), (node.right, node.left)):
        if (
            isinstance(term, Ref)
            and term.kind is RefKind.TERM
            and isinstance(other, Literal)
            and isinstance(other.value, bool)
        ):
            criteria = _criteria(term, lexicon, problems)
            holds = (node.op == "==") == other.value
            return criteria if holds else negate(criteria)
    return None


def _subject(node: Ref, lexicon: Lexicon) -> Subject:
    kind = node.kind or RefKind.FIELD
    return Subject(kind, node.name, node.type, lexicon.fields.get(node.name))


def _side(node: Expr, lexicon: Lexicon) -> Subject | Value | Unsupported | None:
    """One side of a test: a subject, a literal value, what cannot be expressed, or None
    (a boolean condition where a value was expected)."""
    match node:
        case Literal(value=value):
            return value
        case Negate(operand=Literal(value=int(value) | float(value))) if not isinstance(
            value, bool
        ):
            return -value
        case Ref(kind=RefKind.TERM):
            return None
        case Ref():
            return _subject(node, lexicon)
        case Call(function="days_since" | "hours_since" as name, args=(Ref() as arg,)) if (
            arg.kind is RefKind.FIELD
        ):
            return replace(_subject(arg, lexicon), type=ExprType.NUMBER, measure=Measure(name))
    return Unsupported(_describe(node), node.span)


_FUNCTIONS = {
    "matches": "`matches` (a regular expression)",
    "domain": "`domain` (the domain of an e-mail address or URL)",
    "lower": "`lower` (text in lower case)",
    "upper": "`upper` (text in upper case)",
    "trim": "`trim` (text without surrounding white space)",
    "length": "`length` (the length of a text)",
    "coalesce": "`coalesce` (the first value present)",
}


def _describe(node: Expr) -> str:
    """What a node is, for a message saying a platform cannot express it."""
    match node:
        case Call(function=name):
            return _FUNCTIONS.get(name, f"`{name}` of a computed value")
        case Arithmetic(op=op):
            return f"arithmetic (`{op}`)"
        case Negate():
            return "arithmetic (unary `-`)"
    return "this kind of condition"
