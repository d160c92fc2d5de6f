"""`accord approvals` end to end: read the pull request from GitHub and the owners from git,
then judge. The IO edge around the pure engine.github.approvals."""

from __future__ import annotations

from pathlib import Path

from engine.github.approvals import (
    Verdict,
    owned_changes,
    standing_reviews,
    teams_to_ask,
    verdict,
)
from engine.github.client import GitHub, GitHubError, Repository
from engine.github.codeowners import OwnershipRule, ownership
from engine.github.pulls import active_memberships, changed_files, pull_request, reviews
from engine.project import compile_project
from engine.revisions import RevisionError, read_revision


def check_approvals(
    github: GitHub,
    repo: Repository,
    number: int,
    root: Path,
    base_ref: str | None = None,
    head_ref: str | None = None,
) -> Verdict:
    """Whether every party owning a changed path has approved pull request `number`.

    The owners come from the project in `root`'s git repository at the pull request's base
    and head commits (or `base_ref`/`head_ref`), both of which must be in the local clone.
    Raises GitHubError, HttpError or RevisionError.
    """
    pull = pull_request(github, repo, number)
    files = changed_files(github, repo, pull)
    base_rules, base_handles = _owners_at(root, base_ref or pull.base)
    head_rules, head_handles = _owners_at(root, head_ref or pull.head)
    # A party's team as the base names it: the pull request cannot hand a party's approval
    # to another team by editing accord.yaml (which its owners must approve anyway).
    handles = {**head_handles, **base_handles}
    owned = owned_changes(files, [base_rules, head_rules])
    approvers, stale = standing_reviews(reviews(github, repo, number), pull.head)
    members = active_memberships(github, teams_to_ask(owned, handles, approvers))
    return verdict(owned, handles, approvers, members, stale)


def _owners_at(root: Path, ref: str) -> tuple[tuple[OwnershipRule, ...], dict[str, str | None]]:
    try:
        files = read_revision(root, ref)
    except RevisionError as error:
        raise RevisionError(
            f"{error} (the pull request's commits must be in the clone: check out with"
            " `fetch-depth: 0`)"
        ) from None
    project = compile_project(files.files).project
    if project is None:
        # Without accord.yaml there are no parties: nobody could be asked, so fail closed.
        raise GitHubError(f"the definitions at {ref[:12]} have no valid accord.yaml; fix it first")
    return ownership(project), {p.id: p.github for p in project.parties}
