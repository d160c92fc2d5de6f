"""What the commands share: exit codes, the options several take, loading the project, the clock."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from engine.diagnostics import Severity
from engine.instants import utc
from engine.ir import Project
from engine.project import CompiledProject, NotAProject, compile_project, read_files
from engine.render.text import render_text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def parse_as_of(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.datetime | None:
    """--as-of: an ISO 8601 instant, UTC unless it has an offset; held as naive UTC."""
    if value is None:
        return None
    try:
        return utc(dt.datetime.fromisoformat(value.strip()))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time, e.g. 2026-03-02T10:00:00Z"
        ) from None


AS_OF_HELP = "The clock for decay, days_since and SLAs: an ISO 8601 time (UTC unless it has an offset). Default: now."


# Arguments and options several commands share, spelt once.
PROJECT_ARGUMENT = click.argument(
    "project", default=".", type=click.Path(file_okay=False, path_type=Path)
)
AS_OF_OPTION = click.option("--as-of", callback=parse_as_of, help=AS_OF_HELP)
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


HISTORY_OPTION = click.option(
    "--leads",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Historical leads: CSV, Parquet, JSON Lines or a DuckDB database file.",
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def load_project(root: Path) -> Project:
    """The validated project, or its diagnostics on stderr and exit code 1."""
    project = load_compiled(root).project
    assert project is not None
    return project


def load_compiled(root: Path) -> CompiledProject:
    """The validated project with its source texts, or its diagnostics and exit code 1."""
    try:
        files = read_files(root)
    except NotAProject as error:
        raise click.UsageError(
            f"{error}: run accord in a project's root, or pass the root's path"
        ) from None
    return checked_or_exit(files)


def compiled_or_exit(files: dict[str, bytes], revision: str | None = None) -> Project:
    """The project these files build, or their diagnostics on stderr and exit code 1."""
    project = checked_or_exit(files, revision).project
    assert project is not None
    return project


def checked_or_exit(files: dict[str, bytes], revision: str | None = None) -> CompiledProject:
    compiled = compile_project(files)
    if not compiled.ok or compiled.project is None:
        summary = validation_summary(compiled, len(files))
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


def validation_summary(compiled: CompiledProject, file_count: int) -> str:
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
