"""The versioned manifest: the whole resolved project as JSON, for deploys and other tools.

`accord compile` writes it. Every definition appears with what it means (conditions as
written, references as ids, durations and caps as numbers) and where it is written
(`where`: file:line). The content hash is the SHA-256 of the project's canonical JSON
without the `where` fields: reformatting a file or moving a definition to another line
keeps the hash, any change in meaning changes it. Same inputs, same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from typing import Any

from engine import __version__
from engine.instants import utc
from engine.ir import Binding, Condition, Expected, IdRef, Project
from engine.span import Span

FORMAT_VERSION = 1
# Fields of the IR that say nothing a manifest reader needs: positions of parts of a
# definition (the definition's own position is `where`), and the build's bookkeeping.
_SKIPPED = frozenset(
    {"points_span", "country_span", "subdivision_span", "timezone_span", "incomplete"}
)


@dataclasses.dataclass(frozen=True)
class SourceRevision:
    commit: str | None  # the git commit the files were read at; None outside git
    dirty: bool  # the definitions differ from that commit (uncommitted edits)


def _plain(value: object) -> Any:
    """The JSON form of an IR value."""
    if isinstance(value, Condition):
        return " ".join(value.text.split())
    if isinstance(value, Binding):
        return {"binding": f"{value.path}#{value.target}"}
    if isinstance(value, IdRef):
        return value.id
    if isinstance(value, Expected):
        return _plain(value.value)
    if isinstance(value, Span):
        return f"{value.file}:{value.line}"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return utc(value).isoformat() + "Z"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            if field.name in _SKIPPED:
                continue
            # `is_` is `is` in YAML; `span` is where the definition is written.
            name = "where" if field.name == "span" else field.name.rstrip("_")
            found[name] = _plain(getattr(value, field.name))
        return found
    return value


def _without_where(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_where(v) for k, v in value.items() if k != "where"}
    if isinstance(value, list):
        return [_without_where(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(project: Project) -> str:
    """SHA-256 of what the project means, not of how its files are laid out."""
    meaning = _without_where({k: v for k, v in _plain(_project(project)).items() if k != "tests"})
    return "sha256:" + hashlib.sha256(_canonical(meaning).encode()).hexdigest()


def _project(project: Project) -> Project:
    # Rule tests are the teams' checks of the definitions, not definitions to deploy.
    return dataclasses.replace(project, tests=())


def manifest(project: Project, revision: SourceRevision | None) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "accord_version": __version__,
        "source": None
        if revision is None
        else {"commit": revision.commit, "dirty": revision.dirty},
        "content_hash": content_hash(project),
        "project": {k: v for k, v in _plain(_project(project)).items() if k != "tests"},
    }


def render_manifest(project: Project, revision: SourceRevision | None) -> str:
    text = json.dumps(manifest(project, revision), indent=2, sort_keys=True, ensure_ascii=False)
    return text + "\n"
