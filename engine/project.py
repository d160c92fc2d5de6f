"""The validation pipeline: files in, the typed Project and every diagnostic out.

    read_files (IO) → load_document → validate_document → collect_scope → build → run_checks

Only `read_files` touches the disk; `compile_project` is a pure function of file contents,
which is what the tests and (later) the diff of two git revisions call.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path as FilePath

from engine.build.context import BuildContext
from engine.build.glossary import build_terms
from engine.build.lead_model import build_lead_model, build_parties
from engine.build.qualification import build_qualification
from engine.build.routing import build_routing
from engine.build.rule_tests import build_rule_tests
from engine.build.scope import collect_scope
from engine.build.scoring import build_score_model
from engine.build.service_levels import build_calendars, build_commitments, build_slas
from engine.checks import run_checks
from engine.diagnostics import Diagnostic, Note, diagnostic, has_errors, sorted_diagnostics
from engine.document import Document
from engine.expressions.scope import Scope
from engine.ir import IdRef, Project, Source
from engine.loader import decode, parse_document
from engine.schema_validation import KIND_SCHEMAS, document_kind, validate_document
from engine.span import Span

PROJECT_FILE = "accord.yaml"
DEFINITION_DIRS = ("rules", "glossary", "slas")
TESTS_SUFFIX = ".tests.yaml"
_KIND_LINE = re.compile(r"^kind:[ \t]*[\"']?([A-Za-z]+)", re.MULTILINE)
SINGLETON_KINDS = ("Project", "LeadModel", "ScoreModel", "Qualification", "Routing")


class NotAProject(Exception):
    """The directory has no accord.yaml: a usage error, not a finding."""


@dataclass(frozen=True)
class CompiledProject:
    project: Project | None  # None when errors leave nothing trustworthy to build on
    diagnostics: list[Diagnostic]
    sources: Mapping[str, str]  # path → text, for showing source lines

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def read_files(root: FilePath) -> dict[str, bytes]:
    """accord.yaml and every YAML file under rules/, glossary/ and slas/, by relative path."""
    if not (root / PROJECT_FILE).is_file():
        raise NotAProject(f"{root} has no {PROJECT_FILE}")
    files = {PROJECT_FILE: (root / PROJECT_FILE).read_bytes()}
    for directory in DEFINITION_DIRS:
        base = root / directory
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                    path = FilePath(dirpath) / name
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
    return dict(sorted(files.items()))


def compile_project(files: Mapping[str, bytes]) -> CompiledProject:
    """Validate and build a project from its files' contents."""
    problems: list[Diagnostic] = []
    sources: dict[str, str] = {}
    by_kind: dict[str, list[Document]] = {}
    valid: dict[str, list[Document]] = {}
    incomplete: set[str] = set()
    unreadable: set[str] = set()  # kinds of files whose names could not even be gathered
    for path in sorted(files):
        text, document, kind, found = _load(path, files[path])
        problems += found
        if text is not None:
            sources[path] = text
        if document is None or kind is None:
            unreadable.update(_guess_kinds(text or ""))
            continue
        by_kind.setdefault(kind, []).append(document)
        if has_errors(found):
            incomplete.add(kind)
        else:
            valid.setdefault(kind, []).append(document)
    incomplete |= unreadable
    problems += _layout_problems(files, by_kind, incomplete)
    scope = collect_scope(by_kind, frozenset(unreadable))
    project, build_problems = _build(valid, scope, incomplete)
    problems += build_problems
    if project is not None:
        problems += run_checks(project)
    return CompiledProject(project, sorted_diagnostics(problems), sources)


def _load(
    path: str, raw: bytes
) -> tuple[str | None, Document | None, str | None, list[Diagnostic]]:
    """One file through decoding, parsing and its kind's schema: text, document, kind, problems."""
    text, problems = decode(path, raw)
    if text is None:
        return None, None, None, problems
    document, found = parse_document(path, text)
    problems += found
    if document is None:
        return text, None, None, problems
    kind, found = document_kind(document)
    problems += found
    if kind is not None:
        problems += validate_document(document, kind)
    return text, document, kind, problems


def _guess_kinds(text: str) -> set[str]:
    """The kind a file that could not be read was meant to be, from its `kind:` line;
    every kind when even that is unknown, so that no check trusts what may be missing."""
    found = _KIND_LINE.search(text)
    return {found.group(1)} if found and found.group(1) in KIND_SCHEMAS else set(KIND_SCHEMAS)


