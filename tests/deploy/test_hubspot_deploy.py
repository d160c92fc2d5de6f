"""HubSpot plan/apply against a local HubSpot contract server: drift, faults, resuming."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from test_cli import ROOT, example, run

from deploy.contract_server import Fault
from deploy.hubspot_server import TOKEN, HubSpotServer
from engine.deploy.hubspot import HubSpotPlatform
from engine.deploy.journal import Journal
from engine.deploy.plan import Action, make_plan
from engine.deploy.render import render_text
from engine.export import Export, ExportOptions
from engine.export.targets import run_export
from engine.http_client import HttpClient, HttpError, RetryPolicy
from engine.ir import Project

WRITES_FOR_NORTHWIND = 13  # a group, 6 properties, 4 lists, a score and its publish


@pytest.fixture
def server(httpserver: HTTPServer) -> HubSpotServer:
    return HubSpotServer(httpserver)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def platform(server: HubSpotServer, sleeps: list[float]) -> HubSpotPlatform:
    client = HttpClient(
        server.url,
        secret_headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=(1.0, 1.0),
        sleep=sleeps.append,
    )
    return HubSpotPlatform(client)


@pytest.fixture
def exported(northwind: Project) -> Export:
    return run_export(northwind, "hubspot", ExportOptions())


@pytest.fixture
def env(server: HubSpotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_API_URL", server.url)
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)


def _apply(platform: HubSpotPlatform, exported: Export, tmp_path: Path) -> None:
    plan = make_plan("hubspot", platform.desired(exported), platform.current())
    platform.apply(plan, Journal(tmp_path / "journal.json", plan))


def _files(exported: Export, folder: str) -> dict[str, dict[str, object]]:
    return {
        path.split("/")[-1].removesuffix(".json"): json.loads(text)
        for path, text in exported.files.items()
        if path.startswith(folder)
    }


def test_the_first_plan_adds_everything_and_reads_nothing_foreign(
    platform: HubSpotPlatform, exported: Export
) -> None:
    plan = make_plan("hubspot", platform.desired(exported), platform.current())
    assert render_text(plan) == (
        "Plan: 12 to add, 0 to change, 0 to remove.\n"
        "\n"
        "  + property-group accord\n"
        "  + property accord_score\n"
        "  + property accord_fit_score\n"
        "  + property accord_engagement_score\n"
        "  + property accord_grade\n"
        "  + property accord_stage\n"
        "  + property accord_route\n"
        "  + list Accord stage criteria: lead\n"
        "  + list Accord stage criteria: mql\n"
        "  + list Accord stage criteria: sal\n"
        "  + list Accord stage criteria: sql\n"
        "  + score Accord: Northwind Cloud\n"
    )


def test_apply_makes_the_portal_match_the_export_and_a_new_plan_is_empty(
    server: HubSpotServer, platform: HubSpotPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    state = server.accord_state()
    assert state["groups"] == {"accord": json.loads(exported.files["property-groups/accord.json"])}
    for name, body in _files(exported, "properties/").items():
        stored = state["properties"][name]
        assert {k: stored[k] for k in body if k != "options"} == {
            k: v for k, v in body.items() if k != "options"
        }
    for body in _files(exported, "lists/").values():
        stored = state["lists"][body["name"]]
        assert {k: stored[k] for k in body} == body
    (score,) = state["scores"].values()
    assert score["scoreStatus"] == "published"
    again = make_plan("hubspot", platform.desired(exported), platform.current())
    assert again.changes == ()
    assert render_text(again) == "No changes: hubspot matches the definitions.\n"
    # What Accord never made is where it was.
    assert "jobtitle" in server.properties
    assert any(x["name"] == "Newsletter subscribers" for x in server.lists.values())


def test_drift_by_hand_shows_as_a_change_with_its_diff(
    server: HubSpotServer, platform: HubSpotPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    server.properties["accord_grade"]["label"] = "Grade (edited by hand)"
    plan = make_plan("hubspot", platform.desired(exported), platform.current())
    assert render_text(plan) == (
        "Plan: 0 to add, 1 to change, 0 to remove.\n"
        "\n"
        "  ~ property accord_grade\n"
        "      --- deployed\n"
        "      +++ definitions\n"
        "      @@ -6,3 +6,3 @@\n"
        '         "groupName": "accord",\n'
        '      -  "label": "Grade (edited by hand)",\n'
        '      +  "label": "Accord grade",\n'
        '         "name": "accord_grade",\n'
    )
    platform.apply(plan, Journal(tmp_path / "again.json", plan))
    assert server.properties["accord_grade"]["label"] == "Accord grade"


def test_what_accord_made_and_the_definitions_dropped_is_removed_and_nothing_else(
    server: HubSpotServer, platform: HubSpotPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    server.add_property(
        {
            "fieldType": "number",
            "groupName": "accord",
            "label": "Old",
            "name": "accord_old",
            "type": "number",
        }
    )
    server.add_list(
        {
            "name": "Accord stage criteria: retired",
            "objectTypeId": "0-1",
            "processingType": "DYNAMIC",
        }
    )
    plan = make_plan("hubspot", platform.desired(exported), platform.current())
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [
        (Action.REMOVE, "list", "Accord stage criteria: retired"),
        (Action.REMOVE, "property", "accord_old"),
    ]
    platform.apply(plan, Journal(tmp_path / "again.json", plan))
    assert "accord_old" not in server.properties
    assert "jobtitle" in server.properties
    assert make_plan("hubspot", platform.desired(exported), platform.current()).changes == ()


def test_a_score_changed_but_not_published_is_still_a_change(
    server: HubSpotServer, platform: HubSpotPlatform, exported: Export, tmp_path: Path
) -> None:
    _apply(platform, exported, tmp_path)
    (score,) = server.accord_state()["scores"].values()
    score["scoreStatus"] = "draft"  # a draft replaced, its publish lost
    plan = make_plan("hubspot", platform.desired(exported), platform.current())
    assert [(c.action, c.kind) for c in plan.changes] == [(Action.CHANGE, "score")]
    platform.apply(plan, Journal(tmp_path / "again.json", plan))
    assert score["scoreStatus"] == "published"


def test_429_waits_as_long_as_retry_after_says(
    server: HubSpotServer, platform: HubSpotPlatform, sleeps: list[float]
) -> None:
    server.fail_request(
        1, Fault(429, {"status": "error", "message": "rate limit"}, {"Retry-After": "7"})
    )
    assert platform.current() == []
    assert sleeps == [7.0]


def test_a_500_is_retried(
    server: HubSpotServer, platform: HubSpotPlatform, sleeps: list[float]
) -> None:
    server.fail_request(2, Fault(500, {"status": "error", "message": "internal"}))
    server.fail_request(3, Fault(503, {"status": "error", "message": "unavailable"}))
    assert platform.current() == []
    assert len(sleeps) == 2


def test_a_slow_answer_times_out_and_is_retried(server: HubSpotServer, sleeps: list[float]) -> None:
    client = HttpClient(
        server.url,
        secret_headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=(1.0, 0.2),
        sleep=sleeps.append,
        retry=RetryPolicy(attempts=2),
    )
    server.fail_request(1, Fault(200, delay=0.3))
    assert HubSpotPlatform(client).current() == []
    assert len(sleeps) == 1
    server.fail_request(server.requests + 1, Fault(200, delay=0.3))
    server.fail_request(server.requests + 2, Fault(200, delay=0.3))
    with pytest.raises(HttpError, match="timed out after 2 attempts"):
        HubSpotPlatform(client).current()


# -- the command line -------------------------------------------------------------------------


@pytest.mark.usefixtures("env")
def test_an_apply_stopped_half_way_is_finished_by_running_it_again(
    server: HubSpotServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "journal.json"
    args = ["apply", str(ROOT), "--target", "hubspot", "--yes", "--journal", str(journal)]
    server.fail_write(3, Fault(400, {"status": "error", "message": "Property limit reached"}))
    code, out, err = run(args, capsys)
    assert code == 1
    assert "apply stopped: PATCH" not in err
    assert "Property limit reached" in err
    assert "2 of 12 changes are done and recorded in" in err
    assert out.startswith("Plan: 12 to add, 0 to change, 0 to remove.\n")
    recorded = json.loads(journal.read_text(encoding="utf-8"))
    assert len(recorded["done"]) == 2
    assert recorded["complete"] is False
    first = list(server.writes)
    assert len(first) == 2

    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "finishing the apply recorded in" in err
    assert out.startswith("Plan: 10 to add, 0 to change, 0 to remove.\n")
    assert out.endswith("Apply complete: 10 changes made.\n")
    # Every write was sent once: the two done before the failure were not repeated.
    assert len(server.writes) == WRITES_FOR_NORTHWIND
    assert len(set(server.writes)) == len(server.writes)
    assert server.writes[:2] == first
    code, out, _ = run(["plan", str(ROOT), "--target", "hubspot"], capsys)
    assert (code, out) == (0, "No changes: hubspot matches the definitions.\n")


@pytest.mark.usefixtures("env")
def test_a_saved_plan_applied_twice_changes_nothing_the_second_time(
    server: HubSpotServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved, journal = tmp_path / "plan.json", tmp_path / "journal.json"
    code, out, err = run(["plan", str(ROOT), "--target", "hubspot", "--out", str(saved)], capsys)
    assert code == 0
    assert json.loads(saved.read_text(encoding="utf-8"))["summary"] == {
        "add": 12,
        "change": 0,
        "remove": 0,
    }
    args = [
        "apply",
        str(ROOT),
        "--target",
        "hubspot",
        "--plan",
        str(saved),
        "--journal",
        str(journal),
    ]
    code, out, err = run(args, capsys)
    assert code == 0, err
    writes = len(server.writes)
    assert writes == WRITES_FOR_NORTHWIND
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert out == "No changes: hubspot matches the definitions.\n"
    assert len(server.writes) == writes


@pytest.mark.usefixtures("env")
def test_a_plan_is_refused_once_the_portal_changed(
    server: HubSpotServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "plan.json"
    run(["plan", str(ROOT), "--target", "hubspot", "--out", str(saved)], capsys)
    server.add_property(
        {
            "fieldType": "number",
            "groupName": "accord",
            "label": "By hand",
            "name": "accord_x",
            "type": "number",
        }
    )
    code, _out, err = run(
        [
            "apply",
            str(ROOT),
            "--target",
            "hubspot",
            "--plan",
            str(saved),
            "--journal",
            str(tmp_path / "j.json"),
        ],
        capsys,
    )
    assert code == 1
    assert "hubspot changed since the plan was made" in err
    assert "Traceback" not in err
    assert server.writes == []


@pytest.mark.usefixtures("env")
def test_a_plan_is_refused_once_the_definitions_changed(
    server: HubSpotServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, saved = example(tmp_path), tmp_path / "plan.json"
    run(["plan", str(project), "--target", "hubspot", "--out", str(saved)], capsys)
    scoring = project / "rules" / "scoring.yaml"
    scoring.write_text(
        scoring.read_text(encoding="utf-8").replace("points: 20", "points: 21", 1), encoding="utf-8"
    )
    code, _, err = run(["apply", str(project), "--target", "hubspot", "--plan", str(saved)], capsys)
    assert code == 1
    assert "the definitions changed since the plan was made" in err
    assert server.writes == []


@pytest.mark.usefixtures("env")
def test_apply_without_a_terminal_needs_yes(
    server: HubSpotServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(
        ["apply", str(ROOT), "--target", "hubspot", "--journal", str(tmp_path / "j")], capsys
    )
    assert code == 1
    assert "pass --yes" in err
    assert out.startswith("Plan: 12 to add")
    assert server.writes == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    ("answer", "code", "writes"), [("n\n", 1, 0), ("y\n", 0, WRITES_FOR_NORTHWIND)]
)
def test_apply_at_a_terminal_asks_first(
    server: HubSpotServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    writes: int,
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    result, out, _ = run(
        ["apply", str(ROOT), "--target", "hubspot", "--journal", str(tmp_path / "j")], capsys
    )
    assert result == code
    assert "Apply these changes to hubspot?" in out
    assert len(server.writes) == writes


@pytest.mark.usefixtures("env")
def test_no_token_appears_in_any_output_error_or_file(
    server: HubSpotServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An API that echoes the credential back in its error must not get it printed.
    echo = {"status": "error", "message": f"token Bearer {TOKEN} lacks scope crm.lists.write"}
    server.fail_write(2, Fault(403, echo))
    saved, journal = tmp_path / "plan.json", tmp_path / "journal.json"
    outputs = [run(["plan", str(ROOT), "--target", "hubspot", "--out", str(saved)], capsys)]
    outputs.append(run(["plan", str(ROOT), "--target", "hubspot", "--format", "json"], capsys))
    outputs.append(
        run(["apply", str(ROOT), "--target", "hubspot", "--yes", "--journal", str(journal)], capsys)
    )
    assert outputs[-1][0] == 1
    assert "*** lacks scope" in outputs[-1][2]
    texts = [out + err for _, out, err in outputs]
    texts += [saved.read_text(encoding="utf-8"), journal.read_text(encoding="utf-8")]
    assert all(TOKEN not in text for text in texts)


def test_a_missing_token_is_a_clear_error(
    server: HubSpotServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    monkeypatch.delenv("HUBSPOT_TOKEN_FILE", raising=False)
    code, _out, err = run(["plan", str(ROOT), "--target", "hubspot"], capsys)
    assert code == 1
    assert "set HUBSPOT_TOKEN (or HUBSPOT_TOKEN_FILE" in err
    assert "Traceback" not in err


def test_a_wrong_token_is_a_clear_error(
    server: HubSpotServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_API_URL", server.url)
    monkeypatch.setenv("HUBSPOT_TOKEN", "pat-na1-wrong-token-value")
    code, out, err = run(["plan", str(ROOT), "--target", "hubspot"], capsys)
    assert code == 1
    assert "cannot read hubspot: GET" in err
    assert "answered 401" in err
    assert "pat-na1-wrong-token-value" not in out + err
