"""The apply journal: which changes of a plan are done, so an interrupted apply can finish.

HubSpot and Marketo have no all-or-nothing deploy: an apply is a series of requests, and
any of them can fail. After each request that succeeds, the change is recorded here (the
file is rewritten whole, through a temporary file and a rename, so it is never half
written). The journal holds the plan it belongs to (keyed by that plan's remote and
desired fingerprints), so a later `accord apply` can tell that the platform differs from
the plan only by the plan's own completed changes, and finish the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine.atomic_file import write_text
from engine.deploy.plan import Change, Plan, PlanError, plan_from_json, plan_to_json

JOURNAL_FORMAT = "accord-journal/v1"


class JournalError(Exception):
    """The journal file cannot be read or written."""


@dataclass
class Journal:
    """The progress of applying `plan`, kept in the file at `path`."""

    path: Path
    plan: Plan
    done: list[str] = field(default_factory=list)  # Change.id of each completed change
    complete: bool = False

    def belongs_to(self, plan: Plan) -> bool:
        return (
            self.plan.target == plan.target
            and self.plan.remote_fingerprint == plan.remote_fingerprint
            and self.plan.desired_fingerprint == plan.desired_fingerprint
        )

    def is_done(self, change: Change) -> bool:
        return change.id in self.done

    def record(self, change: Change) -> None:
        """Note `change` as done, on disk, before the next request is sent."""
        if change.id not in self.done:
            self.done.append(change.id)
        self.save()

    def finish(self) -> None:
        self.complete = True
        self.save()

    def save(self) -> None:
        value = {
            "complete": self.complete,
            "done": self.done,
            "format": JOURNAL_FORMAT,
            "plan": plan_to_json(self.plan),
        }
        try:
            write_text(self.path, json.dumps(value, indent=2, sort_keys=True) + "\n")
        except OSError as error:
            raise JournalError(f"cannot write the journal {self.path}: {error.strerror}") from None


def load_journal(path: Path) -> Journal | None:
    """The journal at `path`, or None when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise JournalError(f"cannot read the journal {path}: {error.strerror}") from None
    try:
        value = json.loads(text)
        if not isinstance(value, dict) or value.get("format") != JOURNAL_FORMAT:
            raise PlanError(f'no "format": "{JOURNAL_FORMAT}"')
        done = value.get("done")
        if not isinstance(done, list) or not all(isinstance(d, str) for d in done):
            raise PlanError("`done` is not a list of change ids")
        plan = plan_from_json(value.get("plan"))
    except (ValueError, PlanError) as error:
        raise JournalError(
            f"{path} is not an Accord journal ({error}); move it away to start afresh"
        ) from None
    return Journal(path, plan, list(done), value.get("complete") is True)


@dataclass(frozen=True)
class ApplyResult:
    applied: tuple[Change, ...]  # sent to the platform by this run
    skipped: tuple[Change, ...]  # already done by an earlier, interrupted run (the journal)


def apply_each(
    changes: Iterable[Change], journal: Journal, write: Callable[[Change], None]
) -> ApplyResult:
    """Make each change with `write`, in order, recording each in the journal as soon as the
    platform has taken it; a change the journal has is skipped. An error from `write`
    stops the run, with what was done before it recorded."""
    applied: list[Change] = []
    skipped: list[Change] = []
    for change in changes:
        if journal.is_done(change):
            skipped.append(change)
            continue
        write(change)
        journal.record(change)
        applied.append(change)
    journal.finish()
    return ApplyResult(tuple(applied), tuple(skipped))
