"""The history page on the example's sample leads: its SLA compliance is `sla_report`'s.

The expected figures come from engine.sla.run.with_clocks and engine.sla.report.sla_report
run here on the same file and clock, not from the page's own views, and are compared with
what the page shows: the counts and rate of every month and team, the overall rate, the
time to stop, and a bar for every month that has a rate, at its height in percent.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docs_site_fixture import ROOT, article, parse, table_rows

from engine.docs_site import build_site
from engine.docs_site.history import read_history
from engine.ir import Project
from engine.sla.report import Compliance, SlaReport, sla_report
from engine.sla.run import with_clocks

LEADS = ROOT / "history" / "sample-leads.parquet"
AS_OF = dt.datetime(2026, 12, 1)


@pytest.fixture(scope="module")
def site(northwind: Project) -> dict[str, str]:
    return build_site(northwind, read_history(northwind, LEADS, AS_OF))


@pytest.fixture(scope="module")
def expected(northwind: Project) -> SlaReport:
    report, _ = with_clocks(
        northwind, LEADS, AS_OF, lambda con: sla_report(con, northwind, AS_OF, LEADS.name)
    )
    return report


def _rate(item: Compliance) -> str:
    return "\u2013" if item.rate is None else f"{100 * item.rate:.1f}%"


def _cells(item: Compliance) -> list[str]:
    counts = (item.met, item.breached, item.overdue, item.open)
    return [item.key, *(f"{n:,}" for n in counts), _rate(item)]


def _bars(section: str, sla: str) -> dict[str, float]:
    """Each bar of the SLA's monthly chart: its month and the percentage its tooltip gives."""
    charts = re.findall(r"<svg.*?</svg>", section, re.DOTALL)
    assert len(charts) == 1, sla
    assert f"<title>Compliance per month: {sla}</title>" in charts[0]
    found = re.findall(r"<rect [^>]*><title>([^<]*), compliance %: ([0-9.]+)</title>", charts[0])
    return {month: float(value) for month, value in found}


def test_every_sla_shows_the_compliance_sla_report_computes(
    northwind: Project, site: dict[str, str], expected: SlaReport
) -> None:
    page = site["history.html"]
    assert [s.sla for s in expected.slas] == [s.id for s in northwind.slas]
    assert len(expected.slas) >= 2
    for s in expected.slas:
        section = article(page, f"compliance-{s.sla}")
        o = s.overall
        assert (
            f"Compliance <strong>{_rate(o)}</strong>: {o.met:,} met, {o.breached:,} breached,"
            f" {o.overdue:,} overdue; {o.open:,} open in time, {s.not_started:,} never started,"
            f" {s.no_calendar:,} without a calendar, of {s.applies:,} leads it applies to."
        ) in section
        assert s.median_hours is not None
        assert s.p90_hours is not None
        assert f"median {s.median_hours:,.1f} h, p90 {s.p90_hours:,.1f} h" in section
        assert table_rows(section, f"compliance-{s.sla}-months") == [_cells(m) for m in s.by_month]
        assert table_rows(section, f"compliance-{s.sla}-teams") == [_cells(t) for t in s.by_team]
        rated = {m.key: 100 * m.rate for m in s.by_month if m.rate is not None}
        bars = _bars(section, s.sla)
        assert list(bars) == list(rated)
        for month, value in rated.items():
            assert bars[month] == pytest.approx(value, abs=0.005), (s.sla, month)
    # Not a trivial history: some months miss the SLA, and some teams are measured.
    first = expected.slas[0]
    assert any(m.rate is not None and m.rate < 1 for m in first.by_month)
    assert any(t.key.startswith("team:") for t in first.by_team)


def test_the_history_and_sla_pages_link_each_other(
    site: dict[str, str], expected: SlaReport
) -> None:
    history, slas = parse(site["history.html"]), parse(site["slas.html"])
    for s in expected.slas:
        assert f"slas.html#sla-{s.sla}" in history.hrefs
        assert f"sla-{s.sla}" in slas.ids
        assert f"history.html#compliance-{s.sla}" in slas.hrefs
        assert f"compliance-{s.sla}" in history.ids
    teams = [href for href in history.hrefs if href.startswith("routing.html#team-")]
    routing = parse(site["routing.html"]).ids
    assert teams
    assert all(href.partition("#")[2] in routing for href in teams)
