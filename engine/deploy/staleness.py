"""Whether apply may go ahead: a saved plan against the platform now, and an unfinished journal.

`accord apply` always re-reads the platform and makes a fresh plan; what it sends is the
fresh plan's changes. A saved plan (`--plan`) is honoured only if the fresh plan is the
same plan, or, when an earlier apply of that plan was interrupted (its journal says so),
what is left of it. Anything else means someone changed the platform or the definitions
since the plan was reviewed, and apply refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.deploy.journal import Journal
from engine.deploy.plan import Plan, remaining_part_of


class StalePlan(Exception):
    """The saved plan no longer describes what apply would do."""


@dataclass(frozen=True)
class Decision:
    plan: Plan  # the changes to send: the fresh plan
    journal: Journal  # where progress goes (an earlier, unfinished one when resuming)
    resumed: bool  # whether an interrupted apply is being finished


def _short(fingerprint: str) -> str:
    return fingerprint.removeprefix("sha256:")[:12]


def decide(fresh: Plan, saved: Plan | None, existing: Journal | None, path: Path) -> Decision:
    """What to apply and with which journal; StalePlan when the saved plan is stale."""
    if saved is None:
        if (
            existing is not None
            and not existing.complete
            and existing.plan.desired_fingerprint == fresh.desired_fingerprint
            and remaining_part_of(fresh, existing.plan)
        ):
            return Decision(fresh, existing, resumed=True)
        return Decision(fresh, Journal(path, fresh), resumed=False)
    if saved.target != fresh.target:
        raise StalePlan(f"the plan is for {saved.target}, not {fresh.target}")
    if saved.desired_fingerprint != fresh.desired_fingerprint:
        raise StalePlan(
            "the definitions changed since the plan was made (desired"
            f" {_short(saved.desired_fingerprint)}, now {_short(fresh.desired_fingerprint)}):"
            " review a new plan (`accord plan --out …`)"
        )
    mine = existing if existing is not None and existing.belongs_to(saved) else None
    if saved.remote_fingerprint == fresh.remote_fingerprint:
        journal = mine or Journal(path, saved)
        return Decision(fresh, journal, resumed=bool(journal.done))
    if mine is not None and remaining_part_of(fresh, saved):
        return Decision(fresh, mine, resumed=True)
    raise StalePlan(
        f"{fresh.target} changed since the plan was made (remote"
        f" {_short(saved.remote_fingerprint)}, now {_short(fresh.remote_fingerprint)}):"
        " someone or something changed what Accord manages there; review a new plan"
        " (`accord plan --out …`)"
    )
