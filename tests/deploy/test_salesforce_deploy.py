"""`accord plan/apply --target salesforce` against a local Metadata API (salesforce_server):
retrieve, compare, check-only validation, the real deploy all or nothing, drift, removals,
retries, and no access token in anything Accord says."""

from __future__ import annotations

import dataclasses
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from deploy.salesforce_server import MD, TOKEN, SalesforceServer
from engine.deploy import DeployError
from engine.deploy.journal import Journal
from engine.deploy.plan import Action, Change, Plan, make_plan, plan_to_json
from engine.deploy.platforms import PLATFORMS, Settings
from engine.deploy.render import render_text
from engine.deploy.salesforce import SalesforcePlatform, from_environment
from engine.deploy.salesforce_components import (
    Member,
    canonical,
    from_mdapi_files,
    mdapi_files,
    zip_bytes,
)
from engine.deploy.salesforce_metadata import SalesforceApiError
from engine.deploy.staleness import StalePlan, decide
from engine.export import Export, ExportOptions
from engine.export.targets import run_export
from engine.ir import Project

Q = "{" + MD + "}"
RULES = "force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"
RECORD = "force-app/main/default/customMetadata/Accord_Scoring_Rule.Demo_Request.md-meta.xml"
QUEUE = "force-app/main/default/queues/Apac.queue-meta.xml"


@pytest.fixture
def export(northwind: Project) -> Export:
    return run_export(northwind, "salesforce", ExportOptions())


@pytest.fixture
def server(httpserver: HTTPServer) -> SalesforceServer:
    return SalesforceServer(httpserver).install()


@dataclasses.dataclass
class Run:
    """A platform on the contract server, and the waits it asked for."""

    platform: SalesforcePlatform
    sleeps: list[float]
    journal: Path

    def plan(self, export: Export) -> Plan:
        return make_plan("salesforce", self.platform.desired(export), self.platform.current())

    def apply(self, plan: Plan) -> tuple[int, int]:
        result = self.platform.apply(plan, Journal(self.journal, plan))
        return len(result.applied), len(result.skipped)


def _run(server: SalesforceServer, tmp_path: Path, token: str = TOKEN) -> Run:
    sleeps: list[float] = []
    environ = {"SALESFORCE_INSTANCE_URL": server.instance_url, "SALESFORCE_ACCESS_TOKEN": token}
    platform = from_environment(environ, sleep=sleeps.append, poll_interval=0)
    return Run(platform, sleeps, tmp_path / "journal.json")


def _metadata_files(export: Export) -> list[str]:
    return [p for p in export.files if p.startswith("force-app/")]


def _with(export: Export, path: str, old: str, new: str) -> Export:
    assert old in export.files[path]
    files = dict(export.files)
    files[path] = files[path].replace(old, new)
    return dataclasses.replace(export, files=files)


def test_the_platform_is_listed_for_salesforce(server: SalesforceServer) -> None:
    environ = {"SALESFORCE_INSTANCE_URL": server.instance_url, "SALESFORCE_ACCESS_TOKEN": TOKEN}
    assert isinstance(PLATFORMS["salesforce"](Settings(environ)), SalesforcePlatform)


