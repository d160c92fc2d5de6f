"""Generated leads through the whole example project: interpreter and DuckDB agree on every output."""

from __future__ import annotations

import datetime as dt

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.interpreter.evaluate import Interpreter
from engine.interpreter.replay import Arrival, replay_owners
from engine.ir import FieldType, LeadField, Project
from engine.sql.run import create_lead_table, score_table

AS_OF = dt.datetime(2026, 3, 2, 10)
TITLES = [
    "VP of Data",
    "Director, Analytics",
    "Head of Data Platform",
    "Chief Data Officer",
    "Data Engineer",
    "Student",
    "PhD candidate",
    "Intern",
    "Marketing Manager",
    "CTO",
    "founder",
    "",
    "vp",
]
EMAILS = [
    "dana@acmeanalytics.com",
    "x@gmail.com",
    "info@acme.com",
    "bob@fivetran.com",
    "s@uni.edu",
    "t@ox.ac.uk",
    "not-an-email",
    "a@b",
    "Ana@ACME.COM",
    "sales@northwind.io",
    "",
]
WEBSITES = [
    "https://www.acmeanalytics.com",
    "acme.com",
    "http://northwind.io/x",
    "",
    "www.ox.ac.uk",
]
NEAR = [AS_OF - dt.timedelta(days=d) for d in (0, 0.5, 1, 6.9, 7, 7.01, 29, 30, 31, 60, 90, 365)]
DST = [
    dt.datetime(2026, 3, 29, 1, 0),
    dt.datetime(2026, 3, 8, 6, 59),
    dt.datetime(2025, 10, 26, 0, 30),
]
TEXT = st.text(max_size=8)


def _values(field: LeadField) -> st.SearchStrategy[object]:
    kind = field.type
    if kind is FieldType.STRING and field.values:
        options: st.SearchStrategy[object] = st.one_of(st.sampled_from(field.values), TEXT)
    elif kind is FieldType.STRING and field.id == "job_title":
        options = st.one_of(st.sampled_from(TITLES), TEXT)
    elif kind is FieldType.STRING and field.id == "email":
        options = st.one_of(st.sampled_from(EMAILS), TEXT)
    elif kind is FieldType.STRING and field.id == "website":
        options = st.one_of(st.sampled_from(WEBSITES), TEXT)
    elif kind is FieldType.STRING and field.id == "country":
        options = st.sampled_from(["US", "DE", "GB", "RU", "SG", "IN", "FR", "BR", "us"])
    elif kind is FieldType.STRING:
        options = st.one_of(st.sampled_from(["ana.silva", "priya.nair", "x"]), TEXT)
    elif kind is FieldType.INTEGER:
        options = st.one_of(
            st.sampled_from(
                [0, 1, 2, 3, 5, 49, 50, 199, 200, 499, 500, 999, 1000, 4999, 5000, 10**6]
            ),
            st.integers(-(2**63), 2**63 - 1),
        )
    elif kind is FieldType.NUMBER:
        options = st.one_of(
            st.sampled_from([0.0, 1e6, 1e7, 5e7, 1e8, 1e9, 99_999_999.99]),
            st.floats(allow_nan=False, allow_infinity=False),
        )
    elif kind is FieldType.BOOLEAN:
        options = st.booleans()
    elif kind is FieldType.DATE:
        options = st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))
    else:
        options = st.one_of(
            st.sampled_from(NEAR + DST),
            st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)),
        )
    return st.one_of(st.none(), options)


def leads_of(project: Project) -> st.SearchStrategy[list[dict[str, object]]]:
    assert project.lead_model is not None
    lead = st.fixed_dictionaries({f.id: _values(f) for f in project.lead_model.fields})
    return st.lists(lead, min_size=1, max_size=25)


def assert_agree(
    project: Project, leads: list[dict[str, object]], connection: duckdb.DuckDBPyConnection
) -> None:
    assert project.lead_model is not None
    create_lead_table(connection, project.lead_model, leads)  # type: ignore[arg-type]
    rows = score_table(connection, project, AS_OF, rules_fired=True)
    interpreter = Interpreter(project)
    evaluations = [interpreter.evaluate(lead, AS_OF) for lead in leads]  # type: ignore[arg-type]
    arrival = project.lead_model.arrival_field
    id_field = project.lead_model.id_field.id
    owners = replay_owners(
        project,
        [
            Arrival(i, lead[id_field], lead[arrival.id] if arrival else None, e.assignee)  # type: ignore[arg-type]
            for i, (lead, e) in enumerate(zip(leads, evaluations, strict=True), 1)
        ],
    )
    for row_number, (lead, e, row) in enumerate(zip(leads, evaluations, rows, strict=True), 1):
        interpreted = {
            "score": e.score,
            "groups": {g.id: g.score for g in e.groups},
            "rules_fired": tuple(r.id for r in e.rules_fired),
            "grade": e.grade,
            "stage": e.stage,
            "disqualified_by": e.disqualified_by,
            "route": e.route.id if e.route else None,
            "assignee": e.assignee,
            "owner": owners[row_number],
        }
        in_sql = {
            "score": row.score,
            "groups": dict(row.groups),
            "rules_fired": row.rules_fired,
            "grade": row.grade,
            "stage": row.stage,
            "disqualified_by": row.disqualified_by,
            "route": row.route,
            "assignee": row.assignee,
            "owner": row.owner,
        }
        assert interpreted == in_sql, f"lead {lead!r}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_generated_leads_agree(northwind: Project, data: st.DataObject) -> None:
    leads = data.draw(leads_of(northwind))
    with duckdb.connect() as connection:
        assert_agree(northwind, leads, connection)
