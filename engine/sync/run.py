"""A score sync in chunks: skip what the checkpoint has done, write the rest, save after each.

Pure but for the two things handed in: the platform writer and the function that saves the
checkpoint. A request that fails for good stops the run with the checkpoint saved; records
the platform rejects are kept in the checkpoint and the run goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from engine.http_client import HttpError
from engine.sync.checkpoint import Checkpoint, CheckpointError, ChunkResult
from engine.sync.hubspot_contacts import BATCH_LIMIT
from engine.sync.salesforce_bulk import BulkJobError, BulkJobPending
from engine.sync.writeback import HUBSPOT, Record

DEFAULT_CHUNK = {HUBSPOT: BATCH_LIMIT, "salesforce": 10_000}
# Bulk API 2.0 takes up to 150 MB per job; 10,000 Leads of Accord's few fields are ~1 MB.
MAX_CHUNK = {HUBSPOT: BATCH_LIMIT, "salesforce": 150_000}


class ChunkWriter(Protocol):
    def write(
        self, records: Sequence[Record], job: str | None, started: Callable[[str], None]
    ) -> ChunkResult:
        """Write one chunk; `job` is an asynchronous job an earlier run started for it,
        `started` is told of a job this call starts before it waits for it."""
        ...


@dataclass(frozen=True)
class Interruption:
    chunk: int  # 0-based
    reason: str


@dataclass(frozen=True)
class SyncOutcome:
    checkpoint: Checkpoint
    sent_chunks: int  # chunks written in this run
    interruption: Interruption | None


def run_key(leads_digest: str, definitions: str, as_of: dt.datetime, chunk_size: int) -> str:
    return f"{leads_digest}|{definitions}|{as_of.isoformat()}|{chunk_size}"


def fresh(target: str, key: str, as_of: dt.datetime, chunk_size: int, total: int) -> Checkpoint:
    return Checkpoint(target, key, as_of.isoformat(), chunk_size, total)


def resumed(found: Checkpoint | None, new: Checkpoint) -> Checkpoint:
    """The checkpoint to go on from: `found` if it is this sync's, `new` if there was none or
    the one found is a finished earlier sync; CheckpointError for another sync's unfinished
    work, which starting afresh would lose track of."""
    if found is None:
        return new
    if found.target == new.target and found.run == new.run and found.total == new.total:
        return found
    if found.complete:
        return new
    raise CheckpointError(
        "holds an unfinished sync of other leads, definitions, --as-of or --chunk-size"
        f" ({found.target}, as of {found.as_of}, {len(found.done)} of {found.chunks} chunks"
        " done); re-run that sync to finish it, or delete the file to start afresh"
    )


def chunk(records: Sequence[Record], size: int, index: int) -> Sequence[Record]:
    return records[index * size : (index + 1) * size]


def sync(
    records: Sequence[Record],
    checkpoint: Checkpoint,
    writer: ChunkWriter,
    save: Callable[[Checkpoint], None],
) -> SyncOutcome:
    """Write every chunk the checkpoint does not list as done, in order."""
    state = [checkpoint]
    sent = 0

    def started(index: int) -> Callable[[str], None]:
        def remember(job: str) -> None:
            state[0] = state[0].started(index, job)
            save(state[0])

        return remember

    for index in range(checkpoint.chunks):
        if index in state[0].done:
            continue
        part = chunk(records, checkpoint.chunk_size, index)
        try:
            result = writer.write(part, state[0].jobs.get(index), started(index))
        except BulkJobPending as error:
            save(state[0])
            return SyncOutcome(state[0], sent, Interruption(index, str(error)))
        except BulkJobError as error:
            state[0] = state[0].abandoned(index)
            save(state[0])
            return SyncOutcome(state[0], sent, Interruption(index, str(error)))
        except HttpError as error:
            save(state[0])
            return SyncOutcome(state[0], sent, Interruption(index, str(error)))
        state[0] = state[0].finished(index, result)
        save(state[0])
        sent += 1
    return SyncOutcome(state[0], sent, None)