def _layout_problems(
    files: Mapping[str, bytes], by_kind: Mapping[str, list[Document]], incomplete: set[str]
) -> list[Diagnostic]:
    problems = []
    if PROJECT_FILE not in files:
        problems.append(
            diagnostic("R106", f"the project has no {PROJECT_FILE}", Span.whole_file(PROJECT_FILE))
        )
    for kind in SINGLETON_KINDS:
        documents = by_kind.get(kind, [])
        for extra in documents[1:]:
            problems.append(
                diagnostic(
                    "R106",
                    f"a second {kind}: a project has one",
                    extra.span(("kind",)),
                    help=f"merge it into {documents[0].path}",
                    notes=[Note(f"the first {kind} is here", documents[0].span(("kind",)))],
                )
            )
    if PROJECT_FILE in files and not by_kind.get("Project") and "Project" not in incomplete:
        # Found by fuzzing: an accord.yaml of another kind compiled "clean" with no project.
        problems.append(
            diagnostic(
                "R106",
                f"{PROJECT_FILE} holds no Project, so the project has no name or parties",
                Span.whole_file(PROJECT_FILE),
                help=f"write `kind: Project` with the project's name and parties in {PROJECT_FILE}",
            )
        )
    for document in by_kind.get("Project", []):
        if document.path != PROJECT_FILE:
            problems.append(
                diagnostic(
                    "R106",
                    f"the Project belongs in {PROJECT_FILE}",
                    document.span(("kind",)),
                    help=f"move it to {PROJECT_FILE} at the project root",
                )
            )
    if not by_kind.get("LeadModel") and "LeadModel" not in incomplete:
        problems.append(
            diagnostic(
                "R106",
                "the project has no LeadModel, so no condition can be checked",
                Span.whole_file(PROJECT_FILE),
                help="add rules/lead.yaml with `kind: LeadModel` and the lead's fields",
            )
        )
    for kind, documents in by_kind.items():
        for document in documents:
            named_as_tests = document.path.endswith(TESTS_SUFFIX)
            if named_as_tests != (kind == "RuleTests"):
                message = (
                    f"`{document.path}` is named like rule tests but holds a {kind}"
                    if named_as_tests
                    else f"rule tests must be in a file named `*{TESTS_SUFFIX}`"
                )
                problems.append(
                    diagnostic(
                        "R107",
                        message,
                        document.span(("kind",)),
                        help="rule tests live in `*.tests.yaml` files beside the definitions they test",
                    )
                )
    return problems


def _build(
    valid: Mapping[str, list[Document]], scope: Scope | None, incomplete: set[str]
) -> tuple[Project | None, list[Diagnostic]]:
    """The IR from the schema-valid documents. Without a valid accord.yaml there is no
    project to speak of; other kinds that failed their schema are left out, and the checks
    that need them skip."""
    problems: list[Diagnostic] = []

    def context(document: Document) -> BuildContext:
        ctx = BuildContext(document, scope, document.data["kind"])
        contexts.append(ctx)
        return ctx

    contexts: list[BuildContext] = []
    projects = valid.get("Project", [])
    if len(projects) != 1:
        return None, problems
    project_doc = projects[0]
    lead_models = valid.get("LeadModel", [])
    lead_model = build_lead_model(context(lead_models[0])) if len(lead_models) == 1 else None
    first = {
        kind: valid[kind][0] for kind in ("ScoreModel", "Qualification", "Routing") if kind in valid
    }
    service_levels = valid.get("ServiceLevels", [])
    project = Project(
        name=project_doc.data["name"],
        parties=build_parties(context(project_doc)),
        sources=tuple(
            _source(d, kind) for kind, documents in sorted(valid.items()) for d in documents
        ),
        lead_model=lead_model,
        score_model=build_score_model(context(first["ScoreModel"]))
        if "ScoreModel" in first
        else None,
        qualification=build_qualification(context(first["Qualification"]))
        if "Qualification" in first
        else None,
        routing=build_routing(context(first["Routing"])) if "Routing" in first else None,
        calendars=tuple(c for d in service_levels for c in build_calendars(context(d))),
        slas=tuple(s for d in service_levels for s in build_slas(context(d))),
        commitments=tuple(c for d in service_levels for c in build_commitments(context(d))),
        terms=tuple(
            t for d in valid.get("Glossary", []) for t in build_terms(context(d), lead_model)
        ),
        tests=tuple(
            t for d in valid.get("RuleTests", []) for t in build_rule_tests(context(d), lead_model)
        ),
    )
    for ctx in contexts:
        problems += ctx.problems
        if has_errors(ctx.problems):
            incomplete.add(ctx.kind)
    return replace(project, incomplete=frozenset(incomplete)), problems


def _source(document: Document, kind: str) -> Source:
    owners = tuple(
        IdRef(owner, document.span(("owners", i)))
        for i, owner in enumerate(document.data["owners"])
    )
    return Source(document.path, kind, owners, document.span(("kind",)))
