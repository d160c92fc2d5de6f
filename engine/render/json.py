"""Machine-readable JSON output: a versioned document of counts and diagnostics."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from engine.codes import CODES
from engine.diagnostics import Diagnostic, Severity

# Bumped whenever a field changes meaning or goes away; adding a field keeps the version.
FORMAT_VERSION = 1

JsonValue = str | int | None | list["JsonValue"] | dict[str, "JsonValue"]


def render_json(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], summary: str) -> str:
    """The diagnostics in the order given, with error and warning counts and the summary."""
    document: dict[str, JsonValue] = {
        "version": FORMAT_VERSION,
        "summary": {
            "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
            "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
            "text": summary,
        },
        "diagnostics": [_diagnostic(d) for d in diagnostics],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _diagnostic(d: Diagnostic) -> JsonValue:
    info = CODES.get(d.code)
    return {
        "code": d.code,
        "severity": str(d.severity),
        "name": info.name if info else None,
        "message": d.message,
        "file": d.span.file,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "help": d.help,
        "notes": [
            {
                "message": n.message,
                "file": n.span.file,
                "line": n.span.line,
                "column": n.span.column,
            }
            for n in d.notes
        ],
    }
