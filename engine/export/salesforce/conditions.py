"""A condition as Salesforce takes it: criteria items when they say exactly the same, else a
formula, else an X101/X102 diagnostic at the definition saying why neither can."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.diagnostics import Diagnostic, diagnostic
from engine.export.salesforce.criteria import Criteria, NotCriteria, criteria
from engine.export.salesforce.formulas import Reader, condition
from engine.export.salesforce.references import Untranslatable
from engine.expressions.nodes import Expr
from engine.ir import Project
from engine.span import Span

# Salesforce's limit on a formula's length, in characters.
# https://help.salesforce.com/s/articleView?id=platform.formula_field_limits.htm
FORMULA_LIMIT = 3900


@dataclass(frozen=True)
class Formula:
    text: str


def rule_entry_field(name: str) -> str:
    """An assignment rule entry's formula names the lead's fields as they are."""
    return name


def flow_field(name: str) -> str:
    """A record-triggered flow's formula names them through the triggering record."""
    return "{!$Record." + name + "}"


def as_formula(expr: Expr, project: Project, field: Callable[[str], str]) -> Formula:
    """The formula, or Untranslatable."""
    text = condition(expr, Reader(project, field))
    if len(text) > FORMULA_LIMIT:
        raise Untranslatable(
            "X101",
            f"the condition's formula is {len(text)} characters, over Salesforce's {FORMULA_LIMIT}",
            "split the condition, or shorten the lists and patterns it uses",
        )
    return Formula(text)


def translate(expr: Expr, project: Project) -> Criteria | Formula:
    """For a rule entry: criteria items if they can, else a formula; or Untranslatable."""
    try:
        return criteria(expr, project)
    except NotCriteria:
        return as_formula(expr, project, rule_entry_field)


def untranslated(what: str, problem: Untranslatable, span: Span, consequence: str) -> Diagnostic:
    """The diagnostic for a definition whose condition Salesforce cannot take."""
    return diagnostic(
        problem.code,
        f"{what} is not exported to Salesforce: {problem.message}",
        span,
        help=f"{problem.help}; {consequence}",
    )
