"""`accord history pull` against local Salesforce (Bulk API 2.0 query) and HubSpot (search)
contract servers: a first pull, an incremental one, and the file `load_leads` reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from test_cli import example, run

from engine.http_client import HttpClient
from engine.ir import Project
from engine.leads import load_leads
from engine.sync.history import read_mark
from engine.sync.hubspot_contacts import ContactSearch
from sync.contract import TOKEN, Fault
from sync.fixtures import (
    ROOT,
    assert_no_token,
    hubspot_env,
    lead_id,
    quick_clients,
    salesforce_env,
)
from sync.hubspot_server import SEARCH, HubSpotServer, iso
from sync.salesforce_server import SalesforceServer


def _sf_lead(n: int) -> dict[str, str]:
    return {
        "Id": lead_id(n),
        "Email": f"person{n}@example.com",
        "Title": 'Director, "Data" Platform' if n == 1 else "Engineer",
        "NumberOfEmployees": str(100 * n),
        "AnnualRevenue": "2500000.5",
        "CountryCode": "DE",
        "HasOptedOutOfEmail": "false",
        "IsConverted": "true" if n % 2 else "false",
        "ConvertedDate": "2026-02-10" if n % 2 else "",
        "CreatedDate": "2026-01-05T09:00:00.000Z",
        "Status": "New",
        "MQL_At__c": "2026-01-06T10:15:00.000+0000",
        "SystemModstamp": f"2026-02-{n:02d}T08:00:00.000Z",
    }


def _load(path: Path, project: Project) -> list[tuple[object, ...]]:
    with duckdb.connect() as con:
        report = load_leads(con, path, project.lead_model)  # type: ignore[arg-type]
        assert report.unreadable == ()
        assert report.duplicate_ids == 0
        return con.execute(
            "SELECT lead_id, job_title, employees, annual_revenue, converted, converted_on,"
            " status, mql_at FROM leads ORDER BY lead_id"
        ).fetchall()


def test_salesforce_pulls_everything_then_only_what_changed(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    northwind: Project,
) -> None:
    server = SalesforceServer(leads={lead_id(n): _sf_lead(n) for n in range(1, 26)})
    server.install(httpserver)
    server.faults.append(Fault("GET", r"/results$", status=500, after=1))
    salesforce_env(monkeypatch, httpserver.url_for("/"))
    quick_clients(monkeypatch)
    out = tmp_path / "history.parquet"
    args = ["history", "pull", str(ROOT), "--target", "salesforce", "--out", str(out)]

    code, stdout, err = run(args, capsys)
    assert code == 0, err
    query = server.requests("POST", r"/jobs/query$")[0].json()["query"]
    assert query.startswith("SELECT Id, Email, Title, Seniority__c,")
    assert query.endswith(", Won_Amount__c, SystemModstamp FROM Lead")
    pages = [e for e in server.requests("GET", r"/results$") if e.answered == 200]
    assert [e.query.get("locator") for e in pages] == [None, "10", "20"]
    assert "pulled 25 leads from salesforce (all)" in err
    assert "the next pull starts from 2026-02-25T08:00:00Z" in err
    rows = _load(out, northwind)
    assert len(rows) == 25
    assert rows[0] == (
        lead_id(1),
        'Director, "Data" Platform',
        100,
        2500000.5,
        True,
        dt.date(2026, 2, 10),
        "New",
        dt.datetime(2026, 1, 6, 10, 15),
    )

    # Two leads change, one arrives; the next pull asks from the high-water mark.
    server.leads[lead_id(3)] |= {"Status": "Working", "SystemModstamp": "2026-03-01T09:00:00.000Z"}
    server.leads[lead_id(7)] |= {
        "IsConverted": "true",
        "SystemModstamp": "2026-03-01T09:30:00.000Z",
    }
    server.leads[lead_id(26)] = _sf_lead(26) | {"SystemModstamp": "2026-03-01T10:00:00.000Z"}
    code, _, err = run(args, capsys)
    assert code == 0, err
    query = server.requests("POST", r"/jobs/query$")[-1].json()["query"]
    assert query.endswith("FROM Lead WHERE SystemModstamp >= 2026-02-25T08:00:00Z")
    assert "pulled 4 leads from salesforce modified since 2026-02-25T08:00:00Z" in err
    assert f"{out} holds 26 leads" in err
    latest = {row[0]: row for row in _load(out, northwind)}
    assert len(latest) == 26
    assert latest[lead_id(3)][6] == "Working"
    assert latest[lead_id(7)][4] is True
    mark = read_mark(out)
    assert mark is not None
    assert mark.high_water_mark == "2026-03-01T10:00:00Z"

    # --since overrides the mark.
    code, _, err = run([*args, "--since", "2026-02-20T00:00:00Z"], capsys)
    assert code == 0, err
    query = server.requests("POST", r"/jobs/query$")[-1].json()["query"]
    assert query.endswith("WHERE SystemModstamp >= 2026-02-20T00:00:00Z")
    assert_no_token(stdout, err)


def _contact(n: int, modified: dt.datetime) -> dict[str, str]:
    return {
        "salesforce_lead_id": lead_id(n),
        "email": f"person{n}@example.com",
        "jobtitle": "VP Data",
        "numberofemployees": "1200",
        "annualrevenue": "",
        "hs_email_optout": "false",
        "converted": "false",
        "converted_on": "1770681600000",  # 2026-02-10, as epoch milliseconds
        "hs_lead_status": "NEW",
        "createdate": "2026-01-05T09:00:00.000Z",
        "hs_lifecyclestage_marketingqualifiedlead_date": "2026-01-06T10:15:00Z",
        "lastmodifieddate": iso(modified),
    }


def test_hubspot_pulls_incrementally_and_leaves_out_unnamed_fields(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    start = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    contacts = {str(500 + n): _contact(n, start + dt.timedelta(hours=n)) for n in range(1, 13)}
    contacts["999"] = _contact(99, start) | {"salesforce_lead_id": ""}
    server = HubSpotServer(contacts=contacts).install(httpserver)
    hubspot_env(monkeypatch, httpserver.url_for("/"))
    quick_clients(monkeypatch)
    project = example(tmp_path, ("rules/lead.yaml", "    hubspot: won_amount\n", ""))
    out = tmp_path / "hubspot.parquet"
    args = ["history", "pull", str(project), "--target", "hubspot", "--out", str(out)]

    code, stdout, err = run(args, capsys)
    assert code == 0, err
    assert "field `won_amount` has no `hubspot:` name in the lead model" in err
    assert "1 records without `salesforce_lead_id` were left out" in err
    assert "pulled 12 leads from hubspot (all)" in err
    body = server.requests("POST", SEARCH)[0].json()
    assert "filterGroups" not in body
    assert "won_amount" not in body["properties"]
    mark = read_mark(out)
    assert mark is not None
    assert mark.high_water_mark == "2026-02-01T12:00:00Z"

    server.contacts["505"] |= {
        "hs_lead_status": "OPEN",
        "lastmodifieddate": "2026-03-01T00:00:00.000Z",
    }
    code, _, err = run(args, capsys)
    assert code == 0, err
    body = server.requests("POST", SEARCH)[-1].json()
    assert body["filterGroups"][0]["filters"][0] == {
        "propertyName": "lastmodifieddate",
        "operator": "GTE",
        "value": str(int(dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC).timestamp() * 1000)),
    }
    assert "pulled 2 leads from hubspot modified since 2026-02-01T12:00:00Z" in err
    with duckdb.connect() as con:
        rows = dict(
            con.execute(
                f"SELECT lead_id, status FROM read_parquet('{out}') ORDER BY lead_id"
            ).fetchall()
        )
        columns = [
            r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()
        ]
        converted_on = con.execute(
            f"SELECT DISTINCT converted_on FROM read_parquet('{out}')"
        ).fetchall()
    assert len(rows) == 12
    assert rows[lead_id(5)] == "OPEN"
    assert "won_amount" not in columns
    assert converted_on == [(dt.date(2026, 2, 10),)]
    assert_no_token(stdout, err)


def test_hubspot_search_moves_its_lower_bound_past_the_result_window(
    httpserver: HTTPServer,
) -> None:
    start = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    contacts = {str(n): _contact(n, start + dt.timedelta(minutes=n)) for n in range(1, 24)}
    server = HubSpotServer(contacts=contacts, window=10).install(httpserver)
    client = HttpClient(httpserver.url_for("/"), {"Authorization": f"Bearer {TOKEN}"})
    search = ContactSearch(client, page_size=5, window=10)
    seen = [r["id"] for page in search.pages(["email"], None) for r in page]
    assert sorted(set(seen), key=int) == [str(n) for n in range(1, 24)]
    assert all(e.answered == 200 for e in server.log)
    restarts = [e.json() for e in server.requests("POST", SEARCH) if "after" not in e.json()]
    assert len(restarts) >= 3  # the first page, then a new lower bound at each window's end
