"""The build sheet: how marketing ops wire one cloned smart campaign per scoring rule.

Marketo's REST API creates the lead fields and the score tokens, but cannot author a smart
list or a flow, so the campaigns are built by hand from this page: clone the template
campaign, enter the smart list's triggers and filters, point its Change Score steps at the
rule's token. Every text from the definitions is passed through escape_markdown (no markup,
HTML, links or mentions reach the page); code spans hold only identifiers, which the
schemas restrict to letters, digits and underscores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.export.marketo.fields import SCORE_FIELD, display_name, group_field
from engine.export.marketo.smart_lists import SmartList
from engine.export.marketo.tokens import PATH as TOKENS_PATH
from engine.export.marketo.tokens import reference, score_value
from engine.expressions.nodes import RefKind
from engine.ir import Project, Rule
from engine.render.markdown_escape import escape_markdown

TEMPLATE = "Accord score rule (template)"
_IDENTIFIER = re.compile(r"[A-Za-z0-9_.{}/-]+")


@dataclass(frozen=True)
class Campaign:
    """A rule's smart campaign: its smart list, and the fields whose changes trigger it."""

    rule: Rule
    smart_list: SmartList
    triggers: tuple[str, ...]  # Marketo field names for "Data Value Changes"
    time_based: bool  # reads days_since/hours_since: no data change marks the moment


@dataclass(frozen=True)
class LeftOut:
    definition: str
    span: str  # file:line
    reasons: tuple[str, ...]


def _code(text: str) -> str:
    """An identifier in a code span (ops copy it); other text escaped as plain text."""
    return f"`{text}`" if _IDENTIFIER.fullmatch(text) else escape_markdown(text)


def _cells(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def campaign_name(rule: Rule) -> str:
    return f"Accord · {rule.group} · {rule.id}"


def _campaign(campaign: Campaign) -> list[str]:
    rule = campaign.rule
    lines = [f"#### {escape_markdown(rule.id)} ({score_value(rule.points)})", ""]
    if rule.why:
        lines += ["> " + escape_markdown(rule.why), ""]
    lines += [
        f"- Condition in Accord: {escape_markdown(rule.when.text)}"
        f" ({escape_markdown(f'{rule.span.file}:{rule.span.line}')})",
        f"- Clone **{escape_markdown(TEMPLATE)}** as **{escape_markdown(campaign_name(rule))}**.",
    ]
    if campaign.time_based:
        lines.append(
            "- Schedule it as a **recurring daily batch** campaign: the condition reads the"
            " time since a date, which no data change announces."
        )
    else:
        triggers = ["Person is Created"] + [
            f"Data Value Changes (Attribute: {_code(name)})" for name in campaign.triggers
        ]
        lines.append("- Smart List triggers: " + "; ".join(triggers) + ".")
    smart_list = campaign.smart_list
    if smart_list.filters:
        rule_text = smart_list.rule
        logic = {
            "ALL": "Use ALL filters",
            "ANY": "Use ANY filters",
        }.get(rule_text, f"Use Advanced Filters: {escape_markdown(rule_text)}")
        lines += [
            f"- Smart List filters ({logic}):",
            "",
            _cells("#", "field", "operator", "values"),
            _cells("---", "---", "---", "---"),
        ]
        lines += [
            _cells(
                str(i),
                _code(f.field),
                escape_markdown(f.operator),
                "; ".join(escape_markdown(v) for v in f.values) or "—",
            )
            for i, f in enumerate(smart_list.filters, start=1)
        ]
        lines.append("")
    else:
        lines.append("- Smart List filters: none (every person qualifies).")
    token = reference(rule)
    group = display_name(RefKind.GROUP, rule.group)
    lines += [
        f"- Flow: Change Score (Score Name: {escape_markdown(group)}, Change: `{token}`),"
        f" then Change Score (Score Name: {escape_markdown(display_name(RefKind.SCORE, ''))},"
        f" Change: `{token}`).",
        "",
    ]
    return lines


def render(
    project: Project,
    campaigns: Sequence[Campaign],
    tokens: Sequence[Rule],
    left_out: Sequence[LeftOut],
) -> str:
    lines = [
        f"# Marketo build sheet: {escape_markdown(project.name)}",
        "",
        "Marketo's REST API creates the lead fields and the score tokens of this export (see"
        " `index.json`), but cannot author smart lists or flows. This sheet says how to build"
        " the rest by hand: one smart campaign per scoring rule, cloned from one template, each"
        " changing the score by its rule's token, so that re-weighting a rule is a token edit.",
        "",
        "Lead fields are named by the Salesforce Lead field Marketo's CRM sync fills them from.",
        "",
        "## 1. Lead fields",
        "",
        "`POST /rest/v1/leads/schema/fields.json` with `fields/create-lead-fields.json`"
        f" creates the score fields (`{SCORE_FIELD}` and one per group, of type score) and the"
        " grade, stage and route fields Accord fills.",
        "",
        "## 2. Score tokens",
        "",
        f"In the scoring program, `POST {TOKENS_PATH}` (form-encoded) once per file in `tokens/`:",
        "",
        _cells("token", "value", "group"),
        _cells("---", "---", "---"),
    ]
    lines += [_cells(f"`{reference(r)}`", score_value(r.points), _code(r.group)) for r in tokens]
    lines += [
        "",
        "## 3. The template campaign",
        "",
        f"Create one smart campaign, **{escape_markdown(TEMPLATE)}**, in the scoring program:",
        "",
        "- Smart List: empty (each clone gets its own).",
        "- Flow: two Change Score steps, the group's score field and"
        f" {escape_markdown(display_name(RefKind.SCORE, ''))}, each with Change set to the"
        " rule's token.",
        "- Schedule, Qualification Rules: **each person can run through the flow once**; a"
        " rule adds its points once per lead.",
        "",
        "Change Score adds points when a person first qualifies and never takes them back, so"
        " a lead that stops matching a rule keeps its points; for exact scores, sync the"
        " values `accord score` computes into these fields instead.",
        "",
        "## 4. One campaign per rule",
        "",
    ]
    model = project.score_model
    for group in model.groups if model else ():
        mine = [c for c in campaigns if c.rule.group == group.id]
        if not mine:
            continue
        field = group_field(group.id)
        lines += [f"### Group {escape_markdown(group.id)} (`{field}`)", ""]
        if group.description:
            lines += [escape_markdown(group.description), ""]
        for campaign in mine:
            lines += _campaign(campaign)
    if left_out:
        lines += [
            "## Not built in Marketo",
            "",
            "Marketo cannot carry these (the export report has the same list); keep them"
            " computed by Accord and sync the scores back, or build an equivalent by hand.",
            "",
            _cells("definition", "why", "where"),
            _cells("---", "---", "---"),
        ]
        lines += [
            _cells(
                escape_markdown(item.definition),
                escape_markdown("; ".join(item.reasons)),
                escape_markdown(item.span),
            )
            for item in left_out
        ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
