"""Duplicate ids, and names that mean two things in expressions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from engine.diagnostics import Diagnostic, Note, diagnostic
from engine.expressions.functions import FUNCTIONS
from engine.expressions.scope import BUILT_INS, DISQUALIFIED_STAGE
from engine.ir import Project
from engine.span import Span


def check(project: Project) -> Iterator[Diagnostic]:
    score_model, qualification, routing = (
        project.score_model,
        project.qualification,
        project.routing,
    )
    if score_model:
        yield from duplicates("rule", ((r.id, r.span) for r in score_model.rules))
    if qualification:
        yield from duplicates("grade", ((g.id, g.span) for g in qualification.grades))
        yield from duplicates("disqualifier", ((d.id, d.span) for d in qualification.disqualifiers))
        yield from duplicates("stage", ((s.id, s.span) for s in qualification.stages))
        for stage in qualification.stages:
            if stage.id == DISQUALIFIED_STAGE:
                yield diagnostic(
                    "R104",
                    f"`{DISQUALIFIED_STAGE}` is the stage of leads that match a disqualifier",
                    stage.span,
                    help="list the reasons under `disqualifiers:` instead of declaring the stage",
                )
    if routing:
        yield from duplicates("route", ((r.id, r.span) for r in routing.routes))
        for team in routing.teams:
            yield from duplicates(
                f"member of team `{team.id}`", ((m.id, m.span) for m in team.members)
            )
        queues = {q.id: q for q in routing.queues}
        for team in routing.teams:
            if team.id in queues:
                yield diagnostic(
                    "R101",
                    f"`{team.id}` is both a team and a queue",
                    team.span,
                    help="give them different ids, so that escalations and reports name one of them",
                    notes=[Note(f"queue `{team.id}` is defined here", queues[team.id].span)],
                )
    yield from duplicates("calendar", ((c.id, c.span) for c in project.calendars))
    yield from duplicates("SLA", ((s.id, s.span) for s in project.slas))
    yield from duplicates("commitment", ((c.id, c.span) for c in project.commitments))
    yield from duplicates("term", ((t.id, t.span) for t in project.terms))
    by_file: dict[str, list[tuple[str, Span]]] = {}
    for test in project.tests:
        by_file.setdefault(test.span.file, []).append((test.id, test.span))
    for tests in by_file.values():
        yield from duplicates("test", tests)
    yield from _clashes(project)


def duplicates(what: str, entries: Iterable[tuple[str, Span]]) -> Iterator[Diagnostic]:
    first: dict[str, Span] = {}
    for name, span in entries:
        if name in first:
            yield diagnostic(
                "R101",
                f"{what} id `{name}` is used twice",
                span,
                help="ids must be unique; rename one of them",
                notes=[Note(f"`{name}` first defined here", first[name])],
            )
        else:
            first[name] = span


def _clashes(project: Project) -> Iterator[Diagnostic]:
    """Every name in an expression must mean one thing: a field, a term or a group."""
    # What each name already means, and where it is defined (None: built into the language).
    owners: dict[str, tuple[str, Span | None]] = dict.fromkeys(BUILT_INS, ("built-in value", None))
    owners.update(dict.fromkeys(FUNCTIONS, ("function", None)))
    named: list[tuple[str, str, Span]] = []
    if project.lead_model:
        named += [("lead field", f.id, f.span) for f in project.lead_model.fields]
    if project.score_model:
        named += [("score group", g.id, g.span) for g in project.score_model.groups]
    named += [("term", t.id, t.span) for t in project.terms]
    for what, name, span in named:
        if name not in owners:
            owners[name] = (what, span)
            continue
        other, other_span = owners[name]
        if other == what:
            continue  # a plain duplicate, reported above
        notes = [Note(f"the {other} `{name}` is defined here", other_span)] if other_span else []
        yield diagnostic(
            "R104",
            f"the {what} `{name}` has the same name as the {other} `{name}`",
            span,
            help="rename one of them: in a condition a name must mean one thing",
            notes=notes,
        )
