"""The scoring query: the whole project as one SELECT over a table of typed leads.

Each step of docs/evaluation.md is one CTE that adds columns to the one before it, so the
generated SQL reads in the same order as the definitions, one commented expression per
rule, grade, stage and route naming its source file and line:

    derived → (conditions on fields) → fired → points → groups → scored → (conditions on
    the score) → graded → (on the grade) → disqualified → staged → (on the stage) → routed
    → assigned → decided → team_order → sequenced → replayed → final SELECT

Glossary terms, stages and disqualifiers are columns computed once, in the first step
where what they read exists (engine/sql/layers.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from engine.expressions.nodes import Expr
from engine.expressions.scope import DISQUALIFIED_STAGE
from engine.ir import (
    AssignmentKind,
    Cap,
    Condition,
    Decay,
    DecayMethod,
    Project,
    Team,
)
from engine.span import Span
from engine.sql import literals
from engine.sql.expressions import (
    MICROSECONDS_PER_DAY,
    Compiler,
    hoistable_calls,
    predicate_calls,
)
from engine.sql.layers import Layered, Phase, TermColumns, column_of_term, layer
from engine.sql.replay import member_sequence

_I = literals.identifier
ROW = "__row"  # the source row number the lead table carries, the last tiebreaker
K = '"$k"'  # a team lead's number in its team's arrival order (in its week, if capacity-aware)
_WEEK_US = 7 * 86_400_000_000
# Monday 1970-01-05 is 4 days after the epoch; a million weeks keep year 1 positive.
_WEEK_OFFSET_US = 1_000_000 * _WEEK_US - 4 * 86_400_000_000


@dataclass(frozen=True)
class Output:
    """A column of the result and what it holds."""

    name: str
    description: str


@dataclass(frozen=True)
class ScoringQuery:
    sql: str
    outputs: tuple[Output, ...]


def _where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _clamp(sql: str, cap: Cap | None) -> str:
    if cap is not None and cap.min is not None:
        sql = f"greatest({sql}, {literals.number(float(cap.min))})"
    if cap is not None and cap.max is not None:
        sql = f"least({sql}, {literals.number(float(cap.max))})"
    return sql


def _decay_factor(decay: Decay, as_of: str) -> str:
    since = _I(decay.from_field.id)
    age_us = f"(epoch_us({as_of}) - epoch_us(CAST({since} AS TIMESTAMP)))"
    age = f"({age_us} / {MICROSECONDS_PER_DAY})"
    days = literals.number(float(decay.days))
    if decay.method is DecayMethod.HALF_LIFE:
        factor = f"pow(0.5e0, {age} / {days})"
    elif decay.method is DecayMethod.LINEAR:
        factor = f"greatest(0.0e0, 1.0e0 - {age} / {days})"
    else:
        factor = f"CASE WHEN {age} <= {days} THEN 1.0e0 ELSE 0.0e0 END"
    return f"CASE WHEN {since} IS NULL THEN 0.0e0 WHEN {age_us} <= 0 THEN 1.0e0 ELSE {factor} END"


class _Builder:
    def __init__(self, project: Project, as_of: literals.Clock) -> None:
        self.project = project
        self.as_of = literals.clock(as_of)[0]
        self.layers = layer(project)
        plain = Compiler(as_of, TermColumns(project))
        expressions = _expressions(project)
        spelled = Counter(plain.value(c) for e in expressions for c in predicate_calls(e))
        calls = sorted(
            {plain.value(c) for e in expressions for c in hoistable_calls(e)}
            | {sql for sql, times in spelled.items() if times > 1}
        )
        self.hoisted = {sql: _I(f"value:{n}") for n, sql in enumerate(calls, 1)}
        self.compiler = Compiler(as_of, TermColumns(project), self.hoisted)

    def hoisted_step(self, source: str) -> tuple[list[str], str]:
        """A CTE computing each hoisted function call once."""
        if not self.hoisted:
            return [], source
        columns = [f"    {sql} AS {column}" for sql, column in self.hoisted.items()]
        return [_step("derived", source, columns)], "derived"

    def condition(self, condition: Condition) -> str:
        return self.compiler.condition(condition.expr)

    def layer_steps(self, phase: Phase, source: str) -> tuple[list[str], str]:
        """The CTEs computing the named conditions of one phase, depth by depth."""
        steps = []
        by_depth: dict[int, list[Layered]] = {}
        for item in self.layers:
            if item.phase == phase:
                by_depth.setdefault(item.depth, []).append(item)
        for depth, items in sorted(by_depth.items()):
            name = f"{phase.name.lower()}_conditions_{depth}"
            columns = [
                f"    {literals.comment(f'{_where(item.condition.span)} {item.node[0]} {item.node[1]}')}\n"
                f"    {self.condition(item.condition)} AS {_I(item.column)}"
                for item in items
            ]
            steps.append(_step(name, source, columns))
            source = name
        return steps, source


def _expressions(project: Project) -> list[Expr]:
    """Every condition of the project's definitions."""
    found = [c.expr for c in (item.condition for item in layer(project))]
    found += [r.when.expr for r in project.score_model.rules] if project.score_model else []
    q = project.qualification
    found += [g.when.expr for g in q.grades] if q else []
    found += [r.when.expr for r in project.routing.routes if r.when] if project.routing else []
    return found


