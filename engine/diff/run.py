"""The impact diff, the IO edge: one history file scored by two revisions, compared.

DuckDB reads the leads once (twice only when the two lead models read the file
differently), runs each revision's compiled scoring query into a table, lines the two up
by row, and the measures in engine.diff.funnel, .flips and .routing aggregate them. No
lead passes through Python except the few examples the report shows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from engine.bulk import MEMORY_LIMIT, check_memory_limit
from engine.commitments import commitment_conditions, measure_commitments
from engine.diff import funnel
from engine.diff.commitments import compare_commitments
from engine.diff.definitions import definition_changes, field_changes
from engine.diff.flips import flips
from engine.diff.report import Impact, Revision
from engine.diff.routing import routing_impact
from engine.diff.sides import create_flipped_table, create_impact_view, segment_terms
from engine.diff.slas import compare_slas
from engine.ir import LeadModel, Project
from engine.leads import LoadReport, load_leads
from engine.sla.replay import replay_slas, sla_conditions
from engine.sql import literals
from engine.sql.query import compile_scoring_query
from engine.sql.run import QueryRunner

STEPS = ("reading leads", "scoring the base", "scoring the head", "comparing")
Progress = Callable[[str], None]  # called as each of STEPS starts


def _reading(model: LeadModel) -> tuple[object, ...]:
    """What decides how a lead model reads a file: equal readings load the file once."""
    return (
        model.id_field.id,
        model.null_values,
        tuple((f.id, f.type, f.source_column, f.null_values) for f in model.fields),
    )


def run_diff(
    base: tuple[Revision, Project],
    head: tuple[Revision, Project],
    leads: Path,
    as_of: dt.datetime,
    *,
    memory_limit: str = MEMORY_LIMIT,
    progress: Progress | None = None,
    runner: QueryRunner | None = None,
) -> Impact:
    """Score `leads` with both revisions' definitions and measure what changed.

    With a `runner` (engine.spark), the scoring queries run there; their rows come back
    into DuckDB, where everything else is measured.

    Raises LeadDataError when the file cannot be read with either lead model.
    """
    (base_revision, base_project), (head_revision, head_project) = base, head
    base_model, head_model = base_project.lead_model, head_project.lead_model
    assert base_model is not None
    assert head_model is not None
    step = progress or (lambda _: None)
    limit = check_memory_limit(memory_limit)
    with tempfile.TemporaryDirectory(prefix="accord-spill-") as spill, duckdb.connect() as con:
        con.execute(f"SET memory_limit = {literals.string(limit)}")
        con.execute(f"SET temp_directory = {literals.string(spill)}")
        step(STEPS[0])
        reports: list[LoadReport] = [load_leads(con, leads, head_model, table="leads_head")]
        base_table = "leads_head"
        if _reading(base_model) != _reading(head_model):
            reports.append(load_leads(con, leads, base_model, table="leads_base"))
            base_table = "leads_base"
        for name, project, table, label in (
            ("base_scores", base_project, base_table, STEPS[1]),
            ("head_scores", head_project, "leads_head", STEPS[2]),
        ):
            step(label)
            terms = segment_terms(head_model) if project is head_project else ()
            query = compile_scoring_query(
                project,
                as_of,
                source=table,
                terms=terms,
                conditions=(*commitment_conditions(project), *sla_conditions(project)),
                row=True,
            )
            if runner is None:
                con.execute(f"CREATE TEMP TABLE {name} AS {query.sql}")
            else:
                runner(con, query.sql, table, name)
        step(STEPS[3])
        create_impact_view(
            con, base_project, head_project, "leads_head", ("base_scores", "head_scores")
        )
        create_flipped_table(
            con, base_project, head_project, (base_table, "leads_head"), as_of, runner=runner
        )
        for project, leads_table, side in (
            (base_project, base_table, "base"),
            (head_project, "leads_head", "head"),
        ):
            replay_slas(
                con,
                project,
                as_of,
                leads=leads_table,
                scores=f"{side}_scores",
                table=f"{side}_clocks",
            )
        return Impact(
            base=base_revision,
            head=head_revision,
            as_of=as_of,
            leads_file=_shown(leads),
            headline=funnel.headline(con, base_project, head_project),
            breakdowns=funnel.breakdowns(con, head_project),
            score=funnel.score_shift(con, base_project, head_project),
            outcomes=funnel.outcome_quality(con, head_project),
            flips=flips(con, base_project, head_project),
            routing=routing_impact(con, base_project, head_project),
            definitions=definition_changes(base_project, head_project),
            fields=field_changes(base_project, head_project),
            unreadable_values=sum(u.count for u in reports[0].unreadable),
            commitments=compare_commitments(
                measure_commitments(con, base_project, base_table, "base_scores", "base_clocks"),
                measure_commitments(con, head_project, "leads_head", "head_scores", "head_clocks"),
            ),
            slas=compare_slas(con, base_project, head_project, ("base_clocks", "head_clocks")),
        )


def _shown(path: Path) -> str:
    """The leads file as the report names it: relative to here when under it, else its name,
    so that no report carries an absolute path from the machine that made it."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.name
