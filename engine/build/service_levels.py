"""Build ServiceLevels (slas/*.yaml): business calendars, handoff SLAs and commitments."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from typing import Any

from engine.build.context import BuildContext
from engine.document import Path
from engine.expressions.scope import Context
from engine.ir import (
    Breach,
    Calendar,
    Commitment,
    Duration,
    Holidays,
    Measure,
    Period,
    Sla,
    TimeUnit,
    WorkingHours,
)
from engine.span import Span

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION = re.compile(
    r"(?P<amount>[0-9]+(?:\.[0-9]+)?) (?:(?P<clock>business|calendar) )?(?P<unit>\w+)"
)
_UNITS = {
    "minute": TimeUnit.MINUTES,
    "hour": TimeUnit.HOURS,
    "day": TimeUnit.DAYS,
    "week": TimeUnit.WEEKS,
}


def build_calendars(ctx: BuildContext) -> tuple[Calendar, ...]:
    calendars = []
    for calendar_id, spec in ctx.value(("calendars",), {}).items():
        at: Path = ("calendars", calendar_id)
        holidays = spec.get("holidays")
        calendars.append(
            Calendar(
                id=calendar_id,
                timezone=spec["timezone"],
                timezone_span=ctx.span((*at, "timezone")),
                hours=_hours(ctx, (*at, "hours"), spec["hours"]),
                holidays=_holidays(ctx, (*at, "holidays"), holidays) if holidays else None,
                closed=tuple(
                    day
                    for index, text in enumerate(spec.get("closed", []))
                    if (day := parse_date(ctx, (*at, "closed", index), text)) is not None
                ),
                span=ctx.key_span(at),
            )
        )
    return tuple(calendars)


def _holidays(ctx: BuildContext, at: Path, spec: dict[str, str]) -> Holidays:
    return Holidays(
        country=spec["country"],
        country_span=ctx.span((*at, "country")),
        subdivision=spec.get("subdivision"),
        subdivision_span=ctx.span((*at, "subdivision")) if "subdivision" in spec else None,
    )


def _hours(ctx: BuildContext, at: Path, spec: dict[str, str]) -> tuple[WorkingHours, ...]:
    hours: list[WorkingHours] = []
    seen: dict[int, Span] = {}
    for days_text, intervals_text in spec.items():
        key_span = ctx.key_span((*at, days_text))
        days = _weekdays(days_text)
        for day in days:
            if day in seen:
                ctx.report(
                    "L107",
                    f"{WEEKDAYS[day]} is given working hours twice",
                    key_span,
                    help=f"each weekday may appear in one key only (first at line {seen[day].line})",
                )
            seen.setdefault(day, key_span)
        value_span = ctx.span((*at, days_text))
        intervals = []
        for part in intervals_text.split(","):
            interval = _interval(ctx, part.strip(), value_span)
            if interval is not None:
                intervals.append(interval)
        intervals.sort()
        for (_, first_end), (second_start, _) in pairwise(intervals):
            if second_start < first_end:
                ctx.report(
                    "L107",
                    f"working hours `{intervals_text}` overlap",
                    value_span,
                    help="list intervals that do not overlap",
                )
        hours += [
            WorkingHours(day, start, end, value_span) for day in days for start, end in intervals
        ]
    return tuple(sorted(hours, key=lambda h: (h.weekday, h.start)))


def _weekdays(text: str) -> list[int]:
    first, _, last = text.partition("-")
    start = WEEKDAYS.index(first)
    end = WEEKDAYS.index(last) if last else start
    return [(start + offset) % 7 for offset in range((end - start) % 7 + 1)]


def _interval(ctx: BuildContext, text: str, span: Span) -> tuple[dt.time, dt.time] | None:
    start_text, _, end_text = text.partition("-")
    start, end = _clock(start_text), _clock(end_text)
    if start is None or end is None or start == dt.time.max:
        bad = start_text if start is None or start == dt.time.max else end_text
        ctx.report(
            "L108",
            f"`{bad}` is not a time of day",
            span,
            help="write times as HH:MM from 00:00 to 24:00",
        )
        return None
    if end <= start:
        ctx.report(
            "L107",
            f"working hours `{text}` end before they start",
            span,
            help="write the earlier time first, e.g. `09:00-17:30`",
        )
        return None
    return start, end


def _clock(text: str) -> dt.time | None:
    hours, _, minutes = text.partition(":")
    if text == "24:00":
        return dt.time.max
    try:
        return dt.time(int(hours), int(minutes))
    except ValueError:
        return None


def parse_date(ctx: BuildContext, at: Path, text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        ctx.report(
            "L108",
            f"`{text}` is not a date in the calendar",
            ctx.span(at),
            help="write an existing date as YYYY-MM-DD",
        )
        return None


def parse_duration(ctx: BuildContext, at: Path) -> Duration:
    text = ctx.value(at)
    found = _DURATION.fullmatch(text)
    assert found is not None  # the schema's pattern guarantees the form
    unit = _UNITS[found["unit"].removesuffix("s")]
    return Duration(float(found["amount"]), unit, found["clock"] == "business", ctx.span(at))


def build_slas(ctx: BuildContext) -> tuple[Sla, ...]:
    slas = []
    for index, spec in enumerate(ctx.value(("slas",), [])):
        at: Path = ("slas", index)
        applies_to = ctx.condition((*at, "applies_to"), Context.SLA)
        if applies_to is None:
            continue
        breach = spec.get("on_breach")
        slas.append(
            Sla(
                id=spec["id"],
                owner=ctx.ref((*at, "owner")),
                description=spec.get("description"),
                applies_to=applies_to,
                start=ctx.ref((*at, "start")),
                stop=ctx.ref((*at, "stop")),
                within=parse_duration(ctx, (*at, "within")),
                calendar=ctx.ref((*at, "calendar")),
                fallback_calendar=ctx.optional_ref((*at, "fallback_calendar")),
                on_breach=_breach(ctx, (*at, "on_breach"), breach) if breach else None,
                span=ctx.span(at),
            )
        )
    return tuple(slas)


def _breach(ctx: BuildContext, at: Path, spec: dict[str, Any]) -> Breach:
    return Breach(
        escalate_to=ctx.optional_ref((*at, "escalate_to")),
        recycle_after=parse_duration(ctx, (*at, "recycle_after"))
        if "recycle_after" in spec
        else None,
    )


_MEASURE_KEYS = {Measure.COUNT: ("of", "dated_by"), Measure.SLA_COMPLIANCE: ("sla",)}


def build_commitments(ctx: BuildContext) -> tuple[Commitment, ...]:
    commitments = []
    for index, spec in enumerate(ctx.value(("commitments",), [])):
        at: Path = ("commitments", index)
        measure = Measure(spec["measure"])
        for other, keys in _MEASURE_KEYS.items():
            for key in keys if other is not measure else ():
                if key in spec:
                    ctx.report(
                        "S101",
                        f"`{key}` belongs to `{other.value}` commitments, not `{measure.value}`",
                        ctx.key_span((*at, key)),
                        help="remove it, or change `measure`",
                    )
        of = ctx.condition((*at, "of"), Context.COMMITMENT) if measure is Measure.COUNT else None
        commitments.append(
            Commitment(
                id=spec["id"],
                owner=ctx.ref((*at, "owner")),
                to=ctx.optional_ref((*at, "to")),
                description=spec.get("description"),
                measure=measure,
                of=of,
                dated_by=ctx.optional_ref((*at, "dated_by")) if measure is Measure.COUNT else None,
                sla=ctx.optional_ref((*at, "sla")) if measure is Measure.SLA_COMPLIANCE else None,
                per=Period(spec["per"]),
                at_least=ctx.expected((*at, "at_least")),
                at_most=ctx.expected((*at, "at_most")),
                span=ctx.span(at),
            )
        )
    return tuple(commitments)
