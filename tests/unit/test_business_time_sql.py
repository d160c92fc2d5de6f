"""Business time in bulk (engine.sql.business_time): due times and time worked in DuckDB,
checked by hand and against BusinessCalendar on generated calendars, many rows a query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_business_time import (
    AMER,
    APAC,
    BERLIN_ALWAYS,
    CHANGES,
    DAYS,
    EMEA,
    HOURS,
    MINUTES,
    MON_FRI,
    NIGHT_SHIFT,
    SPAN,
    WEEKS,
    business,
    calendar,
    elapsed_time,
    every,
    utc,
    weekly_hours,
)

from engine.business_time import BusinessCalendar
from engine.ir import Duration, TimeUnit
from engine.sql.business_time import (
    CalendarTables,
    create_calendar_tables,
    due_sql,
    elapsed_sql,
    time_range,
)

# Offsets used below: Berlin CET +1 / CEST +2 (2026-03-29 to 2026-10-25); New York EST -5 /
# EDT -4 (2026-03-08 to 2026-11-01); Singapore +8 and Sao Paulo -3, without DST.

# Mon-Fri 08:00-17:00 in Sao Paulo, with Brazil's national holidays (Tiradentes, 21 April).
BRAZIL = calendar("America/Sao_Paulo", every(MON_FRI, ("08:00", "17:00")), "BR")


@pytest.fixture
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        yield con


def _leads(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[object, ...]]) -> None:
    con.execute("CREATE OR REPLACE TABLE leads (id INTEGER, arrived TIMESTAMP, touched TIMESTAMP)")
    con.executemany("INSERT INTO leads VALUES (?, ?, ?)", rows)


def _tables(
    con: duckdb.DuckDBPyConnection, cal: BusinessCalendar, durations: Sequence[Duration] = ()
) -> CalendarTables:
    found = time_range(con, "leads", ["arrived", "touched"])
    assert found is not None
    return create_calendar_tables(con, cal.calendar, *found, "cal", durations)


def _due(
    con: duckdb.DuckDBPyConnection, cal: BusinessCalendar, start: dt.datetime, duration: Duration
) -> object:
    _leads(con, [(1, start, None)])
    tables = _tables(con, cal, [duration])
    [(_, _, _, due)] = con.execute(due_sql(tables, "leads", "arrived", duration, "due")).fetchall()
    return due


def _elapsed(
    con: duckdb.DuckDBPyConnection, cal: BusinessCalendar, start: dt.datetime, stop: dt.datetime
) -> object:
    _leads(con, [(1, start, stop)])
    query = elapsed_sql(_tables(con, cal), "leads", "arrived", "touched", "worked")
    [(_, _, _, worked)] = con.execute(query).fetchall()
    return worked


@pytest.mark.parametrize(
    ("cal", "start", "duration", "due"),
    [
        # EMEA, Berlin (09:00-12:30, 13:30-18:00). Friday 2026-03-27 17:00 CET + 2 business
        # hours: 1 h on Friday; the clocks go forward on Sunday; Monday 09:00-10:00 CEST.
        (EMEA, utc(2026, 3, 27, 16), business(2, HOURS), utc(2026, 3, 30, 8)),
        # Friday 10:00 CET + 1 business day: Monday 10:00 CEST, 71 hours later.
        (EMEA, utc(2026, 3, 27, 9), business(1, DAYS), utc(2026, 3, 30, 8)),
        # Thursday 2026-04-30 17:30 CEST + 1 business hour: 30 min, Friday 1 May (Labour
        # Day) and the weekend skipped, then Monday 09:00-09:30 CEST.
        (EMEA, utc(2026, 4, 30, 15, 30), business(1, HOURS), utc(2026, 5, 4, 7, 30)),
        # Tuesday 2026-06-09 07:00 CEST, before opening, + 4 business hours: 09:00-12:30
        # and 13:30-14:00 CEST.
        (EMEA, utc(2026, 6, 9, 5), business(4, HOURS), utc(2026, 6, 9, 12)),
        # The same start + 1 business day counts from 09:00: Wednesday 09:00 CEST.
        (EMEA, utc(2026, 6, 9, 5), business(1, DAYS), utc(2026, 6, 10, 7)),
        # Friday 2026-10-23 16:00 CEST + 0.5 business days: Monday 16:00 CET is one day on,
        # with 2 + 3.5 + 2.5 = 8 h between; half is 4 h: Friday's 2 h, then Monday
        # 09:00-11:00 CET (the clocks went back on Sunday).
        (EMEA, utc(2026, 10, 23, 14), business(0.5, DAYS), utc(2026, 10, 26, 10)),
        # AMER, New York (09:00-17:30). Friday 2026-10-30 19:00 EDT, after closing, + 2
        # business hours: the clocks go back on Sunday; Monday 09:00-11:00 EST.
        (AMER, utc(2026, 10, 30, 23), business(2, HOURS), utc(2026, 11, 2, 16)),
        # The same start + 1 business day: the clock starts Monday 09:00 EST, so Tuesday
        # 09:00 EST.
        (AMER, utc(2026, 10, 30, 23), business(1, DAYS), utc(2026, 11, 3, 14)),
        # Friday 2026-01-16 15:00 EST + 4 business hours: 2.5 h, Monday 19 January (Martin
        # Luther King Day) skipped, Tuesday 09:00-10:30 EST.
        (AMER, utc(2026, 1, 16, 20), business(4, HOURS), utc(2026, 1, 20, 15, 30)),
        # Wednesday 2026-03-11 06:00 EDT, before opening, + 30 business minutes: 09:30 EDT.
        (AMER, utc(2026, 3, 11, 10), business(30, MINUTES), utc(2026, 3, 11, 13, 30)),
        # APAC, Singapore (Mon-Thu 09:00-18:00, Fri 09:00-15:00). Friday 2026-06-05 19:00
        # SGT + 3 business hours: Monday 09:00-12:00 SGT.
        (APAC, utc(2026, 6, 5, 11), business(3, HOURS), utc(2026, 6, 8, 4)),
        # Thursday 2026-04-02 17:00 SGT + 2 business hours: 1 h, Good Friday and the weekend
        # skipped, Monday 09:00-10:00 SGT.
        (APAC, utc(2026, 4, 2, 9), business(2, HOURS), utc(2026, 4, 6, 2)),
        # Monday 2026-06-08 08:00 SGT, before opening, + 1 business day: Tuesday 09:00 SGT.
        (APAC, utc(2026, 6, 8), business(1, DAYS), utc(2026, 6, 9, 1)),
        # Wednesday 2026-06-10 12:00 SGT + 1 business week (5 days): Wednesday 06-17 12:00.
        (APAC, utc(2026, 6, 10, 4), business(1, WEEKS), utc(2026, 6, 17, 4)),
        # BRAZIL, Sao Paulo (08:00-17:00). Monday 2026-04-20 16:00 BRT + 3 business hours:
        # 1 h, Tuesday (Tiradentes) skipped, Wednesday 08:00-10:00 BRT.
        (BRAZIL, utc(2026, 4, 20, 19), business(3, HOURS), utc(2026, 4, 22, 13)),
        # The same start + 1 business day: Wednesday 16:00 BRT.
        (BRAZIL, utc(2026, 4, 20, 19), business(1, DAYS), utc(2026, 4, 22, 19)),
        # Friday 2026-04-17 18:00 BRT + 1.5 business days: the clock starts Monday 08:00;
        # Tuesday is Tiradentes, so one day on is Wednesday 08:00; half of the 9 h to
        # Thursday 08:00 is 4.5 h: Wednesday 12:30 BRT.
        (BRAZIL, utc(2026, 4, 17, 21), business(1.5, DAYS), utc(2026, 4, 22, 15, 30)),
        # Calendar time ignores the calendar: Friday 16:00 EST + 3 days is 72 hours later.
        (AMER, utc(2026, 3, 6, 21), elapsed_time(3, DAYS), utc(2026, 3, 9, 21)),
        # Zero business time from the weekend is Monday's opening, 09:00 CEST.
        (EMEA, utc(2026, 6, 6, 12), business(0, HOURS), utc(2026, 6, 8, 7)),
        (EMEA, utc(2026, 6, 6, 12), business(0, DAYS), utc(2026, 6, 8, 7)),
        # Time that runs out exactly at a closing falls due then: 11:30 + 1 h is 12:30 CEST.
        (EMEA, utc(2026, 6, 8, 9, 30), business(1, HOURS), utc(2026, 6, 8, 10, 30)),
        # The night shift closes at Friday 24:00: 22:00 UTC + 2 h is midnight.
        (NIGHT_SHIFT, utc(2026, 6, 5, 22), business(2, HOURS), utc(2026, 6, 6)),
        # Berlin around the clock, Sunday 2026-10-25 02:10 CET, the second pass through
        # 02:00-03:00, reads as 03:00: + 1 business day is Monday 03:00 CET.
        (BERLIN_ALWAYS, utc(2026, 10, 25, 1, 10), business(1, DAYS), utc(2026, 10, 26, 2)),
        # Saturday 2026-03-28 02:30 CET + 1 business day: Sunday 02:30 is skipped; the
        # clock jumps to 03:00 CEST = 01:00 UTC.
        (BERLIN_ALWAYS, utc(2026, 3, 28, 1, 30), business(1, DAYS), utc(2026, 3, 29, 1)),
    ],
)
def test_due(
    connection: duckdb.DuckDBPyConnection,
    cal: BusinessCalendar,
    start: dt.datetime,
    duration: Duration,
    due: dt.datetime,
) -> None:
    assert _due(connection, cal, start, duration) == due


H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("cal", "start", "stop", "worked"),
    [
        # Friday 2026-03-27 17:00 CET to Monday 10:00 CEST, over the change: 1 h + 1 h.
        (EMEA, utc(2026, 3, 27, 16), utc(2026, 3, 30, 8), 2 * H),
        # Thursday 2026-04-30 12:00 CEST to Monday 12:00 CEST: 0.5 + 4.5 h on Thursday,
        # Friday (Labour Day) off, 3 h on Monday.
        (EMEA, utc(2026, 4, 30, 10), utc(2026, 5, 4, 10), 8 * H),
        # Friday 2026-10-30 19:00 EDT, after closing, to Monday 10:00 EST: 1 h.
        (AMER, utc(2026, 10, 30, 23), utc(2026, 11, 2, 15), H),
        # Wednesday 2026-03-11 06:00 EDT, before opening, to 12:15 EDT: 3 h 15 min.
        (AMER, utc(2026, 3, 11, 10), utc(2026, 3, 11, 16, 15), 3.25 * H),
        # Friday 2026-06-05 14:00 SGT to Monday 10:00 SGT: 1 h + 1 h.
        (APAC, utc(2026, 6, 5, 6), utc(2026, 6, 8, 2), 2 * H),
        # Monday 2026-04-20 07:00 BRT to Wednesday 09:30 BRT: 9 h, Tiradentes, 1.5 h.
        (BRAZIL, utc(2026, 4, 20, 10), utc(2026, 4, 22, 12, 30), 10.5 * H),
        # Berlin around the clock, Saturday 2026-10-24 24:00 to Sunday 24:00 CET: 25 h.
        (BERLIN_ALWAYS, utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), 25 * H),
        # The night shift, Friday 19:00 to Saturday 03:00 UTC: 20:00-24:00 and 00:00-02:00.
        (NIGHT_SHIFT, utc(2026, 6, 5, 19), utc(2026, 6, 6, 3), 6 * H),
        # A stop not after the start: none.
        (EMEA, utc(2026, 6, 8, 12), utc(2026, 6, 8, 8), dt.timedelta(0)),
        (EMEA, utc(2026, 6, 8, 8), utc(2026, 6, 8, 8), dt.timedelta(0)),
    ],
)
def test_elapsed(
    connection: duckdb.DuckDBPyConnection,
    cal: BusinessCalendar,
    start: dt.datetime,
    stop: dt.datetime,
    worked: dt.timedelta,
) -> None:
    assert _elapsed(connection, cal, start, stop) == worked


def test_nulls_give_null(connection: duckdb.DuckDBPyConnection) -> None:
    _leads(connection, [(1, utc(2026, 6, 8, 8), None), (2, None, None)])
    tables = _tables(connection, EMEA, [business(1, DAYS)])
    for duration in (business(1, HOURS), business(1.5, DAYS), elapsed_time(1, HOURS)):
        query = due_sql(tables, "leads", "arrived", duration, "due")
        due = dict(connection.execute(f"SELECT id, due FROM ({query})").fetchall())
        assert due[2] is None
    query = elapsed_sql(tables, "leads", "arrived", "touched", "worked")
    assert connection.execute(f"SELECT worked FROM ({query})").fetchall() == [(None,), (None,)]


def test_results_keep_every_column_and_row(connection: duckdb.DuckDBPyConnection) -> None:
    _leads(connection, [(1, utc(2026, 6, 8, 8), utc(2026, 6, 8, 9)), (2, None, None)])
    query = due_sql(_tables(connection, EMEA), "leads", "arrived", business(1, HOURS), "due")
    columns = [column[0] for column in connection.execute(query).description]
    assert columns == ["id", "arrived", "touched", "due"]
    assert len(connection.execute(query).fetchall()) == 2


def test_instants_outside_the_tables_stop_the_query(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    _leads(connection, [(1, utc(2026, 6, 8, 8), utc(2026, 6, 9, 8))])
    tables = create_calendar_tables(
        connection, EMEA.calendar, utc(2026, 6, 8, 8), utc(2026, 6, 8, 8), "cal"
    )
    # The stop lies after the tables' range.
    with pytest.raises(duckdb.InvalidInputException, match=r"2026-06-09 08:00:00 is outside"):
        connection.execute(elapsed_sql(tables, "leads", "arrived", "touched", "worked"))
    # The tables reach a day or two past the start, not 10 business days.
    with pytest.raises(duckdb.InvalidInputException, match="past the end of the calendar"):
        connection.execute(due_sql(tables, "leads", "arrived", business(10, DAYS), "due"))
    with pytest.raises(duckdb.InvalidInputException, match="past the end of the calendar"):
        connection.execute(due_sql(tables, "leads", "arrived", business(40, HOURS), "due"))


def test_invalid_amounts_are_refused(connection: duckdb.DuckDBPyConnection) -> None:
    tables = create_calendar_tables(
        connection, EMEA.calendar, utc(2026, 6, 8), utc(2026, 6, 8), "cal"
    )
    with pytest.raises(ValueError, match="finite amount >= 0"):
        due_sql(tables, "leads", "arrived", business(-1, HOURS), "due")


def test_working_intervals_are_a_days_open_intervals_in_utc() -> None:
    # Monday 2026-06-08 in Berlin: 09:00-12:30 and 13:30-18:00 CEST.
    assert EMEA.working_intervals(dt.date(2026, 6, 8)) == (
        (utc(2026, 6, 8, 7), utc(2026, 6, 8, 10, 30)),
        (utc(2026, 6, 8, 11, 30), utc(2026, 6, 8, 16)),
    )
    assert EMEA.working_intervals(dt.date(2026, 6, 6)) == ()  # Saturday
    assert EMEA.working_intervals(dt.date(2026, 12, 25)) == ()  # Christmas


def test_time_range(connection: duckdb.DuckDBPyConnection) -> None:
    _leads(connection, [(1, utc(2026, 6, 8), utc(2026, 6, 20)), (2, utc(2026, 5, 1), None)])
    assert time_range(connection, "leads", ["arrived", "touched"]) == (
        utc(2026, 5, 1),
        utc(2026, 6, 20),
    )
    _leads(connection, [(1, None, None)])
    assert time_range(connection, "leads", ["arrived", "touched"]) is None


# Parity: generated calendars in zones with DST changes (Santiago's at midnight, Lord
# Howe's of half an hour) and holidays, many rows in one query each way.

COUNTRIES = {
    "Europe/Berlin": ("DE", "BE"),
    "America/New_York": ("US", None),
    "Australia/Lord_Howe": ("AU", "NSW"),
    "Asia/Singapore": ("SG", None),
    "America/Sao_Paulo": ("BR", None),
    "America/Santiago": ("CL", None),
}
# Santiago 2026: Saturday 4 April 24:00 -03 goes back to 23:00 -04; Sunday 6 September
# 00:00 -04 forward to 01:00 -03.
NEAR = [*CHANGES, utc(2026, 4, 5, 3), utc(2026, 9, 6, 4)]
# Easter, Tiradentes, Chinese New Year, Thanksgiving, Christmas.
NEAR += [utc(2026, 4, 3), utc(2026, 4, 21), utc(2026, 2, 17), utc(2026, 11, 26), utc(2026, 12, 25)]


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(sorted(COUNTRIES)))
    country, subdivision = COUNTRIES[zone] if draw(st.booleans()) else (None, None)
    closed = draw(st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), max_size=5))
    hours = draw(weekly_hours())
    return calendar(zone, hours, country, subdivision, tuple(sorted(set(closed))))


def _has_hours(cal: BusinessCalendar) -> bool:
    return any(hours.end > hours.start for hours in cal.calendar.hours)


INSTANTS = st.one_of(
    # Near a change or a holiday: to the second, or on the half hour to hit openings.
    st.builds(
        lambda near, seconds: near + dt.timedelta(seconds=seconds),
        st.sampled_from(NEAR),
        st.integers(-3 * 86400, 3 * 86400),
    ),
    st.builds(
        lambda near, halves: near + dt.timedelta(minutes=30 * halves),
        st.sampled_from(NEAR),
        st.integers(-144, 144),
    ),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)),
)
AMOUNTS = st.one_of(st.integers(0, 12).map(float), st.floats(0, 60))


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars().filter(_has_hours),
    st.lists(st.tuples(INSTANTS, INSTANTS), min_size=1, max_size=60),
    AMOUNTS,
    st.sampled_from(list(TimeUnit)),
    st.booleans(),
)
def test_parity_with_business_calendar(
    cal: BusinessCalendar,
    pairs: list[tuple[dt.datetime, dt.datetime]],
    amount: float,
    unit: TimeUnit,
    counts_business_time: bool,
) -> None:
    duration = Duration(amount, unit, counts_business_time, SPAN)
    with duckdb.connect() as con:
        _leads(con, [(row, start, stop) for row, (start, stop) in enumerate(pairs)])
        tables = _tables(con, cal, [duration])
        due_query = due_sql(tables, "leads", "arrived", duration, "due")
        due = con.execute(f"SELECT id, due FROM ({due_query})").fetchall()
        worked_query = elapsed_sql(tables, "leads", "arrived", "touched", "worked")
        worked = con.execute(f"SELECT id, worked FROM ({worked_query})").fetchall()
    assert dict(due) == {row: cal.add(start, duration) for row, (start, _) in enumerate(pairs)}
    assert dict(worked) == {row: cal.elapsed(*pair) for row, pair in enumerate(pairs)}
