"""Business time in bulk: due times and time worked for every row of a DuckDB table at once.

engine.business_time answers for one lead at a time. Here a calendar's working time is
materialised once, as three small tables taken from `BusinessCalendar.working_intervals`
(so both evaluators count the same working time by construction):

- `<name>_intervals`: the open intervals in UTC, in order, each with the working time
  (microseconds) before and after it, counted from the first, and its working day's number;
- `<name>_days`: the working days, numbered in order, with their last closing;
- `<name>_zone`: the time zone's UTC offsets, for the wall-clock rule of business days.

Each row then takes a few ASOF joins rather than a walk over days: the time worked between
two instants is the difference of the running totals at each; N business minutes or hours
fall due where the running total reaches the start's plus N; N business days keep the wall
clock N working days on. The rules are those of docs/business-time.md, and the results
equal `BusinessCalendar.add` and `.elapsed` to the microsecond
(tests/unit/test_business_time_sql.py). Instants are naive UTC TIMESTAMPs, as elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import duckdb

from engine.business_time import business_calendar
from engine.ir import Calendar, Duration, TimeUnit
from engine.sql.literals import identifier, string, timestamp

_UNIT = {
    TimeUnit.MINUTES: dt.timedelta(minutes=1),
    TimeUnit.HOURS: dt.timedelta(hours=1),
    TimeUnit.DAYS: dt.timedelta(days=1),
    TimeUnit.WEEKS: dt.timedelta(weeks=1),
}
_ONE_DAY = dt.timedelta(days=1)
_RESOLUTION = dt.timedelta(microseconds=1)
# Offsets are sampled every six hours, each change then found to the microsecond: no time
# zone changes its offset and back within six hours (changes are months apart).
_SAMPLE = dt.timedelta(hours=6)
# Working columns carry this prefix and are dropped before a query returns.
_HIDDEN = "__accord_bt_"
# A fraction a/b of a day (b a power of two, a < 2**53) is exact in HUGEINT up to
# b = 2**120; past that it is under 2**-67, and of under 2**63 microseconds rounds to none.
_MAX_FRACTION_BITS = 120


@dataclass(frozen=True)
class CalendarTables:
    """One calendar's working time in DuckDB, exact for instants from `earliest` to `latest`."""

    calendar: Calendar
    intervals: str  # opens, closes, before, after (µs of working time), day
    days: str  # day (its number), date, closes (its last closing), after
    zone: str  # since (UTC), until (wall clock), offset (µs), floor (wall clock)
    earliest: dt.datetime
    latest: dt.datetime


def create_calendar_tables(
    connection: duckdb.DuckDBPyConnection,
    calendar: Calendar,
    earliest: dt.datetime,
    latest: dt.datetime,
    name: str,
    durations: Sequence[Duration] = (),
) -> CalendarTables:
    """Temporary tables for instants from `earliest` to `latest` and due times after them.

    They reach the due time of `latest` after each of `durations`: no earlier start falls
    due later (see `time_range` for the range of a table's columns).
    """
    if earliest > latest:
        raise ValueError(f"the range starts at {earliest}, after its end {latest}")
    reach = max([latest, *(_reach(calendar, latest, duration) for duration in durations)])
    zone = ZoneInfo(calendar.timezone)
    # A day either side: a clock set back over midnight shows a date twice.
    first, last = _local_date(zone, earliest) - _ONE_DAY, _local_date(zone, reach) + _ONE_DAY
    business = business_calendar(calendar)
    intervals: list[tuple[object, ...]] = []
    days: list[tuple[object, ...]] = []
    total, date = 0, first
    while date <= last:
        opened = business.working_intervals(date)
        for opens, closes in opened:
            length = (closes - opens) // _RESOLUTION
            intervals.append((opens, closes, total, total + length, len(days)))
            total += length
        if opened:
            days.append((len(days), date, opened[-1][1], total))
        date += _ONE_DAY
    tables = CalendarTables(
        calendar, f"{name}_intervals", f"{name}_days", f"{name}_zone", earliest, latest
    )
    interval_columns = {
        "opens": "TIMESTAMP",
        "closes": "TIMESTAMP",
        "before": "BIGINT",
        "after": "BIGINT",
        "day": "INTEGER",
    }
    _create(connection, tables.intervals, interval_columns, intervals)
    day_columns = {"day": "INTEGER", "date": "DATE", "closes": "TIMESTAMP", "after": "BIGINT"}
    _create(connection, tables.days, day_columns, days)
    zone_columns = {"since": "TIMESTAMP", "until": "TIMESTAMP", "offset": "BIGINT"}
    utc = dt.datetime.combine(first, dt.time()) - 2 * _ONE_DAY
    spans = _zone_spans(zone, utc, dt.datetime.combine(last, dt.time()) + 3 * _ONE_DAY)
    _create(connection, tables.zone, {**zone_columns, "floor": "TIMESTAMP"}, spans)
    return tables


