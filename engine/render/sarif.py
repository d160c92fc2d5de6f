"""SARIF 2.1.0 output, for GitHub code scanning and other static-analysis viewers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from engine import __version__
from engine.codes import CODES
from engine.diagnostics import Diagnostic
from engine.span import Span

# Specification: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# Paths stay relative to the project root; the viewer (e.g. code scanning) supplies the root,
# so no absolute path is written (no originalUriBaseIds).
SOURCE_ROOT = "%SRCROOT%"

SarifValue = str | int | list["SarifValue"] | dict[str, "SarifValue"]


def render_sarif(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], summary: str
) -> str:
    """One run of the `accord` tool: the rules that were reported, then one result each."""
    codes = sorted({d.code for d in diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    run: dict[str, SarifValue] = {
        "tool": {
            "driver": {
                "name": "accord",
                "version": __version__,
                "rules": [_rule(code, diagnostics) for code in codes],
            }
        },
        # Span columns count code points; SARIF's default is UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.code]) for d in diagnostics],
    }
    log = {"$schema": SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _rule(code: str, diagnostics: Sequence[Diagnostic]) -> SarifValue:
    info = CODES.get(code)
    if info is None:  # not catalogued: say what can be said from the diagnostics themselves
        level = next(str(d.severity) for d in diagnostics if d.code == code)
        return {"id": code, "defaultConfiguration": {"level": level}}
    return {
        "id": code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "defaultConfiguration": {"level": info.severity},
    }


def _result(d: Diagnostic, rule_index: int) -> SarifValue:
    text = f"{d.message}\nhelp: {d.help}" if d.help else d.message
    result: dict[str, SarifValue] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": str(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical_location(d.span)}],
    }
    if d.notes:
        result["relatedLocations"] = [
            {
                "id": number,
                "message": {"text": note.message},
                "physicalLocation": _physical_location(note.span),
            }
            for number, note in enumerate(d.notes, start=1)
        ]
    return result


def _physical_location(span: Span) -> SarifValue:
    return {
        # A SARIF uri is a URI reference: spaces and other reserved characters are escaped.
        "artifactLocation": {"uri": quote(span.file, safe="/"), "uriBaseId": SOURCE_ROOT},
        "region": {
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        },
    }
