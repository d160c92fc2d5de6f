"""Impact reports built by hand for the impact format tests: numbers chosen so that the
rendered figures can be checked by eye (1,200 → 1,350 qualified is +150, +12.5%)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from engine.diff.report import (
    MISSING,
    OTHER,
    Breakdown,
    BreakdownRow,
    Cause,
    ChangeKind,
    Confusion,
    Count,
    Decision,
    DefinitionChange,
    Direction,
    Example,
    Fairness,
    FieldChanges,
    Fired,
    Flips,
    Headline,
    HistogramBin,
    Impact,
    Load,
    Move,
    OutcomeQuality,
    Revision,
    RoutingImpact,
    ScoreShift,
    Spread,
    Tally,
    Transition,
    WeeklyLoad,
)

# Values from lead data and PR authors that must come out inert in Markdown and HTML.
HOSTILE = (
    "@everyone",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "| a | b |",
    "`code`",
    "**bold**",
    "https://evil.example",
)


def tally(value: str, before: int, after: int) -> Tally:
    return Tally(value, Count(before, after))


def decision(
    score: float,
    grade: str | None,
    stage: str | None,
    *fired: tuple[str, int],
    disqualified_by: str | None = None,
    assignee: str | None = None,
) -> Decision:
    return Decision(
        score=score,
        groups=(("fit", score),),
        grade=grade,
        stage=stage,
        disqualified_by=disqualified_by,
        route=None if assignee is None else "route:default",
        assignee=assignee,
        rules_fired=tuple(Fired(rule, points) for rule, points in fired),
    )


def headline() -> Headline:
    return Headline(
        leads=12_000,
        qualified_stage="sql",
        qualified=Count(1_200, 1_350),
        entered=200,
        left=50,
        score_changed=3_400,
        stages=(
            tally("new", 7_800, 7_700),
            tally("mql", 2_400, 2_300),
            tally("sql", 900, 1_020),
            tally("opportunity", 300, 330),
            tally("disqualified", 600, 650),
        ),
    )


def score_shift() -> ScoreShift:
    return ScoreShift(
        bins=(
            HistogramBin(0.0, 20.0, Count(4_000, 3_800)),
            HistogramBin(20.0, 40.0, Count(3_500, 3_400)),
            HistogramBin(40.0, 60.0, Count(2_500, 2_550)),
            HistogramBin(60.0, 80.0, Count(1_500, 1_600)),
            HistogramBin(80.0, 100.0, Count(500, 650)),
        ),
        before=Spread(mean=34.5, p10=5.0, p25=15.0, p50=31.25, p75=52.0, p90=70.5),
        after=Spread(mean=36.25, p10=5.0, p25=16.0, p50=33.0, p75=55.0, p90=74.0),
        grades=(tally("A", 500, 650), tally("B", 1_500, 1_600), tally("C", 10_000, 9_750)),
        transitions=(
            Transition("A", "A", 480),
            Transition("A", "B", 20),
            Transition("B", "A", 170),
            Transition("B", "B", 1_330),
            Transition("C", "C", 9_750),
            Transition("C", "B", 250),
        ),
    )


def outcomes() -> tuple[OutcomeQuality, ...]:
    return (
        OutcomeQuality(
            "converted",
            "converted is true",
            before=Confusion(1_200, 240, 10_800, 360),
            after=Confusion(1_350, 297, 10_650, 303),
        ),
        # Nothing qualified and nothing happened before: the rates do not exist.
        OutcomeQuality(
            "won",
            "won_at is set",
            before=Confusion(0, 0, 12_000, 0),
            after=Confusion(30, 3, 11_970, 0),
        ),
    )


def flips() -> Flips:
    return Flips(
        causes=(
            Cause("rule:vp_title", 150, 0),
            Cause("stages", 50, 10),
            Cause("disqualifier:student", 0, 40),
        ),
        examples=(
            Example(
                "L-1001",
                Direction.ENTERED,
                before=decision(48.0, "B", "mql", ("senior_buyer", 10), ("vp_title", 10)),
                after=decision(53.0, "A", "sql", ("senior_buyer", 10), ("vp_title", 15)),
            ),
            Example(
                "L-2002",
                Direction.LEFT,
                before=decision(61.5, "A", "sql", ("senior_buyer", 10)),
                after=decision(
                    61.5,
                    "A",
                    "disqualified",
                    ("senior_buyer", 10),
                    disqualified_by="student",
                ),
            ),
            Example(
                "L-3003",
                Direction.LEFT,
                before=decision(40.0, None, "sql"),
                after=decision(-5.0, None, None, ("free_email", -5)),
            ),
        ),
    )


def routing() -> RoutingImpact:
    return RoutingImpact(
        assignees=(
            tally("team:emea", 3_000, 3_200),
            tally("team:na", 5_000, 4_800),
            tally("queue:nurture", 4_000, 4_000),
        ),
        moved=420,
        moves=(Move("team:na", "team:emea", 300), Move(MISSING, "queue:nurture", 120)),
        load=(
            Load(
                "team:emea",
                None,
                250,
                before=WeeklyLoad(26, 115.38, 180, dt.date(2024, 3, 4), 0),
                after=WeeklyLoad(26, 123.08, 260, dt.date(2024, 3, 11), 2),
            ),
            Load(
                "team:emea",
                "user:ann",
                60,
                before=WeeklyLoad(26, 46.15, 72, dt.date(2024, 3, 4), 3),
                after=WeeklyLoad(26, 55.5, 104, dt.date(2024, 3, 11), 9),
            ),
            Load(
                "team:na",
                None,
                None,
                before=WeeklyLoad(26, 192.31, 300, dt.date(2024, 2, 5), 0),
                after=WeeklyLoad(0, 0.0, 0, None, 0),
            ),
        ),
        fairness=(
            Fairness("team:emea", 0.4, 0.25, 0.45, 0.2),
            Fairness("team:na", 1.0, 1.0, None, None),
        ),
    )


def definitions() -> tuple[DefinitionChange, ...]:
    return (
        DefinitionChange(
            "rule",
            "vp_title",
            ChangeKind.MODIFIED,
            ("points 10 → 15",),
            "rules/scoring.yaml:12",
            ("@acme/marketing-ops",),
        ),
        DefinitionChange(
            "disqualifier", "student", ChangeKind.ADDED, (), "rules/qualification.yaml:30", ()
        ),
        DefinitionChange(
            "route",
            "apac",
            ChangeKind.REMOVED,
            (),
            "routing/routes.yaml:40",
            ("@acme/sales-ops", "@ann"),
        ),
    )


def impact() -> Impact:
    """A report with every section filled."""
    return Impact(
        base=Revision("main", "0123456789abcdef0123456789abcdef01234567"),
        head=Revision("working tree", None),
        as_of=dt.datetime(2024, 7, 1, 9, 30),
        leads_file="history/leads.csv",
        headline=headline(),
        breakdowns=(
            Breakdown(
                "country",
                (
                    BreakdownRow("US", 5_000, Count(600, 700), 120, 20),
                    BreakdownRow("DE", 2_000, Count(200, 190), 10, 20),
                    BreakdownRow(OTHER, 4_000, Count(400, 400), 70, 10),
                    BreakdownRow(MISSING, 1_000, Count(0, 60), 0, 0),
                ),
                folded=37,
            ),
        ),
        score=score_shift(),
        outcomes=outcomes(),
        flips=flips(),
        routing=routing(),
        definitions=definitions(),
        fields=FieldChanges(added=("intent_score",), removed=("fax",)),
        unreadable_values=3,
    )


def bare() -> Impact:
    """Only the headline and the score: no breakdowns, outcomes, flips, routing, changes."""
    return dataclasses.replace(
        impact(),
        breakdowns=(),
        outcomes=(),
        flips=Flips((), ()),
        routing=None,
        definitions=(),
        fields=FieldChanges((), ()),
        unreadable_values=0,
    )


def hostile() -> Impact:
    """Every text a third party controls set to a hostile value."""
    base = impact()
    rows = tuple(BreakdownRow(v, 10, Count(1, 2), 1, 0) for v in HOSTILE)
    definitions = tuple(
        DefinitionChange("rule", v, ChangeKind.MODIFIED, (v,), v, (v,)) for v in HOSTILE
    )
    example = base.flips.examples[0]
    examples = tuple(dataclasses.replace(example, lead_id=v) for v in HOSTILE)
    moves = tuple(Move(v, v, 1) for v in HOSTILE)
    # Stage ids reach the Mermaid charts: quotes, a directive, and a fence that would close
    # the ```mermaid block.
    stages = tuple(tally(v, 1, 2) for v in (*HOSTILE, 'say "hi"; %%{init: {}}%%\n```\n# x'))
    assert base.routing is not None
    return dataclasses.replace(
        base,
        headline=dataclasses.replace(base.headline, stages=stages),
        leads_file=HOSTILE[0],
        head=Revision(HOSTILE[1], None),
        breakdowns=(Breakdown("company", rows, 0),),
        flips=dataclasses.replace(base.flips, examples=examples),
        routing=dataclasses.replace(base.routing, moves=moves),
        definitions=definitions,
    )


def huge(rows: int = 5_000) -> Impact:
    """Far too big for one PR comment: thousands of breakdown rows, moves and changes."""
    base = impact()
    assert base.routing is not None
    breakdown = Breakdown(
        "company",
        tuple(BreakdownRow(f"Company {i:05}", 10, Count(1, 2), 1, 0) for i in range(rows)),
        0,
    )
    moves = tuple(Move(f"user:rep{i:05}", f"user:rep{i + 1:05}", rows - i) for i in range(rows))
    definitions = tuple(
        DefinitionChange(
            "rule",
            f"rule_{i:05}",
            ChangeKind.MODIFIED,
            (f"points {i} → {i + 1}",),
            f"rules/scoring.yaml:{i + 1}",
            ("@acme/marketing-ops",),
        )
        for i in range(rows)
    )
    return dataclasses.replace(
        base,
        breakdowns=(*base.breakdowns, breakdown),
        routing=dataclasses.replace(base.routing, moves=moves),
        definitions=definitions,
    )
