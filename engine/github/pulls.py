"""What `accord approvals` reads from GitHub: the pull request, its files, its reviews and
the reviewers' team memberships, as typed values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.github.approvals import ChangedFile, Review
from engine.github.client import GitHub, GitHubError, Repository

# GitHub lists at most 3000 files of a pull request
# (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files).
MAX_LISTED_FILES = 3000


@dataclass(frozen=True)
class PullRequest:
    number: int
    base: str  # the base commit's sha
    head: str  # the head commit's sha
    changed_files: int


def pull_request(github: GitHub, repo: Repository, number: int) -> PullRequest:
    """https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request"""
    _, data = github.get(f"{repo.path}/pulls/{number}")
    try:
        return PullRequest(
            number,
            str(data["base"]["sha"]),
            str(data["head"]["sha"]),
            int(data.get("changed_files", 0)),
        )
    except (KeyError, TypeError, ValueError):
        raise GitHubError(
            f"GitHub's answer about pull request #{number} has no base or head"
        ) from None


def changed_files(github: GitHub, repo: Repository, pull: PullRequest) -> tuple[ChangedFile, ...]:
    """Every file the pull request changes, renamed files with their old name.
    Fails when GitHub's list is cut short: an unlisted file could be an owned one."""
    listed = github.paginate(f"{repo.path}/pulls/{pull.number}/files")
    files = tuple(
        ChangedFile(str(item["filename"]), item.get("previous_filename"))
        for item in _objects(listed)
        if "filename" in item
    )
    if len(files) < pull.changed_files:
        raise GitHubError(
            f"pull request #{pull.number} changes {pull.changed_files} files but GitHub lists"
            f" {len(files)} (it lists at most {MAX_LISTED_FILES}); split the pull request"
        )
    return files


def reviews(github: GitHub, repo: Repository, number: int) -> tuple[Review, ...]:
    """https://docs.github.com/en/rest/pulls/reviews#list-reviews-for-a-pull-request"""
    found = []
    for item in _objects(github.paginate(f"{repo.path}/pulls/{number}/reviews")):
        user = item.get("user")
        if not isinstance(user, dict) or not user.get("login"):
            continue  # a deleted account: nobody to approve for a team
        found.append(
            Review(
                int(item.get("id", 0)),
                str(user["login"]),
                str(item.get("state", "")),
                item.get("commit_id"),
                item.get("submitted_at"),
            )
        )
    return tuple(found)


def active_memberships(
    github: GitHub, asks: Iterable[tuple[str, str, str]]
) -> frozenset[tuple[str, str]]:
    """(`@org/team`, login), lowercased, for each ask whose membership is active.

    https://docs.github.com/en/rest/teams/members#get-team-membership-for-a-user answers
    404 for a non-member; a pending invitation is not yet membership. The token needs the
    organisation's Members permission (read); GitHub Actions' own GITHUB_TOKEN has none.
    """
    members = set()
    for org, slug, login in asks:
        status, data = github.get(f"/orgs/{org}/teams/{slug}/memberships/{login}", ok=(404,))
        if status == 200 and isinstance(data, dict) and data.get("state") == "active":
            members.add((f"@{org}/{slug}".lower(), login.lower()))
    return frozenset(members)


def _objects(items: list[Any]) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)]
