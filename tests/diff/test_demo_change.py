"""The main job's demonstration change still applies to the example organisation."""

from __future__ import annotations

from test_cli import ROOT

import tasks
from engine.diff.definitions import definition_changes
from engine.project import compile_project
from engine.revisions import read_revision


def test_the_demo_change_applies_and_validates() -> None:
    commit = tasks.demo_change_commit()
    base = compile_project(read_revision(ROOT, "HEAD").files)
    head = compile_project(read_revision(ROOT, commit).files)
    assert head.ok, head.diagnostics
    assert base.project is not None
    assert head.project is not None
    changed = [(c.kind, c.id, c.details) for c in definition_changes(base.project, head.project)]
    assert changed == [
        ("rule", "webinar_attendee", ("points 8 → 12",)),
        (
            "stage",
            "mql",
            (
                "condition: score >= 50 and fit >= 25 and engagement >= 10 and not existing_customer"
                " → score >= 45 and fit >= 30 and engagement >= 10 and not existing_customer",
            ),
        ),
        (
            "route",
            "regulated_industries",
            (
                'condition: regulated_industry and region in ["AMER", "EMEA"] and employees >= 500'
                ' → regulated_industry and region in ["AMER", "EMEA"] and employees >= 250',
            ),
        ),
    ]
