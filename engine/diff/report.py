"""What an impact diff found: the typed report that every output format renders.

Every number is computed once, in engine.diff.measures, from the same leads scored by both
revisions; the formats (engine.render.impact_*) only lay it out. "Before" is the base
revision, "after" the head.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Count:
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def percent_change(self) -> float | None:
        """The change as a percentage of `before`; None when there was nothing before."""
        return None if self.before == 0 else 100.0 * self.delta / self.before


@dataclass(frozen=True)
class Tally:
    """How many leads had one value (a stage, a grade, an assignee) before and after."""

    value: str
    count: Count


@dataclass(frozen=True)
class Headline:
    leads: int
    qualified_stage: str | None  # leads at this stage or a later one count as qualified
    qualified: Count
    entered: int  # not qualified before, qualified after
    left: int  # qualified before, not after
    score_changed: int  # leads whose score moved by 0.005 or more
    stages: tuple[Tally, ...]  # funnel order, then `disqualified`


@dataclass(frozen=True)
class BreakdownRow:
    value: str  # MISSING for a lead without a value, OTHER for the folded tail
    leads: int
    qualified: Count
    entered: int
    left: int


MISSING = "(missing)"
OTHER = "(other)"


@dataclass(frozen=True)
class Breakdown:
    by: str  # a lead field id, or "grade" (the grade after the change)
    rows: tuple[BreakdownRow, ...]  # most leads first
    folded: int  # values folded into the OTHER row


@dataclass(frozen=True)
class HistogramBin:
    low: float  # inclusive
    high: float  # exclusive, except for the last bin
    count: Count


@dataclass(frozen=True)
class Spread:
    """The score's distribution on one side."""

    mean: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float


@dataclass(frozen=True)
class Transition:
    before: str  # a grade, or MISSING
    after: str
    leads: int


@dataclass(frozen=True)
class ScoreShift:
    bins: tuple[HistogramBin, ...]
    before: Spread
    after: Spread
    grades: tuple[Tally, ...]
    transitions: tuple[Transition, ...]  # every non-empty cell of the grade matrix


@dataclass(frozen=True)
class Confusion:
    """Qualified or not against whether the outcome happened, on one side."""

    qualified: int
    qualified_positive: int
    unqualified: int
    unqualified_positive: int

    @property
    def leads(self) -> int:
        return self.qualified + self.unqualified

    @property
    def positives(self) -> int:
        return self.qualified_positive + self.unqualified_positive

    @property
    def precision(self) -> float | None:
        """The conversion rate of qualified leads."""
        return _ratio(self.qualified_positive, self.qualified)

    @property
    def unqualified_rate(self) -> float | None:
        return _ratio(self.unqualified_positive, self.unqualified)

    @property
    def recall(self) -> float | None:
        """The share of all positive outcomes that the qualified leads hold."""
        return _ratio(self.qualified_positive, self.positives)

    @property
    def base_rate(self) -> float | None:
        return _ratio(self.positives, self.leads)

    @property
    def lift(self) -> float | None:
        """Precision over the base rate: how much better than picking leads at random."""
        if self.precision is None or not self.base_rate:
            return None
        return self.precision / self.base_rate


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class OutcomeQuality:
    outcome: str  # the outcome field's id
    meaning: str  # what counts as the outcome having happened, e.g. "converted is true"
    before: Confusion
    after: Confusion


class Direction(StrEnum):
    ENTERED = "entered"
    LEFT = "left"


@dataclass(frozen=True)
class Cause:
    """A definition whose change moved flipped leads: a rule whose points for the lead
    differ (`rule:<id>`), a disqualifier that holds on one side only (`disqualifier:<id>`),
    or, when neither, the stage conditions (`stages`) or the caps and decay (`caps or decay`).
    """

    cause: str
    entered: int
    left: int


@dataclass(frozen=True)
class Fired:
    rule: str
    points: int


@dataclass(frozen=True)
class Decision:
    """One lead's result on one side."""

    score: float
    groups: tuple[tuple[str, float], ...]
    grade: str | None
    stage: str | None
    disqualified_by: str | None
    route: str | None
    assignee: str | None
    rules_fired: tuple[Fired, ...]


@dataclass(frozen=True)
class Example:
    lead_id: str
    direction: Direction
    before: Decision
    after: Decision


