"""Business-time arithmetic, with due times worked out by hand in naive UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.business_time import BusinessCalendar, business_calendar
from engine.ir import Calendar, Duration, Holidays, TimeUnit, WorkingHours
from engine.span import Span

# Offsets used below: New York EST -5 / EDT -4 (2026-03-08 to 2026-11-01); Berlin CET +1 /
# CEST +2 (2026-03-29 to 2026-10-25); London GMT 0; Singapore +8, no DST.

SPAN = Span.point("slas/calendars.yaml", 1, 1)
MON_FRI = range(5)
Hours = dict[int, list[tuple[str, str]]]


def _clock(text: str) -> dt.time:
    return dt.time.max if text == "24:00" else dt.time.fromisoformat(text)


def calendar(
    timezone: str,
    hours: Hours,
    country: str | None = None,
    subdivision: str | None = None,
    closed: tuple[dt.date, ...] = (),
) -> BusinessCalendar:
    working = tuple(
        WorkingHours(day, _clock(start), _clock(end), SPAN)
        for day, intervals in sorted(hours.items())
        for start, end in intervals
    )
    observed = Holidays(country, SPAN, subdivision, SPAN) if country else None
    return BusinessCalendar(Calendar("test", timezone, SPAN, working, observed, closed, SPAN))


def every(days: range, *intervals: tuple[str, str]) -> Hours:
    return {day: list(intervals) for day in days}


# The example calendars of slas/calendars.yaml.
AMER = calendar(
    "America/New_York",
    every(MON_FRI, ("09:00", "17:30")),
    "US",
    closed=(dt.date(2026, 11, 27), dt.date(2026, 12, 24), dt.date(2026, 12, 31)),
)
EMEA = calendar(
    "Europe/Berlin",
    every(MON_FRI, ("09:00", "12:30"), ("13:30", "18:00")),
    "DE",
    "BE",
    closed=(dt.date(2026, 12, 24), dt.date(2026, 12, 31)),
)
UK = calendar(
    "Europe/London", every(MON_FRI, ("08:00", "18:00")), "GB", "ENG", (dt.date(2026, 12, 24),)
)
APAC = calendar(
    "Asia/Singapore",
    {**every(range(4), ("09:00", "18:00")), 4: [("09:00", "15:00")]},
    "SG",
    closed=(dt.date(2026, 2, 16), dt.date(2026, 12, 24)),
)
# Open around the clock: every DST change falls inside working time.
BERLIN_ALWAYS = calendar("Europe/Berlin", every(range(7), ("00:00", "24:00")))
NEW_YORK_ALWAYS = calendar("America/New_York", every(range(7), ("00:00", "24:00")))
# A night shift across midnight: Friday 20:00-24:00 and Saturday 00:00-02:00.
NIGHT_SHIFT = calendar("Etc/UTC", {4: [("20:00", "24:00")], 5: [("00:00", "02:00")]})


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


def business(amount: float, unit: TimeUnit) -> Duration:
    return Duration(amount, unit, True, SPAN)


def elapsed_time(amount: float, unit: TimeUnit) -> Duration:
    return Duration(amount, unit, False, SPAN)


HOURS, MINUTES, DAYS, WEEKS = TimeUnit.HOURS, TimeUnit.MINUTES, TimeUnit.DAYS, TimeUnit.WEEKS


@pytest.mark.parametrize(
    ("cal", "start", "duration", "due"),
    [
        # AMER. Friday 2026-06-05 16:00 EDT + 2 business days: Tuesday 16:00 EDT.
        (AMER, utc(2026, 6, 5, 20), business(2, DAYS), utc(2026, 6, 9, 20)),
        # Saturday 12:00 EDT moves to Monday 09:00 EDT; 2 business days on: Wednesday 09:00.
        (AMER, utc(2026, 6, 6, 16), business(2, DAYS), utc(2026, 6, 10, 13)),
        # Friday 16:00 EDT + 4 business hours: 1.5 h on Friday, 2.5 h from Monday 09:00.
        (AMER, utc(2026, 6, 5, 20), business(4, HOURS), utc(2026, 6, 8, 15, 30)),
        # Wednesday before Thanksgiving 16:00 EST: 1.5 h, then Thursday (holiday), Friday
        # (closed) and the weekend are skipped: Monday 11-30 11:30 EST.
        (AMER, utc(2026, 11, 25, 21), business(4, HOURS), utc(2026, 11, 30, 16, 30)),
        # Thursday 2026-07-02 17:00 EDT: Friday is Independence Day observed (the 4th is a
        # Saturday), so the second half hour is Monday 09:00-09:30 EDT.
        (AMER, utc(2026, 7, 2, 21), business(1, HOURS), utc(2026, 7, 6, 13, 30)),
        # Clocks go forward on Sunday 2026-03-08: Friday 16:00 EST + 1 business day is
        # Monday 16:00 EDT, 71 hours later rather than 72.
        (AMER, utc(2026, 3, 6, 21), business(1, DAYS), utc(2026, 3, 9, 20)),
        (AMER, utc(2026, 3, 6, 21), business(4, HOURS), utc(2026, 3, 9, 15, 30)),
        # Clocks go back on Sunday 2026-11-01: Friday 16:00 EDT -> Monday 16:00 EST.
        (AMER, utc(2026, 10, 30, 20), business(1, DAYS), utc(2026, 11, 2, 21)),
        # EMEA (lunch 12:30-13:30). Monday 2026-06-08 12:00 CEST + 1 h: 12:00-12:30 and
        # 13:30-14:00.
        (EMEA, utc(2026, 6, 8, 10), business(1, HOURS), utc(2026, 6, 8, 12)),
        # Arriving at 12:45, in the lunch break: the clock starts at 13:30.
        (EMEA, utc(2026, 6, 8, 10, 45), business(30, MINUTES), utc(2026, 6, 8, 12)),
        # 11:30 + 1 h fits exactly before lunch: due 12:30, not 13:30.
        (EMEA, utc(2026, 6, 8, 9, 30), business(1, HOURS), utc(2026, 6, 8, 10, 30)),
        # 11:45 + 1.5 h: 45 min before lunch, 45 min after: 14:15 CEST.
        (EMEA, utc(2026, 6, 8, 9, 45), business(1.5, HOURS), utc(2026, 6, 8, 12, 15)),
        # 1 business day from the lunch break counts from 13:30: Tuesday 13:30 CEST.
        (EMEA, utc(2026, 6, 8, 10, 45), business(1, DAYS), utc(2026, 6, 9, 11, 30)),
        # Maundy Thursday 2026-04-02 17:00 CEST: 1 h, then Good Friday, the weekend and
        # Easter Monday: Tuesday 10:00 CEST.
        (EMEA, utc(2026, 4, 2, 15), business(2, HOURS), utc(2026, 4, 7, 8)),
        # Wednesday 2026-12-23 17:00 CET: the 24th is closed, the 25th a holiday, then a
        # weekend: Monday 12-28 10:00 CET.
        (EMEA, utc(2026, 12, 23, 16), business(2, HOURS), utc(2026, 12, 28, 9)),
        # Women's Day, Monday 2027-03-08, is a holiday in Berlin only: Tuesday 10:00 CET.
        (EMEA, utc(2027, 3, 5, 16), business(2, HOURS), utc(2027, 3, 9, 9)),
        # 1 business week is 5 business days; Whit Monday 05-25 is skipped: from Wednesday
        # 05-20 10:00 CEST to Thursday 05-28 10:00 CEST.
        (EMEA, utc(2026, 5, 20, 8), business(1, WEEKS), utc(2026, 5, 28, 8)),
        # Friday 16:00 CEST + 1.5 business days: Monday 16:00 is 1 day; the working time from
        # Monday 16:00 to Tuesday 16:00 is 8 h, half of it 4 h: 2 h on Monday, 2 h on
        # Tuesday from 09:00, so Tuesday 11:00 CEST.
        (EMEA, utc(2026, 6, 5, 14), business(1.5, DAYS), utc(2026, 6, 9, 9)),
        # APAC (Friday 09:00-15:00). Thursday 17:00 SGT + 1 business day: Friday 17:00 is
        # after closing, so the end of Friday's working time, 15:00 SGT.
        (APAC, utc(2026, 6, 4, 9), business(1, DAYS), utc(2026, 6, 5, 7)),
        # Thursday 17:00 + 2 business hours: 1 h on Thursday, Friday 09:00-10:00.
        (APAC, utc(2026, 6, 4, 9), business(2, HOURS), utc(2026, 6, 5, 2)),
        # Wednesday 12:00 SGT + 1 business week: Wednesday 06-17 12:00 SGT.
        (APAC, utc(2026, 6, 10, 4), business(1, WEEKS), utc(2026, 6, 17, 4)),
        # Friday 14:00 + 0.5 business days: 0 days is Friday 14:00, 1 day Monday 14:00, with
        # 6 h of working time between (1 h Friday, 5 h Monday); half is 3 h: Monday 11:00.
        (APAC, utc(2026, 6, 5, 6), business(0.5, DAYS), utc(2026, 6, 8, 3)),
        # Friday 2026-02-13 10:00 SGT + 2 business days: Monday 16 closed, Tuesday 17 and
        # Wednesday 18 Chinese New Year, so Thursday 19 then Friday 20 at 10:00 SGT.
        (APAC, utc(2026, 2, 13, 2), business(2, DAYS), utc(2026, 2, 20, 2)),
        # Around the clock in New York: Saturday 2026-03-07 12:00 EST + 1 business day is
        # Sunday 12:00 EDT, 23 hours later.
        (NEW_YORK_ALWAYS, utc(2026, 3, 7, 17), business(1, DAYS), utc(2026, 3, 8, 16)),
        # Berlin, Saturday 2026-03-28 02:30 CET + 1 business day: Sunday 02:30 does not
        # exist; the clock first reads 02:30 or later at the jump, 03:00 CEST = 01:00 UTC.
        (BERLIN_ALWAYS, utc(2026, 3, 28, 1, 30), business(1, DAYS), utc(2026, 3, 29, 1)),
        # Saturday 2026-10-24 02:30 CEST + 1 business day: Sunday 02:30 happens twice; the
        # first time, 02:30 CEST = 00:30 UTC, counts.
        (BERLIN_ALWAYS, utc(2026, 10, 24, 0, 30), business(1, DAYS), utc(2026, 10, 25, 0, 30)),
        # Sunday 2026-10-25 02:10 CET is the second pass through 02:00-03:00: it reads as
        # the end of the repeat, 03:00, so Monday 03:00 CET = 02:00 UTC.
        (BERLIN_ALWAYS, utc(2026, 10, 25, 1, 10), business(1, DAYS), utc(2026, 10, 26, 2)),
        # 24 business hours over the spring-forward night are 24 real hours.
        (BERLIN_ALWAYS, utc(2026, 3, 28, 12), business(24, HOURS), utc(2026, 3, 29, 12)),
        # Night shift: Friday 23:00 + 2 h runs past 24:00 into Saturday's 00:00-02:00.
        (NIGHT_SHIFT, utc(2026, 6, 5, 23), business(2, HOURS), utc(2026, 6, 6, 1)),
        # Friday 22:00 + 2 h ends exactly at 24:00, Friday's closing.
        (NIGHT_SHIFT, utc(2026, 6, 5, 22), business(2, HOURS), utc(2026, 6, 6)),
        # Saturday 01:00 + 2 h: 1 h now, 1 h from next Friday 20:00.
        (NIGHT_SHIFT, utc(2026, 6, 6, 1), business(2, HOURS), utc(2026, 6, 12, 21)),
        # Zero business time from a weekend is the next opening, Monday 09:00 CEST.
        (EMEA, utc(2026, 6, 6, 12), business(0, HOURS), utc(2026, 6, 8, 7)),
        (EMEA, utc(2026, 6, 6, 12), business(0, DAYS), utc(2026, 6, 8, 7)),
        # Zero business time from an open instant is that instant.
        (EMEA, utc(2026, 6, 8, 8), business(0, MINUTES), utc(2026, 6, 8, 8)),
        # Calendar time is plain elapsed time, DST or not: a day is 24 hours.
        (AMER, utc(2026, 3, 6, 21), elapsed_time(3, DAYS), utc(2026, 3, 9, 21)),
        (AMER, utc(2026, 3, 6, 21), elapsed_time(1.5, HOURS), utc(2026, 3, 6, 22, 30)),
        (AMER, utc(2026, 3, 6, 21), elapsed_time(45, MINUTES), utc(2026, 3, 6, 21, 45)),
        (AMER, utc(2026, 3, 6, 21), elapsed_time(2, WEEKS), utc(2026, 3, 20, 21)),
    ],
)
def test_add(
    cal: BusinessCalendar, start: dt.datetime, duration: Duration, due: dt.datetime
) -> None:
    assert cal.add(start, duration) == due


def test_fractions_are_exact_to_the_microsecond() -> None:
    # Monday 2026-06-08 09:00 CEST; 0.0001 h is 360 ms.
    assert EMEA.add(utc(2026, 6, 8, 7), business(0.0001, HOURS)) == dt.datetime(
        2026, 6, 8, 7, 0, 0, 360_000
    )
    # 1/3 h is 20 min once rounded to the microsecond.
    assert EMEA.add(utc(2026, 6, 8, 7), business(1 / 3, HOURS)) == utc(2026, 6, 8, 7, 20)


def test_subdivision_holidays_apply_only_to_their_subdivision() -> None:
    germany = calendar("Europe/Berlin", every(MON_FRI, ("09:00", "18:00")), "DE")
    # Friday 2027-03-05 17:00 CET + 2 h: outside Berlin Monday 8 March is a working day.
    assert germany.add(utc(2027, 3, 5, 16), business(2, HOURS)) == utc(2027, 3, 8, 9)
    assert not EMEA.is_open(utc(2027, 3, 8, 9))
    # 2 January is a bank holiday in Scotland, not in England.
    scotland = calendar("Europe/London", every(MON_FRI, ("08:00", "18:00")), "GB", "SCT")
    assert UK.is_open(utc(2026, 1, 2, 10))
    assert not scotland.is_open(utc(2026, 1, 2, 10))


@pytest.mark.parametrize(
    ("cal", "at", "expected"),
    [
        (EMEA, utc(2026, 6, 8, 7), True),  # Monday 09:00 CEST: opening is open
        (EMEA, utc(2026, 6, 8, 10, 29), True),  # 12:29
        (EMEA, utc(2026, 6, 8, 10, 30), False),  # 12:30: closing is closed
        (EMEA, utc(2026, 6, 8, 10, 45), False),  # lunch
        (EMEA, utc(2026, 6, 8, 11, 30), True),  # 13:30
        (EMEA, utc(2026, 6, 6, 10), False),  # Saturday
        (EMEA, utc(2026, 12, 24, 10), False),  # closed date
        (EMEA, utc(2026, 12, 25, 10), False),  # Christmas
        (AMER, utc(2026, 11, 26, 15), False),  # Thanksgiving 10:00 EST
        (AMER, utc(2026, 11, 25, 15), True),  # the day before
        (NIGHT_SHIFT, utc(2026, 6, 6), True),  # Saturday 00:00, after Friday's 24:00
        (NIGHT_SHIFT, utc(2026, 6, 5, 23, 59), True),
        (NIGHT_SHIFT, utc(2026, 6, 6, 2), False),
    ],
)
def test_is_open(cal: BusinessCalendar, at: dt.datetime, expected: bool) -> None:
    assert cal.is_open(at) is expected


def test_elapsed() -> None:
    # Friday 2026-06-05 17:00 CEST to Monday 14:00 CEST: 1 h + 3.5 h + 0.5 h.
    assert EMEA.elapsed(utc(2026, 6, 5, 15), utc(2026, 6, 8, 12)) == dt.timedelta(hours=5)
    # A whole week, Monday 00:00 CEST to Monday 00:00 CEST: 5 x 8 h.
    week = EMEA.elapsed(utc(2026, 6, 7, 22), utc(2026, 6, 14, 22))
    assert week == dt.timedelta(hours=40)
    # Stop not after start: zero.
    assert EMEA.elapsed(utc(2026, 6, 8, 12), utc(2026, 6, 8, 8)) == dt.timedelta(0)
    assert EMEA.elapsed(utc(2026, 6, 8, 8), utc(2026, 6, 8, 8)) == dt.timedelta(0)
    # Across the Friday 20:00 UTC - Saturday 02:00 UTC night shift, 19:00 to 03:00: 6 h.
    assert NIGHT_SHIFT.elapsed(utc(2026, 6, 5, 19), utc(2026, 6, 6, 3)) == dt.timedelta(hours=6)


@pytest.mark.parametrize(
    ("cal", "start", "stop", "hours"),
    [
        # Local days of 23 and 25 hours when open around the clock.
        (BERLIN_ALWAYS, utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), 23),
        (BERLIN_ALWAYS, utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), 25),
        (NEW_YORK_ALWAYS, utc(2026, 3, 8, 5), utc(2026, 3, 9, 4), 23),
        (NEW_YORK_ALWAYS, utc(2026, 11, 1, 4), utc(2026, 11, 2, 5), 25),
    ],
)
def test_working_time_of_dst_days(
    cal: BusinessCalendar, start: dt.datetime, stop: dt.datetime, hours: int
) -> None:
    assert cal.elapsed(start, stop) == dt.timedelta(hours=hours)


def test_intervals_around_the_spring_forward_gap() -> None:
    # Sunday 01:00-04:00 in Berlin on 2026-03-29: 01:00 CET = 00:00 UTC to 04:00 CEST =
    # 02:00 UTC, 2 hours since 02:00-03:00 never happens.
    early = calendar("Europe/Berlin", {6: [("01:00", "04:00")]})
    assert early.elapsed(utc(2026, 3, 28), utc(2026, 3, 30)) == dt.timedelta(hours=2)
    assert early.add(utc(2026, 3, 29), business(2, HOURS)) == utc(2026, 3, 29, 2)
    # 2.5 h: the last half hour from Sunday 04-05 01:00 CEST = Saturday 23:00 UTC.
    assert early.add(utc(2026, 3, 29), business(2.5, HOURS)) == utc(2026, 4, 4, 23, 30)
    # 02:30-05:00 opens inside the gap: at the jump, 01:00 UTC (03:00 CEST), until 05:00
    # CEST = 03:00 UTC.
    late = calendar("Europe/Berlin", {6: [("02:30", "05:00")]})
    assert not late.is_open(dt.datetime(2026, 3, 29, 0, 59, 59, 999_999))
    assert late.is_open(utc(2026, 3, 29, 1))
    assert late.elapsed(utc(2026, 3, 28), utc(2026, 3, 30)) == dt.timedelta(hours=2)
    # New York, Sunday 01:00-03:00 on 2026-03-08: 01:00 EST = 06:00 UTC to 03:00 EDT =
    # 07:00 UTC.
    new_york = calendar("America/New_York", {6: [("01:00", "03:00")]})
    assert new_york.elapsed(utc(2026, 3, 8), utc(2026, 3, 9)) == dt.timedelta(hours=1)


def test_intervals_around_the_fall_back_overlap() -> None:
    # Sunday 01:00-04:00 in Berlin on 2026-10-25: 01:00 CEST = 23:00 UTC on Saturday to
    # 04:00 CET = 03:00 UTC, 4 hours as 02:00-03:00 happens twice.
    early = calendar("Europe/Berlin", {6: [("01:00", "04:00")]})
    assert early.elapsed(utc(2026, 10, 24), utc(2026, 10, 26)) == dt.timedelta(hours=4)
    # 00:00-02:30 closes the first time the clock reads 02:30 (CEST, 00:30 UTC): the second
    # pass through 02:10 (CET, 01:10 UTC) is closed.
    night = calendar("Europe/Berlin", {6: [("00:00", "02:30")]})
    assert night.is_open(utc(2026, 10, 25, 0, 29))
    assert not night.is_open(utc(2026, 10, 25, 1, 10))
    assert night.elapsed(utc(2026, 10, 24), utc(2026, 10, 26)) == dt.timedelta(hours=2.5)
    # New York, Sunday 01:00-03:00 on 2026-11-01: 01:00 EDT = 05:00 UTC to 03:00 EST =
    # 08:00 UTC.
    new_york = calendar("America/New_York", {6: [("01:00", "03:00")]})
    assert new_york.elapsed(utc(2026, 11, 1), utc(2026, 11, 2)) == dt.timedelta(hours=3)


def test_invalid_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="finite amount >= 0"):
        EMEA.add(utc(2026, 6, 8), business(-1, HOURS))
    with pytest.raises(ValueError, match="finite amount >= 0"):
        EMEA.add(utc(2026, 6, 8), business(float("nan"), HOURS))


def test_a_calendar_without_hours_never_opens() -> None:
    never = calendar("Europe/Berlin", {})
    assert not never.is_open(utc(2026, 6, 8, 10))
    assert never.elapsed(utc(2026, 1, 1), utc(2027, 1, 1)) == dt.timedelta(0)
    assert never.add(utc(2026, 6, 8), elapsed_time(1, HOURS)) == utc(2026, 6, 8, 1)
    for duration in (business(1, HOURS), business(1, DAYS), business(1, WEEKS)):
        with pytest.raises(ValueError, match="calendar `test` has no working time"):
            never.add(utc(2026, 6, 8), duration)


def _mondays(first: dt.date, years: int) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(weeks=week) for week in range(years * 53))


def test_the_search_for_working_time_gives_up_after_ten_years() -> None:
    # Open on Mondays only; every Monday for eleven years is closed.
    mondays = {0: [("09:00", "17:00")]}
    shut = calendar("Etc/UTC", mondays, closed=_mondays(dt.date(2026, 1, 5), 11))
    with pytest.raises(ValueError, match="no working time in the ten years"):
        shut.add(utc(2026, 1, 1), business(1, HOURS))
    # Nine years closed: 53 x 9 = 477 Mondays from 2026-01-05, the last 476 weeks later on
    # 2035-02-19, so the first open Monday is 2035-02-26.
    reopens = calendar("Etc/UTC", mondays, closed=_mondays(dt.date(2026, 1, 5), 9))
    assert reopens.add(utc(2026, 1, 1), business(1, HOURS)) == utc(2035, 2, 26, 10)


def test_business_calendars_are_shared_per_calendar() -> None:
    assert business_calendar(EMEA.calendar) is business_calendar(EMEA.calendar)


# Properties, over the example calendars and the DST-heavy ones.

CALENDARS = st.sampled_from([AMER, EMEA, UK, APAC, BERLIN_ALWAYS, NEW_YORK_ALWAYS, NIGHT_SHIFT])
INSTANTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31))
CLOCK_UNITS = st.sampled_from([MINUTES, HOURS])
ANY_UNIT = st.sampled_from([MINUTES, HOURS, DAYS, WEEKS])
AMOUNTS = st.floats(min_value=0, max_value=100)
UNIT_LENGTH = {MINUTES: dt.timedelta(minutes=1), HOURS: dt.timedelta(hours=1)}


@settings(deadline=None, max_examples=300)
@given(CALENDARS, INSTANTS, AMOUNTS, CLOCK_UNITS)
def test_elapsed_undoes_add(
    cal: BusinessCalendar, start: dt.datetime, amount: float, unit: TimeUnit
) -> None:
    due = cal.add(start, business(amount, unit))
    assert cal.elapsed(start, due) == amount * UNIT_LENGTH[unit]


@settings(deadline=None, max_examples=300)
@given(CALENDARS, INSTANTS, AMOUNTS, ANY_UNIT)
def test_add_lands_on_working_time(
    cal: BusinessCalendar, start: dt.datetime, amount: float, unit: TimeUnit
) -> None:
    due = cal.add(start, business(amount, unit))
    assert due >= start
    # An open instant, or the closing of an interval.
    assert cal.is_open(due) or cal.is_open(due - dt.timedelta(microseconds=1))


@settings(deadline=None, max_examples=300)
@given(CALENDARS, INSTANTS, INSTANTS, AMOUNTS, ANY_UNIT)
def test_add_is_monotonic_in_start(
    cal: BusinessCalendar, one: dt.datetime, other: dt.datetime, amount: float, unit: TimeUnit
) -> None:
    early, late = sorted((one, other))
    duration = business(amount, unit)
    assert cal.add(early, duration) <= cal.add(late, duration)


@settings(deadline=None, max_examples=300)
@given(CALENDARS, INSTANTS, AMOUNTS, AMOUNTS, ANY_UNIT)
def test_add_is_monotonic_in_amount(
    cal: BusinessCalendar, start: dt.datetime, one: float, other: float, unit: TimeUnit
) -> None:
    small, large = sorted((one, other))
    assert cal.add(start, business(small, unit)) <= cal.add(start, business(large, unit))


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([BERLIN_ALWAYS, NEW_YORK_ALWAYS]), st.integers(0, 4 * 3600), AMOUNTS)
def test_add_is_monotonic_through_the_repeated_hour(
    cal: BusinessCalendar, seconds: int, days: float
) -> None:
    # Four hours around the fall-back change, when the wall clock runs an hour twice:
    # Berlin 02:00-03:00 from 01:00 UTC, New York 01:00-02:00 from 06:00 UTC.
    base = utc(2026, 10, 24, 23) if cal is BERLIN_ALWAYS else utc(2026, 11, 1, 4)
    start = base + dt.timedelta(seconds=seconds)
    later = start + dt.timedelta(minutes=1)
    assert cal.add(start, business(days, DAYS)) <= cal.add(later, business(days, DAYS))


# Random weekly hours in zones with DST changes (Lord Howe's is half an hour), starting near
# the changes, so that clocks skip or repeat inside working time.

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Singapore"]
CHANGES = [  # 2026 DST changes, UTC
    utc(2026, 3, 29, 1),
    utc(2026, 10, 25, 1),
    utc(2026, 3, 8, 7),
    utc(2026, 11, 1, 6),
    utc(2026, 4, 4, 15),
    utc(2026, 10, 3, 15, 30),
]


@st.composite
def weekly_hours(draw: st.DrawFn) -> Hours:
    hours: Hours = {}
    for day in range(7):
        # Boundaries on the half hour, 00:00 to 24:00, paired into ordered intervals (an odd
        # one out is dropped).
        cuts = sorted(draw(st.sets(st.integers(0, 48), max_size=4)))
        pairs = zip(cuts[::2], cuts[1::2], strict=False)
        hours[day] = [(_half_hour(start), _half_hour(end)) for start, end in pairs]
    return hours


def _half_hour(index: int) -> str:
    return "24:00" if index == 48 else f"{index // 2:02}:{index % 2 * 30:02}"


RANDOM_CALENDARS = st.builds(calendar, st.sampled_from(ZONES), weekly_hours()).filter(
    lambda cal: any(hours.end > hours.start for hours in cal.calendar.hours)
)
NEAR_CHANGES = st.builds(
    lambda change, seconds: change + dt.timedelta(seconds=seconds),
    st.sampled_from(CHANGES),
    st.integers(-3 * 86400, 3 * 86400),
)


@settings(deadline=None, max_examples=300)
@given(RANDOM_CALENDARS, NEAR_CHANGES, NEAR_CHANGES, AMOUNTS, ANY_UNIT)
def test_properties_on_random_calendars(
    cal: BusinessCalendar, one: dt.datetime, other: dt.datetime, amount: float, unit: TimeUnit
) -> None:
    early, late = sorted((one, other))
    duration = business(amount, unit)
    due = cal.add(early, duration)
    assert early <= due <= cal.add(late, duration)
    assert cal.is_open(due) or cal.is_open(due - dt.timedelta(microseconds=1))
    assert due <= cal.add(early, business(amount + 0.5, unit))
    if unit in (MINUTES, HOURS):
        assert cal.elapsed(early, due) == amount * UNIT_LENGTH[unit]
