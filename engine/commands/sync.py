"""Commands that move lead data to and from the CRMs: sync-scores, history pull."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from engine.commands import common
from engine.commands.common import (
    AS_OF_OPTION,
    EXIT_FINDINGS,
    EXIT_OK,
    PROJECT_ARGUMENT,
    load_project,
    parse_as_of,
)
from engine.credentials import MissingCredential
from engine.http_client import HttpError
from engine.leads import LeadDataError
from engine.manifest import content_hash
from engine.sync.checkpoint import Checkpoint, CheckpointError
from engine.sync.checkpoint import read as read_checkpoint
from engine.sync.checkpoint import write as write_checkpoint
from engine.sync.connections import Connection
from engine.sync.connections import connect as sync_connect
from engine.sync.history import HistoryError, history_columns, read_mark
from engine.sync.history_values import iso_utc
from engine.sync.hubspot_contacts import ContactUpdates, SearchWindowError
from engine.sync.pull import pull_history
from engine.sync.run import (
    DEFAULT_CHUNK,
    MAX_CHUNK,
    ChunkWriter,
    SyncOutcome,
    fresh,
    resumed,
    run_key,
)
from engine.sync.run import sync as run_sync
from engine.sync.salesforce_bulk import BulkApi, BulkJobError, LeadUpdates
from engine.sync.scores import file_digest, score_leads
from engine.sync.writeback import SALESFORCE, WritebackError, writeback
from engine.sync.writeback import TARGETS as SYNC_TARGETS
from engine.sync.writeback import records as sync_records

# --- sync-scores and history pull: the CRMs' records in and out (docs/sync.md) ---------------

SYNC_FAILURES_SHOWN = 20


def _sync_connection(target: str) -> Connection:
    try:
        return sync_connect(target, os.environ)
    except MissingCredential as error:
        raise click.UsageError(str(error)) from None


def _sync_as_of(as_of: dt.datetime | None, found: Checkpoint | None, target: str) -> dt.datetime:
    """--as-of, else the clock of the unfinished sync being resumed, else now: a resumed
    sync scores with the clock its done chunks were scored with."""
    if as_of is not None:
        return as_of
    if found is not None and found.target == target and not found.complete:
        return dt.datetime.fromisoformat(found.as_of)
    return common.now()


@click.command("sync-scores")
@PROJECT_ARGUMENT
@click.option(
    "--target", required=True, type=click.Choice(SYNC_TARGETS), help="The CRM to write to."
)
@click.option(
    "--leads",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The leads to score: CSV, Parquet, JSON Lines or a DuckDB database file.",
)
@AS_OF_OPTION
@click.option(
    "--checkpoint",
    "checkpoint_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The progress file a re-run resumes from. Default: LEADS.TARGET-sync.json beside the leads.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    help="Records per request (HubSpot, at most 100) or per Bulk API job (Salesforce, default 10,000).",
)
def sync_scores_command(
    project: Path,
    target: str,
    leads: Path,
    as_of: dt.datetime | None,
    checkpoint_path: Path | None,
    chunk_size: int | None,
) -> int:
    """Score the leads and write score, group scores, grade, stage and route to the CRM.

    Salesforce through Bulk API 2.0 update jobs on Lead (SALESFORCE_INSTANCE_URL,
    SALESFORCE_ACCESS_TOKEN); HubSpot through batch updates of contacts (HUBSPOT_TOKEN,
    HUBSPOT_API_URL). Works in chunks and records each in the checkpoint: after an
    interruption, run the same command again and it goes on where it stopped. Exits 1 when
    any record was rejected (each is listed, and kept in the checkpoint) or the run stopped.
    """
    loaded = load_project(project)
    try:
        plan = writeback(loaded, target)
    except WritebackError as error:
        raise click.UsageError(str(error)) from None
    size = chunk_size or DEFAULT_CHUNK[target]
    if size > MAX_CHUNK[target]:
        raise click.UsageError(f"--chunk-size: {target} takes at most {MAX_CHUNK[target]:,}")
    path = checkpoint_path or leads.with_name(f"{leads.name}.{target}-sync.json")
    try:
        found = read_checkpoint(path)
    except CheckpointError as error:
        raise click.UsageError(str(error)) from None
    clock = _sync_as_of(as_of, found, target)
    try:
        scored = score_leads(loaded, leads, clock)
    except LeadDataError as error:
        raise click.ClickException(str(error)) from None
    chosen = sorted(sync_records(scored.rows, plan, scored.id_column), key=lambda r: r.id)
    key = run_key(file_digest(leads), content_hash(loaded), clock, size)
    try:
        state = resumed(found, fresh(target, key, clock, size, len(chosen)))
    except CheckpointError as error:
        raise click.UsageError(f"{path} {error}") from None
    connection = _sync_connection(target)
    writer: ChunkWriter
    if target == SALESFORCE:
        bulk = BulkApi(connection.client, connection.sleep, connection.api_version)
        writer = LeadUpdates(bulk, plan.id_name)
    else:
        writer = ContactUpdates(connection.client, plan.id_name)
    if len(chosen) < len(scored.rows):
        click.echo(
            f"accord: {len(scored.rows) - len(chosen):,} leads without an id were left out",
            err=True,
        )
    if state is found and state.complete:
        click.echo(
            f"accord: {path} records this sync as finished; nothing sent (delete it to sync again)",
            err=True,
        )
        outcome = SyncOutcome(state, 0, None)
    else:
        if state is found:
            click.echo(
                f"accord: resuming from {path}: {len(state.done)} of {state.chunks} chunks done",
                err=True,
            )
        outcome = run_sync(chosen, state, writer, lambda c: write_checkpoint(path, c))
    done = outcome.checkpoint
    failures = done.failures
    for failure in failures[:SYNC_FAILURES_SHOWN]:
        click.echo(f"accord: failed: {failure.id}: {failure.error}", err=True)
    if len(failures) > SYNC_FAILURES_SHOWN:
        click.echo(f"accord: ... and {len(failures) - SYNC_FAILURES_SHOWN:,} more", err=True)
    failed = f"; {len(failures):,} failed (see {path})" if failures else ""
    if outcome.interruption is not None:
        stop = outcome.interruption
        click.echo(
            f"accord: stopped at chunk {stop.chunk + 1} of {done.chunks}: {stop.reason}", err=True
        )
        click.echo(
            f"accord: synced {done.synced:,} of {done.total:,} leads so far{failed};"
            f" run the same command again to resume from {path}",
            err=True,
        )
        return EXIT_FINDINGS
    click.echo(
        f"accord: synced {done.synced:,} of {done.total:,} leads to {target}"
        f" as of {done.as_of}Z{failed}",
        err=True,
    )
    return EXIT_FINDINGS if failures else EXIT_OK


@click.group()
def history() -> None:
    """Lead history from the CRMs, for `accord diff --leads` and the other history readers."""


@history.command("pull")
@PROJECT_ARGUMENT
@click.option("--target", required=True, type=click.Choice(SYNC_TARGETS), help="The CRM to read.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The history file (.parquet); an earlier pull's file is merged into.",
)
@click.option(
    "--since",
    callback=parse_as_of,
    help="Fetch records modified at or after this ISO 8601 time. Default: where the last pull into --out got to (everything, the first time).",
)
def history_pull_command(project: Path, target: str, out: Path, since: dt.datetime | None) -> int:
    """Fetch the lead model's fields, lifecycle timestamps and outcomes from the CRM.

    Salesforce through a Bulk API 2.0 query on Lead, HubSpot through the contacts search;
    only records modified since the last pull, merged into --out (newer rows replace older
    ones by id) and written atomically.
    """
    if out.suffix.lower() != ".parquet":
        raise click.UsageError(f"--out {out}: name the history file .parquet")
    loaded = load_project(project)
    assert loaded.lead_model is not None
    try:
        columns = history_columns(loaded.lead_model, target)
        mark = read_mark(out)
    except HistoryError as error:
        raise click.UsageError(str(error)) from None
    if mark is not None and mark.target != target:
        raise click.UsageError(
            f"{out} holds history pulled from {mark.target}; pull {target} into another file"
        )
    for field_id in columns.left_out:
        click.echo(
            f"accord: note: field `{field_id}` has no `{target}:` name in the lead model;"
            " left out of the history",
            err=True,
        )
    lower = since if since is not None else (mark.instant if mark is not None else None)
    try:
        pulled = pull_history(_sync_connection(target), target, columns, out, lower)
    except (HttpError, BulkJobError, SearchWindowError, HistoryError) as error:
        raise click.ClickException(f"{error}; {out} is unchanged") from None
    staged, new_mark = pulled.staged, pulled.mark
    for field_id, count in sorted(staged.unreadable.items()):
        click.echo(
            f"accord: note: {count:,} values of `{field_id}` were not of its type; left empty",
            err=True,
        )
    if staged.without_id:
        click.echo(
            f"accord: note: {staged.without_id:,} records without `{columns.id.platform}`"
            " were left out",
            err=True,
        )
    since_text = f"modified since {iso_utc(lower)}" if lower is not None else "(all)"
    click.echo(
        f"accord: pulled {staged.records:,} leads from {target} {since_text};"
        f" {out} holds {pulled.rows:,} leads; the next pull starts from"
        f" {new_mark.high_water_mark or 'the beginning'}",
        err=True,
    )
    return EXIT_OK
