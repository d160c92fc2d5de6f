"""Plans: what apply would change on a platform, from the desired and the deployed components.

A platform's state is a list of components, each a (kind, name) with its body as canonical
text (sorted-key JSON), so equal meaning is equal text and a plan is a plain text compare.
`make_plan` is pure. Only the components a platform lists as Accord's (its `current()`
decides: the `accord` property group, lists named `Accord …`, the score program's tokens)
are ever compared, so a plan never proposes removing what Accord did not create.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PLAN_FORMAT = "accord-plan/v1"


class PlanError(Exception):
    """A saved plan cannot be read."""


def canonical(value: object) -> str:
    """A component body as text: sorted keys, two-space indent (for readable diffs)."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Component:
    """One deployable thing on a platform: `kind` ("property", "list", "token", …), its
    `name` there, and its `body` as canonical text."""

    kind: str
    name: str
    body: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


class Action(enum.Enum):
    ADD = "add"
    CHANGE = "change"
    REMOVE = "remove"

    @property
    def symbol(self) -> str:
        return {"add": "+", "change": "~", "remove": "-"}[self.value]


@dataclass(frozen=True)
class Change:
    action: Action
    kind: str
    name: str
    before: str | None  # the deployed body; None for an add
    after: str | None  # the desired body; None for a remove

    @property
    def id(self) -> str:
        """A stable id for the journal: what is done to which component, towards which body."""
        digest = hashlib.sha256((self.after or "").encode()).hexdigest()[:16]
        return f"{self.action.value} {self.kind} {self.name} {digest}"


@dataclass(frozen=True)
class Plan:
    target: str
    changes: tuple[Change, ...]
    remote_fingerprint: str  # of what the platform held when the plan was made
    desired_fingerprint: str  # of what the definitions want deployed

    def count(self, action: Action) -> int:
        return sum(c.action is action for c in self.changes)


def fingerprint(components: Iterable[Component]) -> str:
    """sha256 of the components, in (kind, name) order: the same state, the same value."""
    rows = sorted([c.kind, c.name, c.body] for c in components)
    return "sha256:" + hashlib.sha256(canonical(rows).encode()).hexdigest()


def _unique(components: Sequence[Component], side: str) -> dict[tuple[str, str], Component]:
    found: dict[tuple[str, str], Component] = {}
    for c in components:
        if c.key in found:
            raise ValueError(f"two {side} components are {c.kind} {c.name!r}")
        found[c.key] = c
    return found


def make_plan(target: str, desired: Sequence[Component], current: Sequence[Component]) -> Plan:
    """The changes that make `current` equal `desired`. Adds and changes come in the order
    of `desired`, removes after them in the reverse order of `current`: platforms list
    components in dependency order (a group before its properties), so this order creates
    what others need first and removes what depends on others first."""
    wanted, deployed = _unique(desired, "desired"), _unique(current, "deployed")
    changes: list[Change] = []
    for c in desired:
        there = deployed.get(c.key)
        if there is None:
            changes.append(Change(Action.ADD, c.kind, c.name, None, c.body))
        elif there.body != c.body:
            changes.append(Change(Action.CHANGE, c.kind, c.name, there.body, c.body))
    for c in reversed(current):
        if c.key not in wanted:
            changes.append(Change(Action.REMOVE, c.kind, c.name, c.body, None))
    return Plan(target, tuple(changes), fingerprint(current), fingerprint(desired))


def remaining_part_of(fresh: Plan, original: Plan) -> bool:
    """Whether `fresh` is what is left of `original` once some of its changes were made:
    every fresh change is one of the original's, with the same before and after. Then the
    platform differs from the original plan's only by changes that plan itself makes."""
    planned = {(c.action, c.kind, c.name, c.before, c.after) for c in original.changes}
    return fresh.target == original.target and all(
        (c.action, c.kind, c.name, c.before, c.after) in planned for c in fresh.changes
    )


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "changes": [
            {
                "action": c.action.value,
                "after": c.after,
                "before": c.before,
                "kind": c.kind,
                "name": c.name,
            }
            for c in plan.changes
        ],
        "desired_fingerprint": plan.desired_fingerprint,
        "format": PLAN_FORMAT,
        "remote_fingerprint": plan.remote_fingerprint,
        "summary": {a.value: plan.count(a) for a in Action},
        "target": plan.target,
    }


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise PlanError(f"{what} is not a string")
    return value


def _optional_text(value: object, what: str) -> str | None:
    return None if value is None else _text(value, what)


def plan_from_json(value: object) -> Plan:
    """The plan `plan_to_json` wrote; PlanError when it is not one."""
    if not isinstance(value, dict) or value.get("format") != PLAN_FORMAT:
        raise PlanError(f'not an Accord plan (no "format": "{PLAN_FORMAT}")')
    raw_changes = value.get("changes")
    if not isinstance(raw_changes, list):
        raise PlanError("`changes` is not a list")
    changes = []
    for i, raw in enumerate(raw_changes):
        if not isinstance(raw, dict):
            raise PlanError(f"change {i + 1} is not an object")
        try:
            action = Action(raw.get("action"))
        except ValueError:
            raise PlanError(f"change {i + 1} has no valid `action`") from None
        changes.append(
            Change(
                action,
                _text(raw.get("kind"), f"change {i + 1}'s kind"),
                _text(raw.get("name"), f"change {i + 1}'s name"),
                _optional_text(raw.get("before"), f"change {i + 1}'s before"),
                _optional_text(raw.get("after"), f"change {i + 1}'s after"),
            )
        )
    return Plan(
        _text(value.get("target"), "`target`"),
        tuple(changes),
        _text(value.get("remote_fingerprint"), "`remote_fingerprint`"),
        _text(value.get("desired_fingerprint"), "`desired_fingerprint`"),
    )
