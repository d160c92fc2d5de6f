"""Glossary bindings resolve, to a definition that decides where the term must (in a
condition, or with examples); definitions do not depend on themselves; terms are used only
where everything they depend on is available (a scoring rule may not use a term that
depends on the score)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from engine.checks.references import unknown
from engine.diagnostics import Diagnostic, diagnostic
from engine.expressions.nodes import RefKind, refs
from engine.expressions.scope import ALLOWED, WHY_NOT, Context, Dependency
from engine.ir import Binding, Condition, FieldRole, Project
from engine.span import Span

Node = tuple[str, str]  # ("term" | "stage" | "disqualifier", id)
_ROLES = {
    FieldRole.ATTRIBUTE: Dependency.ATTRIBUTE,
    FieldRole.LIFECYCLE: Dependency.LIFECYCLE,
    FieldRole.OUTCOME: Dependency.OUTCOME,
}
_COMPUTED = {
    RefKind.GROUP: Dependency.SCORE,
    RefKind.SCORE: Dependency.SCORE,
    RefKind.GRADE: Dependency.GRADE,
    RefKind.STAGE: Dependency.STAGE,
}
_PREDICATES = ("stage", "disqualifier")


@dataclass
class _Graph:
    edges: dict[Node, list[tuple[Node, Span]]]
    direct: dict[Node, dict[Dependency, str]]  # what a node uses itself, with the name it uses
    documentation_only: dict[str, str]  # terms bound to a definition that is not a predicate,
    # with that definition's kind


def check(project: Project) -> Iterator[Diagnostic]:
    graph, problems = _graph(project)
    yield from problems
    for term in project.terms:
        if term.examples and term.id in graph.documentation_only:
            assert term.means is not None
            yield diagnostic(
                "E113",
                f"the glossary term `{term.id}` has examples, but it is bound to a"
                f" {graph.documentation_only[term.id]}, which does not decide for a lead",
                term.means.span,
                help="bind it to a stage or a disqualifier, or give it a condition as `means`,"
                " for its examples to run; or remove its examples",
            )
    cyclic: set[Node] = set()
    for component in _cycles(graph):
        cyclic |= set(component)
        yield _cycle_problem(graph, component)
    memo: dict[Node, dict[Dependency, list[str]]] = {}
    for condition, context in _conditions(project):
        for ref in refs(condition.expr):
            if ref.kind is not RefKind.TERM:
                continue
            if ref.name in graph.documentation_only:
                yield diagnostic(
                    "E113",
                    f"the glossary term `{ref.name}` is bound to a definition that is not a condition",
                    ref.span,
                    help="only terms bound to a stage or a disqualifier, or with a condition as `means`, can be used in conditions",
                )
                continue
            node = ("term", ref.name)
            if node in cyclic:
                continue
            uses = _dependencies(graph, node, memo, cyclic)
            # In the order of Dependency, so the most basic reason comes first.
            blocked = [d for d in Dependency if d in uses and d not in ALLOWED[context]]
            if blocked:
                first = blocked[0]
                reasons = " and the ".join(d.value for d in blocked)
                yield diagnostic(
                    "E110",
                    f"a {context} may not use the term `{ref.name}`: it depends on the {reasons}",
                    ref.span,
                    help=f"{' → '.join(uses[first])}; {WHY_NOT[first]}",
                )


def _conditions(project: Project) -> Iterator[tuple[Condition, Context]]:
    if project.score_model:
        yield from ((rule.when, Context.RULE) for rule in project.score_model.rules)
    if project.qualification:
        q = project.qualification
        yield from ((g.when, Context.GRADE) for g in q.grades)
        yield from ((d.when, Context.DISQUALIFIER) for d in q.disqualifiers)
        yield from ((s.when, Context.STAGE) for s in q.stages)
    if project.routing:
        yield from ((r.when, Context.ROUTE) for r in project.routing.routes if r.when)
    yield from ((s.applies_to, Context.SLA) for s in project.slas)
    yield from ((c.of, Context.COMMITMENT) for c in project.commitments if c.of)


def _definitions_by_file(project: Project) -> dict[str, dict[str, str]]:
    """file → id → kind of every definition a term may be bound to."""
    found: dict[str, dict[str, str]] = {}

    def add(kind: str, name: str, span: Span) -> None:
        found.setdefault(span.file, {}).setdefault(name, kind)

    q = project.qualification
    for kind, items in (
        ("stage", q.stages if q else ()),
        ("disqualifier", q.disqualifiers if q else ()),
        ("grade", q.grades if q else ()),
        ("rule", project.score_model.rules if project.score_model else ()),
        ("score group", project.score_model.groups if project.score_model else ()),
        ("route", project.routing.routes if project.routing else ()),
        ("team", project.routing.teams if project.routing else ()),
        ("queue", project.routing.queues if project.routing else ()),
        ("calendar", project.calendars),
        ("SLA", project.slas),
        ("commitment", project.commitments),
        ("field", project.lead_model.fields if project.lead_model else ()),
    ):
        for item in items:
            add(kind, item.id, item.span)
    return found


def _graph(project: Project) -> tuple[_Graph, list[Diagnostic]]:
    graph = _Graph({}, {}, {})
    problems: list[Diagnostic] = []
    definitions = _definitions_by_file(project)
    files = {source.path: source.kind for source in project.sources}

    def add_condition(node: Node, condition: Condition) -> None:
        graph.direct.setdefault(node, {})
        for ref in refs(condition.expr):
            if ref.kind is RefKind.TERM:
                graph.edges.setdefault(node, []).append((("term", ref.name), ref.span))
            elif (
                ref.kind is RefKind.FIELD
                and project.lead_model
                and (field := project.lead_model.field(ref.name))
            ):
                graph.direct[node].setdefault(_ROLES[field.role], f"`{ref.name}`")
            elif ref.kind in _COMPUTED:
                graph.direct[node].setdefault(_COMPUTED[ref.kind], f"`{ref.name}`")

    if project.qualification:
        for stage in project.qualification.stages:
            add_condition(("stage", stage.id), stage.when)
        for disqualifier in project.qualification.disqualifiers:
            add_condition(("disqualifier", disqualifier.id), disqualifier.when)
    for term in project.terms:
        node = ("term", term.id)
        graph.direct.setdefault(node, {})
        if isinstance(term.means, Condition):
            add_condition(node, term.means)
        elif isinstance(term.means, Binding):
            binding = term.means
            if binding.path not in files:
                if not project.incomplete:  # else the file may be one that failed to load
                    problems.append(unknown("definition file", binding.path, binding.span, files))
                continue
            kinds = definitions.get(binding.path, {})
            kind = kinds.get(binding.target)
            if kind is None and not project.complete(files[binding.path]):
                continue
            if kind is None:
                problems.append(
                    unknown(
                        f"definition in {binding.path}",
                        binding.target,
                        binding.span,
                        kinds,
                        plural=f"definitions in {binding.path}",
                    )
                )
            elif kind in _PREDICATES:
                graph.edges.setdefault(node, []).append(((kind, binding.target), binding.span))
            else:
                graph.documentation_only[term.id] = kind
    return graph, problems


def _cycles(graph: _Graph) -> list[list[Node]]:
    """Strongly connected components that form a cycle (Tarjan), each in a stable order."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    found: list[list[Node]] = []

    def visit(node: Node) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in graph.edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            self_loop = any(t == node for t, _ in graph.edges.get(node, []))
            if len(component) > 1 or self_loop:
                found.append(sorted(component))

    for node in sorted(graph.edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _cycle_problem(graph: _Graph, component: list[Node]) -> Diagnostic:
    members = set(component)
    start = next((n for n in component if n[0] == "term"), component[0])
    path = [start]
    span = None
    while True:  # follow edges inside the component until we are back at the start
        target, edge_span = next((t, s) for t, s in graph.edges.get(path[-1], []) if t in members)
        span = span or edge_span
        if target == start:
            break
        if target in path:
            path = path[path.index(target) :]
            break
        path.append(target)
    shown = " → ".join(_label(n) for n in [*path, path[0]])
    return diagnostic(
        "R105",
        f"{_label(start)} depends on itself: {shown}",
        span,
        help="break the circle: define one of them without the other",
    )


def _label(node: Node) -> str:
    kind, name = node
    return f"`{name}`" if kind == "term" else f"{kind} `{name}`"


def _dependencies(
    graph: _Graph, node: Node, memo: dict[Node, dict[Dependency, list[str]]], cyclic: set[Node]
) -> dict[Dependency, list[str]]:
    """Everything `node` depends on, each with a path that shows how."""
    if node in memo:
        return memo[node]
    memo[node] = {}  # guards against cycles that were already reported
    uses: dict[Dependency, list[str]] = {}
    for dependency, name in graph.direct.get(node, {}).items():
        uses[dependency] = [_label(node), name]
    for target, _ in graph.edges.get(node, []):
        if target in cyclic:
            continue
        for dependency, path in _dependencies(graph, target, memo, cyclic).items():
            uses.setdefault(dependency, [_label(node), *path])
    memo[node] = uses
    return uses
