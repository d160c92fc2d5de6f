"""The `accord` command line: thin commands over the engine, each returning an exit code.

Exit codes: 0 ok (warnings allowed), 1 findings, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from engine import __version__
from engine.atomic_file import write_text as write_text_atomically
from engine.bulk import MEMORY_LIMIT, OutputError, check_memory_limit, score_file
from engine.credentials import MissingCredential
from engine.deploy import DeployError, Platform
from engine.deploy.journal import JournalError, load_journal
from engine.deploy.plan import Plan, PlanError, make_plan, plan_from_json
from engine.deploy.platforms import PLATFORMS as DEPLOY_PLATFORMS
from engine.deploy.platforms import Settings as DeploySettings
from engine.deploy.render import render_json as render_plan_json
from engine.deploy.render import render_text as render_plan_text
from engine.deploy.staleness import StalePlan, decide
from engine.diagnostics import Severity, did_you_mean
from engine.diff.gates import GateError, check_gates, parse_gate
from engine.diff.report import Impact, Revision
from engine.diff.run import STEPS as DIFF_STEPS
from engine.diff.run import run_diff
from engine.docs_site import SiteError, build_site, write_site
from engine.docs_site.history import read_history
from engine.export import ExportOptions
from engine.export.report import REPORT_FILE
from engine.export.report import summary as export_summary
from engine.export.targets import SQL_DIALECTS, run_export
from engine.export.targets import TARGETS as EXPORT_TARGETS
from engine.github.approvals import render_verdict
from engine.github.check import check_approvals
from engine.github.client import GitHub, GitHubError, Repository, github_from_environment
from engine.github.codeowners import (
    CODEOWNERS_PATH,
    changed_lines,
    inexpressible_paths,
    render_codeowners,
    unowned_parties,
)
from engine.github.comment import post_comment
from engine.glossary import entry as glossary_entry
from engine.glossary import look_up
from engine.glossary import names as glossary_names
from engine.http_client import HttpError
from engine.interpreter.evaluate import Interpreter
from engine.ir import Project
from engine.leads import LeadDataError, coerce_lead
from engine.leads.describe import describe_load
from engine.leads.lookup import read_lead
from engine.manifest import SourceRevision, content_hash, render_manifest
from engine.output_directory import Marker, OutputDirectoryError, write_directory
from engine.project import PROJECT_FILE, CompiledProject, NotAProject, compile_project, read_files
from engine.render import RENDERERS
from engine.render.explanation import render_explanation_json, render_explanation_text
from engine.render.glossary import (
    render_entry_json,
    render_entry_text,
    render_list_json,
    render_list_text,
)
from engine.render.impact_format import revision as revision_name
from engine.render.impact_html import render_html
from engine.render.impact_json import render_json
from engine.render.impact_markdown import render_markdown
from engine.render.impact_text import render_text as render_impact_text
from engine.render.rule_tests import render_junit, render_rule_tests_text
from engine.render.sla import REPORT_RENDERERS as SLA_RENDERERS
from engine.render.sla import render_check_text
from engine.render.sla import render_json as render_sla_json
from engine.render.text import render_text
from engine.revisions import RevisionError, read_revision, read_working_tree, working_tree_revision
from engine.rule_testing import run_rule_tests, utc
from engine.sla.report import sla_check, sla_report
from engine.sla.run import with_clocks
from engine.spark import MISSING as SPARK_MISSING
from engine.spark import SparkRunner, SparkUnavailable, spark_master, spark_session
from engine.sql.dialects import DialectError, transpile
from engine.sql.query import compile_scoring_query
from engine.sql.run import QueryRunner
from engine.sync.checkpoint import Checkpoint, CheckpointError
from engine.sync.checkpoint import read as read_checkpoint
from engine.sync.checkpoint import write as write_checkpoint
from engine.sync.connections import Connection
from engine.sync.connections import connect as sync_connect
from engine.sync.history import HistoryError, history_columns, merge, next_mark, read_mark, stage
from engine.sync.history_sources import hubspot_records, salesforce_records
from engine.sync.history_values import iso_utc
from engine.sync.hubspot_contacts import ContactSearch, ContactUpdates, SearchWindowError
from engine.sync.run import (
    DEFAULT_CHUNK,
    MAX_CHUNK,
    ChunkWriter,
    SyncOutcome,
    fresh,
    resumed,
    run_key,
)
from engine.sync.run import sync as run_sync
from engine.sync.salesforce_bulk import BulkApi, BulkJobError, LeadQuery, LeadUpdates
from engine.sync.scores import file_digest, score_leads
from engine.sync.writeback import SALESFORCE, WritebackError, writeback
from engine.sync.writeback import TARGETS as SYNC_TARGETS
from engine.sync.writeback import records as sync_records

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXPORT_MARKER = Marker(".accord-export", "accord export", "export")
DIALECT_TARGETS = ("dbt", "sql")  # the export targets that write SQL
IMPACT_RENDERERS: dict[str, Callable[[Impact], str]] = {
    "text": render_impact_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def accord(debug: bool) -> None:
    """Sales and marketing agreements as code.

    Definitions live in rules/, glossary/ and slas/ beside accord.yaml; see README.md.
    """


@accord.command()
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
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
    summary = _summary(compiled, len(files))
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


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    """--as-of: an ISO 8601 instant, UTC unless it has an offset; held as naive UTC."""
    if value is None:
        return None
    try:
        return utc(dt.datetime.fromisoformat(value.strip()))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time, e.g. 2026-03-02T10:00:00Z"
        ) from None


def _memory_limit(value: str) -> str:
    try:
        return check_memory_limit(value)
    except OutputError as error:
        raise click.BadParameter(str(error)) from None


AS_OF_HELP = "The clock for decay, days_since and SLAs: an ISO 8601 time (UTC unless it has an offset). Default: now."


# Options several commands share, spelt once.
MEMORY_LIMIT_OPTION = click.option(
    "--memory-limit",
    default=MEMORY_LIMIT,
    callback=lambda ctx, param, value: _memory_limit(value),
    show_default=True,
    help="How much data DuckDB keeps in memory; beyond it, it spills to a temporary directory.",
)
PROJECT_DIR_OPTION = click.option(
    "--project",
    "-C",
    "root",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project's root (default: the current directory).",
)
TEXT_OR_JSON_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)
ENGINES = ("duckdb", "spark")
ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="duckdb",
    show_default=True,
    help="Where the scoring query runs: embedded DuckDB, or Apache Spark (needs the spark extra; see docs/spark.md).",
)
SPARK_MASTER_OPTION = click.option(
    "--spark-master",
    metavar="URL",
    help="With --engine spark: local[N], spark://host:port, yarn, or sc://host:port (Spark Connect). Default: $SPARK_REMOTE, $SPARK_MASTER, or local[2].",
)


@contextmanager
def _query_runner(engine: str, master: str | None) -> Iterator[QueryRunner | None]:
    """None for DuckDB; for Spark, a runner on a session that lives as long as the command."""
    if engine == "duckdb":
        yield None
        return
    try:
        with spark_session(spark_master(master, os.environ)) as session:
            yield SparkRunner(session)
    except SparkUnavailable as error:
        if str(error) == SPARK_MISSING:
            raise click.UsageError(str(error)) from None
        raise click.ClickException(str(error)) from None
    except DialectError as error:
        raise click.ClickException(
            f"the definitions use what Spark SQL cannot express: {error}"
        ) from None


HISTORY_OPTION = click.option(
    "--leads",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Historical leads: CSV, Parquet, JSON Lines or a DuckDB database file.",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _load_project(root: Path) -> Project:
    """The validated project, or its diagnostics on stderr and exit code 1."""
    project = _load_compiled(root).project
    assert project is not None
    return project


def _load_compiled(root: Path) -> CompiledProject:
    """The validated project with its source texts, or its diagnostics and exit code 1."""
    try:
        files = read_files(root)
    except NotAProject as error:
        raise click.UsageError(
            f"{error}: run accord in a project's root, or pass the root's path"
        ) from None
    return _checked_or_exit(files)


def _compiled_or_exit(files: dict[str, bytes], revision: str | None = None) -> Project:
    """The project these files build, or their diagnostics on stderr and exit code 1."""
    project = _checked_or_exit(files, revision).project
    assert project is not None
    return project


def _checked_or_exit(files: dict[str, bytes], revision: str | None = None) -> CompiledProject:
    compiled = compile_project(files)
    if not compiled.ok or compiled.project is None:
        summary = _summary(compiled, len(files))
        if revision is not None:
            summary = summary.replace("accord: checked", f"accord: {revision}: checked", 1)
        color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        click.echo(
            render_text(compiled.diagnostics, compiled.sources, summary, color=color),
            err=True,
            nl=False,
        )
        raise click.exceptions.Exit(EXIT_FINDINGS)
    return compiled


@accord.command("test")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--junit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write JUnit XML to this file, for CI.",
)
def test_command(project: Path, junit: Path | None) -> int:
    """Run every *.tests.yaml through both evaluators; exit 1 if any expectation fails."""
    loaded = _load_project(project)
    results = run_rule_tests(loaded)
    click.echo(render_rule_tests_text(results), nl=False)
    if junit is not None:
        write_text_atomically(junit, render_junit(results))
    return EXIT_OK if all(r.passed for r in results) else EXIT_FINDINGS


@accord.command()
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
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
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
    project = _load_project(root)
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
    evaluation = Interpreter(project).evaluate(lead, as_of or _now())
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


@accord.command()
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--leads",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The leads: CSV, Parquet, JSON Lines or a DuckDB database file.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the scores here: .csv or .parquet.",
)
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
@click.option(
    "--sql", "show_sql", is_flag=True, help="Print the generated SQL instead of running it."
)
@MEMORY_LIMIT_OPTION
@ENGINE_OPTION
@SPARK_MASTER_OPTION
def score(
    project: Path,
    leads: Path | None,
    out: Path | None,
    as_of: dt.datetime | None,
    show_sql: bool,
    memory_limit: str,
    engine: str,
    spark_master: str | None,
) -> int:
    """Score every lead of a history file and write one row of decisions per lead.

    The output has the lead's id, score, one column per score group, grade, stage,
    disqualified_by, route, assignee and owner (the member a team's strategy picks).
    The query runs in DuckDB, or on Apache Spark with --engine spark.
    """
    loaded = _load_project(project)
    clock = as_of or _now()
    if show_sql:
        sql = compile_scoring_query(loaded, clock).sql
        done = transpile(sql, engine)
        for message in done.unsupported:
            click.echo(f"accord: {engine} cannot express: {message}", err=True)
        click.echo(done.sql, nl=False)
        return EXIT_FINDINGS if done.unsupported else EXIT_OK
    if leads is None or out is None:
        raise click.UsageError("give --leads FILE and --out FILE (or --sql to see the query)")
    try:
        with _query_runner(engine, spark_master) as runner:
            run = score_file(loaded, leads, out, clock, memory_limit=memory_limit, runner=runner)
    except (LeadDataError, OutputError) as error:
        raise click.ClickException(str(error)) from None
    for line in describe_load(run.load):
        click.echo(f"accord: {line}", err=True)
    rate = run.rows / run.score_seconds if run.score_seconds else 0.0
    click.echo(
        f"accord: scored {run.rows:,} leads as of {clock.isoformat()}Z"
        f"{' on Spark' if engine == 'spark' else ''} in {run.score_seconds:.2f} s"
        f" ({rate:,.0f} leads/s; reading took {run.load_seconds:.2f} s) → {out}",
        err=True,
    )
    return EXIT_OK


@accord.command()
@click.argument("term", required=False)
@PROJECT_DIR_OPTION
@TEXT_OR_JSON_OPTION
def glossary(term: str | None, root: Path, output_format: str) -> int:
    """Look up a shared word: by its id, its name or what any team calls it.

    Shows the term's definition, what decides it now (for a term bound to a stage, that
    stage's condition), who owns it, each team's words for it, and every definition that
    uses it. Without TERM, lists the terms.
    """
    loaded = _load_project(root)
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


@accord.command("compile")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory to write manifest.json into (e.g. build/).",
)
def compile_command(project: Path, out: Path) -> int:
    """Write the versioned manifest: the whole resolved project as JSON, with the source
    revision and a content hash (schemas/manifest.schema.json)."""
    loaded = _load_project(project)
    at = working_tree_revision(project)
    revision = None if at is None else SourceRevision(*at)
    target = out / "manifest.json"
    write_text_atomically(target, render_manifest(loaded, revision))
    state = "outside git" if at is None else f"at {at[0][:12]}{' with edits' if at[1] else ''}"
    click.echo(f"accord: wrote {target} ({state}; {content_hash(loaded)})", err=True)
    return EXIT_OK


@accord.command("export")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--target",
    required=True,
    type=click.Choice(sorted(EXPORT_TARGETS)),
    help="The platform to export to.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory to write the export into; a previous export there is replaced whole.",
)
@click.option(
    "--dialect",
    type=click.Choice(SQL_DIALECTS),
    default="duckdb",
    show_default=True,
    help="The SQL dialect of --target sql and of the dbt models.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat what the target cannot express as errors: exit 1 and write nothing.",
)
def export_command(project: Path, target: str, out: Path, dialect: str, strict: bool) -> int:
    """Write the compiled rules in the files a platform takes, with an export report
    (accord-export-report.md) of what each definition became and what was left out.

    What the target cannot express is reported at the definition's file and line (X
    codes): a warning, or an error with --strict.
    """
    if dialect != "duckdb" and target not in DIALECT_TARGETS:
        raise click.UsageError("--dialect applies to --target sql and --target dbt only")
    compiled = _load_compiled(project)
    assert compiled.project is not None
    made = run_export(compiled.project, target, ExportOptions(dialect=dialect), strict=strict)
    line = f"accord: {target}: {export_summary(made)}"
    if made.diagnostics:
        color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        click.echo(
            render_text(made.diagnostics, compiled.sources, line, color=color), err=True, nl=False
        )
    if any(d.severity is Severity.ERROR for d in made.diagnostics):
        click.echo(f"accord: --strict: nothing written to {out}", err=True)
        return EXIT_FINDINGS
    try:
        write_directory(made.files, out, EXPORT_MARKER)
    except (OutputDirectoryError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if not made.diagnostics:
        click.echo(line, err=True)
    click.echo(
        f"accord: wrote {len(made.files)} files to {out} (see {out / REPORT_FILE})", err=True
    )
    return EXIT_OK


DIFF_FORMATS = ("text", "markdown", "json", "html")


@accord.command()
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base",
    "base_ref",
    required=True,
    help="The git revision to compare against (e.g. origin/main).",
)
@click.option("--head", "head_ref", help="The revision with the change. Default: the working tree.")
@HISTORY_OPTION
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull-request comment, json for tools, html for a browser.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="CONDITION",
    help="Exit 1 when this holds, e.g. 'qualified-change > 20%' (repeatable; see docs/diff.md).",
)
@MEMORY_LIMIT_OPTION
@ENGINE_OPTION
@SPARK_MASTER_OPTION
def diff(
    project: Path,
    base_ref: str,
    head_ref: str | None,
    leads: Path,
    as_of: dt.datetime | None,
    output_format: str,
    out: Path | None,
    fail_on: tuple[str, ...],
    memory_limit: str,
    engine: str,
    spark_master: str | None,
) -> int:
    """Show what a change to the definitions would have done to historical leads.

    Scores every lead with the base revision's definitions and with the head's (the
    working tree unless --head is given), then reports qualified volume, flips and why,
    score and grade shifts, outcomes, routing load and the definitions that changed.
    """
    try:
        gates = tuple(parse_gate(text) for text in fail_on)
    except GateError as error:
        raise click.UsageError(str(error)) from None
    if not (Path(project) / PROJECT_FILE).is_file():
        raise click.UsageError(
            f"{project} has no {PROJECT_FILE}: run accord in a project's root, or pass the root's path"
        )
    try:
        base_files = read_revision(project, base_ref)
        head_files = (
            read_working_tree(project) if head_ref is None else read_revision(project, head_ref)
        )
    except RevisionError as error:
        raise click.UsageError(str(error)) from None
    sides = []
    for files in (base_files, head_files):
        named = Revision(files.label, files.commit)
        sides.append((named, _compiled_or_exit(files.files, revision_name(named))))
    progress = _progress_bar()
    try:
        with _query_runner(engine, spark_master) as runner:
            impact = run_diff(
                sides[0],
                sides[1],
                leads,
                as_of or _now(),
                memory_limit=memory_limit,
                progress=progress,
                runner=runner,
            )
    except LeadDataError as error:
        raise click.ClickException(str(error)) from None
    if progress is not None:
        progress(DONE)
    report = IMPACT_RENDERERS[output_format](impact)
    if out is None:
        click.echo(report, nl=False)
    else:
        write_text_atomically(out, report)
    results = check_gates(impact, gates)
    for result in results:
        click.echo(f"accord: --fail-on {result.describe()}", err=True)
    return EXIT_FINDINGS if any(r.failed for r in results) else EXIT_OK


def _progress_bar() -> Callable[[str], None] | None:
    """A bar on stderr for a person at a terminal: none in CI logs or when piped.

    Called with each step's label as the step starts, and with DONE at the end.
    """
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    started = [0]

    def step(label: str) -> None:
        width = 24
        filled = width if label == DONE else width * started[0] // len(DIFF_STEPS)
        started[0] += 1
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\raccord diff [{bar}] {label:<18}", err=True, nl=label == DONE)

    return step


DONE = "done"


@accord.group()
def sla() -> None:
    """Handoff SLAs replayed on history: compliance, breaches, and what is due now."""


@sla.command("report")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@HISTORY_OPTION
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(tuple(SLA_RENDERERS)),
    default="text",
    show_default=True,
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
def sla_report_command(
    project: Path, leads: Path, as_of: dt.datetime | None, output_format: str, out: Path | None
) -> int:
    """Replay every SLA on a history file: compliance per SLA, team, member and month,
    time to stop (median and p90), every breach, leads open past due, recycle candidates."""
    loaded = _load_project(project)
    clock = as_of or _now()
    try:
        report, _ = with_clocks(
            loaded, leads, clock, lambda con: sla_report(con, loaded, clock, leads.name)
        )
    except LeadDataError as error:
        raise click.ClickException(str(error)) from None
    text = SLA_RENDERERS[output_format](report)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text_atomically(out, text)
    return EXIT_OK


@sla.command("check")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@HISTORY_OPTION
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
@click.option(
    "--soon",
    default=24.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="List open clocks due within this many hours, too.",
)
@TEXT_OR_JSON_OPTION
def sla_check_command(
    project: Path, leads: Path, as_of: dt.datetime | None, soon: float, output_format: str
) -> int:
    """What needs attention now: clocks open past their due time (exit 1 when there are
    any, for a scheduled job to alert on) and open clocks due soon."""
    loaded = _load_project(project)
    clock = as_of or _now()
    window = dt.timedelta(hours=soon)
    try:
        check, _ = with_clocks(
            loaded, leads, clock, lambda con: sla_check(con, loaded, clock, window)
        )
    except LeadDataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        render_sla_json(check) if output_format == "json" else render_check_text(check), nl=False
    )
    return EXIT_FINDINGS if check.overdue else EXIT_OK


def _summary(compiled: CompiledProject, file_count: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in compiled.diagnostics)
    warnings = len(compiled.diagnostics) - errors
    counted = [f"{file_count} file{'s' if file_count != 1 else ''}"]
    project = compiled.project
    if project is not None:
        sizes = (
            ("field", len(project.lead_model.fields) if project.lead_model else 0),
            ("rule", len(project.score_model.rules) if project.score_model else 0),
            ("route", len(project.routing.routes) if project.routing else 0),
            ("term", len(project.terms)),
            ("SLA", len(project.slas)),
            ("test", len(project.tests)),
        )
        counted += [f"{n} {what}{'s' if n != 1 else ''}" for what, n in sizes]
    found = []
    if errors:
        found.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        found.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"accord: checked {', '.join(counted)}: {', '.join(found) if found else 'no problems'}"


@accord.command()
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site's directory; a previous site there is replaced whole.",
)
@click.option(
    "--leads",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Past leads (CSV, Parquet, JSON Lines or DuckDB) for the history page's charts"
    " and SLA compliance.",
)
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
def docs(project: Path, out: Path, leads: Path | None, as_of: dt.datetime | None) -> int:
    """Write the project's docs as a static site to --out: open index.html in a browser.

    A glossary with each team's aliases, live definitions, usages and an offline search;
    one page per score group; qualification; routing with its order as a diagram; SLAs
    with their calendars. With --leads, a history page of score, grade and stage charts
    and each SLA's compliance per month and team.
    """
    loaded = _load_project(project)
    history = None
    if leads is not None:
        try:
            history = read_history(loaded, leads, as_of or _now())
        except LeadDataError as error:
            raise click.ClickException(str(error)) from None
    pages = build_site(loaded, history)
    try:
        write_site(pages, out)
    except (SiteError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"accord: wrote {len(pages)} pages to {out} (open {out / 'index.html'})", err=True)
    return EXIT_OK


def _github_repository(repo: str | None) -> Repository:
    """--repo, or GITHUB_REPOSITORY as GitHub Actions sets it."""
    text = repo or os.environ.get("GITHUB_REPOSITORY", "")
    if not text:
        raise click.UsageError("pass --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    try:
        return Repository.parse(text)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _github() -> GitHub:
    """The REST client for GITHUB_API_URL with the token in GITHUB_TOKEN (never shown)."""
    try:
        return github_from_environment(os.environ)
    except MissingCredential as error:
        raise click.UsageError(str(error)) from None


GITHUB_REPO_OPTION = click.option(
    "--repo", help="The repository as OWNER/NAME. Default: $GITHUB_REPOSITORY."
)
PULL_REQUEST_OPTION = click.option(
    "--pr", "number", required=True, type=click.IntRange(min=1), help="The pull request's number."
)


@accord.command("codeowners")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--check", is_flag=True, help="Exit 1 with the difference if the committed file is out of date."
)
def codeowners_command(project: Path, check: bool) -> int:
    """Write .github/CODEOWNERS from the owners each definition names (see docs/gitops.md)."""
    loaded = _load_project(project)
    unnamable = inexpressible_paths(loaded)
    if unnamable:
        raise click.ClickException(
            "CODEOWNERS cannot name these files exactly (a space, #, !, [, ], *, ? or"
            f" backslash in the path); rename them: {', '.join(unnamable)}"
        )
    for party in unowned_parties(loaded):
        click.echo(
            f"accord: warning: party `{party}` owns definitions but has no `github:` team in"
            f" {PROJECT_FILE}, so CODEOWNERS cannot name it",
            err=True,
        )
    generated = render_codeowners(loaded)
    path = project / CODEOWNERS_PATH
    committed = path.read_text(encoding="utf-8") if path.is_file() else ""
    if committed == generated:
        click.echo(f"accord: {CODEOWNERS_PATH} is up to date", err=True)
        return EXIT_OK
    if check:
        click.echo("".join(changed_lines(committed, generated)), nl=False)
        click.echo(
            f"accord: {CODEOWNERS_PATH} is out of date; run `accord codeowners` and commit it",
            err=True,
        )
        return EXIT_FINDINGS
    write_text_atomically(path, generated)
    click.echo(f"accord: wrote {CODEOWNERS_PATH}", err=True)
    return EXIT_OK


@accord.command("approvals")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@PULL_REQUEST_OPTION
@GITHUB_REPO_OPTION
@click.option(
    "--base", "base_ref", help="Read the base owners here. Default: the PR's base commit."
)
@click.option(
    "--head", "head_ref", help="Read the head owners here. Default: the PR's head commit."
)
def approvals_command(
    project: Path, number: int, repo: str | None, base_ref: str | None, head_ref: str | None
) -> int:
    """Exit 1 unless every team owning a changed definition approved pull request --pr.

    Owners are read at the PR's base and its head, so dropping an owner does not dodge
    them; a team approves through an active member's latest review of the head commit.
    Needs GITHUB_TOKEN with pull-request read and organisation Members read access.
    """
    repository = _github_repository(repo)
    github = _github()
    try:
        found = check_approvals(github, repository, number, project, base_ref, head_ref)
    except RevisionError as error:
        raise click.UsageError(str(error)) from None
    except (GitHubError, HttpError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(render_verdict(found), nl=False)
    return EXIT_OK if found.ok else EXIT_FINDINGS


@accord.command("comment")
@PULL_REQUEST_OPTION
@click.option(
    "--body",
    "body_file",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The comment's Markdown, e.g. from `accord diff --format markdown --out`.",
)
@GITHUB_REPO_OPTION
def comment_command(number: int, body_file: Path, repo: str | None) -> int:
    """Post --body as Accord's one comment on pull request --pr, updating it in place."""
    repository = _github_repository(repo)
    github = _github()
    body = body_file.read_text(encoding="utf-8")
    try:
        posted = post_comment(github, repository, number, body)
    except (GitHubError, HttpError) as error:
        raise click.ClickException(str(error)) from None
    where = f" ({posted.url})" if posted.url else ""
    click.echo(f"accord: {posted.action} comment {posted.id} on #{number}{where}", err=True)
    return EXIT_OK


