"""The views of the service-levels page: SLAs with the calendars their clocks run on, the
calendars themselves, and the volume commitments between the teams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from engine.docs_site.facts import Link, TestView, one_line, owners_of, tests_naming, where
from engine.docs_site.links import HISTORY, Locator, anchor
from engine.ir import ROUTED_CALENDAR, Calendar, Duration, Project, WorkingHours
from engine.render.explanation import number

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class CalendarView:
    id: str
    anchor: str
    timezone: str
    hours: tuple[str, ...]  # `Mon-Fri 09:00-17:30`, with en dashes
    holidays: str | None
    closed: tuple[str, ...]
    where: str
    owners: str
    used_by: tuple[Link, ...]


@dataclass(frozen=True)
class SlaView:
    id: str
    anchor: str
    owner: str
    description: str | None
    applies_to: str
    clock: str  # `mql_at → first_touch_at`
    within: str
    calendars: tuple[Link, ...]
    routed: bool  # the clock runs on the calendar of the team or queue the lead is routed to
    escalate_to: Link | None
    recycle_after: str | None
    where: str
    owners: str
    tests: tuple[TestView, ...]
    compliance: str | None  # its compliance on the history page, when the site has one


@dataclass(frozen=True)
class CommitmentView:
    id: str
    anchor: str
    parties: str  # `Marketing → Sales`
    description: str | None
    measure: str
    target: str
    where: str


def duration(value: Duration) -> str:
    unit = value.unit.value[:-1] if value.amount == 1 else value.unit.value
    kind = "business " if value.business else ""
    return f"{number(value.amount)} {kind}{unit}"


def _clock(hours: WorkingHours) -> str:
    end = "24:00" if hours.end == dt.time.max else hours.end.strftime("%H:%M")
    return f"{hours.start.strftime('%H:%M')}\u2013{end}"


def opening_hours(calendar: Calendar) -> tuple[str, ...]:
    """One line per run of consecutive weekdays with the same hours: `Mon-Fri 09:00-17:30`
    (written with en dashes)."""
    by_day: dict[int, str] = {}
    for hours in sorted(calendar.hours, key=lambda h: (h.weekday, h.start)):
        clock = _clock(hours)
        by_day[hours.weekday] = (
            f"{by_day[hours.weekday]}, {clock}" if hours.weekday in by_day else clock
        )
    lines: list[str] = []
    days = sorted(by_day)
    start = 0
    for k in range(1, len(days) + 1):
        run_ends = (
            k == len(days) or days[k] != days[k - 1] + 1 or by_day[days[k]] != by_day[days[start]]
        )
        if run_ends:
            first, last = days[start], days[k - 1]
            label = WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}\u2013{WEEKDAYS[last]}"
            lines.append(f"{label} {by_day[first]}")
            start = k
    return tuple(lines) or ("closed every day",)


def calendars(project: Project, locator: Locator) -> tuple[CalendarView, ...]:
    views = []
    for calendar in project.calendars:
        users = []
        if project.routing:
            users += [
                Link(f"team {t.id}", locator.href("team", t.id))
                for t in project.routing.teams
                if t.calendar.id == calendar.id
            ]
            users += [
                Link(f"queue {q.id}", locator.href("queue", q.id))
                for q in project.routing.queues
                if q.calendar.id == calendar.id
            ]
        users += [
            Link(f"SLA {s.id}", locator.href("sla", s.id))
            for s in project.slas
            if calendar.id
            in (s.calendar.id, s.fallback_calendar.id if s.fallback_calendar else None)
        ]
        holidays = calendar.holidays
        views.append(
            CalendarView(
                calendar.id,
                anchor("calendar", calendar.id),
                calendar.timezone,
                opening_hours(calendar),
                None
                if holidays is None
                else holidays.country
                + (f"-{holidays.subdivision}" if holidays.subdivision else ""),
                tuple(day.isoformat() for day in sorted(calendar.closed)),
                where(calendar.span),
                owners_of(project, calendar.span.file),
                tuple(users),
            )
        )
    return tuple(views)


def slas(
    project: Project, locator: Locator, *, measured: Collection[str] = ()
) -> tuple[SlaView, ...]:
    """The SLAs; those in `measured` (ids) link to their compliance on the history page."""
    names = {party.id: party.name for party in project.parties}
    views = []
    for sla in project.slas:
        routed = sla.calendar.id == ROUTED_CALENDAR
        used = [] if routed else [sla.calendar.id]
        if sla.fallback_calendar is not None:
            used.append(sla.fallback_calendar.id)
        breach = sla.on_breach
        escalate = breach.escalate_to if breach else None
        escalate_link = None
        if escalate is not None:
            href = locator.href("team", escalate.id) or locator.href("queue", escalate.id)
            escalate_link = Link(escalate.id, href)
        views.append(
            SlaView(
                sla.id,
                anchor("sla", sla.id),
                names.get(sla.owner.id, sla.owner.id),
                one_line(sla.description),
                one_line(sla.applies_to.text) or "",
                f"{sla.start.id} \u2192 {sla.stop.id}",
                duration(sla.within),
                tuple(Link(c, locator.href("calendar", c)) for c in used),
                routed,
                escalate_link,
                duration(breach.recycle_after) if breach and breach.recycle_after else None,
                where(sla.span),
                owners_of(project, sla.span.file),
                tests_naming(project, "sla", sla.id),
                f"{HISTORY}#{anchor('compliance', sla.id)}" if sla.id in measured else None,
            )
        )
    return tuple(views)


def commitments(project: Project) -> tuple[CommitmentView, ...]:
    names = {party.id: party.name for party in project.parties}
    views = []
    for c in project.commitments:
        parties = names.get(c.owner.id, c.owner.id)
        if c.to is not None:
            parties += f" \u2192 {names.get(c.to.id, c.to.id)}"
        if c.of is not None:
            measure = f"{c.measure.value} of {one_line(c.of.text)} per {c.per.value}"
        else:
            measure = f"{c.measure.value} of SLA {c.sla.id if c.sla else ''} per {c.per.value}"
        bounds = []
        if c.at_least is not None:
            bounds.append(f"at least {number(c.at_least.value)}")
        if c.at_most is not None:
            bounds.append(f"at most {number(c.at_most.value)}")
        views.append(
            CommitmentView(
                c.id,
                anchor("commitment", c.id),
                parties,
                one_line(c.description),
                measure,
                ", ".join(bounds),
                where(c.span),
            )
        )
    return tuple(views)
