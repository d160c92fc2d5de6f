"""coerce_lead: one lead from JSON or `key=value` text, typed for every field of the model."""

from __future__ import annotations

import datetime as dt

from test_load_leads import field, lead_model

from engine.ir import FieldType
from engine.leads import CoercionProblem, coerce_lead

MODEL = lead_model(
    field("lead_id", "string"),
    field("full_name", "string", column="Full Name"),
    field("employees", "integer"),
    field("revenue", "number"),
    field("demo", "boolean"),
    field("signed_on", "date"),
    field("created_at", "datetime"),
    field("industry", "string", null_values=("Select",)),
    null_values=("N/A",),
)


def test_every_field_gets_a_value_or_none() -> None:
    values, problems = coerce_lead(MODEL, {"lead_id": "L1", "employees": "1200"})
    assert values == {
        "lead_id": "L1",
        "full_name": None,
        "employees": 1200,
        "revenue": None,
        "demo": None,
        "signed_on": None,
        "created_at": None,
        "industry": None,
    }
    assert problems == []


def test_text_values_are_read_as_a_lead_file_reads_them() -> None:
    values, problems = coerce_lead(
        MODEL,
        {
            "lead_id": "  L1 ",
            "Full Name": "Doe, Jane",
            "employees": " 12.0 ",
            "revenue": "1e6",
            "demo": "Yes",
            "signed_on": "2026-01-31",
            "created_at": "2026-03-02 11:00:00.1234567+01:00",
            "industry": "Select",
        },
    )
    assert problems == []
    assert values == {
        "lead_id": "  L1 ",
        "full_name": "Doe, Jane",
        "employees": 12,
        "revenue": 1e6,
        "demo": True,
        "signed_on": dt.date(2026, 1, 31),
        "created_at": dt.datetime(2026, 3, 2, 10, 0, 0, 123456),
        "industry": None,
    }


def test_json_values_are_read_as_their_text() -> None:
    values, problems = coerce_lead(
        MODEL,
        {
            "lead_id": 12.5,
            "full_name": True,
            "employees": 1e3,
            "revenue": 7,
            "demo": 0,
            "industry": {"k": [1, "é"]},
            "created_at": None,
        },
    )
    assert problems == []
    assert (values["lead_id"], values["full_name"], values["employees"]) == ("12.5", "true", 1000)
    assert (values["revenue"], values["demo"], values["industry"]) == (7.0, False, '{"k":[1,"é"]}')


def test_unreadable_values_are_problems_and_none() -> None:
    values, problems = coerce_lead(
        MODEL, {"lead_id": "L1", "employees": True, "demo": "maybe", "signed_on": "2026-02-30"}
    )
    assert (values["employees"], values["demo"], values["signed_on"]) == (None, None, None)
    assert problems == [
        CoercionProblem(
            "employees",
            "true",
            FieldType.INTEGER,
            '`employees` is integer, and "true" cannot be read as an integer',
            "write digits with an optional sign, e.g. `1200`",
        ),
        CoercionProblem(
            "demo",
            "maybe",
            FieldType.BOOLEAN,
            '`demo` is boolean, and "maybe" cannot be read as a boolean',
            "write true or false (also yes/no, y/n, t/f, 1/0)",
        ),
        CoercionProblem(
            "signed_on",
            "2026-02-30",
            FieldType.DATE,
            '`signed_on` is date, and "2026-02-30" cannot be read as a date',
            "write an existing day as YYYY-MM-DD",
        ),
    ]


def test_unknown_keys_are_problems_with_a_did_you_mean() -> None:
    values, problems = coerce_lead(MODEL, {"lead_id": "L1", "employes": "5", "colour": "red"})
    assert values["employees"] is None
    assert problems == [
        CoercionProblem(
            "employes",
            "5",
            None,
            "the lead model has no field `employes`",
            "did you mean `employees`?",
        ),
        CoercionProblem("colour", "red", None, "the lead model has no field `colour`", None),
    ]


def test_keys_match_like_file_columns_and_an_exact_key_wins() -> None:
    values, problems = coerce_lead(
        MODEL, {" FULL NAME ": "loose", "lead_id": "L1", " Employees": "1", "employees": "2"}
    )
    assert (values["full_name"], values["employees"]) == ("loose", 2)
    assert problems == [
        CoercionProblem(
            " Employees",
            "1",
            None,
            "the lead model has no field ` Employees`",
            "did you mean `employees`?",
        )
    ]
