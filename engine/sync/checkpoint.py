"""The local record of a score sync: which chunks are done, and each record that failed.

Written after every chunk with a temporary file and a rename, so an interrupted run leaves
the last complete state; the next run with the same leads, definitions, clock and chunk size
skips the chunks it lists as done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.atomic_file import write_text

VERSION = 1


class CheckpointError(Exception):
    """The checkpoint file cannot be read, or belongs to another sync."""


@dataclass(frozen=True)
class Failure:
    id: str
    error: str


@dataclass(frozen=True)
class ChunkResult:
    synced: int
    failures: tuple[Failure, ...] = ()


@dataclass(frozen=True)
class Checkpoint:
    target: str
    run: str  # what the chunks were cut from: leads, definitions, clock, chunk size
    as_of: str
    chunk_size: int
    total: int  # records to sync
    done: dict[int, ChunkResult] = field(default_factory=dict)
    jobs: dict[int, str] = field(default_factory=dict)  # chunk → platform job still to read

    @property
    def chunks(self) -> int:
        return -(-self.total // self.chunk_size) if self.total else 0

    @property
    def complete(self) -> bool:
        return len(self.done) == self.chunks

    @property
    def synced(self) -> int:
        return sum(result.synced for result in self.done.values())

    @property
    def failures(self) -> tuple[Failure, ...]:
        return tuple(f for _, result in sorted(self.done.items()) for f in result.failures)

    def finished(self, chunk: int, result: ChunkResult) -> Checkpoint:
        jobs = {k: v for k, v in self.jobs.items() if k != chunk}
        return replace(self, done={**self.done, chunk: result}, jobs=jobs)

    def started(self, chunk: int, job: str) -> Checkpoint:
        return replace(self, jobs={**self.jobs, chunk: job})

    def abandoned(self, chunk: int) -> Checkpoint:
        return replace(self, jobs={k: v for k, v in self.jobs.items() if k != chunk})


def to_json(checkpoint: Checkpoint) -> str:
    document = {
        "version": VERSION,
        "target": checkpoint.target,
        "run": checkpoint.run,
        "as_of": checkpoint.as_of,
        "chunk_size": checkpoint.chunk_size,
        "total": checkpoint.total,
        "synced": checkpoint.synced,
        "failed": len(checkpoint.failures),
        "done": {
            str(k): {
                "synced": r.synced,
                "failures": [{"id": f.id, "error": f.error} for f in r.failures],
            }
            for k, r in sorted(checkpoint.done.items())
        },
        "jobs": {str(k): v for k, v in sorted(checkpoint.jobs.items())},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str, path: Path) -> Checkpoint:
    try:
        document: Any = json.loads(text)
        if document.get("version") != VERSION:
            raise CheckpointError(f"{path}: not an accord sync checkpoint of version {VERSION}")
        done = {
            int(k): ChunkResult(
                int(v["synced"]),
                tuple(Failure(str(f["id"]), str(f["error"])) for f in v["failures"]),
            )
            for k, v in document["done"].items()
        }
        return Checkpoint(
            target=str(document["target"]),
            run=str(document["run"]),
            as_of=str(document["as_of"]),
            chunk_size=int(document["chunk_size"]),
            total=int(document["total"]),
            done=done,
            jobs={int(k): str(v) for k, v in document["jobs"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(
            f"{path}: not a readable sync checkpoint ({type(error).__name__});"
            " delete it to start the sync afresh"
        ) from None


def read(path: Path) -> Checkpoint | None:
    """The checkpoint at `path`, or None when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CheckpointError(f"{path}: cannot be read ({error.strerror})") from None
    return from_json(text, path)


def write(path: Path, checkpoint: Checkpoint) -> None:
    """Temporary file beside `path`, flushed to disk, then renamed over it."""
    write_text(path, to_json(checkpoint))
