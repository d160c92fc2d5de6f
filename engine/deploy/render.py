"""A plan as text for people (Terraform-style, summary first) or as JSON for tools."""

from __future__ import annotations

import difflib
import json

from engine.deploy.plan import Action, Change, Plan, plan_to_json

MAX_DIFF_LINES = 40  # a longer diff is cut: the JSON format has every body in full


def summary(plan: Plan) -> str:
    if not plan.changes:
        return f"No changes: {plan.target} matches the definitions."
    counts = (f"{plan.count(a)} to {a.value}" for a in Action)
    return f"Plan: {', '.join(counts)}."


def _diff(change: Change) -> list[str]:
    lines = list(
        difflib.unified_diff(
            (change.before or "").splitlines(),
            (change.after or "").splitlines(),
            "deployed",
            "definitions",
            n=1,
            lineterm="",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"… {more} more line{'s' if more != 1 else ''}"]
    return [f"      {line}" for line in lines]


def render_text(plan: Plan) -> str:
    lines = [summary(plan)]
    if plan.changes:
        lines.append("")
    for change in plan.changes:
        lines.append(f"  {change.action.symbol} {change.kind} {change.name}")
        if change.action is Action.CHANGE:
            lines += _diff(change)
    return "\n".join(lines) + "\n"


def render_json(plan: Plan) -> str:
    """The plan with every field: what `accord plan --out` saves and `--plan` reads."""
    return json.dumps(plan_to_json(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
