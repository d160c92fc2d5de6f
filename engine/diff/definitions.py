"""Which definitions a pull request changes, so that every owning team knows to sign off.

`definition_changes(base, head)` matches the definitions of two compiled revisions by kind
and id and reports each one added, removed or modified, with short details of what changed.
Definitions are compared on content only (see engine.diff.fingerprints): moving one to
another line, reformatting the YAML or editing comments changes nothing. Order is content
where the engine reads definitions in order: routes, grades and disqualifiers are checked
top to bottom and stages in funnel order, so one whose position among the definitions on
both sides moved is modified too.

Changes are sorted by kind in the order of KINDS, then by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from engine.diff.fingerprints import Definition, Facet, Items, describe
from engine.diff.report import ChangeKind, DefinitionChange, FieldChanges
from engine.ir import Project

KINDS = (
    "rule",
    "group",
    "score",  # the total cap; id "total"
    "grade",
    "disqualifier",
    "stage",
    "qualifying_stage",  # id "qualification"
    "route",
    "team",
    "queue",
    "term",
    "sla",
    "commitment",
    "calendar",
    "field",  # lead model fields, and the lead model's own settings as id "lead model"
    "party",
)
ORDERED_KINDS = frozenset({"grade", "disqualifier", "stage", "route"})
SIDE = 90  # characters of a value shown on each side of an arrow
CONTEXT = 30  # characters kept before the first difference of two long values


def definition_changes(base: Project, head: Project) -> tuple[DefinitionChange, ...]:
    """Every definition added, removed or modified from `base` to `head`, sorted."""
    before, after = _definitions(base), _definitions(head)
    changes = []
    for kind in KINDS:
        old, new = before.get(kind, {}), after.get(kind, {})
        moves = _moves(kind, old, new) if kind in ORDERED_KINDS else {}
        for id_ in sorted(old.keys() | new.keys()):
            if id_ not in old:
                changes.append(_one_sided(new[id_], ChangeKind.ADDED, head))
            elif id_ not in new:
                changes.append(_one_sided(old[id_], ChangeKind.REMOVED, base))
            else:
                details = (*_details(old[id_], new[id_]), *moves.get(id_, ()))
                if details:
                    changes.append(
                        DefinitionChange(
                            kind=kind,
                            id=id_,
                            change=ChangeKind.MODIFIED,
                            details=details,
                            where=_where(new[id_]),
                            owners=_owners((old[id_], base), (new[id_], head)),
                        )
                    )
    return tuple(changes)


def field_changes(base: Project, head: Project) -> FieldChanges:
    """Lead model fields added and removed, by field id."""
    before, after = _field_ids(base), _field_ids(head)
    return FieldChanges(added=tuple(sorted(after - before)), removed=tuple(sorted(before - after)))


def _field_ids(project: Project) -> set[str]:
    model = project.lead_model
    return {field.id for field in model.fields} if model else set()


def _nodes(project: Project) -> Iterator[object]:
    """Every definition of the project, each kind in the order the engine reads it."""
    if model := project.score_model:
        yield from model.rules
        yield from model.groups
        yield model
    if qualification := project.qualification:
        yield from qualification.grades
        yield from qualification.disqualifiers
        yield from qualification.stages
        yield qualification
    if routing := project.routing:
        yield from routing.routes
        yield from routing.teams
        yield from routing.queues
    yield from chain(project.terms, project.slas, project.commitments, project.calendars)
    if lead_model := project.lead_model:
        yield from lead_model.fields
        yield lead_model
    yield from project.parties


def _definitions(project: Project) -> dict[str, dict[str, Definition]]:
    """kind → id → definition, in the order the engine reads them. A duplicate id (which
    validation reports) keeps its first definition, the one the engine uses."""
    found: dict[str, dict[str, Definition]] = {}
    for node in _nodes(project):
        definition = describe(node)
        found.setdefault(definition.kind, {}).setdefault(definition.id, definition)
    return found


def _one_sided(definition: Definition, change: ChangeKind, project: Project) -> DefinitionChange:
    return DefinitionChange(
        kind=definition.kind,
        id=definition.id,
        change=change,
        details=(_clip(definition.summary, 2 * SIDE),) if definition.summary else (),
        where=_where(definition),
        owners=_owners((definition, project)),
    )


def _where(definition: Definition) -> str:
    return f"{definition.span.file}:{definition.span.line}"


def _owners(*sides: tuple[Definition, Project]) -> tuple[str, ...]:
    """The parties owning the definition's file on each given side (a definition that
    moved files needs both), and a glossary term's own owners."""
    owners: set[str] = set()
    for definition, project in sides:
        owners.update(definition.owners)
        for source in project.sources:
            if source.path == definition.span.file:
                owners.update(ref.id for ref in source.owners)
    return tuple(sorted(owners))


