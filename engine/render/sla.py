"""`accord sla report` and `accord sla check` as text, Markdown or JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Sequence

from engine.commitments import CommitmentResult, target
from engine.ir import Measure
from engine.render.markdown_escape import escape_markdown
from engine.sla.report import LISTED, Check, Clock, Compliance, SlaReport, SlaSummary

DASH = "\u2013"  # an en dash: nothing to show


def _rate(c: Compliance) -> str:
    return DASH if c.rate is None else f"{100 * c.rate:.1f}%"


def _hours(value: float | None) -> str:
    return DASH if value is None else f"{value:,.1f} h"


def _time(value: dt.datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d %H:%M")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    if markdown:

        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"

        return [line(header), "|" + "|".join(" --- " for _ in header) + "|", *map(line, rows)]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(str(cell).ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, ["-" * w for w in widths], *rows]
    ]


def _compliance_rows(items: Sequence[Compliance]) -> list[list[str]]:
    return [
        [c.key, f"{c.met:,}", f"{c.breached:,}", f"{c.overdue:,}", f"{c.open:,}", _rate(c)]
        for c in items
    ]


_COMPLIANCE = ("", "Met", "Breached", "Overdue", "Open", "Compliance")


def _clock_rows(clocks: Sequence[Clock], limit: int | None) -> list[list[str]]:
    shown = clocks if limit is None else clocks[:limit]
    return [
        [
            c.lead_id,
            c.assignee or DASH,
            c.member or DASH,
            _time(c.start),
            _time(c.due),
            _time(c.stop),
        ]
        for c in shown
    ]


_CLOCK = ("Lead", "Assignee", "Member", "Start", "Due", "Stop")


def _summary(s: SlaSummary, markdown: bool) -> list[str]:
    head = f"{s.sla}: {s.within} on {s.calendar}, owned by {s.owner}"
    lines = [f"### {escape_markdown(head)}" if markdown else head, ""]
    lines += [
        f"{s.applies:,} leads it applies to: {s.overall.met:,} met, {s.overall.breached:,} breached,"
        f" {s.overall.overdue:,} overdue, {s.overall.open:,} open; {s.not_started:,} never started,"
        f" {s.no_calendar:,} without a calendar. Compliance {_rate(s.overall)}; time to stop:"
        f" median {_hours(s.median_hours)}, p90 {_hours(s.p90_hours)}.",
        "",
    ]
    for title, items in (
        ("By month", s.by_month),
        ("By team or queue", s.by_team),
        ("By member", s.by_member),
    ):
        if items:
            header = (title, *_COMPLIANCE[1:])
            lines += [*_table(header, _compliance_rows(items), markdown), ""]
    for title, clocks in (
        ("Breaches", s.breaches),
        ("Open past due", s.overdue),
        ("Recycle candidates", s.recycle),
    ):
        if clocks:
            lines.append(f"{title} ({len(clocks):,})")
            lines += _table(_CLOCK, _clock_rows(clocks, LISTED), markdown)
            if len(clocks) > LISTED:
                lines.append(f"… {len(clocks) - LISTED:,} more; --format json lists them all")
            lines.append("")
    return lines


def _commitment(result: CommitmentResult, markdown: bool) -> list[str]:
    c = result.commitment
    promise = f"{c.owner.id} to {c.to.id}" if c.to else c.owner.id
    head = f"{c.id}: {target(c)} ({promise})"
    lines = [f"### {escape_markdown(head)}" if markdown else head, ""]
    if not result.measured:
        return [*lines, "Not measured: it needs clocks this report has none of.", ""]
    share = c.measure is Measure.SLA_COMPLIANCE
    rows = [
        [
            p.start.isoformat(),
            f"{100 * p.value:.1f}%" if share else f"{p.value:,.0f}",
            "met" if p.met else "missed",
        ]
        for p in result.periods
    ]
    lines.append(f"{len(result.periods) - result.missed:,} of {len(result.periods):,} periods met.")
    return [*lines, "", *_table(("Period from", "Delivered", ""), rows, markdown), ""]


def render_report_text(report: SlaReport, markdown: bool = False) -> str:
    title = f"SLA report: {report.leads_file}, as of {_time(report.as_of)} UTC"
    lines = [f"## {escape_markdown(title)}" if markdown else title, ""]
    for summary in report.slas:
        lines += _summary(summary, markdown)
    if report.commitments:
        lines += ["## Commitments" if markdown else "Commitments", ""]
        for result in report.commitments:
            lines += _commitment(result, markdown)
    return "\n".join(lines).rstrip() + "\n"


def render_report_markdown(report: SlaReport) -> str:
    return render_report_text(report, markdown=True)


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, CommitmentResult):
        c = value.commitment
        return {
            "id": c.id,
            "owner": c.owner.id,
            "to": c.to.id if c.to else None,
            "measure": c.measure.value,
            "target": target(c),
            "measured": value.measured,
            "missed": value.missed,
            "periods": [_jsonable(p) for p in value.periods],
        }
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Compliance):
        return {**dataclasses.asdict(value), "rate": value.rate}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def render_json(value: SlaReport | Check) -> str:
    return json.dumps(_jsonable(value), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_check_text(check: Check) -> str:
    lines = [
        f"{len(check.overdue):,} clocks open past due, {len(check.due_soon):,} due within"
        f" {check.soon.total_seconds() / 3600:g} hours of {_time(check.as_of)} UTC"
    ]
    for title, clocks in (("Overdue", check.overdue), ("Due soon", check.due_soon)):
        if clocks:
            rows = [
                [c.sla, *row, c.escalate_to or DASH]
                for c, row in zip(clocks, _clock_rows(clocks, None), strict=True)
            ]
            lines += ["", title, *_table(("SLA", *_CLOCK, "Escalate to"), rows, False)]
    return "\n".join(lines) + "\n"


REPORT_RENDERERS: dict[str, Callable[[SlaReport], str]] = {
    "text": render_report_text,
    "markdown": render_report_markdown,
    "json": render_json,
}