# --- sync-scores and history pull: the CRMs' records in and out (docs/sync.md) ---------------

SYNC_FAILURES_SHOWN = 20


def _sync_connection(target: str) -> Connection:
    try:
        return sync_connect(target, os.environ)
    except MissingCredential as error:
        raise click.UsageError(str(error)) from None


def _sync_as_of(as_of: dt.datetime | None, found: Checkpoint | None, target: str) -> dt.datetime:
    """--as-of, else the clock of the unfinished sync being resumed, else now: a resumed
    sync scores with the clock its done chunks were scored with."""
    if as_of is not None:
        return as_of
    if found is not None and found.target == target and not found.complete:
        return dt.datetime.fromisoformat(found.as_of)
    return _now()


@accord.command("sync-scores")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--target", required=True, type=click.Choice(SYNC_TARGETS), help="The CRM to write to."
)
@click.option(
    "--leads",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The leads to score: CSV, Parquet, JSON Lines or a DuckDB database file.",
)
@click.option("--as-of", callback=_as_of, help=AS_OF_HELP)
@click.option(
    "--checkpoint",
    "checkpoint_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The progress file a re-run resumes from. Default: LEADS.TARGET-sync.json beside the leads.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    help="Records per request (HubSpot, at most 100) or per Bulk API job (Salesforce, default 10,000).",
)
def sync_scores_command(
    project: Path,
    target: str,
    leads: Path,
    as_of: dt.datetime | None,
    checkpoint_path: Path | None,
    chunk_size: int | None,
) -> int:
    """Score the leads and write score, group scores, grade, stage and route to the CRM.

    Salesforce through Bulk API 2.0 update jobs on Lead (SALESFORCE_INSTANCE_URL,
    SALESFORCE_ACCESS_TOKEN); HubSpot through batch updates of contacts (HUBSPOT_TOKEN,
    HUBSPOT_API_URL). Works in chunks and records each in the checkpoint: after an
    interruption, run the same command again and it goes on where it stopped. Exits 1 when
    any record was rejected (each is listed, and kept in the checkpoint) or the run stopped.
    """
    loaded = _load_project(project)
    try:
        plan = writeback(loaded, target)
    except WritebackError as error:
        raise click.UsageError(str(error)) from None
    size = chunk_size or DEFAULT_CHUNK[target]
    if size > MAX_CHUNK[target]:
        raise click.UsageError(f"--chunk-size: {target} takes at most {MAX_CHUNK[target]:,}")
    path = checkpoint_path or leads.with_name(f"{leads.name}.{target}-sync.json")
    try:
        found = read_checkpoint(path)
    except CheckpointError as error:
        raise click.UsageError(str(error)) from None
    clock = _sync_as_of(as_of, found, target)
    try:
        scored = score_leads(loaded, leads, clock)
    except LeadDataError as error:
        raise click.ClickException(str(error)) from None
    chosen = sorted(sync_records(scored.rows, plan, scored.id_column), key=lambda r: r.id)
    key = run_key(file_digest(leads), content_hash(loaded), clock, size)
    try:
        state = resumed(found, fresh(target, key, clock, size, len(chosen)))
    except CheckpointError as error:
        raise click.UsageError(f"{path} {error}") from None
    connection = _sync_connection(target)
    writer: ChunkWriter
    if target == SALESFORCE:
        bulk = BulkApi(connection.client, connection.sleep, connection.api_version)
        writer = LeadUpdates(bulk, plan.id_name)
    else:
        writer = ContactUpdates(connection.client, plan.id_name)
    if len(chosen) < len(scored.rows):
        click.echo(
            f"accord: {len(scored.rows) - len(chosen):,} leads without an id were left out",
            err=True,
        )
    if state is found and state.complete:
        click.echo(
            f"accord: {path} records this sync as finished; nothing sent (delete it to sync again)",
            err=True,
        )
        outcome = SyncOutcome(state, 0, None)
    else:
        if state is found:
            click.echo(
                f"accord: resuming from {path}: {len(state.done)} of {state.chunks} chunks done",
                err=True,
            )
        outcome = run_sync(chosen, state, writer, lambda c: write_checkpoint(path, c))
    done = outcome.checkpoint
    failures = done.failures
    for failure in failures[:SYNC_FAILURES_SHOWN]:
        click.echo(f"accord: failed: {failure.id}: {failure.error}", err=True)
    if len(failures) > SYNC_FAILURES_SHOWN:
        click.echo(f"accord: ... and {len(failures) - SYNC_FAILURES_SHOWN:,} more", err=True)
    failed = f"; {len(failures):,} failed (see {path})" if failures else ""
    if outcome.interruption is not None:
        stop = outcome.interruption
        click.echo(
            f"accord: stopped at chunk {stop.chunk + 1} of {done.chunks}: {stop.reason}", err=True
        )
        click.echo(
            f"accord: synced {done.synced:,} of {done.total:,} leads so far{failed};"
            f" run the same command again to resume from {path}",
            err=True,
        )
        return EXIT_FINDINGS
    click.echo(
        f"accord: synced {done.synced:,} of {done.total:,} leads to {target}"
        f" as of {done.as_of}Z{failed}",
        err=True,
    )
    return EXIT_FINDINGS if failures else EXIT_OK