def _details(old: Definition, new: Definition) -> Iterator[str]:
    """What changed, facet by facet. Both sides are the same kind, so their facets line up."""
    for before, after in zip(old.facets, new.facets, strict=True):
        match before, after:
            case Facet(), Facet() if before.key != after.key:
                yield _changed(before.name, before.text, after.text)
            case Items(), Items():
                yield from _item_details(before, after)


def _item_details(old: Items, new: Items) -> Iterator[str]:
    before = {item.id: item for item in old.items}
    after = {item.id: item for item in new.items}
    for item in new.items:
        if item.id not in before:
            yield _clip(f"{new.name} {item.id} added" + _aside(item.summary), 2 * SIDE)
    for item in old.items:
        if item.id not in after:
            yield _clip(f"{old.name} {item.id} removed" + _aside(item.summary), 2 * SIDE)
    for item in new.items:
        if item.id in before:
            for was, is_ in zip(before[item.id].facets, item.facets, strict=True):
                if was.key != is_.key:
                    label = " ".join(filter(None, (new.name, item.id, was.name)))
                    yield _changed(label, was.text, is_.text)
    if new.ordered:
        kept = [item.id for item in old.items if item.id in after]
        now = [item.id for item in new.items if item.id in before]
        if kept != now:
            yield _changed(f"{new.name} order", ", ".join(kept), ", ".join(now))


def _moves(
    kind: str, old: dict[str, Definition], new: dict[str, Definition]
) -> dict[str, tuple[str]]:
    """For definitions read in order: the ones whose position among the definitions on both
    sides changed (an added or removed one moves nothing). Positions shown are 1-based in
    each revision's whole list."""
    kept = {id_: i for i, id_ in enumerate(id_ for id_ in old if id_ in new)}
    now = {id_: i for i, id_ in enumerate(id_ for id_ in new if id_ in old)}
    was_at = {id_: i for i, id_ in enumerate(old)}
    now_at = {id_: i for i, id_ in enumerate(new)}
    moves = {}
    for id_ in now:
        if kept[id_] == now[id_]:
            continue
        if was_at[id_] == now_at[id_]:  # additions or removals hide the move in the whole lists
            was, is_ = _ordinal(kept[id_] + 1), _ordinal(now[id_] + 1)
            moves[id_] = (f"now checked {is_} among the {kind}s on both sides (was {was})",)
        else:
            was, is_ = _ordinal(was_at[id_] + 1), _ordinal(now_at[id_] + 1)
            moves[id_] = (f"now checked {is_} (was {was})",)
    return moves


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _changed(name: str, before: str, after: str) -> str:
    """`name before → after`. Long texts are cut to the words just before their first
    difference, so that two long definitions do not show as the same opening."""
    if max(len(before), len(after)) > SIDE:
        pairs = zip(before, after, strict=False)
        common = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(before), len(after)))
        # The last space at least CONTEXT characters before the difference (-1: none).
        start = before.rfind(" ", 0, max(common - CONTEXT, 0)) + 1
        if start:
            before, after = "…" + before[start:], "…" + after[start:]
    return f"{name} {_clip(before, SIDE)} → {_clip(after, SIDE)}"


def _aside(text: str) -> str:
    return f" ({text})" if text else ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