def time_range(
    connection: duckdb.DuckDBPyConnection, source: str, columns: Sequence[str]
) -> tuple[dt.datetime, dt.datetime] | None:
    """The earliest and the latest instant in `columns` of table `source`; None if no value."""
    lows = ", ".join(f"min({identifier(column)})" for column in columns)
    highs = ", ".join(f"max({identifier(column)})" for column in columns)
    found = connection.execute(
        f"SELECT least({lows}), greatest({highs}) FROM {identifier(source)}"
    ).fetchone()
    if found is None or found[0] is None:
        return None
    earliest, latest = found
    if not all(isinstance(at, dt.datetime) and at.tzinfo is None for at in (earliest, latest)):
        raise TypeError(f"columns {', '.join(columns)} of `{source}` must be TIMESTAMPs in UTC")
    return earliest, latest


def elapsed_sql(tables: CalendarTables, source: str, start: str, stop: str, column: str) -> str:
    """Every row of `source` with `column`: the working time (INTERVAL) from start to stop.

    None when either is NULL, zero when stop is not after start.
    """
    first, second = _column(start), _column(stop)
    joins = (
        f"ASOF LEFT JOIN {identifier(tables.intervals)} AS a ON {first} >= a.opens"
        f" ASOF LEFT JOIN {identifier(tables.intervals)} AS b ON {second} >= b.opens"
    )
    step = f"{_total(first, 'a')} AS {_h('from')}, {_total(second, 'b')} AS {_h('to')}"
    worked = f"""CASE
    WHEN {first} IS NULL OR {second} IS NULL THEN NULL
    WHEN {second} <= {first} THEN to_microseconds(0)
    WHEN {_outside(tables, first)} THEN {_outside_error(tables, first)}
    WHEN {_outside(tables, second)} THEN {_outside_error(tables, second)}
    ELSE to_microseconds({_h("to")} - {_h("from")}) END"""
    return _query(source, [(step, joins)], ["from", "to"], f"{worked} AS {identifier(column)}")


def due_sql(
    tables: CalendarTables, source: str, start: str, duration: Duration, column: str
) -> str:
    """Every row of `source` with `column`: the TIMESTAMP `duration` after `start`.

    None when the start is NULL. A start outside the tables' range, or a due time past
    their end, stops the query with an error naming the calendar.
    """
    if not math.isfinite(duration.amount) or duration.amount < 0:
        raise ValueError(f"a duration must be a finite amount >= 0, not {duration.amount}")
    at = _column(start)
    if not duration.business:
        plus = (duration.amount * _UNIT[duration.unit]) // _RESOLUTION
        due = f"{at} + to_microseconds({plus}) AS {identifier(column)}"
        return f"SELECT q.*, {due} FROM {identifier(source)} AS q"
    days = _days(tables.calendar, duration)
    if days is None:
        steps, hidden = _add_working_time(tables, at, duration)
    else:
        steps, hidden = _add_days(tables, at, days)
    past = (
        string(f"calendar `{tables.calendar.id}`: the due time after ")
        + f" || CAST({at} AS VARCHAR) || "
        + string(" is past the end of the calendar tables; list the duration when making them")
    )
    due = f"""CASE
    WHEN {at} IS NULL THEN NULL
    WHEN {_outside(tables, at)} THEN {_outside_error(tables, at)}
    WHEN {_h("due")} IS NULL THEN error({past})
    ELSE {_h("due")} END"""
    return _query(source, steps, hidden, f"{due} AS {identifier(column)}")


Step = tuple[str, str]  # the columns one step adds to the previous step's, and its joins


def _add_working_time(
    tables: CalendarTables, at: str, duration: Duration
) -> tuple[list[Step], list[str]]:
    """The first instant by which the working time has passed: where the total reaches it."""
    plus = (duration.amount * _UNIT[duration.unit]) // _RESOLUTION
    intervals = identifier(tables.intervals)
    started = (
        f"{_total(at, 'i')} + {plus} AS {_h('target')}",
        f"ASOF LEFT JOIN {intervals} AS i ON {at} >= i.opens",
    )
    # With no time to add, an instant at a closing is due at the next opening.
    nudge = 1 if plus == 0 else 0
    reached = (
        f"i.opens + to_microseconds({_h('target')} - i.before) AS {_h('due')}",
        f"ASOF LEFT JOIN {intervals} AS i ON {_h('target')} + {nudge} <= i.after",
    )
    return [started, reached], ["target", "due"]


