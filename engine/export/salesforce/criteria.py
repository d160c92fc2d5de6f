"""A checked condition as assignment-rule criteria items, when items can say exactly the same.

Criteria compare text without regard to case, so only picklists (whose values Salesforce
holds in one spelling), checkboxes and numbers are compared with items; free text goes to a
formula. A blank number is compared as zero, and `not equal` holds for a blank, where
Accord's comparisons with a missing value are false: such an item gets a guard item, `not
equal to <blank>`, ANDed in front. https://help.salesforce.com/s/articleView?id=analytics.filter_operators.htm
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.export.salesforce.accord_fields import OBJECT, Kind
from engine.export.salesforce.formulas import COMPARE, number_literal
from engine.export.salesforce.references import salesforce_field, term_expression
from engine.expressions.nodes import (
    And,
    Call,
    Compare,
    Expr,
    Literal,
    Membership,
    Not,
    Or,
    Ref,
    RefKind,
)
from engine.ir import Project

MAX_ITEMS = 25  # Salesforce's limit of criteria rows per rule entry

_OPERATIONS = {
    "==": "equals",
    "!=": "notEqual",
    "<": "lessThan",
    "<=": "lessOrEqual",
    ">": "greaterThan",
    ">=": "greaterOrEqual",
}
# The item that holds exactly when another does not, blanks included.
_COMPLEMENT = {
    "lessThan": "greaterOrEqual",
    "greaterOrEqual": "lessThan",
    "greaterThan": "lessOrEqual",
    "lessOrEqual": "greaterThan",
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class NotCriteria(Exception):
    """Criteria cannot say it exactly; a formula may."""


@dataclass(frozen=True)
class Item:
    field: str  # `Lead.Industry`
    operation: str
    value: str | None  # None: compared with blank
    kind: Kind


@dataclass(frozen=True)
class All:
    parts: tuple[Tree, ...]


@dataclass(frozen=True)
class Any:
    parts: tuple[Tree, ...]


Tree = Item | All | Any


@dataclass(frozen=True)
class Criteria:
    items: tuple[Item, ...]
    boolean_filter: str | None  # None: every item must hold


def criteria(expr: Expr, project: Project) -> Criteria:
    """The items and filter logic that hold exactly when `expr` does; raises NotCriteria."""
    tree = _without_spare_guards(_tree(expr, project))
    items: list[Item] = []
    logic = _logic(tree, items, top=True)
    if len(items) > MAX_ITEMS:
        raise NotCriteria(f"more than {MAX_ITEMS} items")
    plain = isinstance(tree, Item) or (
        isinstance(tree, All) and all(isinstance(p, Item) for p in tree.parts)
    )
    return Criteria(tuple(items), None if plain else logic)


def _holds_at_zero(item: Item) -> bool:
    operation = {v: k for k, v in _OPERATIONS.items()}[item.operation]
    return item.value is None or COMPARE[operation](0, float(item.value))


def _without_spare_guards(tree: Tree) -> Tree:
    """`200 <= employees < 1000`: the first item is already false on a blank, so the
    second needs no guard of its own."""
    if not isinstance(tree, All):
        return tree
    safe = {
        p.field
        for p in tree.parts
        if isinstance(p, Item) and p.kind is Kind.NUMBER and not _holds_at_zero(p)
    }
    kept = tuple(
        p
        for p in tree.parts
        if not (
            isinstance(p, Item) and p.kind is Kind.NUMBER and p.value is None and p.field in safe
        )
    )
    return kept[0] if len(kept) == 1 else All(kept)


def _logic(tree: Tree, items: list[Item], top: bool = False) -> str:
    if isinstance(tree, Item):
        items.append(tree)
        return str(len(items))
    joiner = " AND " if isinstance(tree, All) else " OR "
    text = joiner.join(_logic(part, items) for part in tree.parts)
    return text if top or len(tree.parts) == 1 else f"({text})"


def _tree(node: Expr, project: Project) -> Tree:
    match node:
        case Literal(value=True):
            return All(())
        case Ref(kind=RefKind.TERM, name=name):
            return _tree(term_expression(project, name), project)
        case Ref():
            field = salesforce_field(project, node)
            if field.kind is not Kind.CHECKBOX:
                raise NotCriteria("not a checkbox")
            return Item(f"{OBJECT}.{field.name}", "equals", "True", field.kind)
        case And(operands=operands):
            return _join(All, [_tree(o, project) for o in operands])
        case Or(operands=operands):
            return _join(Any, [_tree(o, project) for o in operands])
        case Not(operand=operand):
            return _negate(_tree(operand, project))
        case Call(function="is_null", args=(Ref(kind=RefKind.FIELD) as ref,)):
            field = salesforce_field(project, ref)
            if field.kind not in (Kind.TEXT, Kind.PICKLIST):
                raise NotCriteria("blank numbers and dates compare as zero in criteria")
            return Item(f"{OBJECT}.{field.name}", "equals", None, field.kind)
        case Compare():
            return _compare(node, project)
        case Membership():
            return _membership(node, project)
    raise NotCriteria(f"{type(node).__name__} has no criteria item")


def _join(kind: type[All] | type[Any], parts: list[Tree]) -> Tree:
    always = All(())
    if kind is Any and always in parts:
        return always
    flat: list[Tree] = []
    for part in parts:
        if part != always:
            for piece in part.parts if isinstance(part, kind) else (part,):
                if piece not in flat:
                    flat.append(piece)
    if not flat and kind is Any:
        raise NotCriteria("an empty OR")
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _negate(tree: Tree) -> Tree:
    """NOT pushed down to the items (De Morgan), each replaced by its exact complement."""
    match tree:
        case All(parts=parts):
            return _join(Any, [_negate(p) for p in parts])
        case Any(parts=parts):
            return _join(All, [_negate(p) for p in parts])
        case Item(kind=Kind.CHECKBOX, value=value):
            # A checkbox is never blank, so its complement is the other value.
            return Item(tree.field, "equals", "False" if value == "True" else "True", tree.kind)
        case Item(kind=Kind.TEXT | Kind.PICKLIST, value=None, operation=operation):
            # Text is blank or not: `equals <blank>` and `not equal to <blank>` complement.
            flipped = "notEqual" if operation == "equals" else "equals"
            return Item(tree.field, flipped, None, tree.kind)
        case Item(kind=Kind.PICKLIST, operation="equals" | "notEqual" as operation):
            # `equals` is false on a blank and `not equal` true: exact complements.
            flipped = "notEqual" if operation == "equals" else "equals"
            return Item(tree.field, flipped, tree.value, tree.kind)
        case Item(kind=Kind.NUMBER, operation=operation) if operation in _COMPLEMENT:
            # Both compare a blank as zero, so one holds exactly when the other does not.
            return Item(tree.field, _COMPLEMENT[operation], tree.value, tree.kind)
    raise NotCriteria("no complementary item")


def _guard(field: str, kind: Kind) -> Item:
    return Item(field, "notEqual", None, kind)


def _compare(node: Compare, project: Project) -> Tree:
    ref, literal, op = node.left, node.right, node.op
    if isinstance(ref, Literal):
        ref, literal, op = node.right, node.left, _FLIPPED[op]
    if not isinstance(ref, Ref) or not isinstance(literal, Literal) or ref.kind is RefKind.TERM:
        raise NotCriteria("criteria compare a field with a value")
    field = salesforce_field(project, ref)
    name = f"{OBJECT}.{field.name}"
    match field.kind, literal.value:
        case Kind.CHECKBOX, bool(flag):
            holds = flag if op == "==" else not flag
            return Item(name, "equals", "True" if holds else "False", field.kind)
        case Kind.PICKLIST, str(text) if op in ("==", "!=") and text and "," not in text:
            if op == "==":
                return Item(name, "equals", text, field.kind)
            return All((_guard(name, field.kind), Item(name, "notEqual", text, field.kind)))
        case Kind.NUMBER, int() | float() as number if not isinstance(number, bool):
            item = Item(name, _OPERATIONS[op], number_literal(number), field.kind)
            if op == "!=" or COMPARE[op](0, number):
                return All((_guard(name, field.kind), item))
            return item
    raise NotCriteria(f"{field.kind} fields are compared by formula")


def _membership(node: Membership, project: Project) -> Tree:
    if not isinstance(node.item, Ref) or node.item.kind is RefKind.TERM:
        raise NotCriteria("criteria test a field")
    field = salesforce_field(project, node.item)
    values = [o.value for o in node.options]
    if field.kind is not Kind.PICKLIST or not all(
        isinstance(v, str) and v and "," not in v for v in values
    ):
        raise NotCriteria("only picklist values without commas are listed in one item")
    name = f"{OBJECT}.{field.name}"
    # A comma-separated value means "any of these" for equals, "none of these" for not equal.
    listed = ",".join(str(v) for v in values)
    if node.negated:
        return All((_guard(name, field.kind), Item(name, "notEqual", listed, field.kind)))
    return Item(name, "equals", listed, field.kind)
