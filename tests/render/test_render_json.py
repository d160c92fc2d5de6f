"""The JSON renderer: exact text, and the structure after parsing it back."""

from __future__ import annotations

import json

from engine.diagnostics import Diagnostic, Note, Severity
from engine.render import RENDERERS
from engine.render.json import render_json
from engine.span import Span

ERROR = Diagnostic(
    "R101",
    Severity.ERROR,
    "duplicate id `mql` — « déjà »",
    Span("glossary/terms.yaml", 9, 7, 9, 10),
    help="rename one of them",
    notes=(Note("first defined here", Span("glossary/terms.yaml", 3, 7, 3, 10)),),
)
WARNING = Diagnostic(
    "L105",
    Severity.WARNING,
    'worth 50 points, "cap" 40',
    Span("rules/scoring.yaml", 4, 13, 4, 15),
)


def test_registered_under_json() -> None:
    assert RENDERERS["json"] is render_json


def test_exact_text() -> None:
    out = render_json([ERROR, WARNING], {}, "accord: 2 files checked: 1 error, 1 warning")
    assert (
        out
        == """\
{
  "diagnostics": [
    {
      "code": "R101",
      "column": 7,
      "end_column": 10,
      "end_line": 9,
      "file": "glossary/terms.yaml",
      "help": "rename one of them",
      "line": 9,
      "message": "duplicate id `mql` — « déjà »",
      "name": "duplicate-id",
      "notes": [
        {
          "column": 7,
          "file": "glossary/terms.yaml",
          "line": 3,
          "message": "first defined here"
        }
      ],
      "severity": "error"
    },
    {
      "code": "L105",
      "column": 13,
      "end_column": 15,
      "end_line": 4,
      "file": "rules/scoring.yaml",
      "help": null,
      "line": 4,
      "message": "worth 50 points, \\"cap\\" 40",
      "name": "points-over-cap",
      "notes": [],
      "severity": "warning"
    }
  ],
  "summary": {
    "errors": 1,
    "text": "accord: 2 files checked: 1 error, 1 warning",
    "warnings": 1
  },
  "version": 1
}
"""
    )


WARNING_OBJECT = {
    "code": "L105",
    "severity": "warning",
    "name": "points-over-cap",
    "message": 'worth 50 points, "cap" 40',
    "file": "rules/scoring.yaml",
    "line": 4,
    "column": 13,
    "end_line": 4,
    "end_column": 15,
    "help": None,
    "notes": [],
}
ERROR_OBJECT = {
    "code": "R101",
    "severity": "error",
    "name": "duplicate-id",
    "message": "duplicate id `mql` — « déjà »",
    "file": "glossary/terms.yaml",
    "line": 9,
    "column": 7,
    "end_line": 9,
    "end_column": 10,
    "help": "rename one of them",
    "notes": [
        {"message": "first defined here", "file": "glossary/terms.yaml", "line": 3, "column": 7}
    ],
}


def test_parses_back_in_the_order_given_with_counts() -> None:
    out = render_json([WARNING, ERROR, ERROR], {"rules/scoring.yaml": "x"}, "sum")
    assert json.loads(out) == {
        "version": 1,
        "summary": {"errors": 2, "warnings": 1, "text": "sum"},
        "diagnostics": [WARNING_OBJECT, ERROR_OBJECT, ERROR_OBJECT],
    }


def test_no_diagnostics() -> None:
    assert json.loads(render_json([], {}, "ok")) == {
        "version": 1,
        "summary": {"errors": 0, "warnings": 0, "text": "ok"},
        "diagnostics": [],
    }


def test_uncatalogued_code_has_a_null_name() -> None:
    d = Diagnostic("X999", Severity.ERROR, "m", Span("f.yaml", 1, 1, 1, 2))
    assert json.loads(render_json([d], {}, "s"))["diagnostics"][0]["name"] is None
