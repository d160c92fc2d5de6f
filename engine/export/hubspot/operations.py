"""One Accord test as a HubSpot property operation, the shape lists and lead scoring share.

The operation types and operators are those of the Lists API filter reference
(https://developers.hubspot.com/docs/api-reference/crm-lists-v3/list-filters) and of the
`Public*PropertyOperation` schemas the Lists v3 and Lead Scoring (beta) OpenAPI specs share
(HubSpot/HubSpot-public-api-spec-collection: PublicApiSpecs/CRM/Lists/Rollouts/144891/v3/
lists.json and PublicApiSpecs/Marketing/Lead Scoring/Rollouts/320952/2026-09-beta/
leadScoring.json). `includeObjectsWithNoValueSet` carries Accord's missing-value rule: it is
true exactly when a lead without a value passes the test (docs/evaluation.md).
"""

from __future__ import annotations

from typing import Any

from engine.export.conditions import Criterion, Measure, Op, Unsupported, Value
from engine.export.hubspot.properties import property_of
from engine.expressions.nodes import ExprType

_NUMBER = {
    Op.EQ: "IS_EQUAL_TO",
    Op.NE: "IS_NOT_EQUAL_TO",
    Op.LT: "IS_LESS_THAN",
    Op.LE: "IS_LESS_THAN_OR_EQUAL_TO",
    Op.GT: "IS_GREATER_THAN",
    Op.GE: "IS_GREATER_THAN_OR_EQUAL_TO",
}
_STRING = {
    Op.EQ: "IS_EQUAL_TO",
    Op.NE: "IS_NOT_EQUAL_TO",
    Op.CONTAINS: "CONTAINS",
    Op.NOT_CONTAINS: "DOES_NOT_CONTAIN",
    Op.STARTS_WITH: "STARTS_WITH",
    Op.ENDS_WITH: "ENDS_WITH",
}
# A list of values for a text property: MULTISTRING's IS_EQUAL_TO holds when the value
# equals any of them (the Lists API's own example filters `firstname` this way).
_MULTISTRING = {Op.IN: "IS_EQUAL_TO", Op.NOT_IN: "IS_NOT_EQUAL_TO"}
_ENUMERATION = {
    Op.EQ: "IS_ANY_OF",
    Op.IN: "IS_ANY_OF",
    Op.NE: "IS_NONE_OF",
    Op.NOT_IN: "IS_NONE_OF",
}
# A rolling window counts whole days back from now; `days_since(x) <= 7` is "less than 7
# days ago" (ROLLING_DATE_RANGE operators, PublicRollingDateRangePropertyOperation).
_ROLLING = {
    Op.LT: "IS_LESS_THAN_X_DAYS_AGO",
    Op.LE: "IS_LESS_THAN_X_DAYS_AGO",
    Op.GT: "IS_MORE_THAN_X_DAYS_AGO",
    Op.GE: "IS_MORE_THAN_X_DAYS_AGO",
}


def operation(test: Criterion) -> dict[str, Any] | Unsupported:
    """The `operation` object of a property filter or a single lead-scoring condition."""
    subject, op, values = test.subject, test.op, test.values
    base: dict[str, Any] = {"includeObjectsWithNoValueSet": test.missing}
    if op in (Op.KNOWN, Op.UNKNOWN):
        operator = "IS_KNOWN" if op is Op.KNOWN else "IS_UNKNOWN"
        return base | {"operationType": "ALL_PROPERTY", "operator": operator}
    if subject.measure is Measure.DAYS_SINCE:
        days = values[0]
        if op in _ROLLING and isinstance(days, int) and not isinstance(days, bool) and days >= 0:
            return base | {
                "numberOfDays": days,
                "operationType": "ROLLING_DATE_RANGE",
                "operator": _ROLLING[op],
                "requiresTimeZoneConversion": False,
            }
        return Unsupported(
            f"`days_since(...) {op} {values[0]}` (HubSpot counts whole days back from now)",
            test.span,
        )
    if subject.measure is Measure.HOURS_SINCE:
        return Unsupported("`hours_since` (HubSpot's rolling dates count whole days)", test.span)
    if subject.type is ExprType.BOOLEAN and op in (Op.EQ, Op.NE):
        operator = "IS_EQUAL_TO" if op is Op.EQ else "IS_NOT_EQUAL_TO"
        return base | {"operationType": "BOOL", "operator": operator, "value": values[0]}
    if subject.type is ExprType.NUMBER and op in _NUMBER:
        return base | {"operationType": "NUMBER", "operator": _NUMBER[op], "value": values[0]}
    if subject.type is ExprType.STRING:
        if subject.picklist and op in _ENUMERATION:
            return base | {
                "operationType": "ENUMERATION",
                "operator": _ENUMERATION[op],
                "values": [_text(v) for v in values],
            }
        if op in _MULTISTRING:
            return base | {
                "operationType": "MULTISTRING",
                "operator": _MULTISTRING[op],
                "values": [_text(v) for v in values],
            }
        if op in _STRING:
            return base | {"operationType": "STRING", "operator": _STRING[op], "value": values[0]}
    return Unsupported(f"`{op}` on {subject.type} field `{subject.name}`", test.span)


def _text(value: Value) -> str:
    return value if isinstance(value, str) else str(value)


def property_test(test: Criterion) -> tuple[str, dict[str, Any]] | list[Unsupported]:
    """The property a test reads and its operation, or why HubSpot cannot take it."""
    name, found = property_of(test.subject, test.span), operation(test)
    if isinstance(name, str) and isinstance(found, dict):
        return name, found
    return [x for x in (name, found) if isinstance(x, Unsupported)]
