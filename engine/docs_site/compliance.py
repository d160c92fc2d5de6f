"""The history page's SLA compliance: each SLA's report (engine.sla.report) as a view.

Per SLA: the overall rate with its counts, the median and p90 time to stop, a bar chart of
the rate per month (by the month the clock started) beside a table of the counts behind
each bar, and the same counts per team or queue. A month whose clocks are all still open
has no rate, so it gets a row in the table but no bar: a zero-height bar would read as 0%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from engine.docs_site.facts import Link
from engine.docs_site.links import Locator, anchor
from engine.ir import ROUTED_CALENDAR
from engine.render.impact_format import DASH, count, rate
from engine.render.impact_svg import AFTER, Series, bar_chart
from engine.sla.report import Compliance, SlaSummary

RATE_SERIES = "compliance %"


@dataclass(frozen=True)
class ComplianceRow:
    key: Link  # a month, or a team or queue (linked to its definition)
    met: str
    breached: str
    overdue: str
    open: str
    rate: str


@dataclass(frozen=True)
class ComplianceView:
    id: str
    anchor: str
    sla: Link  # to the SLA's definition
    within: str
    calendar: Link | None  # None: the calendar of the team or queue the lead is routed to
    overall: ComplianceRow
    applies: str
    not_started: str
    no_calendar: str
    median: str
    p90: str
    chart: Markup | None  # None when no month has a rate
    months: tuple[ComplianceRow, ...]
    teams: tuple[ComplianceRow, ...]


def hours(value: float | None) -> str:
    return DASH if value is None else f"{value:,.1f} h"


def _row(item: Compliance, key: Link) -> ComplianceRow:
    return ComplianceRow(
        key,
        count(item.met),
        count(item.breached),
        count(item.overdue),
        count(item.open),
        rate(item.rate),
    )


def _assignee(locator: Locator, key: str) -> Link:
    """`team:apac` links to the team, `queue:…` to the queue; a person or "(none)" is text."""
    kind, _, id_ = key.partition(":")
    href = locator.href(kind, id_) if kind in ("team", "queue") else None
    return Link(key, href)


def monthly_chart(sla: str, months: Sequence[Compliance]) -> Markup | None:
    """Bars of the compliance rate (in percent) of each month that has one."""
    decided = [(m.key, m.rate) for m in months if m.rate is not None]
    if not decided:
        return None
    return bar_chart(
        f"Compliance per month: {sla}",
        [month for month, _ in decided],
        [Series(RATE_SERIES, tuple(100.0 * value for _, value in decided), AFTER)],
    )


def compliance(locator: Locator, summaries: Sequence[SlaSummary]) -> tuple[ComplianceView, ...]:
    views = []
    for s in summaries:
        views.append(
            ComplianceView(
                s.sla,
                anchor("compliance", s.sla),
                Link(s.sla, locator.href("sla", s.sla)),
                s.within,
                None
                if s.calendar == ROUTED_CALENDAR
                else Link(s.calendar, locator.href("calendar", s.calendar)),
                _row(s.overall, Link("all", None)),
                count(s.applies),
                count(s.not_started),
                count(s.no_calendar),
                hours(s.median_hours),
                hours(s.p90_hours),
                monthly_chart(s.sla, s.by_month),
                tuple(_row(m, Link(m.key, None)) for m in s.by_month),
                tuple(_row(t, _assignee(locator, t.key)) for t in s.by_team),
            )
        )
    return tuple(views)