@dataclass(frozen=True)
class Flips:
    causes: tuple[Cause, ...]  # most flips first
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Move:
    before: str  # an assignee: team:…, queue:…, user:…, or MISSING
    after: str
    leads: int


@dataclass(frozen=True)
class WeeklyLoad:
    """Leads per week of arrival for a team or member, on one side."""

    weeks: int  # weeks with at least one lead
    mean: float  # per week with at least one lead
    peak: int
    peak_week: dt.date | None  # the Monday of the first week at the peak
    over_capacity_weeks: int


@dataclass(frozen=True)
class Load:
    team: str
    member: str | None  # None: the team as a whole
    capacity: int | None  # per week; None when the definitions set none
    before: WeeklyLoad
    after: WeeklyLoad


@dataclass(frozen=True)
class Fairness:
    """Each member's share of a team's leads: the largest and the smallest."""

    team: str
    before_max: float | None
    before_min: float | None
    after_max: float | None
    after_min: float | None


@dataclass(frozen=True)
class RoutingImpact:
    assignees: tuple[Tally, ...]
    moved: int
    moves: tuple[Move, ...]  # leads whose assignee changed, largest flows first
    load: tuple[Load, ...]
    fairness: tuple[Fairness, ...]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"


@dataclass(frozen=True)
class DefinitionChange:
    kind: str  # rule, group, grade, disqualifier, stage, route, team, queue, term, sla, …
    id: str
    change: ChangeKind
    details: tuple[str, ...]  # what changed, e.g. "points 10 → 15"
    where: str  # file:line in the head (the base for a removed definition)
    owners: tuple[str, ...]  # the parties that own the definition's file


@dataclass(frozen=True)
class FieldChanges:
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class CommitmentPeriod:
    start: dt.date  # the period's first day
    before: float | None  # None: the side does not measure this commitment, or had no leads dated
    after: float | None
    met_before: bool | None
    met_after: bool | None


@dataclass(frozen=True)
class CommitmentImpact:
    """A volume commitment per period, as the base and the head would have delivered it."""

    id: str
    owner: str
    to: str | None
    target: str  # e.g. "at least 450 per month" (the head's, else the base's)
    measure: str  # "count" (leads), or "sla_compliance" (a share from 0 to 1)
    periods: tuple[CommitmentPeriod, ...]
    missed: Count  # periods missed on each side


@dataclass(frozen=True)
class SlaCounts:
    """An SLA's clocks on one side: met, breached, open past due, open in time."""

    met: int
    breached: int
    overdue: int
    open: int

    @property
    def compliance(self) -> float | None:
        """Met over met, breached and overdue (a clock open past due has missed it)."""
        decided = self.met + self.breached + self.overdue
        return None if decided == 0 else self.met / decided


@dataclass(frozen=True)
class SlaTeam:
    team: str  # the team, queue or user the clocks' leads are routed to
    before: SlaCounts
    after: SlaCounts


@dataclass(frozen=True)
class SlaImpact:
    """An SLA replayed under each side's rules and calendars."""

    sla: str
    within: str  # e.g. "4 business hours" (the head's, else the base's)
    before: SlaCounts
    after: SlaCounts
    teams: tuple[SlaTeam, ...]  # by assignee, most clocks after first


@dataclass(frozen=True)
class Revision:
    label: str  # what the user asked for: a ref, or "working tree"
    commit: str | None  # the commit it resolved to; None for the working tree


@dataclass(frozen=True)
class Impact:
    base: Revision
    head: Revision
    as_of: dt.datetime
    leads_file: str  # as given on the command line
    headline: Headline
    breakdowns: tuple[Breakdown, ...]
    score: ScoreShift
    outcomes: tuple[OutcomeQuality, ...]  # empty when the lead model marks no outcome
    flips: Flips
    routing: RoutingImpact | None  # None when neither side routes
    definitions: tuple[DefinitionChange, ...]
    fields: FieldChanges
    unreadable_values: int  # values in the leads file read as missing (see `accord score`)
    commitments: tuple[CommitmentImpact, ...] = ()  # commitments either side measures
    slas: tuple[SlaImpact, ...] = ()  # SLAs either side defines, replayed on the history
