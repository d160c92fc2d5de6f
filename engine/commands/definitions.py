"""Commands on the definitions themselves: validate, test, explain, glossary, compile."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TextIO

import click

from engine.atomic_file import write_text as write_text_atomically
from engine.commands import common
from engine.commands.common import (
    AS_OF_OPTION,
    EXIT_FINDINGS,
    EXIT_OK,
    PROJECT_ARGUMENT,
    PROJECT_DIR_OPTION,
    TEXT_OR_JSON_OPTION,
    load_project,
    validation_summary,
)
from engine.diagnostics import did_you_mean
from engine.glossary import entry as glossary_entry
from engine.glossary import look_up
from engine.glossary import names as glossary_names
from engine.interpreter.evaluate import Interpreter
from engine.leads import LeadDataError, coerce_lead
from engine.leads.lookup import read_lead
from engine.manifest import SourceRevision, content_hash, render_manifest
from engine.project import NotAProject, compile_project, read_files
from engine.render import RENDERERS
from engine.render.explanation import render_explanation_json, render_explanation_text
from engine.render.glossary import (
    render_entry_json,
    render_entry_text,
    render_list_json,
    render_list_text,
)
from engine.render.rule_tests import render_junit, render_rule_tests_text
from engine.render.text import render_text
from engine.revisions import working_tree_revision
from engine.rule_testing import run_rule_tests


@click.command()
@PROJECT_ARGUMENT
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="text for people, github for workflow annotations, json for tools, sarif for code scanning.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
def validate(project: Path, output_format: str, output: Path | None) -> int:
    """Check every definition of the project in PROJECT (default: the current directory).

    Reports every problem at once with file, line and column, and exits 1 if any is an error.
    """
    try:
        files = read_files(project)
    except NotAProject as error:
        raise click.UsageError(
            f"{error}: run accord in a project's root, or pass the root's path"
        ) from None
    compiled = compile_project(files)
    summary = validation_summary(compiled, len(files))
    if output_format == "text" and output is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report = render_text(compiled.diagnostics, compiled.sources, summary, color=color)
    else:
        report = RENDERERS[output_format](compiled.diagnostics, compiled.sources, summary)
    if output is None:
        click.echo(report, nl=False)
    else:
        write_text_atomically(output, report)
        click.echo(summary, err=True)
    return EXIT_OK if compiled.ok else EXIT_FINDINGS


@click.command("test")
@PROJECT_ARGUMENT
@click.option(
    "--junit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write JUnit XML to this file, for CI.",
)
def test_command(project: Path, junit: Path | None) -> int:
    """Run every *.tests.yaml through both evaluators; exit 1 if any expectation fails."""
    loaded = load_project(project)
    results = run_rule_tests(loaded)
    click.echo(render_rule_tests_text(results), nl=False)
    if junit is not None:
        write_text_atomically(junit, render_junit(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FINDINGS


@click.command()
@click.argument("assignments", nargs=-1, metavar="[FIELD=VALUE]...")
@PROJECT_DIR_OPTION
@click.option(
    "--json",
    "json_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the lead from a JSON object in this file (`-` for standard input).",
)
@click.option(
    "--leads",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Take the lead from this history file (CSV, Parquet, JSON Lines, DuckDB) ...",
)
@click.option("--id", "lead_id", help="... by the value of its id field.")
@AS_OF_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def explain(
    assignments: tuple[str, ...],
    root: Path,
    json_file: TextIO | None,
    leads: Path | None,
    lead_id: str | None,
    as_of: dt.datetime | None,
    output_format: str,
) -> int:
    """Score one lead and explain every decision: rules, caps, decay, grade, stage, route, SLAs.

    Give the lead as FIELD=VALUE arguments, as JSON (--json FILE), or from a history file
    (--leads FILE --id ID). Fields not given are missing.
    """
    project = load_project(root)
    assert project.lead_model is not None
    sources = sum(x is not None for x in (json_file, leads)) + bool(assignments)
    if sources != 1:
        raise click.UsageError(
            "give the lead one way: FIELD=VALUE arguments, --json FILE, or --leads FILE --id ID"
        )
    if (leads is None) != (lead_id is None):
        raise click.UsageError("--leads and --id go together")
    if leads is not None and lead_id is not None:
        try:
            lead = read_lead(leads, project.lead_model, lead_id)
        except LeadDataError as error:
            raise click.ClickException(str(error)) from None
    else:
        raw = _raw_lead(assignments, json_file)
        lead, problems = coerce_lead(project.lead_model, raw)
        if problems:
            for problem in problems:
                hint = f"\n  help: {problem.hint}" if problem.hint else ""
                click.echo(f"accord: error: {problem.message}{hint}", err=True)
            return EXIT_FINDINGS
    evaluation = Interpreter(project).evaluate(lead, as_of or common.now())
    shown_id = lead.get(project.lead_model.id_field.id)
    render = render_explanation_json if output_format == "json" else render_explanation_text
    click.echo(render(evaluation, shown_id), nl=False)
    return EXIT_OK


def _raw_lead(assignments: tuple[str, ...], json_file: TextIO | None) -> dict[str, object]:
    if json_file is not None:
        try:
            raw = json.load(json_file)
        except json.JSONDecodeError as error:
            raise click.UsageError(
                f"{json_file.name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
            ) from None
        if not isinstance(raw, dict):
            raise click.UsageError(f"{json_file.name}: expected a JSON object of field values")
        return raw
    values: dict[str, object] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise click.UsageError(f"{assignment!r} is not FIELD=VALUE")
        values[name.strip()] = value
    return values


@click.command()
@click.argument("term", required=False)
@PROJECT_DIR_OPTION
@TEXT_OR_JSON_OPTION
def glossary(term: str | None, root: Path, output_format: str) -> int:
    """Look up a shared word: by its id, its name or what any team calls it.

    Shows the term's definition, what decides it now (for a term bound to a stage, that
    stage's condition), who owns it, each team's words for it, and every definition that
    uses it. Without TERM, lists the terms.
    """
    loaded = load_project(root)
    if term is None:
        render = render_list_json if output_format == "json" else render_list_text
        click.echo(render(loaded.terms), nl=False)
        return EXIT_OK
    match = look_up(loaded, term)
    if match is None:
        hint = did_you_mean(term, glossary_names(loaded)) or "`accord glossary` lists the terms"
        click.echo(f"accord: no glossary term is called `{term}`; {hint}", err=True)
        return EXIT_FINDINGS
    found = glossary_entry(loaded, match.term)
    render_entry = render_entry_json if output_format == "json" else render_entry_text
    click.echo(render_entry(match, found), nl=False)
    return EXIT_OK


@click.command("compile")
@PROJECT_ARGUMENT
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory to write manifest.json into (e.g. build/).",
)
def compile_command(project: Path, out: Path) -> int:
    """Write the versioned manifest: the whole resolved project as JSON, with the source
    revision and a content hash (schemas/manifest.schema.json)."""
    loaded = load_project(project)
    at = working_tree_revision(project)
    revision = None if at is None else SourceRevision(*at)
    target = out / "manifest.json"
    write_text_atomically(target, render_manifest(loaded, revision))
    state = "outside git" if at is None else f"at {at[0][:12]}{' with edits' if at[1] else ''}"
    click.echo(f"accord: wrote {target} ({state}; {content_hash(loaded)})", err=True)
    return EXIT_OK
