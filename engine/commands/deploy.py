"""Commands that deploy the definitions: plan and apply."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from engine.atomic_file import write_text as write_text_atomically
from engine.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    PROJECT_ARGUMENT,
    TEXT_OR_JSON_OPTION,
    load_project,
)
from engine.credentials import MissingCredential
from engine.deploy import DeployError, Platform
from engine.deploy.journal import JournalError, load_journal
from engine.deploy.plan import Plan, PlanError, make_plan, plan_from_json
from engine.deploy.platforms import PLATFORMS as DEPLOY_PLATFORMS
from engine.deploy.platforms import Settings as DeploySettings
from engine.deploy.render import render_json as render_plan_json
from engine.deploy.render import render_text as render_plan_text
from engine.deploy.staleness import StalePlan, decide
from engine.export import ExportOptions
from engine.export.report import summary as export_summary
from engine.export.targets import run_export
from engine.http_client import HttpError

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
    loaded = load_project(project)
    made = run_export(loaded, target, ExportOptions())
    click.echo(f"accord: {target}: {export_summary(made)}", err=True)
    with _deploy_errors(f"cannot read {target}"):
        platform = DEPLOY_PLATFORMS[target](DeploySettings(os.environ))
        return platform, make_plan(target, platform.desired(made), platform.current())


@click.command("plan")
@PROJECT_ARGUMENT
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


@click.command("apply")
@PROJECT_ARGUMENT
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
