"""`accord sync-scores --target salesforce` against a local Bulk API 2.0 contract server."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from test_cli import run

from sync.contract import Fault
from sync.fixtures import (
    AS_OF,
    ROOT,
    assert_no_token,
    quick_clients,
    salesforce_env,
    write_leads,
)
from sync.salesforce_server import SalesforceServer

INGEST = r"/jobs/ingest$"


def _setup(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[SalesforceServer, list[str], list[float], Path]:
    leads = tmp_path / "leads.csv"
    ids = write_leads(leads)
    server = SalesforceServer(leads={i: {"Id": i} for i in ids}).install(httpserver)
    salesforce_env(monkeypatch, httpserver.url_for("/"))
    return server, ids, quick_clients(monkeypatch), leads


def _sync(
    leads: Path, checkpoint: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    args = ["sync-scores", str(ROOT), "--target", "salesforce", "--leads", str(leads)]
    args += ["--as-of", AS_OF, "--chunk-size", "10", "--checkpoint", str(checkpoint), *extra]
    return run(args, capsys)


def _uploaded_ids(server: SalesforceServer, since: int = 0) -> list[str]:
    ids: list[str] = []
    for entry in server.log[since:]:
        if entry.method == "PUT" and entry.answered == 201:
            ids += [row["Id"] for row in csv.DictReader(io.StringIO(entry.body.decode()))]
    return ids


def test_sync_writes_every_lead_in_jobs_despite_429_500_and_a_timeout(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, waits, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.faults += [
        Fault("POST", INGEST, status=429, retry_after="7"),
        Fault("PATCH", r"/jobs/ingest/[^/]+$", status=500, after=1),
        Fault("GET", r"/jobs/ingest/[^/]+$", delay=0.6, after=2),
    ]
    checkpoint = tmp_path / "sync.json"
    code, out, err = _sync(leads, checkpoint, capsys)
    assert code == 0, err
    assert f"synced 25 of 25 leads to salesforce as of {AS_OF[:-1]}Z" in err
    assert 7.0 in waits  # Retry-After honoured, through the injected sleep
    assert len(server.requests("POST", INGEST)) == 4  # three jobs, one 429 retried
    assert sorted(_uploaded_ids(server)) == ids
    first = server.requests("PUT", r"/batches$")[0].body.decode()
    assert first.splitlines()[0] == (
        "Id,Accord_Score__c,Accord_Fit_Score__c,Accord_Engagement_Score__c,"
        "Accord_Grade__c,Accord_Stage__c,Accord_Route__c"
    )
    for lead in server.leads.values():
        assert float(lead["Accord_Score__c"]) >= 0
        assert lead["Accord_Grade__c"] in {"A", "B", "C", "D"}
        assert lead["Accord_Route__c"]
    saved = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert (saved["synced"], saved["failed"], sorted(saved["done"])) == (25, 0, ["0", "1", "2"])
    assert_no_token(out, err, checkpoint.read_text(encoding="utf-8"))


def test_rejected_records_are_listed_and_the_others_synced(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, _, leads = _setup(tmp_path, httpserver, monkeypatch)
    rejected = [ids[2], ids[13], ids[24]]
    for i in rejected:
        server.reject[i] = "FIELD_CUSTOM_VALIDATION_EXCEPTION:Locked lead:--"
    checkpoint = tmp_path / "sync.json"
    code, out, err = _sync(leads, checkpoint, capsys)
    assert code == 1
    for i in rejected:
        assert f"accord: failed: {i}: FIELD_CUSTOM_VALIDATION_EXCEPTION:Locked lead" in err
        assert "Accord_Score__c" not in server.leads[i]
    assert (
        f"synced 22 of 25 leads to salesforce as of 2026-03-02T10:00:00Z; 3 failed (see {checkpoint})"
        in err
    )
    assert sum("Accord_Score__c" in lead for lead in server.leads.values()) == 22
    saved = json.loads(checkpoint.read_text(encoding="utf-8"))
    failures = [f for chunk in saved["done"].values() for f in chunk["failures"]]
    assert [f["id"] for f in failures] == rejected
    assert_no_token(out, err)


def test_an_interrupted_sync_resumes_without_sending_done_chunks_again(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, _, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.faults.append(Fault("PUT", r"/batches$", status=500, times=None, after=1))
    checkpoint = tmp_path / "sync.json"
    code, out, err = _sync(leads, checkpoint, capsys)
    assert code == 1
    assert "stopped at chunk 2 of 3: PUT" in err
    assert "answered 500 after 6 attempts" in err
    assert (
        f"synced 10 of 25 leads so far; run the same command again to resume from {checkpoint}"
        in err
    )
    assert sorted(json.loads(checkpoint.read_text(encoding="utf-8"))["done"]) == ["0"]
    assert_no_token(out, err, checkpoint.read_text(encoding="utf-8"))

    server.faults.clear()
    before = len(server.log)
    code, out, err = _sync(leads, checkpoint, capsys)
    assert code == 0, err
    assert "resuming from" in err
    assert "1 of 3 chunks done" in err
    assert "synced 25 of 25 leads to salesforce" in err
    resent = _uploaded_ids(server, before)
    assert sorted(resent) == ids[10:]  # the done chunk's ten leads were not sent again
    assert len(server.requests("PUT", r"/batches$")[-2:]) == 2
    assert all("Accord_Score__c" in lead for lead in server.leads.values())

    # A third run finds the finished sync and sends nothing.
    before = len(server.log)
    code, _, err = _sync(leads, checkpoint, capsys)
    assert code == 0
    assert "nothing sent" in err
    assert len(server.log) == before


def test_a_job_started_before_the_interruption_is_read_not_sent_again(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, _, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.faults.append(Fault("GET", r"/jobs/ingest/[^/]+$", status=503, times=None))
    checkpoint = tmp_path / "sync.json"
    code, _, err = _sync(leads, checkpoint, capsys)
    assert code == 1
    assert "stopped at chunk 1 of 3" in err
    saved = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert saved["done"] == {}
    job = saved["jobs"]["0"]

    server.faults.clear()
    before = len(server.log)
    code, _, err = _sync(leads, checkpoint, capsys)
    assert code == 0, err
    later = server.log[before:]
    assert later[0].method == "GET"
    assert later[0].path.endswith(f"/jobs/ingest/{job}")
    assert len([e for e in later if e.method == "POST"]) == 2  # chunks 2 and 3 only
    assert sorted(_uploaded_ids(server, before)) == ids[10:]
    assert all("Accord_Score__c" in lead for lead in server.leads.values())


def test_another_syncs_unfinished_checkpoint_is_refused(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, _, _, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.faults.append(Fault("PUT", r"/batches$", status=500, times=None, after=1))
    checkpoint = tmp_path / "sync.json"
    assert _sync(leads, checkpoint, capsys)[0] == 1
    args = ["sync-scores", str(ROOT), "--target", "salesforce", "--leads", str(leads)]
    args += [
        "--as-of",
        "2026-03-03T10:00:00Z",
        "--chunk-size",
        "10",
        "--checkpoint",
        str(checkpoint),
    ]
    code, _, err = run(args, capsys)
    assert code == 2
    assert "unfinished sync" in err
    assert "delete the file to start afresh" in err


def test_missing_credentials_name_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 3)
    monkeypatch.delenv("SALESFORCE_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SALESFORCE_ACCESS_TOKEN_FILE", raising=False)
    monkeypatch.setenv("SALESFORCE_INSTANCE_URL", "http://127.0.0.1:9")
    code, _, err = _sync(leads, tmp_path / "sync.json", capsys)
    assert code == 2
    assert "set SALESFORCE_ACCESS_TOKEN" in err
