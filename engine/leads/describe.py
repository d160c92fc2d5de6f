"""Say what loading a lead file found, one line per finding, for the command line."""

from __future__ import annotations

from engine.leads.report import LoadReport


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def describe_load(report: LoadReport) -> list[str]:
    """Lines such as `employees: 3 values could not be read as integer (row 7: "lots")`."""
    lines = [f"read {_plural(report.rows, 'lead')} from {report.path.name} ({report.format.value})"]
    if report.missing_columns:
        lines.append(
            f"{_plural(len(report.missing_columns), 'field')} missing from the file, evaluated as"
            f" missing: {', '.join(report.missing_columns)}"
        )
    for unreadable in report.unreadable:
        examples = ", ".join(f"row {row}: {text!r}" for row, text in unreadable.examples)
        verb = "value could" if unreadable.count == 1 else "values could"
        lines.append(
            f"{unreadable.field}: {unreadable.count:,} {verb} not be read as"
            f" {unreadable.type.value} and count as missing ({examples})"
        )
    if report.duplicate_ids:
        examples = ", ".join(
            f"row {d.row} repeats {d.id!r} of row {d.first_row}" for d in report.duplicate_examples
        )
        lines.append(f"{_plural(report.duplicate_ids, 'row')} repeat an earlier id ({examples})")
    if report.null_ids:
        lines.append(f"{_plural(report.null_ids, 'row')} have no id")
    return lines
