"""Commands for the pull-request loop on GitHub: codeowners, approvals, comment."""

from __future__ import annotations

import os
from pathlib import Path

import click

from engine.atomic_file import write_text as write_text_atomically
from engine.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    PROJECT_ARGUMENT,
    load_project,
)
from engine.credentials import MissingCredential
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
from engine.http_client import HttpError
from engine.project import PROJECT_FILE
from engine.revisions import RevisionError


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


@click.command("codeowners")
@PROJECT_ARGUMENT
@click.option(
    "--check", is_flag=True, help="Exit 1 with the difference if the committed file is out of date."
)
def codeowners_command(project: Path, check: bool) -> int:
    """Write .github/CODEOWNERS from the owners each definition names (see docs/gitops.md)."""
    loaded = load_project(project)
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


@click.command("approvals")
@PROJECT_ARGUMENT
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


@click.command("comment")
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