@accord.group()
def history() -> None:
    """Lead history from the CRMs, for `accord diff --leads` and the other history readers."""


@history.command("pull")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--target", required=True, type=click.Choice(SYNC_TARGETS), help="The CRM to read.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The history file (.parquet); an earlier pull's file is merged into.",
)
@click.option(
    "--since",
    callback=_as_of,
    help="Fetch records modified at or after this ISO 8601 time. Default: where the last pull into --out got to (everything, the first time).",
)
def history_pull_command(project: Path, target: str, out: Path, since: dt.datetime | None) -> int:
    """Fetch the lead model's fields, lifecycle timestamps and outcomes from the CRM.

    Salesforce through a Bulk API 2.0 query on Lead, HubSpot through the contacts search;
    only records modified since the last pull, merged into --out (newer rows replace older
    ones by id) and written atomically.
    """
    if out.suffix.lower() != ".parquet":
        raise click.UsageError(f"--out {out}: name the history file .parquet")
    loaded = _load_project(project)
    assert loaded.lead_model is not None
    try:
        columns = history_columns(loaded.lead_model, target)
        mark = read_mark(out)
    except HistoryError as error:
        raise click.UsageError(str(error)) from None
    if mark is not None and mark.target != target:
        raise click.UsageError(
            f"{out} holds history pulled from {mark.target}; pull {target} into another file"
        )
    for field_id in columns.left_out:
        click.echo(
            f"accord: note: field `{field_id}` has no `{target}:` name in the lead model;"
            " left out of the history",
            err=True,
        )
    lower = since if since is not None else (mark.instant if mark is not None else None)
    connection = _sync_connection(target)
    with tempfile.TemporaryDirectory(prefix="accord-history-") as work:
        if target == SALESFORCE:
            bulk = BulkApi(connection.client, connection.sleep, connection.api_version)
            pulled = salesforce_records(LeadQuery(bulk), columns, lower)
        else:
            pulled = hubspot_records(ContactSearch(connection.client), columns, lower)
        try:
            staged = stage(pulled, columns, Path(work) / "pulled.jsonl")
            new_mark = next_mark(target, staged, lower)
            rows = merge(out, staged, columns, new_mark)
        except (HttpError, BulkJobError, SearchWindowError, HistoryError) as error:
            raise click.ClickException(f"{error}; {out} is unchanged") from None
    for field_id, count in sorted(staged.unreadable.items()):
        click.echo(
            f"accord: note: {count:,} values of `{field_id}` were not of its type; left empty",
            err=True,
        )
    if staged.without_id:
        click.echo(
            f"accord: note: {staged.without_id:,} records without `{columns.id.platform}`"
            " were left out",
            err=True,
        )
    since_text = f"modified since {iso_utc(lower)}" if lower is not None else "(all)"
    click.echo(
        f"accord: pulled {staged.records:,} leads from {target} {since_text};"
        f" {out} holds {rows:,} leads; the next pull starts from"
        f" {new_mark.high_water_mark or 'the beginning'}",
        err=True,
    )
    return EXIT_OK


