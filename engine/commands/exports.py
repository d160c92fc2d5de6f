"""The export command: the definitions as files for each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from engine.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    PROJECT_ARGUMENT,
    load_compiled,
)
from engine.diagnostics import Severity
from engine.export import ExportOptions
from engine.export.report import REPORT_FILE
from engine.export.report import summary as export_summary
from engine.export.targets import SQL_DIALECTS, run_export
from engine.export.targets import TARGETS as EXPORT_TARGETS
from engine.output_directory import Marker, OutputDirectoryError, write_directory
from engine.render.text import render_text

EXPORT_MARKER = Marker(".accord-export", "accord export", "export")
DIALECT_TARGETS = ("dbt", "sql")  # the export targets that write SQL


@click.command("export")
@PROJECT_ARGUMENT
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
    compiled = load_compiled(project)
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
