"""Plans, their text and JSON, staleness and the journal: pure, without a platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.deploy.journal import Journal, JournalError, apply_each, load_journal
from engine.deploy.plan import (
    Action,
    Change,
    Component,
    PlanError,
    canonical,
    fingerprint,
    make_plan,
    plan_from_json,
    plan_to_json,
)
from engine.deploy.render import render_json, render_text
from engine.deploy.staleness import StalePlan, decide


def c(kind: str, name: str, **body: object) -> Component:
    return Component(kind, name, canonical({"name": name, **body}))


DEPLOYED = [
    c("property", "accord_grade", label="Grade"),
    c("property", "accord_score", label="Score"),
    c("list", "Accord stage criteria: mql", threshold=50),
    c("token", "old_rule", value="+5"),
]
DESIRED = [
    c("property", "accord_score", label="Score"),
    c("property", "accord_stage", label="Stage"),
    c("property", "accord_grade", label="Grade"),
    c("list", "Accord stage criteria: mql", threshold=55),
    c("list", "Accord stage criteria: sal", threshold=70),
]


def test_a_plan_adds_changes_and_removes_summary_first() -> None:
    plan = make_plan("hubspot", DESIRED, DEPLOYED)
    assert render_text(plan) == (
        "Plan: 2 to add, 1 to change, 1 to remove.\n"
        "\n"
        "  + property accord_stage\n"
        "  ~ list Accord stage criteria: mql\n"
        "      --- deployed\n"
        "      +++ definitions\n"
        "      @@ -2,3 +2,3 @@\n"
        '         "name": "Accord stage criteria: mql",\n'
        '      -  "threshold": 50\n'
        '      +  "threshold": 55\n'
        "       }\n"
        "  + list Accord stage criteria: sal\n"
        "  - token old_rule\n"
    )


def test_equal_states_make_no_changes_whatever_their_order() -> None:
    plan = make_plan("marketo", DEPLOYED, list(reversed(DEPLOYED)))
    assert plan.changes == ()
    assert plan.remote_fingerprint == plan.desired_fingerprint
    assert render_text(plan) == "No changes: marketo matches the definitions.\n"


def test_equal_meaning_is_equal_text() -> None:
    assert canonical({"b": 1, "a": [2, 1]}) == canonical({"a": [2, 1], "b": 1})
    assert fingerprint(DEPLOYED) == fingerprint(reversed(DEPLOYED))
    assert fingerprint(DEPLOYED) != fingerprint(DESIRED)


def test_a_component_listed_twice_is_a_bug_not_a_plan() -> None:
    with pytest.raises(ValueError, match="two desired components are property 'accord_score'"):
        make_plan("hubspot", [*DESIRED, DESIRED[0]], [])


def test_the_json_plan_has_every_field_and_reads_back() -> None:
    plan = make_plan("hubspot", DESIRED, DEPLOYED)
    value = json.loads(render_json(plan))
    assert value["summary"] == {"add": 2, "change": 1, "remove": 1}
    assert value["changes"][1] == {
        "action": "change",
        "after": DESIRED[3].body,
        "before": DEPLOYED[2].body,
        "kind": "list",
        "name": "Accord stage criteria: mql",
    }
    assert plan_from_json(value) == plan


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "not an Accord plan"),
        ({"format": "accord-plan/v1", "changes": {}}, "`changes` is not a list"),
        ({"format": "accord-plan/v1", "changes": [{"action": "rename"}]}, "no valid `action`"),
        ({"format": "accord-plan/v1", "changes": [], "target": 3}, "`target` is not a string"),
    ],
)
def test_a_file_that_is_not_a_plan_says_why(value: object, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        plan_from_json(value)


# -- staleness -------------------------------------------------------------------------------


def _done(journal_path: Path, plan_changes: int) -> tuple[Journal, list[Component]]:
    """A journal of the plan DEPLOYED → DESIRED with its first `plan_changes` changes made,
    and the platform as it is then."""
    plan = make_plan("hubspot", DESIRED, DEPLOYED)
    journal = Journal(journal_path, plan)
    state = {x.key: x for x in DEPLOYED}
    for change in plan.changes[:plan_changes]:
        if change.after is None:
            del state[(change.kind, change.name)]
        else:
            state[(change.kind, change.name)] = Component(change.kind, change.name, change.after)
        journal.record(change)
    return journal, list(state.values())


def test_a_saved_plan_of_an_unchanged_platform_is_applied(tmp_path: Path) -> None:
    saved = make_plan("hubspot", DESIRED, DEPLOYED)
    decision = decide(saved, saved, None, tmp_path / "j.json")
    assert decision.plan == saved
    assert not decision.resumed


def test_a_saved_plan_of_a_changed_platform_is_refused(tmp_path: Path) -> None:
    saved = make_plan("hubspot", DESIRED, DEPLOYED)
    drifted = make_plan("hubspot", DESIRED, [*DEPLOYED, c("property", "accord_x")])
    with pytest.raises(StalePlan, match="hubspot changed since the plan was made"):
        decide(drifted, saved, None, tmp_path / "j.json")


def test_a_saved_plan_of_other_definitions_is_refused(tmp_path: Path) -> None:
    saved = make_plan("hubspot", DESIRED, DEPLOYED)
    fresh = make_plan("hubspot", DESIRED[:2], DEPLOYED)
    with pytest.raises(StalePlan, match="the definitions changed since the plan was made"):
        decide(fresh, saved, None, tmp_path / "j.json")


def test_a_saved_plan_half_applied_is_finished(tmp_path: Path) -> None:
    journal, now = _done(tmp_path / "j.json", 2)
    saved = journal.plan
    fresh = make_plan("hubspot", DESIRED, now)
    decision = decide(fresh, saved, load_journal(tmp_path / "j.json"), tmp_path / "j.json")
    assert decision.resumed
    assert decision.plan.changes == saved.changes[2:]
    # … but not when the platform also changed in another way meanwhile.
    drifted = make_plan("hubspot", DESIRED, [*now, c("token", "by_hand")])
    with pytest.raises(StalePlan):
        decide(drifted, saved, load_journal(tmp_path / "j.json"), tmp_path / "j.json")


def test_a_fresh_apply_continues_an_unfinished_journal(tmp_path: Path) -> None:
    journal, now = _done(tmp_path / "j.json", 1)
    fresh = make_plan("hubspot", DESIRED, now)
    decision = decide(fresh, None, load_journal(tmp_path / "j.json"), tmp_path / "j.json")
    assert decision.resumed
    assert decision.journal.done == journal.done


def test_apply_each_skips_what_the_journal_has_and_records_the_rest(tmp_path: Path) -> None:
    journal, _ = _done(tmp_path / "j.json", 2)
    sent: list[Change] = []
    result = apply_each(journal.plan.changes, journal, sent.append)
    assert sent == list(journal.plan.changes[2:])
    assert result.skipped == journal.plan.changes[:2]
    reread = load_journal(tmp_path / "j.json")
    assert reread is not None
    assert reread.complete
    assert reread.done == [x.id for x in journal.plan.changes]


def test_a_failed_change_stops_apply_with_the_earlier_ones_recorded(tmp_path: Path) -> None:
    plan = make_plan("hubspot", DESIRED, DEPLOYED)
    journal = Journal(tmp_path / "j.json", plan)

    def write(change: Change) -> None:
        if change.action is Action.REMOVE:
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        apply_each(plan.changes, journal, write)
    reread = load_journal(tmp_path / "j.json")
    assert reread is not None
    assert not reread.complete
    assert reread.done == [x.id for x in plan.changes[:3]]
    assert [p.name for p in tmp_path.iterdir()] == ["j.json"]  # no temporary file left


def test_a_broken_journal_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text('{"format": "accord-journal/v1", "done": 3}', encoding="utf-8")
    with pytest.raises(JournalError, match="move it away to start afresh"):
        load_journal(path)
    assert load_journal(tmp_path / "none.json") is None


def test_the_journal_holds_its_plan(tmp_path: Path) -> None:
    journal, _ = _done(tmp_path / "j.json", 1)
    value = json.loads((tmp_path / "j.json").read_text(encoding="utf-8"))
    assert value["plan"] == plan_to_json(journal.plan)
    assert value["done"] == [journal.plan.changes[0].id]
