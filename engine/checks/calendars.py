"""Business calendars name real time zones and holiday calendars; teams' capacity adds up."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from functools import cache

import holidays

from engine.checks.references import unknown
from engine.diagnostics import Diagnostic, diagnostic
from engine.ir import Project


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def _holiday_calendars() -> dict[str, tuple[str, ...]]:
    return {
        country: tuple(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
    }


def check(project: Project) -> Iterator[Diagnostic]:
    for calendar in project.calendars:
        if calendar.timezone not in _timezones():
            yield unknown("time zone", calendar.timezone, calendar.timezone_span, _timezones())
        if calendar.holidays is not None:
            countries = _holiday_calendars()
            country, subdivision = calendar.holidays.country, calendar.holidays.subdivision
            if country not in countries:
                yield unknown("holiday country", country, calendar.holidays.span, countries)
            elif subdivision is not None and subdivision not in countries[country]:
                yield unknown(
                    f"subdivision of {country}",
                    subdivision,
                    calendar.holidays.span,
                    countries[country],
                )
        if not calendar.hours:
            yield diagnostic(
                "L107", f"calendar `{calendar.id}` has no working hours", calendar.span
            )
    if project.routing is None:
        return
    for team in project.routing.teams:
        promised = [m.capacity_per_week for m in team.members if m.capacity_per_week is not None]
        if team.capacity_per_week is not None and sum(promised) > team.capacity_per_week:
            yield diagnostic(
                "L109",
                f"team `{team.id}` can take {team.capacity_per_week} leads a week, but its members promise {sum(promised)}",
                team.span,
                help="raise the team's `capacity_per_week` or lower the members'",
            )
