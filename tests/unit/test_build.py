"""The typed IR built from the example organisation: what the evaluators will read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.expressions.nodes import And, ExprType, Membership, Ref, RefKind
from engine.ir import (
    AssignmentKind,
    Binding,
    Condition,
    DecayMethod,
    FieldRole,
    FieldType,
    Measure,
    Period,
    Project,
    Strategy,
    TimeUnit,
)
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project() -> Project:
    compiled = compile_project(read_files(ROOT))
    assert compiled.diagnostics == []
    assert compiled.project is not None
    return compiled.project


def test_project_and_sources(project: Project) -> None:
    assert project.name == "Northwind Cloud"
    assert [p.id for p in project.parties] == ["marketing", "sales", "revops", "customer-success"]
    kinds = {s.path: s.kind for s in project.sources}
    assert kinds["rules/scoring.yaml"] == "ScoreModel"
    assert kinds["rules/scoring.tests.yaml"] == "RuleTests"
    assert project.incomplete == frozenset()


def test_lead_model(project: Project) -> None:
    model = project.lead_model
    assert model is not None
    assert model.id_field.id == "lead_id"
    employees = model.field("employees")
    assert employees is not None
    assert (employees.type, employees.role, employees.salesforce, employees.hubspot) == (
        FieldType.INTEGER,
        FieldRole.ATTRIBUTE,
        "NumberOfEmployees",
        "numberofemployees",
    )
    region = model.field("region")
    assert region is not None
    assert region.values == ("AMER", "EMEA", "APAC")
    assert {f.id for f in model.fields if f.role is FieldRole.OUTCOME} >= {
        "converted",
        "opportunity_created",
    }


def test_score_model(project: Project) -> None:
    model = project.score_model
    assert model is not None
    assert [g.id for g in model.groups] == ["fit", "engagement"]
    assert len(model.rules) == 35
    fit, engagement = model.groups
    assert (fit.cap and (fit.cap.min, fit.cap.max)) == (-40, 60)
    assert engagement.decay is not None
    assert (engagement.decay.method, engagement.decay.days, engagement.decay.from_field.id) == (
        DecayMethod.HALF_LIFE,
        30.0,
        "last_activity_at",
    )
    rule = next(r for r in model.rules if r.id == "core_vertical")
    lines = (ROOT / "rules/scoring.yaml").read_text(encoding="utf-8").splitlines()
    written = lines.index("      - id: core_vertical") + 1
    assert (rule.group, rule.points, str(rule.span)) == (
        "fit",
        5,
        f"rules/scoring.yaml:{written}:9",
    )
    assert isinstance(rule.when.expr, Membership)
    assert rule.when.expr.type is ExprType.BOOLEAN
    item = rule.when.expr.item
    assert isinstance(item, Ref)
    assert (item.kind, item.type) == (RefKind.FIELD, ExprType.STRING)


def test_qualification(project: Project) -> None:
    qualification = project.qualification
    assert qualification is not None
    assert [g.id for g in qualification.grades] == ["A", "B", "C", "D"]
    assert qualification.grades[-1].when.always
    assert [s.id for s in qualification.stages] == ["lead", "mql", "sal", "sql"]
    sal = qualification.stages[2].when.expr
    assert isinstance(sal, And)
    term = sal.operands[0]
    assert isinstance(term, Ref)
    assert (term.name, term.kind) == ("mql", RefKind.TERM)


def test_routing(project: Project) -> None:
    routing = project.routing
    assert routing is not None
    assert len(routing.routes) == 15
    assert routing.routes[-1].when is None
    assert routing.routes[-1].always
    named = next(r for r in routing.routes if r.id == "named_accounts")
    assert (named.assign.kind, named.assign.target) == (AssignmentKind.OWNER_FIELD, "account_owner")
    emea = next(t for t in routing.teams if t.id == "emea-enterprise")
    assert emea.strategy is Strategy.WEIGHTED
    assert [(m.id, m.weight) for m in emea.members] == [
        ("lena.fischer", 2.0),
        ("oliver.grant", 1.0),
        ("sofia.rossi", 1.0),
    ]
    plain = next(t for t in routing.teams if t.id == "amer-enterprise")
    assert [(m.weight, m.capacity_per_week) for m in plain.members] == [(1.0, None)] * 4


def test_calendars(project: Project) -> None:
    calendars = {c.id: c for c in project.calendars}
    emea = calendars["emea"]
    monday = [(h.start, h.end) for h in emea.hours if h.weekday == 0]
    assert monday == [(dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(18))]
    assert {h.weekday for h in emea.hours} == {0, 1, 2, 3, 4}
    assert emea.holidays is not None
    assert (emea.holidays.country, emea.holidays.subdivision) == ("DE", "BE")
    apac = calendars["apac"]
    assert [(h.start, h.end) for h in apac.hours if h.weekday == 4] == [(dt.time(9), dt.time(15))]
    assert dt.date(2026, 2, 16) in apac.closed


def test_service_levels(project: Project) -> None:
    sla = next(s for s in project.slas if s.id == "mql_first_touch")
    assert sla.fallback_calendar is not None
    assert (sla.start.id, sla.stop.id, sla.calendar.id, sla.fallback_calendar.id) == (
        "mql_at",
        "first_touch_at",
        "routed",
        "amer",
    )
    assert (sla.within.amount, sla.within.unit, sla.within.business) == (4.0, TimeUnit.HOURS, True)
    assert sla.on_breach is not None
    assert sla.on_breach.escalate_to is not None
    assert sla.on_breach.escalate_to.id == "unassigned-leads"
    volume = next(c for c in project.commitments if c.measure is Measure.COUNT)
    assert volume.per is Period.MONTH
    assert volume.dated_by is not None
    assert volume.dated_by.id == "mql_at"
    assert volume.at_least is not None
    assert volume.at_least.value > 0


def test_glossary(project: Project) -> None:
    terms = {t.id: t for t in project.terms}
    assert len(terms) == 28
    mql = terms["mql"]
    assert mql.means == Binding("rules/qualification.yaml", "mql", mql.means.span)  # type: ignore[union-attr]
    assert {a.party for a in mql.aliases} == {"marketing", "sales"}
    assert isinstance(terms["icp"].means, Condition)


def test_glossary_term_examples(project: Project) -> None:
    terms = {t.id: t for t in project.terms}
    assert {t.id: len(t.examples) for t in project.terms if t.examples} == {
        "mql": 2,
        "competitor": 2,
        "hand_raiser": 3,
        "enterprise": 3,
        "regulated_industry": 2,
        "decision_maker": 2,
        "personal_email": 3,
        "new_logo": 3,
    }
    first, second, _ = terms["enterprise"].examples
    assert [(v.field, v.value) for v in first.lead] == [("employees", 1000)]
    assert (first.is_.value, second.is_.value) == (True, False)
    assert first.as_of == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    assert (first.span.file, first.is_.span.line) == ("glossary/segments.yaml", first.span.line + 1)
    assert first.description is None
    customer = terms["mql"].examples[1]
    lead = {v.field: v.value for v in customer.lead}
    assert lead["is_customer"] is True
    assert lead["last_activity_at"] == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    assert customer.description is not None
    assert customer.description.startswith("The same lead")


def test_rule_tests(project: Project) -> None:
    assert len(project.tests) == 18
    test = next(t for t in project.tests if t.id == "enterprise_bank_caps_fit_at_60")
    assert test.as_of == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    given = {v.field: v.value for v in test.given}
    assert given["employees"] == 5200
    assert given["demo_requested"] is True
    assert given["last_activity_at"] == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    expect = test.expect
    assert expect.score is not None
    assert expect.score.value == 100
    assert [(name.value, points.value) for name, points in expect.groups] == [
        ("fit", 60),
        ("engagement", 50),
    ]
    assert expect.rules_fired is not None
    assert len(expect.rules_fired) == 14
    assert expect.grade is not None
    assert expect.grade.value == "A"
    assert expect.route is None
