"""The impact report laid out once as sections of titled tables of text cells.

The text, Markdown and HTML formats render these same tables, each escaping the cells for
its medium; so a figure reads the same in the terminal, in the PR comment and in the page.
Cells hold text as it came (lead data and ids included): making it printable and escaping
it is the renderer's job.
Sections are listed in SECTIONS, in the order every format shows them; a section whose
inputs are empty is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from engine.diff.report import (
    Breakdown,
    Confusion,
    Decision,
    Example,
    Fired,
    Impact,
    Load,
    OutcomeQuality,
    SlaCounts,
    Tally,
    WeeklyLoad,
)
from engine.render.impact_format import (
    ARROW,
    DASH,
    before_after,
    bin_label,
    change,
    count,
    count_change,
    fraction,
    lift,
    lift_change,
    optional,
    rate,
    rate_change,
    revision,
    score,
    score_change,
    signed,
    timestamp,
)


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class Table:
    title: str  # "" when the section's title says it all
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # a sentence shown under the table, e.g. how many values were folded


@dataclass(frozen=True)
class Section:
    key: str  # stable: the HTML anchor, and where a format adds its chart
    title: str
    notes: tuple[str, ...]  # sentences shown before the tables
    tables: tuple[Table, ...]


def _columns(*names: str) -> tuple[Column, ...]:
    """Columns by name; a name ending in `#` is numeric (the `#` is not shown)."""
    return tuple(Column(n.removesuffix("#"), numeric=n.endswith("#")) for n in names)


def heading(impact: Impact) -> tuple[str, ...]:
    """What was compared, on which leads: the lines above the summary."""
    lines = [
        f"Impact of {before_after(revision(impact.base), revision(impact.head))}",
        f"{count(impact.headline.leads)} leads from {impact.leads_file},"
        f" as of {timestamp(impact.as_of)}",
    ]
    if impact.unreadable_values:
        lines.append(
            f"{count(impact.unreadable_values)} values in the leads file could not be read"
            " and count as missing"
        )
    return tuple(lines)


def summary(impact: Impact) -> Table:
    h = impact.headline
    qualified = (
        "Qualified" if h.qualified_stage is None else f"Qualified ({h.qualified_stage} or later)"
    )
    rows = [
        ("Leads evaluated", count(h.leads)),
        (qualified, count_change(h.qualified)),
        ("Entered", count(h.entered)),
        ("Left", count(h.left)),
        ("Score changed", count(h.score_changed)),
    ]
    for o in impact.outcomes:
        b, a = o.before.precision, o.after.precision
        rows.append(
            (f"Precision ({o.outcome})", f"{before_after(rate(b), rate(a))} ({rate_change(b, a)})")
        )
    return Table("", _columns("Measure", "Value"), tuple(rows))


def _tallies(title: str, label: str, tallies: Iterable[Tally]) -> Table:
    rows = tuple(
        (t.value, count(t.count.before), count(t.count.after), change(t.count)) for t in tallies
    )
    return Table(title, _columns(label, "Before#", "After#", "Change#"), rows)


def _stages(impact: Impact) -> Section | None:
    stages = impact.headline.stages
    if not stages:
        return None
    return Section("stages", "Stages", (), (_tallies("", "Stage", stages),))


def _breakdown(b: Breakdown) -> Table:
    rows = tuple(
        (
            r.value,
            count(r.leads),
            count(r.qualified.before),
            count(r.qualified.after),
            change(r.qualified),
            count(r.entered),
            count(r.left),
        )
        for r in b.rows
    )
    numbers = ("Leads#", "Qualified before#", "Qualified after#", "Change#", "Entered#", "Left#")
    columns = (Column(b.by), *_columns(*numbers))
    note = f"{count(b.folded)} more values are folded into (other)" if b.folded else ""
    return Table(f"By {b.by}", columns, rows, note)


def _breakdowns(impact: Impact) -> Section | None:
    if not impact.breakdowns:
        return None
    return Section("breakdowns", "Breakdowns", (), tuple(map(_breakdown, impact.breakdowns)))


def _score(impact: Impact) -> Section | None:
    s = impact.score
    if not (s.bins or s.grades or s.transitions):
        return None
    tables = []
    if s.bins:
        rows = tuple(
            (bin_label(b.low, b.high), count(b.count.before), count(b.count.after), change(b.count))
            for b in s.bins
        )
        tables.append(Table("Histogram", _columns("Score", "Before#", "After#", "Change#"), rows))
    spread = []
    for name in ("mean", "p10", "p25", "p50", "p75", "p90"):
        b, a = getattr(s.before, name), getattr(s.after, name)
        spread.append((name, score(b), score(a), score_change(b, a)))
    columns = _columns("Measure", "Before#", "After#", "Change#")
    tables.append(Table("Distribution", columns, tuple(spread)))
    if s.grades:
        tables.append(_tallies("Grades", "Grade", s.grades))
    if s.transitions:
        # The grades in their order, then any value only a transition names (MISSING).
        named = [g.value for g in s.grades] + [
            v for t in s.transitions for v in (t.before, t.after)
        ]
        grades = list(dict.fromkeys(named))
        cells = {(t.before, t.after): t.leads for t in s.transitions}
        matrix = tuple(
            (before, *(count(cells.get((before, after), 0)) for after in grades))
            for before in grades
            if any((before, after) in cells for after in grades)
        )
        columns = (Column("Before \\ after"), *(Column(g, numeric=True) for g in grades))
        tables.append(
            Table("Grade transitions", columns, matrix, "Rows: grade before; columns: grade after.")
        )
    return Section("score", "Score shift", (), tuple(tables))


def _quality(o: OutcomeQuality) -> Table:
    b, a = o.before, o.after

    def counted(name: str, of: Callable[[Confusion], int]) -> tuple[str, ...]:
        return (name, count(of(b)), count(of(a)), signed(of(a) - of(b)))

    def rated(
        name: str, of: Callable[[Confusion], tuple[int, int, float | None]]
    ) -> tuple[str, ...]:
        """A rate shown with its counts (part of whole) on each side, and its change."""
        before, after = of(b), of(a)
        return (name, fraction(*before), fraction(*after), rate_change(before[2], after[2]))

    rows = (
        counted("Qualified leads", lambda c: c.qualified),
        counted("Qualified with the outcome", lambda c: c.qualified_positive),
        rated("Precision", lambda c: (c.qualified_positive, c.qualified, c.precision)),
        rated("Recall", lambda c: (c.qualified_positive, c.positives, c.recall)),
        ("Lift", lift(b.lift), lift(a.lift), lift_change(b.lift, a.lift)),
        rated(
            "Conversion of unqualified",
            lambda c: (c.unqualified_positive, c.unqualified, c.unqualified_rate),
        ),
        rated("Base rate", lambda c: (c.positives, c.leads, c.base_rate)),
    )
    columns = _columns("Measure", "Before#", "After#", "Change#")
    return Table(f"{o.outcome} ({o.meaning})", columns, rows)


def _outcomes(impact: Impact) -> Section | None:
    if not impact.outcomes:
        return None
    return Section("outcomes", "Outcomes", (), tuple(map(_quality, impact.outcomes)))


def _fired(rules: tuple[Fired, ...]) -> str:
    return ", ".join(f"{f.rule} {signed(f.points)}" for f in rules) or "none"


def _stage(d: Decision) -> str:
    stage = optional(d.stage)
    return stage if d.disqualified_by is None else f"{stage} (by {d.disqualified_by})"


def _example(e: Example) -> tuple[str, ...]:
    b, a = e.before, e.after
    return (
        e.lead_id,
        str(e.direction),
        before_after(score(b.score), score(a.score)),
        before_after(optional(b.grade), optional(a.grade)),
        before_after(_stage(b), _stage(a)),
        _fired(b.rules_fired),
        _fired(a.rules_fired),
    )


def _flips(impact: Impact) -> Section | None:
    f = impact.flips
    if not (f.causes or f.examples):
        return None
    tables = []
    if f.causes:
        rows = tuple(
            (c.cause, count(c.entered), count(c.left), count(c.entered + c.left)) for c in f.causes
        )
        tables.append(Table("Causes", _columns("Cause", "Entered#", "Left#", "Total#"), rows))
    if f.examples:
        columns = _columns(
            "Lead", "Flip", "Score", "Grade", "Stage", "Rules fired before", "Rules fired after"
        )
        tables.append(Table("Examples", columns, tuple(map(_example, f.examples))))
    return Section("flips", "Why leads flipped", (), tuple(tables))


def _peak(w: WeeklyLoad) -> str:
    return count(w.peak) if w.peak_week is None else f"{count(w.peak)} ({w.peak_week.isoformat()})"


def _load(load: Load) -> tuple[str, ...]:
    b, a = load.before, load.after
    over = DASH
    if load.capacity is not None:
        over = before_after(count(b.over_capacity_weeks), count(a.over_capacity_weeks))
    return (
        load.team,
        "(team)" if load.member is None else load.member,
        DASH if load.capacity is None else count(load.capacity),
        over,
        before_after(_peak(b), _peak(a)),
        before_after(score(b.mean), score(a.mean)),
    )


def _routing(impact: Impact) -> Section | None:
    r = impact.routing
    if r is None:
        return None
    tables = []
    if r.assignees:
        tables.append(_tallies("Assignees", "Assignee", r.assignees))
    if r.moves:
        rows = tuple((m.before, m.after, count(m.leads)) for m in r.moves)
        tables.append(Table("Largest moves", _columns("From", "To", "Leads#"), rows))
    if r.load:
        columns = _columns(
            "Team", "Member", "Capacity#", "Weeks over capacity#", "Peak (week)#", "Mean#"
        )
        note = "Leads per week of arrival; the mean is over weeks with at least one lead."
        tables.append(Table("Weekly load", columns, tuple(map(_load, r.load)), note))
    if r.fairness:
        rows = tuple(
            (
                f.team,
                before_after(rate(f.before_max), rate(f.after_max)),
                before_after(rate(f.before_min), rate(f.after_min)),
            )
            for f in r.fairness
        )
        columns = _columns("Team", "Largest share#", "Smallest share#")
        tables.append(Table("Fairness", columns, rows))
    notes = (f"{count(r.moved)} leads changed assignee.",)
    return Section("routing", "Routing", notes, tuple(tables))


def _delivered(value: float | None, met: bool | None, share: bool) -> str:
    if value is None:
        return DASH
    if share:
        shown = f"{100 * value:.1f}%"
    else:
        shown = count(int(value)) if float(value).is_integer() else f"{value:,.2f}"
    return f"{shown} ({'met' if met else 'missed'})"


def _sla_counts(c: SlaCounts) -> str:
    rate = DASH if c.compliance is None else f"{100 * c.compliance:.1f}%"
    return f"{rate} ({count(c.met)} of {count(c.met + c.breached + c.overdue)})"


def _slas(impact: Impact) -> Section | None:
    if not impact.slas:
        return None
    columns = _columns("SLA", "Routed to", "Compliance before", "Compliance after", "Open#")
    rows = []
    for s in impact.slas:
        rows.append(
            (
                s.sla,
                "(all)",
                _sla_counts(s.before),
                _sla_counts(s.after),
                before_after(count(s.before.open), count(s.after.open)),
            )
        )
        rows += [
            (
                s.sla,
                t.team,
                _sla_counts(t.before),
                _sla_counts(t.after),
                before_after(count(t.before.open), count(t.after.open)),
            )
            for t in s.teams
        ]
    notes = (
        "Each SLA replayed under each revision's rules, routing and calendars: met over met,"
        " breached and open past due.",
    )
    return Section("slas", "SLAs", notes, (Table("", columns, tuple(rows)),))


def _commitments(impact: Impact) -> Section | None:
    if not impact.commitments:
        return None
    summary_rows = tuple(
        (
            c.id,
            f"{c.owner} {ARROW} {c.to}" if c.to else c.owner,
            c.target,
            count_change(c.missed),
        )
        for c in impact.commitments
    )
    tables = [
        Table(
            "",
            _columns("Commitment", "Promised by", "Target", "Periods missed"),
            summary_rows,
        )
    ]
    for c in impact.commitments:
        rows = tuple(
            (
                p.start.isoformat(),
                _delivered(p.before, p.met_before, c.measure == "sla_compliance"),
                _delivered(p.after, p.met_after, c.measure == "sla_compliance"),
            )
            for p in c.periods
        )
        tables.append(Table(c.id, _columns("Period from", "Before", "After"), rows))
    notes = ("Each commitment per period, as each revision's definitions would have delivered it.",)
    return Section("commitments", "Commitments", notes, tuple(tables))


def _definitions(impact: Impact) -> Section | None:
    if not impact.definitions:
        return None
    rows = tuple(
        (
            d.kind,
            d.id,
            str(d.change),
            "; ".join(d.details) or DASH,
            d.where,
            ", ".join(d.owners) or DASH,
        )
        for d in impact.definitions
    )
    columns = _columns("Kind", "Id", "Change", "Details", "Where", "Owners")
    return Section("definitions", "Definitions changed", (), (Table("", columns, rows),))


def _fields(impact: Impact) -> Section | None:
    f = impact.fields
    if not (f.added or f.removed):
        return None
    rows = tuple((name, "added") for name in f.added) + tuple((n, "removed") for n in f.removed)
    return Section(
        "fields", "Lead model fields", (), (Table("", _columns("Field", "Change"), rows),)
    )


# Every format shows the sections in this order.
SECTIONS: tuple[Callable[[Impact], Section | None], ...] = (
    _stages,
    _breakdowns,
    _score,
    _outcomes,
    _flips,
    _routing,
    _slas,
    _commitments,
    _definitions,
    _fields,
)


def sections(impact: Impact) -> tuple[Section, ...]:
    """The sections that have something to show, in order."""
    return tuple(s for s in (build(impact) for build in SECTIONS) if s is not None)
