"""The export targets, by name, and the one entry point that runs them (`accord export`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from engine.diagnostics import Severity, sorted_diagnostics
from engine.export import Export, ExportOptions, dbt, hubspot, marketo, salesforce, sql
from engine.export.report import REPORT_FILE, render_report
from engine.ir import Project

Exporter = Callable[[Project, ExportOptions], Export]

# One line per target; each exporter module lives in engine/export/.
TARGETS: dict[str, Exporter] = {
    "sql": sql.export,
    "salesforce": salesforce.export,
    "dbt": dbt.export,
    "hubspot": hubspot.export,
    "marketo": marketo.export,
}
# The dialects of `--target sql`, as sqlglot names them.
SQL_DIALECTS = ("bigquery", "duckdb", "postgres", "snowflake", "spark")


def run_export(
    project: Project, target: str, options: ExportOptions, *, strict: bool = False
) -> Export:
    """The target's files with the export report among them; with `strict`, every export
    diagnostic is an error."""
    made = TARGETS[target](project, options)
    diagnostics = sorted_diagnostics(
        replace(d, severity=Severity.ERROR) if strict else d for d in made.diagnostics
    )
    done = replace(made, diagnostics=tuple(diagnostics))
    files = dict(done.files)
    assert REPORT_FILE not in files, f"{target} wrote its own {REPORT_FILE}"
    files[REPORT_FILE] = render_report(done)
    return replace(done, files=dict(sorted(files.items())))
