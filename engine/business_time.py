"""Business time on one calendar: whether it is open, when a duration falls due, time worked."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from engine.ir import Calendar, Duration, TimeUnit

# The rules implemented here are documented for users in docs/business-time.md; keep both
# in step. Every instant going in or out is a naive UTC datetime, as the evaluators keep them.

Interval = tuple[dt.datetime, dt.datetime]  # one open period [opens, closes), naive UTC

_ZERO = dt.timedelta(0)
_ONE_DAY = dt.timedelta(days=1)
_RESOLUTION = dt.timedelta(microseconds=1)
_MIDNIGHT = dt.time(0)
# Ten years without a minute of working time means the calendar has none: stop looking.
_SEARCH_LIMIT_DAYS = 3653
_UNIT = {
    TimeUnit.MINUTES: dt.timedelta(minutes=1),
    TimeUnit.HOURS: dt.timedelta(hours=1),
    TimeUnit.DAYS: dt.timedelta(days=1),
    TimeUnit.WEEKS: dt.timedelta(weeks=1),
}


class BusinessCalendar:
    """The working time of one `Calendar`, with its days' open intervals cached in UTC."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._zone = ZoneInfo(calendar.timezone)
        # Per weekday: (start, end, whether the end is 24:00, i.e. the next day's midnight).
        self._hours = tuple(
            tuple(
                sorted(
                    (h.start, _MIDNIGHT if h.end == dt.time.max else h.end, h.end == dt.time.max)
                    for h in calendar.hours
                    if h.weekday == weekday
                )
            )
            for weekday in range(7)
        )
        # A business week is as many business days as the calendar has working weekdays.
        self._days_per_week = sum(1 for hours in self._hours if hours)
        self._closed = frozenset(calendar.closed)
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        self._days: dict[dt.date, tuple[Interval, ...]] = {}

    def is_open(self, at: dt.datetime) -> bool:
        """Whether `at` lies inside an open interval (opening included, closing excluded)."""
        date = self._local(at).date()
        # A clock set back over midnight can show yesterday's date inside today's hours.
        intervals = self._day(date) + self._day(date + _ONE_DAY)
        return any(opens <= at < closes for opens, closes in intervals)

    def add(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """The instant `duration` after `start`: elapsed time, or working time if business."""
        if not math.isfinite(duration.amount) or duration.amount < 0:
            raise ValueError(f"a duration must be a finite amount >= 0, not {duration.amount}")
        if not duration.business:
            return start + duration.amount * _UNIT[duration.unit]
        if duration.unit is TimeUnit.DAYS:
            return self._add_days(start, duration.amount)
        if duration.unit is TimeUnit.WEEKS:
            return self._add_days(start, duration.amount * self._days_per_week)
        return self._add_working_time(start, duration.amount * _UNIT[duration.unit])

    def elapsed(self, start: dt.datetime, stop: dt.datetime) -> dt.timedelta:
        """The working time between two instants; zero when `stop` is not after `start`."""
        total = _ZERO
        if stop <= start:
            return total
        # One day more: a clock set back over midnight shows `stop` on the day before.
        date, last = self._local(start).date(), self._local(stop).date() + _ONE_DAY
        while date <= last:
            for opens, closes in self._day(date):
                total += max(min(closes, stop) - max(opens, start), _ZERO)
            date += _ONE_DAY
        return total

    def working_intervals(self, date: dt.date) -> tuple[Interval, ...]:
        """The open intervals of local date `date` in naive UTC, in order; none on a day off.

        For the bulk evaluator (engine.sql.business_time), which materialises them in SQL.
        """
        return self._day(date)

    def _add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The first instant by which `amount` of working time has passed since `start`."""
        remaining = amount
        for _, (opens, closes) in self._intervals_after(start):
            begin = max(opens, start)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("_intervals_after never runs out")

    def _add_days(self, start: dt.datetime, days: float) -> dt.datetime:
        """Whole days keep the wall-clock time; a fraction interpolates in working time."""
        whole = math.floor(days)
        date, anchor = self._anchor(start)
        due = self._same_time_later(date, anchor, whole)
        fraction = days - whole
        if fraction == 0:
            return due
        following = self._same_time_later(date, anchor, whole + 1)
        return self._add_working_time(due, fraction * self.elapsed(due, following))

    def _anchor(self, start: dt.datetime) -> tuple[dt.date, dt.datetime]:
        """`start` if open, else the next opening; with the working day it belongs to."""
        date, (opens, _) = next(self._intervals_after(start))
        return date, max(opens, start)

    def _same_time_later(self, date: dt.date, anchor: dt.datetime, days: int) -> dt.datetime:
        """The anchor's wall-clock time on the `days`-th working day after `date`."""
        if days == 0:
            return anchor
        target = date
        for _ in range(days):
            target = self._next_working_date(target)
        return self._on_day(target, self._clock(anchor))

    def _clock(self, at: dt.datetime) -> dt.time:
        """The wall-clock time of `at`, never behind a time the clock already showed that day.

        When the clocks go back, an instant in the repeated hour's second pass reads as the
        end of the repeat (03:00 for Berlin's 02:00-03:00), so later instants never fall due
        earlier.
        """
        local = self._local(at)
        if not local.fold:
            return local.time()
        first_pass = local.replace(fold=0)
        turn = self._transition(local.replace(tzinfo=None) - _offset(first_pass), at)
        return (turn + _offset(first_pass)).time()

    def _on_day(self, date: dt.date, clock: dt.time) -> dt.datetime:
        """`clock` on working day `date`; if closed then, its next opening or its last closing."""
        at = self._instant(date, clock)
        intervals = self._day(date)
        for opens, closes in intervals:
            if at < closes:
                return max(opens, at)
        return intervals[-1][1]

    def _next_working_date(self, date: dt.date) -> dt.date:
        for _ in range(_SEARCH_LIMIT_DAYS):
            date += _ONE_DAY
            if self._day(date):
                return date
        raise self._no_working_time(date)

    def _intervals_after(self, at: dt.datetime) -> Iterator[tuple[dt.date, Interval]]:
        """The open intervals that close after `at`, in order, with their working day."""
        date = self._local(at).date()
        idle = 0
        while idle < _SEARCH_LIMIT_DAYS:
            intervals = self._day(date)
            for interval in intervals:
                if interval[1] > at:
                    yield date, interval
            idle = 0 if intervals else idle + 1
            date += _ONE_DAY
        raise self._no_working_time(date)

    def _no_working_time(self, date: dt.date) -> ValueError:
        return ValueError(
            f"calendar `{self.calendar.id}` has no working time in the ten years before {date}"
        )

    def _day(self, date: dt.date) -> tuple[Interval, ...]:
        """The open intervals of one local date, in order; none on a day off."""
        found = self._days.get(date)
        if found is None:
            found = self._days[date] = self._compute_day(date)
        return found

    def _compute_day(self, date: dt.date) -> tuple[Interval, ...]:
        hours = self._hours[date.weekday()]
        if not hours or date in self._closed or date in self._holiday_dates(date.year):
            return ()
        intervals = (
            (
                self._instant(date, start),
                self._instant(date + _ONE_DAY if next_day else date, end),
            )
            for start, end, next_day in hours
        )
        # A wall-clock interval inside a skipped hour never opens.
        return tuple((opens, closes) for opens, closes in intervals if opens < closes)

    def _holiday_dates(self, year: int) -> frozenset[dt.date]:
        found = self._holidays_by_year.get(year)
        if found is None:
            observed = self.calendar.holidays
            found = frozenset(
                holidays.country_holidays(observed.country, subdiv=observed.subdivision, years=year)
                if observed is not None
                else ()
            )
            self._holidays_by_year[year] = found
        return found

    def _local(self, at: dt.datetime) -> dt.datetime:
        """The calendar's wall-clock reading at naive UTC instant `at`."""
        return at.replace(tzinfo=dt.UTC).astimezone(self._zone)

    def _instant(self, date: dt.date, clock: dt.time) -> dt.datetime:
        """The first instant at which the local clock reads `clock` on `date`, or later.

        A time the clock repeats (autumn) is its first occurrence; a time it skips (spring)
        is the moment the clock jumps over it.
        """
        wall = dt.datetime.combine(date, clock, tzinfo=self._zone)
        before, after = _offset(wall), _offset(wall.replace(fold=1))
        naive = wall.replace(tzinfo=None)
        if after > before:  # PEP 495: in a gap, fold=1 takes the (larger) offset after it
            return self._transition(naive - after, naive - before)
        return naive - before

    def _transition(self, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
        """The instant the clocks change, given an instant before and one after (naive UTC)."""
        offset = _offset(self._local(latest))
        while latest - earliest > _RESOLUTION:
            middle = earliest + (latest - earliest) // 2
            if _offset(self._local(middle)) == offset:
                latest = middle
            else:
                earliest = middle
        return latest


@lru_cache(maxsize=64)
def business_calendar(calendar: Calendar) -> BusinessCalendar:
    """One `BusinessCalendar` per calendar, so its cached days and holidays are shared."""
    return BusinessCalendar(calendar)


def _offset(wall: dt.datetime) -> dt.timedelta:
    offset = wall.utcoffset()
    assert offset is not None  # always aware: ZoneInfo answers for every instant
    return offset