def test_plan_against_an_empty_org_adds_every_component(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    plan = _run(server, tmp_path).plan(export)
    assert {c.action for c in plan.changes} == {Action.ADD}
    assert len(plan.changes) == len(_metadata_files(export))
    kinds = [c.kind for c in plan.changes]
    assert kinds.index("CustomObject") < kinds.index("CustomField") < kinds.index("Queue")
    assert kinds[-1] == "AssignmentRules"  # after the queues it assigns to
    assert server.requests == ["retrieve", "checkRetrieveStatus", "checkRetrieveStatus"]


def test_apply_deploys_after_a_check_only_validation_and_a_second_apply_deploys_nothing(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    plan = run.plan(export)
    assert run.apply(plan) == (len(plan.changes), 0)
    assert [(d.check_only, d.rollback_on_error) for d in server.deploys] == [
        (True, True),
        (False, True),
    ]
    assert len(server.org.members) == len(plan.changes)
    rules = server.org.members[("AssignmentRules", "Lead")]
    assert len(rules.findall(f"{Q}assignmentRule/{Q}ruleEntry")) > 5

    again = run.plan(export)
    assert again.changes == ()
    before = len(server.requests)
    assert run.apply(again) == (0, 0)
    assert len(server.requests) == before  # nothing sent, nothing deployed
    assert len(server.deploys) == 2


def test_drift_made_by_hand_shows_as_a_change_with_the_xml_and_apply_undoes_it(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    run.apply(run.plan(export))

    def add_criteria_item(rules: ET.Element) -> None:
        entry = rules.findall(f"{Q}assignmentRule/{Q}ruleEntry")[-1]
        item = ET.SubElement(entry, f"{Q}criteriaItems")
        for tag, text in (("field", "Lead.Country"), ("operation", "equals"), ("value", "FR")):
            ET.SubElement(item, Q + tag).text = text

    server.edit("AssignmentRules", "Lead", add_criteria_item)
    plan = run.plan(export)
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [
        (Action.CHANGE, "AssignmentRules", "Lead")
    ]
    change = plan.changes[0]
    assert change.before is not None
    assert change.after is not None
    assert "<value>FR</value>" in change.before
    assert "<value>FR</value>" not in change.after
    shown = render_text(plan)
    assert "~" in shown
    assert "Lead" in shown

    run.apply(plan)
    assert run.plan(export).changes == ()


def test_a_change_to_the_definitions_is_planned_as_a_change(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    run.apply(run.plan(export))
    changed = _with(export, QUEUE, "members pick leads", "members take leads")
    plan = run.plan(changed)
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [(Action.CHANGE, "Queue", "Apac")]
    run.apply(plan)
    deployed = server.deploys[-1]
    assert (deployed.check_only, deployed.total) == (False, 1)  # only what changed
    assert run.plan(changed).changes == ()


def test_a_deploy_failing_half_way_leaves_the_org_unchanged(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    """The check passes, the real deploy (the third request) fails at one component after
    others were taken: Salesforce rolls back, and the org is as it was."""
    run = _run(server, tmp_path)
    run.apply(run.plan(export))
    before = server.org.snapshot()
    changed = _with(export, QUEUE, "members pick leads", "members take leads")
    changed = _with(changed, RULES, "<value>AMER</value>", "<value>NA</value>")
    plan = run.plan(changed)
    assert len(plan.changes) == 2
    server.checks_until_done = 0  # deploy, status, deploy, status
    server.real_deploy_problems[("AssignmentRules", "Lead")] = "Field Region__c: bad value NA"
    requests_before = len(server.requests)
    with pytest.raises(DeployError) as raised:
        run.apply(plan)
    message = str(raised.value)
    assert "assignmentRules/Lead.assignmentRules: Field Region__c: bad value NA" in message
    assert "rolled it back" in message
    assert "nothing was deployed" in message
    assert server.requests[requests_before:][2] == "deploy"  # the third request
    assert [d.check_only for d in server.deploys[-2:]] == [True, False]
    assert server.deploys[-1].failures
    assert server.org.snapshot() == before
    assert run.plan(changed).changes == plan.changes  # still all to do


def test_rollback_on_error_is_what_keeps_the_org_whole(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    """The contract server honours rollbackOnError: without it the same failure would
    leave the other component deployed (so the test above proves something)."""
    run = _run(server, tmp_path)
    run.apply(run.plan(export))
    before = server.org.snapshot()
    changed = _with(export, QUEUE, "members pick leads", "members take leads")
    changed = _with(changed, RULES, "<value>AMER</value>", "<value>NA</value>")
    plan = run.plan(changed)
    server.real_deploy_problems[("AssignmentRules", "Lead")] = "bad value"
    archive = zip_bytes(run.platform.deploy_files(plan.changes))
    server.run_deploy(archive, check_only=False, rollback=False)
    assert server.org.snapshot() != before


def test_a_check_only_failure_stops_before_the_real_deploy(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    plan = run.plan(export)
    server.component_problems[("CustomField", "Lead.Accord_Grade__c")] = (
        "Picklist value: A in picklist: Accord_Grade__c not found"
    )
    with pytest.raises(DeployError) as raised:
        run.apply(plan)
    message = str(raised.value)
    assert "check-only deploy (validation) failed" in message
    assert (
        "objects/Lead.object: Picklist value: A in picklist: Accord_Grade__c not found" in message
    )
    assert [d.check_only for d in server.deploys] == [True]
    assert server.org.members == {}


def test_a_server_error_on_the_third_request_is_retried(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    plan = run.plan(export)
    start = len(server.requests)
    server.checks_until_done = 0  # deploy, status, deploy, status
    server.fail_request(start + 3, 500)
    run.apply(plan)
    sent = server.requests[start:]
    assert sent[:4] == ["deploy", "checkDeployStatus", "deploy", "deploy"]  # 3rd retried
    assert [d.check_only for d in server.deploys] == [True, False]  # deployed once
    assert run.plan(export).changes == ()
    assert len(run.sleeps) >= 1


def test_a_503_forever_from_the_third_request_deploys_nothing(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    plan = run.plan(export)
    server.checks_until_done = 0  # deploy, status, deploy (the third: 503 for ever)
    server.fail_every_request_from(len(server.requests) + 3, 503)
    with pytest.raises(DeployError) as raised:
        run.apply(plan)
    assert "deploy answered 503" in str(raised.value)
    assert "all or nothing" in str(raised.value)
    assert [d.check_only for d in server.deploys] == [True]
    assert server.org.members == {}
    assert len(run.sleeps) == 4  # five attempts in all


def test_a_429_is_retried_after_the_wait_it_asks_for(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    server.fail_request(1, 429, retry_after="7")
    assert run.plan(export).changes
    assert run.sleeps[0] == 7.0
    assert server.requests[:2] == ["retrieve", "retrieve"]


def test_a_stale_plan_is_refused(server: SalesforceServer, export: Export, tmp_path: Path) -> None:
    run = _run(server, tmp_path)
    run.apply(run.plan(export))
    changed = _with(export, QUEUE, "members pick leads", "members take leads")
    saved = run.plan(changed)

    def rename(queue: ET.Element) -> None:
        name = queue.find(f"{Q}name")
        assert name is not None
        name.text = "APAC (hand-edited)"

    server.edit("Queue", "Apac", rename)
    fresh = run.plan(changed)
    with pytest.raises(StalePlan):
        decide(fresh, saved, None, tmp_path / "journal.json")


def test_only_records_and_fields_of_accords_own_types_are_removed(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    run.apply(run.plan(export))
    # Made by hand: a record of someone else's custom metadata type and a Lead field.
    server.org.members[("CustomObject", "Other__mdt")] = ET.fromstring(
        f'<CustomObject xmlns="{MD}"><label>Other</label></CustomObject>'
    )
    server.org.members[("CustomMetadata", "Other.Keep")] = ET.fromstring(
        f'<CustomMetadata xmlns="{MD}"><label>Keep</label></CustomMetadata>'
    )
    files = {p: t for p, t in export.files.items() if p != RECORD}
    smaller = dataclasses.replace(export, files=files)  # the rule was deleted from YAML
    plan = run.plan(smaller)
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [
        (Action.REMOVE, "CustomMetadata", "Accord_Scoring_Rule.Demo_Request")
    ]
    run.apply(plan)
    assert ("CustomMetadata", "Accord_Scoring_Rule.Demo_Request") not in server.org.members
    assert ("CustomMetadata", "Other.Keep") in server.org.members
    assert run.plan(smaller).changes == ()


def test_a_removal_of_something_accord_does_not_own_is_refused(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    run.platform.desired(export)
    plan = Plan("salesforce", (Change(Action.REMOVE, "Queue", "Apac", "<Queue/>", None),), "", "")
    with pytest.raises(DeployError, match="not Queue Apac"):
        run.apply(plan)
    assert server.deploys == []


def test_rules_made_by_hand_on_lead_are_not_compared(
    server: SalesforceServer, export: Export, tmp_path: Path
) -> None:
    run = _run(server, tmp_path)
    run.apply(run.plan(export))

    def add_rule(rules: ET.Element) -> None:
        rule = ET.SubElement(rules, f"{Q}assignmentRule")
        ET.SubElement(rule, f"{Q}fullName").text = "Standard"
        ET.SubElement(rule, f"{Q}active").text = "false"

    server.edit("AssignmentRules", "Lead", add_rule)
    assert run.plan(export).changes == ()


def test_the_access_token_appears_in_no_output(
    server: SalesforceServer,
    export: Export,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    said: list[str] = []
    run = _run(server, tmp_path)
    said.append(repr(run.platform))
    plan = run.plan(export)
    said += [render_text(plan), json.dumps(plan_to_json(plan))]
    server.component_problems[("Queue", "Apac")] = f"echoed session {TOKEN}"
    with pytest.raises(DeployError) as failed:
        run.apply(plan)
    said.append(str(failed.value))
    assert "***" in str(failed.value)  # the echoed token was scrubbed
    server.component_problems.clear()
    server.fail_every_request_from(len(server.requests) + 1, 503)
    with pytest.raises(DeployError) as unavailable:
        run.plan(export)
    said.append(str(unavailable.value))
    # A wrong token: Salesforce's fault names no token, and neither does Accord.
    wrong = _run(server, tmp_path, token="00Dxx0000001gPL!WRONGTOKENVALUE123")
    server.fail_from = None
    with pytest.raises(DeployError) as refused:
        wrong.plan(export)
    said.append(str(refused.value))
    assert "INVALID_SESSION_ID" in str(refused.value)
    journal = tmp_path / "journal.json"
    if journal.exists():
        said.append(journal.read_text())
    out, err = capsys.readouterr()
    said += [out, err, caplog.text]
    for text in said:
        assert TOKEN not in text
        assert "WRONGTOKENVALUE" not in text
    assert any(TOKEN in body for body in server.bodies)  # it was sent, as it must be


def test_an_instance_url_without_https_is_refused() -> None:
    environ = {
        "SALESFORCE_INSTANCE_URL": "http://example.my.salesforce.com",
        "SALESFORCE_ACCESS_TOKEN": TOKEN,
    }
    with pytest.raises(SalesforceApiError, match="must be https"):
        from_environment(environ)


def test_desired_bodies_are_canonical_and_survive_the_metadata_api_layout(
    export: Export,
) -> None:
    desired = SalesforcePlatform(lambda version: pytest.fail("no client")).desired(export)
    assert {c.body for c in desired if c.kind == "Queue"} >= {export.files[QUEUE]}
    # Through the Metadata API layout (fields inside their object) and back: the same.
    files = mdapi_files(Member(c.kind, c.name, c.body) for c in desired)
    back = from_mdapi_files({p: t.encode() for p, t in files.items()})
    assert sorted((m.kind, m.name, m.body) for m in back) == sorted(
        (c.kind, c.name, c.body) for c in desired
    )


def test_canonical_form_sorts_sets_and_keeps_rule_order() -> None:
    def record(*values: tuple[str, str]) -> str:
        items = "".join(
            f'<values><field>{f}</field><value xsi:type="xsd:string">{v}</value></values>'
            for f, v in values
        )
        return (
            f'<CustomMetadata xmlns="{MD}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>R</label>{items}</CustomMetadata>'
        )

    assert canonical(record(("A__c", "1"), ("B__c", "2")), "CustomMetadata", "a") == canonical(
        record(("B__c", "2"), ("A__c", "1")), "CustomMetadata", "b"
    )

    def rules(*queues: str) -> str:
        entries = "".join(
            f"<ruleEntry><assignedTo>{q}</assignedTo><assignedToType>Queue</assignedToType></ruleEntry>"
            for q in queues
        )
        return (
            f'<AssignmentRules xmlns="{MD}"><assignmentRule><fullName>R</fullName>'
            f"<active>true</active>{entries}</assignmentRule></AssignmentRules>"
        )

    first = canonical(rules("A", "B"), "AssignmentRules", "a")
    assert first != canonical(rules("B", "A"), "AssignmentRules", "b")
    # Layout and namespace prefixes do not matter.
    prefixed = rules("A", "B").replace("<", "<md:").replace("<md:/", "</md:")
    prefixed = prefixed.replace(f'xmlns="{MD}"', f'xmlns:md="{MD}"')
    assert canonical(prefixed, "AssignmentRules", "c") == first
