"""The `accord` command line: thin commands over the engine, each returning an exit code.

Exit codes: 0 ok (warnings allowed), 1 findings, 2 usage error, 3 internal error. The
commands live in engine/commands/ by area; this module gathers them and turns every
outcome into an exit code.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import click

from engine import __version__
from engine.commands import definitions, deploy, evaluation, exports, github, sync
from engine.commands.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def accord(debug: bool) -> None:
    """Sales and marketing agreements as code.

    Definitions live in rules/, glossary/ and slas/ beside accord.yaml; see README.md.
    """


for command in (
    definitions.validate,
    definitions.test_command,
    definitions.explain,
    definitions.glossary,
    definitions.compile_command,
    evaluation.score,
    evaluation.diff,
    evaluation.sla,
    evaluation.docs,
    exports.export_command,
    github.codeowners_command,
    github.approvals_command,
    github.comment_command,
    sync.sync_scores_command,
    sync.history,
    deploy.plan_command,
    deploy.apply_command,
):
    accord.add_command(command)


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
