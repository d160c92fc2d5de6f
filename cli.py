"""The `accord` command line: thin commands over the engine, each returning an exit code.

Exit codes: 0 ok (warnings allowed), 1 findings, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from engine import __version__
from engine.diagnostics import Severity
from engine.project import CompiledProject, NotAProject, compile_project, read_files
from engine.render import RENDERERS
from engine.render.text import render_text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


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
        _write_atomically(output, report)
        click.echo(summary, err=True)
    return EXIT_OK if compiled.ok else EXIT_FINDINGS


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


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
