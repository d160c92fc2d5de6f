"""Order the project's named conditions so the query computes each one once, as a column.

Glossary terms, stage conditions and disqualifier conditions are used by many other
definitions (MQL by SAL, by SQL, by routes and SLAs). Inlining each use would repeat its
work per use; instead each becomes a column, computed in the first CTE where everything it
reads exists: its *phase* says which computed values it needs (none, the score, the grade,
the stage), its *depth* how many named conditions it builds on within that phase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from engine.expressions.nodes import RefKind, refs
from engine.ir import Binding, Condition, Project
from engine.sql.literals import identifier


class Phase(IntEnum):
    FIELDS = 0  # reads only lead fields
    SCORE = 1  # reads score or group scores
    GRADE = 2  # reads the grade
    STAGE = 3  # reads the stage


_PHASE_OF_REF = {RefKind.GROUP: Phase.SCORE, RefKind.SCORE: Phase.SCORE, RefKind.GRADE: Phase.GRADE}

Node = tuple[str, str]  # ("term" | "stage" | "disqualifier", id)


@dataclass(frozen=True)
class Layered:
    node: Node
    condition: Condition
    phase: Phase
    depth: int

    @property
    def column(self) -> str:
        return f"{self.node[0]}:{self.node[1]}"


def column_of_term(project: Project, term_id: str) -> str:
    """The column a term's value is read from: its own, or its stage's or disqualifier's."""
    term = next(t for t in project.terms if t.id == term_id)
    if isinstance(term.means, Binding):
        q = project.qualification
        is_stage = q is not None and any(s.id == term.means.target for s in q.stages)
        return f"{'stage' if is_stage else 'disqualifier'}:{term.means.target}"
    return f"term:{term_id}"


class TermColumns(dict[str, Callable[[], str]]):
    """term id → the SQL that reads it: its column, computed once per lead (see `layer`)."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def __missing__(self, term_id: str) -> Callable[[], str]:
        return lambda: identifier(column_of_term(self.project, term_id))


def layer(project: Project) -> list[Layered]:
    """Every named condition with its phase and depth, in an order that computes deps first."""
    definitions: dict[Node, Condition] = {}
    q = project.qualification
    for stage in q.stages if q else ():
        definitions[("stage", stage.id)] = stage.when
    for disqualifier in q.disqualifiers if q else ():
        definitions[("disqualifier", disqualifier.id)] = disqualifier.when
    for term in project.terms:
        if isinstance(term.means, Condition):
            definitions[("term", term.id)] = term.means
    found: dict[Node, Layered] = {}

    def visit(node: Node) -> Layered:
        if node in found:
            return found[node]
        condition = definitions[node]
        phase, depth = Phase.FIELDS, 0
        needs: list[Layered] = []
        for ref in refs(condition.expr):
            if ref.kind is RefKind.TERM:
                kind, _, name = column_of_term(project, ref.name).partition(":")
                needs.append(visit((kind, name)))
            elif ref.kind is RefKind.STAGE:
                phase = Phase.STAGE
            elif ref.kind in _PHASE_OF_REF:
                phase = max(phase, _PHASE_OF_REF[ref.kind])
        phase = max([phase, *(n.phase for n in needs)])
        depth = 1 + max((n.depth for n in needs if n.phase == phase), default=0)
        found[node] = Layered(node, condition, phase, depth)
        return found[node]

    for node in definitions:
        visit(node)
    return sorted(found.values(), key=lambda item: (item.phase, item.depth))
