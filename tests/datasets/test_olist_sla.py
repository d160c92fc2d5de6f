"""An SLA on the Olist marketing funnel (real first-contact and won dates): from first
contact to a won deal within 30 business days on a Sao Paulo calendar with Brazil's public
holidays. The report's compliance per month is checked against the same clock worked out
here independently: zoneinfo for the wall clock, the holidays package for the days off,
and the business-day rule of docs/business-time.md written out in a few lines."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import holidays
import pytest
from test_cli import run
from test_olist_diff import write_history

PROJECT = Path(__file__).parent / "olist"
AS_OF = dt.datetime(2018, 11, 1)  # after the last won deal (October 2018)
DAYS = 30
ZONE = ZoneInfo("America/Sao_Paulo")
OPEN, CLOSE = dt.time(9), dt.time(18)
SLA = f"""\
apiVersion: accord/v1
kind: ServiceLevels
owners: [sales]
slas:
  - id: contact_to_won
    description: Sales development closes a seller within {DAYS} business days of first contact.
    owner: sales
    applies_to: "true"
    start: first_contact_date
    stop: won_date
    within: {DAYS} business days
    calendar: sao-paulo
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("olist") / "olist"
    shutil.copytree(PROJECT, root)
    (root / "slas" / "handoff.yaml").write_text(SLA, encoding="utf-8")
    return root


def working_day(day: dt.date, days_off: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in days_off


def due(start: dt.datetime, days_off: holidays.HolidayBase) -> dt.datetime:
    """`DAYS` business days after `start` (naive UTC): from the next opening, the same wall
    clock time `DAYS` working days later. Sao Paulo's DST changes happen at midnight, so
    working hours never fall in a skipped or repeated hour."""
    local = start.replace(tzinfo=dt.UTC).astimezone(ZONE).replace(tzinfo=None)
    day, clock = local.date(), local.time()
    if not working_day(day, days_off) or clock >= CLOSE:
        day, clock = day + dt.timedelta(days=1), OPEN
        while not working_day(day, days_off):
            day += dt.timedelta(days=1)
    clock = max(clock, OPEN)
    for _ in range(DAYS):
        day += dt.timedelta(days=1)
        while not working_day(day, days_off):
            day += dt.timedelta(days=1)
    wall = dt.datetime.combine(day, clock, tzinfo=ZONE)
    return wall.astimezone(dt.UTC).replace(tzinfo=None)


def test_compliance_per_month_against_an_independent_clock(
    project: Path, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["sla", "report", str(project), "--leads", str(history), "--as-of", "2018-11-01T00:00:00Z",
         "--format", "json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    (report,) = json.loads(out)["slas"]
    leads = (
        duckdb.connect()
        .execute("SELECT first_contact_date, won_date FROM read_parquet(?)", [str(history)])
        .fetchall()
    )
    days_off = holidays.country_holidays("BR", years=range(2017, 2020))
    months: dict[str, Counter[str]] = {}
    for first_contact, won in leads:
        start = dt.datetime.combine(first_contact, dt.time())  # a date: midnight UTC
        deadline = due(start, days_off)
        if won is not None:
            status = "met" if won <= deadline else "breached"
        else:
            status = "overdue" if deadline < AS_OF else "open"
        months.setdefault(start.strftime("%Y-%m"), Counter())[status] += 1
    expected = [
        (month, c["met"], c["breached"], c["overdue"], c["open"])
        for month, c in sorted(months.items())
    ]
    reported = [
        (m["key"], m["met"], m["breached"], m["overdue"], m["open"]) for m in report["by_month"]
    ]
    assert reported == expected
    assert report["applies"] == len(leads) == 8_000
    # Not vacuous: some deals close in time, some late, and most never close.
    total = Counter({k: sum(c[k] for c in months.values()) for k in ("met", "breached", "overdue")})
    assert min(total.values()) > 0
    for month in report["by_month"]:
        decided = month["met"] + month["breached"] + month["overdue"]
        assert month["rate"] == pytest.approx(month["met"] / decided)
