"""Business calendars name real time zones and holiday calendars; teams' capacity adds up."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from dataclasses import replace
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
    """ISO 3166 country codes and their subdivisions; the package's aliases (`UK`) left out."""
    supported = holidays.list_supported_countries(include_aliases=False)
    return {country: tuple(subdivisions) for country, subdivisions in supported.items()}


def _iso_code_of(alias: str) -> str | None:
    """The ISO code behind one of the holidays package's aliases, e.g. `GB` for `UK`."""
    if alias not in holidays.list_supported_countries(include_aliases=True):
        return None
    return str(holidays.country_holidays(alias).country)


def check(project: Project) -> Iterator[Diagnostic]:
    for calendar in project.calendars:
        if calendar.timezone not in _timezones():
            yield unknown("time zone", calendar.timezone, calendar.timezone_span, _timezones())
        observed = calendar.holidays
        if observed is None:
            continue
        countries = _holiday_calendars()
        if observed.country not in countries:
            problem = unknown(
                "holiday country",
                observed.country,
                observed.country_span,
                countries,
                plural="holiday countries",
            )
            iso = _iso_code_of(observed.country)
            yield (
                replace(problem, help=f"the ISO 3166 code of `{observed.country}` is `{iso}`")
                if iso
                else problem
            )
        elif (
            observed.subdivision is not None
            and observed.subdivision_span is not None
            and observed.subdivision not in countries[observed.country]
        ):
            yield unknown(
                f"subdivision of {observed.country}",
                observed.subdivision,
                observed.subdivision_span,
                countries[observed.country],
                plural=f"subdivisions of {observed.country}",
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
