"""The `accord` command line: thin commands over the engine, each returning an exit code.

Exit codes: 0 ok (warnings allowed), 1 findings, 2 usage error, 3 internal error. The
commands live in engine/commands/ by area; this module gathers them and turns every
outcome into an exit code.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Sequence

import click

from engine import __version__
from engine.commands.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

# Each command by name, as `module:attribute`. A command's module is imported only when the
# command runs (or `--help` lists them all), so `accord validate` does not wait for DuckDB,
# Spark and the platform clients to import.
COMMANDS = {
    "validate": "engine.commands.definitions:validate",
    "test": "engine.commands.definitions:test_command",
    "explain": "engine.commands.definitions:explain",
    "glossary": "engine.commands.definitions:glossary",
    "compile": "engine.commands.definitions:compile_command",
    "score": "engine.commands.evaluation:score",
    "diff": "engine.commands.evaluation:diff",
    "sla": "engine.commands.evaluation:sla",
    "docs": "engine.commands.evaluation:docs",
    "export": "engine.commands.exports:export_command",
    "codeowners": "engine.commands.github:codeowners_command",
    "approvals": "engine.commands.github:approvals_command",
    "comment": "engine.commands.github:comment_command",
    "sync-scores": "engine.commands.sync:sync_scores_command",
    "history": "engine.commands.sync:history",
    "plan": "engine.commands.deploy:plan_command",
    "apply": "engine.commands.deploy:apply_command",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first asked for.
    https://click.palletsprojects.com/en/stable/complex/#defining-the-lazy-group"""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def accord(debug: bool) -> None:
    """Sales and marketing agreements as code.

    Definitions live in rules/, glossary/ and slas/ beside accord.yaml; see README.md.
    """


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