# -- deploy: `accord plan` and `accord apply` (engine/deploy, docs/deploy.md) ---------------

DEPLOY_TARGET_OPTION = click.option(
    "--target",
    required=True,
    type=click.Choice(sorted(DEPLOY_PLATFORMS)),
    help="The platform to deploy to (its settings and credentials: docs/deploy.md).",
)
# Errors a deploy meets in the world: a message for the user (exit 1), never a traceback.
DEPLOY_ERRORS = (HttpError, MissingCredential, DeployError, JournalError, StalePlan, PlanError)


@contextmanager
def _deploy_errors(what: str) -> Iterator[None]:
    try:
        yield
    except DEPLOY_ERRORS as error:
        raise click.ClickException(f"{what}: {error}") from None


def _fresh_plan(project: Path, target: str) -> tuple[Platform, Plan]:
    """The platform and what it would take to make it match the definitions, read now."""
    loaded = _load_project(project)
    made = run_export(loaded, target, ExportOptions())
    click.echo(f"accord: {target}: {export_summary(made)}", err=True)
    with _deploy_errors(f"cannot read {target}"):
        platform = DEPLOY_PLATFORMS[target](DeploySettings(os.environ))
        return platform, make_plan(target, platform.desired(made), platform.current())


@accord.command("plan")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@DEPLOY_TARGET_OPTION
@TEXT_OR_JSON_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also save the plan (JSON) here, for `accord apply --plan`.",
)
def plan_command(project: Path, target: str, output_format: str, out: Path | None) -> int:
    """Show what `accord apply` would change on the platform, summary line first.

    What is deployed is read from the platform itself, so changes made there by hand show
    up. Only what Accord manages is compared (docs/deploy.md says what that is).
    """
    _, plan = _fresh_plan(project, target)
    text = render_plan_json(plan) if output_format == "json" else render_plan_text(plan)
    click.echo(text, nl=False)
    if out is not None:
        write_text_atomically(out, render_plan_json(plan))
        click.echo(f"accord: saved the plan to {out}; apply it with --plan {out}", err=True)
    return EXIT_OK