def _add_days(tables: CalendarTables, at: str, days: float) -> tuple[list[Step], list[str]]:
    """BusinessCalendar._add_days: the same wall-clock time, N working days on.

    The start moves to the next opening (the anchor); its wall-clock time, on the working
    day numbered N later, is the due time, moved into that day's working time; a fraction
    of a day is that fraction of the working time to the next day's due time.
    """
    intervals, zone = identifier(tables.intervals), identifier(tables.zone)
    whole = math.floor(days)
    fraction = days - whole
    anchor = f"greatest(i.opens, {at})"
    steps: list[Step] = [
        (
            f"{anchor} AS {_h('anchor')}, i.day AS {_h('day')},"
            f" i.before + epoch_us({anchor}) - epoch_us(i.opens) AS {_h('total0')}",
            f"ASOF LEFT JOIN {intervals} AS i ON {at} < i.closes",
        ),
        # The wall-clock time; in the second pass through a repeated hour, its end.
        (
            f"CAST(greatest({_h('anchor')} + to_microseconds(z.offset), z.floor) AS TIME)"
            f" AS {_h('clock')}",
            f"ASOF LEFT JOIN {zone} AS z ON {_h('anchor')} >= z.since",
        ),
    ]
    hidden = ["anchor", "day", "total0", "clock"]
    later = [n for n in (whole, whole + 1 if fraction else None) if n]
    # One step per stage for both days: the second's joins need none of the first's columns.
    for stage in zip(*(_same_time_later(tables, n) for n in later), strict=True):
        steps.append((", ".join(c for c, _ in stage), " ".join(j for _, j in stage)))
    hidden += [f"{name}{n}" for n in later for name in ("wall", "target", "last", "lasttotal")]
    hidden += [f"{name}{n}" for n in later for name in ("at", "due")]
    hidden += [f"total{n}" for n in later]
    if not fraction:
        steps.append((f"{_h(f'due{whole}' if whole else 'anchor')} AS {_h('due')}", ""))
        return steps, [*hidden, "due"]
    # Exactly: the fraction is numerator / 2**k, the working time under 2**63 µs.
    numerator, denominator = fraction.as_integer_ratio()
    worked = f"greatest({_h(f'total{whole + 1}')} - {_h(f'total{whole}')}, 0)"
    steps.append((f"CAST({worked} AS HUGEINT) * {numerator} AS {_h('scaled')}", ""))
    steps.append((f"{_half_even(_h('scaled'), denominator)} AS {_h('part')}", ""))
    start = f"{_h(f'total{whole}')} + {_h('part')}"
    # Nothing to add from a closing: the next opening, as in _add_working_time.
    nudge = f"CASE WHEN {_h('part')} = 0 THEN 1 ELSE 0 END"
    steps.append(
        (
            f"i.opens + to_microseconds({start} - i.before) AS {_h('due')}",
            f"ASOF LEFT JOIN {intervals} AS i ON {start} + {nudge} <= i.after",
        )
    )
    return steps, [*hidden, "scaled", "part", "due"]


def _same_time_later(tables: CalendarTables, n: int) -> list[tuple[str, str]]:
    """Three steps (columns, join): the clock on working day `day` + n, in its working time."""
    days, zone = identifier(tables.days), identifier(tables.zone)
    intervals = identifier(tables.intervals)
    wall, target, last = _h(f"wall{n}"), _h(f"target{n}"), _h(f"last{n}")
    instant, total = _h(f"at{n}"), _h(f"lasttotal{n}")
    inside = f"i{n}.day = {target}"
    opened = f"greatest(i{n}.opens, {instant})"
    return [
        (
            f"d{n}.date + {_h('clock')} AS {wall}, d{n}.day AS {target},"
            f" d{n}.closes AS {last}, d{n}.after AS {total}",
            f"LEFT JOIN {days} AS d{n} ON d{n}.day = {_h('day')} + {n}",
        ),
        # The first instant the clock shows that time: at a change forward, the change.
        (
            f"greatest(z{n}.since, {wall} - to_microseconds(z{n}.offset)) AS {instant}",
            f"ASOF LEFT JOIN {zone} AS z{n} ON {wall} < z{n}.until",
        ),
        # The day's next opening if closed then, its last closing if its time is over.
        (
            f"CASE WHEN {inside} THEN {opened} ELSE {last} END AS {_h(f'due{n}')},"
            f" CASE WHEN {inside} THEN i{n}.before + epoch_us({opened}) - epoch_us(i{n}.opens)"
            f" ELSE {total} END AS {_h(f'total{n}')}",
            f"ASOF LEFT JOIN {intervals} AS i{n} ON {instant} < i{n}.closes",
        ),
    ]


def _half_even(scaled: str, denominator: int) -> str:
    """`scaled / denominator` (a power of two) rounded half to even, as Python rounds
    `fraction * timedelta`: adding half less one, plus one when the quotient is odd."""
    if denominator.bit_length() > _MAX_FRACTION_BITS:
        return "CAST(0 AS BIGINT)"
    odd = f"({scaled} // {denominator}) % 2"
    return f"CAST(({scaled} + {denominator // 2 - 1} + {odd}) // {denominator} AS BIGINT)"


