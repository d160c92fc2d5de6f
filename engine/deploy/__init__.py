"""Deploy: `accord plan` and `accord apply`, Terraform-style, to each platform.

A platform (engine.deploy.platforms lists them) turns an export into the components it
wants deployed, reads the components deployed now from the platform itself (so a change
made by hand shows up as drift), and applies a plan. engine.deploy.plan compares the two;
engine.deploy.render shows the result; engine.deploy.journal lets an apply that stopped
half-way be finished by running it again. docs/deploy.md describes the whole loop.
"""

from __future__ import annotations

from typing import Protocol

from engine.deploy.journal import ApplyResult, Journal
from engine.deploy.plan import Component, Plan
from engine.export import Export


class DeployError(Exception):
    """A platform refused a change, or cannot make it; the message says what to do."""


class Platform(Protocol):
    """What `accord plan` and `accord apply` need of a platform.

    `desired` is pure; `current` and `apply` talk to the platform (through
    engine.http_client, or the platform's own client library). `current` lists only the
    components Accord manages there, so that nothing else is ever proposed for removal.
    Both list components in dependency order (what others need first), which
    `make_plan` keeps.
    """

    target: str

    def desired(self, export: Export) -> list[Component]:
        """The components the export of this target asks for."""
        ...

    def current(self) -> list[Component]:
        """The components Accord manages, as the platform holds them now."""
        ...

    def apply(self, plan: Plan, journal: Journal) -> ApplyResult:
        """Make the plan's changes. A platform without all-or-nothing deploys skips the
        changes `journal` has and records each one as it completes (see
        `engine.deploy.journal.apply_each`); a failure raises HttpError or DeployError."""
        ...


__all__ = ["ApplyResult", "Component", "DeployError", "Journal", "Plan", "Platform"]
