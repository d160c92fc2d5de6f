"""Criteria as Marketo smart-list filters: numbered rows and the logic that joins them.

Marketo's API cannot author smart lists, so these are written into the build sheet for
ops to enter by hand. Operators are the ones Marketo's smart-list glossary lists per field
type (https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/
core-marketo-concepts/smart-lists-and-static-lists/creating-a-smart-list/
smart-list-filter-operators-glossary): text has "is", "is not", "contains", "not contains",
"starts with", "not starts with", "is empty" and "is not empty" (no "ends with"); numbers
add "less than", "at most", "greater than", "at least"; dates "in past" and "in past
before". Rows are joined with ALL, ANY or advanced filter logic ("1 and (2 or 3)").

Missing values follow the same glossary: "is not" matches anything but the value, a number
"is 0" also matches an empty field, and "in past before" also matches an empty date. So a
test Accord fails for an empty field gets an "is not empty" row beside it where Marketo's
operator could match one, and a test Accord passes for an empty field (a negated test,
docs/evaluation.md) gets an "is empty" alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.export.conditions import (
    AllOf,
    Criteria,
    Criterion,
    Measure,
    Op,
    Subject,
    Unsupported,
    Value,
)
from engine.export.marketo.fields import display_name
from engine.expressions.nodes import ExprType, RefKind

_NUMBER = {
    Op.EQ: "is",
    Op.NE: "is not",
    Op.LT: "less than",
    Op.LE: "at most",
    Op.GT: "greater than",
    Op.GE: "at least",
}
_TEXT = {
    Op.EQ: "is",
    Op.IN: "is",
    Op.NE: "is not",
    Op.NOT_IN: "is not",
    Op.CONTAINS: "contains",
    Op.NOT_CONTAINS: "not contains",
    Op.STARTS_WITH: "starts with",
    Op.NOT_STARTS_WITH: "not starts with",
}
_AGE = {Op.LT: "in past", Op.LE: "in past", Op.GT: "in past before", Op.GE: "in past before"}
_NEGATIVE = {Op.NE, Op.NOT_IN, Op.NOT_CONTAINS, Op.NOT_STARTS_WITH}


@dataclass(frozen=True)
class Filter:
    """One smart-list filter row: a field, an operator and its values."""

    field: str  # as Marketo names it
    operator: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Logic:
    """Rows (by 1-based number) joined with `and` or `or`."""

    join: str  # "and" or "or"
    parts: tuple[int | Logic, ...]


@dataclass(frozen=True)
class SmartList:
    filters: tuple[Filter, ...]
    logic: Logic

    @property
    def rule(self) -> str:
        """Marketo's filter-logic setting: ALL, ANY, or the advanced expression."""
        if all(isinstance(p, int) for p in self.logic.parts):
            return "ALL" if self.logic.join == "and" or len(self.logic.parts) < 2 else "ANY"
        return _render(self.logic, top=True)


def _render(logic: Logic, top: bool = False) -> str:
    text = f" {logic.join} ".join(str(p) if isinstance(p, int) else _render(p) for p in logic.parts)
    return text if top or len(logic.parts) < 2 else f"({text})"


def field_name(subject: Subject) -> str | None:
    """Marketo's field for a subject: Accord's own fields by display name, a lead field by the
    Salesforce field Marketo's CRM sync fills it from (None: the field has no such name)."""
    if subject.kind is RefKind.FIELD:
        return subject.field.salesforce if subject.field else None
    return display_name(subject.kind, subject.name)


def _value(value: Value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _may_match_empty(test: Criterion) -> bool:
    """Whether Marketo's operator for `test` could match a person with an empty field."""
    if test.op in _NEGATIVE:
        return True
    if test.subject.measure is not Measure.VALUE:
        return test.op in (Op.GT, Op.GE)  # "in past before" matches empty dates
    if test.subject.type is ExprType.BOOLEAN:
        return test.values == (False,) if test.op is Op.EQ else True
    if test.subject.type is ExprType.NUMBER and test.values:
        value = test.values[0]
        assert isinstance(value, int | float)
        # An empty number field counts as 0 for "is 0", so any range with 0 in it.
        return {
            Op.EQ: value == 0,
            Op.LT: value > 0,
            Op.LE: value >= 0,
            Op.GT: value < 0,
            Op.GE: value <= 0,
        }.get(test.op, False)
    return False


def _row(test: Criterion, field: str) -> Filter | Unsupported:
    subject, op, values = test.subject, test.op, test.values
    if op is Op.KNOWN:
        return Filter(field, "is not empty")
    if op is Op.UNKNOWN:
        return Filter(field, "is empty")
    if subject.measure is not Measure.VALUE:
        amount, unit = values[0], "days" if subject.measure is Measure.DAYS_SINCE else "hours"
        if op in _AGE and isinstance(amount, int | float) and float(amount).is_integer():
            return Filter(field, _AGE[op], (f"{int(amount)} {unit}",))
        return Unsupported(f"`{subject.measure}(...) {op} {_value(amount)}`", test.span)
    if subject.type is ExprType.BOOLEAN and op in (Op.EQ, Op.NE):
        truth = values[0] if op is Op.EQ else not values[0]
        return Filter(field, "is", (_value(truth),))
    if subject.type is ExprType.NUMBER and op in _NUMBER:
        return Filter(field, _NUMBER[op], tuple(_value(v) for v in values))
    if subject.type is ExprType.STRING and op in _TEXT:
        return Filter(field, _TEXT[op], tuple(_value(v) for v in values))
    if op in (Op.ENDS_WITH, Op.NOT_ENDS_WITH):
        return Unsupported('`endswith` (Marketo\'s text filters have no "ends with")', test.span)
    return Unsupported(f"`{op}` on {subject.type} field `{subject.name}`", test.span)


def smart_list(criteria: Criteria) -> SmartList | list[Unsupported]:
    """The filters of `criteria`, or what Marketo's smart lists cannot express."""
    rows: list[Filter] = []
    problems: list[Unsupported] = []

    def add(row: Filter) -> int:
        rows.append(row)
        return len(rows)

    def build(node: Criteria, present: frozenset[Subject]) -> int | Logic:
        """`present`: subjects a sibling row already requires a value of (no guard needed)."""
        if isinstance(node, Criterion):
            field = field_name(node.subject)
            if field is None:
                what = f"field `{node.subject.name}`, which has no `salesforce:` name"
                problems.append(Unsupported(what, node.span, "X102"))
                return 0
            row = _row(node, field)
            if isinstance(row, Unsupported):
                problems.append(row)
                return 0
            number = add(row)
            if node.missing and node.op is not Op.UNKNOWN:
                return Logic("or", (number, add(Filter(field, "is empty"))))
            if not node.missing and _may_match_empty(node) and node.subject not in present:
                return Logic("and", (number, add(Filter(field, "is not empty"))))
            return number
        join = "and" if isinstance(node, AllOf) else "or"
        if isinstance(node, AllOf):
            present = present | {
                t.subject
                for t in node.items
                if isinstance(t, Criterion)
                and not t.missing
                and t.op is not Op.UNKNOWN
                and not _may_match_empty(t)
            }
        parts: list[int | Logic] = []
        for item in node.items:
            part = build(item, present)
            # (a and b) and c is a and b and c.
            parts += part.parts if isinstance(part, Logic) and part.join == join else [part]
        return Logic(join, tuple(parts))

    top = build(criteria, frozenset())
    if problems:
        return problems
    logic = top if isinstance(top, Logic) else Logic("and", (top,))
    return SmartList(tuple(rows), logic)
