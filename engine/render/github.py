"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.codes import CODES
from engine.diagnostics import Diagnostic

# Command syntax:
# https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
# Escaping follows actions/toolkit (packages/core/src/command.ts: escapeData, escapeProperty).


def render_github(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], summary: str
) -> str:
    """One `::error`/`::warning` command per diagnostic, then the summary as a plain line."""
    return "\n".join([*(_command(d) for d in diagnostics), summary]) + "\n"


def _command(d: Diagnostic) -> str:
    span = d.span
    info = CODES.get(d.code)
    properties = {
        "file": span.file,
        "line": str(span.line),
        "col": str(span.column),
        "endLine": str(span.end_line),
        "endColumn": str(span.end_column),
        "title": f"{d.code} {info.name}" if info else d.code,
    }
    # Annotations have no room for notes, so help and notes follow the message on lines of
    # their own rather than being dropped.
    text = [d.message]
    if d.help:
        text.append(f"help: {d.help}")
    text += [f"note: {n.message}: {n.span.file}:{n.span.line}:{n.span.column}" for n in d.notes]
    listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    data = _escape_data("\n".join(text))
    return f"::{d.severity} {listed}::{data}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
