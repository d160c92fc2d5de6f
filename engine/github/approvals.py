"""Two-team approvals: the verdict on a pull request from its files, owners, reviews and teams.

Pure: the REST calls that gather the inputs are in engine.github.pulls. A changed path is
owned by the parties CODEOWNERS-style rules give it at the base revision AND at the head,
so a pull request cannot drop an owner to dodge that owner's approval. A party approves
through a member of its `github:` team (or the user it names).

A reviewer's standing is their latest review that is not a plain comment, as on GitHub
(https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/reviewing-changes-in-pull-requests/about-pull-request-reviews):
APPROVED counts, CHANGES_REQUESTED and DISMISSED do not; an approval of an older commit
than the head does not count either (new commits need a new look).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.github.codeowners import OwnershipRule, owners_of

APPROVED = "APPROVED"
_STANDING_STATES = frozenset({APPROVED, "CHANGES_REQUESTED", "DISMISSED"})


@dataclass(frozen=True)
class ChangedFile:
    path: str
    previous_path: str | None = None  # the old name of a renamed file


@dataclass(frozen=True)
class Review:
    id: int
    reviewer: str  # the GitHub login
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING
    commit: str | None  # the commit reviewed
    submitted_at: str | None  # ISO 8601; None while pending


@dataclass(frozen=True)
class Team:
    """A party's `github:` handle: `@org/team` or `@user`."""

    handle: str

    @property
    def org_and_slug(self) -> tuple[str, str] | None:
        name = self.handle.removeprefix("@")
        if "/" not in name:
            return None
        org, slug = name.split("/", 1)
        return org, slug

    def covers(self, login: str, members: frozenset[tuple[str, str]]) -> bool:
        """Whether `login` approves for this team: a member, or the named user."""
        if self.org_and_slug is None:
            return self.handle.removeprefix("@").lower() == login.lower()
        return (self.handle.lower(), login.lower()) in members


@dataclass(frozen=True)
class PartyApproval:
    party: str
    team: Team | None  # None: the party has no `github:` handle, so nobody can approve
    files: tuple[str, ...]  # the changed paths this party owns
    approved_by: tuple[str, ...]

    @property
    def approved(self) -> bool:
        return bool(self.approved_by)


@dataclass(frozen=True)
class Verdict:
    parties: tuple[PartyApproval, ...]
    stale: tuple[str, ...]  # reviewers whose approval is of an older commit
    unknown_parties: tuple[str, ...] = ()  # owners named that accord.yaml does not declare

    @property
    def ok(self) -> bool:
        return all(p.approved for p in self.parties)


def owned_changes(
    changed: Sequence[ChangedFile], rule_sets: Sequence[Sequence[OwnershipRule]]
) -> dict[str, tuple[str, ...]]:
    """Each changed path that has owners → the union of its owners under every rule set
    (the base's and the head's), for its old name too when it was renamed."""
    owned: dict[str, tuple[str, ...]] = {}
    for change in changed:
        names = [change.path] + ([change.previous_path] if change.previous_path else [])
        parties = {p for rules in rule_sets for name in names for p in owners_of(name, rules)}
        if parties:
            owned[change.path] = tuple(sorted(parties))
    return dict(sorted(owned.items()))


def standing_reviews(
    reviews: Sequence[Review], head: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The logins whose standing review approves the head commit, and those whose
    approval is of an older commit; both sorted."""
    latest: dict[str, Review] = {}
    ordered = sorted(
        (r for r in reviews if r.state in _STANDING_STATES and r.submitted_at),
        key=lambda r: (r.submitted_at or "", r.id),
    )
    for review in ordered:
        latest[review.reviewer.lower()] = review
    approving = [r for r in latest.values() if r.state == APPROVED]
    current = sorted(r.reviewer for r in approving if r.commit in (None, head))
    stale = sorted(r.reviewer for r in approving if r.commit not in (None, head))
    return tuple(current), tuple(stale)


def teams_to_ask(
    owned: Mapping[str, Sequence[str]], handles: Mapping[str, str | None], approvers: Sequence[str]
) -> tuple[tuple[str, str, str], ...]:
    """The (org, team slug, login) memberships to look up: each approver in each owning
    team. A user handle needs no lookup."""
    teams = sorted({h for ps in owned.values() for p in ps if (h := handles.get(p))})
    asks = []
    for handle in teams:
        where = Team(handle).org_and_slug
        if where is not None:
            asks += [(where[0], where[1], login) for login in approvers]
    return tuple(sorted(set(asks)))


def verdict(
    owned: Mapping[str, Sequence[str]],
    handles: Mapping[str, str | None],
    approvers: Sequence[str],
    members: frozenset[tuple[str, str]],
    stale: Sequence[str] = (),
) -> Verdict:
    """Every owning party of every changed path, and who of the approvers approved for it.

    `members` holds (`@org/team` lowercased, login lowercased) for active memberships.
    """
    files_by_party: dict[str, list[str]] = {}
    for path, parties in owned.items():
        for party in parties:
            files_by_party.setdefault(party, []).append(path)
    result = []
    for party, files in sorted(files_by_party.items()):
        handle = handles.get(party)
        team = Team(handle) if handle else None
        by = tuple(sorted(a for a in approvers if team is not None and team.covers(a, members)))
        result.append(PartyApproval(party, team, tuple(sorted(files)), by))
    unknown = tuple(sorted(p for p in files_by_party if p not in handles))
    return Verdict(tuple(result), tuple(sorted(stale)), unknown)


def render_verdict(found: Verdict) -> str:
    """The verdict for people: each owning party, approved (by whom) or missing, and why."""
    if not found.parties:
        return "accord: no changed file has owners; no team approval is required\n"
    lines = []
    for party in found.parties:
        files = ", ".join(party.files)
        if party.approved:
            who = ", ".join(f"@{login}" for login in party.approved_by)
            lines.append(
                f"approved  {party.party} ({party.team and party.team.handle}) by {who}: {files}"
            )
        elif party.party in found.unknown_parties:
            lines.append(f"missing   {party.party}: not a party in accord.yaml; owns {files}")
        elif party.team is None:
            lines.append(
                f"missing   {party.party}: has no `github:` team in accord.yaml, so nobody can"
                f" approve for it; owns {files}"
            )
        else:
            lines.append(f"missing   {party.party} ({party.team.handle}): owns {files}")
    if found.stale:
        who = ", ".join(f"@{login}" for login in found.stale)
        lines.append(
            f"note: approvals of an older commit do not count: {who}; ask them to look again"
        )
    missing = [p.party for p in found.parties if not p.approved]
    if missing:
        lines.append(
            f"accord: {len(missing)} owning team(s) have not approved: {', '.join(missing)}"
        )
    else:
        lines.append(f"accord: every owning team approved ({len(found.parties)})")
    return "\n".join(lines) + "\n"
