"""Render one lead's Evaluation: text for people, JSON (stable keys) for tools."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from engine.interpreter.trace import Evaluation, GroupResult
from engine.interpreter.values import Value
from engine.ir import Cap, Rule
from engine.span import Span


def number(value: float) -> str:
    """Two decimals at most, no trailing zeros, never `-0`."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _when(value: dt.datetime | None) -> str:
    return "-" if value is None else value.isoformat() + "Z"


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _cap(cap: Cap | None) -> str:
    if cap is None:
        return "no cap"
    low = "" if cap.min is None else str(cap.min)
    high = "" if cap.max is None else str(cap.max)
    return f"cap {low}..{high}"


def _points(points: int) -> str:
    return f"+{points}" if points >= 0 else str(points)


def _group_lines(group: GroupResult) -> list[str]:
    lines = [f"  {group.id}: {number(group.score)}"]
    width = max((len(rule.id) for rule in group.rules_fired), default=0)
    for rule in group.rules_fired:
        lines.append(f"    {_points(rule.points):>4}  {rule.id:<{width}}  {_where(rule.span)}")
    if not group.rules_fired:
        lines.append("    no rule fired")
    steps = f"    = {group.points} points"
    if group.decay is not None:
        applied = group.decay
        decay = applied.decay
        if applied.since is None:
            steps += f" * 0 ({decay.from_field.id} is missing, so nothing counts)"
        else:
            age = number(applied.age_days or 0.0)
            steps += (
                f" * {applied.factor:.4f} ({decay.method.value.replace('_', '-')} {number(decay.days)} days,"
                f" {decay.from_field.id} {age} days old) = {number(group.decayed)}"
            )
    if group.cap is not None:
        clamped = group.score != group.decayed
        steps += f", {_cap(group.cap)}" + (f" → {number(group.score)}" if clamped else "")
    lines.append(steps)
    return lines


def render_explanation_text(evaluation: Evaluation, lead_id: Value) -> str:
    e = evaluation
    lines = [f"lead {lead_id if lead_id is not None else '(no id)'}, as of {_when(e.as_of)}", ""]
    sums = " + ".join(f"{g.id} {number(g.score)}" for g in e.groups) or "no groups"
    capped = f", {_cap(e.total_cap)} → {number(e.score)}" if e.score != e.total else ""
    lines.append(f"score {number(e.score)}   ({sums} = {number(e.total)}{capped})")
    for group in e.groups:
        lines.extend(_group_lines(group))
    lines.append("")
    lines.append(f"grade  {e.grade or '(none holds)'}")
    if e.disqualifiers_held:
        lines.append(f"stage  {e.stage}   (disqualified by {', '.join(e.disqualifiers_held)})")
    else:
        held = ", ".join(e.stages_held) or "none"
        lines.append(f"stage  {e.stage or '(none holds)'}   (stages that hold: {held})")
    lines.append("")
    lines.append(f"route  {e.route.id if e.route else '(none matches)'}")
    for tried in e.routes_tried:
        mark = "→" if tried.matched else "✗"
        note = f"   ({tried.note})" if tried.note else ""
        lines.append(f"  {mark} {tried.route.id:<28} {_where(tried.route.span)}{note}")
    lines.append(f"assignee  {e.assignee or '-'}")
    if e.sla_clocks:
        lines.append("")
        lines.append("SLAs")
        for clock in e.sla_clocks:
            lines.append(
                f"  {clock.sla}: {clock.status.value}; started {_when(clock.start)},"
                f" due {_when(clock.due)}, stopped {_when(clock.stop)}"
                + (f" ({clock.calendar} calendar)" if clock.calendar else "")
            )
    return "\n".join(lines) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "group": rule.group,
        "points": rule.points,
        "file": rule.span.file,
        "line": rule.span.line,
    }


def _cap_json(cap: Cap | None) -> dict[str, Any] | None:
    return None if cap is None else {"min": cap.min, "max": cap.max}


def _json_value(value: Value) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def explanation_json(evaluation: Evaluation, lead_id: Value) -> dict[str, Any]:
    e = evaluation
    groups = {}
    for group in e.groups:
        decay = None
        if group.decay is not None:
            decay = {
                "method": group.decay.decay.method.value,
                "days": group.decay.decay.days,
                "from": group.decay.decay.from_field.id,
                "since": _json_value(group.decay.since),
                "age_days": group.decay.age_days,
                "factor": group.decay.factor,
            }
        groups[group.id] = {
            "points": group.points,
            "decay": decay,
            "decayed": group.decayed,
            "cap": _cap_json(group.cap),
            "score": group.score,
            "rules_fired": [_rule(rule) for rule in group.rules_fired],
        }
    return {
        "lead": _json_value(lead_id),
        "as_of": _json_value(e.as_of),
        "score": e.score,
        "total": e.total,
        "total_cap": _cap_json(e.total_cap),
        "groups": groups,
        "rules_fired": [_rule(rule) for rule in e.rules_fired],
        "grade": e.grade,
        "disqualified_by": e.disqualified_by,
        "disqualifiers_held": list(e.disqualifiers_held),
        "stages_held": list(e.stages_held),
        "stage": e.stage,
        "route": e.route.id if e.route else None,
        "routes_tried": [
            {
                "id": t.route.id,
                "matched": t.matched,
                "note": t.note,
                "file": t.route.span.file,
                "line": t.route.span.line,
            }
            for t in e.routes_tried
        ],
        "assignee": e.assignee,
        "sla": [
            {
                "id": c.sla,
                "status": c.status.value,
                "calendar": c.calendar,
                "start": _json_value(c.start),
                "due": _json_value(c.due),
                "stop": _json_value(c.stop),
            }
            for c in e.sla_clocks
        ],
    }


def render_explanation_json(evaluation: Evaluation, lead_id: Value) -> str:
    return json.dumps(explanation_json(evaluation, lead_id), indent=2, ensure_ascii=False) + "\n"