def _read_plan(path: Path) -> Plan:
    try:
        return plan_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, PlanError) as error:
        raise click.ClickException(f"cannot read the plan {path}: {error}") from None


@accord.command("apply")
@click.argument("project", default=".", type=click.Path(file_okay=False, path_type=Path))
@DEPLOY_TARGET_OPTION
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Apply this saved plan (from `accord plan --out`); refused if the platform or the"
    " definitions changed since it was made.",
)
@click.option("--yes", is_flag=True, help="Apply without asking (needed when not at a terminal).")
@click.option(
    "--journal",
    "journal_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where progress is recorded. Default: PROJECT/.accord/apply-TARGET.journal.json.",
)
def apply_command(
    project: Path, target: str, plan_file: Path | None, yes: bool, journal_file: Path | None
) -> int:
    """Make the platform match the definitions: the changes `accord plan` shows.

    Without --plan, a fresh plan is shown and confirmed (or --yes). Where the platform has
    no all-or-nothing deploy, each completed change is recorded in the journal: if apply
    stops half-way, running it again finishes the job.
    """
    saved = _read_plan(plan_file) if plan_file is not None else None
    journal_path = journal_file or project / ".accord" / f"apply-{target}.journal.json"
    platform, fresh = _fresh_plan(project, target)
    with _deploy_errors("apply refused"):
        decision = decide(fresh, saved, load_journal(journal_path), journal_path)
    journal = decision.journal
    if decision.resumed:
        click.echo(
            f"accord: finishing the apply recorded in {journal_path}"
            f" ({len(journal.done)} of {len(journal.plan.changes)} changes done before)",
            err=True,
        )
    click.echo(render_plan_text(decision.plan), nl=False)
    if not decision.plan.changes:
        if decision.resumed and not journal.complete:
            with _deploy_errors("cannot record the apply"):
                journal.finish()
        return EXIT_OK
    if saved is None and not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                "apply asks for confirmation, and standard input is not a terminal:"
                " pass --yes (or apply a reviewed plan with --plan)"
            )
        if not click.confirm(f"Apply these changes to {target}?", default=False):
            click.echo("accord: nothing applied", err=True)
            return EXIT_FINDINGS
    try:
        result = platform.apply(decision.plan, journal)
    except DEPLOY_ERRORS as error:
        raise click.ClickException(
            f"apply stopped: {error}\n{len(journal.done)} of {len(journal.plan.changes)}"
            f" changes are done and recorded in {journal_path}; fix the cause and run"
            " `accord apply` again to finish"
        ) from None
    skipped = f" ({len(result.skipped)} already done)" if result.skipped else ""
    click.echo(f"Apply complete: {len(result.applied)} changes made{skipped}.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: turn every outcome into one of the documented exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = accord.main(args=args, prog_name="accord", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_USAGE if isinstance(error, click.UsageError) else EXIT_FINDINGS)
    except click.exceptions.Abort:
        click.echo("accord: aborted", err=True)
        sys.exit(EXIT_FINDINGS)
    except Exception as error:  # a bug: say so plainly, without a traceback unless asked
        if "--debug" in args:
            traceback.print_exc()
        click.echo(
            f"accord: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in Accord, not in your definitions. Please report it with the command "
            "you ran (rerun with --debug for the traceback).",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


if __name__ == "__main__":
    main()
