"""Commands that evaluate history: score, diff, sla report and check, docs."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from engine.atomic_file import write_text as write_text_atomically
from engine.bulk import OutputError, score_file
from engine.commands import common
from engine.commands.common import (
    AS_OF_OPTION,
    EXIT_FINDINGS,
    EXIT_OK,
    HISTORY_OPTION,
    PROJECT_ARGUMENT,
    TEXT_OR_JSON_OPTION,
    compiled_or_exit,
    load_project,
)
from engine.commands.engines import (
    ENGINE_OPTION,
    MEMORY_LIMIT_OPTION,
    SPARK_MASTER_OPTION,
    query_runner,
)
from engine.diff.gates import GateError, check_gates, parse_gate
from engine.diff.report import Impact, Revision
from engine.diff.run import STEPS as DIFF_STEPS
from engine.diff.run import run_diff
from engine.docs_site import SiteError, build_site, write_site
from engine.docs_site.history import read_history
from engine.leads import LeadDataError
from engine.leads.describe import describe_load
from engine.project import PROJECT_FILE
from engine.render.impact_format import revision as revision_name
from engine.render.impact_html import render_html
from engine.render.impact_json import render_json
from engine.render.impact_markdown import render_markdown
from engine.render.impact_text import render_text as render_impact_text
from engine.render.sla import REPORT_RENDERERS as SLA_RENDERERS
from engine.render.sla import render_check_text
from engine.render.sla import render_json as render_sla_json
from engine.revisions import RevisionError, read_revision, read_working_tree
from engine.sla.report import sla_check, sla_report
from engine.sla.run import with_clocks
from engine.sql.dialects import transpile
from engine.sql.query import compile_scoring_query

IMPACT_RENDERERS: dict[str, Callable[[Impact], str]] = {
    "text": render_impact_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}


@click.command()
@PROJECT_ARGUMENT
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
@AS_OF_OPTION
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
    loaded = load_project(project)
    clock = as_of or common.now()
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
        with query_runner(engine, spark_master) as runner:
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


DIFF_FORMATS = ("text", "markdown", "json", "html")


@click.command()
@PROJECT_ARGUMENT
@click.option(
    "--base",
    "base_ref",
    required=True,
    help="The git revision to compare against (e.g. origin/main).",
)
@click.option("--head", "head_ref", help="The revision with the change. Default: the working tree.")
@HISTORY_OPTION
@AS_OF_OPTION
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
        sides.append((named, compiled_or_exit(files.files, revision_name(named))))
    progress = progress_bar()
    try:
        with query_runner(engine, spark_master) as runner:
            impact = run_diff(
                sides[0],
                sides[1],
                leads,
                as_of or common.now(),
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


def progress_bar() -> Callable[[str], None] | None:
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


@click.group()
def sla() -> None:
    """Handoff SLAs replayed on history: compliance, breaches, and what is due now."""


@sla.command("report")
@PROJECT_ARGUMENT
@HISTORY_OPTION
@AS_OF_OPTION
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
    loaded = load_project(project)
    clock = as_of or common.now()
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
@PROJECT_ARGUMENT
@HISTORY_OPTION
@AS_OF_OPTION
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
    loaded = load_project(project)
    clock = as_of or common.now()
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


@click.command()
@PROJECT_ARGUMENT
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
@AS_OF_OPTION
def docs(project: Path, out: Path, leads: Path | None, as_of: dt.datetime | None) -> int:
    """Write the project's docs as a static site to --out: open index.html in a browser.

    A glossary with each team's aliases, live definitions, usages and an offline search;
    one page per score group; qualification; routing with its order as a diagram; SLAs
    with their calendars. With --leads, a history page of score, grade and stage charts
    and each SLA's compliance per month and team.
    """
    loaded = load_project(project)
    history = None
    if leads is not None:
        try:
            history = read_history(loaded, leads, as_of or common.now())
        except LeadDataError as error:
            raise click.ClickException(str(error)) from None
    pages = build_site(loaded, history)
    try:
        write_site(pages, out)
    except (SiteError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"accord: wrote {len(pages)} pages to {out} (open {out / 'index.html'})", err=True)
    return EXIT_OK
