"""`accord sync-scores --target hubspot` against a local contacts batch-update contract server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from test_cli import run

from sync.contract import Fault
from sync.fixtures import AS_OF, ROOT, assert_no_token, hubspot_env, quick_clients, write_leads
from sync.hubspot_server import UPDATE, HubSpotServer


def _setup(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[HubSpotServer, list[str], list[float], Path]:
    leads = tmp_path / "leads.csv"
    ids = write_leads(leads)
    contacts = {
        str(100 + n): {"salesforce_lead_id": i, "lastmodifieddate": "2026-01-01T00:00:00.000Z"}
        for n, i in enumerate(ids)
    }
    server = HubSpotServer(contacts=contacts).install(httpserver)
    hubspot_env(monkeypatch, httpserver.url_for("/"))
    return server, ids, quick_clients(monkeypatch), leads


def _sync(
    leads: Path, checkpoint: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    args = ["sync-scores", str(ROOT), "--target", "hubspot", "--leads", str(leads)]
    args += ["--as-of", AS_OF, "--checkpoint", str(checkpoint), *extra]
    return run(args, capsys)


def _sent(server: HubSpotServer, since: int = 0) -> list[str]:
    return [
        item["id"]
        for entry in server.log[since:]
        if entry.path == UPDATE and entry.answered in (200, 207)
        for item in entry.json()["inputs"]
    ]


def test_batches_by_id_property_with_rejections_and_a_429(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, waits, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.reject = {ids[4], ids[20]}
    server.faults.append(Fault("POST", UPDATE, status=429, retry_after="3", after=1))
    checkpoint = tmp_path / "hubspot.json"
    code, out, err = _sync(leads, checkpoint, capsys, "--chunk-size", "10")
    assert code == 1
    assert 3.0 in waits
    bodies = [e.json() for e in server.requests("POST", UPDATE) if e.answered != 429]
    assert [len(b["inputs"]) for b in bodies] == [10, 10, 5]
    item = bodies[0]["inputs"][0]
    assert item["idProperty"] == "salesforce_lead_id"
    assert sorted(item["properties"]) == [
        "accord_engagement_score",
        "accord_fit_score",
        "accord_grade",
        "accord_route",
        "accord_score",
        "accord_stage",
    ]
    assert f"accord: failed: {ids[4]}: OBJECT_NOT_FOUND: Could not find contact {ids[4]}" in err
    assert (
        f"synced 23 of 25 leads to hubspot as of 2026-03-02T10:00:00Z; 2 failed (see {checkpoint})"
        in err
    )
    updated = [c for c in server.contacts.values() if "accord_score" in c]
    assert len(updated) == 23
    assert_no_token(out, err, checkpoint.read_text(encoding="utf-8"))


def test_an_interrupted_sync_resumes_without_sending_done_batches_again(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ids, _, leads = _setup(tmp_path, httpserver, monkeypatch)
    server.faults.append(Fault("POST", UPDATE, status=503, times=None, after=1))
    checkpoint = tmp_path / "hubspot.json"
    code, out, err = _sync(leads, checkpoint, capsys, "--chunk-size", "10")
    assert code == 1
    assert "stopped at chunk 2 of 3: POST" in err
    assert "answered 503" in err
    assert sorted(json.loads(checkpoint.read_text(encoding="utf-8"))["done"]) == ["0"]
    assert_no_token(out, err, checkpoint.read_text(encoding="utf-8"))

    server.faults.clear()
    before = len(server.log)
    code, _, err = _sync(leads, checkpoint, capsys, "--chunk-size", "10")
    assert code == 0, err
    assert sorted(_sent(server, before)) == ids[10:]
    assert "synced 25 of 25 leads to hubspot" in err
    assert all("accord_score" in c for c in server.contacts.values())


def test_a_chunk_over_hubspots_batch_limit_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    write_leads(leads, 2)
    code, _, err = _sync(leads, tmp_path / "c.json", capsys, "--chunk-size", "101")
    assert code == 2
    assert "hubspot takes at most 100" in err
