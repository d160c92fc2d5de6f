"""Team strategies replayed over a history: exact member sequences, in both evaluators."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from engine.interpreter.evaluate import Interpreter
from engine.interpreter.replay import Arrival, replay_owners
from engine.interpreter.values import Lead
from engine.ir import Project
from engine.project import compile_project
from engine.sql.run import create_lead_table, score_table

FILES = {
    "accord.yaml": """
apiVersion: accord/v1
kind: Project
name: Replay Co
owners: [sales]
parties: {sales: {name: Sales}}
""",
    "rules/lead.yaml": """
apiVersion: accord/v1
kind: LeadModel
owners: [sales]
id_field: lead_id
arrival_field: created_at
fields:
  lead_id: {type: string}
  created_at: {type: datetime}
  team: {type: string}
  owner: {type: string}
""",
    "rules/routing.yaml": """
apiVersion: accord/v1
kind: Routing
owners: [sales]
queues:
  triage: {name: Triage, calendar: hq}
teams:
  rotation: {calendar: hq, strategy: round_robin, members: [ana, ben, cy]}
  shares:
    calendar: hq
    strategy: weighted
    members: [{id: lena, weight: 2}, {id: oli, weight: 1}, {id: sofia, weight: 1}]
  halves:
    calendar: hq
    strategy: weighted
    members: [{id: p, weight: 1.5}, {id: q, weight: 1}]
  capped:
    calendar: hq
    strategy: capacity_aware
    capacity_per_week: 4
    members: [{id: kim, capacity_per_week: 3}, {id: lou, capacity_per_week: 1}, max]
routes:
  - {id: owned, when: team == "owned", assign: {owner_field: owner}}
  - {id: rotation, when: team == "rotation", assign: {team: rotation}}
  - {id: shares, when: team == "shares", assign: {team: shares}}
  - {id: halves, when: team == "halves", assign: {team: halves}}
  - {id: capped, when: team == "capped", assign: {team: capped}}
  - {id: fallback, assign: {queue: triage}}
""",
    "slas/calendars.yaml": """
apiVersion: accord/v1
kind: ServiceLevels
owners: [sales]
calendars:
  hq: {timezone: UTC, hours: {mon-fri: "09:00-17:00"}}
""",
}
MONDAY = dt.datetime(2026, 3, 2, 9)


@pytest.fixture(scope="module")
def project() -> Project:
    compiled = compile_project({path: text.encode() for path, text in FILES.items()})
    assert compiled.ok, compiled.diagnostics
    assert compiled.project is not None
    return compiled.project


def _owners(project: Project, leads: list[Lead]) -> tuple[list[str | None], list[str | None]]:
    """The owner of each lead by the interpreter's replay and by the SQL query."""
    interpreter = Interpreter(project)
    arrivals = [
        Arrival(
            row,
            lead.get("lead_id"),
            _time(lead.get("created_at")),
            interpreter.evaluate(lead, MONDAY).assignee,
        )
        for row, lead in enumerate(leads, 1)
    ]
    replayed = replay_owners(project, arrivals)
    assert project.lead_model is not None
    with duckdb.connect() as connection:
        create_lead_table(connection, project.lead_model, leads)
        rows = score_table(connection, project, MONDAY)
    return [replayed[row] for row in range(1, len(leads) + 1)], [row.owner for row in rows]


def _time(value: object) -> dt.datetime | None:
    assert value is None or isinstance(value, dt.datetime)
    return value


def _team_leads(team: str, count: int, *, hours_apart: float = 1) -> list[Lead]:
    return [
        {
            "lead_id": f"L{i:03}",
            "team": team,
            "created_at": MONDAY + dt.timedelta(hours=i * hours_apart),
        }
        for i in range(count)
    ]


def test_round_robin_in_arrival_order_not_file_order(project: Project) -> None:
    leads = _team_leads("rotation", 5)
    leads.reverse()  # the file lists the latest first; arrival order decides
    interpreted, in_sql = _owners(project, leads)
    assert interpreted == in_sql == ["ben", "ana", "cy", "ben", "ana"]


def test_weighted_is_smooth_weighted_round_robin(project: Project) -> None:
    # Credits (lena, oli, sofia) after adding weights 2,1,1 and taking 4 from the winner:
    # (2,1,1)→lena (-2,1,1); (0,2,2)→oli (0,-2,2); (2,-1,3)→sofia (2,-1,-1); (4,0,0)→lena.
    interpreted, in_sql = _owners(project, _team_leads("shares", 8))
    assert interpreted == in_sql == ["lena", "oli", "sofia", "lena"] * 2


def test_fractional_weights_are_exact(project: Project) -> None:
    # 1.5 : 1 is 3 : 2 → credits (3,2)→p (-2,2); (1,4)→q (1,-1); (4,1)→p (-1,1); (2,3)→q (2,-2); (5,0)→p.
    interpreted, in_sql = _owners(project, _team_leads("halves", 5))
    assert interpreted == in_sql == ["p", "q", "p", "q", "p"]


def test_capacity_aware_skips_members_at_weekly_capacity(project: Project) -> None:
    # kim 3, lou 1, max gets the team's 4 split three ways = 1. Rounds: kim lou max | kim | kim,
    # then every member is full and the week's overflow rotates from the first member.
    interpreted, in_sql = _owners(project, _team_leads("capped", 8))
    assert interpreted == in_sql == ["kim", "lou", "max", "kim", "kim", "kim", "lou", "max"]


def test_capacity_resets_each_monday(project: Project) -> None:
    leads = _team_leads("capped", 4, hours_apart=40)  # Mon 09:00, Tue 01:00, Tue 17:00, Wed 09:00
    leads += [{"lead_id": "N1", "team": "capped", "created_at": dt.datetime(2026, 3, 9, 0, 0)}]
    interpreted, in_sql = _owners(project, leads)
    assert interpreted == in_sql == ["kim", "lou", "max", "kim", "kim"]


def test_ties_in_arrival_break_by_id_and_missing_arrival_gets_no_owner(project: Project) -> None:
    leads: list[Lead] = [
        {"lead_id": "B", "team": "rotation", "created_at": MONDAY},
        {"lead_id": "A", "team": "rotation", "created_at": MONDAY},
        {"lead_id": "C", "team": "rotation", "created_at": None},
        {"lead_id": "D", "team": "owned", "owner": "zoe"},
        {"lead_id": "E", "team": "owned"},  # no owner value: falls through to the queue
    ]
    interpreted, in_sql = _owners(project, leads)
    assert interpreted == in_sql == ["ben", "ana", None, "zoe", None]