def _step(name: str, source: str, columns: list[str], keep: list[str] | None = None) -> str:
    """A CTE adding `columns` to every column of `source` (or only to those in `keep`)."""
    body = ",\n".join(columns) if columns else '    NULL AS "$none"'
    kept = "*" if keep is None else ", ".join(keep)
    return f"{name} AS (\n  SELECT {kept},\n{body}\n  FROM {source}\n)"


def _member_sql(team: Team, k: str) -> str:
    sequence = member_sequence(team)
    cycle = "[" + ", ".join(literals.string(m) for m in sequence.cycle) + "]"
    pick = f"{cycle}[(({k}) - {len(sequence.prefix)}) % {len(sequence.cycle)} + 1]"
    if not sequence.prefix:
        return pick
    prefix = "[" + ", ".join(literals.string(m) for m in sequence.prefix) + "]"
    return f"CASE WHEN {k} < {len(sequence.prefix)} THEN {prefix}[{k} + 1] ELSE {pick} END"


def compile_scoring_query(
    project: Project,
    as_of: literals.Clock,
    *,
    source: str = "leads",
    rules_fired: bool = False,
    rule_columns: bool = False,
    terms: tuple[str, ...] = (),
    conditions: tuple[tuple[str, Condition], ...] = (),
    row: bool = False,
) -> ScoringQuery:
    """The query over `source` (a table of typed leads with a `__row` column), as of a fixed
    instant or a clock the SQL reads when it runs.

    `rules_fired` adds the comma-separated ids of the rules that fired; `rule_columns` one
    boolean column per rule instead (`rule:<id>`, cheaper to compute and to compare); `terms`
    whether each of these glossary terms holds (`term:<id>`); `conditions` whether each named
    condition holds (`cond:<name>`, e.g. an SLA's applies_to); `row` the source row number
    (to line up the same leads scored by two revisions).
    """
    lead_model = project.lead_model
    assert lead_model is not None
    b = _Builder(project, as_of)
    steps: list[str] = []
    outputs = [Output(lead_model.id_field.id, "the lead's id")]

    hoisted, current = b.hoisted_step(source)
    steps.extend(hoisted)
    layered, current = b.layer_steps(Phase.FIELDS, current)
    steps.extend(layered)
    # fired: one boolean column per rule.
    groups = project.score_model.groups if project.score_model else ()
    fired = []
    for group in groups:
        for rule in group.rules:
            sign = "+" if rule.points >= 0 else ""
            fired.append(
                f"    {literals.comment(f'{_where(rule.span)} {group.id}.{rule.id} ({sign}{rule.points})')}\n"
                f"    {b.condition(rule.when)} AS {_I('rule:' + rule.id)}"
            )
    steps.append(_step("fired", current, fired))

    # points, then groups: decay and caps.
    points = []
    decayed = []
    for group in groups:
        addends = [
            f"CASE WHEN {_I('rule:' + rule.id)} THEN {rule.points} ELSE 0 END"
            for rule in group.rules
        ]
        points.append(f"    ({' + '.join(addends) or '0'}) AS {_I('points:' + group.id)}")
        value = f"CAST({_I('points:' + group.id)} AS DOUBLE)"
        if group.decay is not None:
            value = f"{value} * ({_decay_factor(group.decay, b.as_of)})"
        decayed.append(
            f"    {literals.comment(f'{_where(group.span)} group {group.id}')}\n"
            f"    {_clamp(value, group.cap)} AS {_I(group.id)}"
        )
        outputs.append(Output(group.id, f"the {group.id} group's score"))
    steps.append(_step("points", "fired", points))
    steps.append(_step("groups", "points", decayed))

    total = " + ".join(_I(g.id) for g in groups) or "0.0e0"
    cap = project.score_model.cap if project.score_model else None
    steps.append(_step("scored", "groups", [f"    {_clamp(total, cap)} AS score"]))
    outputs.insert(1, Output("score", "the total score"))
    layered, current = b.layer_steps(Phase.SCORE, "scored")
    steps.extend(layered)

    q = project.qualification
    grade_cases = "".join(
        f"\n      {literals.comment(_where(g.span))}\n      WHEN {b.condition(g.when)} THEN {literals.string(g.id)}"
        for g in (q.grades if q else ())
    )
    grade = f"    CASE{grade_cases}\n    END AS grade" if grade_cases else "    NULL AS grade"
    steps.append(_step("graded", current, [grade]))
    layered, current = b.layer_steps(Phase.GRADE, "graded")
    steps.extend(layered)
    outputs.append(Output("grade", "the first grade whose condition holds"))

    disqualifier_cases = "".join(
        f"\n      WHEN {_I('disqualifier:' + d.id)} THEN {literals.string(d.id)}"
        for d in (q.disqualifiers if q else ())
    )
    disqualified = (
        f'    CASE{disqualifier_cases}\n    END AS "$disqualified_by"'
        if disqualifier_cases
        else '    CAST(NULL AS VARCHAR) AS "$disqualified_by"'
    )
    stage_cases = "".join(
        f"\n      WHEN {_I('stage:' + s.id)} THEN {literals.string(s.id)}"
        for s in reversed(q.stages if q else ())
    )
    steps.append(_step("disqualified", current, [disqualified]))
    stage = (
        f'    CASE\n      WHEN "$disqualified_by" IS NOT NULL THEN {literals.string(DISQUALIFIED_STAGE)}'
        f"{stage_cases}\n    END AS stage"
    )
    steps.append(_step("staged", "disqualified", [stage]))
    outputs.append(Output("stage", "the last stage whose condition holds, or disqualified"))
    outputs.append(Output("disqualified_by", "the first disqualifier that holds"))
    layered, current = b.layer_steps(Phase.STAGE, "staged")
    steps.extend(layered)

    routing = project.routing
    route_cases = []
    assignee_cases = []
    for route in routing.routes if routing else ():
        holds = b.condition(route.when) if route.when else "TRUE"
        assignment = route.assign
        if assignment.kind is AssignmentKind.OWNER_FIELD:
            holds = f"({holds} AND {_I(assignment.target)} IS NOT NULL)"
            assignee = f"'user:' || {_I(assignment.target)}"
        else:
            assignee = literals.string(f"{assignment.kind.value}:{assignment.target}")
        where = f"\n      {literals.comment(f'{_where(route.span)} route {route.id}')}"
        route_cases.append(f"{where}\n      WHEN {holds} THEN {literals.string(route.id)}")
        assignee_cases.append(
            f'\n      WHEN "$route" = {literals.string(route.id)} THEN {assignee}'
        )
    route_sql = (
        f'    CASE{"".join(route_cases)}\n    END AS "$route"'
        if route_cases
        else '    CAST(NULL AS VARCHAR) AS "$route"'
    )
    steps.append(_step("routed", current, [route_sql]))
    assignee_sql = (
        f'    CASE{"".join(assignee_cases)}\n    END AS "$assignee"'
        if assignee_cases
        else '    CAST(NULL AS VARCHAR) AS "$assignee"'
    )
    # Conditions a caller measures (an SLA's applies_to, a commitment's of), beside the
    # decisions: they read fields, terms, score, grade and stage, all known by now.
    measured = [
        f"    {literals.comment(f'{_where(c.span)} {name}')}\n    {b.condition(c)} AS {_I('cond:' + name)}"
        for name, c in conditions
    ]
    steps.append(_step("assigned", "routed", [assignee_sql, *measured]))
    outputs.append(Output("route", "the first route whose condition holds"))
    outputs.append(Output("assignee", "team:, queue: or user: the route assigns to"))

    term_columns = [_I(column_of_term(project, t)) for t in terms]
    kept = [*term_columns, *(_I("cond:" + name) for name, _ in conditions)]
    steps.extend(_replay_steps(project, rules_fired or rule_columns, kept))
    outputs.append(Output("owner", "the user who takes the lead, replaying team strategies"))

    columns = [
        _I(lead_model.id_field.id),
        "score",
        *(_I(g.id) for g in groups),
        "grade",
        "stage",
        '"$disqualified_by" AS disqualified_by',
        '"$route" AS route',
        '"$assignee" AS assignee',
        '"$owner" AS owner',
    ]
    if rules_fired:
        names = ", ".join(
            f"CASE WHEN {_I('rule:' + r.id)} THEN {literals.string(r.id)} END"
            for g in groups
            for r in g.rules
        )
        # concat_ws skips NULLs: the ids of the rules that fired, comma-separated, in order.
        columns.append(f"concat_ws(',', {names}) AS rules_fired" if names else "'' AS rules_fired")
    if rule_columns:
        columns += [_I("rule:" + r.id) for g in groups for r in g.rules]
    columns += [
        f"{column} AS {_I('term:' + t)}" for t, column in zip(terms, term_columns, strict=True)
    ]
    columns += [_I("cond:" + name) for name, _ in conditions]
    if row:
        columns.append(ROW)
    instant = f"{as_of.isoformat()}Z" if isinstance(as_of, dt.datetime) else "the time it runs"
    header = literals.comment(
        f"Accord scoring query for {project.name}, as of {instant}; see docs/evaluation.md"
    )
    sql = (
        f"{header}\nWITH\n"
        + ",\n".join(steps)
        + "\nSELECT\n  "
        + ",\n  ".join(columns)
        + f"\nFROM replayed\nORDER BY {ROW}\n"
    )
    return ScoringQuery(sql, tuple(outputs))


