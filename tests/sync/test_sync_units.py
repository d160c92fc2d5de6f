"""The pure parts of engine.sync: CSV, request bodies, values, checkpoints, resumption."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.ir import FieldType, Project
from engine.sync import checkpoint as checkpoints
from engine.sync.checkpoint import Checkpoint, CheckpointError, ChunkResult, Failure
from engine.sync.history_values import UnreadableValue, typed
from engine.sync.hubspot_contacts import batch_body, failures_of
from engine.sync.run import fresh, resumed
from engine.sync.salesforce_bulk import read_csv, soql, to_csv
from engine.sync.writeback import HUBSPOT, SALESFORCE, Record, records, writeback


def test_upload_csv_quotes_what_needs_quoting() -> None:
    rows = [Record("00Q1", (("Accord_Route__c", 'a,"b"\nc'), ("Accord_Score__c", "#N/A")))]
    text = to_csv(rows, "Id")
    assert text == 'Id,Accord_Route__c,Accord_Score__c\n00Q1,"a,""b""\nc",#N/A\n'
    assert read_csv(text) == [
        {"Id": "00Q1", "Accord_Route__c": 'a,"b"\nc', "Accord_Score__c": "#N/A"}
    ]


def test_writeback_names_the_exported_fields(northwind: Project) -> None:
    sf = writeback(northwind, SALESFORCE)
    assert sf.id_name == "Id"
    assert [name for _, name in sf.columns][:3] == [
        "Accord_Score__c",
        "Accord_Fit_Score__c",
        "Accord_Engagement_Score__c",
    ]
    hs = writeback(northwind, HUBSPOT)
    assert hs.id_name == "salesforce_lead_id"
    rows: list[dict[str, object]] = [
        {"lead_id": "x", "score": 45.0, "fit": 12.5, "grade": None},
        {"lead_id": None},
    ]
    made = records(rows, hs, "lead_id")
    assert [r.id for r in made] == ["x"]
    values = dict(made[0].values)
    assert (values["accord_score"], values["accord_fit_score"], values["accord_grade"]) == (
        "45",
        "12.5",
        "",
    )
    assert dict(records(rows, sf, "lead_id")[0].values)["Accord_Grade__c"] == "#N/A"


def test_hubspot_bodies_and_multi_status_failures() -> None:
    sent = [Record("a", (("accord_score", "1"),)), Record("b", ())]
    assert batch_body(sent, "salesforce_lead_id")["inputs"][0] == {
        "id": "a",
        "idProperty": "salesforce_lead_id",
        "properties": {"accord_score": "1"},
    }
    assert "idProperty" not in batch_body(sent, "hs_object_id")["inputs"][0]
    answer = {
        "errors": [
            {"category": "OBJECT_NOT_FOUND", "message": "gone", "context": {"ids": ["b", "z"]}}
        ]
    }
    assert failures_of(answer, sent) == (Failure("b", "OBJECT_NOT_FOUND: gone"),)


def test_soql_is_inclusive_from_the_mark() -> None:
    assert (
        soql(["Id", "SystemModstamp"], "SystemModstamp", None)
        == "SELECT Id, SystemModstamp FROM Lead"
    )
    assert soql(["Id"], "SystemModstamp", "2026-01-01T00:00:00Z").endswith(
        "WHERE SystemModstamp >= 2026-01-01T00:00:00Z"
    )


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (FieldType.INTEGER, "1200.0", 1200),
        (FieldType.NUMBER, "1e3", 1000.0),
        (FieldType.BOOLEAN, "TRUE", True),
        (FieldType.DATE, "2026-02-10", "2026-02-10"),
        (FieldType.DATE, "1770681600000", "2026-02-10"),
        (FieldType.DATETIME, "2026-01-06T10:15:00.000+0100", "2026-01-06 09:15:00"),
        (FieldType.DATETIME, "2026-01-06T10:15:00Z", "2026-01-06 10:15:00"),
        (FieldType.STRING, "  ", None),
        (FieldType.STRING, None, None),
    ],
)
def test_values_are_typed_as_the_lead_model_says(
    kind: FieldType, raw: str | None, value: object
) -> None:
    assert typed(kind, raw) == value


@pytest.mark.parametrize(
    ("kind", "raw"), [(FieldType.INTEGER, "1.5"), (FieldType.BOOLEAN, "maybe")]
)
def test_values_not_of_the_type_are_unreadable(kind: FieldType, raw: str) -> None:
    with pytest.raises(UnreadableValue):
        typed(kind, raw)


def test_checkpoint_round_trips_and_is_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    state = fresh(SALESFORCE, "k", dt.datetime(2026, 3, 2), 10, 25).started(1, "750x")
    state = state.finished(0, ChunkResult(9, (Failure("00Q", "bad"),)))
    checkpoints.write(path, state)
    assert checkpoints.read(path) == state
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]
    assert (state.chunks, state.complete, state.synced) == (3, False, 9)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CheckpointError, match="delete it"):
        checkpoints.read(path)


def test_resumption_takes_its_own_checkpoint_and_refuses_anothers_unfinished_one() -> None:
    new = fresh(HUBSPOT, "run-b", dt.datetime(2026, 3, 2), 100, 250)
    assert resumed(None, new) is new
    same = Checkpoint(HUBSPOT, "run-b", new.as_of, 100, 250, {0: ChunkResult(100)})
    assert resumed(same, new) is same
    other_done = Checkpoint(HUBSPOT, "run-a", new.as_of, 100, 100, {0: ChunkResult(100)})
    assert resumed(other_done, new) is new
    other_open = Checkpoint(HUBSPOT, "run-a", new.as_of, 100, 250, {0: ChunkResult(100)})
    with pytest.raises(CheckpointError, match="unfinished"):
        resumed(other_open, new)
