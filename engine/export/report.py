"""The export report: what each definition became on the target, and what was left out.

Written beside the exported files (REPORT_FILE) as Markdown, so it reads on GitHub when the
export is uploaded as a pull request's artifact, and summed up in one line by the CLI.
"""

from __future__ import annotations

from collections import Counter

from engine.export import Export
from engine.render.markdown_escape import escape_markdown

REPORT_FILE = "accord-export-report.md"


def _cells(*cells: str) -> str:
    return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"


def summary(export: Export) -> str:
    """`35 of 37 definitions carried, 2 left out (2 warnings)`."""
    carried = sum(c.carried for c in export.coverage)
    text = f"{carried} of {len(export.coverage)} definitions carried in full"
    left = len(export.coverage) - carried
    if left:
        text += f", {left} not"
    severities = Counter(d.severity.value for d in export.diagnostics)
    if severities:
        found = ", ".join(
            f"{n} {severity}{'s' if n != 1 else ''}" for severity, n in sorted(severities.items())
        )
        text += f" ({found})"
    return text


def render_report(export: Export) -> str:
    lines = [
        f"# Accord export: {export.target}",
        "",
        escape_markdown(summary(export)) + ".",
        "",
    ]
    left_out = [c for c in export.coverage if not c.carried]
    if left_out:
        lines += [
            "## Not carried",
            "",
            "Build these by hand on the platform, or keep them computed by Accord.",
            "",
            "| definition | why | where |",
            "| --- | --- | --- |",
        ]
        lines += [_cells(c.definition, c.how, f"{c.span.file}:{c.span.line}") for c in left_out]
        lines.append("")
    if export.diagnostics:
        lines += [
            "## Diagnostics",
            "",
            "| code | severity | where | message |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            _cells(
                d.code, d.severity.value, f"{d.span.file}:{d.span.line}:{d.span.column}", d.message
            )
            for d in export.diagnostics
        ]
        lines.append("")
    lines += [
        "## Every definition",
        "",
        "| definition | carried | as | where |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        _cells(c.definition, "yes" if c.carried else "no", c.how, f"{c.span.file}:{c.span.line}")
        for c in export.coverage
    ]
    return "\n".join(lines) + "\n"