def _decisions(project: Project, with_rules: bool, extra: list[str]) -> list[str]:
    """The columns the last steps read: the decisions kept once for the replay, no more."""
    lead_model = project.lead_model
    assert lead_model is not None
    groups = project.score_model.groups if project.score_model else ()
    owner_fields = {
        r.assign.target
        for r in (project.routing.routes if project.routing else ())
        if r.assign.kind is AssignmentKind.OWNER_FIELD
    }
    arrival = [lead_model.arrival_field.id] if lead_model.arrival_field else []
    fields = sorted({lead_model.id_field.id, *arrival, *owner_fields})
    return [
        *(_I(f) for f in fields),
        ROW,
        "score",
        *(_I(g.id) for g in groups),
        "grade",
        "stage",
        '"$disqualified_by"',
        '"$route"',
        '"$assignee"',
        *(_I("rule:" + r.id) for g in groups for r in g.rules if with_rules),
        *dict.fromkeys(extra),
    ]


def _replay_steps(project: Project, rules_fired: bool, extra: list[str]) -> list[str]:
    """Which member of a team takes each lead, and the owner column for every route kind."""
    lead_model = project.lead_model
    assert lead_model is not None
    routing = project.routing
    routes = routing.routes if routing else ()
    teams = routing.teams if routing else ()
    steps = []
    cases = []
    for route in routes:
        kind, target = route.assign.kind, route.assign.target
        when = f'      WHEN "$route" = {literals.string(route.id)}'
        if kind is AssignmentKind.USER:
            cases.append(f"{when} THEN {literals.string(target)}")
        elif kind is AssignmentKind.OWNER_FIELD:
            cases.append(f"{when} THEN {_I(target)}")
    arrival = lead_model.arrival_field
    source = "assigned"
    if arrival is not None and any(r.assign.kind is AssignmentKind.TEAM for r in routes):
        # Number each team's leads in arrival order (per week for capacity-aware teams).
        at = _I(arrival.id)
        labels = [literals.string(f"team:{t.id}") for t in teams]
        replayed = f'"$assignee" IN ({", ".join(labels)}) AND {at} IS NOT NULL'
        # One integer partition key: the team's number, and for a capacity-aware team the
        # week (since Monday 1970-01-05, offset to stay positive for years 1 to 9999). The
        # dividend is positive, so integer division means the same in every SQL dialect.
        team_number = "".join(
            f" WHEN {label} THEN {n * 10_000_000}" for n, label in enumerate(labels, 1)
        )
        week_number = f"(epoch_us({at}) + {_WEEK_OFFSET_US}) // {_WEEK_US}"
        week = "".join(
            f" WHEN {literals.string(f'team:{t.id}')} THEN {week_number}"
            for t in teams
            if member_sequence(t).weekly
        )
        partition = f'(CASE "$assignee"{team_number} END)' + (
            f' + (CASE "$assignee"{week} ELSE 0 END)' if week else ""
        )
        # The decisions so far are kept (narrowly) once; only team leads are sorted.
        kept = ", ".join(_decisions(project, rules_fired, extra))
        steps.append(f"decided AS MATERIALIZED (\n  SELECT {kept}\n  FROM assigned\n)")
        steps.append(
            "team_order AS (\n"
            f'  SELECT {ROW} AS "$seq_row", row_number() OVER (PARTITION BY {partition}'
            f" ORDER BY {at}, {_I(lead_model.id_field.id)}, {ROW}) - 1 AS {K}\n"
            f"  FROM decided WHERE {replayed}\n)"
        )
        steps.append(
            f"sequenced AS (\n  SELECT decided.*, team_order.{K}\n  FROM decided"
            f' LEFT JOIN team_order ON team_order."$seq_row" = decided.{ROW}\n)'
        )
        source = "sequenced"
        for team in teams:
            label = literals.string(f"team:{team.id}")
            cases.append(
                f'      WHEN "$assignee" = {label} AND {at} IS NOT NULL THEN {_member_sql(team, K)}'
            )
    owner = (
        "    CASE\n" + "\n".join(cases) + '\n    END AS "$owner"'
        if cases
        else '    CAST(NULL AS VARCHAR) AS "$owner"'
    )
    steps.append(_step("replayed", source, [owner]))
    return steps
