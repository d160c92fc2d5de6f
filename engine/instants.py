"""Instants as Accord holds them: naive datetimes in UTC, whatever zone they were written in."""

from __future__ import annotations

import datetime as dt


def utc(value: dt.datetime) -> dt.datetime:
    """A naive UTC datetime, the form both evaluators hold instants in."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)