def _query(source: str, steps: Sequence[Step], hidden: Sequence[str], result: str) -> str:
    """Steps as chained WITH clauses, each adding columns to the last; then `result`."""
    clauses, previous = [], identifier(source)
    for index, (columns, joins) in enumerate(steps):
        name = _h(f"step{index}")
        clauses.append(f"{name} AS (\n  SELECT q.*, {columns}\n  FROM {previous} AS q {joins}\n)")
        previous = name
    dropped = ", ".join(_h(column) for column in hidden)
    return (
        f"WITH {', '.join(clauses)}\n"
        f"SELECT q.* EXCLUDE ({dropped}),\n  {result}\nFROM {previous} AS q"
    )


def _total(at: str, interval: str) -> str:
    """The working time up to `at`, given the last interval opening at or before it."""
    into = f"epoch_us({at}) - epoch_us({interval}.opens)"
    length = f"{interval}.after - {interval}.before"
    return f"coalesce({interval}.before + least({into}, {length}), 0)"


def _outside(tables: CalendarTables, at: str) -> str:
    return f"{at} NOT BETWEEN {timestamp(tables.earliest)} AND {timestamp(tables.latest)}"


def _outside_error(tables: CalendarTables, at: str) -> str:
    # The message names the row's value: DuckDB raises a constant error() while planning.
    before = string(f"calendar `{tables.calendar.id}`: ")
    after = string(
        f" is outside the calendar tables, {tables.earliest} to {tables.latest};"
        " create them over a range that covers it"
    )
    return f"error({before} || CAST({at} AS VARCHAR) || {after})"


def _days(calendar: Calendar, duration: Duration) -> float | None:
    """Business days and weeks as a number of days; None for minutes and hours."""
    if duration.unit is TimeUnit.DAYS:
        return duration.amount
    if duration.unit is TimeUnit.WEEKS:
        return duration.amount * len({hours.weekday for hours in calendar.hours})
    return None


def _reach(calendar: Calendar, latest: dt.datetime, duration: Duration) -> dt.datetime:
    """The latest instant `duration` after `latest` needs; whole days for a fraction."""
    if not duration.business:
        return latest
    days = _days(calendar, duration)
    if days is not None:
        duration = Duration(float(math.ceil(days)), TimeUnit.DAYS, True, duration.span)
    return business_calendar(calendar).add(latest, duration)


def _zone_spans(zone: ZoneInfo, begin: dt.datetime, end: dt.datetime) -> list[tuple[object, ...]]:
    """Spans of one UTC offset: since (UTC), until (its wall clock's end), offset, floor.

    The floor is the wall clock the previous span ended on: after the clocks go back,
    the repeated hour reads as its end (BusinessCalendar._clock).
    """
    changes, at = [begin], begin
    while at < end:
        if _offset(zone, at + _SAMPLE) != _offset(zone, at):
            changes.append(_change(zone, at, at + _SAMPLE))
        at += _SAMPLE
    spans: list[tuple[object, ...]] = []
    previous = _offset(zone, begin)
    for since, until in zip(changes, [*changes[1:], end], strict=True):
        offset = _offset(zone, since)
        spans.append((since, until + offset, offset // _RESOLUTION, since + previous))
        previous = offset
    return spans


def _change(zone: ZoneInfo, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
    """The first instant of the offset at `latest`, to the microsecond."""
    offset = _offset(zone, latest)
    while latest - earliest > _RESOLUTION:
        middle = earliest + (latest - earliest) // 2
        if _offset(zone, middle) == offset:
            latest = middle
        else:
            earliest = middle
    return latest


def _offset(zone: ZoneInfo, at: dt.datetime) -> dt.timedelta:
    offset = at.replace(tzinfo=dt.UTC).astimezone(zone).utcoffset()
    assert offset is not None  # ZoneInfo answers for every instant
    return offset


def _local_date(zone: ZoneInfo, at: dt.datetime) -> dt.date:
    return at.replace(tzinfo=dt.UTC).astimezone(zone).date()


def _create(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    rows: Sequence[tuple[object, ...]],
) -> None:
    """A temporary table of `rows`, bound as one list per column (not pasted, not row by row)."""
    values = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in columns]
    selected = ", ".join(
        f"unnest(?::{sql_type}[]) AS {identifier(name)}" for name, sql_type in columns.items()
    )
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {identifier(table)} AS SELECT {selected}", values
    )


def _column(name: str) -> str:
    return f"q.{identifier(name)}"


def _h(name: str) -> str:
    """A working column's name."""
    return identifier(_HIDDEN + name)
