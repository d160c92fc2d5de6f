"""Marketo plan/apply against a local Marketo contract server: success-false errors, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from test_cli import ROOT, run

from deploy.contract_server import Fault
from deploy.marketo_server import CLIENT_ID, CLIENT_SECRET, PROGRAM_ID, MarketoServer, failure
from engine.deploy import DeployError
from engine.deploy.journal import Journal
from engine.deploy.marketo import MarketoPlatform
from engine.deploy.marketo_api import MarketoApi, MarketoError
from engine.deploy.plan import Action, make_plan
from engine.deploy.render import render_text
from engine.export import Export, ExportOptions
from engine.export.targets import run_export
from engine.http_client import RetryPolicy
from engine.ir import Project

FIELDS, TOKENS = 6, 35  # what the example organisation's export asks for


@pytest.fixture
def server(httpserver: HTTPServer) -> MarketoServer:
    return MarketoServer(httpserver)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def platform(server: MarketoServer, sleeps: list[float]) -> MarketoPlatform:
    api = MarketoApi(server.url, CLIENT_ID, CLIENT_SECRET, timeout=(1.0, 1.0), sleep=sleeps.append)
    return MarketoPlatform(api, PROGRAM_ID)


@pytest.fixture
def exported(northwind: Project) -> Export:
    return run_export(northwind, "marketo", ExportOptions())


@pytest.fixture
def env(server: MarketoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(CLIENT_SECRET + "\n", encoding="utf-8")
    monkeypatch.setenv("MARKETO_BASE_URL", server.url)
    monkeypatch.setenv("MARKETO_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("MARKETO_CLIENT_SECRET_FILE", str(secret_file))
    monkeypatch.delenv("MARKETO_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("MARKETO_SCORE_PROGRAM_ID", PROGRAM_ID)


def _apply(platform: MarketoPlatform, exported: Export, tmp_path: Path) -> None:
    plan = make_plan("marketo", platform.desired(exported), platform.current())
    platform.apply(plan, Journal(tmp_path / "journal.json", plan))


def test_apply_creates_fields_and_tokens_and_a_new_plan_is_empty(
    server: MarketoServer, platform: MarketoPlatform, exported: Export, tmp_path: Path
) -> None:
    plan = make_plan("marketo", platform.desired(exported), platform.current())
    assert render_text(plan).splitlines()[:4] == [
        f"Plan: {FIELDS + TOKENS} to add, 0 to change, 0 to remove.",
        "",
        "  + field accord_score",
        "  + field accord_fit_score",
    ]
    platform.apply(plan, Journal(tmp_path / "journal.json", plan))
    fields = json.loads(exported.files["fields/create-lead-fields.json"])["input"]
    for body in fields:
        assert {k: server.fields[body["name"]][k] for k in body} == body
    for path, text in exported.files.items():
        if path.startswith("tokens/"):
            body = json.loads(text)
            assert server.tokens[body["name"]] == {k: body[k] for k in ("name", "type", "value")}
    assert make_plan("marketo", platform.desired(exported), platform.current()).changes == ()
    # Marketo's own field, a field made by hand and a date token are untouched.
    assert {"company", "accord_manual"} <= set(server.fields)
    assert server.tokens["webinar_date"]["value"] == "2026-12-01"


def test_a_token_edited_by_hand_is_put_back_and_a_dropped_one_removed(
    server: MarketoServer, platform: MarketoPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    server.tokens["icp_match"]["value"] = "+99"
    server.tokens["old_rule"] = {"name": "old_rule", "type": "score", "value": "+5"}
    plan = make_plan("marketo", platform.desired(exported), platform.current())
    text = render_text(plan)
    assert text.startswith("Plan: 0 to add, 1 to change, 1 to remove.\n\n  ~ token icp_match\n")
    assert '      -  "value": "+99"' in text
    assert text.endswith("  - token old_rule\n")
    platform.apply(plan, Journal(tmp_path / "again.json", plan))
    assert "old_rule" not in server.tokens
    assert server.tokens["icp_match"]["value"] != "+99"
    assert make_plan("marketo", platform.desired(exported), platform.current()).changes == ()


def test_a_dropped_field_is_hidden_and_shown_again_when_it_comes_back(
    server: MarketoServer, platform: MarketoPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    desired = [c for c in platform.desired(exported) if c.name != "accord_route"]
    plan = make_plan("marketo", desired, platform.current())
    assert [(c.action, c.name) for c in plan.changes] == [(Action.REMOVE, "accord_route")]
    platform.apply(plan, Journal(tmp_path / "drop.json", plan))
    assert server.fields["accord_route"]["isHidden"] is True
    assert make_plan("marketo", desired, platform.current()).changes == ()
    plan = make_plan("marketo", platform.desired(exported), platform.current())
    assert [(c.action, c.name) for c in plan.changes] == [(Action.ADD, "accord_route")]
    platform.apply(plan, Journal(tmp_path / "back.json", plan))
    assert server.fields["accord_route"]["isHidden"] is False


def test_a_changed_data_type_is_refused_with_what_to_do(
    server: MarketoServer, platform: MarketoPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    server.fields["accord_grade"]["dataType"] = "text"
    plan = make_plan("marketo", platform.desired(exported), platform.current())
    with pytest.raises(
        DeployError, match="cannot change the data type of lead field `accord_grade`"
    ):
        platform.apply(plan, Journal(tmp_path / "again.json", plan))


def test_rate_limits_answered_with_success_false_are_retried(
    server: MarketoServer, platform: MarketoPlatform, sleeps: list[float]
) -> None:
    limited = failure("606", "Max rate limit '100' exceeded with in '20' secs")
    server.fail_request(2, Fault(200, json.loads(limited.data)))
    server.fail_request(3, Fault(200, json.loads(failure("615", "Concurrent access limit").data)))
    assert platform.current() == []
    assert len(sleeps) == 2


def test_an_expired_access_token_is_renewed_once(
    server: MarketoServer, platform: MarketoPlatform
) -> None:
    platform.current()
    first = server.access_token
    server.expire_token()
    platform.current()
    assert server.access_token not in (first, "expired")


def test_other_errors_fail_with_marketos_message(
    server: MarketoServer, sleeps: list[float]
) -> None:
    api = MarketoApi(
        server.url,
        CLIENT_ID,
        CLIENT_SECRET,
        timeout=(1.0, 1.0),
        sleep=sleeps.append,
        retry=RetryPolicy(attempts=3),
    )
    server.fail_request(
        2, Fault(200, json.loads(failure("610", "Requested resource not found").data))
    )
    with pytest.raises(MarketoError, match="610 Requested resource not found"):
        MarketoPlatform(api, PROGRAM_ID).current()
    assert sleeps == []


@pytest.mark.usefixtures("env")
def test_an_apply_stopped_half_way_is_finished_by_running_it_again(
    server: MarketoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "journal.json"
    args = ["apply", str(ROOT), "--target", "marketo", "--yes", "--journal", str(journal)]
    server.fail_write(3, Fault(400, {"error": "bad request"}))
    code, _, err = run(args, capsys)
    assert code == 1
    assert f"2 of {FIELDS + TOKENS} changes are done" in err
    first = list(server.writes)
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert out.startswith(f"Plan: {FIELDS + TOKENS - 2} to add")
    assert server.writes[:2] == first
    assert len(server.writes) == FIELDS + TOKENS
    assert len(set(server.writes)) == len(server.writes)
    code, out, _ = run(["plan", str(ROOT), "--target", "marketo"], capsys)
    assert (code, out) == (0, "No changes: marketo matches the definitions.\n")


@pytest.mark.usefixtures("env")
def test_no_client_secret_or_access_token_appears_anywhere(
    server: MarketoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved, journal = tmp_path / "plan.json", tmp_path / "journal.json"
    outputs = [run(["plan", str(ROOT), "--target", "marketo", "--out", str(saved)], capsys)]
    # A proxy that echoes the request's credentials in its error page.
    server.fail_write(2, Fault(403, echo=True))
    outputs.append(
        run(["apply", str(ROOT), "--target", "marketo", "--yes", "--journal", str(journal)], capsys)
    )
    assert outputs[-1][0] == 1
    assert "denied: ***" in outputs[-1][2]
    # The identity call carries the client id and secret in its query.
    server.fail_request(server.requests + 1, Fault(401, echo=True))
    outputs.append(run(["plan", str(ROOT), "--target", "marketo"], capsys))
    assert outputs[-1][0] == 1
    assert "client_id=***&client_secret=***" in outputs[-1][2]
    texts = [out + err for _, out, err in outputs] + [saved.read_text(encoding="utf-8")]
    texts.append(journal.read_text(encoding="utf-8"))
    for secret in (CLIENT_SECRET, CLIENT_ID, server.access_token):
        assert all(secret not in text for text in texts)


def test_wrong_client_credentials_are_a_clear_error(
    server: MarketoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARKETO_BASE_URL", server.url)
    monkeypatch.setenv("MARKETO_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("MARKETO_CLIENT_SECRET", "not-the-secret-at-all")
    monkeypatch.setenv("MARKETO_SCORE_PROGRAM_ID", PROGRAM_ID)
    code, out, err = run(["plan", str(ROOT), "--target", "marketo"], capsys)
    assert code == 1
    assert "cannot read marketo: GET" in err
    assert "Bad client credentials" in err
    assert "not-the-secret-at-all" not in out + err
    assert "Traceback" not in err
